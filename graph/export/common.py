"""What every export format shares: the exporter protocol, list and text rules, dates.

FollowTheMoney-style: each format is one module with one :class:`Exporter`; this module
holds the rules they have in common, so a hostile value is treated alike everywhere.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from .. import schema, selection
from ..dataset import LIST_SEPARATOR
from ..errors import ExportError
from ..frames import Frames, float_texts

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["Exporter", "LIST_ATTRIBUTES", "flat", "split_lists", "xml_text", "plain_text",
           "is_symmetric", "edge_end", "check_not_empty", "graph_json", "cited_sources",
           "citing_only"]

# Attributes of the model that hold lists; scalar-only formats join them with "|".
LIST_ATTRIBUTES = schema.LIST_FIELDS
# When a relation stopped holding ("" while it holds): its endDate, else for an ended
# relation the date it was reported ended.
edge_end = selection.edge_end

# Characters XML 1.0 forbids, even escaped: C0 controls but tab, LF and CR; lone
# surrogates; U+FFFE and U+FFFF. They are replaced by U+FFFD, the replacement character.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Control characters in diagram text (DOT, mermaid): tab, CR and LF are handled by each
# format; the rest would cut a Graphviz string short (NUL) or reach the SVG, so they go.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"
c = pl.col


@dataclass(frozen=True)
class Exporter:
    """One format: its name, file suffix, and how to render a graph.

    ``render(G, **options)`` returns the text of the file; a format written from
    :class:`graph.frames.Frames` also gives ``pieces(frames, **options)``, the text in
    pieces (``render`` is then that of ``from_graph(G)``). Formats that write several files
    (``csv``) set ``folder=True`` and provide ``write(G, path, force)`` instead. *options*
    names the keyword options ``render`` takes (``undirected``, ``viz``); the others are
    refused for this format rather than ignored.
    """

    name: str
    suffix: str
    description: str
    render: Any = None
    write: Any = None
    pieces: Any = None
    folder: bool = False
    options: tuple[str, ...] = ()


def flat(value: Any, where: str = "") -> Any:
    """A list joined with ``|`` (refused when an item holds ``|``); scalars unchanged."""
    if isinstance(value, (list, tuple)):
        for item in value:
            if LIST_SEPARATOR in str(item):
                raise ExportError(f"{where or 'a list'}: {item!r} contains the list separator "
                                  f"{LIST_SEPARATOR!r}; it would be split when read back")
        return LIST_SEPARATOR.join(map(str, value))
    return value


def split_lists(data: dict[str, Any]) -> dict[str, Any]:
    """Split the joined list attributes of *data* back into lists (in place)."""
    for key in LIST_ATTRIBUTES:
        if isinstance(data.get(key), str):
            data[key] = [x for x in data[key].split(LIST_SEPARATOR) if x]
    return data


def xml_text(value: Any) -> str:
    """*value* as text that XML 1.0 can hold: illegal characters become U+FFFD.

    >>> xml_text("bell\\x07 and nul\\x00 here")
    'bell\\ufffd and nul\\ufffd here'
    """
    return _XML_ILLEGAL.sub(REPLACEMENT, str(value))


def plain_text(value: Any) -> str:
    """*value* with control characters (but tab, CR, LF) replaced by U+FFFD."""
    return _CONTROL.sub(REPLACEMENT, str(value))


def is_symmetric(rel_type: str) -> bool:
    """Whether the schema declares *rel_type* symmetric (it has no direction)."""
    spec = schema.REL_TYPES.get(rel_type)
    return bool(spec and spec.symmetric)


def cited_sources(G: nx.Graph) -> set[str]:
    """The ids of the sources that *G*'s relations and nodes cite (``sources``) or that
    dispute a relation (``disputedBy``)."""
    cited: set[str] = set()
    for data in [*(d for _, d in G.nodes(data=True)), *(d for *_, d in G.edges(data=True))]:
        for key in ("sources", "disputedBy"):
            cited.update(data.get(key) or ())
    return cited


def citing_only(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """*G* with a source registry (``G.graph["sources"]``) of only the sources it cites
    (:func:`cited_sources`), in the registry's order: a read-only view that shares *G*'s
    nodes and edges, so nothing is copied and *G* is left as it was."""
    registry = G.graph.get("sources")
    if not isinstance(registry, dict):
        return G
    cited = cited_sources(G)
    import networkx as nx

    H = nx.freeze(nx.graphviews.generic_graph_view(G))
    H.graph = {**G.graph, "sources": {k: v for k, v in registry.items() if k in cited}}
    return H


def check_not_empty(G: nx.Graph) -> None:
    """Refuse to write an empty graph: an empty file with exit 0 hides a mistake."""
    if G.number_of_nodes() == 0:
        raise ExportError("nothing to export: the graph has no entities (is the dataset "
                          "empty? see autograph stats)")


def graph_json(G: nx.Graph) -> str:
    """The graph's own data (name, source registry) as one JSON text."""
    return json.dumps(G.graph, ensure_ascii=False, sort_keys=True, default=str)


def write_bytes(data: bytes, path: str | Path | io.BytesIO) -> None:
    """Write an export's bytes to a file path or a binary stream."""
    if isinstance(path, (str, Path)):
        Path(path).write_bytes(data)
    else:
        path.write(data)


# --- for the writers of graph.frames.Frames --------------------------------------------------

# _XML_ILLEGAL in the syntax of polars' regular expressions (a polars string cannot hold a
# surrogate: graph.frames replaces a lone one with U+FFFD)
XML_ILLEGAL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"


def has_match(frame: pl.DataFrame, pattern: str) -> bool:
    """Whether a text or list column of *frame* holds a match of *pattern* (polars syntax)."""
    checks = [c(n).str.contains(pattern).any() for n, t in frame.schema.items()
              if t == pl.String]
    checks += [c(n).list.eval(pl.element().str.contains(pattern)).list.any().any()
               for n, t in frame.schema.items() if t == pl.List]
    return bool(checks) and bool(frame.select(pl.any_horizontal(checks)).item())


def scalar_text(frame: pl.DataFrame, name: str, kind: str) -> pl.Expr:
    """Column *name* of *frame* (not a list) as an XML format writes a value of *kind*
    (``boolean``, ``double``, else as ``str()`` gives it), before escaping."""
    e, dtype = c(name), frame.schema[name]
    if dtype == pl.Boolean:
        return pl.when(e).then(pl.lit("true" if kind == "boolean" else "True")).otherwise(
            pl.lit("false" if kind == "boolean" else "False"))
    if dtype == pl.Float64 or (dtype == pl.Int64 and kind == "double"):
        return float_texts(frame, e.cast(pl.Float64), lambda v: repr(float(v)))
    return e.cast(pl.String)


def first_item_holding(frames: Frames, domain: str, separator: str
                       ) -> tuple[int, str, str] | None:
    """``(_order, attribute, item)`` of the first list item holding *separator* among the
    columns of *domain*, in the graph's order (then by attribute name), or None."""
    found = []
    for frame in frames.columns(domain):
        for name in (n for n in frame.columns if not n.startswith("_")):
            if frame.schema[name] != pl.List:
                continue
            bad = frame.filter(c(name).list.eval(
                pl.element().str.contains(separator, literal=True)).list.any())
            if bad.height:
                found.append((bad["_order"][0], name,
                              next(x for x in bad[name][0] if separator in x)))
    return min(found, default=None)


def check_lists(frames: Frames) -> None:
    """Refuse a list item holding ``|`` (:func:`flat`), naming the first in the graph's
    order: a scalar-only format joins lists with ``|``."""
    for domain in ("node", "edge"):
        first = first_item_holding(frames, domain, LIST_SEPARATOR)
        found = [] if first is None else [(first[0], 0, *first[1:])]
        for (d, order), row in frames.extra.items():
            for name, value in row.items():
                if d == domain and isinstance(value, (list, tuple)) and any(
                        LIST_SEPARATOR in str(x) for x in value):
                    item = next(x for x in value if LIST_SEPARATOR in str(x))
                    found.append((order, 1 << 30, name, item))
                    break
        if found:
            order, _, name, item = min(found, key=lambda f: f[:2])
            what = "node" if domain == "node" else "relation"
            element = frames.element(domain, order)
            flat([item], f"{what} {element['_id' if domain == 'node' else '_key']!r} {name}")


def with_extra(frame: pl.DataFrame, domain: str, texts: dict[tuple[str, int], str]
               ) -> pl.DataFrame:
    """*frame* with ``_extra``: each element's text of its attributes in ``extra`` (made by
    the format), "" for none (looked up by ``_order`` alone: joining the whole frame would
    copy every column)."""
    mine = {order: text for (d, order), text in texts.items() if d == domain}
    if not mine:
        return frame.with_columns(pl.lit("").alias("_extra"))
    found = frame.select("_order").join(
        pl.DataFrame({"_order": list(mine), "_extra": list(mine.values())},
                     schema={"_order": pl.Int64, "_extra": pl.String}),
        on="_order", how="left", maintain_order="left")
    return frame.with_columns(found["_extra"].fill_null(""))


def pieces(texts: Iterator[pl.Series], between: str = "", rows: int = 20_000
           ) -> Iterator[str]:
    """The strings of *texts* with *between* between two, joined a few thousand at a time
    (a document of hundreds of megabytes is never one string)."""
    first = True
    for series in texts:
        for start in range(0, series.len(), rows):
            yield ("" if first else between) + series.slice(start, rows).str.join(
                between).item()
            first = False
