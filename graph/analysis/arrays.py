"""The full view of a large dataset straight from its checked columns: the igraph graph that
``analyze centrality`` and ``analyze communities`` compute on, without building records or
networkx graphs.

:func:`full_view_arrays` gives the graph that ``to_igraph(full_view(to_networkx(ds)))`` gives
for the same files, down to the order of its vertices and edges (which seeded community
detection and sampled betweenness depend on):

* vertices: the entities in file order (the view leaves ``Deal`` nodes out);
* ``G.edges()`` of the MultiDiGraph walks relations by source (in entity order), then by
  target in the order each (source, target) pair first appears, then in file order;
  ``full_view`` keeps each unordered pair at its first place *k* in that walk, weighted by
  its number of relations, and ``H.edges()`` lists the pairs by their lower vertex, then by
  *k*. Only the order of first places matters, and within a source it is the file order
  of each target's first relation, so a walk by source, then file row, gives the same.

``tests/test_arrays.py`` compares both ways on the bundled data, synthetic data and a dataset
of parallel and reversed relations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import igraph as ig
import networkx as nx

from .. import schema

if TYPE_CHECKING:
    from ..columnar import Tables

__all__ = ["ArrayView", "full_view_arrays"]


class ArrayView:
    """What the measures and reports read of a view: node ids (in order) with their
    ``name``, ``label`` and ``country``, and the compiled weighted igraph graph."""

    def __init__(self, graph: ig.Graph, nodes: Mapping[str, dict[str, Any]]):
        self.graph = graph
        self.nodes = nodes
        self._index: dict[str, int] | None = None

    def __iter__(self):
        return iter(self.nodes)

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def _position(self, node: str) -> int:
        if isinstance(self.nodes, _Nodes):
            return self.nodes.position(node)
        if self._index is None:
            self._index = {n: i for i, n in enumerate(self.nodes)}
        return self._index[node]

    def __getitem__(self, node: str) -> list[str]:
        """The neighbours of *node* (``V[node]``, as networkx iterates them), by vertex."""
        ids = list(self.nodes)
        return [ids[j] for j in sorted(self.graph.neighbors(self._position(node)))]

    def ego(self, node: str) -> nx.Graph:
        """The weighted edges of *node* and of each of its neighbours, as an ``nx.Graph``:
        all that Burt's constraint and effective size of *node* read."""
        ids = list(self.nodes)
        near = [self._position(node), *self.graph.neighbors(self._position(node))]
        edges = sorted({e for i in near for e in self.graph.incident(i)})
        H = nx.Graph()
        H.add_nodes_from(ids[i] for i in near)
        weights = self.graph.es["weight"]
        H.add_weighted_edges_from((ids[a], ids[b], weights[e]) for e in edges
                                  for a, b in [self.graph.es[e].tuple])
        return H

    def __len__(self) -> int:
        return len(self.nodes)

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return self.graph.ecount()


class _Nodes(Mapping):
    """The entities' ``label``, ``name`` and ``country`` by id, read from the columns when
    asked for: a report reads a few of a million (building every dict took 2.3 s)."""

    def __init__(self, ent):
        self._ids: list[str] = ent["id"].to_list()
        self._ent = ent.select("label", "name", "country")
        self._index: dict[str, int] | None = None

    def position(self, node: str) -> int:
        if self._index is None:
            self._index = {n: i for i, n in enumerate(self._ids)}
        return self._index[node]

    def __getitem__(self, node: str) -> dict[str, Any]:
        return dict(zip(("label", "name", "country"), self._ent.row(self.position(node))))

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, node: object) -> bool:
        try:
            self.position(node)  # type: ignore[arg-type]
        except (KeyError, TypeError):
            return False
        return True


def full_view_arrays(folder: str | Path, tables: Tables | None = None) -> ArrayView | None:
    """The full view (count weights) of the dataset in *folder*, or None when the columnar
    check does not find it valid (the caller then reads it the usual way, which reports
    every problem). *tables*: its checked columns, when the caller has them already."""
    import polars as pl

    from ..columnar import checked_tables

    tables = checked_tables(folder) if tables is None else tables
    if tables is None:
        return None
    c = pl.col
    ent = tables["entities.csv"]
    # each end's entity row, as the check found it
    rel = (tables["relations.csv"].select("type")
           .with_columns(tables.ends["source"].cast(pl.Int64).alias("u"),
                         tables.ends["target"].cast(pl.Int64).alias("v"))
           .with_row_index("row")
           .filter(~c("type").is_in(list(schema.rel_types_in("deal"))) & (c("u") != c("v"))))
    # networkx walks by target within a source, but the first place of each pair in that
    # walk keeps the order it has in file order within the source: a pair's first place
    # is its least (source, row), one integer (no sort of every relation needed)
    rows = rel.height + 1
    pairs = (rel.select(pl.min_horizontal("u", "v").alias("lo"),
                        pl.max_horizontal("u", "v").alias("hi"),
                        (c("u") * rows + c("row").cast(pl.Int64)).alias("k"))
             .group_by("lo", "hi")
             .agg(c("k").min(), pl.len().alias("weight"))
             .sort("lo", "k"))
    # pairs straight from the two lists (a list of 5M tuples first: 0.7 s more at 1M)
    graph = ig.Graph(n=ent.height, edges=zip(pairs["lo"].to_list(), pairs["hi"].to_list()),
                     directed=False)
    graph.es["weight"] = pairs["weight"].cast(pl.Float64).to_list()
    return ArrayView(graph, _Nodes(ent))
