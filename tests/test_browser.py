"""The pages in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser download).

A real uvicorn server on 127.0.0.1 serves the pages over the fixture dataset (tests/fixtures/pages) with a minimal
/sparql of its own. Each test walks what an analyst does and fails on any console error; screenshots of every page
go to tests/artifacts/ (gitignored) for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from pages_app import fixture_store, make_app, make_context

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

if not Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is None:
    # `make test` installs it; in CI a missing browser is a failure, not a quiet skip
    if os.environ.get("CI"):
        raise RuntimeError("Debian's chromium is missing in CI: `make browser` should have installed it")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
import playwright.sync_api as playwright_sync  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_url():
    store = fixture_store()
    app = make_app(make_context(store), store)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 15 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server_url):
    """A fresh page that records console errors, page errors and requests leaving loopback."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: pg.errors.append(f"pageerror: {e}"))
    pg.on("response", lambda r: r.status >= 400 and pg.errors.append(f"HTTP {r.status}: {r.url}"))
    pg.on(
        "request",
        lambda r: (
            r.url.startswith(("http://", "https://"))
            and not r.url.startswith(server_url)
            and pg.errors.append(f"external request: {r.url}")
        ),
    )
    yield pg
    context.close()


def shot(pg, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_home_runs_example_query_and_links_to_entity(page, server_url):
    page.goto(server_url + "/")
    assert page.locator("h1").first.inner_text().startswith("rjkg")
    assert page.locator(".CodeMirror").count() == 1, "the editor did not load (bundled CodeMirror)"
    assert page.locator("a.example").count() == 2
    shot(page, "home")
    page.locator("a.example", has_text="Which persons").click()
    page.wait_for_selector("table.results-table tbody tr")
    rows = page.locator("table.results-table tbody tr")
    assert rows.count() == 2
    assert "2 rows" in page.locator(".status").inner_text()
    # sort by ?name descending, then ascending: Таро Коно sorts after Сергей Лавров
    header = page.locator("table.results-table th button", has_text="?name")
    header.click()
    assert rows.first.locator("td").nth(1).inner_text() == "Сергей Лавров"
    header.click()
    assert rows.first.locator("td").nth(1).inner_text() == "Таро Коно"
    assert page.locator("a.dl-csv").get_attribute("href").endswith("&format=csv")
    shot(page, "home-results")
    page.locator("table.results-table a.iri", has_text="sergey-lavrov").click()
    page.wait_for_url("**/id/person/sergey-lavrov")
    assert page.locator("h1").inner_text() == "Сергей Лавров"
    assert page.locator("section", has=page.locator("#posts-h")).locator("tbody tr").count() == 1
    assert page.locator("ol.timeline li").count() == 2
    shot(page, "entity-person")
    assert page.errors == []


def test_document_page_highlights_spans(page, server_url):
    page.goto(server_url + "/id/doc/pg_001")
    marks = page.locator(".source .hl")
    assert marks.count() >= 15
    # the text content is the source text exactly: highlighting adds markup, never characters
    text = (Path(__file__).parent / "fixtures" / "pages" / "docs" / "pg_001.txt").read_text(encoding="utf-8")
    assert page.locator(".source").evaluate("e => e.textContent") == text
    # hovering shows the fact; clicking goes to the entity
    lavrov = page.locator('.source [data-span="0-6"]')
    assert "Сергей Лавров" in lavrov.get_attribute("title")
    lavrov.hover()
    shot(page, "document")
    # the XSS probe stays text
    assert page.locator(".source script").count() == 0
    assert "<script>alert(2)</script>" in page.locator('.source [data-span="318-348"]').inner_text()
    lavrov.click()
    page.wait_for_url("**/id/person/sergey-lavrov")
    page.go_back()
    page.goto(server_url + "/id/doc/pg_001#span-172-224")
    assert page.locator(":target").count() == 1
    assert page.errors == []


def test_timeline_filters_without_javascript(browser, server_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.goto(server_url + "/timeline")
    assert pg.locator("table.timeline-table tbody tr").count() == 5
    pg.select_option("select[name=actor]", label="Таро Коно")
    pg.locator("form.filters button").click()
    pg.wait_for_url("**/timeline?actor=*")
    assert pg.locator("table.timeline-table tbody tr").count() == 2
    shot(pg, "timeline-filtered")
    context.close()


def test_ontology_and_xss_pages(page, server_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path, name in (
        ("/ontology#Person", "ontology"),
        ("/timeline", "timeline"),
        ("/id/org/xss-fund", "entity-xss"),
    ):
        page.goto(server_url + path)
        shot(page, name, full_page=name != "ontology")
    page.goto(server_url + "/id/event/pg_001-negotiation-69")
    shot(page, "entity-event")
    assert dialogs == [], "a label ran as script"
    assert page.errors == []


def test_editor_reports_bad_query_and_downloads_csv(page, server_url):
    page.goto(server_url + "/query")
    page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT ?x WHERE { ?x a rjkg:Person }')"
    )
    page.locator("button.run").click()
    page.wait_for_selector("pre.error")
    assert page.locator(".status").inner_text().startswith("Error 400")
    shot(page, "query-error")
    # the server's 400 is the only error: it is what the analyst is shown
    assert all("400" in e for e in page.errors) and page.errors
    page.errors.clear()
    page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror.setValue("
        "'PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?name WHERE { ?x skos:prefLabel ?name } "
        "ORDER BY ?name LIMIT 3')"
    )
    page.keyboard.press("Escape")
    page.locator("button.run").click()
    page.wait_for_selector("table.results-table tbody tr")
    csv = page.request.get(server_url + page.locator("a.dl-csv").get_attribute("href"))
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text().splitlines()[0] == "name" and len(csv.text().splitlines()) == 4
    assert page.errors == []
