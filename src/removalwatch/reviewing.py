"""A reviewer's decision on a statement, a claim or a claim-flight link: checked, recorded with its
audit entry, and applied to the document's extraction in the same transaction."""

from __future__ import annotations

import datetime as dt
import re
from typing import get_args

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select

from removalwatch.domain import Claim, Stance
from removalwatch.errors import InputError
from removalwatch.evidence.review import (
    STATEMENT_FIELDS, VERDICTS, Review, claim_view, link_item, statement_view,
)
from removalwatch.store.extractions import reapply_reviews, write_extraction
from removalwatch.store.reviews import read_reviews, record_review

_CLAIM = TypeAdapter(Claim)


def review(rw, reviewer: str, kind: str, item_id, verdict: str, *, corrected: dict, note: str | None) -> Review:
    if verdict not in VERDICTS:
        raise InputError("review", f"expected one of {', '.join(VERDICTS)}", field="verdict")
    if (verdict == "corrected") != bool(corrected):
        raise InputError("review", "a correction names the fields it sets; a confirmation or rejection sets none",
                         field="corrected")
    if kind == "statement":
        item, document_id, current = _statement(rw, item_id, corrected)
    elif kind == "claim":
        item, document_id, current = _claim(rw, item_id, corrected)
    elif kind == "link":
        if corrected:
            raise InputError("review", "a link is confirmed or rejected, not corrected", field="corrected")
        item, document_id, current = _link(rw, *item_id)
    else:
        raise InputError("review", "expected statement, claim or link", field="kind")
    prior = read_reviews(rw.engine, items=[item]).get(item)
    said = (prior.engine_now or prior.engine_said) if prior else current  # the engine's, not a correction's
    decision = Review(item, kind, document_id, verdict, corrected, said, said, note or None, reviewer,
                      dt.datetime.now(dt.timezone.utc))
    # A first decision, or one more on top of a confirmation, is applied to the stored rows (ids stay);
    # undoing a rejection or a correction needs the engine's reading back: the document is read again.
    undoing = prior is not None and prior.verdict != "confirmed"
    return record_review(rw.engine, decision, rewrite=_reextract if undoing else reapply_reviews)


def _reextract(conn, document_id: int) -> None:
    from removalwatch.domain import Document
    from removalwatch.reports.ingest import extraction_of
    from removalwatch.store.schema import documents
    row = conn.execute(select(documents).where(documents.c.id == document_id)).mappings().one()
    write_extraction(conn, document_id, *extraction_of(Document(**{k: v for k, v in row.items() if k != "added_at"})))


def _statement(rw, statement_id: int, corrected: dict):
    found = rw.statements(ids=[statement_id])
    if not found:
        raise InputError("review", f"no statement {statement_id}", field="id")
    st = found[0]
    unknown = set(corrected) - set(STATEMENT_FIELDS)
    if unknown:
        raise InputError("review", f"a statement's {', '.join(STATEMENT_FIELDS)} can be corrected, not "
                                   f"{', '.join(sorted(unknown))}", field="corrected")
    if "stance" in corrected and corrected["stance"] not in get_args(Stance):
        raise InputError("review", f"stance: one of {', '.join(get_args(Stance))}", field="corrected")
    if "speaker" in corrected and not str(corrected["speaker"] or "").strip():
        raise InputError("review", "speaker: a name", field="corrected")
    if corrected.get("speaker_country") is not None and not re.fullmatch(r"[A-Z]{2}", str(corrected["speaker_country"])):
        raise InputError("review", "speaker_country: an ISO 3166 code such as LY, or empty", field="corrected")
    view = statement_view(st.speaker, st.speaker_country, st.stance, st.cue, st.content)
    return st.item, st.document_id, view


def _claim(rw, claim_id: int, corrected: dict):
    found = rw.claims(claim_id=claim_id)
    if not found:
        raise InputError("review", f"no claim {claim_id}", field="id")
    claim = found[0]
    unknown = set(corrected) - set(claim.attributes)
    if unknown:
        raise InputError("review", f"a {claim.type} claim has no field {', '.join(sorted(unknown))}",
                         field="corrected")
    try:
        checked = _CLAIM.validate_python({"id": "c1", "span": claim.span, "type": claim.type, **claim.attributes,
                                          **corrected}).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError("review", f"{'.'.join(map(str, first['loc'][1:]))}: {first['msg']}",
                         field="corrected") from None
    corrected.update({k: checked[k] for k in corrected})  # as the model has them: "12" → 12, duplicates gone
    return claim.item, claim.document_id, claim_view(claim.type, claim.attributes)


def _link(rw, event_id: int, flight_id: int):
    for link in rw.links():
        if link.event.id == event_id and link.flight.id == flight_id:
            item = link_item(link.event.type, link.event.key, link.flight.source, link.flight.leg_key)
            return item, None, {"score": round(link.score, 3), "reasons": link.reasons}
    raise InputError("review", f"no link between event {event_id} and flight {flight_id}", field="id")
