"""networkx node-link JSON, readable with the defaults of every networkx 3.x.

networkx 3.4 renamed the edge list from ``links`` to ``edges``; the file carries the same
list under both keys, so ``nx.node_link_graph(data)`` reads it in networkx before 3.4 and
``nx.node_link_graph(data, edges="edges")`` from 3.4 on. Every edge also carries
``symmetric`` (true for the schema's symmetric types, which have no direction).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import TYPE_CHECKING, Any

import polars as pl

from .. import schema
from ..frames import Frames, float_texts, from_graph, ordered_texts
from .common import Exporter, has_match, is_symmetric, pieces, with_extra

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["node_link", "to_json", "json_text", "json_pieces", "dumps", "read_json",
           "EXPORTER"]

c = pl.col
# the control characters the json module writes as \\u00XX (the others have short escapes)
_ODD_CONTROL = r"[\x00-\x07\x0B\x0E-\x1F]"
_SURROGATE = re.compile("[\ud800-\udfff]")


def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link form with both ``edges`` and ``links``, and ``symmetric`` per edge (the
    dict the JSON text holds)."""
    import networkx as nx

    data = nx.node_link_data(G, edges="edges")
    for edge in data["edges"]:
        edge["symmetric"] = is_symmetric(edge.get("type", ""))
    data["links"] = data["edges"]
    return data


def to_json(G: nx.MultiDiGraph) -> str:
    """The JSON text of *G* (see the module docstring)."""
    return "".join(json_pieces(from_graph(G)))


def json_text(data: Any) -> str:
    """*data* as indented JSON text ending in a newline (:func:`dumps`), UTF-8 as is unless
    a value holds a lone surrogate, in which case the whole text uses ``\\u`` escapes."""
    text = dumps(data)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = dumps(data, ensure_ascii=True)
    return text + "\n"


def json_pieces(frames: Frames) -> Iterator[str]:
    """The node-link JSON text of *frames* in pieces to write one after the other: what
    ``json.dumps(node_link(G), indent=2, ensure_ascii=False)`` writes, each node and edge
    one string made by polars (keys in the order ``nx.node_link_data`` gives them, strings
    escaped as the json module escapes them, lists laid out as ``indent=2`` lays them out).
    The edge list is written under ``edges`` and again under ``links`` (rendered once, kept
    in a temporary file between the two)."""
    head = dumps({"directed": True, "multigraph": True, "graph": frames.graph})
    yield head.removesuffix("\n}") + ',\n  "nodes": [\n'
    elements = {d: frames.elements(d, [o for e, o in frames.extra if e == d])
                for d in ("node", "edge")}
    tails = {(d, o): _tail(elements[d][o], d, row) for (d, o), row in frames.extra.items()}
    yield from pieces(ordered_texts(frames.nodes, lambda f: _object(f, "node", tails),
                                    frames.n_nodes), ",\n")
    if not frames.n_edges:
        yield '\n  ],\n  "edges": [],\n  "links": []\n}\n'
        return
    yield '\n  ],\n  "edges": [\n'
    yield from _twice(pieces(ordered_texts(frames.edges, lambda f: _object(f, "edge", tails),
                                           frames.n_edges), ",\n"),
                      '\n  ],\n  "links": [\n')
    yield "\n  ]\n}\n"


def _twice(texts: Iterator[str], between: str) -> Iterator[str]:
    """*texts*, *between*, and *texts* again: made once, and kept for the second time in a
    temporary file rather than in memory (1M relations: 2.2 GB of text)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        for piece in texts:
            spool.write(piece)
            yield piece
        yield between
        spool.seek(0)
        while chunk := spool.read(1 << 22):
            yield chunk


def _tail(element: dict[str, Any], domain: str, row: dict[str, Any]) -> str:
    """The members of an element after its columns (*element*: them), from its attributes
    kept in Python (:attr:`Frames.extra`, *row*) on, as ``node_link`` gives them (``id``;
    ``source``, ``target``, ``key`` and ``symmetric``)."""
    if domain == "node":
        members = {**row, "id": element["_id"]}
    else:
        kind = element.get("type", row.get("type", ""))
        members = {**row, "source": element["_source"], "target": element["_target"],
                   "key": element["_key"], "symmetric": is_symmetric(kind)}
    lines = dumps(members).split("\n")[1:-1]
    return _SURROGATE.sub("\ufffd", "\n".join("    " + line for line in lines))


def _string(e: pl.Expr, odd: bool) -> pl.Expr:
    """The JSON string of *e* as ``json.dumps(ensure_ascii=False)`` writes it; *odd*: the
    text may hold control characters written ``\\u00XX``."""
    text = (e.str.replace_all("\\", "\\\\", literal=True)
            .str.replace_all('"', '\\"', literal=True)
            .str.replace_all("\n", "\\n", literal=True)
            .str.replace_all("\r", "\\r", literal=True)
            .str.replace_all("\t", "\\t", literal=True)
            .str.replace_all("\x08", "\\b", literal=True)
            .str.replace_all("\x0c", "\\f", literal=True))
    if odd:
        for code in [*range(0x08), 0x0B, *range(0x0E, 0x20)]:
            text = text.str.replace_all(chr(code), f"\\u{code:04x}", literal=True)
    return '"' + text + '"'


def _float(v: float) -> str:
    return "NaN" if v != v else _FLOATS.get(v) or float.__repr__(v)


def _value(frame: pl.DataFrame, name: str, pad: str, odd: bool) -> pl.Expr:
    """Column *name* of *frame* as JSON text at depth *pad* (a list's items one deeper);
    *odd* as for :func:`_string`."""
    e, dtype = c(name), frame.schema[name]
    if dtype == pl.List:
        inner = f",\n{pad}  "
        text = (pl.when(e.list.len() == 0).then(pl.lit("[]"))
                .otherwise(f"[\n{pad}  " + e.list.eval(_string(pl.element(), odd))
                           .list.join(inner) + f"\n{pad}]"))
    elif dtype == pl.Boolean:
        text = pl.when(e).then(pl.lit("true")).otherwise(pl.lit("false"))
    elif dtype == pl.Float64:
        text = float_texts(frame, e, _float)
    elif dtype == pl.String:
        text = _string(e, odd)
    else:
        text = e.cast(pl.String)
    return text.fill_null("null")


def _object(frame: pl.DataFrame, domain: str, tails: dict[tuple[str, int], str]
            ) -> tuple[pl.DataFrame, pl.Expr]:
    """The group's elements as JSON objects at the depth of the node and edge lists."""
    odd = has_match(frame, _ODD_CONTROL)  # one scan of the group's text
    frame = with_extra(frame, domain, tails)
    names = [n for n in frame.columns if not n.startswith("_")]
    members: list[pl.Expr] = []
    for i, name in enumerate(names):
        members += [pl.lit((",\n" if i else "") + f"      {encode_basestring(name)}: "),
                    _value(frame, name, "      ", odd)]
    comma = pl.lit(",\n" if names else "")
    if domain == "node":
        own = [pl.lit('      "id": '), _value(frame, "_id", "      ", odd)]
    else:
        sym = (c("type").is_in(list(schema.symmetric_types())).fill_null(False)
               if "type" in names and frame.schema["type"] == pl.String else pl.lit(False))
        own = [pl.lit('      "source": '), _value(frame, "_source", "      ", odd),
               pl.lit(',\n      "target": '), _value(frame, "_target", "      ", odd),
               pl.lit(',\n      "key": '), _value(frame, "_key", "      ", odd),
               pl.lit(',\n      "symmetric": '),
               pl.when(sym).then(pl.lit("true")).otherwise(pl.lit("false"))]
    tail = pl.when(c("_extra") == "").then(pl.concat_str(own)).otherwise(c("_extra"))
    return frame, pl.concat_str([pl.lit("    {\n"), *members, comma, tail, pl.lit("\n    }")])


class _Unusual(Exception):
    """A key that is not a string: left to the json module."""


_FLOATS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def dumps(obj: Any, ensure_ascii: bool = False) -> str:
    """``json.dumps(obj, indent=2, ensure_ascii=ensure_ascii, default=str)``, the same text
    2-3x faster: the json module writes indented JSON token by token in Python, this joins
    each container's items once, with the C string encoder, and writes a long list met
    twice (``edges`` and ``links``) once. ``tests/test_export_streaming.py`` compares both."""
    enc = encode_basestring_ascii if ensure_ascii else encode_basestring
    keys: dict[str, str] = {}
    done: dict[tuple[int, str], tuple[Any, str]] = {}

    def value(o: Any, pad: str) -> str:
        if type(o) is str:
            return enc(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, int):
            return int.__repr__(o)
        if isinstance(o, float):
            return "NaN" if o != o else _FLOATS.get(o) or float.__repr__(o)
        if isinstance(o, (list, tuple)):
            if not o:
                return "[]"
            memo = (id(o), pad)
            if memo in done:
                return done[memo][1]
            inner = pad + "  "
            text = ("[\n" + inner + (",\n" + inner).join([value(x, inner) for x in o])
                    + "\n" + pad + "]")
            if len(o) > 1000:  # kept with the list, so its id cannot be reused meanwhile
                done[memo] = (o, text)
            return text
        if isinstance(o, dict):
            if not o:
                return "{}"
            inner = pad + "  "
            items = []
            for k, v in o.items():
                key = keys.get(k) if type(k) is str else None
                if key is None:
                    if type(k) is not str:
                        raise _Unusual
                    key = keys[k] = enc(k) + ": "
                items.append(key + (enc(v) if type(v) is str else value(v, inner)))
            return "{\n" + inner + (",\n" + inner).join(items) + "\n" + pad + "}"
        if isinstance(o, str):
            return enc(o)
        return value(str(o), pad)

    try:
        return value(obj, "")
    except _Unusual:
        return json.dumps(obj, indent=2, ensure_ascii=ensure_ascii, default=str)


def read_json(text: str) -> nx.MultiDiGraph:
    """Read :func:`to_json` output back into the model (``symmetric`` dropped)."""
    data = json.loads(text)
    data.pop("links", None)
    import networkx as nx

    G = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    for *_, d in G.edges(data=True):
        d.pop("symmetric", None)
    return G


EXPORTER = Exporter("json", ".json", "networkx node-link JSON", render=to_json,
                    pieces=json_pieces)
