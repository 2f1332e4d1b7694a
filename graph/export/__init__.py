"""Subgraph selection (re-exported from :mod:`graph.selection`) and one writer per format.

Formats, one module each (FollowTheMoney-style, see :class:`common.Exporter`):
``json`` (networkx node-link, :mod:`.nodelink`), ``cytoscape`` (cytoscape.js elements,
:mod:`.cytoscape`), ``graphml`` (:mod:`.graphml`), ``gexf``
(:mod:`.gexf`, with colours, sizes and a timeline for Gephi), ``csv`` (neo4j-admin import
files as a folder or a zip, :mod:`.neo4j_csv`), ``cypher`` (a MERGE script for
cypher-shell, :mod:`.cypher_script`), ``mermaid`` and ``dot`` (:mod:`.diagrams`).

GraphML, GEXF, JSON and CSV are written once, from :class:`graph.frames.Frames` (the
graph as typed columns): a whole dataset's frames come straight from its checked columns
(:func:`graph.frames.read_frames`), a graph's (a selection, ``--from neo4j``, the Python
API) from :func:`graph.frames.from_graph`; :func:`export` and :func:`render` take either.

Files are written atomically (:mod:`graph.atomic`): a failed or interrupted export
leaves the old file, and an existing file is replaced only with ``force=True``. An empty
graph is refused rather than written as an empty file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .. import atomic
from ..errors import ExportError, SelectionError
from ..frames import Frames, from_graph
from ..selection import Selection, select
from .common import LIST_ATTRIBUTES, Exporter, check_not_empty, cited_sources, citing_only
from .cytoscape import EXPORTER as _CYTOSCAPE, cytoscape_elements
from .cypher_script import EXPORTER as _CYPHER, cypher_literal, to_cypher
from .diagrams import DOT as _DOT, MERMAID as _MERMAID, to_dot, to_mermaid
from .gexf import EXPORTER as _GEXF, read_gexf, write_gexf
from .graphml import EXPORTER as _GRAPHML, read_graphml, write_graphml
from .neo4j_csv import EXPORTER as _CSV, neo4j_tables, write_neo4j_csv
from .nodelink import EXPORTER as _JSON, node_link, read_json

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = [
    "FORMATS", "TEXT_FORMATS", "EXPORTERS", "Exporter", "select", "Selection", "export",
    "to_text", "node_link", "read_json", "write_graphml", "read_graphml", "write_gexf",
    "read_gexf", "write_neo4j_csv", "neo4j_tables", "to_cypher", "cypher_literal",
    "to_mermaid", "to_dot", "LIST_ATTRIBUTES", "cytoscape_elements", "cited_sources",
    "citing_only", "check_options", "render", "counts",
]

EXPORTERS: dict[str, Exporter] = {e.name: e for e in (
    _JSON, _CYTOSCAPE, _GRAPHML, _GEXF, _CYPHER, _MERMAID, _DOT, _CSV)}
TEXT_FORMATS = {name: e.render for name, e in EXPORTERS.items() if not e.folder}
FORMATS = tuple(EXPORTERS)
# the writers' options, their defaults and how the command line spells them
_DEFAULTS = {"undirected": False, "viz": True}
_OPTION_NAMES = {"undirected": "--symmetric undirected", "viz": "--no-viz"}


def check_options(fmt: str, **options: object) -> dict[str, object]:
    """*options* that differ from their defaults (``undirected=False``, ``viz=True``),
    refused for a format that does not take them (``undirected``: ``graphml`` and
    ``gexf``; ``viz``: ``gexf``)."""
    if fmt not in EXPORTERS:
        raise SelectionError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    given = {k: v for k, v in options.items() if v != _DEFAULTS[k]}
    wrong = [k for k in given if k not in EXPORTERS[fmt].options]
    if wrong:
        takers = {k: [e.name for e in EXPORTERS.values() if k in e.options] for k in wrong}
        raise SelectionError("; ".join(f"{_OPTION_NAMES[k]} applies to --format "
                                       f"{' and '.join(takers[k])} only" for k in wrong))
    return given


def to_text(G: nx.MultiDiGraph, fmt: str, **options: object) -> str:
    """Render *G* in a text format (every format but ``csv``); *options* as
    :func:`check_options` takes them."""
    if fmt not in TEXT_FORMATS:
        raise SelectionError(f"format {fmt!r} is not a text format; choose one of "
                             f"{', '.join(TEXT_FORMATS)}")
    given = check_options(fmt, **options)
    check_not_empty(G)
    return TEXT_FORMATS[fmt](G, **given)


def _check_not_empty(source: nx.MultiDiGraph | Frames) -> None:
    if not isinstance(source, Frames):
        check_not_empty(source)
    elif not source.n_nodes:
        raise ExportError("nothing to export: the graph has no entities (is the dataset "
                          "empty? see autograph stats)")


def counts(source: nx.MultiDiGraph | Frames) -> tuple[int, int]:
    """The number of nodes and edges of a graph or of its frames."""
    if isinstance(source, Frames):
        return source.n_nodes, source.n_edges
    return source.number_of_nodes(), source.number_of_edges()


def render(source: nx.MultiDiGraph | Frames, fmt: str, *, dataset: str = "autograph",
           cited_only: bool = False, **options: object) -> Iterator[str]:
    """The text of *source* (a graph, or the frames of a whole dataset:
    :func:`graph.frames.read_frames`) in a text format, in pieces to write one after the
    other; *cited_only*, *dataset* and *options* as for :func:`export`."""
    given = check_options(fmt, **options)
    if fmt not in TEXT_FORMATS:
        raise SelectionError(f"format {fmt!r} is not a text format; choose one of "
                             f"{', '.join(TEXT_FORMATS)}")
    exporter = EXPORTERS[fmt]
    if cited_only and not isinstance(source, Frames):
        source = citing_only(source)
    if exporter.pieces is not None:
        _check_not_empty(source)
        return exporter.pieces(source if isinstance(source, Frames) else from_graph(source),
                               **given)
    if isinstance(source, Frames):
        raise SelectionError(f"--format {fmt} is written from a graph, not from frames")
    check_not_empty(source)
    return iter([to_cypher(source, dataset) if fmt == "cypher" else
                 TEXT_FORMATS[fmt](source, **given)])


def export(source: nx.MultiDiGraph | Frames, fmt: str, output: str | Path | None, *,
           force: bool = False, dataset: str = "autograph", escape_formulas: bool = True,
           cited_only: bool = False, **options: object) -> list[Path] | str:
    """Write *source* (a graph, or the frames of a whole dataset) in *fmt* to *output*;
    return the text instead when *output* is None.

    ``csv`` writes two files and so needs *output* (a folder, or a ``.zip`` path);
    *dataset* and *escape_formulas* apply to it (see :mod:`.neo4j_csv`); *dataset* also to
    ``cypher``. *cited_only*:
    the source registry cut down to the sources *G* cites (:func:`.common.citing_only`),
    as for a selection. *options*: ``undirected`` (``graphml``, ``gexf``) and ``viz``
    (``gexf``), see :func:`check_options`.

    Raises
    ------
    ExportError
        For an empty graph, or a value the format cannot hold faithfully.
    OutputError
        When *output* cannot be written (see :func:`graph.atomic.check_target`).
    """
    check_options(fmt, **options)
    if fmt == "csv":
        if output is None:
            raise SelectionError("--format csv writes two files: give --output DIR or "
                                 "--output FILE.zip")
        G = citing_only(source) if cited_only and not isinstance(source, Frames) else source
        atomic.check_target(output, force=force, folder=Path(output).suffix.lower() != ".zip")
        _check_not_empty(G)
        return write_neo4j_csv(G, output, force=force, dataset=dataset,
                               escape_formulas=escape_formulas)
    if output is not None:
        atomic.check_target(output, force=force)  # fail before the work, not after
    texts = render(source, fmt, dataset=dataset, cited_only=cited_only, **options)
    if output is None:
        return "".join(texts)
    with atomic.atomic_file(output, "w", force=force, newline="") as f:
        f.writelines(texts)
    return [Path(output)]
