"""Interactive network maps: one self-contained HTML file, built on pyvis and vis-network.

pyvis supplies the vis-network options model and the vis-network library it bundles; the
page itself comes from ``template.html`` here, because pyvis 0.3.2's template loads
Bootstrap and vis-network from CDNs (and names a ``../node_modules`` path) even with
``cdn_resources="in_line"``. Our page inlines every script and stylesheet and references no
URL, so it works offline, by mail and on an intranet.

Nodes and edges go into pyvis's lists directly: ``Network.add_node``/``add_edge`` check
membership in Python lists on every call (quadratic), and ``from_nx`` is slower still.

All text from data reaches the page as JSON inside a script (``<``, ``>`` and ``&``
escaped) or through Jinja2's HTML autoescaping, and the page shows it with ``textContent``
and vis-network's plain-text tooltips: a name like ``<img src=x onerror=alert(1)>`` stays
text.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from .. import schema, style
from ..analysis.measures import (betweenness_centrality, louvain_communities, pagerank,
                                 seeded_igraph, to_igraph)
from ..analysis.views import full_view
from ..selection import edge_date

__all__ = ["COLOR_BY", "SIZE_BY", "LAYOUT_THRESHOLD", "build_map", "write_map"]

COLOR_BY = ("label", "community", "country")
SIZE_BY = ("degree", "pagerank", "betweenness")
LAYOUT_THRESHOLD = 1000
_FIGURE_SKIP = {"label", "name", "aliases", "kind", "country", "description"}
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


def _sizes(G: nx.MultiDiGraph, V: nx.Graph, size_by: str, seed: int) -> dict:
    """Node sizes from a measure on the analysis view; nodes outside it (deals) get the
    smallest size."""
    if size_by == "degree":
        raw = dict(V.degree())
    elif size_by == "pagerank":
        raw = pagerank(V)
    elif size_by == "betweenness":
        raw = betweenness_centrality(V, seed=seed)
    else:
        raise ValueError(f"size-by must be one of {', '.join(SIZE_BY)}")
    top = max(raw.values(), default=0)
    return {n: style.node_size(raw.get(n, 0), top) for n in G}


def _categories(G: nx.MultiDiGraph, V: nx.Graph, color_by: str, seed: int
                ) -> tuple[dict, list[dict]]:
    """Node -> category, and the legend entries (name, colour, count)."""
    if color_by == "label":
        cat = {n: d.get("label", "") for n, d in G.nodes(data=True)}
        colors = style.LABEL_COLORS
    elif color_by == "country":
        cat = {n: d.get("country") or "none" for n, d in G.nodes(data=True)}
        order = [c for c, _ in Counter(cat.values()).most_common()]
        colors = {c: style.color_for(i) for i, c in enumerate(order)}
    elif color_by == "community":
        membership = louvain_communities(V, seed=seed).membership()
        cat = {n: f"community {membership[n]}" if n in membership else d.get("label", "")
               for n, d in G.nodes(data=True)}
        colors = {f"community {i}": style.color_for(i) for i in set(membership.values())}
    else:
        raise ValueError(f"color-by must be one of {', '.join(COLOR_BY)}")
    counts = Counter(cat.values())
    legend = [{"name": c, "color": colors.get(c, "#999999"), "count": counts[c]}
              for c in sorted(counts, key=lambda c: (-counts[c], c))]
    return {n: (c, colors.get(c, "#999999")) for n, c in cat.items()}, legend


def _node_title(d: dict[str, Any]) -> str:
    lines = [d.get("name", ""), f"{d.get('label', '')}" + (f" · {d['kind']}" if d.get("kind") else "")]
    if d.get("country"):
        lines.append(f"country: {d['country']}")
    if d.get("aliases"):
        lines.append("also: " + ", ".join(d["aliases"]))
    lines += [f"{k}: {v}" for k, v in d.items() if k not in _FIGURE_SKIP]
    if d.get("description"):
        lines.append(d["description"])
    return "\n".join(lines)


def _edge_title(G: nx.MultiDiGraph, d: dict[str, Any]) -> str:
    lines = [f"{d.get('type', '')} ({d.get('status', '')})"]
    when = edge_date(G, d)
    if when:
        lines.append(f"date: {when}")
    if d.get("evidence"):
        lines.append(d["evidence"])
    if d.get("sources"):
        lines.append("source: " + ", ".join(d["sources"]))
    return "\n".join(lines)


def _layout(V: nx.Graph, seed: int) -> dict:
    """Positions for large graphs (physics off): igraph's grid Fruchterman-Reingold."""
    g, nodes = to_igraph(V)
    with seeded_igraph(seed):
        coords = g.layout_fruchterman_reingold(grid=True, niter=200, weights=None)
    spread = 40 * math.sqrt(len(nodes))
    xs, ys = zip(*coords.coords) if len(nodes) else ((), ())
    span = max(max(xs, default=1) - min(xs, default=0), max(ys, default=1) - min(ys, default=0)) or 1
    return {n: (round(x / span * spread, 1), round(y / span * spread, 1))
            for n, (x, y) in zip(nodes, coords.coords)}


def build_map(G: nx.MultiDiGraph, title: str = "autograph network", color_by: str = "label",
              size_by: str = "degree", seed: int = 42,
              layout_threshold: int = LAYOUT_THRESHOLD) -> str:
    """The HTML page of an interactive map of *G*.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A graph in autograph's model (select a slice first with :func:`graph.select`).
    color_by : {"label", "community", "country"}
    size_by : {"degree", "pagerank", "betweenness"}
    layout_threshold : int
        Above this many nodes the layout is computed here and physics is off, so the page
        is usable at once.

    Examples
    --------
    >>> import graph
    >>> html = build_map(graph.select(graph.load_graph(), focus="catl"))
    >>> "<script src" in html or "<link" in html
    False
    """
    V = full_view(G)
    sizes = _sizes(G, V, size_by, seed)
    cats, legend = _categories(G, V, color_by, seed)
    positions = _layout(V, seed) if G.number_of_nodes() > layout_threshold else {}

    net = Network(directed=True, cdn_resources="in_line")
    net.node_ids = list(G.nodes)
    for n, d in G.nodes(data=True):
        category, color = cats[n]
        node = {"id": n, "label": d.get("name", str(n)), "title": _node_title(d),
                "color": color, "size": sizes[n], "shape": "dot", "group": category,
                "nodeLabel": d.get("label", ""), "search": " ".join(
                    [str(n), d.get("name", ""), *d.get("aliases", [])]).lower()}
        if n in positions:
            node["x"], node["y"] = positions[n]
        net.nodes.append(node)
    rel_counts: Counter = Counter()
    symmetric = schema.symmetric_types()
    for u, v, k, d in G.edges(keys=True, data=True):
        rel = d.get("type", "")
        rel_counts[rel] += 1
        ended = d.get("status") == "ended"
        net.edges.append({"id": str(k), "from": u, "to": v, "title": _edge_title(G, d),
                          "relType": rel, "status": d.get("status", ""),
                          "color": {"color": style.REL_COLORS.get(rel, "#999999"),
                                    "opacity": 0.45 if ended else 0.9},
                          "dashes": style.ENDED_DASHES if ended else False,
                          "arrows": "" if rel in symmetric else "to"})

    net.toggle_physics(not positions)
    options = json.loads(net.options.to_json())
    options["interaction"].update(hover=True, tooltipDelay=120, hideEdgesOnDrag=bool(positions))
    options["edges"]["smooth"] = False if positions else {"enabled": True, "type": "dynamic"}
    options["physics"]["stabilization"]["iterations"] = 300
    options["nodes"] = {"font": {"size": 12}, "borderWidth": 1}
    if positions:
        options["layout"] = {"improvedLayout": False}

    rel_legend = [{"name": t, "color": style.REL_COLORS.get(t, "#999999"), "count": c}
                  for t, c in sorted(rel_counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    labels_present = sorted({d.get("label", "") for _, d in G.nodes(data=True)})
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_HERE), autoescape=True)
    return env.get_template("template.html").render(
        title=title, n_nodes=G.number_of_nodes(), n_edges=G.number_of_edges(),
        color_by=color_by, size_by=size_by, legend=legend, rel_legend=rel_legend,
        labels=labels_present, physics=not positions,
        vis_js=_asset("vis-network.min.js"),
        vis_css=_asset("vis-network.css"),
        nodes_json=_json_for_script(net.nodes), edges_json=_json_for_script(net.edges),
        options_json=_json_for_script(options))


def write_map(G: nx.MultiDiGraph, path: str | Path, **options: Any) -> Path:
    """Write :func:`build_map`'s page to *path* (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(build_map(G, **options), encoding="utf-8")
    return path
