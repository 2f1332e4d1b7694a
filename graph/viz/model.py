"""What a map shows, computed once for the HTML page and the static images.

Plain data from an autograph graph: node sizes and colour categories, relation start and
end dates (the semantics of ``--as-of``), source reliability grades, how each relation is
drawn (arrowheads, dashes), and a layout for drawings made in Python.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import networkx as nx

from .. import schema, selection, style
from ..analysis.measures import (betweenness_centrality, louvain_communities, pagerank,
                                 seeded_igraph, to_igraph)
from ..dataset import date_start

__all__ = ["COLOR_BY", "SIZE_BY", "GRADES", "node_sizes", "categories", "edge_start",
           "edge_end", "best_grade", "is_symmetric", "edge_style", "layout"]

COLOR_BY = ("label", "community", "country")
# "evidence": the sum of a node's evidence weights (graph.analysis.evidence), so that a node
# held by many well-sourced relations draws larger than one held by many weak ones
SIZE_BY = ("degree", "pagerank", "betweenness", "evidence")
# Admiralty source reliability, best first; F ("cannot be judged") ranks below every grade.
GRADES = tuple(schema.RELIABILITY)


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
        cat = {n: f"community {membership[n]}" if n in membership else d.get("label", "")
               for n, d in G.nodes(data=True)}  # deals are outside the analysis view
        colors = {**style.LABEL_COLORS,
                  **{f"community {i}": style.color_for(i) for i in set(membership.values())}}
    else:
        raise ValueError(f"color-by must be one of {', '.join(COLOR_BY)}")
    counts = Counter(cat.values())
    legend = [{"name": c, "color": colors.get(c, style.UNKNOWN_COLOR), "count": counts[c]}
              for c in sorted(counts, key=lambda c: (-counts[c], c))]
    return {n: (c, colors.get(c, style.UNKNOWN_COLOR)) for n, c in cat.items()}, legend


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


def layout(V: nx.Graph, seed: int, grid: bool = True) -> dict:
    """Positions from igraph's Fruchterman-Reingold, spread ~40 units per sqrt(node)."""
    if len(V) == 0:
        return {}
    g, nodes = to_igraph(V)
    with seeded_igraph(seed):
        coords = g.layout_fruchterman_reingold(grid=grid, niter=200 if grid else 500,
                                               weights=None)
    spread = 40 * math.sqrt(len(nodes))
    xs, ys = zip(*coords.coords)
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1
    return {n: (round(x / span * spread, 1), round(y / span * spread, 1))
            for n, (x, y) in zip(nodes, coords.coords)}
