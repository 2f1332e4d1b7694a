"""Counts that describe a graph: labels, relationship types, statuses, sources, dates."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from ..dataset import date_start
from ..selection import edge_date

__all__ = ["summarize"]


def summarize(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts per node label, relationship type and status; sources; the date range.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="Company"); G.add_node("b", label="Plant")
    >>> _ = G.add_edge("a", "b", type="OPERATES", status="active", date="2020", sources=[])
    >>> s = summarize(G)
    >>> s["labels"], s["types"], s["dateRange"]
    ({'Company': 1, 'Plant': 1}, {'OPERATES': 1}, ['2020', '2020'])
    """
    labels = Counter(d.get("label", "") for _, d in G.nodes(data=True))
    types = Counter(d.get("type", "") for _, _, d in G.edges(data=True))
    statuses = Counter(d.get("status", "") for _, _, d in G.edges(data=True))
    cited = Counter(s for _, _, d in G.edges(data=True) for s in d.get("sources", ()))
    dates = [edge_date(G, d) for _, _, d in G.edges(data=True)]
    dated = sorted((x for x in dates if x), key=date_start)
    return {
        "nodes": G.number_of_nodes(),
        "relationships": G.number_of_edges(),
        "labels": dict(sorted(labels.items())),
        "types": dict(sorted(types.items())),
        "statuses": dict(sorted(statuses.items())),
        "sources": {sid: cited.get(sid, 0) for sid in G.graph.get("sources", {})},
        "dateRange": [dated[0], dated[-1]] if dated else None,
        "undated": len(dates) - len(dated),
    }
