"""Counts that describe a graph: labels, relationship types, statuses, sources, dates."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import polars as pl

from ..frames import Frames, from_graph

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["summarize", "disputed_claims"]


# what the summary reads of each node and edge
ATTRIBUTES = frozenset(("label", "type", "status", "date", "asOf", "sources", "disputedBy"))


def summarize(G: nx.MultiDiGraph | Frames) -> dict[str, Any]:
    """Counts per node label, relationship type and status; sources; the date range.

    *G*: a graph, or its :class:`graph.frames.Frames` (a whole dataset's, read straight
    from its columns: ``read_frames(folder, ATTRIBUTES)``). An edge's date is
    :func:`graph.selection.edge_date`; the range is the earliest date (the first met in
    ``G.edges()`` among equal ones) and the latest (the last met).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="Company"); G.add_node("b", label="Plant")
    >>> _ = G.add_edge("a", "b", type="OPERATES", status="active", date="2020", sources=[])
    >>> s = summarize(G)
    >>> s["labels"], s["types"], s["dateRange"]
    ({'Company': 1, 'Plant': 1}, {'OPERATES': 1}, ['2020', '2020'])
    """
    frames = G if isinstance(G, Frames) else from_graph(G)
    nodes = frames.table("node", {"label": ""}, ordered=False)
    edges = frames.table("edge", {"type": "", "status": "", "date": "", "asOf": "",
                                  "sources": [], "disputedBy": []}, ordered=False)
    registry = frames.graph.get("sources", {})
    cited = _counts(edges["sources"].explode().drop_nulls())
    return {
        "nodes": frames.n_nodes,
        "relationships": frames.n_edges,
        "labels": dict(sorted(_counts(nodes["label"]).items())),
        "types": dict(sorted(_counts(edges["type"]).items())),
        "statuses": dict(sorted(_counts(edges["status"]).items())),
        "sources": {sid: cited.get(sid, 0) for sid in registry},
        "reliability": dict(sorted(Counter(src.get("reliability") or "F"
                                           for src in registry.values()).items())),
        "disputed": edges.filter(pl.col("disputedBy").list.len() > 0).height,
        **_date_range(edges, registry),
    }


def _counts(values: pl.Series) -> dict[Any, int]:
    return dict(zip(*values.value_counts().iter_columns()))


def _date_range(edges: pl.DataFrame, registry: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``dateRange`` and ``undated``: each edge's date (its ``date``, else its ``asOf``, else
    its earliest dated source, the first listed among equally early ones), and of the
    distinct dates the earliest (first met among equal ones) and the latest (last met)."""
    c = pl.col
    start = (c("when") + "-01-01").str.slice(0, 10)  # a date's first day, sortable as text
    edges = edges.select("_order", "sources", pl.when(c("date") != "").then(c("date"))
                         .when(c("asOf") != "").then(c("asOf")).alias("when"))
    dated_sources = pl.DataFrame(
        [(sid, src["date"]) for sid, src in registry.items() if src.get("date")],
        schema={"sid": pl.String, "when": pl.String}, orient="row")
    undated = edges.filter(c("when").is_null())
    if undated.height and dated_sources.height:  # dated only through their sources
        found = (undated.select("_order", c("sources").alias("sid")).explode("sid")
                 .with_row_index("pos")
                 .join(dated_sources, on="sid")
                 .group_by("_order").agg(c("when").sort_by(start, "pos").first()))
        edges = edges.update(found, on="_order")
    dated = edges.filter(c("when").is_not_null())
    if not dated.height:
        return {"dateRange": None, "undated": edges.height}
    places = (dated.group_by("when").agg(c("_order").min().alias("first"),
                                         c("_order").max().alias("last"))
              .with_columns(start.alias("start")))
    low = places.sort("start", "first")["when"][0]
    high = places.sort("start", "last")["when"][-1]
    return {"dateRange": [low, high], "undated": edges.height - dated.height}


def disputed_claims(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every relation a reference source contradicts, as its source stated it, with the
    grades of the sources that make the claim and the references that dispute it.

    Examples
    --------
    >>> import networkx as nx
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
