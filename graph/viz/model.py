"""What a map shows, computed once for the HTML page and the static images.

Plain data from an autograph graph: node sizes and colour categories, relation start and
end dates (the semantics of ``--as-of``), source reliability grades, how each relation is
drawn (arrowheads, dashes), and a layout for drawings made in Python.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import igraph as ig
import networkx as nx

from .. import schema, selection, style
from ..analysis.measures import (betweenness_centrality, louvain_communities, pagerank,
                                 seeded_igraph)
from ..dataset import date_start
from ..errors import EntityNotFoundError

__all__ = ["COLOR_BY", "SIZE_BY", "GRADES", "map_title", "caption", "node_sizes", "categories", "edge_start",
           "edge_end", "best_grade", "is_symmetric", "edge_style", "layout"]

COLOR_BY = ("label", "community", "country")
# "evidence": the sum of a node's evidence weights (graph.analysis.evidence), so that a node
# held by many well-sourced relations draws larger than one held by many weak ones
SIZE_BY = ("degree", "pagerank", "betweenness", "evidence")
# Admiralty source reliability, best first; F ("cannot be judged") ranks below every grade.
GRADES = tuple(schema.RELIABILITY)
# the labels and legend entries the static images (PNG, SVG) draw at most
MAX_LABELS = 60
MAX_LEGEND = 16
_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: Any) -> str:
    """*value* as one line of text that any output format can hold.

    >>> clean_text("a\\x00b\\x0bc\\nd")
    'abc d'
    """
    return _UNSAFE.sub("", _BREAKS.sub(" ", str(value)))


def _focus_name(G: nx.Graph, sel: selection.Selection | None) -> str:
    if sel is None or sel.focus is None:
        return ""
    try:
        node = selection.find_node(G, sel.focus)
    except EntityNotFoundError:  # the focus left out of this slice: name it as asked
        return str(sel.focus)
    return str(G.nodes[node].get("name") or node)


def map_title(G: nx.Graph, sel: selection.Selection | None = None,
              title: str | None = None) -> str:
    """*title* if given; else the focus's network ("CATL: 2 hops") or "autograph network".

    >>> G = nx.MultiDiGraph(); G.add_node("catl", name="CATL")
    >>> map_title(G, selection.Selection(focus="catl", hops=2))
    'CATL: 2 hops'
    """
    if title:
        return title
    name = _focus_name(G, sel)
    if not name:
        return "autograph network"
    return f"{name}: {sel.hops} hop{'s' if sel.hops != 1 else ''}"


def caption(G: nx.Graph, sel: selection.Selection | None = None) -> str:
    """What a map shows, for the line under its title: the focus and the date.

    >>> G = nx.MultiDiGraph(); G.add_node("catl", name="CATL")
    >>> caption(G, selection.Selection(focus="catl", as_of="2025-01"))
    'focus CATL, 1 hop · as of 2025-01'
    """
    parts = []
    name = _focus_name(G, sel)
    if name:
        parts.append(f"focus {name}, {sel.hops} hop{'s' if sel.hops != 1 else ''}")
    if sel is not None and sel.as_of:
        parts.append(f"as of {sel.as_of}")
    else:
        dates = [d for *_, e in G.edges(data=True) if (d := selection.edge_date(G, e))]
        parts.append(f"all dates (to {max(dates)})" if dates else "all dates")
    return " · ".join(parts)


def node_sizes(V: nx.Graph, size_by: str, seed: int) -> dict:
    """Node -> size (10 to 40, :func:`graph.style.node_size`) from a centrality measure."""
    if size_by == "degree":
        raw = dict(V.degree())
    elif size_by == "pagerank":
        raw = pagerank(V)
    elif size_by == "betweenness":
        raw = betweenness_centrality(V, seed=seed)
    elif size_by == "evidence":  # V must be an evidence-weighted view (see map_data)
        raw = dict(V.degree(weight="weight"))
    else:
        raise ValueError(f"size-by must be one of {', '.join(SIZE_BY)}")
    top = max(raw.values(), default=0)
    return {n: style.node_size(raw.get(n, 0), top) for n in V}


def categories(G: nx.MultiDiGraph, V: nx.Graph, color_by: str, seed: int
               ) -> tuple[dict, list[dict]]:
    """Node -> (category, colour), and the legend entries (name, colour, count)."""
    if color_by == "label":
        cat = {n: d.get("label", "") for n, d in G.nodes(data=True)}
        colors = style.LABEL_COLORS
    elif color_by == "country":
        cat = {n: d.get("country") or "none" for n, d in G.nodes(data=True)}
        order = [c for c, _ in Counter(cat.values()).most_common()]
        colors = {c: style.color_for(i) for i, c in enumerate(order)}
    elif color_by == "community":
        membership = louvain_communities(V, seed=seed).membership() if len(V) else {}
        names = _community_names(G, V, membership)
        cat = {n: names[membership[n]] if n in membership else d.get("label", "")
               for n, d in G.nodes(data=True)}  # deals are outside the analysis view
        order = [c for c, _ in Counter(names[m] for m in membership.values()).most_common()]
        colors = {**style.LABEL_COLORS, **{c: style.color_for(i) for i, c in enumerate(order)}}
    else:
        raise ValueError(f"color-by must be one of {', '.join(COLOR_BY)}")
    counts = Counter(cat.values())
    legend = [{"name": c, "color": colors.get(c, style.UNKNOWN_COLOR), "count": counts[c]}
              for c in sorted(counts, key=lambda c: (-counts[c], c))]
    return {n: (c, colors.get(c, style.UNKNOWN_COLOR)) for n, c in cat.items()}, legend


def _community_names(G: nx.MultiDiGraph, V: nx.Graph, membership: dict) -> dict:
    """Community number -> "<name of its most linked member> community" (the id breaks ties
    of degree; a repeated name gets the member's id in brackets)."""
    best: dict = {}
    for n, m in membership.items():
        key = (V.degree(n), str(n))
        if m not in best or key > best[m][0]:
            best[m] = (key, n)
    names: dict = {}
    taken: set = set()
    for m, (_, n) in sorted(best.items(), key=lambda kv: kv[1][0], reverse=True):
        name = f"{G.nodes[n].get('name') or n} community"
        names[m] = name if name not in taken else f"{name} ({n})"
        taken.add(names[m])
    return names


def _iso(value: str) -> str:
    return date_start(value).isoformat() if value else ""


def edge_start(G: nx.Graph, data: dict[str, Any]) -> str:
    """First day a relation holds (ISO), from :func:`graph.selection.edge_date`; "" if undated."""
    return _iso(selection.edge_date(G, data))


def edge_end(G: nx.Graph, data: dict[str, Any]) -> str:
    """First day a relation no longer holds (ISO); "" while it is open.

    A relation is shown at day *t* when ``start <= t`` and (no end, or ``t < end``): the
    rule of ``--as-of``. An ``ended`` relation with no date at all ends at the earliest day,
    so a time filter never shows it (``--as-of`` drops it too).
    """
    end = _iso(selection.edge_end(G, data))
    if not end and data.get("status") == "ended":
        return "0001-01-01"
    return end


def best_grade(G: nx.Graph, sources: list[str]) -> str:
    """The best reliability grade among *sources* (A best, F when none is graded): the grade
    ``--min-reliability`` selects by (:func:`graph.selection.edge_reliability`)."""
    return selection.edge_reliability(G, {"sources": sources})


def is_symmetric(rel_type: str) -> bool:
    spec = schema.REL_TYPES.get(rel_type)
    return bool(spec is not None and getattr(spec, "symmetric", False))


def edge_style(data: dict[str, Any]) -> dict[str, Any]:
    """How a relation is drawn: colour, opacity, dash pattern, arrowhead."""
    status = data.get("status", "")
    rel = data.get("type", "")
    return {"color": style.REL_COLORS.get(rel, style.UNKNOWN_COLOR),
            "opacity": style.ENDED_OPACITY if status == "ended" else 0.9,
            "dashes": style.status_dashes(status),
            "arrow": not is_symmetric(rel),
            "disputed": bool(data.get("disputedBy"))}


SPACING = 60  # layout units of room per node, and between set-aside nodes
LINK = 120  # layout units between linked nodes (a node's radius is 10 to 40)


def _force_layout(H: nx.Graph, seed: int, group: dict | None = None) -> dict:
    """igraph's Fruchterman-Reingold of a connected *H*, scaled so that the median distance
    between linked nodes is at least :data:`LINK`. With *group* (node -> community) the
    links inside a community pull ten times harder, so communities sit together."""
    if len(H) == 1:
        return {next(iter(H)): (0.0, 0.0)}
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in H.edges() if u != v]
    g = ig.Graph(n=len(nodes), edges=pairs, directed=False)
    weights = None
    if group is not None:
        weights = [10.0 if group.get(nodes[a]) == group.get(nodes[b]) else 1.0
                   for a, b in pairs]
    with seeded_igraph(seed):
        coords = g.layout_fruchterman_reingold(weights=weights, niter=500,
                                               grid=len(nodes) > 1000).coords
    # Scale so that linked nodes sit about SPACING apart, and a large component gets about
    # SPACING squared of room per node (FR packs the middle of a big component tight).
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in pairs)
    unit = lengths[len(lengths) // 2] if lengths else 1.0
    cx = sorted(x for x, _ in coords)[len(coords) // 2]
    cy = sorted(y for _, y in coords)[len(coords) // 2]
    radii = sorted(math.dist((cx, cy), p) for p in coords)
    r90 = radii[int(len(radii) * 0.9)] or 1.0
    factor = max(LINK / (unit or 1.0), SPACING * math.sqrt(len(nodes) / math.pi) / r90)
    return {n: (x * factor, y * factor) for n, (x, y) in zip(nodes, coords)}


def _shelf(blocks: list[tuple[dict, float, float]], width: float, top: float,
           gap: float) -> tuple[dict, float]:
    """Place blocks (positions around 0, width, height) left to right in rows under *top*,
    rows no wider than *width*; returns the positions and the bottom of the last row."""
    out: dict = {}
    x, y, row = 0.0, top, 0.0
    for pos, w, h in blocks:
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row + gap, 0.0
        for n, (px, py) in pos.items():
            out[n] = (px + x + w / 2, py + y + h / 2)
        x, row = x + w + gap, max(row, h)
    return out, y + row


def _box(pos: dict) -> tuple[float, float, float, float]:
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    return min(xs), min(ys), max(xs), max(ys)


def layout(V: nx.Graph, seed: int, group: dict | None = None) -> tuple[dict, set]:
    """Positions for every node of *V*, and the nodes of the connected part.

    The largest connected component (with every other component at least half its size)
    is the connected part, laid out by igraph's Fruchterman-Reingold; the small components
    (region chains, pairs) are laid out the same way and shelved in rows under it, and the
    isolated nodes set aside in a grid under those, so they never spread the view of the
    connected part. *group* (node -> community) places each community together.

    Examples
    --------
    >>> H = nx.path_graph(5); H.add_edge(10, 11); H.add_node(12)
    >>> pos, main = layout(H, seed=1)
    >>> sorted(main), len(pos), pos[12][1] > max(pos[n][1] for n in main)
    ([0, 1, 2, 3, 4], 8, True)
    """
    if len(V) == 0:
        return {}, set()
    H = nx.Graph(V)
    comps = sorted(nx.connected_components(H), key=lambda c: (-len(c), min(map(str, c))))
    main_comps = [c for c in comps if len(c) > 1 and len(c) * 2 >= len(comps[0])] or comps[:1]
    main = set().union(*main_comps)
    pos: dict = {}
    width = 0.0
    if len(main_comps) == 1:
        pos = _force_layout(H.subgraph(main), seed, group)
    else:  # a few large components of similar size: side by side
        blocks = []
        for c in main_comps:
            p = _force_layout(H.subgraph(c), seed, group)
            x0, y0, x1, y1 = _box(p)
            blocks.append(({n: (x - (x0 + x1) / 2, y - (y0 + y1) / 2) for n, (x, y) in p.items()},
                           x1 - x0, y1 - y0))
        pos, _ = _shelf(blocks, sum(b[1] for b in blocks) + 1, 0.0, 2 * SPACING)
    x0, y0, x1, y1 = _box(pos)
    pos = {n: (x - x0, y - y0) for n, (x, y) in pos.items()}
    width = max(x1 - x0, 12 * SPACING)
    bottom = y1 - y0
    small = [c for c in comps if c not in main_comps and len(c) > 1]
    if small:
        blocks = []
        for c in small:
            p = _force_layout(H.subgraph(c), seed)
            bx0, by0, bx1, by1 = _box(p)
            blocks.append(({n: (x - (bx0 + bx1) / 2, y - (by0 + by1) / 2)
                            for n, (x, y) in p.items()}, bx1 - bx0, by1 - by0))
        shelved, bottom = _shelf(blocks, width, bottom + 4 * SPACING, SPACING)
        pos.update(shelved)
    lone = sorted((n for c in comps if c not in main_comps and len(c) == 1 for n in c), key=str)
    if lone:
        per_row = max(int(width // SPACING), 1)
        top = bottom + 4 * SPACING
        for i, n in enumerate(lone):
            pos[n] = ((i % per_row) * SPACING, top + (i // per_row) * SPACING)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}, main
