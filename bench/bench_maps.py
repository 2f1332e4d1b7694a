"""Map speed: generation time and file size for 1k, 5k and 20k-node synthetic networks, and
the time until the page is interactive in headless Chromium (navigation start until the
network has drawn, labels placed). Targets: 20k nodes written in under 5 s; 5k-node page
interactive in under 3 s. Also the time to draw the static A4 PNG (``--format png``) up to
5k nodes (no target).

    python bench/bench_maps.py [--sizes 1000,5000,20000] [--edges-per-node 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from graph.synthetic import industry_network
from graph.viz import render_image, write_map

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--edges-per-node", type=float, default=3.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp(prefix="autograph-maps-"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for n in (int(s) for s in args.sizes.split(",")):
            G = industry_network(n, int(n * args.edges_per_node), seed=1)
            t = time.perf_counter()
            path = write_map(G, out / f"map-{n}.html")
            written = time.perf_counter() - t
            page = browser.new_page(viewport={"width": 1300, "height": 850})
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
            ready_ms = int(page.get_attribute("body", "data-ready-ms"))
            page.close()
            image = ""
            if n <= 5000:
                t = time.perf_counter()
                render_image(G, "png")
                image = f", PNG image in {time.perf_counter() - t:5.2f} s"
            targets = []
            if n >= 20000:
                targets.append(f"write < 5 s {'OK' if written < 5 else 'MISSED'}")
            if n == 5000:
                targets.append(f"interactive < 3 s {'OK' if ready_ms < 3000 else 'MISSED'}")
            print(f"{G.number_of_nodes():>6} nodes {G.number_of_edges():>6} relations: written in "
                  f"{written:5.2f} s, {path.stat().st_size / 2**20:6.1f} MiB, interactive after "
                  f"{ready_ms / 1000:5.2f} s{image}  {'; '.join(targets)}")
        browser.close()


if __name__ == "__main__":
    main()
