"""Interactive network maps: one self-contained HTML file, built on pyvis and vis-network.

pyvis supplies the vis-network options model and the vis-network library it bundles; the
page itself comes from ``template.html`` here, because pyvis 0.3.2's template loads
Bootstrap and vis-network from CDNs (and names a ``../node_modules`` path) even with
``cdn_resources="in_line"``. Our page inlines every script and stylesheet and references no
URL, so it works offline, by mail and on an intranet.

Nodes and edges go into the page as plain lists: pyvis's ``Network.add_node``/``add_edge``
check membership in Python lists on every call (quadratic), and ``from_nx`` is slower still.

All text from data reaches the page as JSON inside a script (``<``, ``>`` and ``&``
escaped) or through Jinja2's HTML autoescaping, and the page shows it with ``textContent``
and vis-network's plain-text tooltips: a name like ``<img src=x onerror=alert(1)>`` stays
text. Ids from data never become JavaScript property names: vis-network keeps its items in
plain objects, where an id such as ``constructor`` or ``__proto__`` finds
``Object.prototype`` and breaks the drawing. The page gives vis ``n:<id>`` and ``e:<n>``
and keeps lookups in ``Map`` objects.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from .. import schema, style
from ..analysis.evidence import weighted
from ..analysis.views import full_view
from ..selection import edge_date
from .model import (COLOR_BY, GRADES, SIZE_BY, best_grade, categories, edge_end, edge_start,
                    edge_style, is_symmetric, layout, node_sizes)

__all__ = ["COLOR_BY", "SIZE_BY", "map_data", "build_map", "write_map"]

# Shown in their own lines of the inspector, not as figures: the declared columns of entities,
# deals and relations (a PARTY_TO relation's role included); the rest are figures.
_NODE_FIELDS = {*schema.ENTITY_FIELDS, *schema.DATASET_FILES["deals.csv"][0], "disputedBy"}
_EDGE_FIELDS = {*schema.RELATION_FIELDS, "role"}
_SOURCE_FIELDS = ("title", "publisher", "date", "kind", "reliability", "reliabilityNote", "url")
_HERE = Path(__file__).resolve().parent
_VIS = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


def _asset(name: str) -> str:
    """A vis-network file from pyvis's bundle, without its source-map comment (a URL)."""
    text = (_VIS / name).read_text(encoding="utf-8")
    text = re.sub(r"[/*]+# sourceMappingURL=\S*", "", text)
    if "</script" in text.lower():  # would end our inline <script> early
        raise RuntimeError(f"{name} contains '</script' and cannot be inlined")
    return text


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside <script>: no '</script>', no '<!--', no HTML entities."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _figures(data: dict[str, Any], skip: set[str]) -> list[list]:
    """Remaining attributes as [name, value] pairs (never object keys in the page)."""
    return [[k, v if isinstance(v, (int, float, bool)) else str(v)]
            for k, v in data.items() if k not in skip and v not in ("", None, [], ())]


def _node_record(n: Any, d: dict[str, Any], category: tuple[str, str], size: float,
                 position: tuple[float, float] | None) -> dict[str, Any]:
    label = d.get("label", "")
    # "category", not vis-network's "group": vis paints its own group colours over ours
    # whenever a node's options change.
    record = {"id": f"n:{n}", "key": str(n), "label": d.get("name", str(n)),
              "color": category[1], "size": size, "category": category[0], "nodeLabel": label,
              "shape": style.LABEL_SHAPES.get(label, "dot"), "kind": d.get("kind", ""),
              "country": d.get("country", ""), "aliases": list(d.get("aliases", ())),
              "description": d.get("description", ""),
              "figures": _figures(d, _NODE_FIELDS)}
    for field in ("status", "date", "endDate", "asOf", "evidence"):
        if d.get(field):
            record[field] = str(d[field])
    if d.get("confidence") not in (None, ""):
        record["confidence"] = d["confidence"]
    if d.get("sources"):
        record["sources"] = list(d["sources"])
    if position is not None:
        record["x"], record["y"] = position
    return record


def _edge_times(G: nx.MultiDiGraph, d: dict[str, Any], cache: dict) -> tuple:
    """(since, start, end, grade) of a relation; many relations share their dates and
    sources, so the answers are cached (20k-node maps stay under their time budget)."""
    sources = tuple(d.get("sources", ()))
    key = (d.get("date"), d.get("asOf"), d.get("endDate"), d.get("status"), sources)
    if key not in cache:
        cache[key] = (edge_date(G, d), edge_start(G, d), edge_end(G, d), best_grade(G, sources))
    return cache[key]


def _edge_record(G: nx.MultiDiGraph, index: int, u: Any, v: Any, k: Any,
                 d: dict[str, Any], cache: dict) -> dict[str, Any]:
    look = edge_style(d)
    since, start, end, grade = _edge_times(G, d, cache)
    # the type colour also when selected or hovered (vis-network greys them by default)
    color = {"color": look["color"], "highlight": look["color"], "hover": look["color"],
             "opacity": look["opacity"]}
    record = {"id": f"e:{index}", "key": str(d.get("id", k)), "from": f"n:{u}",
              "to": f"n:{v}", "relType": d.get("type", ""), "status": d.get("status", ""),
              "since": since, "start": start, "end": end,
              "confidence": d.get("confidence", ""), "grade": grade,
              "sources": list(d.get("sources", ())), "evidence": d.get("evidence", ""),
              "color": color, "width": style.GRADE_WIDTHS.get(grade, 1.0),
              "dashes": look["dashes"], "arrows": "to" if look["arrow"] else "",
              "symmetric": not look["arrow"]}
    for field in ("deal", "role", "date", "endDate", "asOf"):
        if d.get(field):
            record[field] = str(d[field])
    if look["disputed"]:
        record["disputedBy"] = list(d["disputedBy"])
    figures = _figures(d, _EDGE_FIELDS)
    if figures:
        record["figures"] = figures
    return record


def _sources(G: nx.MultiDiGraph) -> list[list]:
    """[id, record] for every source the map cites (a list: ids never become keys)."""
    registry = G.graph.get("sources", {})
    cited = dict.fromkeys(s for *_, d in G.edges(data=True)
                          for s in (*d.get("sources", ()), *d.get("disputedBy", ())))
    cited.update(dict.fromkeys(s for _, d in G.nodes(data=True) for s in d.get("sources", ())))
    out = []
    for sid in cited:
        src = registry.get(sid, {})
        out.append([str(sid), {f: str(src.get(f) or "") for f in _SOURCE_FIELDS}])
    return out


def _layout_graph(G: nx.MultiDiGraph, V: nx.Graph | None = None) -> nx.Graph:
    """Every node, one edge per pair: *V* (the analysis view) plus what it leaves out (Deal
    nodes and their PARTY_TO edges), so a deal is drawn next to its parties."""
    V = full_view(G) if V is None else V
    missing = set(G) - set(V)
    if not missing:
        return V
    H = nx.Graph(V)
    missing = [n for n in G if n in missing]  # in G's order: the layout is the same every run
    H.add_nodes_from(missing)
    H.add_edges_from((u, v) for n in missing for u, v in
                     (*G.in_edges(n), *G.out_edges(n)) if u != v)
    return H


def map_data(G: nx.MultiDiGraph, color_by: str = "label", size_by: str = "degree",
             seed: int = 42, positions: dict | None = None) -> dict[str, Any]:
    """Everything the page (and a static image) draws, as plain data.

    Returns a dict with ``nodes``, ``edges`` (vis-network items with autograph's fields),
    ``sources`` ([id, record] pairs), ``legend``, ``rel_legend``, ``labels``, ``statuses``,
    ``grades``, ``positions`` (computed here: the page never lays out) and ``main`` (the
    keys of the connected part, which the view fits; isolated entities and small components
    are set aside under it).
    """
    V = full_view(G)
    sizes = node_sizes(full_view(weighted(G, "evidence")) if size_by == "evidence" else V,
                       size_by, seed)
    cats, legend = categories(G, V, color_by, seed)
    main: set = set(G)
    if positions is None:
        group = {n: c for n, (c, _) in cats.items()} if color_by == "community" else None
        positions, main = layout(_layout_graph(G, V), seed, group)
    nodes = [_node_record(n, d, cats[n], sizes.get(n, style.node_size(0, 1)), positions.get(n))
             for n, d in G.nodes(data=True)]
    cache: dict = {}
    edges = [_edge_record(G, i, u, v, k, d, cache)
             for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True))]
    rel_counts = Counter(e["relType"] for e in edges)
    rel_legend = [{"name": t, "color": style.REL_COLORS.get(t, style.UNKNOWN_COLOR),
                   "count": c, "symmetric": is_symmetric(t)}
                  for t, c in sorted(rel_counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    present = {e["status"] for e in edges}
    grades_present = {e["grade"] for e in edges if e["grade"]}
    return {"nodes": nodes, "edges": edges, "sources": _sources(G), "legend": legend,
            "rel_legend": rel_legend, "positions": positions,
            "main": [str(n) for n in G if n in main],
            "labels": sorted({d.get("label", "") for _, d in G.nodes(data=True)}),
            "statuses": [s for s in schema.STATUSES if s in present]
            + sorted(present - set(schema.STATUSES)),
            "grades": [g for g in GRADES if g in grades_present],
            "disputed": sum(1 for e in edges if e.get("disputedBy"))}


def _options(seed: int) -> dict[str, Any]:
    """vis-network options: physics off (the layout comes from Python), straight edges."""
    net = Network(directed=True, cdn_resources="in_line")
    net.toggle_physics(False)
    options = json.loads(net.options.to_json())
    # selectConnectedEdges: a hub's hundreds of edges would be drawn one by one; the page
    # highlights the neighbourhood itself
    options["interaction"].update(hover=True, tooltipDelay=200, hideEdgesOnDrag=False,
                                  selectConnectedEdges=False, hoverConnectedEdges=False,
                                  keyboard={"enabled": False})
    options["edges"]["smooth"] = False
    # Labels below 9 px on screen are not drawn; the page enlarges the labels it chooses
    # to show (the most central ones that do not overlap) and caps them at 22 px.
    options["nodes"] = {"font": {"size": 12, "face": "arial"}, "borderWidth": 1,
                        "scaling": {"label": {"drawThreshold": 10, "maxVisible": 22}}}
    options["layout"] = {"randomSeed": seed, "improvedLayout": False}
    return options


def build_map(G: nx.MultiDiGraph, title: str = "autograph network", color_by: str = "label",
              size_by: str = "degree", seed: int = 42, subtitle: str = "") -> str:
    """The HTML page of an interactive map of *G*.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A graph in autograph's model (select a slice first with :func:`graph.select`).
    color_by : {"label", "community", "country"}
    size_by : {"degree", "pagerank", "betweenness", "evidence"}

    The layout is computed here (:func:`graph.viz.model.layout`) and the page runs no
    physics, so it never blocks on a layout.

    Examples
    --------
    >>> import graph
    >>> html = build_map(graph.select(graph.load_graph(), focus="catl"))
    >>> "<script src" in html or "<link" in html
    False
    """
    data = map_data(G, color_by, size_by, seed)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_HERE), autoescape=True)
    return env.get_template("template.html").render(
        title=title, subtitle=subtitle, n_nodes=G.number_of_nodes(), n_edges=G.number_of_edges(),
        color_by=color_by, size_by=size_by, legend=data["legend"],
        rel_legend=data["rel_legend"], labels=data["labels"], statuses=data["statuses"],
        grades=[g for g in GRADES if g != "F"], disputed=data["disputed"],
        grade_widths=style.GRADE_WIDTHS,
        dashes={"ended": style.ENDED_DASHES, "planned": style.PLANNED_DASHES},
        disputed_color=style.DISPUTED_COLOR, deal_color=style.LABEL_COLORS["Deal"],
        has_deals="Deal" in data["labels"],
        vis_js=_asset("vis-network.min.js"), vis_css=_asset("vis-network.css"),
        nodes_json=_json_for_script(data["nodes"]), edges_json=_json_for_script(data["edges"]),
        sources_json=_json_for_script(data["sources"]),
        meta_json=_json_for_script({"nNodes": G.number_of_nodes(),
                                    "nEdges": G.number_of_edges(), "grades": list(GRADES),
                                    "main": data["main"], "colorBy": color_by}),
        options_json=_json_for_script(_options(seed)))


def write_map(G: nx.MultiDiGraph, path: str | Path, **options: Any) -> Path:
    """Write :func:`build_map`'s page to *path* (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(build_map(G, **options), encoding="utf-8")
    return path
