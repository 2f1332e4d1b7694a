"""Maps opened in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import graph
from graph.synthetic import industry_network
from graph.viz import build_map, write_map

from helpers import append_row, run_cli

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright gives every launch a fresh, temporary user-data-dir.
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Page:
    """An opened map with what it logged and requested."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1300, "height": 850})
        self.requests, self.errors, self.dialogs = [], [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30000)

    def js(self, expression: str):
        return self.page.evaluate(f"() => {expression}")

    def close(self):
        self.page.close()


@pytest.fixture
def open_map(browser):
    pages = []

    def opener(path: Path) -> Page:
        pages.append(Page(browser, path))
        return pages[-1]

    yield opener
    for p in pages:
        p.close()


@pytest.fixture
def bundled_map(G, tmp_path):
    return write_map(G, tmp_path / "map.html", title="autograph test")


def test_map_is_self_contained(bundled_map):
    html = bundled_map.read_text()

    class Refs(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            self.found += [(tag, k, v) for k, v in attrs if k in ("src", "href")]

    parser = Refs()
    parser.feed(html)
    assert parser.found == []
    assert not re.search(r"url\((?!\"?data:)", html)
    for ref in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "../node_modules", "lib/bindings"):
        assert ref not in html, ref


def test_bundled_map_in_chromium(G, bundled_map, open_map, tmp_path):
    page = open_map(bundled_map)
    assert page.errors == []
    assert page.requests == [page.url]  # the file itself, nothing else
    assert page.js("window.autograph.nodes.length") == G.number_of_nodes()
    assert page.js("window.autograph.edges.length") == G.number_of_edges()
    assert page.page.text_content("#title") == "autograph test"
    assert page.page.text_content("#counts") == (
        f"{G.number_of_nodes()} entities · {G.number_of_edges()} relations")
    legend = page.page.eval_on_selector_all("#label-filters label", "els => els.map(e => e.textContent.trim())")
    assert sorted(legend) == sorted({d["label"] for _, d in G.nodes(data=True)})
    types = page.page.eval_on_selector_all("#type-filters input", "els => els.map(e => e.value)")
    assert sorted(types) == sorted({d["type"] for *_, d in G.edges(data=True)})
    ended = page.js("window.autograph.edges.get('vw-partners-northvolt').dashes")
    assert ended, "ended relations are dashed"
    shot = tmp_path / "shot.png"
    page.page.screenshot(path=str(shot))
    from PIL import Image
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50, "the screenshot is blank"


def test_search_finds_and_selects_an_entity(bundled_map, open_map):
    page = open_map(bundled_map)
    page.page.fill("#search", "Contemporary Amperex")
    page.page.press("#search", "Enter")
    assert page.js("window.autograph.network.getSelectedNodes()") == ["catl"]
    assert page.page.text_content("#search-status") == "CATL"
    page.page.fill("#search", "no such thing")
    page.page.press("#search", "Enter")
    assert page.page.text_content("#search-status") == "no match"


def test_filters_hide_labels_and_types(G, bundled_map, open_map):
    page = open_map(bundled_map)
    plants = sum(1 for _, d in G.nodes(data=True) if d["label"] == "Plant")
    page.page.uncheck("#label-filters input[value=Plant]")
    assert page.js("window.autograph.nodeView.length") == G.number_of_nodes() - plants
    located = sum(1 for *_, d in G.edges(data=True) if d["type"] == "LOCATED_IN")
    page.page.uncheck("#type-filters input[value=LOCATED_IN]")
    assert page.js("window.autograph.edgeView.length") == G.number_of_edges() - located
    assert page.page.text_content("#counts").startswith(f"{G.number_of_nodes() - plants} of {G.number_of_nodes()}")


def test_click_highlights_the_neighbourhood(bundled_map, open_map):
    page = open_map(bundled_map)
    page.js("window.autograph.network.moveTo({position: window.autograph.network"
            ".getPositions(['catl']).catl, scale: 1.5, animation: false})")
    pos = page.js("window.autograph.network.canvasToDOM(window.autograph.network"
                  ".getPositions(['catl']).catl)")
    box = page.page.locator("#map").bounding_box()
    page.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    assert page.js("window.autograph.network.getSelectedNodes()") == ["catl"]
    grey = page.js("window.autograph.nodes.get('plant-volvo-gent').color")
    assert grey.startswith("rgba(200,200,200")
    assert page.js("window.autograph.nodes.get('volkswagen-group').color") == "#1f77b4"


def test_hostile_text_is_shown_as_text(data_copy, tmp_path, open_map):
    append_row(data_copy / "entities.csv", id="xss-co", label="Company", name=XSS,
               aliases="<script>alert(2)</script>", kind="oem", country="BE",
               description="</script><script>alert(3)</script>")
    common = dict(status="active", date="2024", confidence="0.5",
                  sources="001_a3af7357bdf967bf", evidence=f"evidence {XSS}")
    append_row(data_copy / "relations.csv", id="xss-supplies-catl", type="SUPPLIES",
               source="xss-co", target="catl", **common)
    append_row(data_copy / "relations.csv", id="xss-hq-belgium", type="HEADQUARTERED_IN",
               source="xss-co", target="belgium", **common)
    G = graph.select(graph.load_graph(data_copy), focus="xss-co", hops=1)
    path = write_map(G, tmp_path / "xss.html", title=f"Title {XSS}")
    page = open_map(path)
    page.page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []
    assert page.page.query_selector_all("img") == []
    assert page.page.text_content("#title") == f"Title {XSS}"
    assert page.js("window.autograph.nodes.get('xss-co').label") == XSS
    # hover the node: the tooltip shows the name as text, not markup
    page.js("window.autograph.network.moveTo({position: {x: 0, y: 0}, scale: 1, animation: false})")
    pos = page.js("window.autograph.network.canvasToDOM(window.autograph.network"
                  ".getPositions(['xss-co'])['xss-co'])")
    box = page.page.locator("#map").bounding_box()
    page.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tooltip = page.page.query_selector("div.vis-tooltip")
    assert XSS in tooltip.text_content()
    # vis-network shows a string title as text and turns line breaks into <br>: no other markup
    tags = tooltip.eval_on_selector_all("*", "els => els.map(e => e.tagName)")
    assert set(tags) <= {"BR"}
    assert page.dialogs == [] and page.page.query_selector_all("img") == []


def test_large_map_has_a_precomputed_layout_and_no_physics(tmp_path, open_map):
    G = industry_network(1500, 4000, seed=2)
    page = open_map(write_map(G, tmp_path / "big.html", color_by="community",
                              size_by="pagerank"))
    assert page.errors == [] and page.requests == [page.url]
    assert page.js("window.autograph.network.physics.options.enabled") is False
    assert page.js("window.autograph.nodes.get('company-0').x") is not None
    assert page.js("window.autograph.nodes.length") == G.number_of_nodes()
    legend = page.page.eval_on_selector_all(".legend-item", "els => els.length")
    assert legend > 1


def test_map_cli_in_a_subprocess(autograph_exe, tmp_path, open_map):
    out = tmp_path / "catl.html"
    result = run_cli(autograph_exe, "map", "--focus", "catl", "--hops", "2", "--color-by",
                     "country", "--size-by", "betweenness", "--as-of", "2025", "-o", str(out),
                     "--title", "CATL", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    G = graph.select(graph.load_graph(), focus="catl", hops=2, as_of="2025")
    assert "northvolt" not in G  # ended
    assert result.stdout == (f"wrote {out} ({G.number_of_nodes()} entities, "
                             f"{G.number_of_edges()} relations)\n")
    page = open_map(out)
    assert page.js("window.autograph.nodes.length") == G.number_of_nodes()
    bad = run_cli(autograph_exe, "map", "--color-by", "size", cwd=tmp_path)
    assert bad.returncode == 2 and "Invalid value for '--color-by'" in bad.stderr


def test_build_map_rejects_unknown_options(G):
    with pytest.raises(ValueError, match="color-by must be one of label, community, country"):
        build_map(G, color_by="size")
