"""The domain vocabulary validates what the public format promises."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

import removalwatch
from removalwatch.domain import Extraction
from tests.conftest import PROJECT


def test_public_surface_is_the_library_face_the_domain_vocabulary_and_its_errors():
    namespace: dict = {}
    exec("from removalwatch import *", namespace)
    public = {name for name in namespace if not name.startswith("__")}
    assert public == {"RemovalWatch", "Actor", "Alert", "Claim", "Document", "Extraction", "Flight", "Link",
                      "Position", "Statement", "InputError", "RemovalWatchError", "SourceRefused", "StoreError"}
    assert all(issubclass(namespace[name], removalwatch.RemovalWatchError)
               for name in ("InputError", "SourceRefused", "StoreError"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", removalwatch.__version__)


def test_the_documented_example_is_a_valid_extraction():
    doc = (PROJECT / "docs" / "extraction.md").read_text()
    example = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))
    extraction = Extraction.model_validate(example)
    assert extraction.to_json_dict() == Extraction.model_validate(extraction.to_json_dict()).to_json_dict()
    assert extraction.to_json_dict()["schema"] == "removalwatch.extraction/1"
    assert extraction.statements[0].speaker.country == "LY"
    assert [c.parties for c in extraction.claims if c.type == "agreement"] == [["LY", "US"]]


def minimal(**changes):
    doc = {"schema": "removalwatch.extraction/1", "document": {"sha256": "0" * 64},
           "statements": [{"id": "s1", "speaker": {"name": "GNU", "kind": "government", "country": "LY"},
                           "cue": "said", "mode": "direct", "content": "no", "stance": "deny",
                           "claims": ["c1"], "span": [0, 10]}],
           "claims": [{"id": "c1", "type": "agreement", "parties": ["US", "LY"], "span": [0, 10]}]}
    doc.update(changes)
    return doc


def test_parties_are_sorted_and_unique():
    e = Extraction.model_validate(minimal())
    assert e.claims[0].parties == ["LY", "US"]


@pytest.mark.parametrize("changes, problem", [
    ({"claims": []}, "unknown claims"),
    ({"schema": "removalwatch.extraction/2"}, "schema"),
    ({"claims": [{"id": "c1", "type": "agreement", "parties": ["US"], "span": [10, 2]}]}, "start <= end"),
    ({"claims": [{"id": "c1", "type": "visa", "span": [0, 1]}]}, "type"),
    ({"claims": [{"id": "c1", "type": "removal_flight", "status": "rumoured", "span": [0, 1]}]}, "status"),
    ({"claims": [{"id": "c1", "type": "removal_flight", "status": "planned", "destination": "Libya", "span": [0, 1]}]}, "destination"),
])
def test_invalid_extractions_are_rejected_naming_the_field(changes, problem):
    with pytest.raises(ValidationError) as info:
        Extraction.model_validate(minimal(**changes))
    assert problem in str(info.value)
