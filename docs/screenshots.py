"""Regenerate the map screenshots of the README and docs/maps.md (needs Chromium and
Playwright, as the tests do).

    python docs/screenshots.py

docs/map-inspector.png: the full bundled map at 1366x768, default zoom, inspector open on
CATL. docs/map-svg.png: `autograph map --format svg` of the bundled data, as Chromium
shows it. docs/map-100.png: a 100-entity portfolio (tests/map_graphs.py) as it opens.
docs/map-5000.png: a 5,000-entity portfolio coloured by community, as it opens.
All are palette PNGs to keep the repository small.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

import graph
from graph.viz import write_image, write_map

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _small(path: Path) -> None:
    Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.MAXCOVERAGE,
                                             dither=Image.Dither.NONE).save(path, optimize=True)


def main() -> None:
    G = graph.load_graph()
    tmp = Path(tempfile.mkdtemp(prefix="autograph-docs-"))
    page_path = write_map(G, tmp / "map.html", title="autograph network")
    svg_path = write_image(G, tmp / "map.svg", title="autograph network")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(page_path.as_uri() + "#focus=catl")
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
        page.screenshot(path=str(HERE / "map-inspector.png"))
        page = browser.new_page(viewport={"width": 1123, "height": 794})
        page.goto(svg_path.as_uri())
        page.screenshot(path=str(HERE / "map-svg.png"))
        from map_graphs import portfolio_network

        for n, color_by in ((100, "label"), (5000, "community")):
            path = write_map(portfolio_network(n, seed=1), tmp / f"p{n}.html",
                             title=f"A {n:,}-entity portfolio", color_by=color_by)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
            page.screenshot(path=str(HERE / f"map-{n}.png"))
        browser.close()
    for name in ("map-inspector.png", "map-svg.png", "map-100.png", "map-5000.png"):
        _small(HERE / name)
        print(f"wrote docs/{name} ({(HERE / name).stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
