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
from pathlib import Path
from typing import Any

import networkx as nx

from ..dataset import no_gc
from .common import Exporter, flat, is_symmetric, split_lists, write_bytes, xml_text

__all__ = ["write_graphml", "read_graphml", "to_graphml", "EXPORTER"]

NS = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
_CAST = {"boolean": lambda v: v == "true", "long": int, "int": int, "double": float,
         "float": float, "string": str}


def _kind(values: list[Any]) -> str:
    kinds = {type(v) for v in values}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return xml_text(value)


class _Keys:
    """The ``<key>`` declarations: one per (domain, attribute name), ids d0, d1, ..."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}

    def declare(self, domain: str, rows: list[dict[str, Any]]) -> None:
        names = sorted({k for row in rows for k in row})
        for name in names:
            kind = _kind([row[name] for row in rows if name in row])
            self.keys[domain, name] = (f"d{len(self.keys)}", kind)

    def data(self, parent: ET.Element, domain: str, row: dict[str, Any]) -> None:
        for name, value in row.items():
            key, kind = self.keys[domain, name]
            ET.SubElement(parent, "data", key=key).text = _text(value, kind)


def _rows(G: nx.MultiDiGraph):
    graph_row = {k: v if isinstance(v, (str, int, float, bool)) else json.dumps(
        v, ensure_ascii=False, sort_keys=True, default=str) for k, v in G.graph.items()}
    # flat() joins lists; where a value is not a list it returns it unchanged, so the
    # message naming the attribute is made only for lists
    node_rows = [(n, {k: flat(v, f"node {n!r} {k}") if isinstance(v, (list, tuple)) else v
                      for k, v in d.items() if v is not None})
                 for n, d in G.nodes(data=True)]
    edge_rows = []
    for u, v, k, d in G.edges(keys=True, data=True):
        row = {a: flat(x, f"relation {k!r} {a}") if isinstance(x, (list, tuple)) else x
               for a, x in d.items() if x is not None}
        row["symmetric"] = is_symmetric(d.get("type", ""))
        edge_rows.append((u, v, k, row))
    return graph_row, node_rows, edge_rows


@no_gc()  # millions of acyclic objects: see graph.dataset.no_gc
def to_graphml(G: nx.MultiDiGraph, undirected: bool = False) -> bytes:
    """The GraphML document of *G* as UTF-8 bytes; *undirected*: symmetric types as
    undirected edges (see the module docstring).

    Written as text, element by element: the same bytes as building an ElementTree and
    serialising it (:func:`_to_graphml_tree`, kept as the reference the tests compare
    against), without a tree of millions of elements (4 GB at 500k relations).
    """
    graph_row, node_rows, edge_rows = _rows(G)
    keys = _Keys()
    keys.declare("graph", [graph_row])
    keys.declare("node", [row for _, row in node_rows])
    keys.declare("edge", [row for *_, row in edge_rows])
    # ElementTree's own escaping, so the text is byte for byte what it would write. Values
    # repeat (types, statuses, dates): short ones are escaped once. Characters XML cannot
    # hold are replaced in the whole document at the end (xml_text): neither the escaping
    # nor the markup makes or moves one, so that is what replacing them per value gives.
    attr, escape = ET._escape_attrib, text_escape
    escaped: dict[str, str] = {}

    def text(value: str) -> str:
        done = escaped.get(value)
        if done is None:
            done = escape(value)
            if len(value) <= 24:
                escaped[value] = done
        return done

    out = ["<?xml version='1.0' encoding='utf-8'?>\n",
           f'<graphml xmlns="{attr(NS)}" xmlns:xsi="{attr(XSI)}" '
           f'xsi:schemaLocation="{attr(SCHEMA_LOCATION)}">\n']
    append = out.append
    for (domain, name), (key, kind) in keys.keys.items():
        append(f'  <key id="{attr(key)}" for="{attr(domain)}" '
               f'attr.name="{attr(xml_text(name))}" attr.type="{attr(kind)}" />\n')
    # per domain and attribute: the opening tag, the empty element and the type
    table: dict[str, dict[str, tuple[str, str, str]]] = {}
    for (domain, name), (key, kind) in keys.keys.items():
        indent = "    " if domain == "graph" else "      "
        table.setdefault(domain, {})[name] = (f'{indent}<data key="{key}">',
                                              f'{indent}<data key="{key}" />\n', kind)

    def data(domain: str, row: dict[str, Any], indent: str) -> None:
        tags = table[domain]
        for name, value in row.items():
            start, empty, kind = tags[name]
            if kind == "string":
                value = value if type(value) is str else str(value)
            else:
                value = _text(value, kind)
            append(start + text(value) + "</data>\n" if value else empty)

    append('  <graph id="G" edgedefault="directed">\n')
    data("graph", graph_row, "    ")
    for n, row in node_rows:
        if row:
            append(f'    <node id="{attr(str(n))}">\n')
            data("node", row, "      ")
            append("    </node>\n")
        else:
            append(f'    <node id="{attr(str(n))}" />\n')
    for u, v, k, row in edge_rows:
        append(f'    <edge id="{attr(str(k))}" source="{attr(str(u))}" '
               f'target="{attr(str(v))}" directed="{directed(row, undirected)}">\n')
        data("edge", row, "      ")
        append("    </edge>\n")
    append("  </graph>\n</graphml>\n")
    return xml_text("".join(out)).encode("utf-8")


def directed(row: dict[str, Any], undirected: bool) -> str:
    """The ``directed`` attribute of an edge of *row* (its attributes and ``symmetric``)."""
    return "false" if undirected and row["symmetric"] else "true"


def text_escape(value: str) -> str:
    """Element text as ElementTree escapes it, and a carriage return as ``&#13;``: an XML
    parser turns a raw one into a newline (ElementTree escapes it only in attributes)."""
    return ET._escape_cdata(value).replace("\r", "&#13;")  # noqa: SLF001


def _to_graphml_tree(G: nx.MultiDiGraph, undirected: bool = False) -> bytes:
    """:func:`to_graphml` through an ElementTree: the reference for its exact output."""
    graph_row, node_rows, edge_rows = _rows(G)
    keys = _Keys()
    keys.declare("graph", [graph_row])
    keys.declare("node", [row for _, row in node_rows])
    keys.declare("edge", [row for *_, row in edge_rows])
    ET.register_namespace("", NS)
    root = ET.Element("graphml", {"xmlns": NS, "xmlns:xsi": XSI,
                                  "xsi:schemaLocation": SCHEMA_LOCATION})
    for (domain, name), (key, kind) in keys.keys.items():
        ET.SubElement(root, "key", {"id": key, "for": domain, "attr.name": xml_text(name),
                                    "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="G", edgedefault="directed")
    keys.data(graph, "graph", graph_row)
    for n, row in node_rows:
        keys.data(ET.SubElement(graph, "node", id=xml_text(n)), "node", row)
    for u, v, k, row in edge_rows:
        edge = ET.SubElement(graph, "edge", id=xml_text(k), source=xml_text(u),
                             target=xml_text(v), directed=directed(row, undirected))
        keys.data(edge, "edge", row)
    ET.indent(root, "  ")
    # a carriage return left raw by ElementTree is in element text (see text_escape)
    return (ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n").replace(
        b"\r", b"&#13;")


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
                    options=("undirected",))
