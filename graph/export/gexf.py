"""GEXF 1.2 for Gephi and Gephi Lite (graphology-gexf), written by our own small writer.

``nx.write_gexf`` (networkx 3.6) puts a ``name`` attribute on ``<graph>`` that the GEXF 1.2
schema does not allow, leaks ``networkx_key`` as an edge attribute, drops the graph's data
(the source registry) and gives ended relations a ``start`` but no ``end``.

- Nodes: GEXF's ``label`` is the display name, so the schema label is the attribute
  ``nodeLabel``; colours by label and sizes by degree (``viz:``) as in the map.
- Edges: GEXF's ``type`` is directedness (``undirected`` for the schema's symmetric types),
  so the relationship type is the attribute ``relType`` and the edge ``label``; the
  relation's start (:func:`graph.selection.edge_date`) is ``start`` and, for a relation
  that ended, its end (:func:`graph.selection.edge_end`) is ``end``, so Gephi's timeline
  shows it only while it held. The dates are also plain string attributes (``date``, ``asOf``, ``endDate``),
  for graphology-gexf, which ignores ``start`` and ``end``.
- Lists are ``liststring`` values joined with ``|``; an empty list is ``[]``.
- GEXF has no graph attributes: the graph's name and the source registry are one JSON
  object in ``<meta><description>`` (graphology-gexf reads it as the graph attribute
  ``description``).
- Characters XML 1.0 cannot hold become U+FFFD.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx

from .. import style
from ..dataset import date_start, no_gc
from ..selection import edge_date
from .common import (Exporter, edge_end, flat, graph_json, is_symmetric, write_bytes,
                     split_lists, xml_text)

__all__ = ["write_gexf", "read_gexf", "to_gexf", "EXPORTER"]

NS = "http://www.gexf.net/1.2draft"
VIZ = "http://www.gexf.net/1.2draft/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_CAST = {"boolean": lambda v: v == "true", "long": int, "integer": int, "double": float,
         "float": float, "string": str, "liststring": str}


def _kind(values: list[Any]) -> str:
    kinds = {type(v) for v in values}
    if kinds & {list, tuple}:
        return "liststring"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _text(value: Any, kind: str, where: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return xml_text(flat(value, where))


def _declare(parent: ET.Element, cls: str, rows: list[dict[str, Any]]) -> dict[str, tuple]:
    block = ET.SubElement(parent, "attributes", {"class": cls, "mode": "static"})
    model = {}
    for i, name in enumerate(sorted({k for row in rows for k in row})):
        kind = _kind([row[name] for row in rows if name in row])
        ET.SubElement(block, "attribute", id=str(i), title=xml_text(name), type=kind)
        model[name] = (str(i), kind)
    return model


def _attvalues(parent: ET.Element, model: dict[str, tuple], row: dict[str, Any],
               where: str) -> None:
    values = ET.SubElement(parent, "attvalues")
    for name, value in row.items():
        key, kind = model[name]
        if kind == "liststring" and isinstance(value, (list, tuple)) and not value:
            value = "[]"  # an empty value would read back as [""] in graphology
        ET.SubElement(values, "attvalue", {"for": key, "value": _text(value, kind, where)})


def _color(parent: ET.Element, hex_color: str) -> None:
    r, g, b = style.hex_to_rgb(hex_color)
    ET.SubElement(parent, "viz:color", r=str(r), g=str(g), b=str(b), a="1.0")


def _day(value: str) -> str:
    return date_start(value).isoformat()


def _skeleton(G: nx.MultiDiGraph) -> tuple:
    """The document's root and graph elements with the attribute declarations, the node and
    edge rows, and the degrees that size the nodes."""
    root = ET.Element("gexf", {"xmlns": NS, "xmlns:viz": VIZ, "xmlns:xsi": XSI,
                               "xsi:schemaLocation": f"{NS} {NS}/gexf.xsd", "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "autograph"
    ET.SubElement(meta, "description").text = xml_text(graph_json(G))
    graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="dynamic",
                          timeformat="date")
    node_rows = [(n, {"nodeLabel" if k == "label" else k: v for k, v in d.items()
                      if v is not None}) for n, d in G.nodes(data=True)]
    edge_rows = [(u, v, k, {"relType" if a == "type" else a: x for a, x in d.items()
                            if x is not None}) for u, v, k, d in G.edges(keys=True, data=True)]
    node_model = _declare(graph, "node", [row for _, row in node_rows])
    edge_model = _declare(graph, "edge", [row for *_, row in edge_rows])

    degree = dict(G.degree())
    return (root, graph, node_rows, edge_rows, node_model, edge_model, degree,
            max(degree.values(), default=0))


class _Elements:
    """Each node and edge as the text ``ET.indent(element, "  ", level=3)`` and
    ``ET.tostring`` give (attributes in insertion order, " />" for an empty element), escaped
    by ElementTree's own escaper; :func:`_to_gexf_tree` is the reference. *degree* (node ->
    its number of edges) and *top* (the largest) size the nodes; *G* holds the edges."""

    item, inner = "\n          ", "\n        "

    def __init__(self, G: nx.MultiDiGraph, node_model: dict[str, tuple],
                 edge_model: dict[str, tuple], degree: dict, top: int):
        self.G, self.node_model, self.edge_model = G, node_model, edge_model
        self.degree, self.top = degree, top
        self.colors: dict[str, str] = {}

    def color(self, hex_color: str) -> str:
        text = self.colors.get(hex_color)
        if text is None:
            r, g, b = style.hex_to_rgb(hex_color)
            text = self.colors[hex_color] = f'<viz:color r="{r}" g="{g}" b="{b}" a="1.0" />'
        return text

    def attvalues(self, model: dict[str, tuple], row: dict[str, Any], where: str) -> str:
        esc, values = ET._escape_attrib, []  # noqa: SLF001
        for name, value in row.items():
            key, kind = model[name]
            if kind == "liststring" and isinstance(value, (list, tuple)) and not value:
                value = "[]"  # an empty value would read back as [""] in graphology
            values.append(f'<attvalue for="{key}" value="{esc(_text(value, kind, where))}" />')
        if not values:
            return "<attvalues />"
        return "<attvalues>" + self.item + self.item.join(values) + self.inner + "</attvalues>"

    def node(self, n, row: dict[str, Any]) -> str:
        esc, inner = ET._escape_attrib, self.inner  # noqa: SLF001
        size = repr(float(style.node_size(self.degree[n], self.top)))
        return (f'<node id="{esc(xml_text(n))}" label="{esc(xml_text(row.get("name", n)))}">'
                + inner + self.attvalues(self.node_model, row, f"node {n!r}")
                + inner + self.color(style.LABEL_COLORS.get(row.get("nodeLabel", ""),
                                                            style.PALETTE[0]))
                + inner + f'<viz:size value="{size}" />' + "\n      </node>")

    def edge(self, u, v, k, row: dict[str, Any]) -> str:
        esc, inner, G = ET._escape_attrib, self.inner, self.G  # noqa: SLF001
        d = G.edges[u, v, k]
        head = (f'<edge id="{esc(xml_text(k))}" source="{esc(xml_text(u))}" '
                f'target="{esc(xml_text(v))}" label="{esc(xml_text(row.get("relType", "")))}"')
        if is_symmetric(d.get("type", "")):
            head += ' type="undirected"'
        start, end = edge_date(G, d), edge_end(G, d)
        start = _day(start) if start else ""
        if start:
            head += f' start="{start}"'
        if end:
            head += f' end="{max(_day(end), start)}"'
        return (head + ">" + inner + self.attvalues(self.edge_model, row, f"relation {k!r}")
                + inner + self.color(style.REL_COLORS.get(row.get("relType", ""), "#999999"))
                + "\n      </edge>")


@no_gc()  # millions of acyclic objects: see graph.dataset.no_gc
def to_gexf(G: nx.MultiDiGraph) -> bytes:
    """The GEXF 1.2 document of *G* as UTF-8 bytes.

    The skeleton is one small ElementTree; each node and edge is written as text and spliced
    in: the same bytes as one tree of the whole graph (:func:`_to_gexf_tree`), without
    holding millions of elements (5 GB at 500k relations) or serialising each one through
    ElementTree (three quarters of the time).
    """
    root, graph, node_rows, edge_rows, node_model, edge_model, degree, top = _skeleton(G)
    write = _Elements(G, node_model, edge_model, degree, top)
    nodes, edges = ET.SubElement(graph, "nodes"), ET.SubElement(graph, "edges")
    if node_rows:
        ET.SubElement(nodes, "autograph-nodes")  # placeholders: tag names data cannot forge
    if edge_rows:
        ET.SubElement(edges, "autograph-edges")
    ET.indent(root, "  ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=True)
    head, _, rest = text.partition("<autograph-nodes />") if node_rows else ("", "", text)
    middle, _, tail = rest.partition("<autograph-edges />") if edge_rows else (rest, "", "")
    out = [head]
    if node_rows:
        out.append("\n      ".join([write.node(n, row) for n, row in node_rows]))
    out.append(middle)
    if edge_rows:
        out.append("\n      ".join([write.edge(*e) for e in edge_rows]))
    out.append(tail)
    return ("".join(out) + "\n").encode("utf-8")


def _to_gexf_tree(G: nx.MultiDiGraph) -> bytes:
    """The document through one ElementTree: the reference for :func:`to_gexf`'s bytes."""
    root, graph, node_rows, edge_rows, node_model, edge_model, degree, top = _skeleton(G)
    nodes = ET.SubElement(graph, "nodes")
    for n, row in node_rows:
        node = ET.SubElement(nodes, "node", id=xml_text(n), label=xml_text(row.get("name", n)))
        _attvalues(node, node_model, row, f"node {n!r}")
        _color(node, style.LABEL_COLORS.get(row.get("nodeLabel", ""), style.PALETTE[0]))
        ET.SubElement(node, "viz:size", value=repr(float(style.node_size(degree[n], top))))

    edges = ET.SubElement(graph, "edges")
    for u, v, k, row in edge_rows:
        d = G.edges[u, v, k]
        attrs = {"id": xml_text(k), "source": xml_text(u), "target": xml_text(v),
                 "label": xml_text(row.get("relType", ""))}
        if is_symmetric(d.get("type", "")):
            attrs["type"] = "undirected"
        start, end = edge_date(G, d), edge_end(G, d)
        if start:
            attrs["start"] = _day(start)
        if end:
            attrs["end"] = max(_day(end), attrs.get("start", ""))
        edge = ET.SubElement(edges, "edge", attrs)
        _attvalues(edge, edge_model, row, f"relation {k!r}")
        _color(edge, style.REL_COLORS.get(row.get("relType", ""), "#999999"))
    ET.indent(root, "  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_gexf(G: nx.MultiDiGraph, path: str | Path | io.BytesIO) -> None:
    """Write *G* as GEXF 1.2 (see the module docstring for the rules)."""
    write_bytes(to_gexf(G), path)


def read_gexf(path: str | Path) -> nx.MultiDiGraph:
    """Read a file of :func:`write_gexf` back into the model.

    The visual attributes and the timeline (``start``/``end``) are dropped, the display
    name returns to ``name``, ``nodeLabel`` to ``label``, ``relType`` to ``type``.
    """
    root = ET.parse(path).getroot()
    q = f"{{{NS}}}"
    models = {block.get("class"): {a.get("id"): (a.get("title"), a.get("type"))
                                   for a in block.iter(f"{q}attribute")}
              for block in root.iter(f"{q}attributes")}

    def attrs(element: ET.Element, cls: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for value in element.iter(f"{q}attvalue"):
            name, kind = models[cls][value.get("for")]
            text = value.get("value")
            out[name] = [] if kind == "liststring" and text == "[]" else _CAST.get(kind, str)(text)
        return split_lists(out)

    G = nx.MultiDiGraph()
    description = root.find(f"{q}meta/{q}description")
    if description is not None and description.text:
        G.graph.update(json.loads(description.text))
    for node in root.iter(f"{q}node"):
        data = attrs(node, "node")
        data["label"] = data.pop("nodeLabel")
        G.add_node(node.get("id"), **data)
    for edge in root.iter(f"{q}edge"):
        data = attrs(edge, "edge")
        data["type"] = data.pop("relType")
        G.add_edge(edge.get("source"), edge.get("target"), key=edge.get("id"), **data)
    return G


EXPORTER = Exporter("gexf", ".gexf", "GEXF 1.2 for Gephi",
                    render=lambda G: to_gexf(G).decode("utf-8"))
