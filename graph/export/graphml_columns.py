"""The GraphML document of a whole large dataset, straight from its checked columns.

:func:`graphml_from_columns` gives what :func:`graph.export.graphml.to_graphml` gives for
``to_networkx(load_dataset(folder))``, character for character, without building records,
a networkx graph or a Python string per value: each node and edge is one string made by
polars from the columns (the escaping ElementTree does, the ``<data>`` elements in the
order of the graph's attribute dicts, an empty value as an empty element), in networkx's
order (the entities in file order; ``G.edges`` walks by source in node order, then by
target in the order each pair got its first relation, then in file order).

The header (the XML declaration, the ``<key>`` declarations and the graph's ``<data>``)
is what ``to_graphml`` writes for a graph of one entity and one relation of the dataset
with its source registry, one value of each property key (:func:`.columns.sample_graph`)
and the deals' nodes and edges: every entity carries the same fields and every relation the
same fields and ``symmetric``, each of one type whatever the value, and a property's type
is its key's. A node's or edge's properties follow its fields, rendered by the networkx
path's own formatting (:func:`.columns.property_texts`). The deals (few) are built by
``to_networkx`` from their records alone (:func:`.columns.deal_graph`) and written as
``to_graphml`` writes elements: their nodes after the entities, each ``PARTY_TO`` edge
before its party's relations (the graph adds them first); a deal's parts take its dates.

It answers None, and the caller takes the networkx path, when the columnar check does not
find the dataset valid, and for what it leaves to that path: an empty dataset, and a
character XML 1.0 cannot hold (``to_graphml`` replaces it).
``tests/test_export_columns.py`` compares both ways.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from .. import schema
from ..dataset import LIST_SEPARATOR
from .columns import (Rendered, deal_graph, in_edge_order, items, pieces, plain_tables,
                      property_texts, sample_graph, with_deal_dates, with_properties)
from .graphml import _Keys, _rows, _text as _value_text, directed, text_escape, to_graphml

__all__ = ["graphml_from_columns"]

c = pl.col
# Characters XML 1.0 cannot hold (graph.export.common._XML_ILLEGAL; surrogates cannot be
# in a polars string), in the syntax of polars' regular expressions.
_ILLEGAL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"
# and a carriage return, which element text escapes (text_escape): the columnar check leaves
# a value across lines to the graph path already, so this only makes sure
_REFUSED = r"[\x00-\x08\x0B-\x1F\x{FFFE}\x{FFFF}]"
_NODE_FIELDS = ("label", "name", "aliases", "kind", "country", "description")
_EDGE_FIELDS = ("id", "type", "deal", "status", "date", "endDate", "asOf", "confidence", "sources",
                "disputedBy", "evidence")


def graphml_from_columns(folder: str | Path, undirected: bool = False
                         ) -> tuple[Iterator[str], int, int] | None:
    """``(text, nodes, relationships)`` of the whole dataset in *folder*, the text in
    pieces to write one after the other, or None when the networkx path must write it (see
    the module docstring); *undirected* as for ``to_graphml``."""
    tables = plain_tables(folder, refused=_REFUSED, deals=True)
    if tables is None:
        return None
    deals = deal_graph(tables, folder) if tables["deals.csv"].height else None
    head, declared = _header(tables, folder, deals)
    keys: dict[str, dict[str, str]] = {}
    for (domain, name), (key, _) in declared.keys.items():
        keys.setdefault(domain, {})[name] = key
    texts = property_texts(tables, lambda domain, _, props: _data_text(declared, domain, props))
    ent = with_properties(tables["entities.csv"], texts)
    rel = with_deal_dates(with_properties(tables["relations.csv"], texts), tables["deals.csv"])
    deal_nodes, party_edges = _deal_elements(deals, declared, undirected)
    nodes = _nodes(ent, keys["node"])
    edges = _edges(ent, rel, keys["edge"], party_edges, undirected)
    return (pieces(head, (nodes, ""), "".join(deal_nodes), (edges, ""),
                   "  </graph>\n</graphml>\n"),
            ent.height + len(deal_nodes), rel.height + party_edges.height)


def _header(tables: dict[str, pl.DataFrame], folder: str | Path, deals) -> tuple[str, _Keys]:
    """The document up to the first node, and the keys it declares, from the sample graph
    (:func:`.columns.sample_graph`) with the deals' nodes and edges, if any."""
    G = sample_graph(tables, folder)
    if deals is not None:
        G.add_nodes_from(deals.nodes(data=True))
        G.add_edges_from(deals.edges(keys=True, data=True))
    text = to_graphml(G).decode("utf-8")
    graph_row, node_rows, edge_rows = _rows(G)
    declared = _Keys()
    declared.declare("graph", [graph_row])
    declared.declare("node", [row for _, row in node_rows])
    declared.declare("edge", [row for *_, row in edge_rows])
    return text[:text.index("    <node ")], declared


def _deal_elements(deals, declared: _Keys, undirected: bool
                   ) -> tuple[list[str], pl.DataFrame]:
    """The deals' ``<node>`` elements, and their ``PARTY_TO`` edges as ``source`` and
    ``_pre`` (the element) in the order the graph adds them (deal by deal, party by party),
    written as ``to_graphml`` writes them."""
    if deals is None:
        return [], pl.DataFrame(schema={"source": pl.String, "_pre": pl.String})
    attr = ET._escape_attrib  # noqa: SLF001
    _, node_rows, edge_rows = _rows(deals)
    rows = dict(node_rows)
    edges = {k: (u, v, row) for u, v, k, row in edge_rows}
    nodes, sources, texts = [], [], []
    for n, d in deals.nodes(data=True):
        if d.get("label") != "Deal":
            continue
        nodes.append(f'    <node id="{attr(str(n))}">\n' + _data_text(declared, "node", rows[n])
                     + "    </node>\n")
        for k in dict.fromkeys(k for _, _, k in deals.in_edges(n, keys=True)):
            u, v, row = edges[k]
            sources.append(u)
            texts.append(f'    <edge id="{attr(str(k))}" source="{attr(str(u))}" '
                         f'target="{attr(str(v))}" directed="{directed(row, undirected)}">\n'
                         + _data_text(declared, "edge", row) + "    </edge>\n")
    return nodes, pl.DataFrame({"source": sources, "_pre": texts},
                               schema={"source": pl.String, "_pre": pl.String})


def _data_text(declared: _Keys, domain: str, row: dict[str, Any]) -> str:
    """The ``<data>`` elements of *row* (a node's or edge's attributes, or its properties),
    as ``to_graphml`` writes them (characters XML cannot hold are refused before)."""
    out = []
    for name, value in row.items():
        key, kind = declared.keys[domain, name]
        text = (value if type(value) is str else str(value)) if kind == "string" else (
            _value_text(value, kind))
        out.append(f'      <data key="{key}">{text_escape(text)}</data>\n'
                   if text else f'      <data key="{key}" />\n')
    return "".join(out)


def _text(e: pl.Expr) -> pl.Expr:
    """Element text as :func:`graph.export.graphml.text_escape` escapes it (a carriage
    return, which it writes ``&#13;``, is refused before: :data:`_REFUSED`)."""
    return (e.str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True))


def _attribute(e: pl.Expr) -> pl.Expr:
    """ElementTree's escaping of an attribute value."""
    return (_text(e).str.replace_all('"', "&quot;", literal=True)
            .str.replace_all("\r", "&#13;", literal=True)
            .str.replace_all("\n", "&#10;", literal=True)
            .str.replace_all("\t", "&#09;", literal=True))


def _data(key: str, e: pl.Expr) -> pl.Expr:
    return (pl.when(e == "").then(pl.lit(f'      <data key="{key}" />\n'))
            .otherwise(pl.lit(f'      <data key="{key}">') + _text(e) + pl.lit("</data>\n")))


def _joined(e: pl.Expr) -> pl.Expr:
    """A list cell joined with ``|`` as the GraphML writer joins the graph's lists."""
    return items(e).list.join(LIST_SEPARATOR)


def _nodes(ent: pl.DataFrame, keys: dict[str, str]) -> Rendered:
    values = {f: _joined(c(f)) if f in schema.LIST_FIELDS else c(f) for f in _NODE_FIELDS}
    return Rendered(ent, pl.concat_str(
        [pl.lit('    <node id="'), _attribute(c("id")), pl.lit('">\n'),
         *[_data(keys[f], values[f]) for f in _NODE_FIELDS], c("properties"),
         pl.lit("    </node>\n")]))


def _edges(ent: pl.DataFrame, rel: pl.DataFrame, keys: dict[str, str],
           party_edges: pl.DataFrame, undirected: bool) -> Rendered:
    """The relations' elements, with the deals' ``PARTY_TO`` edges (written already) in
    their places."""
    rel = in_edge_order(ent, rel, party_edges)
    if "_pre" not in rel.columns:
        rel = rel.with_columns(pl.lit(None, dtype=pl.String).alias("_pre"))
    relations = rel.filter(c("_pre").is_null())
    distinct = relations["confidence"].unique().to_list()
    types = relations["type"].unique().to_list()
    symmetric = c("type").replace_strict(
        types, ["true" if t in schema.symmetric_types() else "false" for t in types],
        default=None, return_dtype=pl.String)
    values = {f: _joined(c(f)) if f in schema.LIST_FIELDS else c(f) for f in _EDGE_FIELDS}
    values["confidence"] = c("confidence").replace_strict(
        distinct, [repr(float(v)) for v in distinct], default=None, return_dtype=pl.String)
    relation = pl.concat_str(
        [pl.lit('    <edge id="'), _attribute(c("id")), pl.lit('" source="'),
         _attribute(c("source")), pl.lit('" target="'), _attribute(c("target")),
         pl.lit('" directed="'),
         pl.when(symmetric == "true").then(pl.lit("false" if undirected else "true"))
         .otherwise(pl.lit("true")),
         pl.lit('">\n'),
         *[_data(keys[f], values[f]) for f in _EDGE_FIELDS], c("properties"),
         _data(keys["symmetric"], symmetric), pl.lit("    </edge>\n")])
    return Rendered(rel, pl.when(c("_pre").is_not_null()).then(c("_pre")).otherwise(relation))
