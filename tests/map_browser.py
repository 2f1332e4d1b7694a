"""The browser harness for map tests, a pytest plugin (``pytest_plugins = ["map_browser"]``):
Debian's Chromium driven by Playwright, one browser per session, pages that record what
they logged and requested."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


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

    def __init__(self, browser, path: Path | str, viewport=(1300, 850)):
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.requests, self.errors, self.dialogs = [], [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path if isinstance(path, str) else path.resolve().as_uri()
        self.page.goto(self.url)
        self.url = self.url.split("#")[0]
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(f"(arg) => {expression}", arg)

    def node(self, key: str) -> dict:
        """The vis item of the entity *key* (vis ids are 'n:<id>')."""
        return self.js("window.autograph.nodes.get(window.autograph.vid(arg))", key)

    def edge(self, key: str) -> dict:
        return self.js("window.autograph.edges.get(window.autograph.edgeIds(arg)[0])", key)

    def visible(self) -> tuple[set, set]:
        """Keys of the entities and relations shown now."""
        return (set(self.js("window.autograph.visibleNodeKeys()")),
                set(self.js("window.autograph.visibleEdgeKeys()")))

    def click_node(self, key: str) -> None:
        pos = self.js("window.autograph.network.canvasToDOM(window.autograph.network"
                      ".getPositions([window.autograph.vid(arg)])[window.autograph.vid(arg)])", key)
        box = self.page.locator("#map").bounding_box()
        self.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])

    def close(self):
        self.page.close()


@pytest.fixture
def open_map(browser):
    pages = []

    def opener(path: Path | str, viewport=(1300, 850)) -> Page:
        pages.append(Page(browser, path, viewport))
        return pages[-1]

    yield opener
    for p in pages:
        p.close()
