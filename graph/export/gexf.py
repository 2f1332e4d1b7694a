"""GEXF 1.2 for Gephi and Gephi Lite (graphology-gexf), written by our own small writer.

``nx.write_gexf`` (networkx 3.6) puts a ``name`` attribute on ``<graph>`` that the GEXF 1.2
schema does not allow, leaks ``networkx_key`` as an edge attribute, drops the graph's data
(the source registry) and gives ended relations a ``start`` but no ``end``.

- Nodes: GEXF's ``label`` is the display name, so the schema label is the attribute
  ``nodeLabel``; colours by label and sizes by degree (``viz:``) as in the map, unless
  ``viz=False`` (no ``viz:`` element: JGraphT's importer then validates the file).
- Edges: GEXF's ``type`` is directedness, so the relationship type is the attribute
  ``relType`` and the edge ``label``. Every edge is directed and carries ``symmetric``
  (true for the schema's symmetric types), so that networkx, which refuses a graph of
  directed and undirected edges, reads the file; with ``undirected=True`` the symmetric
  types are ``type="undirected"`` instead (Gephi draws them without an arrow).
- Gephi's timeline (:func:`timeline`): ``start`` is the first day of the relation's
  ``date``, else of its ``asOf``, else of the earliest *publication* date of its sources (a
  reference's retrieval date is not when a relation began: no ``start``, so it shows from
  the timeline's beginning); an ended relation without a date of its own has no ``start``
  (its sources date its end). ``end`` is the last day of its ``endDate``, or for an ended
  relation without one, of the earliest date it was reported (ended) or of its own date,
  whichever is later. The dates are also plain string attributes (``date``, ``asOf``,
  ``endDate``), for graphology-gexf, which ignores ``start`` and ``end``.
- Lists are ``liststring`` values in brackets, each item in double quotes with ``\\``,
  ``"``, newline, tab and CR escaped by a backslash (``["Northvolt AB, Stockholm"]``,
  ``[]``): graphology-gexf splits an unbracketed value on ``|`` or commas.
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
from ..selection import date_period
from .common import (Exporter, graph_json, is_symmetric, write_bytes,
                     xml_text)

__all__ = ["write_gexf", "read_gexf", "to_gexf", "timeline", "list_text", "EXPORTER"]

NS = "http://www.gexf.net/1.2draft"
VIZ = "http://www.gexf.net/1.2draft/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
def _read_list(text: str) -> list[str]:
    """A ``liststring`` value: bracketed (:func:`list_text`), or ``|``-joined as files of
    autograph before issue 29 wrote it."""
    if text.startswith("[") and text.endswith("]"):
        try:
            return json.loads(text, strict=False)
        except ValueError:  # an old file's single item in brackets
            pass
    return [x for x in text.split("|") if x]


_CAST = {"boolean": lambda v: v == "true", "long": int, "integer": int, "double": float,
         "float": float, "string": str, "liststring": _read_list}


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


_LIST_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t",
                               "\r": "\\r"})


def list_text(items: Any) -> str:
    """A list as a ``liststring`` value: bracketed, each item quoted and escaped as
    graphology-gexf unquotes it (and as JSON does).

    >>> print(list_text(["Northvolt AB, Stockholm", 'say "hi"']))
    ["Northvolt AB, Stockholm", "say \\"hi\\""]
    """
    return "[" + ", ".join('"' + xml_text(item).translate(_LIST_ESCAPES) + '"'
                           for item in items) + "]"


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if kind == "liststring":
        return list_text(value if isinstance(value, (list, tuple)) else [value])
    return xml_text(value)


def _declare(parent: ET.Element, cls: str, rows: list[dict[str, Any]]) -> dict[str, tuple]:
    block = ET.SubElement(parent, "attributes", {"class": cls, "mode": "static"})
    model = {}
    for i, name in enumerate(sorted({k for row in rows for k in row})):
        kind = _kind([row[name] for row in rows if name in row])
        ET.SubElement(block, "attribute", id=str(i), title=xml_text(name), type=kind)
        model[name] = (str(i), kind)
    return model


def _attvalues(parent: ET.Element, model: dict[str, tuple], row: dict[str, Any]) -> None:
    values = ET.SubElement(parent, "attvalues")
    for name, value in row.items():
        key, kind = model[name]
        ET.SubElement(values, "attvalue", {"for": key, "value": _text(value, kind)})


def _color(parent: ET.Element, hex_color: str) -> None:
    r, g, b = style.hex_to_rgb(hex_color)
    ET.SubElement(parent, "viz:color", r=str(r), g=str(g), b=str(b), a="1.0")


def _day(value: str) -> str:
    return date_start(value).isoformat() if value else ""


def _last_day(value: str) -> str:
    return date_period(value)[1].isoformat() if value else ""


def reported(registry: dict[str, dict], sources: Any, published: bool = False) -> str:
    """The earliest date of the *sources* (ids in *registry*) that have one (the first listed
    among equally early ones); with *published*, of those whose date is not a retrieval
    date (``dateBasis`` ``accessed``). ``""`` when none has."""
    dates = [registry[s]["date"] for s in sources or () if registry.get(s, {}).get("date")
             and not (published and registry[s].get("dateBasis") == "accessed")]
    return min(dates, key=date_start) if dates else ""


def timeline(G: nx.Graph, data: dict[str, Any]) -> tuple[str, str]:
    """A relation's ``start`` and ``end`` on Gephi's timeline, ISO days, ``""`` for an open
    end (the rules are in the module docstring).

    >>> G = nx.MultiDiGraph(sources={"a": {"date": "2025-02", "dateBasis": "inferred"},
    ...                              "w": {"date": "2026-11", "dateBasis": "accessed"}})
    >>> timeline(G, {"status": "ended", "sources": ["a"]})
    ('', '2025-02-28')
    >>> timeline(G, {"status": "active", "sources": ["w"]})
    ('', '')
    >>> timeline(G, {"status": "ended", "date": "2019", "endDate": "2023-05"})
    ('2019-01-01', '2023-05-31')
    """
    registry = G.graph.get("sources", {})
    own = data.get("date") or data.get("asOf") or ""
    ended = data.get("status") == "ended"
    start = _day(own or ("" if ended else reported(registry, data.get("sources"), True)))
    if data.get("endDate"):
        end = _last_day(data["endDate"])
    elif ended:
        end = max(_last_day(reported(registry, data.get("sources"))), _last_day(own))
    else:
        end = ""
    return start, max(end, start) if end else ""


def _skeleton(G: nx.MultiDiGraph, viz: bool = True) -> tuple:
    """The document's root and graph elements with the attribute declarations, the node and
    edge rows (an edge's attributes, then ``symmetric``), and the degrees that size the
    nodes."""
    spaces = {"xmlns": NS, **({"xmlns:viz": VIZ} if viz else {}), "xmlns:xsi": XSI}
    root = ET.Element("gexf", {**spaces, "xsi:schemaLocation": f"{NS} {NS}/gexf.xsd",
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


class _Elements:
    """Each node and edge as the text ``ET.indent(element, "  ", level=3)`` and
    ``ET.tostring`` give (attributes in insertion order, " />" for an empty element), escaped
    by ElementTree's own escaper; :func:`_to_gexf_tree` is the reference. *degree* (node ->
    its number of edges) and *top* (the largest) size the nodes; *G* holds the edges;
    *undirected* and *viz* as for :func:`to_gexf`."""

    item, inner = "\n          ", "\n        "

    def __init__(self, G: nx.MultiDiGraph, node_model: dict[str, tuple],
                 edge_model: dict[str, tuple], degree: dict, top: int,
                 undirected: bool = False, viz: bool = True):
        self.G, self.node_model, self.edge_model = G, node_model, edge_model
        self.degree, self.top = degree, top
        self.undirected, self.viz = undirected, viz
        self.colors: dict[str, str] = {}

    def color(self, hex_color: str) -> str:
        text = self.colors.get(hex_color)
        if text is None:
            r, g, b = style.hex_to_rgb(hex_color)
            text = self.colors[hex_color] = f'<viz:color r="{r}" g="{g}" b="{b}" a="1.0" />'
        return self.inner + text

    def attvalues(self, model: dict[str, tuple], row: dict[str, Any]) -> str:
        esc = ET._escape_attrib  # noqa: SLF001
        values = [f'<attvalue for="{model[name][0]}" value="{esc(_text(value, model[name][1]))}" />'
                  for name, value in row.items()]
        if not values:
            return "<attvalues />"
        return "<attvalues>" + self.item + self.item.join(values) + self.inner + "</attvalues>"

    def node(self, n, row: dict[str, Any]) -> str:
        esc, inner = ET._escape_attrib, self.inner  # noqa: SLF001
        viz = ""
        if self.viz:
            size = repr(float(style.node_size(self.degree[n], self.top)))
            viz = (self.color(style.LABEL_COLORS.get(row.get("nodeLabel", ""), style.PALETTE[0]))
                   + inner + f'<viz:size value="{size}" />')
        return (f'<node id="{esc(xml_text(n))}" label="{esc(xml_text(row.get("name", n)))}">'
                + inner + self.attvalues(self.node_model, row) + viz + "\n      </node>")

    def edge(self, u, v, k, row: dict[str, Any]) -> str:
        esc, G = ET._escape_attrib, self.G  # noqa: SLF001
        head = (f'<edge id="{esc(xml_text(k))}" source="{esc(xml_text(u))}" '
                f'target="{esc(xml_text(v))}" label="{esc(xml_text(row.get("relType", "")))}"')
        if self.undirected and row["symmetric"]:
            head += ' type="undirected"'
        start, end = timeline(G, G.edges[u, v, k])
        if start:
            head += f' start="{start}"'
        if end:
            head += f' end="{end}"'
        viz = self.color(style.REL_COLORS.get(row.get("relType", ""), "#999999")) if self.viz \
            else ""
        return (head + ">" + self.inner + self.attvalues(self.edge_model, row) + viz
                + "\n      </edge>")


@no_gc()  # millions of acyclic objects: see graph.dataset.no_gc
def to_gexf(G: nx.MultiDiGraph, undirected: bool = False, viz: bool = True) -> bytes:
    """The GEXF 1.2 document of *G* as UTF-8 bytes; *undirected*: symmetric types as
    undirected edges; *viz*: colours and sizes (see the module docstring).

    The skeleton is one small ElementTree; each node and edge is written as text and spliced
    in: the same bytes as one tree of the whole graph (:func:`_to_gexf_tree`), without
    holding millions of elements (5 GB at 500k relations) or serialising each one through
    ElementTree (three quarters of the time).
    """
    root, graph, node_rows, edge_rows, node_model, edge_model, degree, top = _skeleton(G, viz)
    write = _Elements(G, node_model, edge_model, degree, top, undirected, viz)
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


def write_gexf(G: nx.MultiDiGraph, path: str | Path | io.BytesIO, undirected: bool = False,
               viz: bool = True) -> None:
    """Write *G* as GEXF 1.2 (see the module docstring for the rules)."""
    write_bytes(to_gexf(G, undirected, viz), path)


def read_gexf(path: str | Path) -> nx.MultiDiGraph:
    """Read a file of :func:`write_gexf` back into the model.

    The visual attributes, ``symmetric`` and the timeline (``start``/``end``) are dropped,
    the display name returns to ``name``, ``nodeLabel`` to ``label``, ``relType`` to
    ``type``; lists are parsed from their bracketed form.
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
            out[name] = _CAST.get(kind, str)(text)
        return out

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
        data.pop("symmetric", None)
        G.add_edge(edge.get("source"), edge.get("target"), key=edge.get("id"), **data)
    return G


EXPORTER = Exporter("gexf", ".gexf", "GEXF 1.2 for Gephi",
                    render=lambda G, **options: to_gexf(G, **options).decode("utf-8"),
                    options=("undirected", "viz"))
