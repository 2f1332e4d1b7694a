"""Reference GraphML and GEXF writers for the tests: each document built as one ElementTree
and serialised by it (ElementTree does the escaping and the layout), from the graph's
attribute dicts. Slow and simple, and independent of graph.frames and of the writers it
checks (tests/test_export_streaming.py compares them byte for byte)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx

from graph import style
from graph.export.common import flat, graph_json, is_symmetric, xml_text
from graph.export.gexf import NS as GEXF_NS, VIZ, XSI, timeline
from graph.export.gexf import _text as _gexf_text
from graph.export.graphml import NS, SCHEMA_LOCATION

def _graphml_kind(values: list[Any]) -> str:
    kinds = {type(v) for v in values}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _graphml_text(value: Any, kind: str) -> str:
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
            kind = _graphml_kind([row[name] for row in rows if name in row])
            self.keys[domain, name] = (f"d{len(self.keys)}", kind)

    def data(self, parent: ET.Element, domain: str, row: dict[str, Any]) -> None:
        for name, value in row.items():
            key, kind = self.keys[domain, name]
            ET.SubElement(parent, "data", key=key).text = _graphml_text(value, kind)


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


def directed(row: dict[str, Any], undirected: bool) -> str:
    """The ``directed`` attribute of an edge of *row* (its attributes and ``symmetric``)."""
    return "false" if undirected and row["symmetric"] else "true"


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


def _gexf_kind(values: list[Any]) -> str:
    if any(isinstance(v, (list, tuple)) for v in values):
        return "liststring"
    return _graphml_kind(values)


def _declare(parent: ET.Element, cls: str, rows: list[dict[str, Any]]) -> dict[str, tuple]:
    block = ET.SubElement(parent, "attributes", {"class": cls, "mode": "static"})
    model = {}
    for i, name in enumerate(sorted({k for row in rows for k in row})):
        kind = _gexf_kind([row[name] for row in rows if name in row])
        ET.SubElement(block, "attribute", id=str(i), title=xml_text(name), type=kind)
        model[name] = (str(i), kind)
    return model


def _attvalues(parent: ET.Element, model: dict[str, tuple], row: dict[str, Any]) -> None:
    values = ET.SubElement(parent, "attvalues")
    for name, value in row.items():
        key, kind = model[name]
        ET.SubElement(values, "attvalue", {"for": key, "value": _gexf_text(value, kind)})


def _color(parent: ET.Element, hex_color: str) -> None:
    r, g, b = style.hex_to_rgb(hex_color)
    ET.SubElement(parent, "viz:color", r=str(r), g=str(g), b=str(b), a="1.0")


def _skeleton(G: nx.MultiDiGraph, viz: bool = True) -> tuple:
    """The document's root and graph elements with the attribute declarations, the node and
    edge rows (an edge's attributes, then ``symmetric``), and the degrees that size the
    nodes."""
    spaces = {"xmlns": GEXF_NS, **({"xmlns:viz": VIZ} if viz else {}), "xmlns:xsi": XSI}
    root = ET.Element("gexf", {**spaces, "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd",
                               "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "autograph"
    ET.SubElement(meta, "description").text = xml_text(graph_json(G))
    graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="dynamic",
                          timeformat="date")
    node_rows = [(n, {"nodeLabel" if k == "label" else k: v for k, v in d.items()
                      if v is not None}) for n, d in G.nodes(data=True)]
    edge_rows = [(u, v, k, {**{"relType" if a == "type" else a: x for a, x in d.items()
                               if x is not None}, "symmetric": is_symmetric(d.get("type", ""))})
                 for u, v, k, d in G.edges(keys=True, data=True)]
    node_model = _declare(graph, "node", [row for _, row in node_rows])
    edge_model = _declare(graph, "edge", [row for *_, row in edge_rows])

    degree = dict(G.degree())
    return (root, graph, node_rows, edge_rows, node_model, edge_model, degree,
            max(degree.values(), default=0))


def _to_gexf_tree(G: nx.MultiDiGraph, undirected: bool = False, viz: bool = True) -> bytes:
    """The document through one ElementTree: the reference for :func:`to_gexf`'s bytes."""
    root, graph, node_rows, edge_rows, node_model, edge_model, degree, top = _skeleton(G, viz)
    nodes = ET.SubElement(graph, "nodes")
    for n, row in node_rows:
        node = ET.SubElement(nodes, "node", id=xml_text(n), label=xml_text(row.get("name", n)))
        _attvalues(node, node_model, row)
        if viz:
            _color(node, style.LABEL_COLORS.get(row.get("nodeLabel", ""), style.PALETTE[0]))
            ET.SubElement(node, "viz:size", value=repr(float(style.node_size(degree[n], top))))

    edges = ET.SubElement(graph, "edges")
    for u, v, k, row in edge_rows:
        attrs = {"id": xml_text(k), "source": xml_text(u), "target": xml_text(v),
                 "label": xml_text(row.get("relType", ""))}
        if undirected and row["symmetric"]:
            attrs["type"] = "undirected"
        start, end = timeline(G, G.edges[u, v, k])
        if start:
            attrs["start"] = start
        if end:
            attrs["end"] = end
        edge = ET.SubElement(edges, "edge", attrs)
        _attvalues(edge, edge_model, row)
        if viz:
            _color(edge, style.REL_COLORS.get(row.get("relType", ""), "#999999"))
    ET.indent(root, "  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


