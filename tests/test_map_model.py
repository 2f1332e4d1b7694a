"""The map follows the data model: graded sources, disputed claims, Deals, symmetric types,
relations that end. On a small hand-built graph in Chromium."""

from __future__ import annotations

import pytest

from graph import style
from graph.viz import write_map

from map_browser import browser, model_graph, open_map  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def model_map(tmp_path):
    G = model_graph()
    return G, write_map(G, tmp_path / "model.html", title="model")


def _expected(G, keep):
    """(entities, relations) when an edge filter keeps the relations *keep* accepts."""
    rels = {k for u, v, k, d in G.edges(keys=True, data=True) if keep(d)}
    nodes = {n for u, v, k in G.edges(keys=True) if k in rels for n in (u, v)}
    return nodes, rels


def test_inspector_shows_grades_kinds_and_links(model_map, open_map):
    G, path = model_map
    page = open_map(path)
    assert page.errors == []
    page.js("window.autograph.inspect('beta')")
    panel = page.page.locator("#inspector")
    for sid, src in G.graph["sources"].items():
        items = panel.locator(f"li.src[data-source='{sid}']")
        assert items.count() >= 1
        text = items.first.text_content()
        for field in ("kind", "title", "publisher", "date"):
            assert src[field] in text, (sid, field)
        assert items.first.locator(".grade").text_content() == src["reliability"]
        assert src["reliabilityNote"] in text
        links = items.first.locator("a")
        if src["url"]:
            assert links.get_attribute("href") == src["url"]
            assert links.get_attribute("target") == "_blank"
            assert "noopener" in links.get_attribute("rel")
        else:
            assert links.count() == 0
    supplies = panel.locator("li.rel[data-rel='acme-supplies-beta']").text_content()
    assert "confidence 0.9" in supplies and "best source grade A" in supplies


def test_disputed_relations_are_marked_and_name_the_contradicting_source(model_map, open_map):
    G, path = model_map
    page = open_map(path)
    edge = page.edge("gamma-owns-beta")
    assert edge["color"]["color"] == style.DISPUTED_COLOR and edge["label"] == "disputed"
    assert page.edge("acme-supplies-beta")["color"]["color"] != style.DISPUTED_COLOR
    page.js("window.autograph.inspect('gamma')")
    item = page.page.locator("li.rel[data-rel='gamma-owns-beta']")
    reference = G.graph["sources"]["s-ref"]["title"]
    assert item.locator(".disputed").text_content() == f"Disputed by: {reference}"
    # the contradicting source is listed with its grade and link
    assert item.locator("li.src[data-source='s-ref'] .grade").text_content() == "A"
    assert page.page.locator("li.rel[data-rel='acme-supplies-beta']").count() == 0  # not gamma's


def test_symmetric_types_have_no_arrowheads_and_deals_are_diamonds(model_map, open_map):
    G, path = model_map
    page = open_map(path)
    assert page.edge("acme-partners-gamma")["arrows"] == ""
    assert page.edge("acme-supplies-beta")["arrows"] == "to"
    assert page.node("deal-x")["shape"] == "diamond"
    assert page.node("acme")["shape"] == "dot"
    page.js("window.autograph.inspect('deal-x')")
    panel = page.page.locator("#inspector")
    assert panel.locator("section.rel-group[data-type=PARTY_TO] h3").text_content() == "Parties (PARTY_TO) (2)"
    for u, v, k, d in G.in_edges("deal-x", keys=True, data=True):
        item = panel.locator(f"li.rel[data-rel='{k}']")
        assert item.locator("button.link").text_content() == G.nodes[u]["name"]
        assert item.locator(".role").text_content() == d["role"]
    assert "The parties signed one agreement." in panel.text_content()
    assert panel.locator("li.src[data-source='s-art']").count() >= 1


def test_filters_by_status_confidence_and_reliability(model_map, open_map):
    G, path = model_map
    page = open_map(path)
    page.page.select_option("#min-grade", "B")
    grades = {sid: s["reliability"] for sid, s in G.graph["sources"].items()}
    assert page.visible() == _expected(G, lambda d: any(grades[s] <= "B" for s in d["sources"]))
    page.page.select_option("#min-grade", "")
    page.page.fill("#min-confidence", "0.75")
    page.page.dispatch_event("#min-confidence", "input")
    assert page.visible() == _expected(G, lambda d: d["confidence"] >= 0.75)
    page.page.fill("#min-confidence", "0")
    page.page.dispatch_event("#min-confidence", "input")
    page.page.uncheck("#status-filters input[value=planned]")
    assert page.visible() == _expected(G, lambda d: d["status"] != "planned")


def test_relations_appear_at_their_start_and_disappear_after_their_end(model_map, open_map):
    G, path = model_map
    page = open_map(path)
    ended = G.edges["acme", "gamma", "acme-partners-gamma"]
    assert ended["status"] == "ended" and ended["endDate"] == "2022-06"
    page.js("window.autograph.setTime('2019-12-31')")
    assert "acme-partners-gamma" not in page.visible()[1]  # not yet started
    page.js("window.autograph.setTime('2021-01-01')")
    assert "acme-partners-gamma" in page.visible()[1]
    page.js("window.autograph.setTime('2022-05-31')")
    assert "acme-partners-gamma" in page.visible()[1]
    page.js("window.autograph.setTime('2022-06-01')")
    assert "acme-partners-gamma" not in page.visible()[1]  # ended
    assert "gamma" in page.visible()[0]  # still in the OWNS relation
    planned = page.edge("beta-invests-delta")
    assert planned["dashes"] == style.PLANNED_DASHES
    assert page.edge("acme-partners-gamma")["dashes"] == style.ENDED_DASHES
    assert page.edge("acme-supplies-beta")["dashes"] is False
