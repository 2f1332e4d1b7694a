"""The node-link JSON of a whole large dataset, straight from its checked columns.

:func:`json_from_columns` gives what :func:`graph.export.nodelink.to_json` gives for
``to_networkx(load_dataset(folder))``, character for character, without building records,
a networkx graph or its node-link dicts: each node and edge is one string made by polars
(the keys in the order ``nx.node_link_data`` gives them, properties after the fields,
strings escaped as the json
module escapes them without ``ensure_ascii``, lists and indentation as ``indent=2`` lays
them out), in networkx's order (:func:`.columns.in_edge_order`); the edge list is written
under ``edges`` and again under ``links`` (rendered once, kept in a temporary file
between the two). The deals (few) are built by ``to_networkx``
from their records alone (:func:`.columns.deal_graph`) and written by the json module:
their nodes after the entities, each ``PARTY_TO`` edge before its party's relations.

It answers None, and the caller takes the networkx path, when the columnar check does not
find the dataset valid, and for what it leaves to that path (:func:`.columns.plain_tables`:
an empty dataset) and a control character other than tab, CR and LF
(which the json module writes as ``\\u00XX``). ``tests/test_graphml_columns.py`` compares
both ways.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from .. import schema
from .columns import (Rendered, deal_graph, in_edge_order, items, pieces, plain_tables,
                      property_texts, sample_graph, with_deal_dates, with_properties)
from .common import is_symmetric
from .nodelink import dumps

__all__ = ["json_from_columns"]

c = pl.col
_ODD_CONTROL = r"[\x00-\x08\x0B-\x0C\x0E-\x1F]"
_NODE_FIELDS = ("label", "name", "aliases", "kind", "country", "description")
_EDGE_FIELDS = ("id", "type", "deal", "status", "date", "endDate", "asOf", "confidence",
                "sources", "disputedBy", "evidence")


def json_from_columns(folder: str | Path) -> tuple[Iterator[str], int, int] | None:
    """``(text, nodes, relationships)`` of the whole dataset in *folder*, the text in
    pieces to write one after the other, or None when the networkx path must write it (see
    the module docstring)."""
    tables = plain_tables(folder, refused=_ODD_CONTROL, deals=True)
    if tables is None:
        return None
    texts = property_texts(tables, lambda *args: _properties(args[2]))
    ent = with_properties(tables["entities.csv"], texts)
    rel = with_deal_dates(with_properties(tables["relations.csv"], texts), tables["deals.csv"])
    G = sample_graph(tables, folder)
    head = dumps({"directed": True, "multigraph": True, "graph": G.graph})
    head = head.removesuffix("\n}") + ',\n  "nodes": [\n'
    deal_nodes, party_edges = _deal_elements(
        deal_graph(tables, folder) if tables["deals.csv"].height else None)
    nodes, edges = _nodes(ent), _edges(ent, rel, party_edges)
    text = itertools.chain(
        pieces(head, (nodes, ",\n"), "".join(",\n" + text for text in deal_nodes),
               '\n  ],\n  "edges": [\n'),
        _twice(edges, '\n  ],\n  "links": [\n'), ["\n  ]\n}\n"])
    return text, ent.height + len(deal_nodes), rel.height + party_edges.height


def _twice(edges: Rendered, between: str) -> Iterator[str]:
    """The edge list, *between*, and the edge list again: rendered once, a slice at a time,
    and kept for the second time in a temporary file rather than in memory (1M relations:
    2.2 GB of text)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        for piece in pieces((edges, ",\n")):
            spool.write(piece)
            yield piece
        yield between
        spool.seek(0)
        while chunk := spool.read(1 << 22):
            yield chunk


def _element(obj: dict[str, Any]) -> str:
    """*obj* as the json module writes it at the depth of the nodes and edges."""
    text = json.dumps(obj, indent=2, ensure_ascii=False, default=str)
    return "\n".join("    " + line for line in text.split("\n"))


def _deal_elements(deals) -> tuple[list[str], pl.DataFrame]:
    """The deals' node objects, and their ``PARTY_TO`` edges as ``source`` and ``_pre``
    (the object) in the order the graph adds them, as ``node_link`` gives them."""
    if deals is None:
        return [], pl.DataFrame(schema={"source": pl.String, "_pre": pl.String})
    nodes, sources, texts = [], [], []
    for n, d in deals.nodes(data=True):
        if d.get("label") != "Deal":
            continue
        nodes.append(_element({**d, "id": n}))
        for u, v, k, data in deals.in_edges(n, keys=True, data=True):
            sources.append(u)
            texts.append(_element({**data, "source": u, "target": v, "key": k,
                                   "symmetric": is_symmetric(data.get("type", ""))}))
    return nodes, pl.DataFrame({"source": sources, "_pre": texts},
                               schema={"source": pl.String, "_pre": pl.String})


def _string(e: pl.Expr) -> pl.Expr:
    """The JSON string of *e* as ``json.dumps(ensure_ascii=False)`` writes it (the other
    control characters are refused before)."""
    return ('"' + e.str.replace_all("\\", "\\\\", literal=True)
            .str.replace_all('"', '\\"', literal=True)
            .str.replace_all("\n", "\\n", literal=True)
            .str.replace_all("\r", "\\r", literal=True)
            .str.replace_all("\t", "\\t", literal=True) + '"')


def _list(e: pl.Expr, pad: str) -> pl.Expr:
    """A list cell as an indented JSON array whose items are at *pad* + 2 spaces."""
    inner = f",\n{pad}  "
    listed = items(e)
    return (pl.when(listed.list.len() == 0).then(pl.lit("[]"))
            .otherwise(f"[\n{pad}  " + listed.list.eval(_string(pl.element())).list.join(inner)
                       + f"\n{pad}]"))


def _value(field: str, e: pl.Expr) -> pl.Expr:
    return _list(e, "      ") if field in schema.LIST_FIELDS else _string(e)


def _properties(props: dict[str, Any]) -> str:
    """A node's or edge's properties as members of its object, each after a comma (the
    control characters the json module would escape as ``\\u00XX`` are refused before)."""
    return "".join(f",\n      {json.dumps(k, ensure_ascii=False)}: "
                   f"{json.dumps(v, ensure_ascii=False)}" for k, v in props.items())


def _dict(members: list[tuple[str, pl.Expr]], after: int) -> pl.Expr:
    """The JSON object of *members* (key, value text) at the nodes' and edges' depth, the
    ``properties`` members after the first *after* of them."""
    parts: list[pl.Expr] = [pl.lit("    {\n")]
    for i, (key, value) in enumerate(members):
        if i == after:
            parts.append(c("properties"))
        parts += [pl.lit(f'{"," if i else ""}{chr(10) if i else ""}      "{key}": '), value]
    return pl.concat_str([*parts, pl.lit("\n    }")])


def _nodes(ent: pl.DataFrame) -> pl.Series:
    members = [(f, _value(f, c(f))) for f in _NODE_FIELDS] + [("id", _string(c("id")))]
    return ent.select(_dict(members, len(_NODE_FIELDS)).alias("text"))["text"]


def _edges(ent: pl.DataFrame, rel: pl.DataFrame, party_edges: pl.DataFrame) -> Rendered:
    """The relations' objects, with the deals' ``PARTY_TO`` edges (written already) in
    their places."""
    rel = in_edge_order(ent, rel, party_edges)
    if "_pre" not in rel.columns:
        rel = rel.with_columns(pl.lit(None, dtype=pl.String).alias("_pre"))
    relations = rel.filter(c("_pre").is_null())
    distinct = relations["confidence"].unique().to_list()
    types = relations["type"].unique().to_list()
    members = [(f, _value(f, c(f))) for f in _EDGE_FIELDS]
    members[_EDGE_FIELDS.index("confidence")] = ("confidence", c("confidence").replace_strict(
        distinct, [repr(float(v)) for v in distinct], default=None, return_dtype=pl.String))
    members += [("source", _string(c("source"))), ("target", _string(c("target"))),
                ("key", _string(c("id"))),
                ("symmetric", c("type").replace_strict(
                    types, ["true" if t in schema.symmetric_types() else "false"
                            for t in types], default=None, return_dtype=pl.String))]
    return Rendered(rel, pl.when(c("_pre").is_not_null()).then(c("_pre"))
                    .otherwise(_dict(members, len(_EDGE_FIELDS))))
