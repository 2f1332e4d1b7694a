"""GraphML, valid against the official GraphML 1.0 schema.

Written by our own small writer rather than ``nx.write_graphml``, which (networkx 3.6)
reuses a key id for a graph and a node attribute of the same name (invalid: duplicate
``key`` ids), writes the graph's ``<data>`` after the edges (graphology-graphml, and so
Gephi Lite, then drops it), and repeats the edge id as an ``id`` attribute (igraph warns).

- Keys ``d0``, ``d1``, ... with the real name in ``attr.name``; types ``boolean``, ``long``,
  ``double``, ``string``. Lists are joined with ``|``.
- The graph's ``<data>`` (``name``, and ``sources``: the source registry as JSON) comes
  first inside ``<graph>``.
- The relation id is the edge's ``id`` and also its ``id`` data (igraph reads only the
  latter: its own edge ids are wrong in igraph 1.0, see ``docs/export.md``).
- Every edge is ``directed="true"`` and carries ``symmetric`` (true for the schema's
  symmetric types, which have no direction), so that networkx, which refuses a graph of
  directed and undirected edges, reads the file. With ``undirected=True`` the symmetric
  types are ``directed="false"`` instead (a mixed graph, for readers that honour it).
- Characters XML 1.0 cannot hold (``\\x00``, ``\\x0b``, ``\\x1b``, ...) become U+FFFD; a
  carriage return in a value is written ``&#13;`` (a parser reads a raw one as a newline).
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from .. import schema
from ..dataset import LIST_SEPARATOR
from ..frames import Frames, float_texts, from_graph, ordered_texts
from .common import (REPLACEMENT, XML_ILLEGAL, Exporter, check_lists, flat, has_match, pieces,
                     scalar_text,
                     split_lists, with_extra, write_bytes, xml_text)

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["write_graphml", "read_graphml", "to_graphml", "graphml_pieces", "EXPORTER"]

c = pl.col

NS = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
_CAST = {"boolean": lambda v: v == "true", "long": int, "int": int, "double": float,
         "float": float, "string": str}


def _kind(types: set[type]) -> str:
    """A GraphML ``attr.type`` for values of *types* (lists are written joined)."""
    if types == {bool}:
        return "boolean"
    if types == {int}:
        return "long"
    if types and types <= {int, float}:
        return "double"
    return "string"


def _text(value: Any, kind: str) -> str:
    """A Python value as *kind* writes it (before escaping)."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return value if type(value) is str else str(value)


def _declare(frames: Frames) -> tuple[dict[str, Any], dict[tuple[str, str], tuple[str, str]]]:
    """The graph's data row and the ``<key>`` declarations: ``(domain, name) -> (id, kind)``,
    ids d0, d1, ... by domain (graph, node, edge), then by name."""
    graph_row = {k: v if isinstance(v, (str, int, float, bool)) else json.dumps(
        v, ensure_ascii=False, sort_keys=True, default=str) for k, v in frames.graph.items()}
    found = {"graph": {k: {type(v)} for k, v in graph_row.items()},
             "node": frames.attribute_types("node"),
             "edge": {**frames.attribute_types("edge"),
                      **({"symmetric": {bool}} if frames.n_edges else {})}}
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for domain, types in found.items():
        for name in sorted(types):
            kinds = {str if t in (list, tuple) else t for t in types[name]}
            keys[domain, name] = (f"d{len(keys)}", _kind(kinds))
    return graph_row, keys


def _escape(e: pl.Expr) -> pl.Expr:
    """Element text as :func:`text_escape` escapes it."""
    return (e.str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True)
            .str.replace_all("\r", "&#13;", literal=True))


def _attribute(e: pl.Expr) -> pl.Expr:
    """ElementTree's escaping of an attribute value."""
    return (e.str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True)
            .str.replace_all('"', "&quot;", literal=True)
            .str.replace_all("\r", "&#13;", literal=True)
            .str.replace_all("\n", "&#10;", literal=True)
            .str.replace_all("\t", "&#09;", literal=True))


def _value(frame: pl.DataFrame, name: str, kind: str) -> pl.Expr:
    """The text of column *name* of *frame* as *kind* writes it (null: absent)."""
    e, dtype = c(name), frame.schema[name]
    if dtype == pl.List:
        return e.list.join(LIST_SEPARATOR)
    return scalar_text(frame, name, kind)


def _data(frame: pl.DataFrame, keys: dict[tuple[str, str], tuple[str, str]], domain: str,
          name: str) -> pl.Expr:
    key, kind = keys[domain, name]
    text = _value(frame, name, kind)
    return (pl.when(text.is_null()).then(pl.lit(""))
            .when(text == "").then(pl.lit(f'      <data key="{key}" />\n'))
            .otherwise(pl.lit(f'      <data key="{key}">') + _escape(text) + pl.lit("</data>\n")))


def _extra_text(keys: dict, domain: str, row: dict[str, Any]) -> str:
    """The ``<data>`` elements of attributes kept in Python (:attr:`Frames.extra`)."""
    out = []
    for name, value in row.items():
        if value is None:
            continue
        key, kind = keys[domain, name]
        text = xml_text(_text(flat(value), kind))
        out.append(f'      <data key="{key}">{text_escape(text)}</data>\n'
                   if text else f'      <data key="{key}" />\n')
    return "".join(out)


def _id(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A node id or edge end as ``str()`` gives it, escaped as an attribute."""
    dtype = frame.schema[name]
    if dtype == pl.Float64:
        return _attribute(float_texts(frame, c(name), str))
    if dtype == pl.Boolean:
        return pl.when(c(name)).then(pl.lit("True")).otherwise(pl.lit("False"))
    return _attribute(c(name).cast(pl.String))


def graphml_pieces(frames: Frames, undirected: bool = False) -> Iterator[str]:
    """The GraphML document of *frames* in pieces to write one after the other (the rules
    are in the module docstring)."""
    check_lists(frames)
    graph_row, keys = _declare(frames)
    attr = ET._escape_attrib  # noqa: SLF001
    head = ["<?xml version='1.0' encoding='utf-8'?>\n",
            f'<graphml xmlns="{attr(NS)}" xmlns:xsi="{attr(XSI)}" '
            f'xsi:schemaLocation="{attr(SCHEMA_LOCATION)}">\n']
    for (domain, name), (key, kind) in keys.items():
        head.append(f'  <key id="{attr(key)}" for="{attr(domain)}" '
                    f'attr.name="{attr(xml_text(name))}" attr.type="{attr(kind)}" />\n')
    head.append('  <graph id="G" edgedefault="directed">\n')
    for name, value in graph_row.items():
        key, kind = keys["graph", name]
        text = _text(value, kind)
        head.append(f'    <data key="{key}">{text_escape(text)}</data>\n' if text
                    else f'    <data key="{key}" />\n')
    yield xml_text("".join(head))
    extra = {k: _extra_text(keys, k[0], {n: v for n, v in row.items()
                                         if not (k[0] == "edge" and n == "symmetric")})
             for k, row in frames.extra.items()}
    symmetric = schema.symmetric_types()
    sym_key = keys.get(("edge", "symmetric"), ("",))[0]

    def node(frame: pl.DataFrame) -> pl.Expr:
        frame = with_extra(frame, "node", extra)
        names = [n for n in frame.columns if not n.startswith("_")]
        data = [_data(frame, keys, "node", n) for n in names]
        has = pl.any_horizontal(*[c(n).is_not_null() for n in names], c("_extra") != "")
        ident = _id(frame, "_id")
        full = pl.concat_str([pl.lit('    <node id="'), ident, pl.lit('">\n'), *data,
                              c("_extra"), pl.lit("    </node>\n")])
        return frame, _legal(pl.when(has).then(full).otherwise(
            pl.lit('    <node id="') + ident + pl.lit('" />\n')), frame)

    def edge(frame: pl.DataFrame) -> pl.Expr:
        frame = with_extra(frame, "edge", extra)
        names = [n for n in frame.columns if not n.startswith("_")]
        sym = (c("type").is_in(list(symmetric)).fill_null(False)
               if "type" in names and frame.schema["type"] == pl.String else pl.lit(False))
        return frame, _legal(pl.concat_str([
            pl.lit('    <edge id="'), _id(frame, "_key"), pl.lit('" source="'),
            _id(frame, "_source"), pl.lit('" target="'), _id(frame, "_target"),
            pl.lit('" directed="'),
            pl.when(sym).then(pl.lit("false" if undirected else "true")).otherwise(pl.lit("true")),
            pl.lit('">\n'), *[_data(frame, keys, "edge", n) for n in names],
            c("_extra"), pl.lit(f'      <data key="{sym_key}">'),
            pl.when(sym).then(pl.lit("true")).otherwise(pl.lit("false")),
            pl.lit("</data>\n    </edge>\n")]), frame)

    yield from pieces(ordered_texts(frames.nodes, node, frames.n_nodes))
    yield from pieces(ordered_texts(frames.edges, edge, frames.n_edges))
    yield "  </graph>\n</graphml>\n"


def _legal(e: pl.Expr, frame: pl.DataFrame) -> pl.Expr:
    """*e* with the characters XML 1.0 cannot hold replaced by U+FFFD, when *frame* has
    any (a scan of its text, not a rewrite of every element)."""
    return e.str.replace_all(XML_ILLEGAL, REPLACEMENT) if has_match(frame, XML_ILLEGAL) else e


def to_graphml(G: nx.MultiDiGraph, undirected: bool = False) -> bytes:
    """The GraphML document of *G* as UTF-8 bytes; *undirected*: symmetric types as
    undirected edges (see the module docstring)."""
    return "".join(graphml_pieces(from_graph(G), undirected)).encode("utf-8")


def text_escape(value: str) -> str:
    """Element text as ElementTree escapes it, and a carriage return as ``&#13;``: an XML
    parser turns a raw one into a newline (ElementTree escapes it only in attributes)."""
    return ET._escape_cdata(value).replace("\r", "&#13;")  # noqa: SLF001


def write_graphml(G: nx.MultiDiGraph, path: str | Path | io.BytesIO,
                  undirected: bool = False) -> None:
    """Write *G* as GraphML (see the module docstring for the rules)."""
    write_bytes(to_graphml(G, undirected), path)


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    """Read a file of :func:`write_graphml` back into the model (lists split, the source
    registry parsed, ``symmetric`` dropped).

    ``nx.read_graphml`` reads them too (but for ``undirected=True``: it refuses a graph
    of directed and undirected edges), with lists as ``|``-joined strings.
    """
    tree = ET.parse(path)
    q = f"{{{NS}}}"
    keys = {k.get("id"): (k.get("attr.name"), _CAST.get(k.get("attr.type"), str))
            for k in tree.getroot().iter(f"{q}key")}

    def attrs(element: ET.Element) -> dict[str, Any]:
        out = {}
        for data in element.findall(f"{q}data"):
            name, cast = keys[data.get("key")]
            out[name] = cast(data.text or "")
        return split_lists(out)

    graph = tree.getroot().find(f"{q}graph")
    import networkx as nx

    G = nx.MultiDiGraph()
    G.graph.update(attrs(graph))
    if isinstance(G.graph.get("sources"), str):
        G.graph["sources"] = json.loads(G.graph["sources"])
    for node in graph.iter(f"{q}node"):
        G.add_node(node.get("id"), **attrs(node))
    for edge in graph.iter(f"{q}edge"):
        data = attrs(edge)
        data.pop("symmetric", None)
        data.setdefault("id", edge.get("id"))
        G.add_edge(edge.get("source"), edge.get("target"), key=edge.get("id"), **data)
    return G


EXPORTER = Exporter("graphml", ".graphml", "GraphML with typed attributes",
                    render=lambda G, **options: to_graphml(G, **options).decode("utf-8"),
                    options=("undirected",), pieces=graphml_pieces)
