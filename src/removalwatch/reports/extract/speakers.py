"""Who is speaking: find the source mention beside a cue, then resolve it to an actor.

Finding works on the characters beside the cue: strip adverbs and appositives,
then walk left (or right, for "said X") over the words a speaker's noun
phrase is made of. Resolving turns the mention into an Actor: a gazetteer
entry, a named person, an unnamed source ("two U.S. officials"), or, for a
pronoun or role noun ("it", "the ministry"), the last compatible speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from removalwatch.reports.extract import segment
from removalwatch.reports.extract.lexicon import KnownActor, deporting_country, is_nationality, lexicon, place_index

_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Rep|Sen|Gov|Gen|Lt|Col|Capt|Sgt|Adm|St|Jr|Sr|Prof|Pres|Sec|Amb)\.|[A-Z]\.(?=\s+[A-Z])"
    r"|\w+s[’'](?=\s)|[\w$][\w.\-’']*\w|\w|[^\w\s]")  # "Peoples’ Rights": a plural possessive is one word
_DETERMINERS = {
    "the", "a", "an", "this", "that", "these", "those", "another", "other", "both", "each", "some", "several",
    "many", "most", "few", "all", "any", "his", "her", "its", "their", "our", "one", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds", "multiple", "numerous",
}
_PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "plural", "we": "plural", "i": "person"}
_CONNECTORS = {"of", "for", "and", "de", "del", "la", "al", "bin", "van", "von", "da", "dos", "y"}
_MODIFIERS = {
    "senior", "former", "top", "foreign", "interior", "federal", "local", "military", "administration", "government",
    "defense", "defence", "immigration", "press", "deputy", "acting", "chief", "presidential", "campaign", "regional",
    "national", "state", "provisional", "transitional", "interim", "high-ranking", "ranking", "anonymous", "unnamed",
    "western", "european", "security", "intelligence", "justice", "health", "public", "prime", "vice", "district",
    "appeals", "supreme", "federal-court", "human", "rights", "legal", "civil", "airline", "airport", "border",
    "homeland", "police", "army", "air", "force", "white", "house", "department", "agency", "ministry", "u.s.",
    "independent", "county", "city", "union", "refugee", "migration", "aid", "lead", "new", "second", "third",
}
# Capitalised words that open a sentence or clause but never belong to a speaker's name.
_FUNCTION_CAPS = {
    "Addressing", "Responding", "Reacting", "Commenting", "Writing", "Only", "Just", "Perhaps", "Never", "Not",
    "Nor", "Either", "Neither", "But", "And", "Or", "So", "Yet", "Still", "Meanwhile", "However", "Now", "Then",
    "Also", "Later", "Earlier", "Instead", "Separately", "When", "While", "After", "Before", "As", "If", "Because",
    "Since", "In", "On", "At", "Last", "There", "Here", "Moreover", "Indeed", "Asked", "Speaking", "Previously",
    "Today", "Yesterday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Although",
    "Though", "Even", "Following", "Furthermore", "According", "Otherwise", "Additionally", "Firstly", "Secondly",
    "Thirdly", "Finally", "Nevertheless", "Nonetheless", "Therefore", "Thus", "Despite", "During", "Under", "Amid",
    "Among", "Without", "Within", "Through", "Over", "Regarding", "Concerning", "Unlike", "Like", "With", "Across",
    "Until", "Upon", "Once", "Already", "Next", "Naturally", "Currently", "Recently", "Initially", "Ultimately",
    "Overall", "Specifically", "Similarly", "Likewise", "Besides", "Hence", "Notably", "Importantly", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "This", "That", "These", "Those", "Some", "Many", "Most", "All", "Both", "Each", "Such",
}
_TITLES = {
    "president", "secretary", "minister", "senator", "sen.", "rep.", "representative", "gov.", "governor", "mayor",
    "judge", "justice", "ambassador", "general", "gen.", "commander", "director", "chief", "spokesperson",
    "spokesman", "spokeswoman", "premier", "chancellor", "king", "queen", "prince", "sheikh", "mr.", "mrs.", "ms.",
    "dr.", "prof.", "attorney", "lawyer", "prime", "foreign", "interior", "deputy", "acting", "vice", "state",
    "of", "the", "former", "senior", "u.s.", "press", "homeland", "security", "defense", "border", "czar",
    "lt.", "col.", "capt.", "sgt.", "adm.", "pope", "envoy", "special", "assistant", "head", "leader", "officer",
    "district", "federal", "chairman", "chairwoman", "chair", "ceo", "executive", "founder", "activist", "advocate",
}
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|" \
         r"Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
# What may stand between a subject and its verb: auxiliaries, adverbs, times, floating quantifiers
# ("Uganda firmly denied", "A federal judge on May 21 ruled", "both governments both denied").
_ADVERBS_BEFORE_CUE = re.compile(
    r"(?:\s+(?:also|has|have|had|is|are|was|were|am|previously|later|earlier|then|again|repeatedly|separately|publicly|privately|"
    r"once|would|will|did|does|do|further|first|initially|subsequently|today|yesterday|tonight|now|both|each|all|"
    r"equally|too|himself|herself|itself|themselves|"
    r"[a-z]+ly|“[a-z]+ly”|\"[a-z]+ly\"|"
    r"(?:on|last|this|next|late|early)\s+" + _WEEKDAY + r"(?:\s+(?:morning|afternoon|evening|night))?|"
    r"(?:on|in|since|by|late|early|earlier|last)\s+(?:\d{1,2}\s+)?" + _MONTH + r"(?:\s+\d{1,2})?(?:,?\s+\d{4})?|"
    r"(?:last|this|next|earlier this|late last|early last)\s+(?:week|month|year|weekend|spring|summer|autumn|fall|winter)|"
    r"in\s+\d{4}|on\s+(?:X|Twitter|Facebook|social media)|in\s+a\s+(?:statement|post|letter|filing|ruling|"
    r"decision|interview|note)|,)|\s*,\s*in\s+an?\s+(?:statement|post|letter|interview|filing|ruling)\s*,)+\s*$"
)
_WHO_AT_END = re.compile(r"\s+(?:who|which)$")
_NAME_BETWEEN_COMMAS = re.compile(r",\s*((?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w.’'\-]*)\s*,\s*$")
_DASH_APPOSITIVE = re.compile(r"\s*[—–]\s*[^—–“”\"]{3,80}?\s*[—–]\s*$")
_RELATIVE = re.compile(r"\s+(?:which|who|whose)\s+[^,“”\"]{3,120}$")
_APPOSITIVE = re.compile(
    r",\s*(?:(?:the|a|an|which|who|whose|its|his|her|their|one|himself|herself|\d+|asked|speaking|reached|"
    r"contacted|responding|writing|citing|quoted)\b[^,“”\"]*|"
    r"[^,“”\"]{1,40}\bof\b[^,“”\"]*)\s*,\s*$"
)
# "Megan Hester, senior associate for education organizing at the Institute, [said]"
_NAME_APPOSITIVE = re.compile(r"\b([A-Z][\w’'\-]*)(\s*,\s*[^,“”\"]{3,110},\s*)$")
_PAREN_AT_END = re.compile(r"\s*\([^()]{1,40}\)\s*$")
_PERSON_HEADS = (
    r"officials?|sources?|persons?|people|diplomats?|aides?|individuals?|lawyers?|attorneys?|spokes(?:man|woman|"
    r"person|people)|members?|residents?|staff(?:ers)?|employees?|workers?|analysts?|experts?|advocates?|"
    r"representatives?|relatives?|officers?|agents?|someone|insiders?"
)
_POSTMODIFIER_LEFT = re.compile(
    r"\b(?:" + _PERSON_HEADS + r")(\s+(?:with|familiar|briefed|close|involved|who|from|at|in|on|for|representing|"
    r"working|knowledgeable|speaking|granted|not\s+authorized|authorized|requesting|asking)\b[^,;:“”\"]{0,90}?)\s*$",
    re.I,
)
_POSTMODIFIER_RIGHT = re.compile(
    r"\s+(?:with|familiar|briefed|close|involved|from|at|in|for|representing|working|knowledgeable|who|not\s+"
    r"authorized|authorized|speaking)\b[^,;:.“”\"]{0,90}"
)


@dataclass(frozen=True)
class Mention:
    text: str
    span: tuple[int, int]


def _tokens(s: str, offset: int) -> list[tuple[str, int, int]]:
    return [(m.group(0), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(s)]


def _is_cap(tok: str) -> bool:
    return tok[0].isupper() or tok[0].isdigit() and "-" in tok


def _possessive(tok: str) -> bool:
    return tok.endswith(("’s", "'s", "s’", "s'"))


def _np_word(tok: str, roles) -> bool:
    low = tok.lower()
    if tok in _FUNCTION_CAPS:
        return False
    if _is_cap(tok) or low in roles or low in _MODIFIERS or _possessive(tok):
        return True
    return False


def source_left(text: str, start: int, cue_start: int) -> Mention | None:
    """The speaker's noun phrase ending just before a cue, e.g. "Libya's Government of National
    Unity, the country's provisional government, [said]"."""
    roles = lexicon().roles
    left = text[start:cue_start]
    m = _ADVERBS_BEFORE_CUE.search(left, max(0, len(left) - 160))  # the patterns below read only the end
    if m:
        left = left[:m.start()]
    left = left.rstrip()
    dash = _DASH_APPOSITIVE.search(left, max(0, len(left) - 100))
    if dash:  # "Judge George Katsas — a Trump appointee — [said]"
        left = left[:dash.start()]
    relative = _WHO_AT_END.search(left, max(0, len(left) - 10))
    if relative:  # "local activists who [claim]"
        left = left[:relative.start()]
    if not left:
        return None
    end = start + len(left)
    # "two U.S. officials with knowledge of the flight [said]"
    post = _POSTMODIFIER_LEFT.search(left, max(0, len(left) - 140))
    proper = _NAME_BETWEEN_COMMAS.search(left, max(0, len(left) - 80))
    if proper and proper.start() < 3 or proper and "," in left[proper.start() - 3:proper.start()]:
        proper = None  # "... text, Name, [said]": some words must come before the name
    relative = _RELATIVE.search(left)
    if post:  # the mention keeps its postmodifier; the noun phrase is scanned without it
        left = left[:post.start(1)]
    elif proper and proper.group(1).split()[0] not in _FUNCTION_CAPS and not any(
            w.lower() in _TITLES for w in proper.group(1).split()):
        # "The Minister of Foreign Affairs, Yusuf Tuggar, [said]": the name is the speaker
        left = left[:proper.end(1)]
        end = start + len(left)
    elif relative and not re.search(r"[,“”\"]", relative.group(0)):
        # "The Foreign Ministry in eastern Libya which is appointed by the Parliament [said]"
        left = left[:relative.start()]
        end = start + len(left)
    else:
        appositive = _APPOSITIVE.search(left)
        cut = appositive.start() if appositive else None
        named = None if appositive else _NAME_APPOSITIVE.search(left)
        if named and named.group(1) not in _FUNCTION_CAPS:
            cut = named.start(2)
        if cut:
            left = left[:cut]
        left = _PAREN_AT_END.sub("", left)
        name = re.search(r",\s*((?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w.’'\-]*)\s*,\s*$", left)
        if name:  # "A lawyer for the outlets, David Schulz, [said]": the name is the speaker
            left = left[:name.end(1)]
        end = start + len(left)
    toks = _tokens(left[-240:], start + max(0, len(left) - 240))
    if not toks:
        return None
    # "from the U.S. and Rwanda says": a verb in -s has one subject, so "and" ends the phrase
    verb = re.match(r"\W*(\w+)", text[end:cue_start + 20])
    singular = bool(verb) and verb.group(1).endswith("s") and not verb.group(1).endswith("ss") \
        and verb.group(1).lower() not in ("always", "perhaps", "thus", "as")
    last, last_start, last_end = toks[-1]
    if last.lower() in _PRONOUNS:
        if len(toks) >= 2 and toks[-2][0].isalpha() and toks[-2][0].islower() and toks[-2][0] not in (
            "and", "but", "that", "because", "as", "while", "so", "when", "where", "which", "than", "after", "before",
            "although", "though", "since", "if",
        ):
            return None  # "deportees it says are gang members": a relative clause, not a report
        return Mention(text[last_start:end], (last_start, end))
    if last in _FUNCTION_CAPS:
        return None
    if not (_is_cap(last) or last.lower() in roles):
        return _common_noun_phrase(text, toks, end)
    i = len(toks) - 1
    while i > 0:
        prev = toks[i - 1][0]
        low = prev.lower()
        if low == "the" and i >= 3 and toks[i - 2][0] == "of" and _is_cap(toks[i - 3][0]) and _is_cap(toks[i][0]):
            i -= 2  # "Boasberg of the U.S. District Court"
            continue
        if low in _DETERMINERS:
            i -= 1
            break
        if (low in _CONNECTORS and not (singular and low == "and") or low == "in") and i >= 2 \
                and _np_word(toks[i - 2][0], roles) and (
            _is_cap(toks[i][0]) or toks[i][0].lower() in roles
        ):
            i -= 1
            continue
        if _np_word(prev, roles):
            i -= 1
            continue
        # adjectives after a determiner or a possessor: "Libya's rival governments", "the eastern ministry"
        k = i - 1
        while k > 0 and k >= i - 3 and toks[k][0].isalpha() and toks[k][0].islower() \
                and toks[k][0] not in _NOT_IN_NP and toks[k][0] not in _CONNECTORS and toks[k][0] not in _PLACE_PREPOSITIONS:
            k -= 1
        if k < i - 1 and (toks[k][0].lower() in _DETERMINERS or _possessive(toks[k][0])):
            i = k
            if toks[k][0].lower() in _DETERMINERS:
                break
            continue
        if k < i - 1 and toks[k][0] in _SENTENCE_EDGE and toks[-1][0].lower() in roles and toks[-1][0].endswith("s"):
            i = k + 1  # "..., top black lawmakers [said]": a bare plural with its adjectives
            break
        # a place after a preposition: "The Foreign Ministry in eastern Libya"
        if toks[k][0] in _PLACE_PREPOSITIONS and k >= 1 and _np_word(toks[k - 1][0], roles) and k >= i - 2:
            i = k
            continue
        break
    while i < len(toks) - 1 and toks[i][0].lower() in _CONNECTORS:
        i += 1
    begin = toks[i][1]
    if all(t[0].lower() in _DETERMINERS for t in toks[i:]):
        return None
    return Mention(text[begin:end], (begin, end))


_NOT_IN_NP = {"and", "or", "but", "that", "which", "who", "to", "is", "was", "were", "are", "has", "have", "had",
              "be", "been", "not", "if", "when", "as", "than", "so", "because", "after", "before", "while"}


_NOT_SPEAKERS = {
    "agreement", "deal", "arrangement", "accord", "pact", "plan", "plans", "flight", "flights", "decision", "policy",
    "program", "programme", "move", "law", "rule", "measure", "visit", "trip", "meeting", "announcement", "way",
    "time", "year", "month", "week", "day", "thing", "things", "case", "issue", "question", "idea", "fact",
}


_PLACE_PREPOSITIONS = {"in", "from", "at"}
_SENTENCE_EDGE = {"", ".", ";", ":", "“", "\"", "—", "–", "(", ","}


def _common_noun_phrase(text: str, toks, end: int) -> Mention | None:
    """'The bank [said]', 'the former secretary of state and current nominee [said]': a determiner
    within a few words before a lower-case head that can be an agent ("an agreement announced" is not);
    or a bare plural of people or organisations opening the clause ("Critics warn", "Media outlets
    reported")."""
    if toks[-1][0].lower() in _NOT_SPEAKERS:
        return None
    head = toks[-1][0].lower()
    role = lexicon().roles.get(head)
    if role and head.endswith("s"):
        i = len(toks) - 1
        while i > 0 and len(toks) - i < 4 and toks[i - 1][0][0].isalpha() and toks[i - 1][0].lower() not in _NOT_IN_NP \
                and toks[i - 1][0].lower() not in _DETERMINERS and toks[i - 1][0] not in _FUNCTION_CAPS:
            i -= 1
        before = toks[i - 1][0] if i > 0 else ""
        if before in _SENTENCE_EDGE or before.lower() in ("and", "but", "while", "as"):
            return Mention(text[toks[i][1]:end], (toks[i][1], end))
    for back in range(2, 6):
        if back > len(toks):
            return None
        tok = toks[-back][0]
        if tok.lower() in ("the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our",
                           "several", "many", "some", "most", "both", "few", "numerous", "multiple", "two", "three",
                           "four", "five", "dozens", "hundreds") or _possessive(tok):
            if any(t[0].lower() in _NOT_IN_NP or not (t[0][0].isalnum()) for t in toks[-back + 1:]):
                return None
            return Mention(text[toks[-back][1]:end], (toks[-back][1], end))
        if not tok[0].isalpha() or tok.lower() in _NOT_IN_NP:
            return None
    return None


def source_right(text: str, cue_end: int, end: int, *, loose: bool = False) -> Mention | None:
    """The speaker after an inverted cue: '"...," said Tricia McLaughlin, a spokesperson.'

    `loose` takes the whole phrase up to `end`, as after "according to"."""
    roles = lexicon().roles
    right = text[cue_end:end]
    if loose:
        stripped = right.strip()
        if 0 < len(stripped) <= 100:
            begin = cue_end + right.index(stripped[0])
            return Mention(stripped.rstrip(".”\""), (begin, begin + len(stripped.rstrip(".”\""))))
    toks = _tokens(right[:200], cue_end)
    i, n = 0, len(toks)
    if i < n and toks[i][0].lower() in _DETERMINERS:
        i += 1
    first = i
    while i < n and (_np_word(toks[i][0], roles) or (
        toks[i][0].lower() in _CONNECTORS and i + 1 < n and _is_cap(toks[i + 1][0]) and i > first
    )):
        i += 1
    if i == first:
        if first < n and toks[first][0].lower() in _PRONOUNS and first == 0:
            return Mention(toks[first][0], (toks[first][1], toks[first][2]))
        return None
    begin, stop = toks[0][1], toks[i - 1][2]
    post = _POSTMODIFIER_RIGHT.match(text, stop, end)
    if post and toks[i - 1][0].lower() in roles and roles[toks[i - 1][0].lower()][1]:
        stop = post.end()
    return Mention(text[begin:stop].rstrip(), (begin, begin + len(text[begin:stop].rstrip())))


# --- resolution -------------------------------------------------------------------------------

@dataclass
class Speaker:
    name: str
    kind: str
    country: str | None
    anonymous: bool
    person: bool
    plural: bool = False
    titles: frozenset[str] = frozenset()  # role words the text gives the speaker: "president", "minister"
    inferred: bool = False  # the country was guessed from the report's context, not stated


@dataclass
class Discourse:
    """What has been said so far in one document: the antecedents for pronouns and role nouns."""

    text: str = ""
    speakers: list[Speaker] = field(default_factory=list)
    dateline: str | None = None

    def __post_init__(self) -> None:
        self.dateline = dateline_country(self.text)

    def last_country(self, before: int) -> str | None:
        """The last country named before a position, other than the United States (the usual
        deporting country, and never "the kingdom" of a report about a third country)."""
        found = None
        for code, start, _ in place_index(self.text).within(max(0, before - 1500), before):
            if code != "US" and not is_nationality(self.text, start):
                found = (start, code)
        return found[1] if found else None

    def court_country(self, before: int) -> str | None:
        lex = lexicon()
        found = None
        for m in _PLACED_COURT.finditer(self.text, max(0, before - 2000), before):
            found = m
        if found is None:
            return None
        place = re.sub(r"[’']s$", "", found.group(1).strip())
        return lex.countries.get(place) or lex.demonyms.get(place)

    def next_country(self, after: int) -> str | None:
        """The first country named in the rest of the sentence ("President Irfaan Ali stated that
        Guyana has ..."), other than the United States."""
        end = self.text.find(".", after)
        for code, start, _ in place_index(self.text).within(after, end if end != -1 else len(self.text)):
            if code != "US" and not is_nationality(self.text, start):
                return code
        return None

    def remember(self, speaker: Speaker) -> None:
        self.speakers.append(speaker)

    def notice(self, speaker: Speaker) -> None:
        """A person or body that is the subject of a sentence: a pronoun or role noun after it most
        likely means it, whether or not it was quoted."""
        if speaker.person and not speaker.anonymous or speaker.kind in _BODIES:
            self.speakers.append(speaker)

    def last(self, predicate) -> Speaker | None:
        for speaker in reversed(self.speakers):
            if predicate(speaker):
                return speaker
        return None


def _strip_determiner(s: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", s, flags=re.I)


def _country_in(s: str) -> str | None:
    lex = lexicon()
    best = None
    for m in lex.demonym_re.finditer(s):
        best = best or (m.start(), lex.demonyms[m.group(0)])
    for m in lex.country_re.finditer(s):
        if best is None or m.start() < best[0]:
            best = (m.start(), lex.countries[m.group(0)])
    return best[1] if best else None


def _known_actor_in(s: str) -> tuple[KnownActor, int, int] | None:
    """The gazetteer actor a phrase is headed by: a named person ("Judge James Boasberg of the
    District Court in Washington") unless only a possessor; else the last actor named."""
    lex = lexicon()
    best = person = None
    for m in lex.actor_re.finditer(s):
        actor = lex.actors[m.group(0)]
        if actor.role and not s.startswith(("’s", "'s"), m.end()) and person is None:
            person = (actor, m.start(), m.end())
        if best is None or m.end() > best[2] or (m.end() == best[2] and m.start() < best[1]):
            best = (actor, m.start(), m.end())
    return person or best


def _person_name(words: list[str]) -> str | None:
    """Trailing capitalised words after titles and nationality words: 'Costa Rican President Rodrigo Chaves'."""
    lex = lexicon()
    name: list[str] = []
    last_country = None
    for last_country in lex.country_re.finditer(" ".join(words)):
        pass
    if last_country is not None:  # "Prime Minister of Antigua and Barbuda Gaston Browne": after the country
        words = " ".join(words)[last_country.end():].split()
    for w in reversed(words):
        bare = w.rstrip("’'s") if _possessive(w) else w
        if w.lower() in _TITLES or bare in lex.demonyms or bare in lex.countries or not w[0].isupper():
            break
        name.insert(0, w)
    return " ".join(name) if name else None


def _definite_role(head: str, discourse: Discourse, kind: str, is_person: bool) -> Speaker | None:
    if is_person:
        return discourse.last(lambda s: s.person and (head in s.titles or head.rstrip("s") in {
            w.rstrip("s") for w in s.name.lower().split()}))
    wanted = {"government": {"government"}, "agency": {"agency", "government"}, "military": {"military", "armed_group"},
              "court": {"court"}, "ngo": {"ngo", "armed_group", "international_org"}, "company": {"company"},
              "media": {"media"}}.get(kind, {kind})
    if head in _DOCUMENTS:  # "the statement said": the body or person that issued it
        return discourse.last(lambda s: not s.anonymous and (s.person or s.kind in _BODIES))
    return discourse.last(lambda s: not s.person and s.kind in wanted)


_DOCUMENTS = {"statement", "release", "communique", "communiqué", "note", "letter", "post", "declaration"}


_PARTY_FILING = re.compile(r"\b(?:lawsuit|complaint|brief|filing|petition|motion|prosecutors?)s?\b", re.I)
_BODIES = {"government", "agency", "military", "armed_group", "court", "ngo", "international_org", "company", "media"}


def _titles(*phrases: str) -> frozenset[str]:
    roles = lexicon().roles
    return frozenset(w for p in phrases for w in re.findall(r"[a-z]+", p.lower())
                     if w in roles and roles[w][1] or w in ("president", "minister", "judge", "justice", "secretary"))


# "Ghana's Supreme Court", "Eswatini's high court": a court the text places in a country
_PLACED_COURT = re.compile(r"\b([A-Z][\w ]{2,30}?(?:’s|'s)?)\s+(?:[Hh]igh|[Ss]upreme|[Cc]onstitutional|[Aa]ppeals?)?\s*"
                           r"(?:[Cc]ourt|[Jj]udges?|[Jj]ustices?)\b")
# offices that exist only in the United States' government
_US_OFFICE = re.compile(r"\b(?:Sen\.|Senator|Congress(?:man|woman|ional)|U\.S\. Solicitor General|U\.S\. [Rr]ep\.|"
                        r"Senate|House of Representatives)")
_FOREIGN_STATE_WORDS = re.compile(
    r"\b(?:[Mm]inist(?:ry|er|ers)|[Gg]overnment|[Pp]residen(?:cy|t)|[Cc]abinet|[Pp]arliament|[Kk]ingdom|"
    r"[Pp]rime [Mm]inister|[Ss]tate [Mm]inister|[Pp]ermanent [Ss]ecretary|[Oo]pposition|[Cc]orrectional|"
    r"[Dd]epartment of)\b")
def dateline_country(text: str) -> str | None:
    """The country of a dateline such as "KAMPALA, Aug 21 —" or "MBABANE, Eswatini (Wire) —"."""
    lex = lexicon()
    # "Dakar: ..." is where a wire was filed, often far from its story; it says nothing of the speakers
    for m in [m for m in segment.datelines(text) if m.re is not segment.CITY_COLON][:1]:
        if m.group(2) and m.group(2).strip() in lex.countries:
            return lex.countries[m.group(2).strip()]
        city = m.group(1).strip().title()
        return lex.capitals.get(city) or lex.countries.get(city)
    return None


def _appositive(text: str, start: int, end: int) -> str:
    """The description beside a mention: "Kosovo's foreign minister, [Donika Gervalla-Schwarz]," or
    "[Sibusiso Dlamini], who leads a coalition in Manzini,"."""
    # after a name, an appositive opens like a noun phrase (", the foreign minister,"), not a predicate
    after = re.match(r"\s*,((?:\s*(?:the|a|an|who|whose|one|[A-Z]|\w+[’']s)\b)[^,.“”\"]{3,150})[,.]", text[end:end + 160])
    before = re.search(r"(?:^|[.,;“”\"\n])([^.,;“”\"\n]{3,80}),\s*$", text[max(0, start - 90):start])
    return " ".join(m.group(1) for m in (before, after) if m)


def _country_in_description(description: str, discourse: "Discourse", at: int) -> str | None:
    lex = lexicon()
    for rx, table in ((lex.country_re, lex.countries), (lex.capital_re, lex.capitals), (lex.demonym_re, lex.demonyms)):
        hit = rx.search(description)
        if hit:
            return table[hit.group(0)]
    known = _known_actor_in(description)  # "principal deputy spokesperson for the State Department"
    if known and known[0].country:
        return known[0].country
    if _US_OFFICE.search(description):
        return "US"
    if _FOREIGN_STATE_WORDS.search(description):
        return discourse.dateline or discourse.last_country(at)
    return None


def resolve(mention: Mention, discourse: Discourse) -> Speaker:
    """Turn a mention into a speaker, using the gazetteer and what was said before; a speaker of
    unknown country takes it from its appositive, or, for a foreign state's organ or official
    ("the Ministry of Foreign Affairs", "Government spokesperson"), from the report's context."""
    speaker = _resolve(mention, discourse)
    description = _appositive(discourse.text, *mention.span) if speaker.person and not speaker.anonymous else ""
    titles = _titles(mention.text, description)
    if titles - speaker.titles and speaker.person:
        speaker.titles = speaker.titles | titles  # the same person, better known now
    if speaker.country is not None or speaker.kind in ("international_org",):
        return speaker
    country = None
    if description:
        country = _country_in_description(description, discourse, mention.span[0])
    inferred = country is None
    if country is None and _FOREIGN_STATE_WORDS.search(mention.text) and speaker.kind != "lawyer":
        country = discourse.dateline or discourse.last_country(mention.span[0]) or discourse.next_country(mention.span[1])
    if country is None and _US_OFFICE.search(mention.text):
        country = "US"  # "Sen. Jeanne Shaheen", "Solicitor General John Sauer", "a congressional aide"
    if country is None and speaker.kind in ("official", "government") and not speaker.anonymous:
        country = discourse.dateline
    if country is None and speaker.kind == "court" and not _PARTY_FILING.search(speaker.name):
        # "the court", "Judge Katsas": the country of the last court the text placed ("Ghana's Supreme
        # Court"), else the deporting country's
        country = discourse.court_country(mention.span[0]) or deporting_country(discourse.text)
    if country is None:
        return speaker
    speaker.country = country  # known now: the same speaker, wherever it is named again
    speaker.inferred = inferred
    return speaker


_THIRD_PERSON_STATE = r"(?:government|people|authorities|leaders?|kingdom)\s+of\s+(?:the\s+)?"


def own_country_check(text: str, statements) -> None:
    """A speaker whose country was guessed from context, but who speaks of "the government of X"
    or thanks X, is not of X (a minister abroad): take the report's most named other country."""
    counts = place_index(text).counts()
    for st in statements:
        speaker = st.speaker
        if not speaker.inferred or speaker.country is None or speaker.kind == "court":
            continue
        cs, ce = st.content_span
        own = speaker.country
        if any(code == own and re.search(_THIRD_PERSON_STATE + r"$|\b(?:thank\w*|grateful to|gratitude to)\b[^.]{0,40}$",
                                         text[max(cs, ps - 60):ps], re.I)
               for code, ps, _ in place_index(text).within(cs, ce)):
            others = {c: n for c, n in counts.items() if c not in (own, "US")}
            if others:
                speaker.country = max(others, key=others.get)


def _resolve(mention: Mention, discourse: Discourse) -> Speaker:
    lex = lexicon()
    raw = mention.text.strip().strip(",")
    low = raw.lower()
    if low in _PRONOUNS:
        sort = _PRONOUNS[low]
        found = {
            "person": lambda s: s.person and not s.plural,
            "thing": lambda s: not s.person,
            "plural": lambda s: s.plural or not s.person,
        }[sort]
        antecedent = discourse.last(found)
        if antecedent:
            return antecedent
        return Speaker(raw, "other", None, False, sort == "person", sort == "plural")
    name = _strip_determiner(raw)
    words = name.split()
    head_word = re.split(r"\s+(?:with|familiar|briefed|close|involved|who|from|at|in|for|representing)\b", name)[0]
    head = head_word.split()[-1].lower() if head_word.split() else low
    of_role = re.match(r"^(?:[\w’'-]+\s+){0,2}?([\w’'-]+)\s+of\b", name)
    if of_role and of_role.group(1).lower() in lex.roles and not lex.roles[of_role.group(1).lower()][1]:
        head = of_role.group(1).lower()  # "Government of Rwanda", "Ministry of Foreign Affairs"
    role = lex.roles.get(head)
    known = _known_actor_in(name)
    definite = re.match(r"^the\s+", raw, re.I) is not None
    if known and role and role[1] and known[1] > len(head_word):
        # "A spokesperson for the UN refugee agency": an unnamed person speaking for a known body
        actor = known[0]
        return Speaker(name, role[0], actor.country, True, True, head.endswith("s"))
    if known:
        actor, k_start, k_end = known
        trailing = re.sub(r"^(?:[’']s?)?\s*", "", name[k_end:]).strip()
        trailing_role = lex.roles.get(trailing.split()[-1].lower()) if trailing else None
        if trailing_role and trailing_role[1] and not actor.role:
            # "A State Department spokesperson": an unnamed person speaking for a known body
            person_name = _person_name(trailing.split())
            if person_name:
                return Speaker(person_name, trailing_role[0], actor.country, False, True)
            return Speaker(name, trailing_role[0], actor.country, True, True, head.endswith("s"))
        if trailing and not actor.role and _person_name(trailing.split()):
            return Speaker(_person_name(trailing.split()), "official", actor.country, False, True)
        return Speaker(actor.name, actor.kind, actor.country, False, actor.role is not None)
    if role:
        kind, is_person = role
        if definite and len(words) <= 2:
            antecedent = _definite_role(head, discourse, kind, is_person)
            if antecedent:
                return antecedent
        country = _country_in(raw)
        if country is None and re.search(r"\b(?:country|kingdom|nation|island|republic|state)[’']s\b", raw):
            country = discourse.last_country(mention.span[0])
        if is_person:
            named = _person_name(head_word.split())
            if named and named.split()[-1].lower() != head:
                return Speaker(named, kind, country, False, True)
            anonymous = kind in ("unnamed", "official", "other", "military")
            return Speaker(name, "unnamed" if kind == "unnamed" else kind, country, anonymous, True, head.endswith("s"))
        return Speaker(name, kind, country, False, False)
    if name in lex.countries:
        return Speaker(name, "government", lex.countries[name], False, False)  # "Eswatini said": its government
    if name in lex.capitals:
        return Speaker(name, "government", lex.capitals[name], False, False)  # "Caracas accused Washington"
    named = _person_name(words)
    if named:
        single = len(named.split()) == 1
        if single:
            surname = named
            antecedent = discourse.last(lambda s: s.person and not s.anonymous and s.name.split()[-1] == surname)
            if antecedent:
                return antecedent
        title_words = [w.lower() for w in words[: len(words) - len(named.split())]]
        kind = "official" if any(w in _TITLES for w in title_words) else "other"
        if any(w in ("judge", "justice", "judges", "justices") for w in title_words):
            kind = "court"
        country = _country_in(" ".join(words[: len(words) - len(named.split())]))
        return Speaker(named, kind, country, False, True)
    return Speaker(name, "other", _country_in(raw), False, False)
