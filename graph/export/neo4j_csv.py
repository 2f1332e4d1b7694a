"""neo4j-admin import CSV: ``nodes.csv`` and ``relationships.csv``, as a folder or a zip.

The import gives the graph ``autograph load`` writes (see
:mod:`graph.backends.neo4j`): the same labels, types and properties with their types;
the dates ``load`` stores natively (``date``, ``asOf``: ``DATE_FIELDS`` of
:mod:`graph.schema`) as Neo4j ``date`` values (the first day of their period)
with ``datePrecision``, ``asOfPrecision`` (``year``, ``month`` or ``day``); each relationship's
``validFrom``/``validUntil`` (:func:`graph.selection.validity`); ``_dataset`` naming the
dataset, so ``export --from neo4j`` finds it. What ``load`` adds besides: the run id of the
load (``_load``) and the dataset's ``AutographDataset`` node; and an empty list cannot be
written (an empty field means "no property", where ``load`` stores ``[]``).

Spreadsheet safety (OWASP "CSV injection"): a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so a spreadsheet shows it as
text instead of running it as a formula. That ``'`` is imported with the value:
``escape_formulas=False`` (``--keep-formulas``) writes such values as they are, for files
that only neo4j-admin reads.

The ``symmetric`` column of ``relationships.csv`` (``symmetric:IGNORE``) tells a reader
which relationship types have no direction; neo4j-admin skips it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from .. import atomic, schema
from ..dataset import date_start
from ..errors import ExportError
from ..frames import Frames, float_texts, from_graph, ordered_texts
from ..output import FORMULA_START
from ..selection import validity
from .common import Exporter, first_item_holding, pieces

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["write_neo4j_csv", "neo4j_tables", "neo4j_files", "FILES", "EXPORTER"]

c = pl.col

FILES = ("nodes.csv", "relationships.csv")
ARRAY_DELIMITER = ";"
_PRECISION = dict(enumerate(schema.DATE_PRECISIONS))  # dashes in the date -> precision
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_FORMULA_START = FORMULA_START  # one rule for every CSV autograph writes (graph.output)
# What load computes on every relationship (graph.selection.validity), as ISO days.
VALIDITY = schema.VALIDITY_FIELDS


def _with_precision(data: dict[str, Any]) -> dict[str, Any]:
    """*data* plus ``<date>Precision`` for each date property, as ``load`` stores it (the
    Cypher script's rule; :class:`_Columns` writes the same columns)."""
    out = dict(data)
    for key in schema.DATE_FIELDS:
        if isinstance(data.get(key), str) and data[key]:
            out[f"{key}Precision"] = _PRECISION[data[key].count("-")]
    return out


def _with_validity(G: nx.MultiDiGraph, data: dict[str, Any]) -> dict[str, Any]:
    """*data* plus ``validFrom``/``validUntil`` where the relation has them, as ``load``
    stores them (the Cypher script's rule; :func:`_validity` writes the same columns)."""
    out = dict(data)
    for key, day in zip(VALIDITY, validity(G, data)):
        if day is not None:
            out[key] = day.isoformat()
    return out


def _header(name: str, present: set[type], items: set[type]) -> str:
    """The column header of attribute *name*: *present*, the types of its values that are
    neither None nor ""; *items*, the types of its lists' items."""
    if name in VALIDITY:
        return f"{name}:date"
    if name in schema.DATE_FIELDS and present <= {str}:
        return f"{name}:date"
    if present & {list, tuple}:
        kind = _TYPES.get(next(iter(items)), "string") if len(items) == 1 else "string"
        return f"{name}:{kind}[]"
    if len(present) == 1:
        kind = next(iter(present))
        return name if kind is str else f"{name}:{_TYPES.get(kind, 'string')}"
    return name


def _text(value: str, escape_formulas: bool) -> str:
    if escape_formulas and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _scalar(value: Any, escape_formulas: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _text(value, escape_formulas)
    return str(value)


def _cell(value: Any, header: str, where: str, escape_formulas: bool) -> str:
    """A value kept in Python (:attr:`Frames.extra`) as its cell, before quoting."""
    if value is None or value == "":
        return ""
    if header.endswith(":date"):
        return date_start(value).isoformat()
    if isinstance(value, (list, tuple)):
        for item in value:
            if ARRAY_DELIMITER in str(item):
                raise ExportError(f"{where}: {item!r} contains the array delimiter "
                                  f"{ARRAY_DELIMITER!r}; neo4j-admin would split it")
        return ARRAY_DELIMITER.join(_scalar(x, escape_formulas) for x in value)
    return _scalar(value, escape_formulas)


def _quoted(e: pl.Expr) -> pl.Expr:
    """A field as ``csv.writer`` writes it (quoted when it holds a comma, a quote, CR or LF)."""
    return (pl.when(e.str.contains('[,"\r\n]'))
            .then('"' + e.str.replace_all('"', '""', literal=True) + '"').otherwise(e))


def _formula(e: pl.Expr, escape_formulas: bool) -> pl.Expr:
    if not escape_formulas:
        return e
    return pl.when(e.str.contains("^[=+\\-@\t\r]")).then("'" + e).otherwise(e)


class _Columns:
    """The sorted attribute columns of one file, with their headers: each element's
    attributes, ``<date>Precision`` for each date property (as ``load`` stores it), and
    for relations ``validFrom``/``validUntil`` (:func:`graph.selection.validity`)."""

    def __init__(self, frames: Frames, domain: str, skip: str):
        self.frames, self.domain = frames, domain
        present: dict[str, set[type]] = {}
        items: dict[str, set[type]] = {}
        for frame in frames.columns(domain):
            for name, dtype in frame.schema.items():
                if name.startswith("_"):
                    continue
                col = frame[name]
                if dtype == pl.String:
                    kinds = {str} if (col.fill_null("") != "").any() else set()
                    if name in schema.DATE_FIELDS and kinds:
                        present.setdefault(f"{name}Precision", set()).add(str)
                elif dtype == pl.List:
                    kinds = {list} if col.null_count() < frame.height else set()
                    if col.list.len().fill_null(0).gt(0).any():
                        items.setdefault(name, set()).add(str)
                else:
                    kinds = {_PY[dtype]} if col.null_count() < frame.height else set()
                present.setdefault(name, set()).update(kinds)
        for (d, _), row in frames.extra.items():
            if d != domain:
                continue
            for name, value in row.items():
                present.setdefault(name, set())
                if value is not None and value != "":
                    present[name].add(type(value))
                    if isinstance(value, (list, tuple)):
                        items.setdefault(name, set()).update(type(x) for x in value)
                    if name in schema.DATE_FIELDS and isinstance(value, str):
                        present.setdefault(f"{name}Precision", set()).add(str)
        if domain == "edge":  # where a relation has them
            registry = frames.graph.get("sources", {})
            for frame in frames.edges:
                for name, day in zip(VALIDITY, _validity(frame, registry)):
                    if frame.height and frame.select((day != "").any()).item():
                        present.setdefault(name, set())
        present.pop(skip, None)
        self.keys = sorted(present)
        self.headers = [_header(k, present[k], items.get(k, set())) for k in self.keys]

    def extra_cells(self, escape_formulas: bool) -> dict[tuple[str, int], dict[str, str]]:
        """The cells of the attributes kept in Python, by element and column."""
        out = {}
        headers = dict(zip(self.keys, self.headers))
        what = "node" if self.domain == "node" else "relation"
        elements = self.frames.elements(self.domain, [o for d, o in self.frames.extra
                                                      if d == self.domain])
        for (d, order), row in self.frames.extra.items():
            if d != self.domain:
                continue
            element = elements[order]
            first = element["_id" if d == "node" else "_source"]
            cells = {}
            for name, value in row.items():
                if name in headers:
                    cells[name] = _cell(value, headers[name], f"{what} {str(first)!r} {name}",
                                        escape_formulas)
                if name in schema.DATE_FIELDS and isinstance(value, str) and value:
                    cells[f"{name}Precision"] = _PRECISION[value.count("-")]
            out[d, order] = cells
        return out


_PY = {pl.Boolean: bool, pl.Int64: int, pl.Float64: float}


def _value(frame: pl.DataFrame, name: str, header: str, escape_formulas: bool) -> pl.Expr:
    """Column *name* of *frame* as its cells, before quoting ("" for None and "")."""
    e, dtype = c(name), frame.schema[name]
    if dtype == pl.List:
        return _formula(pl.element(), escape_formulas).pipe(
            lambda item: e.list.eval(item).list.join(ARRAY_DELIMITER)).fill_null("")
    if dtype == pl.Boolean:
        return pl.when(e).then(pl.lit("true")).otherwise(pl.lit("false")).fill_null("")
    if dtype == pl.Float64:
        return float_texts(frame, e, str).fill_null("")
    if dtype == pl.Int64:
        return e.cast(pl.String).fill_null("")
    e = e.fill_null("")
    if header.endswith(":date"):
        return _day(frame, e)
    return _formula(e, escape_formulas)


def _day(frame: pl.DataFrame, e: pl.Expr) -> pl.Expr:
    """A date of any precision as the ISO day its period starts on ("" stays "")."""
    distinct = [v for v in frame.select(e.alias("v"))["v"].unique().to_list() if v]
    if not distinct:
        return pl.lit("")
    return e.replace_strict(distinct, [date_start(v).isoformat() for v in distinct],
                            default="", return_dtype=pl.String)


def _check_delimiter(frames: Frames, domain: str) -> None:
    """Refuse a list item holding the array delimiter, naming the first in the graph's
    order."""
    first = first_item_holding(frames, domain, ARRAY_DELIMITER)
    if first is not None:
        order, name, item = first
        element = frames.element(domain, order)
        _cell([item], "", f"{'node' if domain == 'node' else 'relation'} "
              f"{str(element['_id' if domain == 'node' else '_source'])!r} {name}", False)


def _validity(frame: pl.DataFrame, registry: dict[str, dict]) -> list[pl.Expr]:
    """``validFrom`` and ``validUntil`` of each relation of the group, as ISO days
    (:func:`graph.selection.validity`)."""
    from .gexf import _get, _mapped

    date, as_of = _get(frame, "date"), _get(frame, "asOf")
    sources = _get(frame, "sources", []).list.join("\x1f")

    def earliest(key: str) -> str:
        dates = [registry[s]["date"] for s in (key.split("\x1f") if key else ())
                 if registry.get(s, {}).get("date")]
        return min(dates, key=date_start) if dates else ""

    since = (pl.when(date != "").then(date).when(as_of != "").then(as_of)
             .otherwise(_mapped(frame, sources, earliest).fill_null("")))
    end = _get(frame, "endDate")
    until = pl.when(end != "").then(end).when(_get(frame, "status") == "ended").then(since) \
        .otherwise(pl.lit(""))
    return [_day(frame, since), _day(frame, until)]


def _lines(frames: Frames, domain: str, head: list[str], dataset: str,
           escape_formulas: bool) -> Iterator[str]:
    """The text of one file: its header, then a line per element."""
    skip = "label" if domain == "node" else "type"
    columns = _Columns(frames, domain, skip)
    _check_delimiter(frames, domain)
    extra_cells = columns.extra_cells(escape_formulas)
    registry = frames.graph.get("sources", {})
    tail = ["_dataset"] + (["symmetric:IGNORE"] if domain == "edge" else [])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(head + columns.headers + tail)
    yield buf.getvalue()

    def line(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Expr]:
        mine = {o: cells for (d, o), cells in extra_cells.items() if d == domain}
        wanted = sorted({k for cells in mine.values() for k in cells} - set(frame.columns))
        if mine and wanted:
            found = frame.select("_order").join(pl.DataFrame(
                {"_order": list(mine), **{k: [cells.get(k) for cells in mine.values()]
                                          for k in wanted}},
                schema={"_order": pl.Int64, **{k: pl.String for k in wanted}}),
                on="_order", how="left", maintain_order="left")
            frame = frame.with_columns(*[found[k].alias(f"_x_{k}") for k in wanted])
        cells: list[pl.Expr] = []
        if domain == "node":
            fixed = [_id_text(frame, "_id"), _label(frame, "label", schema.check_label)]
        else:
            fixed = [_id_text(frame, "_source"), _id_text(frame, "_target"),
                     _label(frame, "type", schema.check_rel_type)]
            if frames.n_edges:
                valid_from, valid_until = _validity(frame, registry)
        for key, header in zip(columns.keys, columns.headers):
            if key in frame.columns and not key.startswith("_"):
                cell = _value(frame, key, header, escape_formulas)
            elif f"_x_{key}" in frame.columns:
                cell = c(f"_x_{key}").fill_null("")
            elif key.endswith("Precision") and key[:-9] in frame.columns \
                    and frame.schema[key[:-9]] == pl.String:
                base = c(key[:-9]).fill_null("")
                cell = pl.when(base != "").then(base.str.count_matches("-").replace_strict(
                    list(_PRECISION), list(_PRECISION.values()), default=None,
                    return_dtype=pl.String)).otherwise(pl.lit(""))
            elif key == "validFrom" and domain == "edge":
                cell = valid_from
            elif key == "validUntil" and domain == "edge":
                cell = valid_until
            else:
                cell = pl.lit("")
            cells.append(_quoted(cell))
        last = [pl.lit(dataset)]
        if domain == "edge":
            kind = c("type") if "type" in frame.columns else pl.lit("")
            last.append(pl.when(kind.is_in(list(schema.symmetric_types())))
                        .then(pl.lit("true")).otherwise(pl.lit("false")))
        out = [_quoted(_formula(e, escape_formulas)) for e in fixed] + cells + \
            [_quoted(e) for e in last]
        return frame, pl.concat_str(out, separator=",") + "\r\n"

    groups = frames.columns(domain)
    yield from pieces(ordered_texts(groups, line, frames.n_nodes if domain == "node"
                                    else frames.n_edges))


def _id_text(frame: pl.DataFrame, name: str) -> pl.Expr:
    from .gexf import _id_text as text

    return text(frame, name)


def _label(frame: pl.DataFrame, name: str, check: Any) -> pl.Expr:
    """The label or relationship type, checked against the schema."""
    values = frame[name].unique().to_list() if name in frame.columns else [None]
    for value in values:
        try:
            check(value)
        except (ValueError, TypeError) as err:
            raise ExportError(str(err)) from err
    return c(name)


def neo4j_tables(G: nx.MultiDiGraph | Frames, dataset: str = "autograph",
                 escape_formulas: bool = True) -> dict[str, str]:
    """The text of ``nodes.csv`` and ``relationships.csv``."""
    return {name: "".join(text) for name, text in
            neo4j_files(G, dataset, escape_formulas).items()}


def neo4j_files(source: nx.MultiDiGraph | Frames, dataset: str = "autograph",
                escape_formulas: bool = True) -> dict[str, Iterator[str]]:
    """The text of ``nodes.csv`` and ``relationships.csv``, each in pieces."""
    frames = source if isinstance(source, Frames) else from_graph(source)
    return {"nodes.csv": _lines(frames, "node", ["id:ID", ":LABEL"], dataset, escape_formulas),
            "relationships.csv": _lines(frames, "edge", [":START_ID", ":END_ID", ":TYPE"],
                                        dataset, escape_formulas)}


def write_neo4j_csv(G: nx.MultiDiGraph | Frames, path: str | Path, *, force: bool = False,
                    dataset: str = "autograph", escape_formulas: bool = True) -> list[Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` with neo4j-admin import headers.

    *path* is a folder or, when it ends in ``.zip``, a zip archive; either is written
    atomically (see :mod:`graph.atomic`). Import with ``neo4j-admin database import full
    --nodes=nodes.csv --relationships=relationships.csv --multiline-fields=true``.
    """
    path = Path(path)
    files = neo4j_files(G, dataset, escape_formulas)
    if path.suffix.lower() == ".zip":
        with atomic.atomic_file(path, "wb", force=force) as f, \
                zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                zf.writestr(name, "".join(text))
        return [path]
    with atomic.atomic_folder(path, force=force, owned=FILES) as tmp:
        for name, text in files.items():
            with open(tmp / name, "w", encoding="utf-8", newline="") as f:
                f.writelines(text)
    return [path / name for name in files]


EXPORTER = Exporter("csv", "", "neo4j-admin import CSV (a folder or .zip)",
                    write=write_neo4j_csv, folder=True, pieces=neo4j_files)
