"""The quality bar, measured on gold files: the real-report development set when its texts are in
the local cache (eval/real/README.md says how to make it), else the team's own reports."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from removalwatch.reports.extract import extract
from tests.conftest import PROJECT, SHARED
from tests.gold import score

_spec = importlib.util.spec_from_file_location("check_cache", PROJECT / "eval" / "real" / "check_cache.py")
check_cache = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_cache)

REAL = sorted((PROJECT / "eval" / "real").glob("round-*/*.gold.json"))
TEAM = sorted((PROJECT / "eval" / "dev").glob("*.gold.json"))


def engine(text: str) -> dict:
    return extract(text).to_json_dict()


def real_reports_cached() -> bool:
    return all(state == "ok" for state in check_cache.check(check_cache.default_cache()).values())


def test_quality_bar():
    """The issue's goals: on real reports statement F1 >= 0.85, stance >= 0.90, claim F1 >= 0.80,
    overall >= 0.85; on the team's own reports statement F1 >= 0.90 and claim F1 >= 0.85."""
    if real_reports_cached():
        scores = score(REAL, engine, check_cache.default_cache())
        assert scores["documents"] == len(REAL) >= 40
        assert scores["statement_f1"] >= 0.85, scores
        assert scores["stance"] >= 0.90, scores
        assert scores["claim_f1"] >= 0.80, scores
        assert scores["overall_f1"] >= 0.85, scores
    else:
        scores = score(TEAM, engine)
        assert scores["documents"] == len(TEAM) >= 20
        assert scores["statement_f1"] >= 0.90, scores
        assert scores["stance"] >= 0.90, scores
        assert scores["claim_f1"] >= 0.85, scores
        assert scores["attributes"] >= 0.85, scores


def test_team_reports_stay_at_their_bar():
    scores = score(TEAM, engine)
    assert scores["statement_f1"] >= 0.90 and scores["claim_f1"] >= 0.85, scores


def test_gold_scoring_agrees_with_the_shared_scorer(tmp_path):
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip("the team's shared scorer is only on the team's machines; tests/gold.py stands in for it")
    predictions = tmp_path / "pred"
    predictions.mkdir()
    for gold_file in TEAM:
        text = (gold_file.parent / json.loads(gold_file.read_text())["doc"]).read_text(encoding="utf-8")
        (predictions / gold_file.name.replace(".gold.json", ".json")).write_text(json.dumps(engine(text)))
    result = subprocess.run([sys.executable, str(scorer), "--gold", str(PROJECT / "eval" / "dev"),
                             "--pred", str(predictions), "--json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    theirs = json.loads(result.stdout)
    ours = score(TEAM, engine)
    assert abs(theirs["statements"]["f1"] - ours["statement_f1"]) < 1e-9
    assert abs(theirs["claims"]["f1"] - ours["claim_f1"]) < 1e-9
    assert abs(theirs["stance_accuracy"] - ours["stance"]) < 1e-9
    assert abs(theirs["claim_attribute_accuracy"] - ours["attributes"]) < 1e-9


def test_a_wrong_speaker_or_a_missing_claim_lowers_the_score(tmp_path):
    """The scorer itself: it must be able to fail."""
    text = "The ministry said it denied any deal with the United States."
    gold = {"doc": "r.txt", "statements": [{"anchor": "The ministry said", "speaker": {"aliases": ["ministry"], "country": None},
                                            "stance": ["deny"], "about": [0]}],
            "claims": [{"type": "agreement", "key": {"parties": ["LY", "US"]}, "attrs": {}}]}
    (tmp_path / "r.txt").write_text(text)
    (tmp_path / "r.gold.json").write_text(json.dumps(gold))
    right = {"statements": [{"span": [0, len(text)], "speaker": {"name": "the Ministry"}, "stance": "deny",
                             "claims": ["c1"]}],
             "claims": [{"id": "c1", "type": "agreement", "parties": ["US", "LY"]}]}
    wrong = {"statements": [{"span": [0, len(text)], "speaker": {"name": "the embassy"}, "stance": "deny", "claims": []}],
             "claims": []}
    assert score([tmp_path / "r.gold.json"], lambda _: right)["overall_f1"] == 1.0
    assert score([tmp_path / "r.gold.json"], lambda _: wrong)["overall_f1"] == 0.0
