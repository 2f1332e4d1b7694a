"""Subgraph selection (re-exported from :mod:`graph.selection`) and one writer per format.

Formats, one module each (FollowTheMoney-style, see :class:`common.Exporter`):
``json`` (networkx node-link, :mod:`.nodelink`), ``graphml`` (:mod:`.graphml`), ``gexf``
(:mod:`.gexf`, with colours, sizes and a timeline for Gephi), ``csv`` (neo4j-admin import
files as a folder or a zip, :mod:`.neo4j_csv`), ``cypher`` (a MERGE script for
cypher-shell, :mod:`.cypher_script`), ``mermaid`` and ``dot`` (:mod:`.diagrams`).

Files are written atomically (:mod:`graph.atomic`): a failed or interrupted export
leaves the old file, and an existing file is replaced only with ``force=True``. An empty
graph is refused rather than written as an empty file.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .. import atomic
from ..errors import SelectionError
from ..selection import Selection, select
from .common import LIST_ATTRIBUTES, Exporter, check_not_empty
from .cypher_script import EXPORTER as _CYPHER, cypher_literal, to_cypher
from .diagrams import DOT as _DOT, MERMAID as _MERMAID, to_dot, to_mermaid
from .gexf import EXPORTER as _GEXF, read_gexf, write_gexf
from .graphml import EXPORTER as _GRAPHML, read_graphml, write_graphml
from .neo4j_csv import EXPORTER as _CSV, neo4j_tables, write_neo4j_csv
from .nodelink import EXPORTER as _JSON, node_link, read_json

__all__ = [
    "FORMATS", "TEXT_FORMATS", "EXPORTERS", "Exporter", "select", "Selection", "export",
    "to_text", "node_link", "read_json", "write_graphml", "read_graphml", "write_gexf",
    "read_gexf", "write_neo4j_csv", "neo4j_tables", "to_cypher", "cypher_literal",
    "to_mermaid", "to_dot", "LIST_ATTRIBUTES",
]

EXPORTERS: dict[str, Exporter] = {e.name: e for e in (
    _JSON, _GRAPHML, _GEXF, _CYPHER, _MERMAID, _DOT, _CSV)}
TEXT_FORMATS = {name: e.render for name, e in EXPORTERS.items() if not e.folder}
FORMATS = tuple(EXPORTERS)


def to_text(G: nx.MultiDiGraph, fmt: str) -> str:
    """Render *G* in a text format (every format but ``csv``)."""
    if fmt not in TEXT_FORMATS:
        raise SelectionError(f"format {fmt!r} is not a text format; choose one of "
                             f"{', '.join(TEXT_FORMATS)}")
    check_not_empty(G)
    return TEXT_FORMATS[fmt](G)


def export(G: nx.MultiDiGraph, fmt: str, output: str | Path | None, *, force: bool = False,
           dataset: str = "autograph", escape_formulas: bool = True) -> list[Path] | str:
    """Write *G* in *fmt* to *output*; return the text instead when *output* is None.

    ``csv`` writes two files and so needs *output* (a folder, or a ``.zip`` path);
    *dataset* and *escape_formulas* apply to it (see :mod:`.neo4j_csv`); *dataset* also to
    ``cypher``.

    Raises
    ------
    ExportError
        For an empty graph, or a value the format cannot hold faithfully.
    OutputError
        When *output* cannot be written (see :func:`graph.atomic.check_target`).
    """
    if fmt == "csv":
        if output is None:
            raise SelectionError("--format csv writes two files: give --output DIR or "
                                 "--output FILE.zip")
        atomic.check_target(output, force=force, folder=Path(output).suffix.lower() != ".zip")
        check_not_empty(G)
        return write_neo4j_csv(G, output, force=force, dataset=dataset,
                               escape_formulas=escape_formulas)
    if output is not None:
        atomic.check_target(output, force=force)  # fail before the work, not after
    text = to_cypher(G, dataset) if fmt == "cypher" else to_text(G, fmt)
    if output is None:
        return text
    return [atomic.write_text(output, text, force=force)]
