"""`removalwatch reports add`: files, directories, URLs and feeds in; each text stored once; bad input named."""

from __future__ import annotations

import http.server
import json
import threading

import pytest
from typer.testing import CliRunner

from removalwatch.cli import app
from tests.conftest import shared_path

runner = CliRunner()

ARTICLE = """<!doctype html><html><head><title>Deportees flown to third country</title>
<meta property="og:site_name" content="Test Wire"><meta property="article:published_time" content="2025-06-02">
<script>document.write("tracking")</script></head><body><nav>Home | World</nav><article>
<p>A charter flight carrying deportees left Texas for South Sudan on Tuesday, two officials said.</p>
<p>The foreign ministry of South Sudan said it had not agreed to receive people of other nationalities.</p>
</article></body></html>"""

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>
<item><title>First item</title><link>https://example.org/1</link><pubDate>Tue, 03 Jun 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Officials said a removal flight to Eswatini landed on Monday.&lt;/p&gt;</description></item>
<item><title>Empty item</title><link>https://example.org/2</link><description></description></item>
</channel></rss>"""


def add(*args: str):
    return runner.invoke(app, ["reports", "add", *args, "--json"])


def stored(home_dir) -> list[dict]:
    result = runner.invoke(app, ["reports", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_seed_report_added_twice_is_stored_once(home):
    seeds = shared_path("seeds")
    first = add(str(seeds))
    again = add(str(seeds))
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert [r["status"] for r in json.loads(first.output)] == ["added"]
    assert [r["status"] for r in json.loads(again.output)] == ["exists"]
    docs = stored(home)
    assert len(docs) == 1
    text = (next(seeds.iterdir())).read_text(encoding="utf-8")
    import hashlib
    assert docs[0]["sha256"] == hashlib.sha256(text.encode()).hexdigest()


def test_directory_is_read_recursively_and_hidden_files_skipped(home, tmp_path):
    reports = tmp_path / "reports"
    (reports / "nested").mkdir(parents=True)
    (reports / "a.txt").write_text("The ministry said no agreement exists.\n")
    (reports / "nested" / "b.html").write_text(ARTICLE)
    (reports / ".hidden.txt").write_text("Not to be read.")
    result = add(str(reports))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["status"] for r in rows] == ["added", "added"]
    docs = {d["title"]: d for d in stored(home)}
    html_doc = docs["Deportees flown to third country"]
    assert html_doc["publisher"] == "Test Wire" and html_doc["published"] == "2025-06-02"


def test_a_directory_walk_reads_only_reports_and_lists_the_rest_as_skipped(home, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text("The ministry said no agreement exists.\n")
    (reports / "data.json").write_text('{"statements": []}')
    (reports / "table.csv").write_text("icao24,callsign\n")
    result = add(str(reports))
    assert result.exit_code == 0, result.output
    rows = {r["source"].rsplit("/", 1)[-1]: r for r in json.loads(result.output)}
    assert rows["a.txt"]["status"] == "added"
    assert rows["data.json"]["status"] == rows["table.csv"]["status"] == "skipped"
    assert "not a kind of report RemovalWatch reads (.json)" in rows["data.json"]["message"]
    assert [d["source"].rsplit("/", 1)[-1] for d in stored(home)] == ["a.txt"]
    text = runner.invoke(app, ["reports", "add", str(reports)], env={"COLUMNS": "200"})
    assert text.exit_code == 0 and "0 added, 1 already stored, 2 skipped, 0 errors" in text.output


def test_extract_of_a_directory_says_to_use_reports_add(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 1 and "a directory; `extract` reads one report" in result.output


def test_html_keeps_article_text_and_drops_scripts(home, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(ARTICLE)
    assert add(str(page)).exit_code == 0
    from removalwatch.config import settings
    from removalwatch.store import open_store
    from removalwatch.store.documents import get_document
    doc = get_document(open_store(settings()), stored(home)[0]["id"])
    assert "South Sudan on Tuesday, two officials said." in doc.text
    assert "tracking" not in doc.text and "Home | World" not in doc.text


@pytest.mark.parametrize("name, content, message", [
    ("binary.bin", bytes(range(256)) * 4, "binary file"),
    ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (a PDF)"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\t\n", "empty"),
    ("latin1.txt", "Se\xf1or".encode("latin-1"), "not UTF-8"),
    ("nav.html", b"<html><body><script>var x = 1;</script><nav></nav></body></html>", "no article text"),
    ("broken.rss", b"<?xml version='1.0'?><rss><channel><item><title>x</tit", "malformed feed"),
])
def test_bad_file_gets_a_clear_error_naming_it_and_stores_nothing(home, tmp_path, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    result = add(str(bad))
    assert result.exit_code == 1
    [row] = json.loads(result.stdout)
    assert row["status"] == "error" and row["source"] == str(bad)
    assert message in row["message"]
    assert stored(home) == []


def test_bad_input_does_not_stop_the_good_ones(home, tmp_path):
    (tmp_path / "bad.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / "good.txt").write_text("Officials said the flight left.")
    result = runner.invoke(app, ["reports", "add", str(tmp_path / "bad.bin"), str(tmp_path / "good.txt")])
    assert result.exit_code == 1
    assert "1 added, 0 already stored, 0 skipped, 1 errors" in result.stdout
    assert f"{tmp_path / 'bad.bin'}: binary file" in result.stderr.replace("\n", "")
    assert len(stored(home)) == 1


def test_file_over_the_size_limit_is_refused(home, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Officials said. " * 100)
    result = add(str(big), "--max-bytes", "1000")
    [row] = json.loads(result.stdout)
    assert row["status"] == "error" and "over the limit of 1,000" in row["message"]
    assert stored(home) == []


def test_missing_file_is_named(home, tmp_path):
    result = add(str(tmp_path / "nope.txt"))
    [row] = json.loads(result.stdout)
    assert row["source"].endswith("nope.txt") and "no such file" in row["message"]


def test_feed_entries_become_documents_and_an_empty_entry_is_reported(home, tmp_path):
    feed = tmp_path / "wire.rss"
    feed.write_text(FEED)
    rows = json.loads(add(str(feed)).stdout)
    assert [(r["status"], r["title"]) for r in rows] == [("added", "First item"), ("error", None)]
    assert rows[1]["source"] == f"{feed} entry 2" and "no text" in rows[1]["message"]
    [doc] = stored(home)
    assert (doc["publisher"], doc["published"], doc["source"]) == ("Test Wire", "2025-06-03", "https://example.org/1")


# --- URLs, served by a real HTTP server on loopback ---------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    routes = {
        "/article": ("text/html; charset=utf-8", ARTICLE.encode()),
        "/feed": ("application/rss+xml", FEED.encode()),
        "/big": ("text/plain", b"x" * 50_000),
    }

    def do_GET(self):
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path not in self.routes:
            self.send_error(404)
            return
        content_type, body = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if self.path != "/big":  # /big streams without a length, so the limit must hold while reading
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_loopback_url_is_refused_by_default(home, server):
    result = add(f"{server}/article")
    [row] = json.loads(result.stdout)
    assert result.exit_code == 1 and row["status"] == "error"
    assert "127.0.0.1 is a private, loopback or link-local address" in row["message"]
    assert "--allow-private" in row["message"]
    assert stored(home) == []


@pytest.mark.parametrize("url, message", [
    ("http://169.254.169.254/latest/meta-data", "refused"), ("http://10.0.0.1/", "refused"),
    ("http://[::1]/", "refused"), ("http://localhost/", "refused"), ("ftp://example.org/file", "only http and https"),
])
def test_private_and_non_http_urls_are_refused(home, url, message):
    [row] = json.loads(add(url).stdout)
    assert row["status"] == "error" and row["source"] == url
    assert message in row["message"], row["message"]


def test_url_with_allow_private_is_fetched_and_follows_redirects(home, server):
    rows = json.loads(add(f"{server}/moved", f"{server}/feed", "--allow-private").stdout)
    assert [(r["status"], r["title"]) for r in rows][:2] == [("added", "Deportees flown to third country"),
                                                              ("added", "First item")]
    assert stored(home)[0]["source"] == f"{server}/moved"


def test_download_over_the_size_limit_is_refused(home, server):
    [row] = json.loads(add(f"{server}/big", "--allow-private", "--max-bytes", "10000").stdout)
    assert row["status"] == "error" and "more than the limit of 10,000 bytes" in row["message"]


def test_http_error_is_reported(home, server):
    [row] = json.loads(add(f"{server}/missing", "--allow-private").stdout)
    assert row["status"] == "error" and "HTTP 404" in row["message"]
