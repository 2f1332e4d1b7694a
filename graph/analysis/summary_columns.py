"""``autograph stats`` of a large dataset straight from its checked columns: the summary that
:func:`graph.analysis.summary.summarize` gives of ``to_networkx(load_dataset(folder))``,
without building records or a networkx graph.

What ``summarize`` sees of a dataset, rebuilt here as one table of edges:

* nodes: the entities, then each deal as a node labelled ``Deal``;
* edges: one ``PARTY_TO`` edge per distinct party of each deal (a party named twice is one
  edge, as networkx keeps one edge per key), carrying the deal's status, dates and sources,
  inserted before every relation; then the relations, a relation of a deal taking the
  deal's ``date`` and ``asOf`` where it leaves them empty;
* an edge's date (:func:`graph.selection.edge_date`): its ``date``, else its ``asOf``, else
  the earliest dated of its sources (the first listed among equally early ones).

The date range breaks ties by the place of edges in ``G.edges()``, which walks the edges by
source node (in node order), then by target in the order each (source, target) pair got its
first edge, then in insertion order; an edge's place in that walk is its rank by (source's
entity row, insertion number of its pair's first edge, its own insertion number).

``tests/test_stats_columns.py`` compares ``stats`` both ways on the bundled data, synthetic
data and a dataset made to exercise the ties.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from ..columnar import PY_WHITESPACE, checked_tables
from ..dataset import LIST_SEPARATOR

__all__ = ["summarize_columns"]


def summarize_columns(folder: str | Path) -> dict[str, Any] | None:
    """The :func:`~graph.analysis.summary.summarize` answer for the dataset in *folder*, or
    None when the columnar check does not find it valid (the caller then reads it the usual
    way, which reports every problem)."""
    tables = checked_tables(folder)
    if tables is None:
        return None
    return _summary(tables)


def _summary(tables: dict[str, pl.DataFrame]) -> dict[str, Any]:
    c = pl.col
    ent, rel = tables["entities.csv"], tables["relations.csv"]
    deals, src = tables["deals.csv"], tables["sources.csv"]
    edges = _edges(ent, rel, deals)

    def counts(values: pl.Series) -> dict[str, int]:
        return dict(sorted(zip(*values.value_counts().iter_columns())))

    labels = counts(ent["label"])
    if deals.height:
        labels = dict(sorted({**labels, "Deal": deals.height}.items()))
    cited = dict(zip(*_list_items(edges["sources"]).value_counts()
                     .iter_columns()))
    grades = src["reliability"].replace("", "F")
    disputed = rel.filter(c("disputedBy").str.strip_chars(PY_WHITESPACE + LIST_SEPARATOR)
                          != "").height
    return {
        "nodes": ent.height + deals.height,
        "relationships": edges.height,
        "labels": labels,
        "types": counts(edges["type"]),
        "statuses": counts(edges["status"]),
        "sources": {sid: cited.get(sid, 0) for sid in src["id"]},
        "reliability": counts(grades),
        "disputed": disputed,
        **_date_range(edges, src),
    }


def _edges(ent: pl.DataFrame, rel: pl.DataFrame, deals: pl.DataFrame) -> pl.DataFrame:
    """Every edge of the graph in insertion order, with what the summary reads of it: ``u``
    (the source's entity row), ``pair`` (the insertion number of the first edge from ``u``
    to the same target), ``seq`` (its own), type, status, ``date``, ``asOf`` and sources."""
    c = pl.col
    parties = (deals.select(c("id").alias("deal"), "status", "date", "asOf", "sources",
                            c("parties").str.split(LIST_SEPARATOR).alias("item"))
               .explode("item")
               .with_columns(c("item").str.strip_chars(PY_WHITESPACE))
               .filter(c("item") != "")
               .with_columns(c("item").str.splitn(":", 2).struct.field("field_0")
                             .str.strip_chars(PY_WHITESPACE).alias("source"))
               .unique(["deal", "source"], keep="first", maintain_order=True)
               .select("source", c("deal").alias("target"),
                       pl.lit("PARTY_TO").alias("type"), "status", "date", "asOf", "sources"))
    dates = [c(name) for name in ("date", "asOf")]
    if deals.height:  # the deal's dates where the relation leaves them empty
        dates = [pl.when(c(name) != "").then(c(name))
                 .otherwise(c("deal").replace_strict(deals["id"], deals[name], default=""))
                 .alias(name) for name in ("date", "asOf")]
    relations = rel.select("source", "target", "type", "status", *dates, "sources")
    index = ent.select(c("id").alias("source"), pl.int_range(pl.len(), dtype=pl.Int64).alias("u"))
    return (pl.concat([parties, relations])
            .with_row_index("seq")
            .join(index, on="source", how="left", maintain_order="left")
            .with_columns(c("seq").min().over("u", "target").alias("pair")))


def _list_items(values: pl.Series) -> pl.Series:
    """The items of ``|``-separated lists, stripped, empty ones dropped (as ``_split``)."""
    c = pl.col
    df = values.alias("item").to_frame()
    listed = c("item").str.contains(LIST_SEPARATOR, literal=True)
    split = (df.filter(listed).select(c("item").str.split(LIST_SEPARATOR)).explode("item")
             .select(c("item").str.strip_chars(PY_WHITESPACE)))
    return pl.concat([df.filter(~listed), split]).filter(c("item") != "")["item"]


def _date_range(edges: pl.DataFrame, src: pl.DataFrame) -> dict[str, Any]:
    """``dateRange`` and ``undated`` as ``summarize`` finds them (see the module docstring)."""
    c = pl.col
    start = (c("when") + "-01-01").str.slice(0, 10)  # a date's first day, sortable as text
    edges = edges.select("u", "pair", "seq", pl.when(c("date") != "").then(c("date"))
                         .otherwise(c("asOf")).alias("when"), "sources")
    undated = edges.filter(c("when") == "")
    if undated.height:  # dated only through their sources: the earliest, first listed
        items = (undated.select("seq", c("sources").str.split(LIST_SEPARATOR).alias("sid"))
                 .explode("sid")
                 .with_columns(c("sid").str.strip_chars(PY_WHITESPACE))
                 .with_row_index("pos")
                 .join(src.filter(c("date") != "").select(c("id").alias("sid"),
                                                          c("date").alias("when")), on="sid")
                 .group_by("seq").agg(c("when").sort_by(start, "pos").first()))
        edges = edges.update(items, on="seq")
    dated = edges.filter(c("when") != "")
    if not dated.height:
        return {"dateRange": None, "undated": edges.height}
    # each distinct date with its first and last place in the walk of G.edges()
    places = (dated.sort("u", "pair", "seq").with_row_index("i")
              .group_by("when").agg(c("i").min().alias("first"), c("i").max().alias("last"))
              .with_columns(start.alias("start")))
    low = places.sort("start", "first")["when"][0]
    high = places.sort("start", "last")["when"][-1]
    return {"dateRange": [low, high], "undated": edges.height - dated.height}
