"""The neo4j-admin import CSV of a whole large dataset, straight from its checked columns.

:func:`write_neo4j_csv_columns` writes what :func:`graph.export.neo4j_csv.write_neo4j_csv`
writes for ``to_networkx(load_dataset(folder))``, byte for byte, without building records
or a networkx graph (100k entities / 548k relations: 18-22 s and 1.5 GB -> 2.2-2.8 s and
0.66 GB as a folder, 3.7 s as a zip):

* rows in networkx's order: the nodes are the entities in file order, then the deals;
  ``G.edges`` walks the edges by source (in node order), then by target in the order each
  (source, target) pair was first added, then in the order they were added: the PARTY_TO
  edges of the deals (deal by deal, party by party) before the relations in file order;
* columns: the keys the nodes (edges) carry, sorted, with the header type
  :func:`graph.export.neo4j_csv._header` gives their values (``<date>Precision`` only when
  some row has that date; a property only when some row has it);
* cells as :func:`graph.export.neo4j_csv._cell` writes them (typed properties converted as
  the reader converts them, the deal's dates on a relation of the deal that has none, the
  formula guard, dates as their first day), quoted as ``csv.writer`` quotes (minimal
  quoting, CRLF line ends).

It answers None, and the caller takes the networkx path, when the columnar check does not
find the dataset valid (the reader then words every problem) and for what this writer
leaves to that path: an empty dataset and a list item holding the array delimiter (both
errors there), a deal naming a party twice (networkx keeps one edge with the last role), a
property named like a field, a ``dataset`` name UTF-8 cannot encode.
``tests/test_export_columns.py`` compares both ways byte for byte.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import polars as pl

from .. import atomic, schema
from ..backends.networkx import DEAL_FIELDS, ENTITY_FIELDS, RELATION_FIELDS
from ..columnar import PY_WHITESPACE, checked_tables
from ..dataset import LIST_SEPARATOR, _convert, _split, party_id
from .common import is_symmetric
from .neo4j_csv import (_FORMULA_START, _PRECISION, ARRAY_DELIMITER, FILES, VALIDITY,
                        _date_properties, _header, _scalar)

__all__ = ["write_neo4j_csv_columns"]

c = pl.col
# The keys of a PARTY_TO edge (graph.backends.networkx._deal_edges) but its type.
PARTY_KEYS = ("id", "role", "status", "date", "endDate", "asOf", "confidence", "sources",
              "deal", "disputedBy", "evidence")
_NODE_KEYS = tuple(f for f in ENTITY_FIELDS if f != "label")
_DEAL_KEYS = tuple(f for f in DEAL_FIELDS if f != "label")
_EDGE_KEYS = tuple(f for f in RELATION_FIELDS if f != "type")
_LENGTH_PRECISION = {4 + 3 * dashes: name for dashes, name in _PRECISION.items()}


def write_neo4j_csv_columns(folder: str | Path, path: str | Path, *, force: bool = False,
                            dataset: str = "autograph", escape_formulas: bool = True
                            ) -> tuple[list[Path], int, int] | None:
    """Write the whole dataset in *folder* as ``nodes.csv`` and ``relationships.csv``.

    Parameters
    ----------
    folder : path
        A dataset folder.
    path : path
        A folder or, when it ends in ``.zip``, a zip archive; written atomically.
    force, dataset, escape_formulas
        As for :func:`graph.export.neo4j_csv.write_neo4j_csv`.

    Returns
    -------
    tuple or None
        The paths written and the numbers of nodes and relationships; None when the
        networkx path must write it (see the module docstring): nothing is written then.

    Raises
    ------
    OutputError
        When *path* cannot be written (see :func:`graph.atomic.check_target`).
    """
    tables = checked_tables(folder)
    if tables is None:
        return None
    zipped = Path(path).suffix.lower() == ".zip"
    atomic.check_target(path, force=force, folder=not zipped)  # before the work, as export()
    files = _files(tables, dataset, escape_formulas)
    if files is None:
        return None
    (nodes, n_nodes), (rels, n_rels) = files
    path = Path(path)
    if zipped:
        with atomic.atomic_file(path, "wb", force=force) as f, \
                zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, frame in zip(FILES, (nodes, rels)):
                buf = io.BytesIO()
                _write_lines(frame, buf)
                zf.writestr(name, buf.getvalue())
        return [path], n_nodes, n_rels
    with atomic.atomic_folder(path, force=force, owned=FILES) as tmp:
        for name, frame in zip(FILES, (nodes, rels)):
            _write_lines(frame, tmp / name)
    return [path / name for name in FILES], n_nodes, n_rels


def _write_lines(frame: pl.DataFrame, target: Any) -> None:
    frame.write_csv(target, include_header=False, quote_style="never", line_terminator="\r\n")


def _files(tables: dict[str, pl.DataFrame], dataset: str, escape_formulas: bool):
    """``((nodes lines, count), (relationships lines, count))``, or None to leave it to the
    networkx path."""
    ent, rel, deals = tables["entities.csv"], tables["relations.csv"], tables["deals.csv"]
    lists = [ent["aliases"], rel["sources"], rel["disputedBy"], deals["sources"]]
    if (not ent.height or any(s.str.contains(ARRAY_DELIMITER, literal=True).any() for s in lists)
            or not _encodes(dataset)):
        return None
    parties = _parties(deals)
    if parties is None:
        return None
    cells = _Cells(escape_formulas)
    props = _properties(tables["properties.csv"], set(ent["id"].to_list()), escape_formulas)
    try:
        nodes = _nodes(ent, deals, props, cells, dataset)
        edges = _edges(ent, rel, deals, parties, props, cells, dataset, tables["sources.csv"])
    except _Unsupported:
        return None
    return (nodes, ent.height + deals.height), (edges, rel.height + parties.height)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from the command line: an error there
        return False
    return True


def _parties(deals: pl.DataFrame) -> pl.DataFrame | None:
    """One row per PARTY_TO edge, in the order they are added; None if a deal names a
    party twice (networkx then updates the first edge in place)."""
    rows = []
    for did, name, text in zip(*(deals[col].to_list() for col in ("id", "name", "parties"))):
        seen = set()
        for item in _split(text):
            eid, role = (v.strip() for v in item.partition(":")[::2])
            if eid in seen:
                return None
            seen.add(eid)
            rows.append((eid, did, party_id(did, eid), role,
                         f"{eid} is a party ({role}) to {name}."))
    return pl.DataFrame(rows, schema={k: pl.String for k in
                                      ("source", "target", "id", "role", "evidence")},
                        orient="row")


class _Cells:
    """Polars expressions for the text of each kind of cell, as neo4j_csv._cell writes it."""

    def __init__(self, escape_formulas: bool):
        self.escape_formulas = escape_formulas

    def text(self, e: pl.Expr) -> pl.Expr:
        if not self.escape_formulas:
            return e
        return pl.when(e.str.slice(0, 1).is_in(list(_FORMULA_START))).then("'" + e).otherwise(e)

    def items(self, e: pl.Expr) -> pl.Expr:
        """A ``|``-separated list (stripped items, empty ones dropped) joined with ``;``."""
        split = (e.str.split(LIST_SEPARATOR)
                 .list.eval(pl.element().str.strip_chars(PY_WHITESPACE))
                 .list.eval(pl.element().filter(pl.element() != ""))
                 .list.eval(self.text(pl.element()))
                 .list.join(ARRAY_DELIMITER))
        # values are stripped: one without a separator is a list of itself
        return pl.when(e.str.contains(LIST_SEPARATOR, literal=True)).then(split) \
            .otherwise(self.text(e))

    @staticmethod
    def date(e: pl.Expr) -> pl.Expr:
        """A checked date of any precision as its first day, ISO (date_start().isoformat())."""
        n = e.str.len_bytes()
        return pl.when(n == 4).then(e + "-01-01").when(n == 7).then(e + "-01").otherwise(e)

    @staticmethod
    def precision(e: pl.Expr) -> pl.Expr:
        n = e.str.len_bytes()
        out = pl.lit("")
        for length, name in _LENGTH_PRECISION.items():
            out = pl.when(n == length).then(pl.lit(name)).otherwise(out)
        return out

    @staticmethod
    def number(e: pl.Expr, values: pl.Series) -> pl.Expr:
        """A confidence as ``str(float(text))``, each distinct text converted once."""
        distinct = values.unique().to_list()
        return e.replace_strict(distinct, [str(float(v)) for v in distinct],
                                return_dtype=pl.String)

    def field(self, key: str, e: pl.Expr, values: pl.Series | None = None) -> pl.Expr:
        if key in _date_properties():
            return self.date(e)
        if key in schema.LIST_FIELDS:
            return self.items(e)
        if key == "confidence":
            return self.number(e, values)
        return self.text(e)


def _example(key: str) -> Any:
    """A value of the kind *key* holds, to ask neo4j_csv._header for its column's type."""
    if key == "confidence":
        return 0.5
    if key in schema.LIST_FIELDS:
        return ["x"]
    return "2024" if key in _date_properties() else "x"


def _properties(props: pl.DataFrame, entity_ids: set[str], escape_formulas: bool):
    """``(cells, values)``: the typed properties' cell texts as one column per key (with
    ``subject``), and each key's converted values (for its header), as the reader converts
    them: entity keys on entities, relation keys on relations and deals."""
    cells: dict[str, list[str]] = {}
    values: dict[str, list[Any]] = {}
    subjects: dict[str, list[str]] = {}
    for subject, key, text in zip(*(props[col].to_list() for col in ("subject", "key", "value"))):
        specs = schema.ENTITY_PROPERTIES if subject in entity_ids else schema.RELATION_PROPERTIES
        value = _convert(text, specs[key].type)
        subjects.setdefault(key, []).append(subject)
        values.setdefault(key, []).append(value)
        cells.setdefault(key, []).append(_scalar(value, escape_formulas))
    return {key: pl.DataFrame({"id": subjects[key], key: cells[key]},
                              schema={"id": pl.String, key: pl.String})
            for key in cells}, values


def _with_properties(frame: pl.DataFrame, props, keys: set[str],
                     headers: dict[str, str]) -> pl.DataFrame:
    """*frame* (with ``id``) plus a column per property some of its rows have."""
    cells, values = props
    for key, table in cells.items():
        hits = frame.select("id").join(table, on="id", how="semi")
        if not hits.height:
            continue
        if key in keys:  # a property named like a field: leave it to the networkx path
            raise _Unsupported(key)
        mine = set(hits["id"].to_list())
        headers[key] = _header(key, [v for s, v in zip(table["id"].to_list(), values[key])
                                     if s in mine])
        frame = frame.join(table, on="id", how="left", maintain_order="left")
        keys.add(key)
    return frame


class _Unsupported(Exception):
    """Something this writer leaves to the networkx path."""


def _nodes(ent, deals, props, cells: _Cells, dataset: str) -> pl.DataFrame:
    keys = set(_NODE_KEYS)
    parts = [ent.select(c("id"), c("label").alias(":LABEL"),
                        *[cells.field(k, c(k)).alias(k) for k in _NODE_KEYS])]
    if deals.height:
        keys |= set(_DEAL_KEYS)
        dated = [k for k in _date_properties() if (deals[k] != "").any()]
        keys |= {f"{k}Precision" for k in dated}
        parts.append(deals.select(
            c("id"), pl.lit("Deal").alias(":LABEL"),
            *[cells.field(k, c(k), deals[k]).alias(k) for k in _DEAL_KEYS],
            *[cells.precision(c(k)).alias(f"{k}Precision") for k in dated]))
    frame = pl.concat(parts, how="diagonal")
    headers = {k: _header(k, [_example(k)]) for k in keys}
    frame = _with_properties(frame, props, keys, headers)
    return _lines(frame, ["id:ID", ":LABEL"], [cells.text(c("id")), cells.text(c(":LABEL"))],
                  headers, {"_dataset": pl.lit(dataset)})


def _validity(both: pl.DataFrame, sources: pl.DataFrame, cells: _Cells) -> pl.DataFrame:
    """*both* plus ``validFrom``/``validUntil`` as graph.selection.validity gives them: the
    first day of the relation's date, else of its asOf, else of its earliest dated source;
    the first day of its endDate, else (when ended) its validFrom; "" where there is none."""
    dated = sources.filter(c("date") != "").select(c("id").alias("_src"),
                                                   cells.date(c("date")).alias("_day"))
    rows = both.with_row_index("_row")
    earliest = (rows.select("_row", c("sources").str.split(LIST_SEPARATOR).alias("_src"))
                .explode("_src").with_columns(c("_src").str.strip_chars(PY_WHITESPACE))
                .join(dated, on="_src", how="inner")
                .group_by("_row").agg(c("_day").min().alias("_earliest")))
    rows = rows.join(earliest, on="_row", how="left", maintain_order="left")
    since = (pl.when(c("date") != "").then(cells.date(c("date")))
             .when(c("asOf") != "").then(cells.date(c("asOf")))
             .otherwise(c("_earliest").fill_null("")))
    until = (pl.when(c("endDate") != "").then(cells.date(c("endDate")))
             .when(c("status") == "ended").then(since).otherwise(pl.lit("")))
    return rows.with_columns(since.alias("validFrom"), until.alias("validUntil")) \
        .drop("_row", "_earliest")


def _edges(ent, rel, deals, parties, props, cells: _Cells, dataset: str,
           sources: pl.DataFrame) -> pl.DataFrame:
    dates = _date_properties()
    deal_cols = deals.select(c("id").alias("deal"), *[c(k).alias(f"_deal_{k}") for k in
                                                     ("status", "confidence", "sources", *dates)])
    # the relations of a deal take its dates where they have none
    rel = (rel.with_row_index("_seq", offset=parties.height)
           .join(deal_cols, on="deal", how="left", maintain_order="left")
           .with_columns([pl.when(c(k) == "").then(c(f"_deal_{k}").fill_null("")).otherwise(c(k))
                          .alias(k) for k in dates]))
    party = (parties.with_row_index("_seq")
             .with_columns(c("target").alias("deal"), pl.lit("PARTY_TO").alias("type"),
                           pl.lit("").alias("disputedBy"))
             .join(deal_cols, on="deal", how="left", maintain_order="left")
             .with_columns([c(f"_deal_{k}").alias(k) for k in
                            ("status", "confidence", "sources", *dates)]))
    both = _validity(pl.concat([party, rel], how="diagonal"), sources, cells)
    keys = set(_EDGE_KEYS) if rel.height else set()
    keys |= {k for k in VALIDITY if (both[k] != "").any()}
    keys |= set(PARTY_KEYS) if party.height else set()
    dated = [k for k in dates if (both[k] != "").any()]
    keys |= {f"{k}Precision" for k in dated}
    index = ent.select(c("id").alias("source")).with_row_index("_u")
    # G.edges: by source in node order, by target in the order of the pair's first edge,
    # then in the order added
    frame = (both.join(index, on="source", how="left", maintain_order="left")
             .with_columns(c("_seq").min().over("source", "target").alias("_first"))
             .sort("_u", "_first", "_seq")
             .select(c("source"), c("target"), c("type"),
                     *[(c(k) if k in VALIDITY else cells.field(k, c(k), both[k])).alias(k)
                       for k in sorted(keys) if not k.endswith("Precision")],
                     *[cells.precision(c(k)).alias(f"{k}Precision") for k in dated]))
    headers = {k: _header(k, [_example(k)]) for k in keys}
    frame = _with_properties(frame, props, keys, headers)
    types = frame["type"].unique().to_list()
    symmetric = c("type").replace_strict(
        types, ["true" if is_symmetric(t) else "false" for t in types], return_dtype=pl.String)
    return _lines(frame, [":START_ID", ":END_ID", ":TYPE"],
                  [cells.text(c("source")), cells.text(c("target")), cells.text(c("type"))],
                  headers, {"_dataset": pl.lit(dataset), "symmetric:IGNORE": symmetric})


def _quoted(e: pl.Expr) -> pl.Expr:
    """The field as csv.writer writes it (QUOTE_MINIMAL, lineterminator CRLF)."""
    return pl.when(e.str.contains(r'[,"\r\n]')).then(
        '"' + e.str.replace_all('"', '""', literal=True) + '"').otherwise(e)


def _csv_line(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(fields)
    return buf.getvalue().removesuffix("\r\n")


def _lines(frame: pl.DataFrame, head: list[str], fixed: list[pl.Expr],
           headers: dict[str, str], extra: dict[str, pl.Expr]) -> pl.DataFrame:
    """One column ``line``: the header, then each row of *frame* as CSV text."""
    keys = sorted(headers)
    header = _csv_line(head + [headers[k] for k in keys] + list(extra))
    row = [*fixed, *[c(k).fill_null("") for k in keys], *extra.values()]
    body = frame.select(pl.concat_str([_quoted(e) for e in row], separator=",").alias("line"))
    return pl.concat([pl.DataFrame({"line": [header]}), body])

