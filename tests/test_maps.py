"""Maps opened in a real headless Chromium (Debian's, driven by Playwright). Expectations
come from the bundled dataset or, for the data model (graded sources, disputed claims,
Deals, symmetric types, relations that end), from a small hand-built graph; never from the
page itself."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

import graph
from graph.analysis.views import full_view
from graph.dataset import date_start
from graph.selection import edge_date
from graph.synthetic import industry_network
from graph import style
from graph.viz import build_map, write_map
from graph.viz.model import edge_end

from helpers import append_row, run_cli
from map_graphs import XSS, model_graph

pytestmark = pytest.mark.browser
pytest_plugins = ["map_browser"]  # the browser and open_map fixtures


@pytest.fixture
def bundled_map(G, tmp_path):
    return write_map(G, tmp_path / "map.html", title="autograph test")


def _selected(G, **options):
    """(entity ids, relation ids) that `graph.select` keeps: what the page must show."""
    H = graph.select(G, **options)
    return set(H.nodes), {k for *_, k in H.edges(keys=True)}


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
    assert "default-src 'none'" in html


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
    shot = tmp_path / "shot.png"
    page.page.screenshot(path=str(shot))
    from PIL import Image
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50, "the screenshot is blank"


def test_line_styles_follow_status_and_symmetry(G, bundled_map, open_map):
    page = open_map(bundled_map)
    seen = set()
    for *_, k, d in G.edges(keys=True, data=True):
        if (d["status"], d["type"]) in seen:
            continue
        seen.add((d["status"], d["type"]))
        item = page.edge(k)
        expected = graph.style.status_dashes(d["status"])
        assert item["dashes"] == expected, k
        symmetric = graph.schema.REL_TYPES[d["type"]].symmetric
        assert item["arrows"] == ("" if symmetric else "to"), k
    statuses = {d["status"] for *_, d in G.edges(data=True)}
    assert {"ended", "planned", "active"} <= statuses  # the bundled data shows all three
    for *_, k, d in G.edges(keys=True, data=True):
        item = page.edge(k)
        # a disputed relation keeps its type colour (the page draws a marker on it)
        assert item["color"]["color"] == style.REL_COLORS[d["type"]], k
        assert item["color"]["highlight"] == item["color"]["hover"] == item["color"]["color"], k
        assert item["width"] == style.GRADE_WIDTHS[graph.selection.edge_reliability(G, d)], k
    grades = {graph.selection.edge_reliability(G, d) for *_, d in G.edges(data=True)}
    assert {"B", "D"} <= grades  # the bundled data shows thick and thin lines
    for n, d in G.nodes(data=True):
        assert page.node(n)["shape"] == ("diamond" if d["label"] == "Deal" else "dot"), n


def test_search_finds_selects_and_inspects(bundled_map, open_map):
    page = open_map(bundled_map)
    page.page.fill("#search", "Contemporary Amperex")
    page.page.press("#search", "Enter")
    assert page.js("window.autograph.network.getSelectedNodes()") == [page.js("window.autograph.vid('catl')")]
    assert page.page.text_content("#search-status") == "CATL"
    assert page.page.text_content("#inspector-title") == "CATL"
    page.page.fill("#search", "no such thing")
    page.page.press("#search", "Enter")
    assert page.page.text_content("#search-status") == "no match"


def test_filters_follow_the_selection_rules(G, bundled_map, open_map):
    page = open_map(bundled_map)
    labels = {d["label"] for _, d in G.nodes(data=True)}
    page.page.uncheck("#label-filters input[value=Plant]")
    assert page.visible() == _selected(G, labels=tuple(labels - {"Plant"}))
    types = {d["type"] for *_, d in G.edges(data=True)}
    page.page.uncheck("#type-filters input[value=LOCATED_IN]")
    expected = _selected(G, labels=tuple(labels - {"Plant"}),
                         rel_types=tuple(types - {"LOCATED_IN"}))
    assert page.visible() == expected
    assert page.page.text_content("#counts") == (
        f"{len(expected[0])} of {G.number_of_nodes()} entities · {len(expected[1])} of "
        f"{G.number_of_edges()} relations")
    page.page.check("#type-filters input[value=LOCATED_IN]")
    page.page.check("#label-filters input[value=Plant]")
    page.page.uncheck("#status-filters input[value=planned]")
    statuses = {d["status"] for *_, d in G.edges(data=True)}
    assert page.visible() == _selected(G, statuses=tuple(statuses - {"planned"}))
    page.page.check("#status-filters input[value=planned]")
    page.page.fill("#min-confidence", "0.85")
    page.page.dispatch_event("#min-confidence", "input")
    assert page.visible() == _selected(G, min_confidence=0.85)
    page.page.fill("#min-confidence", "0")
    page.page.dispatch_event("#min-confidence", "input")
    for grade in ("B", "C"):
        page.page.select_option("#min-grade", grade)
        assert page.visible() == _selected(G, min_reliability=grade)


def _pixel(page, key, shot):
    """The colour drawn at the centre of entity *key* in a screenshot of the map."""
    pos = page.js("window.autograph.network.canvasToDOM(window.autograph.network"
                  ".getPositions([window.autograph.vid(arg)])[window.autograph.vid(arg)])", key)
    return shot.getpixel((round(pos["x"]), round(pos["y"])))


def _map_shot(page, tmp_path):
    from PIL import Image
    path = tmp_path / "map-shot.png"
    page.page.locator("#map").screenshot(path=str(path))
    return Image.open(path).convert("RGB")


def _loneliest(page, keys):
    """The entity among *keys* drawn farthest from any other: its centre shows its colour."""
    pos = page.js("window.autograph.network.getPositions()")
    pts = [(p["x"], p["y"]) for p in pos.values()]
    def room(key):
        x, y = pos[page.js("window.autograph.vid(arg)", key)].values()
        return min(((x - a) ** 2 + (y - b) ** 2 for a, b in pts if (a, b) != (x, y)), default=1e9)
    return max(keys, key=room)


def test_click_highlights_the_neighbourhood_and_its_relations(G, bundled_map, open_map, tmp_path):
    page = open_map(bundled_map)
    page.js("window.autograph.network.moveTo({position: window.autograph.network"
            ".getPositions([window.autograph.vid('catl')])[window.autograph.vid('catl')],"
            " scale: 1.0, animation: false})")
    page.click_node("catl")
    assert page.js("window.autograph.network.getSelectedNodes()") == [page.js("window.autograph.vid('catl')")]
    near = set(nx_neighbours(G, "catl"))
    lit = page.js("window.autograph.highlighted()")
    assert set(lit["nodes"]) == near | {"catl"}
    assert set(lit["edges"]) == {k for u, v, k in G.edges(keys=True) if "catl" in (u, v)}
    # nothing in the data is recoloured: every relation keeps its type colour
    for *_, k, d in G.edges(keys=True, data=True):
        assert page.edge(k)["color"]["color"] == style.REL_COLORS[d["type"]], k
    # as drawn: an entity outside the neighbourhood is veiled, a neighbour keeps its colour
    page.js("window.autograph.closeInspector()")
    page.js("window.autograph.fit()")
    page.js("window.autograph.inspect('catl')")
    page.js("window.autograph.network.redraw()")
    shown = set(page.visible()[0])
    far = _loneliest(page, [n for n in shown if n not in near and n != "catl"])
    close = _loneliest(page, [n for n in near if n in shown])
    shot = _map_shot(page, tmp_path)
    far_colour = style.hex_to_rgb(style.LABEL_COLORS[G.nodes[far]["label"]])
    drawn = _pixel(page, far, shot)
    assert min(drawn) > 180 and drawn != far_colour, (far, drawn)  # dimmed towards white
    drawn = _pixel(page, close, shot)
    assert max(abs(a - b) for a, b in zip(drawn, style.hex_to_rgb(
        style.LABEL_COLORS[G.nodes[close]["label"]]))) < 12, (close, drawn)
    page.page.keyboard.press("Escape")
    assert page.page.is_hidden("#inspector")
    assert page.js("window.autograph.highlighted()") is None
    page.js("window.autograph.network.redraw()")
    drawn = _pixel(page, far, _map_shot(page, tmp_path))
    assert max(abs(a - b) for a, b in zip(drawn, far_colour)) < 12, (far, drawn)


def nx_neighbours(G, n):
    return set(G.successors(n)) | set(G.predecessors(n))


def test_inspector_shows_catl_as_the_dataset_does(G, bundled_map, open_map):
    page = open_map(bundled_map)
    page.click_node("catl")
    panel = page.page.locator("#inspector")
    assert panel.is_visible()
    data = G.nodes["catl"]
    assert page.page.text_content("#inspector-title") == data["name"]
    assert page.page.text_content("#inspector .meta") == " · ".join(
        v for v in (data["label"], data.get("kind"), data.get("country")) if v)
    for alias in data["aliases"]:
        assert alias in page.page.text_content("#inspector .aliases")
    rels = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if "catl" in (u, v)]
    assert page.page.text_content("#inspector .rel-count") == f"{len(rels)} relations"
    # the partner table comes first, one row per relation
    order = panel.evaluate("e => Array.from(e.querySelectorAll('h3, table, ul.sources'), x => x.className || x.tagName)")
    assert order[:2] == ["rel-count", "partners"]
    assert sorted(panel.locator("tr.rel").evaluate_all("els => els.map(e => e.dataset.rel)")) == sorted(
        k for *_, k, _ in rels)
    registry = G.graph["sources"]
    for u, v, k, d in rels:
        row = panel.locator(f"tr.rel[data-rel='{k}']")
        other = v if u == "catl" else u
        symmetric = graph.schema.REL_TYPES[d["type"]].symmetric
        assert row.locator(".dir").text_content() == ("↔" if symmetric else ("→" if u == "catl" else "←")), k
        assert row.locator("button.link").first.text_content() == G.nodes[other]["name"]
        assert row.locator(".rel-type").text_content() == d["type"].lower().replace("_", " ")
        assert row.locator(".badge").text_content() == d["status"]
        assert row.locator(".grade").text_content() == graph.selection.edge_reliability(G, d)
        assert f"confidence {d['confidence']}" in row.get_attribute("title")
    # each source once, with its grade, title, publisher, date and link
    cited = {s for *_, d in rels for s in (*d["sources"], *d.get("disputedBy", ()))}
    shown = panel.locator("ul.sources li.src").evaluate_all("els => els.map(e => e.dataset.source)")
    assert sorted(shown) == sorted(cited)
    for sid in cited:
        src = registry[sid]
        item = panel.locator(f"li.src[data-source='{sid}']")
        line = item.text_content()
        assert src["title"] in line and (src.get("date") or "") in line
        if src.get("publisher"):
            assert src["publisher"] in line
        if src.get("reliability"):
            assert item.locator(".grade").text_content() == src["reliability"]
        if src.get("url"):
            assert item.locator("a").get_attribute("href") == src["url"]
            assert item.locator("a").get_attribute("target") == "_blank"
    # a relation's type opens its details: evidence and its own sources
    u, v, k, d = rels[0]
    panel.locator(f"tr.rel[data-rel='{k}'] .rel-type").click()
    assert page.page.text_content("#inspector-title") == d["type"]
    item = panel.locator(f"li.rel[data-rel='{k}']")
    assert d["evidence"] in item.text_content()
    assert item.locator("li.src").evaluate_all("els => els.map(e => e.dataset.source)") == d["sources"]
    # a counterpart moves the inspector; Escape closes it
    page.js("window.autograph.inspect('catl')")
    other = v if u == "catl" else u
    panel.locator(f"tr.rel[data-rel='{k}'] button.link").first.click()
    assert page.page.text_content("#inspector-title") == G.nodes[other]["name"]
    page.page.keyboard.press("Escape")
    assert panel.is_hidden()


def test_inspector_is_keyboard_reachable(G, bundled_map, open_map):
    page = open_map(bundled_map)
    page.page.focus("#search")
    page.page.keyboard.type("catl")
    page.page.keyboard.press("Enter")
    assert page.js("document.activeElement.id") == "inspector"
    for _ in range(8):  # the close button, the actions, the path form, then the partners
        page.page.keyboard.press("Tab")
        if page.js("document.activeElement.dataset.node"):
            break
    target = page.js("document.activeElement.dataset.node")
    assert target in nx_neighbours(G, "catl")
    page.page.keyboard.press("Enter")
    assert page.page.text_content("#inspector-title") == G.nodes[target]["name"]
    page.page.keyboard.press("Escape")
    assert page.page.is_hidden("#inspector")


def test_labels_are_readable_at_default_zoom(G, bundled_map, open_map):
    """1366x768, no zoom: the most central entities' labels are >= 10 px on screen (canvas
    scale x font size, from vis-network), and no two drawn labels overlap."""
    page = open_map(bundled_map, viewport=(1366, 768))
    scale = page.js("window.autograph.network.getScale()")
    assert scale < 1  # the whole network fits: without enlarged labels they would be unreadable
    degree = dict(full_view(G).degree())
    top = sorted(degree, key=lambda n: -degree[n])[:5]
    for n in top:
        font = page.js("window.autograph.network.body.nodes[window.autograph.vid(arg)].options.font.size", n)
        assert font * scale >= 10, (n, font * scale)
    # vis-network applies font.vadjust when it draws, after sizing the label box
    boxes = page.js("""Object.values(window.autograph.network.body.nodes)
        .filter(n => n.labelModule.visible()).map(n => Object.assign({}, n.labelModule.size,
            {top: n.labelModule.size.top + (n.options.font.vadjust || 0)}))""")
    assert len(boxes) >= 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = (a["left"] + a["width"] <= b["left"] or b["left"] + b["width"] <= a["left"]
                     or a["top"] + a["height"] <= b["top"] or b["top"] + b["height"] <= a["top"])
            assert apart, (a, b)
    # zoomed in on the densest entity, more labels are drawn
    page.js("window.autograph.network.moveTo({position: window.autograph.network.getPositions("
            "[window.autograph.vid(arg)])[window.autograph.vid(arg)], scale: 2.5, animation: false})",
            top[0])
    page.js("window.autograph.placeLabels()")
    near = [n for n in nx_neighbours(G, top[0])]
    drawn = page.js("arg.filter(k => window.autograph.network.body.nodes[window.autograph.vid(k)].labelModule.visible()).length", near)
    assert drawn >= 1


def _day_before(day: str) -> str:
    return (date_start(day) - dt.timedelta(days=1)).isoformat()


def test_time_slider_shows_relations_when_they_hold(G, bundled_map, open_map):
    page = open_map(bundled_map)
    vw_rivian = [(k, d) for u, v, k, d in G.edges(keys=True, data=True)
                 if {u, v} == {"volkswagen-group", "rivian"}]
    assert vw_rivian
    for key, d in vw_rivian:
        start = date_start(edge_date(G, d)).isoformat()
        page.js("window.autograph.setTime(arg)", _day_before(start))
        nodes, rels = page.visible()
        assert key not in rels
        assert (nodes, rels) == _selected(G, as_of=_day_before(start))
        assert page.page.text_content("#time-label") == f"as of {_day_before(start)}"
        page.js("window.autograph.setTime(arg)", start)
        nodes, rels = page.visible()
        assert key in rels
        assert (nodes, rels) == _selected(G, as_of=start)
        assert page.page.text_content("#counts") == (
            f"{len(nodes)} of {G.number_of_nodes()} entities · {len(rels)} of "
            f"{G.number_of_edges()} relations · as of {start}")
    # the slider itself: one even step per year (the end of it), Home the first, End all dates
    dates = sorted({date_start(edge_date(G, d)).isoformat() for *_, d in G.edges(data=True)
                    if edge_date(G, d)} | {edge_end(G, d) for *_, d in G.edges(data=True)
                                           if edge_end(G, d) not in ("", "0001-01-01")})
    first, last = int(dates[0][:4]), int(dates[-1][:4])
    assert page.page.get_attribute("#time-slider", "max") == str(last - first + 1)
    page.page.focus("#time-slider")
    page.page.keyboard.press("Home")
    assert page.page.text_content("#time-label") == f"as of {first}-12-31"
    assert page.visible() == _selected(G, as_of=f"{first}-12-31")
    page.page.keyboard.press("ArrowRight")
    assert page.page.text_content("#time-label") == f"as of {first + 1}-12-31"
    ticks = page.page.eval_on_selector_all("#time-axis span", "els => els.map(e => Number(e.textContent))")
    assert len(ticks) >= 2 and all(first <= y <= last for y in ticks)
    steps = {b - a for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1  # an even axis
    page.page.keyboard.press("End")
    assert page.page.text_content("#time-label") == "all dates"
    assert page.visible() == _selected(G)
    # play steps through the dates
    page.page.click("#play")
    page.page.wait_for_function("document.getElementById('time-label').textContent !== 'all dates'")
    page.page.click("#play")
    assert page.page.text_content("#play") == "Play"


def test_ended_relations_disappear_after_their_end(G, bundled_map, open_map):
    page = open_map(bundled_map)
    ended = [(k, d) for *_, k, d in G.edges(keys=True, data=True) if d["status"] == "ended"]
    assert ended
    for k, d in ended:
        end = edge_end(G, d)
        page.js("window.autograph.setTime(arg)", end)
        assert k not in page.visible()[1], k
        start = date_start(edge_date(G, d)).isoformat() if edge_date(G, d) else ""
        if start and start < end:
            page.js("window.autograph.setTime(arg)", _day_before(end))
            assert k in page.visible()[1], k


def test_the_view_round_trips_through_the_url_fragment(G, bundled_map, open_map):
    page = open_map(bundled_map)
    page.page.uncheck("#label-filters input[value=Plant]")
    page.page.uncheck("#status-filters input[value=planned]")
    page.page.fill("#min-confidence", "0.6")
    page.page.dispatch_event("#min-confidence", "input")
    page.js("window.autograph.setTime('2024-06-30')")
    page.js("window.autograph.inspect('volkswagen-group')")
    page.js("window.autograph.network.moveTo({position: {x: 40, y: -25}, scale: 1.7, animation: false})")
    page.js("window.autograph.network.emit('zoom', {})")
    page.page.wait_for_function("location.hash.includes('view=')")
    url = page.page.url
    assert "focus=volkswagen-group" in url and "t=2024-06-30" in url
    shown = page.visible()
    again = open_map(url)
    assert again.errors == []
    assert again.visible() == shown
    assert again.page.text_content("#inspector-title") == G.nodes["volkswagen-group"]["name"]
    assert again.page.is_checked("#label-filters input[value=Plant]") is False
    assert again.page.input_value("#min-confidence") == "0.6"
    assert again.page.text_content("#time-label") == "as of 2024-06-30"
    assert again.js("window.autograph.network.getScale()") == pytest.approx(1.7, abs=1e-3)
    view = again.js("window.autograph.network.getViewPosition()")
    assert (view["x"], view["y"]) == (pytest.approx(40, abs=0.2), pytest.approx(-25, abs=0.2))
    # a hostile fragment is ignored, not executed
    bad = open_map(page.url + "#focus=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&t=%3Cb%3E&view=1,2,x")
    assert bad.errors == [] and bad.dialogs == [] and bad.page.is_hidden("#inspector")


def test_png_export_is_a_non_blank_image(bundled_map, open_map, tmp_path):
    page = open_map(bundled_map)
    with page.page.expect_download() as info:
        page.page.click("#save-png")
    target = tmp_path / "view.png"
    info.value.save_as(target)
    assert info.value.suggested_filename == "autograph-test.png"
    from PIL import Image
    image = Image.open(target).convert("RGB")
    assert image.size[0] > 300 and image.size[1] > 300
    assert len(image.getcolors(maxcolors=1_000_000)) > 50
    assert page.requests == [page.url]


def test_tooltips_never_stick(bundled_map, open_map):
    page = open_map(bundled_map)
    page.js("window.autograph.network.moveTo({position: window.autograph.network"
            ".getPositions([window.autograph.vid('catl')])[window.autograph.vid('catl')],"
            " scale: 1.5, animation: false})")
    pos = page.js("window.autograph.network.canvasToDOM(window.autograph.network"
                  ".getPositions([window.autograph.vid('catl')])[window.autograph.vid('catl')])")
    box = page.page.locator("#map").bounding_box()
    page.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    header = page.page.locator("header").bounding_box()
    page.page.mouse.move(header["x"] + 5, header["y"] + 5)
    page.page.wait_for_selector("div.vis-tooltip", state="hidden", timeout=2000)


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
    source = G.graph["sources"]["001_a3af7357bdf967bf"] = dict(
        G.graph["sources"]["001_a3af7357bdf967bf"], title=f"title {XSS}",
        publisher="<b>pub</b>", url="javascript:alert(4)")
    path = write_map(G, tmp_path / "xss.html", title=f"Title {XSS}")
    page = open_map(path)
    page.page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []
    assert page.page.query_selector_all("img") == []
    assert page.page.text_content("#title") == f"Title {XSS}"
    assert page.node("xss-co")["label"] == XSS
    # hover the node: the tooltip shows the name as text, not markup
    page.js("window.autograph.network.moveTo({position: {x: 0, y: 0}, scale: 1, animation: false})")
    pos = page.js("window.autograph.network.canvasToDOM(window.autograph.network"
                  ".getPositions([window.autograph.vid('xss-co')])[window.autograph.vid('xss-co')])")
    box = page.page.locator("#map").bounding_box()
    page.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tooltip = page.page.query_selector("div.vis-tooltip")
    assert XSS in tooltip.text_content()
    # vis-network shows a string title as text and turns line breaks into <br>: no other markup
    tags = tooltip.eval_on_selector_all("*", "els => els.map(e => e.tagName)")
    assert set(tags) <= {"BR"}
    # the inspector: names, evidence and source titles as text, no javascript: link
    page.js("window.autograph.inspect('xss-co')")
    inspector = page.page.locator("#inspector")
    assert page.page.text_content("#inspector-title") == XSS
    assert f"evidence {XSS}" in inspector.locator("tr.rel").first.get_attribute("title")
    assert source["title"] in inspector.text_content() and "<b>pub</b>" in inspector.text_content()
    assert inspector.locator("a").count() == 0
    allowed = {"BUTTON", "DIV", "H2", "H3", "P", "UL", "LI", "SPAN", "SECTION", "DL", "DT", "DD",
               "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "FORM", "INPUT"}
    tags = set(inspector.evaluate("e => Array.from(e.querySelectorAll('*'), x => x.tagName)"))
    assert tags <= allowed
    page.js("window.autograph.inspectRelation('xss-supplies-catl')")
    assert f"evidence {XSS}" in inspector.text_content()
    assert set(inspector.evaluate("e => Array.from(e.querySelectorAll('*'), x => x.tagName)")) <= allowed
    # search suggestions and the path status: text too
    page.js("window.autograph.closeInspector()")
    page.page.click("#search")
    page.page.keyboard.type("<img src")
    assert XSS in page.page.eval_on_selector_all("#search-suggestions option", "els => els.map(e => e.value)")
    page.js("window.autograph.inspect('xss-co')")
    path = page.js("window.autograph.path('xss-co', 'catl')")
    assert path[0] == "xss-co" and path[-1] == "catl"
    assert page.page.text_content("#inspector .path-status").startswith(f"Path: {XSS} → ")
    assert page.dialogs == [] and page.page.query_selector_all("img") == []
    # the slider labels and counts stay text through the time filter
    page.js("window.autograph.setTime('2024-12-31')")
    assert page.page.locator("#time").evaluate("e => e.querySelectorAll('img, script').length") == 0
    assert page.page.text_content("#time-label") == "as of 2024-12-31"
    assert page.dialogs == [] and page.page.query_selector_all("img") == []


def test_ids_that_name_object_properties_render(tmp_path, open_map):
    """Issue 17 finding 9: an id `constructor` (or `__proto__`, `toString`) broke the map."""
    import networkx as nx

    G = nx.MultiDiGraph()
    G.graph["sources"] = {"__proto__": {"title": "proto source", "date": "2024"},
                          "constructor": {"title": "constructor source", "date": "2023"}}
    for n in ("constructor", "__proto__", "toString", "hasOwnProperty", "plain"):
        G.add_node(n, label="Company", name=f"name {n}", aliases=[], country="BE")
    pairs = [("constructor", "__proto__", "toString"), ("__proto__", "toString", "constructor"),
             ("toString", "hasOwnProperty", "__proto__"), ("plain", "constructor", "valueOf")]
    for u, v, k in pairs:
        G.add_edge(u, v, key=k, id=k, type="SUPPLIES", status="active", date="2024",
                   confidence=0.9, sources=["__proto__", "constructor"], evidence=k)
    page = open_map(write_map(G, tmp_path / "proto.html"))
    assert page.errors == []
    assert page.js("window.autograph.nodeView.length") == 5
    assert page.js("window.autograph.edgeView.length") == 4
    page.js("window.autograph.inspect('constructor')")
    assert page.page.text_content("#inspector-title") == "name constructor"
    assert "proto source" in page.page.text_content("#inspector")
    page.js("window.autograph.setTime('2024-01-01')")
    page.js("window.autograph.inspect('__proto__')")
    url = page.page.url
    assert "focus=__proto__" in url
    again = open_map(url)
    assert again.errors == []
    assert again.page.text_content("#inspector-title") == "name __proto__"


def test_large_map_has_a_precomputed_layout_and_no_physics(tmp_path, open_map):
    G = industry_network(1500, 4000, seed=2)
    page = open_map(write_map(G, tmp_path / "big.html", color_by="community",
                              size_by="pagerank"))
    assert page.errors == [] and page.requests == [page.url]
    assert page.js("window.autograph.network.physics.options.enabled") is False
    assert page.node("company-0")["x"] is not None
    assert page.js("window.autograph.nodes.length") == G.number_of_nodes()
    legend = page.page.eval_on_selector_all(".legend-item", "els => els.length")
    assert legend > 1


def test_map_cli_in_a_subprocess(G, autograph_exe, tmp_path, open_map):
    out = tmp_path / "catl.html"
    result = run_cli(autograph_exe, "map", "--focus", "catl", "--hops", "2", "--color-by",
                     "country", "--size-by", "betweenness", "--as-of", "2025", "-o", str(out),
                     "--title", "CATL", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    H = graph.select(G, focus="catl", hops=2, as_of="2025")
    assert "northvolt" not in H  # ended
    assert result.stdout == (f"wrote {out} ({H.number_of_nodes()} entities, "
                             f"{H.number_of_edges()} relations)\n")
    page = open_map(out)
    assert page.js("window.autograph.nodes.length") == H.number_of_nodes()
    bad = run_cli(autograph_exe, "map", "--color-by", "size", cwd=tmp_path)
    assert bad.returncode == 2 and "Invalid value for '--color-by'" in bad.stderr


def test_build_map_rejects_unknown_options(G):
    with pytest.raises(ValueError, match="color-by must be one of label, community, country"):
        build_map(G, color_by="size")


# -- the data model, on a small hand-built graph ----------------------------------------


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
    page.js("window.autograph.inspectRelation('acme-supplies-beta')")
    supplies = panel.locator("li.rel[data-rel='acme-supplies-beta']").text_content()
    assert "confidence 0.9" in supplies and "best source grade A" in supplies


def _midpoint(page, key):
    a, b = (page.js("window.autograph.network.canvasToDOM(window.autograph.network"
                    ".getPositions([window.autograph.vid(arg)])[window.autograph.vid(arg)])", n)
            for n in key)
    return (a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2


def _reddish(shot, x, y, r=12):
    """Pixels near (x, y) in the disputed colour."""
    red = style.hex_to_rgb(style.DISPUTED_COLOR)
    return sum(1 for i in range(round(x) - r, round(x) + r) for j in range(round(y) - r, round(y) + r)
               if max(abs(a - b) for a, b in zip(shot.getpixel((i, j)), red)) < 40)


def test_disputed_relations_are_marked_and_name_the_contradicting_source(model_map, open_map,
                                                                          tmp_path):
    G, path = model_map
    page = open_map(path)
    assert page.edge("gamma-owns-beta")["color"]["color"] == style.REL_COLORS["OWNS"]
    # the marker: a ring in the disputed colour, 16 px across at the default zoom, on the
    # disputed relation only
    shot = _map_shot(page, tmp_path)
    assert _reddish(shot, *_midpoint(page, ("gamma", "beta"))) > 40
    assert _reddish(shot, *_midpoint(page, ("acme", "beta"))) == 0
    page.js("window.autograph.inspect('gamma')")
    row = page.page.locator("tr.rel[data-rel='gamma-owns-beta']")
    reference = G.graph["sources"]["s-ref"]["title"]
    assert row.locator(".disputed-mark").get_attribute("title") == f"Disputed by: {reference}"
    assert page.page.locator("tr.rel[data-rel='acme-supplies-beta']").count() == 0  # not gamma's
    page.js("window.autograph.inspectRelation('gamma-owns-beta')")
    item = page.page.locator("li.rel[data-rel='gamma-owns-beta']")
    assert item.locator(".disputed").text_content() == f"Disputed by: {reference}"
    # the contradicting source is listed with its grade and link
    assert item.locator("li.src[data-source='s-ref'] .grade").text_content() == "A"


def test_symmetric_types_have_no_arrowheads_and_deals_are_diamonds(model_map, open_map):
    G, path = model_map
    page = open_map(path)
    assert page.edge("acme-partners-gamma")["arrows"] == ""
    assert page.edge("acme-supplies-beta")["arrows"] == "to"
    assert page.node("deal-x")["shape"] == "diamond"
    assert page.node("acme")["shape"] == "dot"
    page.js("window.autograph.inspect('deal-x')")
    panel = page.page.locator("#inspector")
    assert panel.locator("tr.rel[data-type=PARTY_TO]").count() == 2
    for u, _, k, d in G.in_edges("deal-x", keys=True, data=True):
        item = panel.locator(f"tr.rel[data-rel='{k}']")
        assert item.locator("button.link").first.text_content() == G.nodes[u]["name"]
        assert item.locator(".rel-type").text_content() == "party"
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


def test_clicking_a_relation_inspects_it_and_the_fragment_keeps_it(model_map, open_map):
    G, path = model_map
    page = open_map(path)
    a, b = (page.js("window.autograph.network.canvasToDOM(window.autograph.network"
                    ".getPositions([window.autograph.vid(arg)])[window.autograph.vid(arg)])", n)
            for n in ("beta", "delta"))
    box = page.page.locator("#map").bounding_box()
    page.page.mouse.click(box["x"] + (a["x"] + b["x"]) / 2, box["y"] + (a["y"] + b["y"]) / 2)
    data = G.edges["beta", "delta", "beta-invests-delta"]
    assert page.page.text_content("#inspector-title") == data["type"]
    item = page.page.locator("#inspector li.rel[data-rel='beta-invests-delta']")
    assert item.locator(".badge").text_content() == data["status"]
    assert [b.text_content() for b in item.locator("button.link").all()] == ["Beta Motors", "Delta"]
    page.page.wait_for_function("location.hash.includes('relation=beta-invests-delta')")
    again = open_map(page.page.url)
    assert again.page.text_content("#inspector-title") == data["type"]
