"""What people decided about the engine's output, applied to it.

A reviewer confirms, rejects or corrects a statement, a claim or a claim-flight link. The review is
kept apart from the extraction, under a name that survives re-extraction (the document and the
span, not a row id), and applied to every new extraction of that document: a corrected field keeps
the reviewer's value, a rejected statement supports no claim, a rejected claim joins no event. When a
newer engine reads the item differently from what the reviewer saw, that is a conflict, shown beside
the review, never settled silently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from removalwatch.domain import Extraction
from removalwatch.reports.extract.claims import REGISTRY

Verdict = Literal["confirmed", "rejected", "corrected"]
VERDICTS = ("confirmed", "rejected", "corrected")
STATEMENT_FIELDS = ("speaker", "speaker_country", "stance")  # what a reviewer may correct


@dataclass(frozen=True)
class Review:
    item: str
    kind: str  # statement, claim, link
    document_id: int | None
    verdict: Verdict
    corrected: dict
    engine_said: dict  # the item when it was reviewed
    engine_now: dict  # the item in the latest extraction; {} when the engine no longer finds it
    note: str | None
    reviewer: str
    reviewed: object  # datetime

    @property
    def conflict(self) -> str | None:
        """How the engine's reading changed since the review, if it did."""
        if not self.engine_now and self.kind != "link":
            return "the current engine no longer finds this item"
        changed = sorted(k for k in set(self.engine_said) | set(self.engine_now)
                         if self.engine_said.get(k) != self.engine_now.get(k))
        if not changed:
            return None
        return "the current engine reads it differently: " + "; ".join(
            f"{k} {self.engine_said.get(k)!r} → {self.engine_now.get(k)!r}" for k in changed)


# An item's name is made from the engine's own reading (never a reviewer's correction) and is
# stored with the row. One sentence can hold two statements (two speakers) or two claims (flights
# to two countries) with the same span: the words said, and what makes a claim its event, tell them apart.

def statement_item(document_id: int, span, content: str) -> str:
    return f"statement:{document_id}:{span[0]}-{span[1]}:{hashlib.sha256(content.encode()).hexdigest()[:12]}"


def claim_item(document_id: int, claim_type: str, span, attributes: dict) -> str:
    key = REGISTRY[claim_type].event_key(attributes) if claim_type in REGISTRY else None
    return f"claim:{document_id}:{claim_type}:{span[0]}-{span[1]}:{key or '-'}"


def link_item(event_type: str, event_key: str, flight_source: str, leg_key: str) -> str:
    return f"link:{event_type}:{event_key}|{flight_source}:{leg_key}"


def statement_view(speaker: str, speaker_country: str | None, stance: str, cue: str | None, content: str) -> dict:
    return {"speaker": speaker, "speaker_country": speaker_country, "stance": stance, "cue": cue, "content": content}


def claim_view(claim_type: str, attributes: dict) -> dict:
    return {"type": claim_type, **attributes}


def items_of(document_id: int, extraction: Extraction) -> dict[str, str]:
    """The item name of each statement and claim of an extraction, by its id in the extraction."""
    names = {st.id: statement_item(document_id, st.span, st.content) for st in extraction.statements}
    names.update({c.id: claim_item(document_id, c.type, c.span, _attributes(c)) for c in extraction.claims})
    return names


def _attributes(claim) -> dict:
    return claim.model_dump(mode="json", exclude={"id", "span", "type"})


def apply_reviews(document_id: int, extraction: Extraction, reviews: dict[str, Review]
                  ) -> tuple[Extraction, dict[str, dict], set[str]]:
    """The extraction with the reviews applied, what the engine itself now says of each reviewed
    item (for `engine_now`), and the ids of the claims a reviewer rejected (kept with the statements
    that made them, to be shown as rejected, but filed into no event)."""
    now: dict[str, dict] = {item: {} for item in reviews}
    names = items_of(document_id, extraction)
    claims, rejected_claims = [], set()
    for claim in extraction.claims:
        item = names[claim.id]
        review = reviews.get(item)
        if review is None:
            claims.append(claim)
            continue
        now[item] = claim_view(claim.type, _attributes(claim))
        if review.verdict == "rejected":
            rejected_claims.add(claim.id)
            claims.append(claim)
        elif review.corrected:
            claims.append(claim.model_validate({**claim.model_dump(), **review.corrected}))
        else:
            claims.append(claim)
    statements = []
    for st in extraction.statements:
        item = names[st.id]
        review = reviews.get(item)
        if review is not None:
            now[item] = statement_view(st.speaker.name, st.speaker.country, st.stance, st.cue, st.content)
            if review.verdict == "rejected":
                st = st.model_copy(update={"claims": []})
            elif review.corrected:
                fix = review.corrected
                speaker = {**st.speaker.model_dump(), **({"name": fix["speaker"]} if "speaker" in fix else {}),
                           **({"country": fix["speaker_country"]} if "speaker_country" in fix else {})}
                st = st.model_validate({**st.model_dump(), "speaker": speaker, "stance": fix.get("stance", st.stance)})
        statements.append(st)
    return extraction.model_copy(update={"statements": statements, "claims": claims}), now, rejected_claims
