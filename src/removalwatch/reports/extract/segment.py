"""Paragraphs, sentences and quotations, as character spans of the text.

All three are found by regular expressions over the whole text, so their cost
is a few passes in C, not a loop over tokens.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# "KAMPALA, Aug 21 —", "MBABANE, Eswatini (Wire) —", "DAKAR, Senegal —": where a report was filed.
DATELINE = re.compile(r"^[ \t]*([A-Z][A-Z .'’-]{2,40}?)(?:,[ \t]*([A-Z][\w ]{2,30}?))?[ \t]*"
                      r"(?:,[ \t]*[A-Z][a-z]{2,4}\.? \d{1,2})?[ \t]*(?:\([^)\n]{1,30}\))?[ \t]*[—–-]", re.M)


# "Islamabad, August 02, 2013 (PPI-OT):": a city in title case with a full date
DATED_LINE = re.compile(r"^[ \t]*([A-Z][\w .'’-]{2,30}?),[ \t]+([A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},?[ \t]+\d{4})[ \t]*"
                        r"(?:\([^)\n]{1,30}\))?[ \t]*[:—–-]", re.M)


# "Dakar: Burkina Faso says ...", also after a date stamp ("2025-10-11 Dakar:"): a city and a colon
CITY_COLON = re.compile(r"^[ \t]*(?:(?:\w+[ \t]+)?\d{4}-\d{2}-\d{2}[ \t]+)?([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,2})"
                        r"[ \t]*:[ \t]+(?=[A-Z])", re.M)


def datelines(text: str) -> list[re.Match]:
    """The datelines opening the first lines of a text."""
    head = text[:len("\n".join(text.splitlines()[:6]))]
    return sorted([*DATELINE.finditer(head), *DATED_LINE.finditer(head), *CITY_COLON.finditer(head)],
                  key=lambda m: m.start())


# Words whose trailing dot does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "maj", "adm",
    "st", "jr", "sr", "no", "vs", "v", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "pres", "sec", "dept", "est", "approx", "fig",
    "a.m", "p.m", "e.g", "i.e", "etc", "u.s", "u.n", "u.k", "e.u", "d.c", "hon", "amb", "rt", "rev", "fr",
}
# After these, an abbreviation such as "U.S." does end the sentence.
_SENTENCE_STARTERS = {
    "The", "A", "An", "It", "He", "She", "They", "We", "I", "But", "And", "In", "On", "At", "This", "That",
    "These", "Those", "There", "His", "Her", "Their", "Its", "Our", "As", "After", "Before", "When", "While",
    "However", "Meanwhile", "Still", "Yet", "Some", "Many", "Most", "One", "Two", "According", "Under", "Since",
    "During", "Despite", "Although", "Though", "If", "For", "From", "With", "Without", "Among", "Until", "Unlike",
    "Last", "Earlier", "Later", "Then", "Now", "Today", "Yesterday", "Both", "Each", "Every", "Several", "Such",
    "Other", "Neither", "No", "So", "Also", "What", "Why", "How", "Who", "Where", "You", "My", "Your", "Officials",
    "Critics",
}

_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]*[A-Z0-9$])|[.!?]+[\"”’')\]]*$")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_WORD_AFTER = re.compile(r"\s+[\"“‘'(\[]*(\w+)")
_PARAGRAPH = re.compile(r"[^\n]+")
_CAPTION = re.compile(
    r"\|\s*(?:Getty|AFP|Afp|AP|Reuters|EPA|Bloomberg|NurPhoto|Anadolu|Sipa)"
    r"|(?:Getty Images|AP Photo|Photo:|Photograph:|Image:)"
    r"|^\s*(?:By|Reporting by|Writing by|Editing by)\s+[A-Z]"
    r"|^\s*(?:ADVERTISEMENT|Advertisement|READ MORE|Read more|Read More|SUBSCRIBE|Subscribe|Share this|"
    r"Related(?: Stories)?:?)"
    r"\s*$"  # page furniture
)


@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int    # just after the closing mark (or the paragraph end when unclosed)
    closed: bool
    mark_width: int = 1  # 2 for a '' quotation

    @property
    def inner(self) -> tuple[int, int]:
        return (self.start + self.mark_width, self.end - self.mark_width if self.closed else self.end)


_OPEN_END = re.compile(r"[\w,;’'\-–—(]$")        # a line that stops mid-sentence
_CONTINUES = re.compile(r"[a-z0-9(“\"‘'«]")          # a line that carries on the sentence before it
# a line ending in a word no sentence ends with: "... from the United States to⏎Costa Rica"
_DANGLING = re.compile(r"\b(?:to|of|the|a|an|in|from|and|or|for|with|by|at|on|into|as|than)$")


def _hard_wrapped(lines: list[tuple[int, int]], text: str) -> bool:
    """Text wrapped at a fixed width: most lines long and ending mid-sentence."""
    if len(lines) < 5:
        return False
    wrapped = sum(1 for s, e in lines if 45 <= e - s <= 100 and _OPEN_END.search(text, s, e))
    return wrapped >= 0.5 * len(lines)


@functools.lru_cache(maxsize=8)
def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs: lines of text, with a line broken mid-sentence joined to the next ("deported at
    least⏎six class members"; a quotation broken by a blank line; a quotation after a colon). Text wrapped at a fixed width
    is read by blank-line-separated blocks."""
    lines = _lines(text)
    if _hard_wrapped(lines, text):
        # A line was wrapped when it stops mid-sentence or when the next line's first word would not
        # have fitted on it ("... that the U.S.⏎Supreme Court ruled").
        width = sorted(e - s for s, e in lines)[int(len(lines) * 0.95)]
        blocks: list[tuple[int, int]] = []
        for (s, e), previous in zip(lines, [None, *lines]):
            if blocks and "\n\n" not in text[blocks[-1][1]:s] and (
                    _OPEN_END.search(text, blocks[-1][0], blocks[-1][1])
                    or previous[1] - previous[0] + 1 + len(text[s:e].split(" ", 1)[0]) > width):
                blocks[-1] = (blocks[-1][0], e)
            else:
                blocks.append((s, e))
        return blocks
    spans: list[tuple[int, int]] = []
    for start, end in lines:
        if spans and (_OPEN_END.search(text, spans[-1][0], spans[-1][1]) and _CONTINUES.match(text, start)
                      and text[start].islower()
                      or _DANGLING.search(text, spans[-1][0], spans[-1][1]) and text[start].isalnum()
                      or text[spans[-1][1] - 1] == ":" and text[start] in "“\"‘'"):  # 'stating:⏎"..."'
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _PARAGRAPH.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def is_caption(text: str, span: tuple[int, int]) -> bool:
    """Photo credits, captions and bylines: lines that carry no statements."""
    line = text[span[0]:span[1]]
    return bool(_CAPTION.search(line)) or (len(line) < 120 and line.count("|") >= 1 and "said" not in line)


def is_heading(text: str, span: tuple[int, int], near_top: bool) -> bool:
    """A headline, a dateline or a question used as a subheading: no statements there (the body
    carries them, and a headline's "X says" only repeats it)."""
    line = text[span[0]:span[1]].rstrip()
    if line.endswith("?") and len(line) < 120:
        return True
    return near_top and len(line) < 200 and not re.search(r"[.!?:][\"”’']*$", line)


def sentences(text: str, paragraph: tuple[int, int]) -> list[tuple[int, int]]:
    start, end = paragraph
    chunk = text[start:end]
    spans, begin = [], 0
    for m in _END.finditer(chunk):
        if m.end() != len(chunk) and m.group(0)[0] == ".":
            word = _WORD_BEFORE.search(chunk, max(0, m.start() - 40), m.start())
            token = word.group(1).lower() if word else ""
            nxt = _WORD_AFTER.match(chunk, m.end())
            if token == "no" and not (nxt and nxt.group(1)[0].isdigit()):
                token = ""  # "said no." ends a sentence; "No. 5" does not
            initials = re.fullmatch(r"(?:[a-z]\.)+[a-z]", token) and token not in ("u.s", "u.n", "u.k", "e.u", "d.c")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or initials:  # "Olivier J.P. Nduhungirehe"
                if not (nxt and nxt.group(1) in _SENTENCE_STARTERS and token in {"u.s", "u.n", "u.k", "e.u", "d.c"}):
                    continue
        spans.append((start + begin, start + m.end()))
        begin = m.end()
        while begin < len(chunk) and chunk[begin].isspace():
            begin += 1
    if begin < len(chunk):
        spans.append((start + begin, end))
    return [piece for span in spans for piece in _bounded(text, span)]


MAX_SENTENCE = 2000


def _bounded(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """A run-on "sentence" (a table, a text with no full stops) cut at spaces into pieces of at most
    MAX_SENTENCE characters, so no step downstream works on more than that at once."""
    start, end = span
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


_QUOTE_MARK = re.compile(r"''|[\"“”]")  # '' is how some wires write a straight double quote


def quotes(text: str, paragraph: tuple[int, int]) -> list[Quote]:
    """Double-quoted passages in one paragraph. Curly marks say which way they face; straight
    marks alternate. A quotation still open at the paragraph's end runs to it (news style for a
    quotation that continues in the next paragraph)."""
    found: list[Quote] = []
    open_at: int | None = None
    for m in _QUOTE_MARK.finditer(text, paragraph[0], paragraph[1]):
        mark, i = m.group(0), m.start()
        if mark == "''":
            mark = '"'
        width = m.end() - m.start()
        if open_at is None:
            if mark != "”":  # a stray closing mark opens nothing
                open_at = i
        elif mark == "“":
            open_at = i  # a new opening mark before a close: the earlier one was unbalanced
        else:
            found.append(Quote(open_at, i + width, True, width))
            open_at = None
    if open_at is not None and paragraph[1] - open_at > 1:
        found.append(Quote(open_at, paragraph[1], False, 2 if text.startswith("''", open_at) else 1))
    return found
