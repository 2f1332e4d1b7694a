"""The map of a real portfolio: the layout made in Python (the connected part, small
components and isolated entities set aside, communities together and named), and exploring
in a real headless Chromium: a neighbourhood only, expanding it, the path between two
entities, search suggestions, fit and zoom, the inspector never over the focus, legend counts
that follow the filters and time, and the report-ready PNG. Expectations come from the graph
(networkx) or from the portfolio builder in map_graphs.py, never from the page."""

from __future__ import annotations

import math
from collections import Counter

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graph
from graph import style
from graph.analysis.views import full_view
from graph.viz import map_data, write_map
from graph.viz.model import layout

from map_graphs import model_graph, portfolio_network

pytest_plugins = ["map_browser"]


def _undirected(G) -> nx.Graph:
    return nx.Graph(G.to_undirected(as_view=True))


# -- the layout, in Python ------------------------------------------------------------------

@st.composite
def graphs(draw):
    n = draw(st.integers(0, 40))
    edges = draw(st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))),
                          max_size=60)) if n else []
    H = nx.Graph()
    H.add_nodes_from(range(n))
    H.add_edges_from((u, v) for u, v in edges if u != v)
    return H


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.integers(0, 3))
def test_layout_places_every_node_and_sets_the_rest_under_the_connected_part(H, seed):
    pos, main = layout(H, seed)
    assert set(pos) == set(H)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    if not len(H):
        assert main == set()
        return
    comps = sorted(nx.connected_components(H), key=len, reverse=True)
    assert comps[0] <= main or len(comps[0]) == 1 and len(main) == 1
    assert all(c <= main or not (c & main) for c in comps)  # whole components only
    bottom = max(pos[n][1] for n in main)
    for n in set(H) - main:  # set aside, under the connected part
        assert pos[n][1] > bottom, n
    lone = [n for n in H if H.degree(n) == 0 and n not in main]
    assert len({pos[n] for n in lone}) == len(lone)  # a grid: no two in one place


def test_portfolio_isolates_and_chains_are_set_aside_and_communities_sit_together():
    G = portfolio_network(600, seed=3)
    data = map_data(G, color_by="community")
    U = _undirected(G)
    main = set(data["main"])
    largest = max(nx.connected_components(U), key=len)
    assert main == {str(n) for n in largest}
    pos = data["positions"]
    bottom = max(pos[n][1] for n in largest)
    aside = [n for n in G if n not in largest]
    assert aside and all(pos[n][1] > bottom for n in aside)
    # communities sit together: members nearer their own community's centre than others'
    by = {}
    for node in data["nodes"]:
        if node["key"] in main:
            by.setdefault(node["category"], []).append(pos[node["key"]])
    centres = {c: (sum(x for x, _ in ps) / len(ps), sum(y for _, y in ps) / len(ps))
               for c, ps in by.items() if len(ps) >= 10}
    own = sum(1 for c, ps in by.items() if c in centres for p in ps
              if min(centres, key=lambda k: math.dist(p, centres[k])) == c)
    assert own / sum(len(by[c]) for c in centres) > 0.6


def test_communities_are_named_after_their_most_linked_member():
    G = portfolio_network(300, seed=5)
    data = map_data(G, color_by="community")
    V = full_view(G)
    members = {}
    for node in data["nodes"]:
        if node["key"] in V:
            members.setdefault(node["category"], []).append(node["key"])
    assert len(members) > 3
    for name, keys in members.items():
        top = max(keys, key=lambda k: (V.degree(k), k))
        assert name in (f"{G.nodes[top]['name']} community",
                        f"{G.nodes[top]['name']} community ({top})"), name
    assert [item["name"] for item in data["legend"]][:3] == [
        c for c, _ in Counter(n["category"] for n in data["nodes"]).most_common(3)]


# -- in the page ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def portfolio_map(tmp_path_factory):
    G = portfolio_network(600, seed=3)
    return G, write_map(G, tmp_path_factory.mktemp("portfolio") / "p.html", color_by="community")


def _dom(page, key):
    return page.js("window.autograph.network.canvasToDOM(window.autograph.network"
                   ".getPositions([window.autograph.vid(arg)])[window.autograph.vid(arg)])", key)


def test_the_view_fits_the_connected_part_without_physics(portfolio_map, open_map):
    G, path = portfolio_map
    page = open_map(path, viewport=(1366, 768))
    assert page.errors == [] and page.requests == [page.url]
    assert page.js("window.autograph.network.physics.options.enabled") is False
    box = page.page.locator("#map").bounding_box()
    main = page.js("window.autograph.main()")
    assert set(main) == {str(n) for n in max(nx.connected_components(_undirected(G)), key=len)}
    xs, ys = zip(*((p["x"], p["y"]) for p in (_dom(page, k) for k in main)))
    assert min(xs) >= -1 and max(xs) <= box["width"] + 1
    assert min(ys) >= -1 and max(ys) <= box["height"] + 1
    # not a ball in a corner: the connected part fills the view one way or the other
    assert max(xs) - min(xs) > 0.8 * box["width"] or max(ys) - min(ys) > 0.8 * box["height"]
    lone = next(n for n in G if G.degree(n) == 0)
    assert _dom(page, lone)["y"] > max(ys)  # isolated entities below, out of the first view
    # community names drawn on the map: the legend lists them
    legend = page.page.eval_on_selector_all(".legend-item", "els => els.map(e => e.dataset.category)")
    assert all(name.endswith("community") or " community (" in name for name in legend[:5])


def test_neighbourhood_only_expand_and_show_all(G, tmp_path, open_map):
    page = open_map(write_map(G, tmp_path / "m.html"))
    page.js("window.autograph.inspect('catl')")
    page.page.click("#inspector .hood-only")
    U = _undirected(G)
    hood = set(U["catl"]) | {"catl"}
    nodes, rels = page.visible()
    assert nodes == hood
    assert rels == {k for u, v, k in G.edges(keys=True) if u in hood and v in hood}
    assert page.page.is_visible("#show-all")
    other = max(U["catl"], key=U.degree)
    page.js("window.autograph.expand(arg)", other)
    grown = hood | set(U[other])
    assert page.visible()[0] == grown
    assert page.page.text_content("#counts").startswith(f"{len(grown)} of {G.number_of_nodes()} entities")
    page.page.click("#show-all")
    assert page.visible() == (set(G), {k for *_, k in G.edges(keys=True)})
    assert page.page.is_hidden("#show-all")


def test_the_path_between_two_entities(G, tmp_path, open_map):
    page = open_map(write_map(G, tmp_path / "m.html"))
    U = _undirected(G)
    lengths = nx.single_source_shortest_path_length(U, "catl")
    target = max(sorted(lengths), key=lengths.get)  # the farthest entity
    page.js("window.autograph.inspect('catl')")
    page.page.fill("#inspector .path-target", G.nodes[target]["name"])
    page.page.press("#inspector .path-target", "Enter")
    status = page.page.text_content("#inspector .path-status")
    steps = lengths[target]
    assert status.endswith(f"({steps} step{'s' if steps != 1 else ''})")
    lit = page.js("window.autograph.highlighted()")
    path = page.js("window.autograph.path('catl', arg)", target)
    assert path[0] == "catl" and path[-1] == target and len(path) == steps + 1
    assert all(U.has_edge(a, b) for a, b in zip(path, path[1:]))
    assert set(lit["nodes"]) == set(path) and len(lit["edges"]) == steps
    assert status == "Path: " + " → ".join(G.nodes[k]["name"] for k in path) + f" ({steps} steps)"
    page.page.fill("#inspector .path-target", "no such entity at all")
    page.page.press("#inspector .path-target", "Enter")
    assert page.page.text_content("#inspector .path-status") == "no entity matches “no such entity at all”"


def test_search_suggests_names_as_one_types(G, tmp_path, open_map):
    page = open_map(write_map(G, tmp_path / "m.html"))
    page.page.click("#search")
    page.page.keyboard.type("Contemporary Amp")
    options = page.page.eval_on_selector_all("#search-suggestions option", "els => els.map(e => e.value)")
    expected = {d["name"] for _, d in G.nodes(data=True)
                if "contemporary amp" in " ".join([d["name"], *d.get("aliases", ())]).lower()}
    assert options and set(options) == expected
    assert "CATL" in options


def test_fit_and_zoom_buttons(portfolio_map, open_map):
    G, path = portfolio_map
    page = open_map(path)
    page.js("window.autograph.network.moveTo({scale: 3, animation: false})")
    page.page.click("#fit")
    fitted = page.js("window.autograph.network.getScale()")
    assert fitted < 1
    page.page.click("#zoom-in")
    assert page.js("window.autograph.network.getScale()") == pytest.approx(fitted * 1.5)
    page.page.click("#zoom-out")
    page.page.click("#zoom-out")
    assert page.js("window.autograph.network.getScale()") == pytest.approx(fitted / 1.5)
    page.page.click("#fit")
    assert page.js("window.autograph.network.getScale()") == pytest.approx(fitted, rel=1e-3)


def test_the_inspector_never_covers_the_focus(portfolio_map, open_map):
    G, path = portfolio_map
    page = open_map(path, viewport=(1366, 768))
    main = page.js("window.autograph.main()")
    right = max(main, key=lambda k: _dom(page, k)["x"])  # under the inspector once it opens
    page.click_node(right)
    assert page.page.text_content("#inspector-title") == G.nodes[right]["name"]
    width = page.page.locator("#map").bounding_box()["width"]
    inspector = page.page.locator("#inspector").bounding_box()["width"]
    x = _dom(page, right)["x"]
    assert 0 < x < width - inspector
    page.page.fill("#search", G.nodes[right]["name"])
    page.page.press("#search", "Enter")
    assert 0 < _dom(page, right)["x"] < width - inspector


def test_legend_counts_follow_the_filters_and_time(G, tmp_path, open_map):
    page = open_map(write_map(G, tmp_path / "m.html"))

    def legend():
        cats = dict(page.page.eval_on_selector_all(
            "#legend .legend-item", "els => els.map(e => [e.dataset.category, Number(e.querySelector('.count').textContent)])"))
        types = dict(page.page.eval_on_selector_all(
            "#type-filters label", "els => els.map(e => [e.querySelector('input').value, Number(e.querySelector('.count').textContent)])"))
        return cats, types

    def expected(H, types_off=()):
        cats = Counter(d["label"] for _, d in H.nodes(data=True))
        return ({c: cats.get(c, 0) for c in legend()[0]},
                {t: n for t, n in Counter(d["type"] for *_, d in H.edges(data=True)).items()})

    cats, types = legend()
    assert (cats, {t: n for t, n in types.items() if n}) == expected(G)
    page.js("window.autograph.setTime('2020-06-30')")
    cats, types = legend()
    H = graph.select(G, as_of="2020-06-30")
    assert (cats, {t: n for t, n in types.items() if n}) == expected(H)
    # a type switched off keeps its count (what it would show), the entities follow
    page.page.uncheck("#type-filters input[value=LOCATED_IN]")
    cats2, types2 = legend()
    assert types2 == types
    H = graph.select(G, as_of="2020-06-30",
                     rel_types=tuple({d["type"] for *_, d in G.edges(data=True)} - {"LOCATED_IN"}))
    assert cats2 == expected(H)[0]


def test_png_export_is_report_ready(G, tmp_path, open_map):
    from PIL import Image

    page = open_map(write_map(G, tmp_path / "m.html", title="Report"), viewport=(1366, 768))
    page.js("window.autograph.setTime('2023-12-31')")
    page.page.uncheck("#label-filters input[value=Plant]")
    page.js("window.autograph.network.moveTo({scale: 4, animation: false})")  # zoomed in: still the whole map
    canvas = page.js("[document.querySelector('#map canvas').clientWidth, document.querySelector('#map canvas').clientHeight]")
    with page.page.expect_download() as info:
        page.page.click("#save-png")
    assert info.value.suggested_filename == "Report-2023-12-31.png"
    target = tmp_path / "report.png"
    info.value.save_as(target)
    image = Image.open(target).convert("RGB")
    assert image.size[0] >= 2.5 * canvas[0] and image.size[1] >= 2.5 * canvas[1]  # 2.5x
    # the legend: every relationship type still shown is drawn in its colour at the right
    legend = image.crop((round(2.5 * canvas[0]), 0, image.size[0], image.size[1]))
    colours = {c for _, c in legend.getcolors(maxcolors=1_000_000)}
    H = graph.select(G, as_of="2023-12-31",
                     labels=tuple({d["label"] for _, d in G.nodes(data=True)} - {"Plant"}))
    for t in {d["type"] for *_, d in H.edges(data=True)}:
        assert style.hex_to_rgb(style.REL_COLORS[t]) in colours, t
    # the whole map, not the zoomed view: the view is back as it was afterwards
    assert page.js("window.autograph.network.getScale()") == pytest.approx(4)
    assert page.js("window.devicePixelRatio * document.querySelector('#map canvas').clientWidth") == \
        page.js("document.querySelector('#map canvas').width")


def test_reliability_widths_on_the_model_graph(tmp_path, open_map):
    G = model_graph()
    page = open_map(write_map(G, tmp_path / "model.html"))
    assert page.edge("acme-supplies-beta")["width"] == style.GRADE_WIDTHS["A"]  # reference, A
    assert page.edge("beta-invests-delta")["width"] == style.GRADE_WIDTHS["D"]  # article, D
    assert style.GRADE_WIDTHS["A"] >= 3 * style.GRADE_WIDTHS["D"]


def test_the_layout_is_the_same_in_every_process():
    """Python randomises the order of sets per process (PYTHONHASHSEED): the map must not."""
    import os
    import subprocess
    import sys

    code = ("import graph, hashlib, json; from graph.viz import map_data; "
            "d = map_data(graph.load_graph()); "
            "print(hashlib.sha1(json.dumps(sorted(d['positions'].items())).encode()).hexdigest())")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(runs) == 1
