"""The web app in a real headless Chromium (Debian's, driven by Playwright; no browser download),
over the demo's data on SQLite and on PostgreSQL: what a person sees and can do."""

from __future__ import annotations

import os
import re
import shutil

import httpx
import pytest

from tests.conftest import PROJECT

SCREENSHOTS = PROJECT / "test-output" / "screenshots"
HOSTILE = "Officials said the flight to Libya was planned. <script>window.pwned = 1</script> <b>bold</b> & more.\n"
PASSWORD = "correct horse battery"


def _chromium() -> str:
    found = os.environ.get("REMOVALWATCH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        message = "no chromium on this machine (Debian: apt-get install chromium)"
        if os.environ.get("REMOVALWATCH_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def site(demo_server, tmp_path_factory):
    """The served demo, with a reviewer, a viewer and a report whose text holds markup."""
    rw = demo_server.rw
    rw.add_user("rita", PASSWORD, "reviewer")
    rw.add_user("victor", PASSWORD, "viewer")
    hostile = tmp_path_factory.mktemp("reports") / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    [added], _ = rw.add_reports([str(hostile)], alerts=False)
    demo_server.hostile_id = added.document_id
    return demo_server


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield browser
        browser.close()


class Console:
    """The errors a page logs or throws."""

    def __init__(self, page):
        self.errors = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console = Console(page)
    yield page
    context.close()


def _sign_in(page, site, name):
    page.goto(f"{site.url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    page.wait_for_url(f"{site.url}/")
    assert name in page.inner_text("header .who")


def _flight_id(site, callsign):
    return next(f.id for f in site.rw.flights(candidates_only=True) if f.callsign == callsign)


def test_every_page_loads_without_console_errors_and_the_maps_draw(site, page, request):
    store = request.node.callspec.params["demo_server"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    candidates = [f for f in site.rw.flights(candidates_only=True) if f.track]
    rch = _flight_id(site, "RCH4451")
    for path, name, features in (("/", "overview", len(candidates)), ("/countries/LY", "dossier-libya", 1),
                                 (f"/flights/{rch}", "flight-rch4451", 1)):
        page.goto(site.url + path)
        page.wait_for_selector("#map[data-features]")
        assert int(page.get_attribute("#map", "data-features")) == features
        assert page.locator("#map path.leaflet-interactive").count() == features
        page.wait_for_function("document.querySelectorAll('#map img.leaflet-tile-loaded').length > 0")
        assert "OpenStreetMap" in page.inner_text("#map .leaflet-control-attribution")
        page.screenshot(path=SCREENSHOTS / f"{name}-{store}.png", full_page=True)
    page.goto(f"{site.url}/countries/LY")
    assert "flight observed despite denial" in page.inner_text(".status")
    assert "Government of National Unity" in page.inner_text(".sides .opposing")
    assert page.locator("ol.timeline li").count() >= 5
    page.goto(f"{site.url}/flights/{rch}")
    assert "HLMS" in page.inner_text("section.facts") and "Air Mobility Command" in page.inner_text("section.facts")
    assert "removal flight US → LY" in page.inner_text("ul.links")
    document = site.rw.statements(country="LY")[0].document_id
    for path in (f"/documents/{document}", "/alerts", "/search?q=Libya", "/login"):
        page.goto(site.url + path)
        assert page.locator("main h1").count() == 1
    page.goto(f"{site.url}/documents/{document}")
    said = len(site.rw.statements(document_id=document))
    assert page.locator("article.text a.anchor").count() == page.locator("article.text sup.said").count() == said
    assert page.console.errors == []


def test_pages_work_without_javascript_but_the_map(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/countries/LY")
    assert "RCH4451" in page.inner_text("table.flights")
    assert "The map needs JavaScript" in page.content()
    page.goto(f"{site.url}/search?q=Libya")
    assert page.locator("ol.hits li mark").count() > 0
    context.close()


def test_search_finds_a_quotation(site, page):
    quoted = next(s for s in site.rw.statements(country="LY") if len(s.content.split()) >= 6)
    words = " ".join(re.findall(r"\w+", quoted.content)[:5])
    page.goto(site.url)
    page.fill("header input[name=q]", f'"{words}"')
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hit = page.locator("ol.hits li", has_text=quoted.speaker).first
    assert hit.locator("mark").count() >= 1
    hit.locator("a").click()
    page.wait_for_url(re.compile(rf"/documents/{quoted.document_id}#s{quoted.id}$"))
    assert page.locator(f"article.text #s{quoted.id}").count() == 1


def test_report_text_is_shown_as_text_never_run(site, page):
    page.goto(f"{site.url}/documents/{site.hostile_id}")
    assert "<script>window.pwned = 1</script>" in page.inner_text("article.text")
    assert page.evaluate("window.pwned") is None
    assert page.locator("article.text b").count() == 0
    assert page.console.errors == []


def test_a_reviewer_confirms_a_claim_and_sees_the_audit_entry(site, page):
    claim = site.rw.claims(country="LY", types=["removal_flight"])[0]
    _sign_in(page, site, "rita")
    page.goto(f"{site.url}/documents/{claim.document_id}")
    item = page.locator(f"#claim-{claim.id}")
    assert "not reviewed" in item.inner_text()
    with page.expect_navigation():
        item.locator("button[value=confirmed]").click()
    assert page.url == f"{site.url}/documents/{claim.document_id}", page.inner_text("main")
    assert "confirmed by rita" in page.locator(f"#claim-{claim.id}").inner_text()
    page.goto(f"{site.url}/audit")
    row = page.locator("table.audit tbody tr").first
    assert "rita" in row.inner_text() and "review.confirmed" in row.inner_text()
    assert f"claim:{claim.document_id}:removal_flight:" in row.inner_text()
    assert page.console.errors == []


def test_a_reviewer_corrects_a_stance_and_the_dossier_counts_it(site, page):
    statement = next(s for s in site.rw.statements(country="LY") if s.stance == "assert")
    before = site.rw.country("LY")
    _sign_in(page, site, "rita")
    page.goto(f"{site.url}/documents/{statement.document_id}")
    item = page.locator(f"#statement-{statement.id}")
    item.locator("select[name=stance]").select_option("deny")
    with page.expect_navigation():
        item.locator("button[value=corrected]").click()
    corrected = next(s for s in site.rw.statements(document_id=statement.document_id) if s.span == statement.span)
    assert corrected.stance == "deny"
    assert "corrected by rita" in page.locator(f"#statement-{corrected.id}").inner_text()
    assert sum(e.opposing for e in site.rw.country("LY").events) > sum(e.opposing for e in before.events)


def test_a_viewer_sees_no_review_buttons_and_cannot_review(site, page):
    claim = site.rw.claims(country="LY")[0]
    _sign_in(page, site, "victor")
    page.goto(f"{site.url}/documents/{claim.document_id}")
    assert page.locator("form.review").count() == 0
    answer = page.request.post(f"{site.url}/review", form={"kind": "claim", "id": str(claim.id), "verdict": "rejected"})
    assert answer.status == 403
    page.goto(f"{site.url}/audit")
    assert "needs the reviewer role" in page.inner_text("main")


def test_a_script_needs_a_reviewer_token_and_a_form_its_csrf_token(site, page):
    claim = site.rw.claims(country="LY")[-1]
    body = {"kind": "claim", "id": claim.id, "verdict": "rejected", "note": "not a removal"}
    api = f"{site.url}/api/v1/reviews"
    assert httpx.post(api, json=body).status_code == 401
    viewer = site.rw.create_token("victor", "test")
    assert httpx.post(api, json=body, headers={"Authorization": f"Bearer {viewer}"}).status_code == 403
    assert httpx.post(api, json=body, headers={"Authorization": "Bearer rw_not-a-token"}).status_code == 401
    _sign_in(page, site, "rita")
    forged = page.request.post(f"{site.url}/review", form={"kind": "claim", "id": str(claim.id), "verdict": "rejected"})
    assert forged.status == 403 and "CSRF" in forged.text()
    reviewer = site.rw.create_token("rita", "test")
    done = httpx.post(api, json=body, headers={"Authorization": f"Bearer {reviewer}"})
    assert done.status_code == 201 and done.json()["verdict"] == "rejected"
    assert claim.id not in {c.id for c in site.rw.claims(country="LY")}  # a rejected claim joins no event
    entries = httpx.get(f"{site.url}/api/v1/audit", headers={"Authorization": f"Bearer {reviewer}"}).json()
    assert entries[0]["actor"] == "rita" and entries[0]["after"]["note"] == "not a removal"


def test_sign_in_attempts_are_limited_and_bodies_too(site):
    with httpx.Client(base_url=site.url) as reviewer:
        assert reviewer.post("/login", data={"name": "rita", "password": PASSWORD}).status_code == 303
        odd = reviewer.post("/review", data={"kind": "claim", "id": "1", "verdict": "confirmed", "csrf": "é"})
        assert odd.status_code == 403 and "CSRF" in odd.text
    with httpx.Client(base_url=site.url) as client:
        for _ in range(5):
            assert client.post("/login", data={"name": "rita", "password": "wrong guess"}).status_code == 401
        assert client.post("/login", data={"name": "rita", "password": PASSWORD}).status_code == 429
        assert client.post("/login", data={"name": "victor", "password": PASSWORD}).status_code == 303
        for n in range(15):  # many names from one address: the address is stopped too
            client.post("/login", data={"name": f"guess{n}", "password": "wrong guess"})
        assert client.post("/login", data={"name": "victor", "password": PASSWORD}).status_code == 429
        elsewhere = client.post("/login", data={"name": "victor", "password": PASSWORD},
                                headers={"Origin": "https://attacker.example"})
        assert elsewhere.status_code == 403
        assert client.get("/api/v1/documents", params={"cursor": "eyJhZnRlciI6IDFlOTk5fQ=="}).status_code == 400
        big = client.post("/api/v1/reviews", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"})
        assert big.status_code == 413
        page = client.get("/")
        assert "script-src 'self'" in page.headers["content-security-policy"] and "'unsafe-inline'" not in \
            page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
