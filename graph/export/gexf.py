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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from .. import schema, style
from ..dataset import date_start
from ..frames import Frames, float_texts, from_graph, ordered_texts
from ..selection import date_period
from .common import (REPLACEMENT, XML_ILLEGAL, Exporter, has_match, pieces, scalar_text,
                     with_extra,
                     write_bytes, xml_text)
from .graphml import _attribute

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["write_gexf", "read_gexf", "to_gexf", "gexf_pieces", "timeline", "list_text",
           "EXPORTER"]

c = pl.col

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


def _kind(types: set[type]) -> str:
    """A GEXF attribute type for values of *types*."""
    if types & {list, tuple}:
        return "liststring"
    if types == {bool}:
        return "boolean"
    if types == {int}:
        return "long"
    if types and types <= {int, float}:
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

    >>> import networkx as nx
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


_RENAMED = {"node": {"label": "nodeLabel"}, "edge": {"type": "relType"}}
_ITEM, _INNER, _CLOSE = "\n          ", "\n        ", "\n      "


def _skeleton(frames: Frames, viz: bool) -> tuple[str, str, str, dict, dict]:
    """The document around the nodes and the edges (the text before the first node, between
    the last node and the first edge, after the last edge) and the attribute models
    (``name -> (id, type)``) of nodes and of edges (an edge's attributes, then
    ``symmetric``), with ``label`` declared as ``nodeLabel`` and ``type`` as ``relType``."""
    spaces = {"xmlns": NS, **({"xmlns:viz": VIZ} if viz else {}), "xmlns:xsi": XSI}
    root = ET.Element("gexf", {**spaces, "xsi:schemaLocation": f"{NS} {NS}/gexf.xsd",
                               "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "autograph"
    ET.SubElement(meta, "description").text = xml_text(json.dumps(
        frames.graph, ensure_ascii=False, sort_keys=True, default=str))
    graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="dynamic",
                          timeformat="date")
    models = {}
    for domain in ("node", "edge"):
        types = {_RENAMED[domain].get(k, k): v for k, v in frames.attribute_types(domain).items()}
        if domain == "edge" and frames.n_edges:
            types["symmetric"] = {bool}
        block = ET.SubElement(graph, "attributes", {"class": domain, "mode": "static"})
        models[domain] = {}
        for i, name in enumerate(sorted(types)):
            kind = _kind(types[name])
            ET.SubElement(block, "attribute", id=str(i), title=xml_text(name), type=kind)
            models[domain][name] = (str(i), kind)
    nodes, edges = ET.SubElement(graph, "nodes"), ET.SubElement(graph, "edges")
    if frames.n_nodes:
        ET.SubElement(nodes, "autograph-nodes")  # placeholders: tag names data cannot forge
    if frames.n_edges:
        ET.SubElement(edges, "autograph-edges")
    ET.indent(root, "  ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=True)
    head, _, rest = text.partition("<autograph-nodes />") if frames.n_nodes else ("", "", text)
    middle, _, tail = rest.partition("<autograph-edges />") if frames.n_edges else (rest, "", "")
    return head, middle, tail + "\n", models["node"], models["edge"]


def _mapped(frame: pl.DataFrame, e: pl.Expr, convert: Callable[[Any], str]) -> pl.Expr:
    """*e* through *convert*, each distinct value of *frame* converted once in Python."""
    distinct = frame.select(e.alias("v"))["v"].drop_nulls().unique().to_list()
    if not distinct:
        return pl.lit(None, dtype=pl.String)
    return e.replace_strict(distinct, [convert(v) for v in distinct], default=None,
                            return_dtype=pl.String)


def _get(frame: pl.DataFrame, name: str, default: Any = "") -> pl.Expr:
    """Column *name* of *frame* as ``dict.get`` with a falsy value as *default*: a text
    column (else *default*)."""
    if name not in frame.columns or frame.schema[name] not in (pl.String, pl.List):
        return pl.lit(default, dtype=pl.List(pl.String) if isinstance(default, list)
                      else pl.String)
    return c(name).fill_null(pl.lit(default, dtype=frame.schema[name]))


def _value(frame: pl.DataFrame, name: str, kind: str) -> pl.Expr:
    """Column *name* of *frame* as an ``attvalue``'s value (:func:`_text`), not escaped."""
    e, dtype = c(name), frame.schema[name]
    if dtype == pl.List or kind == "liststring":
        listed = e if dtype == pl.List else pl.concat_list(_value(frame, name, "string"))
        quoted = ('"' + pl.element().str.replace_all("\\", "\\\\", literal=True)
                  .str.replace_all('"', '\\"', literal=True)
                  .str.replace_all("\n", "\\n", literal=True)
                  .str.replace_all("\t", "\\t", literal=True)
                  .str.replace_all("\r", "\\r", literal=True) + '"')
        return "[" + listed.list.eval(quoted).list.join(", ") + "]"
    return scalar_text(frame, name, kind)


def _attvalues(frame: pl.DataFrame, domain: str, model: dict, last: list[pl.Expr]) -> pl.Expr:
    """The ``attvalues`` element of the group's attributes (``None`` ones left out), those
    in ``extra`` (``_extra``), then *last*."""
    parts: list[pl.Expr] = []
    for name in (n for n in frame.columns if not n.startswith("_")):
        key, kind = model[_RENAMED[domain].get(name, name)]
        parts.append((pl.lit(f'{_ITEM}<attvalue for="{key}" value="')
                      + _attribute(_value(frame, name, kind)) + pl.lit('" />')).fill_null(""))
    body = pl.concat_str([*parts, c("_extra"), *last])
    full = "<attvalues>" + body + pl.lit(_INNER + "</attvalues>")
    if last or any(not frame[n].null_count() for n in frame.columns if not n.startswith("_")):
        return full  # never empty (and the body is made once)
    return pl.when(body == "").then(pl.lit("<attvalues />")).otherwise(full)


def _extra_text(model: dict, domain: str, row: dict[str, Any]) -> str:
    """The ``attvalue`` elements of attributes kept in Python (:attr:`Frames.extra`)."""
    esc = ET._escape_attrib  # noqa: SLF001
    out = []
    for name, value in row.items():
        if value is None:
            continue
        key, kind = model[_RENAMED[domain].get(name, name)]
        out.append(f'{_ITEM}<attvalue for="{key}" value="{esc(_text(value, kind))}" />')
    return "".join(out)


def _color(hex_color: str) -> str:
    r, g, b = style.hex_to_rgb(hex_color)
    return f'<viz:color r="{r}" g="{g}" b="{b}" a="1.0" />'


def _degrees(frames: Frames) -> tuple[pl.DataFrame, int]:
    """Each node's degree (as text of its id) and the largest: they size the nodes."""
    ends = [f.select(c(e).cast(pl.String).alias("_id")) for f in frames.edges
            for e in ("_source", "_target")]
    if not ends:
        return pl.DataFrame(schema={"_id": pl.String, "_degree": pl.UInt32}), 0
    degree = pl.concat(ends).group_by("_id").agg(pl.len().cast(pl.UInt32).alias("_degree"))
    return degree, int(degree["_degree"].max() or 0)


def gexf_pieces(frames: Frames, undirected: bool = False, viz: bool = True) -> Iterator[str]:
    """The GEXF 1.2 document of *frames* in pieces to write one after the other (the rules
    are in the module docstring)."""
    head, middle, tail, node_model, edge_model = _skeleton(frames, viz)
    models = {"node": node_model, "edge": edge_model}
    extra = {k: _extra_text(models[k[0]], k[0], {n: v for n, v in row.items()
                                                if not (k[0] == "edge" and n == "symmetric")})
             for k, row in frames.extra.items()}
    degree, top = _degrees(frames) if viz else (None, 0)
    registry = frames.graph.get("sources", {})

    def node(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Expr]:
        frame = with_extra(frame, "node", extra)
        ident = _id_text(frame, "_id")
        name = ident if "name" not in frame.columns else (
            pl.coalesce(_value(frame, "name", "string"), ident))
        look: list[pl.Expr] = []
        if viz:
            found = frame.select(c("_id").cast(pl.String)).join(
                degree, on="_id", how="left", maintain_order="left")
            frame = frame.with_columns(found["_degree"].fill_null(0).alias("_degree"))
            label = _get(frame, "label", None) if "label" in frame.columns else pl.lit(None)
            look = [pl.lit(_INNER),
                    pl.coalesce(_mapped(frame, label, lambda v: _color(style.LABEL_COLORS.get(
                        v, style.PALETTE[0]))), pl.lit(_color(style.PALETTE[0]))),
                    pl.lit(_INNER + '<viz:size value="'),
                    _mapped(frame, c("_degree"), lambda d: repr(float(style.node_size(d, top)))),
                    pl.lit('" />')]
        return frame, _legal(pl.concat_str([
            pl.lit('<node id="'), _attribute(ident), pl.lit('" label="'), _attribute(name),
            pl.lit('">' + _INNER), _attvalues(frame, "node", node_model, []), *look,
            pl.lit(_CLOSE + "</node>")]), frame)

    def edge(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Expr]:
        frame = with_extra(frame, "edge", extra)
        kind = _get(frame, "type")
        symmetric = kind.is_in(list(schema.symmetric_types()))
        frame = frame.with_columns(*_timeline(frame, registry))
        sym_key = edge_model["symmetric"][0]
        flag = [pl.lit(f'{_ITEM}<attvalue for="{sym_key}" value="'),
                pl.when(symmetric).then(pl.lit("true")).otherwise(pl.lit("false")),
                pl.lit('" />')]
        label = _value(frame, "type", "string").fill_null("") if "type" in frame.columns \
            else pl.lit("")
        color = [pl.lit(_INNER), _mapped(frame, kind, lambda t: _color(
            style.REL_COLORS.get(t, "#999999")))] if viz else []
        return frame, _legal(pl.concat_str([
            pl.lit('<edge id="'), _attribute(_id_text(frame, "_key")), pl.lit('" source="'),
            _attribute(_id_text(frame, "_source")), pl.lit('" target="'),
            _attribute(_id_text(frame, "_target")), pl.lit('" label="'), _attribute(label),
            pl.lit('"'),
            pl.when(symmetric & undirected).then(pl.lit(' type="undirected"'))
            .otherwise(pl.lit("")),
            pl.when(c("_start") != "").then(' start="' + c("_start") + '"')
            .otherwise(pl.lit("")),
            pl.when(c("_end") != "").then(' end="' + pl.max_horizontal(c("_end"), c("_start"))
                                          + '"').otherwise(pl.lit("")),
            pl.lit(">" + _INNER), _attvalues(frame, "edge", edge_model, flag), *color,
            pl.lit(_CLOSE + "</edge>")]), frame)

    yield xml_text(head)
    yield from pieces(ordered_texts(frames.nodes, node, frames.n_nodes), _CLOSE)
    yield middle
    yield from pieces(ordered_texts(frames.edges, edge, frames.n_edges), _CLOSE)
    yield tail


def _id_text(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A node id or edge end as ``str()`` gives it."""
    dtype = frame.schema[name]
    if dtype == pl.Float64:
        return float_texts(frame, c(name), str)
    if dtype == pl.Boolean:
        return pl.when(c(name)).then(pl.lit("True")).otherwise(pl.lit("False"))
    return c(name).cast(pl.String)


def _timeline(frame: pl.DataFrame, registry: dict[str, dict]) -> list[pl.Expr]:
    """``_start`` and ``_end`` of each edge of the group (:func:`timeline`)."""
    date, as_of = _get(frame, "date"), _get(frame, "asOf")
    own = pl.when(date != "").then(date).otherwise(as_of)
    ended = _get(frame, "status") == "ended"
    sources = _get(frame, "sources", []).list.join("\x1f")  # a key per list, to map

    def reported_by(published: bool) -> pl.Expr:
        return _mapped(frame, sources, lambda s: reported(
            registry, s.split("\x1f") if s else [], published)).fill_null("")

    start = _mapped(frame, pl.when(own != "").then(own).when(ended).then(pl.lit(""))
                    .otherwise(reported_by(True)), _day).fill_null("")
    last_reported = _mapped(frame, reported_by(False), _last_day).fill_null("")
    end = (pl.when(_get(frame, "endDate") != "")
           .then(_mapped(frame, _get(frame, "endDate"), _last_day))
           .when(ended).then(pl.max_horizontal(last_reported,
                                               _mapped(frame, own, _last_day).fill_null("")))
           .otherwise(pl.lit("")))
    return [start.alias("_start"), end.fill_null("").alias("_end")]


def _legal(e: pl.Expr, frame: pl.DataFrame) -> pl.Expr:
    """*e* with the characters XML 1.0 cannot hold replaced by U+FFFD, when *frame* has any."""
    return e.str.replace_all(XML_ILLEGAL, REPLACEMENT) if has_match(frame, XML_ILLEGAL) else e


def to_gexf(G: nx.MultiDiGraph, undirected: bool = False, viz: bool = True) -> bytes:
    """The GEXF 1.2 document of *G* as UTF-8 bytes; *undirected*: symmetric types as
    undirected edges; *viz*: colours and sizes (see the module docstring)."""
    return "".join(gexf_pieces(from_graph(G), undirected, viz)).encode("utf-8")


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

    import networkx as nx

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
                    options=("undirected", "viz"), pieces=gexf_pieces)
