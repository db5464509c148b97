"""The web app in a real browser: headless Chromium (Debian's) driven by Playwright, over the live
service and a store built from the invented sample corpus and incident reports. It clicks through
as an analyst would; a JavaScript error on any page fails the test. It also writes the README's
screenshots (examples/screenshots)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXAMPLES, ROOT, SHARED, build_store, serve

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium (make test installs it with apt)"
)
SCREENSHOTS = ROOT / "examples" / "screenshots"
INCIDENT = "2024-10-14-dnipro-missile-strike"  # three of examples/incident's reports


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build_store(
        tmp_path_factory.mktemp("app") / "store", EXAMPLES, ROOT / "examples" / "incident"
    )
    with serve(store) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


class Page:
    """A browser tab that fails the test on any JavaScript error or console error."""

    def __init__(self, browser, url: str, **context: object) -> None:
        self.url = url
        self.errors: list[str] = []
        self.tab = browser.new_context(**context).new_page()
        self.tab.on("pageerror", lambda e: self.errors.append(f"{self.tab.url}: {e}"))
        self.tab.on(
            "console",
            lambda m: m.type == "error" and self.errors.append(f"{self.tab.url}: {m.text}"),
        )

    def open(self, route: str) -> None:
        self.tab.goto(f"{self.url}/{route}")
        self.shown()

    def shown(self) -> None:
        """Wait until the page the URL names is on screen."""
        self.tab.wait_for_function(
            "() => document.getElementById('view').dataset.shown === (location.hash || '#/')"
        )

    def heading(self) -> str:
        return self.tab.locator("main h1").inner_text()

    def close(self) -> None:
        self.tab.context.close()
        assert not self.errors, self.errors


@pytest.fixture
def page(browser, url: str) -> Iterator[Page]:
    tab = Page(browser, url, viewport={"width": 1200, "height": 900})
    yield tab
    tab.close()


def _points(page: Page, category: str) -> list[str]:
    return page.tab.locator(
        f"section[aria-labelledby='cat-{category}'] svg a [aria-label]"
    ).evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")


def _whole_words(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] neither begins nor ends inside a word."""
    return (start == 0 or not text[start - 1].isalnum()) and (
        end == len(text) or not text[end].isalnum()
    )


def _number(label: str) -> float:
    """A point's value, from its label ("at least 9 killed: …")."""
    return float(re.match(r"(?:[a-z ]+ )?([\d,.]+) ", label).group(1).replace(",", ""))


def test_an_incident_from_the_list_charts_each_claim(page: Page, url: str) -> None:
    page.open("")
    assert page.heading() == "Incidents"
    page.tab.get_by_role("link", name=re.compile("Missile strike, Dnipro")).click()
    page.shown()
    assert page.tab.url.endswith(f"#/incidents/{INCIDENT}")
    tolls = httpx.get(f"{url}/incidents/{INCIDENT}").json()
    assert page.heading() == tolls["label"]
    for category in tolls["categories"]:
        figures = [f for s in category["sources"] for f in s["figures"] if f["date"]]
        points = _points(page, category["category"])
        assert Counter(_number(p) for p in points) == Counter(float(f["value"]) for f in figures)
        latest = sum(1 for s in category["sources"] if s["latest"] and s["latest"]["date"])
        assert sum(p.endswith("(latest)") for p in points) == latest
        rows = page.tab.locator(f"section[aria-labelledby='cat-{category['category']}'] tbody tr")
        assert rows.count() == sum(len(s["figures"]) for s in category["sources"])
    page.tab.screenshot(path=str(SCREENSHOTS / "incident.png"), full_page=True)


def test_a_point_leads_to_its_figure_highlighted_in_the_document(page: Page, url: str) -> None:
    page.open(f"#/incidents/{INCIDENT}")
    # A figure a source is named for: the emergency service's.
    point = page.tab.locator(
        "section[aria-labelledby='cat-killed'] svg a:has([aria-label*='Emergency'])"
    ).first
    href = point.get_attribute("href")
    point.click()
    page.shown()
    doc_id, start, end = re.fullmatch(r"#/documents/(.+)\?start=(\d+)&end=(\d+)", href).groups()
    document = httpx.get(f"{url}/documents/{doc_id}").json()
    target = page.tab.locator("mark.target")
    assert target.count() == 1
    assert target.inner_text() == document["text"][int(start) : int(end)]
    assert (target.get_attribute("data-start"), target.get_attribute("data-end")) == (start, end)
    assert page.tab.evaluate("document.activeElement.classList.contains('target')")
    # Its attribution is in the panel, with links to the incident and the source.
    panel = page.tab.locator("aside.panel")
    assert "Source:" in panel.inner_text()
    assert (
        panel.get_by_role("link", name=re.compile("incident")).get_attribute("href")
        == f"#/incidents/{INCIDENT}"
    )
    page.tab.screenshot(path=str(SCREENSHOTS / "document.png"), full_page=True)


def test_the_reader_highlights_every_fact_and_greys_furniture(page: Page, url: str) -> None:
    doc_id = "2024-10-15-dnipro-toll-rises.txt"
    document = httpx.get(f"{url}/documents/{doc_id}").json()
    page.open(f"#/documents/{doc_id}")
    text = document["text"]
    marks = page.tab.locator("article mark.figure").evaluate_all(
        "els => els.map(e => [+e.dataset.start, +e.dataset.end, e.textContent])"
    )
    assert sorted((s, e) for s, e, _ in marks) == sorted(
        (f["start"], f["end"]) for f in document["figures"]
    )
    assert all(content == text[s:e] for s, e, content in marks)
    greyed = page.tab.locator("article .furniture").evaluate_all(
        "els => els.map(e => [+e.dataset.start, +e.dataset.end])"
    )
    assert greyed == document["furniture"] and greyed
    # Sources as the sentence writes them, a role noun ("the service said") included.
    said = page.tab.locator("article .said").evaluate_all(
        "els => els.map(e => [+e.dataset.start, +e.dataset.end])"
    )
    assert "the service" in [text[s:e] for s, e in said]
    assert all(_whole_words(text, s, e) for s, e in said)
    # The whole text is there, in order, whatever is highlighted.
    assert page.tab.locator("article .text").inner_text().split() == text.split()
    # From the keyboard: tab to a figure, its attribution shows.
    page.tab.locator("article mark.figure").first.focus()
    assert "Source:" in page.tab.locator("aside.panel").inner_text()


def test_a_source_leads_to_its_page(page: Page, url: str) -> None:
    page.open(f"#/incidents/{INCIDENT}")
    source = page.tab.locator("a.source-link").first
    name = source.inner_text()
    source.click()
    page.shown()
    assert page.heading() == name
    entity = httpx.get(f"{url}/entities/{page.tab.url.split('#/entities/')[1]}").json()
    assert page.tab.get_by_role("heading", name="Figures given").is_visible()
    rows = page.tab.locator("section:has(h2:text('Figures given')) tbody tr")
    assert rows.count() == len(entity["figures"]) > 0
    network = page.tab.locator("svg.network a")
    assert network.count() == len(entity["neighbours"])
    queries = page.tab.locator("section:has(h2:text('Canned queries')) a")
    for i in range(queries.count()):
        assert httpx.get(url + queries.nth(i).get_attribute("href")).status_code == 200


def test_compare_filters_by_how_the_source_was_found(page: Page, url: str) -> None:
    page.open("#/compare")
    page.tab.get_by_label("Category").select_option("killed")
    page.tab.get_by_label("Source found").select_option("sentence")
    page.tab.get_by_role("button", name="Show").click()
    page.shown()
    rows = httpx.get(f"{url}/figures", params={"category": "killed", "basis": "sentence"}).json()
    points = page.tab.locator("svg a [aria-label]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert Counter(_number(p) for p in points) == Counter(
        float(r["value"]) for r in rows if r["date"]
    )
    assert page.tab.locator("main tbody tr").count() == len(rows) > 0


def test_search_from_any_page(page: Page) -> None:
    page.open("#/documents")
    page.tab.get_by_role("searchbox", name=re.compile("Search")).fill("Dnipro")
    page.tab.keyboard.press("Enter")
    page.shown()
    assert page.heading() == "Search: Dnipro"
    for section in ("Entities", "Incidents", "Documents"):
        assert page.tab.locator(f"section:has(h2:text('{section}')) li a").count() >= 1
    page.tab.locator("section:has(h2:text('Incidents')) li a").first.click()
    page.shown()
    assert "Dnipro" in page.heading()


def test_lists_page_and_filter(page: Page, url: str) -> None:
    page.open("#/incidents?type=drone-strike")
    drone = httpx.get(f"{url}/incidents", params={"type": "drone-strike"}).json()
    assert page.tab.locator("main tbody tr").count() == len(drone) >= 1
    assert len(drone) < len(httpx.get(f"{url}/incidents").json())
    page.open("#/documents")
    assert page.tab.locator("main tbody tr").count() == len(httpx.get(f"{url}/documents").json())
    page.open("#/incidents/no-such-incident")
    assert page.heading() == "Not available"
    page.errors = [e for e in page.errors if "404" not in e]  # the page asked for what is not there


def test_readable_on_a_phone(browser, url: str) -> None:
    phone = Page(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True)
    routes = ("", f"#/incidents/{INCIDENT}", "#/documents/2024-10-15-dnipro-toll-rises.txt")
    try:
        for route in (*routes, "#/compare"):
            phone.open(route)
            assert phone.tab.evaluate("document.body.scrollWidth <= window.innerWidth"), route
    finally:
        phone.close()


def test_a_mangled_link_and_hurried_clicks(page: Page) -> None:
    page.open("#/documents/%E0%A4%A")
    assert page.heading() == "Not found"
    # Routes asked one after another faster than they load: the last one asked is shown.
    page.tab.evaluate(
        f"""() => {{ location.hash = '#/incidents/{INCIDENT}';
                     location.hash = '#/documents';
                     location.hash = '#/compare'; }}"""
    )
    page.shown()
    assert page.heading() == "Compare sources"


def test_the_sparql_editor_has_its_own_page(page: Page) -> None:
    page.open("")
    page.tab.get_by_role("link", name="SPARQL").click()
    page.tab.wait_for_url(re.compile("/editor$"))
    assert "SPARQL" in page.tab.title()


@pytest.mark.skipif(not (SHARED / "eval" / "incidents-dev").is_dir(), reason="no ../shared")
def test_every_incident_and_document_of_real_reports(browser, tmp_path: Path) -> None:
    """incidents-dev (real articles from several outlets) in one store with the sample corpus:
    every incident page charts each dated claim, every document highlights each figure at its
    offsets, and no page errs."""
    store = build_store(tmp_path / "store", EXAMPLES, SHARED / "eval" / "incidents-dev" / "corpus")
    with serve(store) as url:
        tab = Page(browser, url, viewport={"width": 1200, "height": 900})
        incidents = httpx.get(f"{url}/incidents", params={"limit": 1000}).json()
        assert len(incidents) >= 5
        for incident in incidents:
            tolls = httpx.get(f"{url}/incidents/{incident['id']}").json()
            tab.open(f"#/incidents/{incident['id']}")
            for category in tolls["categories"]:
                dated = [f["value"] for s in category["sources"] for f in s["figures"] if f["date"]]
                points = _points(tab, category["category"])
                assert Counter(_number(p) for p in points) == Counter(map(float, dated))
        for row in httpx.get(f"{url}/documents", params={"limit": 1000}).json():
            document = httpx.get(f"{url}/documents/{row['document']}").json()
            tab.open(f"#/documents/{row['document']}")
            marks = tab.tab.locator("article mark.figure").evaluate_all(
                "els => els.map(e => [+e.dataset.start, +e.dataset.end, e.textContent])"
            )
            expected = sorted((f["start"], f["end"]) for f in document["figures"])
            assert sorted({(s, e) for s, e, _ in marks}) == sorted(set(expected)), row["document"]
            assert all(text == document["text"][s:e] for s, e, text in marks)
            said = tab.tab.locator("article .said").evaluate_all(
                "els => els.map(e => [+e.dataset.start, +e.dataset.end])"
            )
            sources = {f["source_text"] for f in document["figures"]}
            text = document["text"]
            assert all(text[s:e] in sources and _whole_words(text, s, e) for s, e in said)
        tab.close()


def test_the_keyboard_reaches_a_chart_point_and_follows_it(page: Page) -> None:
    page.open(f"#/incidents/{INCIDENT}")
    for _ in range(200):
        page.tab.keyboard.press("Tab")
        if page.tab.evaluate("!!document.activeElement.closest('svg a')"):
            break
    else:
        pytest.fail("Tab never reached a chart point")
    href = page.tab.evaluate("document.activeElement.getAttribute('href')")
    page.tab.keyboard.press("Enter")
    page.shown()
    assert page.tab.url.endswith(href) and "?start=" in href
    assert page.tab.locator("mark.target").count() == 1
    assert page.tab.evaluate("document.activeElement.classList.contains('target')")
