"""Ingest in real processes: killed half-way, or two at once on one SQLite store."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from removalwatch.config import DATABASE_FILE

pytestmark = pytest.mark.slow


def write_reports(folder, count, start=0):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        (folder / f"report-{i:05d}.txt").write_text(
            f"Report {i}. Two officials said a removal flight numbered {i} is planned. " * 20, encoding="utf-8")


def ingest(home, folder, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "removalwatch", "reports", "add", str(folder), "--home", str(home), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={k: v for k, v in os.environ.items() if k != "REMOVALWATCH_DATABASE_URL"}, **kwargs)


def count_documents(db):
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_ingest_killed_half_way_keeps_the_store_consistent_and_a_rerun_completes_it(tmp_path):
    total = 4000
    folder, home = tmp_path / "reports", tmp_path / "home"
    write_reports(folder, total)
    db = home / DATABASE_FILE
    proc = ingest(home, folder)
    deadline = time.monotonic() + 60
    while count_documents(db) < 300 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = count_documents(db)
    assert 0 < before < total, f"the kill landed outside the ingest ({before} of {total} stored)"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        n, distinct = conn.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone()
        assert n == distinct

    rerun = ingest(home, folder)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    statuses = [row["status"] for row in json.loads(stdout)]
    assert statuses.count("exists") == before
    assert statuses.count("added") == total - before
    assert count_documents(db) == total


def test_two_ingests_at_once_share_the_store_without_errors_or_duplicates(tmp_path):
    home = tmp_path / "home"
    write_reports(tmp_path / "a", 300, start=0)
    write_reports(tmp_path / "b", 300, start=200)  # 100 reports in both folders
    procs = [ingest(home, tmp_path / "a"), ingest(home, tmp_path / "b")]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (stdout, stderr) in zip(procs, outputs):
        assert proc.returncode == 0, stderr
    rows = [row for stdout, _ in outputs for row in json.loads(stdout)]
    assert sum(r["status"] == "added" for r in rows) == 500
    assert sum(r["status"] == "exists" for r in rows) == 100
    assert count_documents(home / DATABASE_FILE) == 500
