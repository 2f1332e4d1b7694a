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
from pathlib import Path
from typing import Any

import networkx as nx

from .. import atomic, schema
from ..dataset import date_start, no_gc
from ..errors import ExportError
from ..output import FORMULA_START
from ..selection import validity
from .common import Exporter, is_symmetric

__all__ = ["write_neo4j_csv", "neo4j_tables", "FILES", "EXPORTER"]

FILES = ("nodes.csv", "relationships.csv")
ARRAY_DELIMITER = ";"
_PRECISION = dict(enumerate(schema.DATE_PRECISIONS))  # dashes in the date -> precision
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_FORMULA_START = FORMULA_START  # one rule for every CSV autograph writes (graph.output)
# What load computes on every relationship (graph.selection.validity), as ISO days.
VALIDITY = schema.VALIDITY_FIELDS


def _date_properties() -> tuple[str, ...]:
    """The properties ``load`` stores as dates (:data:`graph.schema.DATE_FIELDS`)."""
    return schema.DATE_FIELDS


def _header(name: str, values: list[Any]) -> str:
    present = [v for v in values if v is not None and v != ""]
    if name in VALIDITY:
        return f"{name}:date"
    if name in _date_properties() and all(isinstance(v, str) for v in present):
        return f"{name}:date"
    if any(isinstance(v, (list, tuple)) for v in present):
        kinds = {type(x) for v in present for x in v}
        kind = _TYPES.get(kinds.pop(), "string") if len(kinds) == 1 else "string"
        return f"{name}:{kind}[]"
    kinds = {type(v) for v in present}
    if len(kinds) == 1:
        kind = kinds.pop()
        return name if kind is str else f"{name}:{_TYPES.get(kind, 'string')}"
    return name


def _text(value: str, escape_formulas: bool) -> str:
    if escape_formulas and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any, header: str, where: str, escape_formulas: bool) -> str:
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


def _scalar(value: Any, escape_formulas: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _text(value, escape_formulas)
    return str(value)


def _with_precision(data: dict[str, Any]) -> dict[str, Any]:
    """*data* plus ``<date>Precision`` for each date property, as ``load`` stores it."""
    out = dict(data)
    for key in _date_properties():
        if isinstance(data.get(key), str) and data[key]:
            out[f"{key}Precision"] = _PRECISION[data[key].count("-")]
    return out


def _with_validity(G: nx.MultiDiGraph, data: dict[str, Any]) -> dict[str, Any]:
    """*data* plus ``validFrom``/``validUntil`` where the relation has them, as ``load``
    stores them."""
    out = dict(data)
    for key, day in zip(VALIDITY, validity(G, data)):
        if day is not None:
            out[key] = day.isoformat()
    return out


def _table(rows: list[tuple[list[str], dict[str, Any]]], head: list[str], skip: set[str],
           extra: dict[str, Any], what: str, escape_formulas: bool) -> str:
    keys = sorted({k for _, d in rows for k in d} - skip)
    headers = [_header(k, [d.get(k) for _, d in rows]) for k in keys]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # so a value holding a bare CR is quoted
    w.writerow(head + headers + list(extra))
    for fixed, d in rows:
        w.writerow([_text(x, escape_formulas) for x in fixed]
                   + [_cell(d.get(k), h, f"{what} {fixed[0]!r} {k}", escape_formulas)
                      for k, h in zip(keys, headers)]
                   + [v(d) if callable(v) else v for v in extra.values()])
    return buf.getvalue()


@no_gc()  # millions of acyclic objects: see graph.dataset.no_gc
def neo4j_tables(G: nx.MultiDiGraph, dataset: str = "autograph",
                 escape_formulas: bool = True) -> dict[str, str]:
    """The text of ``nodes.csv`` and ``relationships.csv``."""
    try:
        nodes = [([str(n), schema.check_label(d["label"])], _with_precision(d))
                 for n, d in G.nodes(data=True)]
        rels = [([str(u), str(v), schema.check_rel_type(d["type"])],
                 _with_validity(G, _with_precision(d))) for u, v, d in G.edges(data=True)]
    except ValueError as err:
        raise ExportError(str(err)) from err
    return {
        "nodes.csv": _table(nodes, ["id:ID", ":LABEL"], {"label"}, {"_dataset": dataset},
                            "node", escape_formulas),
        "relationships.csv": _table(
            rels, [":START_ID", ":END_ID", ":TYPE"], {"type"},
            {"_dataset": dataset,
             "symmetric:IGNORE": lambda d: "true" if is_symmetric(d["type"]) else "false"},
            "relation", escape_formulas),
    }


def write_neo4j_csv(G: nx.MultiDiGraph, path: str | Path, *, force: bool = False,
                    dataset: str = "autograph", escape_formulas: bool = True) -> list[Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` with neo4j-admin import headers.

    *path* is a folder or, when it ends in ``.zip``, a zip archive; either is written
    atomically (see :mod:`graph.atomic`). Import with ``neo4j-admin database import full
    --nodes=nodes.csv --relationships=relationships.csv --multiline-fields=true``.
    """
    path = Path(path)
    files = neo4j_tables(G, dataset, escape_formulas)
    if path.suffix.lower() == ".zip":
        with atomic.atomic_file(path, "wb", force=force) as f, \
                zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                zf.writestr(name, text)
        return [path]
    with atomic.atomic_folder(path, force=force, owned=FILES) as tmp:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
    return [path / name for name in files]


EXPORTER = Exporter("csv", "", "neo4j-admin import CSV (a folder or .zip)",
                    write=write_neo4j_csv, folder=True)
