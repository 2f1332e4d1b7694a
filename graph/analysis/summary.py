"""Counts that describe a graph: labels, relationship types, statuses, sources, dates."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from ..dataset import date_start
from ..selection import edge_date

__all__ = ["summarize", "disputed_claims"]


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
    edges = [d for _, _, d in G.edges(data=True)]  # walked once, counted from the list
    types = Counter(d.get("type", "") for d in edges)
    statuses = Counter(d.get("status", "") for d in edges)
    cited = Counter(s for d in edges for s in d.get("sources", ()))
    registry = G.graph.get("sources", {})
    grades = Counter(src.get("reliability") or "F" for src in registry.values())
    # each distinct date with its first and last relation: the range is the earliest date
    # (first met among equal ones) and the latest (last met), as a stable sort would give
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    undated = 0
    for i, d in enumerate(edges):
        when = edge_date(G, d)
        if not when:
            undated += 1
            continue
        first.setdefault(when, i)
        last[when] = i
    starts = {x: date_start(x) for x in first}
    return {
        "nodes": G.number_of_nodes(),
        "relationships": G.number_of_edges(),
        "labels": dict(sorted(labels.items())),
        "types": dict(sorted(types.items())),
        "statuses": dict(sorted(statuses.items())),
        "sources": {sid: cited.get(sid, 0) for sid in registry},
        "reliability": dict(sorted(grades.items())),
        "disputed": sum(1 for d in edges if d.get("disputedBy")),
        "dateRange": ([min(first, key=lambda x: (starts[x], first[x])),
                       max(last, key=lambda x: (starts[x], last[x]))] if first else None),
        "undated": undated,
    }


def disputed_claims(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every relation a reference source contradicts, as its source stated it, with the
    grades of the sources that make the claim and the references that dispute it.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.graph["sources"] = {"a": {"reliability": "D", "title": "A listicle", "url": ""},
    ...                       "r": {"reliability": "B", "title": "Wiki", "url": "https://x"}}
    >>> _ = G.add_edge("x", "y", key="x-y", type="OPERATES", status="active",
    ...                sources=["a"], disputedBy=["r"])
    >>> [(row["relation"], row["claimedBy"], row["disputedBy"]) for row in disputed_claims(G)]
    [('x-y', ['a (D)'], ['r (B): Wiki https://x'])]
    """
    registry = G.graph.get("sources", {})

    def graded(sid: str, detail: bool = False) -> str:
        src = registry.get(sid, {})
        text = f"{sid} ({src.get('reliability') or 'F'})"
        return f"{text}: {src.get('title', '')} {src.get('url', '')}".rstrip() if detail else text

    return [{"relation": k, "type": d.get("type"), "source": u, "target": v,
             "status": d.get("status"), "evidence": d.get("evidence", ""),
             "claimedBy": [graded(s) for s in d.get("sources", ())],
             "disputedBy": [graded(s, detail=True) for s in d["disputedBy"]]}
            for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2])
            if d.get("disputedBy")]
