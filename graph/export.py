"""Subgraph selection (re-exported from :mod:`graph.selection`) and writers.

Formats: ``json`` (networkx node-link), ``graphml``, ``gexf`` (with colours, sizes and edge
dates for Gephi's timeline), ``csv`` (neo4j-admin import files, as a folder or a zip),
``cypher`` (a parameter-free MERGE script for cypher-shell), ``mermaid`` and ``dot``.

List attributes (``schema.LIST_FIELDS``) are joined with ``|`` in GraphML, GEXF and DOT,
which hold only scalars; :func:`read_graphml` and :func:`read_gexf` split them again.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from . import schema, style
from .dataset import LIST_SEPARATOR, date_start
from .errors import AutographError, SelectionError
from .selection import Selection, edge_date, select

__all__ = [
    "FORMATS", "TEXT_FORMATS", "select", "Selection", "export", "to_text",
    "node_link", "write_graphml", "read_graphml", "write_gexf", "read_gexf",
    "write_neo4j_csv", "to_cypher", "to_mermaid", "to_dot", "LIST_ATTRIBUTES",
]

LIST_ATTRIBUTES = schema.LIST_FIELDS
NEO4J_ARRAY_DELIMITER = ";"


# -- node-link JSON --------------------------------------------------------------------------

def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The networkx node-link form: ``nodes`` and ``edges`` lists plus graph data."""
    return nx.node_link_data(G, edges="edges")


def _json(G: nx.MultiDiGraph) -> str:
    return json.dumps(node_link(G), indent=2, ensure_ascii=False, default=str)


# -- GraphML and GEXF ------------------------------------------------------------------------

def _flat(value: Any) -> Any:
    return LIST_SEPARATOR.join(map(str, value)) if isinstance(value, (list, tuple)) else value


def _flattened(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all scalars (lists joined, graph data as JSON)."""
    H = nx.MultiDiGraph()
    H.graph.update({k: v if isinstance(v, (str, int, float, bool)) else json.dumps(v)
                    for k, v in G.graph.items()})
    H.add_nodes_from((n, {k: _flat(v) for k, v in d.items()}) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, {a: _flat(x) for a, x in d.items()})
                     for u, v, k, d in G.edges(keys=True, data=True))
    return H


def _unflatten(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    for _, d in list(G.nodes(data=True)) + [(None, d) for *_, d in G.edges(data=True)]:
        for key in LIST_ATTRIBUTES:
            if isinstance(d.get(key), str):
                d[key] = [x for x in d[key].split(LIST_SEPARATOR) if x]
    if isinstance(G.graph.get("sources"), str):
        G.graph["sources"] = json.loads(G.graph["sources"])
    return G


def write_graphml(G: nx.MultiDiGraph, path: str | Path | io.BytesIO) -> None:
    """Write GraphML with typed attributes (string, int, double, boolean)."""
    nx.write_graphml(_flattened(G), path, named_key_ids=True)


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_graphml` back into the graph model."""
    return _unflatten(nx.read_graphml(path, force_multigraph=True))


def _gexf_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GEXF's node ``label`` is the display name, so the schema label moves to ``nodeLabel``;
    GEXF's edge ``type`` is directedness, so the relationship type moves to ``relType``."""
    H = _flattened(G)
    degree = dict(G.degree())
    top = max(degree.values(), default=0)
    for n, d in H.nodes(data=True):
        d["nodeLabel"] = d.pop("label", "")
        d["label"] = d.get("name", str(n))
        r, g, b = style.hex_to_rgb(style.LABEL_COLORS.get(d["nodeLabel"], style.PALETTE[0]))
        d["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
                    "size": style.node_size(degree[n], top)}
    for *_, d in H.edges(keys=True, data=True):
        r, g, b = style.hex_to_rgb(style.REL_COLORS.get(d.get("type", ""), "#999999"))
        d["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
        d["label"] = d.get("type", "")
        d["relType"] = d.pop("type", "")  # GEXF's own edge `type` means directedness
    for u, v, k, d in G.edges(keys=True, data=True):
        when = edge_date(G, d)
        if when:
            H.edges[u, v, k]["start"] = date_start(when).isoformat()
    return H


def write_gexf(G: nx.MultiDiGraph, path: str | Path | io.BytesIO) -> None:
    """Write GEXF 1.2 for Gephi: colours and sizes as in the map, dates as edge ``start``."""
    nx.write_gexf(_gexf_graph(G), path, version="1.2draft")


def read_gexf(path: str | Path) -> nx.MultiDiGraph:
    """Read a GEXF file written by :func:`write_gexf` back into the graph model.

    The visual attributes (``viz``) and Gephi's ``start`` dates are dropped, the display
    name returns to ``name`` and ``nodeLabel`` to ``label``.
    """
    H = nx.read_gexf(path, version="1.2draft")
    G = nx.MultiDiGraph()
    for n, d in H.nodes(data=True):
        d = dict(d)
        d.pop("viz", None)
        d["label"] = d.pop("nodeLabel")
        G.add_node(n, **d)
    for u, v, d in H.edges(data=True):
        d = dict(d)
        for key in ("viz", "start", "label", "weight"):
            d.pop(key, None)
        d["type"] = d.pop("relType")
        G.add_edge(u, v, key=d["id"], **d)
    return _unflatten(G)


# -- neo4j-admin import CSV ------------------------------------------------------------------

_NEO4J_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _neo4j_header(name: str, values: list[Any]) -> str:
    kinds = {type(v) for v in values if v is not None and v != ""}
    if any(isinstance(v, (list, tuple)) for v in values):
        return f"{name}:string[]"
    if len(kinds) == 1:
        kind = kinds.pop()
        return name if kind is str else f"{name}:{_NEO4J_TYPES.get(kind, 'string')}"
    return name


def _neo4j_cell(value: Any, where: str) -> str:
    if isinstance(value, (list, tuple)):
        for item in value:
            if NEO4J_ARRAY_DELIMITER in str(item):
                raise AutographError(f"{where}: {item!r} contains the array delimiter "
                                     f"{NEO4J_ARRAY_DELIMITER!r}; neo4j-admin would split it")
        return NEO4J_ARRAY_DELIMITER.join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _neo4j_tables(G: nx.MultiDiGraph) -> dict[str, str]:
    node_keys = sorted({k for _, d in G.nodes(data=True) for k in d} - {"label"})
    edge_keys = sorted({k for *_, d in G.edges(data=True) for k in d} - {"type"})
    files = {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id:ID", ":LABEL"] + [
        _neo4j_header(k, [d.get(k) for _, d in G.nodes(data=True)]) for k in node_keys])
    for n, d in G.nodes(data=True):
        w.writerow([n, schema.check_label(d["label"])]
                   + [_neo4j_cell(d.get(k), f"node {n!r} {k}") for k in node_keys])
    files["nodes.csv"] = buf.getvalue()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([":START_ID", ":END_ID", ":TYPE"] + [
        _neo4j_header(k, [d.get(k) for *_, d in G.edges(data=True)]) for k in edge_keys])
    for u, v, k, d in G.edges(keys=True, data=True):
        w.writerow([u, v, schema.check_rel_type(d["type"])]
                   + [_neo4j_cell(d.get(key), f"relation {k!r} {key}") for key in edge_keys])
    files["relationships.csv"] = buf.getvalue()
    return files


def write_neo4j_csv(G: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` with neo4j-admin import headers.

    *path* is a folder (created if needed) or, when it ends in ``.zip``, a zip archive.
    Import with ``neo4j-admin database import full --nodes=nodes.csv
    --relationships=relationships.csv --multiline-fields=true``.
    """
    path = Path(path)
    files = _neo4j_tables(G)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                zf.writestr(name, text)
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return [path / name for name in files]


# -- Cypher script ---------------------------------------------------------------------------

_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                   "\b": "\\b", "\f": "\\f"}


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a scalar or list value.

    >>> print(cypher_literal("it's a \\\\ test\\n"))
    'it\\'s a \\\\ test\\n'
    >>> cypher_literal([1, 2.5, True])
    '[1, 2.5, true]'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AutographError(f"{value!r} cannot be written as a Cypher literal")
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    text = "".join(_CYPHER_ESCAPES.get(ch, ch if ch.isprintable() or ch == " "
                                       else f"\\u{ord(ch):04x}") for ch in str(value))
    return f"'{text}'"


def _cypher_map(data: dict[str, Any]) -> str:
    # Empty strings are absent values: Neo4j has no use for '' properties.
    return ", ".join(f"{k}: {cypher_literal(v)}" for k, v in sorted(data.items())
                     if v is not None and v != "")


def _check_key(key: str) -> str:
    if not key.isidentifier():
        raise AutographError(f"property name {key!r} is not a plain identifier")
    return key


def to_cypher(G: nx.MultiDiGraph) -> str:
    """A parameter-free script of MERGE statements, one per line, for ``cypher-shell``.

    Labels and relationship types come from the schema whitelist; every value is a
    correctly escaped literal, so names with quotes, backslashes and newlines survive.
    """
    lines = ["// autograph export: run with cypher-shell -f FILE"]
    for n, d in G.nodes(data=True):
        label = schema.check_label(d["label"])
        props = {_check_key(k): v for k, v in d.items() if k not in ("label",)}
        lines.append(f"MERGE (n:{label} {{id: {cypher_literal(n)}}}) "
                     f"SET n += {{{_cypher_map(props)}}};")
    for u, v, k, d in G.edges(keys=True, data=True):
        rel_type = schema.check_rel_type(d["type"])
        a = schema.check_label(G.nodes[u]["label"])
        b = schema.check_label(G.nodes[v]["label"])
        props = {_check_key(key): val for key, val in d.items() if key not in ("type", "id")}
        lines.append(f"MATCH (a:{a} {{id: {cypher_literal(u)}}}), (b:{b} {{id: "
                     f"{cypher_literal(v)}}}) MERGE (a)-[r:{rel_type} {{id: {cypher_literal(k)}}}]"
                     f"->(b) SET r += {{{_cypher_map(props)}}};")
    return "\n".join(lines) + "\n"


# -- Mermaid and DOT -------------------------------------------------------------------------

def _mermaid_text(text: str) -> str:
    out = str(text).replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
    out = out.replace(">", "#gt;").replace("|", "#124;")
    return " ".join(out.split())


def to_mermaid(G: nx.MultiDiGraph) -> str:
    """A Mermaid flowchart; ended relations are dotted."""
    ids = {n: f"n{i}" for i, n in enumerate(G.nodes)}
    lines = ["flowchart LR"]
    for n, d in G.nodes(data=True):
        lines.append(f'    {ids[n]}["{_mermaid_text(d.get("name", n))}"]')
    for u, v, d in G.edges(data=True):
        arrow = "-.->" if d.get("status") == "ended" else "-->"
        lines.append(f"    {ids[u]} {arrow}|{_mermaid_text(d.get('type', ''))}| {ids[v]}")
    return "\n".join(lines) + "\n"


def _dot_text(text: Any) -> str:
    out = str(_flat(text)).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + out.replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(G: nx.MultiDiGraph) -> str:
    """A Graphviz digraph; nodes coloured by label, ended relations dashed."""
    lines = ["digraph autograph {", "    rankdir=LR;", "    node [style=filled, fontcolor=white];"]
    for n, d in G.nodes(data=True):
        color = style.LABEL_COLORS.get(d.get("label", ""), "#999999")
        lines.append(f"    {_dot_text(n)} [label={_dot_text(d.get('name', n))}, "
                     f"fillcolor={_dot_text(color)}];")
    for u, v, d in G.edges(data=True):
        dashed = ", style=dashed" if d.get("status") == "ended" else ""
        lines.append(f"    {_dot_text(u)} -> {_dot_text(v)} [label={_dot_text(d.get('type', ''))}"
                     f"{dashed}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- dispatch --------------------------------------------------------------------------------

def _bytes_writer(write: Callable[[nx.MultiDiGraph, Any], None]) -> Callable[[nx.MultiDiGraph], str]:
    def render(G: nx.MultiDiGraph) -> str:
        buf = io.BytesIO()
        write(G, buf)
        return buf.getvalue().decode("utf-8")
    return render


TEXT_FORMATS: dict[str, Callable[[nx.MultiDiGraph], str]] = {
    "json": _json,
    "graphml": _bytes_writer(write_graphml),
    "gexf": _bytes_writer(write_gexf),
    "cypher": to_cypher,
    "mermaid": to_mermaid,
    "dot": to_dot,
}
FORMATS = tuple(TEXT_FORMATS) + ("csv",)


def to_text(G: nx.MultiDiGraph, fmt: str) -> str:
    """Render *G* in a text format (every format but ``csv``)."""
    if fmt not in TEXT_FORMATS:
        raise SelectionError(f"format {fmt!r} is not a text format; choose one of "
                             f"{', '.join(TEXT_FORMATS)}")
    return TEXT_FORMATS[fmt](G)


def export(G: nx.MultiDiGraph, fmt: str, output: str | Path | None) -> list[Path] | str:
    """Write *G* in *fmt* to *output*; return the text instead when *output* is None.

    ``csv`` writes two files and so needs *output* (a folder, or a ``.zip`` path).
    """
    if fmt == "csv":
        if output is None:
            raise SelectionError("--format csv writes two files: give --output DIR or "
                                 "--output FILE.zip")
        return write_neo4j_csv(G, output)
    text = to_text(G, fmt)
    if output is None:
        return text
    Path(output).write_text(text, encoding="utf-8")
    return [Path(output)]
