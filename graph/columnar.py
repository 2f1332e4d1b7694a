"""A columnar check of a whole dataset with polars: the fast path of ``autograph validate``.

:func:`check` reads each CSV file as string columns and applies every rule of
:mod:`graph.dataset` to whole columns at once (joins for the references between files). It
only ever answers "clean" or "maybe not": it stops at the first possible problem, and at
anything the Python reader might read differently (encodings, a byte order mark, quoting it
does not parse exactly alike, ragged rows, unusual line ends). Then the caller reads the
dataset the Python way, which words every message (``file:line: field: message``). A false
"clean" would be a bug; a false alarm only costs the time of the Python read.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from polars.exceptions import PolarsError

from . import schema
from .errors import Problem
from .records import (_DATE_RE, _FLOAT_RE, _INT_RE, _SOURCE_ID_RE, _TRUE, _FALSE, COLUMNS,
                      DATE_BASES, LIST_SEPARATOR, Curation, Dataset, Deal, Entity, Relation,
                      Source, _convert, _record, _split, fold, no_gc)

__all__ = ["Verdict", "Tables", "check", "checked_tables", "read_dataset", "read_around",
           "node_names", "curation"]

# Exactly the characters Python's str.strip() removes (str.isspace), which the reader uses;
# polars' own strip_chars() follows Unicode White_Space, which differs (\x1c-\x1f).
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
                 "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# One line of CSV whose quoting csv.reader(strict=True) and polars parse alike: every field
# unquoted without any '"', or wholly quoted with '""' for a quote, on this one line.
_QUOTED_LINE = r'^(?:[^",]*|"(?:[^"]|"")*")(?:,(?:[^",]*|"(?:[^"]|"")*"))*$'
_QUOTED_FIELD = r'"(?:[^"]|"")*"'
_ASCII_WHITESPACE = [c.encode() for c in PY_WHITESPACE if c.isascii() and c not in "\r\n"]
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(ch):X}}}" for ch in PY_WHITESPACE) + "]"
_PADDED = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"  # a value str.strip() would change
# a character that is neither whitespace nor the list separator
_NOT_SPACE_OR_SEPARATOR = "[^" + _SPACE_CLASS[1:-1] + re.escape(LIST_SEPARATOR) + "]"
_FIELD_LIMIT = 131_072  # csv.field_size_limit(): a longer field is a reader error
LINE = "__line"  # the column of each row's line number, beside the file's own columns
# a header of a million columns is one clear message, not a million lines
_MAX_HEADER_PROBLEMS = 20


class Tables(dict):
    """A checked dataset: each file's stripped string columns, by file name (every column of
    the schema, in its order), and in :attr:`ends` the row in ``entities.csv`` of each
    relation's ``source`` and ``target`` (UInt32 series aligned with ``relations.csv``)."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.ends: dict[str, pl.Series] = {}


class _Doubt(Exception):
    """A possible problem, or input the Python reader might read differently."""


@dataclass(frozen=True)
class Verdict:
    """The answer of :func:`check`: record counts when clean, else the first doubt."""

    counts: dict[str, int] | None
    doubt: str = ""

    @property
    def clean(self) -> bool:
        return self.counts is not None


def check(folder: str | Path) -> Verdict:
    """Check a dataset folder with polars; clean only if the Python reader finds no problem.

    Parameters
    ----------
    folder : path
        A dataset folder.

    Returns
    -------
    Verdict
        ``counts`` (entities, relations, deals, sources) when the dataset is valid; else
        ``None`` and ``doubt``, the first possible problem met (not a message for users: the
        Python reader words those).
    """
    try:
        return Verdict(_Check(Path(folder)).run())
    except _Doubt as doubt:
        return Verdict(None, str(doubt))
    except (PolarsError, OSError, UnicodeDecodeError, csv.Error) as err:
        return Verdict(None, f"{type(err).__name__}: {err}")


def read_dataset(folder: str | Path) -> Dataset | None:
    """The dataset's records when the columnar check finds it valid, else None (then the
    Python reader reads it and words the problems).

    The records equal what :func:`graph.dataset.load_dataset` builds from the same files,
    properties included; the strings come from the columns the check has stripped.
    """
    tables = checked_tables(folder)
    if tables is None:
        return None
    with no_gc():
        return _records(tables, Path(folder))


def read_around(folder: str | Path, focus: Callable[[dict[str, pl.DataFrame]], str],
                hops: int, tables: dict[str, pl.DataFrame] | None = None
                ) -> tuple[Dataset, str] | None:
    """``(records, focus id)`` for the part of the dataset a ``--focus/--hops`` selection can
    reach, or None when the columnar check does not find the dataset valid.

    *focus* resolves the ``--focus`` text to a node id from the checked tables (raising when
    there is none); *tables* are those tables when the caller has them already. The records are the subset induced by every node within *hops* steps of
    the focus, over any relation in either direction (deals count as nodes, their parties
    as their neighbours), closed under what the records need: a deal of a relation kept,
    the parties of a deal kept. Any selection walked from the focus over at most *hops*
    steps of such a subset is the one walked over the whole graph: the nodes it reaches
    before its last step have all their neighbours in the subset, with every relation
    between them, and the subset keeps the file order of entities, deals and relations.
    """
    tables = checked_tables(folder) if tables is None else tables
    if tables is None:
        return None
    start = focus(tables)
    c = pl.col
    rel, deals = tables["relations.csv"], tables["deals.csv"]
    parties = {did: [item.partition(":")[0].strip() for item in _split(text)]
               for did, text in zip(deals["id"].to_list(), deals["parties"].to_list())}
    party_rows = [(eid, did) for did, eids in parties.items() for eid in eids]
    pairs = pl.concat([rel.select(c("source").alias("a"), c("target").alias("b")),
                       pl.DataFrame(party_rows, schema={"a": pl.String, "b": pl.String},
                                    orient="row")])
    reached, frontier = {start}, [start]
    for _ in range(max(hops, 0)):
        if not frontier:
            break
        near = pairs.filter(c("a").is_in(frontier) | c("b").is_in(frontier))
        found = set(near["a"].to_list()) | set(near["b"].to_list())
        frontier = list(found - reached)
        reached |= found
    keep = set(reached)
    while True:  # a relation's deal and a deal's parties come along
        within = list(keep)
        inside = rel.filter(c("source").is_in(within) & c("target").is_in(within))
        wanted = {d for d in inside["deal"].to_list() if d} | (keep & parties.keys())
        more = wanted | {eid for did in wanted for eid in parties[did]}
        if more <= keep:
            break
        keep |= more
    ent = tables["entities.csv"].filter(c("id").is_in(within))
    deals = deals.filter(c("id").is_in(within))
    subjects = pl.concat([ent["id"], inside["id"], deals["id"]])
    props = tables["properties.csv"]
    subset = {**tables, "entities.csv": ent, "relations.csv": inside, "deals.csv": deals,
              "properties.csv": props.filter(c("subject").is_in(subjects.to_list()))}
    with no_gc():
        return _records(subset, Path(folder)), start


def node_names(tables: dict[str, pl.DataFrame]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(id, {"name", "aliases"})`` of every node of the graph, in its order (entities,
    then deals): what :func:`graph.selection.find_node` reads to resolve a name."""
    ent = tables["entities.csv"]
    for eid, name, aliases in zip(*_columns(ent, ("id", "name", "aliases"))):
        yield eid, {"name": name, "aliases": _split(aliases)}
    for did, name in zip(*_columns(tables["deals.csv"], ("id", "name"))):
        yield did, {"name": name}


def curation(tables: Tables) -> Curation:
    """What :func:`graph.dataset.curation_warnings` reads, from checked tables: only the
    place relations become Python values (no records are built)."""
    c = pl.col
    ent, rel, props = tables["entities.csv"], tables["relations.csv"], tables["properties.csv"]
    places = rel.filter(c("type").is_in(["LOCATED_IN", "HEADQUARTERED_IN"]))
    disputed = _items(places, "id", "disputedBy", "sid").select("id")  # ' | ' disputes none
    scoped = props.filter(c("key") == "hqScope")["subject"].implode()
    kept = (places.join(disputed, on="id", how="anti")
            .filter((c("type") == "LOCATED_IN") | ~c("id").is_in(scoped)))
    up: dict[str, list[str]] = {}
    for source, target in zip(*_columns(kept, ("source", "target"))):
        up.setdefault(source, []).append(target)
    countries = ent.filter(c("label") == "Country")["id"]
    parties = _items(tables["deals.csv"], "id", "parties", "item")["item"].str.splitn(":", 2)
    party_ids = parties.struct.field("field_0").str.strip_chars(PY_WHITESPACE)
    named = countries.filter(countries.is_in(rel["source"].implode())
                             | countries.is_in(rel["target"].implode())
                             | countries.is_in(party_ids.implode()))
    src = tables["sources.csv"]
    return Curation(
        zip(*_columns(ent, ("id", "label", "country"))),
        set(places.filter(c("type") == "HEADQUARTERED_IN")["source"].to_list()), up,
        set(named.to_list()), src.filter(c("reliability") == "F")["id"].to_list())


def checked_tables(folder: str | Path) -> Tables | None:
    """The dataset's :class:`Tables` when the columnar check finds it valid, else None."""
    check = _Check(Path(folder))
    try:
        check.run()
    except (_Doubt, PolarsError, OSError, UnicodeDecodeError, csv.Error):
        return None
    return check.tables


def _columns(df: pl.DataFrame, names: tuple[str, ...]) -> list[list[str]]:
    return [df[name].to_list() for name in names]


def _records(tables: dict[str, pl.DataFrame], folder: Path) -> Dataset:
    """Records from the checked string columns, as the Python reader builds them."""
    sources = dict(source_records(tables["sources.csv"]))
    entities = dict(entity_records(tables["entities.csv"]))
    relations = dict(relation_records(tables["relations.csv"]))
    deals = dict(deal_records(tables["deals.csv"]))
    for subject, key, value in zip(*_columns(tables["properties.csv"],
                                             ("subject", "key", "value"))):
        if subject in entities:
            specs, target = schema.ENTITY_PROPERTIES, entities[subject].properties
        else:
            record = relations.get(subject) or deals[subject]
            specs, target = schema.RELATION_PROPERTIES, record.properties
        target[key] = _convert(value, specs[key].type)
    return Dataset(entities=entities, relations=relations, sources=sources, deals=deals,
                   path=folder)


_SOURCE_FIELDS = ("id", "kind", "file", "title", "publisher", "date", "dateBasis", "url",
                  "references", "language", "reliability", "reliabilityNote", "note")


def source_records(src: pl.DataFrame) -> Iterator[tuple[str, Source]]:
    """``(id, Source)`` for each row of checked ``sources.csv`` columns, in order."""
    for row in zip(*_columns(src, _SOURCE_FIELDS)):
        fields = dict(zip(_SOURCE_FIELDS, row))
        fields["references"] = _split(fields["references"])
        yield fields["id"], _record(Source, fields)


def entity_records(ent: pl.DataFrame) -> Iterator[tuple[str, Entity]]:
    """``(id, Entity)`` for each row of checked ``entities.csv`` columns, in order."""
    fields = ("id", "label", "name", "aliases", "kind", "country", "description")
    for eid, label, name, aliases, kind, country, description in zip(*_columns(ent, fields)):
        yield eid, _record(Entity, dict(
            id=eid, label=label, name=name, aliases=_split(aliases), kind=kind,
            country=country, description=description, properties={}))


# --- the rules, each written once over the columns -----------------------------------------
# A rule family takes a file's numbered columns (read_table) and returns its problems as
# (line, rank, field, message), the rank ordering the problems of one line as the rules
# run, and the rows it keeps: a row leaves at the first problem of a kind that drops it, and
# the later rules never see it. Masks find the rows in whole columns; only the rows they
# flag become Python values, to word the messages.

Found = list[tuple[int, int, str, str]]


def _flag(df: pl.DataFrame, mask: pl.Expr, rank: int, field: str,
          word: Callable[[dict[str, Any]], str]) -> Found:
    hits = df.filter(mask.fill_null(False))
    return [(row[LINE], rank, field, word(row)) for row in hits.iter_rows(named=True)]


def _required(df: pl.DataFrame, name: str) -> tuple[Found, pl.DataFrame]:
    """Each empty required value; the rows with none."""
    required = COLUMNS[name][0]
    found = _apply(df, [(pl.col(col) == "", rank - len(required), col,
                         lambda row: "required value is empty")
                        for rank, col in enumerate(required)])
    if not found:
        return found, df
    return found, _keep(df, pl.all_horizontal(pl.col(col) != "" for col in required))


def _keep(df: pl.DataFrame, mask: pl.Expr) -> pl.DataFrame:
    """The rows of *df* *mask* holds for, without helper columns; *df*'s own columns, not a
    copy, when it holds for all (a valid file)."""
    helpers = ("__first", "__ok", "__parties")
    if df.select(mask.fill_null(False).all()).item():
        return pl.DataFrame([df.get_column(c) for c in df.columns if c not in helpers])
    return df.filter(mask.fill_null(False)).drop(helpers, strict=False)


def _one_of(name: str, allowed: Any) -> Callable[[dict[str, Any]], str]:
    return lambda row: f"{row[name]!r} is not one of {', '.join(allowed)}"


def _not_a_date(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda row: f"{row[name]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"


def source_rules(src: pl.DataFrame) -> tuple[Found, pl.DataFrame]:
    """The problems of ``sources.csv`` (numbered columns) and the sources kept: a valid id,
    the first kept of its id, a known kind and grade, a url for a reference. An invalid
    date is reported and left empty in the kept row; dateBasis problems keep the row."""
    c = pl.col
    found, src = _required(src, "sources.csv")
    bad_id = ~c("id").str.contains(_SOURCE_ID_RE.pattern)
    found += _flag(src, bad_id, 1, "id", lambda row: f"{row['id']!r} is not a valid source "
                   "id (letters, digits, _ . -)")
    src = src.filter(~bad_id)
    kind_ok = c("kind").is_in(list(schema.SOURCE_KINDS))
    grade_ok = c("reliability").is_in(list(schema.RELIABILITY))
    url_ok = (c("kind") != "reference") | (c("url") != "")
    src = _first_kept(src, kind_ok & grade_ok & url_ok)
    repeated = c(LINE) > c("__first")
    found += _flag(src, repeated, 2, "id", lambda row: f"duplicate source id {row['id']!r} "
                   f"(first on line {row['__first']})")
    src = src.filter(~repeated.fill_null(False))
    found += _flag(src, ~kind_ok, 3, "kind", _one_of("kind", schema.SOURCE_KINDS))
    found += _flag(src, ~grade_ok, 4, "reliability",
                   _one_of("reliability", schema.RELIABILITY))
    found += _flag(src, ~url_ok, 5, "url",
                   lambda row: "a reference source needs the url it can be checked at")
    date_ok = _date_ok(c("date"))
    found += _flag(src, ~date_ok, 6, "date", _not_a_date("date"))
    basis_ok = (c("dateBasis") == "") | c("dateBasis").is_in(list(DATE_BASES))
    found += _flag(src, ~basis_ok, 7, "dateBasis", _one_of("dateBasis", DATE_BASES))
    found += _flag(src, basis_ok & date_ok & (c("date") != "") & (c("dateBasis") == ""), 7,
                   "dateBasis", lambda row: "a dated source needs a dateBasis "
                   f"({', '.join(DATE_BASES)})")
    kept = _keep(src, c(LINE) == c("__first")).with_columns(
        pl.when(date_ok).then(c("date")).otherwise(pl.lit("")).alias("date"))
    return sorted(found, key=lambda hit: hit[:2]), kept


def _not_a_slug(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda row: f"{row[name]!r} is not a slug (lowercase letters, digits, hyphens)"


def _all_kept(df: pl.DataFrame, kept: pl.Expr) -> bool:
    """Whether *kept* holds for every row and no id repeats (distinct 64-bit hashes prove
    distinct ids; a collision only takes the exact way): the usual case, where a family's
    rules flag nothing and the file is kept whole. Checked first because adding a column to
    a file's frame copies every column (+70 MB at 500k relations)."""
    return (df.select(kept.fill_null(False).all()).item()
            and df["id"].hash().n_unique() == df.height)


def _first_kept(df: pl.DataFrame, kept: pl.Expr) -> pl.DataFrame:
    """*df* with ``__ok`` (*kept* holds) and ``__first``: the line of the first row of its
    id that *kept* holds for (a later row of that id repeats it)."""
    df = df.with_columns(kept.fill_null(False).alias("__ok"))
    if df["id"].hash().n_unique() == df.height:  # no join
        return df.with_columns(pl.when(pl.col("__ok")).then(pl.col(LINE)).alias("__first"))
    first = (df.filter(pl.col("__ok")).group_by("id")
             .agg(pl.col(LINE).min().alias("__first")))
    return df.join(first, on="id", how="left", maintain_order="left")


def _apply(df: pl.DataFrame, rules: list[tuple[pl.Expr, int, str, Callable]],
           suspect: pl.Expr | None = None) -> Found:
    """The problems the *rules* (mask, rank, field, wording) find in *df*: the masks run in
    one pass over every row (or *suspect*, which holds wherever any of them might), then
    each again over the few rows flagged."""
    if suspect is None:
        suspect = pl.any_horizontal([mask.fill_null(True) for mask, *_ in rules])
    if not df.height or not df.select(suspect.any()).item():
        return []  # a filter, even to no rows, would copy every column (+60 MB at 500k)
    suspects = df.filter(suspect)
    return [hit for mask, rank, field, word in rules
            for hit in _flag(suspects, mask, rank, field, word)]


def _distinct_ok(df: pl.DataFrame, col: str, ok: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """Whether *ok* holds for a row's value of *col*, decided once per distinct value
    (dates, confidences, statuses and source lists repeat: a few hundred values for
    millions of rows)."""
    values = df.select(pl.col(col).unique())
    bad = values.filter(~ok(pl.col(col)).fill_null(True))[col].to_list()
    return ~pl.col(col).is_in(bad) if bad else pl.lit(True)


def entity_rules(ent: pl.DataFrame) -> tuple[Found, pl.DataFrame]:
    """The problems of ``entities.csv`` read alone (numbered columns) and the entities kept:
    a new slug id, a known label other than Deal, a well-formed country, a Country with its
    code. A row with a repeated id is still checked."""
    c = pl.col
    found, ent = _required(ent, "entities.csv")
    slug = c("id").str.contains(schema.SLUG_RE.pattern)
    known = c("label").is_in(list(schema.NODE_LABELS))
    code_ok = (c("country") == "") | c("country").str.contains(schema.COUNTRY_RE.pattern)
    coded = (c("label") != "Country") | (c("country") != "")
    kept = slug & known & (c("label") != "Deal") & code_ok & coded
    if _all_kept(ent, kept):
        return found, ent
    ent = _first_kept(ent, kept)
    repeated = c(LINE) > c("__first")
    found += _flag(ent, ~slug, 1, "id", _not_a_slug("id"))
    found += _flag(ent, slug & repeated, 1, "id", lambda row: f"duplicate entity id "
                   f"{row['id']!r} (first on line {row['__first']})")
    found += _flag(ent, ~known, 2, "label", lambda row: f"unknown label {row['label']!r}; "
                   f"expected one of {', '.join(schema.NODE_LABELS)}")
    found += _flag(ent, c("label") == "Deal", 2, "label",
                   lambda row: "a Deal is declared in deals.csv, not as an entity")
    found += _flag(ent, ~code_ok, 3, "country",
                   lambda row: f"{row['country']!r} is not an ISO 3166-1 alpha-2 code")
    found += _flag(ent, ~coded, 4, "country", lambda row: "a Country needs its own ISO code")
    kept = _keep(ent, c(LINE) == c("__first"))
    return sorted(found, key=lambda hit: hit[:2]), kept


def _provenance(df: pl.DataFrame, rank: int
                ) -> tuple[pl.Expr, list[tuple[pl.Expr, int, str, Callable]]]:
    """What relations and deals share (status, confidence, dates, sources): whether a row
    of *df* passes, and each rule as (mask, rank, field, wording), ranked from *rank*."""
    c = pl.col

    def confident(v: pl.Expr) -> pl.Expr:
        number = v.cast(pl.Float64, strict=False)
        return v.str.contains(_FLOAT_RE.pattern) & (number >= 0.0) & (number <= 1.0)

    dated = {name: _distinct_ok(df, name, _date_ok) for name in ("date", "endDate", "asOf")}
    ended = dated["date"] & dated["endDate"] & dated["asOf"] & (c("endDate") != "")
    end_status = ended & (c("status") != "ended")
    end_order = (ended & (c("status") == "ended") & (c("date") != "")
                 & (_date_key(c("endDate")) < _date_key(c("date"))))
    # _split() gives nothing for a value of separators and whitespace only
    cited = _distinct_ok(df, "sources", lambda v: v.str.contains(_NOT_SPACE_OR_SEPARATOR))
    status = _distinct_ok(df, "status", lambda v: v.is_in(list(schema.STATUSES)))
    number = _distinct_ok(df, "confidence", confident)
    rules = [
        (~status, rank, "status", _one_of("status", schema.STATUSES)),
        (~number, rank + 1, "confidence",
         lambda row: f"{row['confidence']!r} is not a number from 0 to 1"),
        *((~ok, rank + 2 + i, name, _not_a_date(name))
          for i, (name, ok) in enumerate(dated.items())),
        (end_status, rank + 5, "endDate",
         lambda row: f"an endDate needs status 'ended', not {row['status']!r}"),
        (end_order, rank + 5, "endDate",
         lambda row: f"{row['endDate']!r} is before the start date {row['date']!r}"),
        (~cited, rank + 6, "sources", lambda row: "no source id given")]
    ok = (status & number & dated["date"] & dated["endDate"] & dated["asOf"] & ~end_status
          & ~end_order & cited)
    return ok, rules


def relation_rules(rel: pl.DataFrame) -> tuple[Found, pl.DataFrame]:
    """The problems of ``relations.csv`` read alone (numbered columns) and the relations
    kept: a new slug id, a known type other than PARTY_TO, a slug deal id, and valid
    provenance. A row with a repeated id is still checked."""
    c = pl.col
    found, rel = _required(rel, "relations.csv")
    slug = c("id").str.contains(schema.SLUG_RE.pattern)
    known = _distinct_ok(rel, "type", lambda v: v.is_in(list(schema.REL_TYPES)))
    deal_ok = _distinct_ok(rel, "deal", lambda v: (v == "") | v.str.contains(
        schema.SLUG_RE.pattern))
    sound, rules = _provenance(rel, 4)
    kept = slug & known & (c("type") != "PARTY_TO") & deal_ok & sound
    if _all_kept(rel, kept):
        return found, rel
    rel = _first_kept(rel, kept)
    repeated = c(LINE) > c("__first")
    found += _apply(rel, [
        (~slug, 1, "id", _not_a_slug("id")),
        (slug & repeated, 1, "id", lambda row: f"duplicate relation id {row['id']!r} "
         f"(first on line {row['__first']})"),
        (~known, 2, "type", lambda row: f"unknown relationship type {row['type']!r}; "
         f"expected one of {', '.join(schema.REL_TYPES)}"),
        (c("type") == "PARTY_TO", 2, "type",
         lambda row: "PARTY_TO comes from the parties column of deals.csv"),
        (~deal_ok, 3, "deal", _not_a_slug("deal")),
        *rules], suspect=~c("__ok") | repeated.fill_null(False))
    kept = _keep(rel, c(LINE) == c("__first"))
    return sorted(found, key=lambda hit: hit[:2]), kept


def relation_records(rel: pl.DataFrame) -> Iterator[tuple[str, Relation]]:
    """``(id, Relation)`` for each row of checked ``relations.csv`` columns, in order."""
    fields = ("id", "type", "source", "target", "status", "confidence", "sources",
              "evidence", "deal", "date", "endDate", "asOf", "disputedBy")
    confidences: dict[str, float] = {}
    for (rid, rtype, source, target, status, confidence, cited, evidence, deal, date,
         end, as_of, disputed) in zip(*_columns(rel, fields)):
        number = confidences.get(confidence)
        if number is None:
            number = confidences[confidence] = float(confidence)
        yield rid, _record(Relation, dict(
            id=rid, type=rtype, source=source, target=target, status=status,
            # values are stripped: one without a separator is a list of itself
            confidence=number, sources=_split(cited) if "|" in cited else (cited,),
            evidence=evidence, deal=deal, date=date, endDate=end, asOf=as_of,
            disputedBy=_split(disputed) if "|" in disputed else (disputed,) if disputed else (),
            properties={}))


def deal_rules(deals: pl.DataFrame) -> tuple[Found, pl.DataFrame]:
    """The problems of ``deals.csv`` read alone (numbered columns) and the deals kept: a
    new slug id, every party ``entity:role``, two distinct parties at least, and valid
    provenance. A row with a repeated id is still checked."""
    c = pl.col
    found, deals = _required(deals, "deals.csv")
    pair = c("item").str.splitn(":", 2)
    items = _items(deals, LINE, "parties", "item").with_columns(
        pair.struct.field("field_0").str.strip_chars(PY_WHITESPACE).alias("eid"),
        pair.struct.field("field_1").str.strip_chars(PY_WHITESPACE).alias("role"))
    malformed = c("role").is_null() | (c("role") == "") | (c("eid") == "")
    found += _flag(items, malformed, 2, "parties",
                   lambda row: f"{row['item']!r} is not entity:role")
    counts = (items.filter(~malformed).group_by(LINE)
              .agg(c("eid").n_unique().alias("__parties")))
    deals = deals.join(counts, on=LINE, how="left", maintain_order="left")
    formed = ~c(LINE).is_in(items.filter(malformed)[LINE].implode())
    two = c("__parties").fill_null(0) >= 2
    slug = c("id").str.contains(schema.SLUG_RE.pattern)
    sound, rules = _provenance(deals, 4)
    deals = _first_kept(deals, slug & formed & two & sound)
    repeated = (c(LINE) > c("__first")).fill_null(False)
    found += _apply(deals, [
        (~slug, 1, "id", _not_a_slug("id")),
        (slug & repeated, 1, "id", lambda row: f"duplicate deal id {row['id']!r} "
         f"(first on line {row['__first']})"),
        (slug & ~repeated & formed & ~two, 3, "parties",
         lambda row: "a deal needs at least two distinct parties"),
        *rules], suspect=~c("__ok") | repeated)
    kept = _keep(deals, c(LINE) == c("__first"))
    return sorted(found, key=lambda hit: hit[:2]), kept


def deal_records(deals: pl.DataFrame) -> Iterator[tuple[str, Deal]]:
    """``(id, Deal)`` for each row of checked ``deals.csv`` columns, in order."""
    fields = ("id", "name", "kind", "status", "date", "endDate", "asOf", "confidence",
              "sources", "parties", "evidence")
    for row in zip(*_columns(deals, fields)):
        record = dict(zip(fields, row))
        record["confidence"] = float(record["confidence"])
        record["sources"] = _split(record["sources"])
        record["parties"] = tuple(
            tuple(v.strip() for v in item.partition(":")[::2])
            for item in _split(record["parties"]))
        record["properties"] = {}
        yield record["id"], _record(Deal, record)


def _expect(ok: bool, doubt: str) -> None:
    if not ok:
        raise _Doubt(doubt)


def _read(path: Path, numbered: bool = False) -> pl.DataFrame:
    """One file as stripped string columns, exactly the rows csv.reader would yield (with
    each row's line number in ``__line`` if *numbered*)."""
    name = path.name
    required, optional = COLUMNS[name]
    if not path.is_file():
        _expect(schema.DATASET_FILES[name][1], f"{name}: file not found")
        return _empty(name, numbered)
    raw = path.read_bytes()
    # more header fields than the schema has columns: doubt before polars parses them all
    # (a header of 10^6 columns took it 14 s)
    end = raw.find(b"\n")
    _expect(raw.count(b",", 0, len(raw) if end < 0 else end) < len(required + optional),
            f"{name}: more columns than the schema has")
    # polars parses on its own threads while this one scans the bytes (0.2 -> 0.15 s for
    # 548k relations); a doubt raised here waits for the parse to end
    with ThreadPoolExecutor(1) as pool:
        parsed = pool.submit(pl.read_csv, raw, has_header=True, infer_schema=False,
                             quote_char='"', empty_string_is_null=False)
        return _checked(name, raw, parsed, numbered)


def _empty(name: str, numbered: bool) -> pl.DataFrame:
    required, optional = COLUMNS[name]
    return pl.DataFrame({c: pl.Series([], dtype=pl.String) for c in required + optional}
                        | ({LINE: pl.Series([], dtype=pl.Int64)} if numbered else {}))


def _checked(name: str, raw: bytes, parsed: Future, numbered: bool = False) -> pl.DataFrame:
    """The rows of *raw* as *parsed* by polars, if csv.reader would read the same."""
    required, optional = COLUMNS[name]
    _expect(not raw.startswith(b"\xef\xbb\xbf"), f"{name}: byte order mark")
    _expect(b"\x00" not in raw, f"{name}: NUL byte")
    _expect(b"\r" not in raw or raw.count(b"\r") == raw.count(b"\r\n"),
            f"{name}: a \\r not followed by \\n")
    ascii_ = raw.isascii()
    if not ascii_:
        raw.decode("utf-8")  # UnicodeDecodeError: the reader reports it
    end = raw.find(b"\n")
    start = len(raw) if end < 0 else end + 1  # where the body begins (not copied: 50 MB)
    head = raw[:end] if end >= 0 else raw
    head = head.removesuffix(b"\r").decode("utf-8")
    _expect(bool(head), f"{name}: empty header line")
    _expect('"' not in head or pl.Series([head]).str.contains(_QUOTED_LINE).all(),
            f"{name}: quoting in the header")
    header = [h.strip() for h in next(csv.reader([head], strict=True))]
    known = required + optional
    _expect(all(c in header for c in required) and all(h in known for h in header)
            and len(set(header)) == len(header), f"{name}: missing, unknown or repeated column")
    width = len(header)

    # Rows must be the lines after the header, one each (no field spans lines), and a row with
    # a value must have every field: count lines and fields unless the commas already add up.
    n_lines = raw.count(b"\n", start) + (0 if raw.endswith(b"\n") or start == len(raw) else 1)
    simple = (raw.find(b'"', start) < 0
              and raw.count(b",", start) == (width - 1) * n_lines)
    spaced = not ascii_ or any(w in raw for w in _ASCII_WHITESPACE)

    df = parsed.result()
    _expect(df.width == width, f"{name}: polars sees {df.width} columns")
    df.columns = header
    if len(raw) > _FIELD_LIMIT:
        longest = df.select(pl.max_horizontal(pl.all().str.len_bytes()).max()).item()
        _expect((longest or 0) <= _FIELD_LIMIT, f"{name}: a field over the csv field limit")
    _expect(df.height == n_lines, f"{name}: {df.height} rows for {n_lines} lines")
    df = df.fill_null("")
    # an ASCII file without a space, tab or other ASCII whitespace has nothing to strip
    # and only a column with a value that starts or ends with whitespace is stripped (1M
    # relations: finding them 0.7 s, stripping every column 2.3 s)
    if spaced:
        padded = df.select(pl.all().str.contains(_PADDED).any()).row(0)
        df = df.with_columns(pl.col(col).str.strip_chars(PY_WHITESPACE)
                             for col, pad in zip(df.columns, padded) if pad)
    if not simple:
        body = raw[start:].removesuffix(b"\n").decode("utf-8")
        lines = pl.DataFrame({"t": [body]}).select(
            pl.col("t").str.split("\n")).explode("t").select(
            pl.col("t").str.strip_suffix("\r"))
        _expect(lines.height == n_lines, f"{name}: line count")
        quoted = pl.col("t").str.contains('"', literal=True)
        _expect(not lines.select((quoted & ~pl.col("t").str.contains(_QUOTED_LINE)).any()).item(),
                f"{name}: quoting the Python reader may read differently")
        fields = (pl.col("t").str.replace_all(_QUOTED_FIELD, "")
                  .str.count_matches(",", literal=True) + 1)
        df = df.with_columns(lines.select(fields.alias("__fields"))["__fields"])
        blank = pl.all_horizontal(pl.col(header) == "")
        _expect(not df.select((~blank & (pl.col("__fields") != width)).any()).item(),
                f"{name}: a row with the wrong number of fields")
        df = df.drop("__fields")
    if numbered:  # one row per line (counted above): the header is line 1
        df = df.with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))
    df = df.filter(~pl.all_horizontal(pl.col(header) == "")) if df.height else df
    missing = [c for c in known if c not in header]
    return (df.with_columns([pl.lit("").alias(c) for c in missing])
            .select(known + ((LINE,) if numbered else ())))


def read_table(path: Path, display: str, problems: list[Problem]) -> tuple[pl.DataFrame, bool]:
    """The reading stage: one file as stripped string columns (every column of its schema,
    in order) and each row's first line in ``__line``, the structural problems (encoding,
    header, ragged rows, malformed CSV) added to *problems* as ``display:line: field:
    message``, and whether the file could not be decoded.

    Bytes of the simple kind (one row a line, quoting both parsers read alike) are parsed by
    polars; anything else by Python's :mod:`csv`, into the same columns.
    """
    try:
        return _read(path, numbered=True), False
    except (_Doubt, PolarsError, UnicodeDecodeError, csv.Error):
        pass
    table = _CsvTable(path, display, problems)
    columns = list(COLUMNS[path.name][0] + COLUMNS[path.name][1])
    rows = list(table.rows())
    frame = pl.DataFrame([tuple(row.get(c, "") for c in columns) + (line,)
                          for line, row in rows],
                         schema={**{c: pl.String for c in columns}, LINE: pl.Int64},
                         orient="row")
    return frame, table.unreadable


def _date_ok(col: pl.Expr) -> pl.Expr:
    """Valid (ASCII digits, a real calendar day) or empty, as parse_date decides."""
    full = _date_key(col)
    y = full.str.slice(0, 4).cast(pl.Int32, strict=False)
    m = full.str.slice(5, 2).cast(pl.Int32, strict=False)
    d = full.str.slice(8, 2).cast(pl.Int32, strict=False)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    days = (pl.when(m == 2).then(pl.when(leap).then(29).otherwise(28))
            .when(m.is_in([4, 6, 9, 11])).then(30).otherwise(31))
    valid = (col.str.contains(_DATE_RE.pattern) & (y >= 1) & (m >= 1) & (m <= 12)
             & (d >= 1) & (d <= days))
    return (col == "") | valid.fill_null(False)


def _date_key(col: pl.Expr) -> pl.Expr:
    """A date's first day as a sortable string (``'2024'`` -> ``'2024-01-01'``)."""
    return (pl.when(col.str.len_bytes() == 4).then(col + "-01-01")
            .when(col.str.len_bytes() == 7).then(col + "-01").otherwise(col))


def _items(df: pl.DataFrame, id_col: str, list_col: str, as_col: str) -> pl.DataFrame:
    """One row per item of a ``|``-separated list, stripped, empty items dropped (_split)."""
    c = pl.col
    # values are stripped already: one without a separator is one item (or none if empty)
    df = df.select(c(id_col), c(list_col).alias(as_col))
    plain = c(as_col).str.contains(LIST_SEPARATOR, literal=True)
    single = df.filter(~plain & (c(as_col) != ""))
    lists = df.filter(plain)
    if not lists.height:
        return single
    split = (lists.select(c(id_col), c(as_col).str.split(LIST_SEPARATOR))
             .explode(as_col)
             .with_columns(c(as_col).str.strip_chars(PY_WHITESPACE))
             .filter(c(as_col) != ""))
    return pl.concat([single, split])


class _Check:
    """The rules of graph.dataset over whole columns; each method raises _Doubt at the first
    possible problem of its kind."""

    def __init__(self, folder: Path):
        self.folder = folder

    def never(self, df: pl.DataFrame, expr: pl.Expr, doubt: str) -> None:
        """Stop if *expr* holds for any row of *df*."""
        self.never_any(df, {doubt: expr})

    def never_any(self, df: pl.DataFrame, checks: dict[str, pl.Expr]) -> None:
        """Stop at the first doubt whose expression holds for any row of *df*; the
        expressions run in one pass, in parallel."""
        if not df.height:
            return
        found = df.select([expr.fill_null(True).any().alias(f"c{i}")
                           for i, expr in enumerate(checks.values())]).row(0)
        for doubt, hit in zip(checks, found):
            _expect(not hit, doubt)

    def unique_values(self, df, rules: dict[str, tuple[Callable[[pl.Expr], pl.Expr], str]]
                      ) -> None:
        """Stop unless each rule ``col: (ok, doubt)`` holds for every distinct value of its
        column (dates, confidences and statuses repeat: checking each once is cheaper; the
        columns' distinct values are found in one pass, in parallel)."""
        if not df.height:
            return
        distinct = df.select(pl.col(col).unique().implode() for col in rules)
        for col, (ok, doubt) in rules.items():
            self.never(distinct.select(pl.col(col).explode()), ~ok(pl.col(col)), doubt)

    def unique_ids(self, ids: pl.Series, doubt: str) -> None:
        """Stop unless the values are distinct. Their 64-bit hashes are compared (a fifth of
        the time): distinct hashes prove distinct values, and a collision (a chance of about
        one in a million among the 6.5M ids of 1M entities and 5.5M relations) is only a
        false alarm, which the Python reader then settles."""
        _expect(ids.hash().n_unique() == len(ids), doubt)

    def empty(self, df, doubt: str) -> None:
        _expect(df.height == 0, doubt)

    def required(self, df, name: str) -> None:
        self.never_any(df, {f"{name}: empty {col}": pl.col(col) == ""
                            for col in COLUMNS[name][0]})

    def run(self) -> dict[str, int]:
        numbered = {name: _read(self.folder / name, numbered=True) for name in COLUMNS}
        # the columns without the line numbers, shared: df.drop() copies them (+20% peak)
        self.tables = tables = Tables(
            (name, pl.DataFrame([df.get_column(c) for c in df.columns if c != LINE]))
            for name, df in numbered.items())
        families = {"sources.csv": source_rules, "entities.csv": entity_rules,
                    "relations.csv": relation_rules, "deals.csv": deal_rules}
        for name, rules in families.items():
            _expect(not rules(numbered[name])[0], f"{name}: a problem")
        for name, df in tables.items():
            if name not in families:
                self.required(df, name)
        src, ent, rel = tables["sources.csv"], tables["entities.csv"], tables["relations.csv"]
        deals, props = tables["deals.csv"], tables["properties.csv"]
        self.entities(ent)
        self.relations(rel)
        parties = self.deals(deals)
        self.ids(ent, rel, deals, parties)
        self.aliases(ent)
        self.ends(rel, ent, deals, parties)
        self.cited(rel, src, "relations.csv")
        self.cited(deals, src, "deals.csv")
        self.properties(props, ent, rel, deals, src)
        return {"entities": ent.height, "relations": rel.height, "deals": deals.height,
                "sources": src.height}

    def entities(self, ent) -> None:
        c = pl.col
        codes = ent.filter(c("label") == "Country").select("country")
        self.empty(ent.filter(c("country") != "").join(codes, on="country", how="anti"),
                   "entities: a country code no Country has")

    def relations(self, rel) -> None:
        c = pl.col
        self.never(rel, c("source") == c("target"), "relations: self-loop")

    def deals(self, deals):
        """The parties of each deal as (deal, eid) rows (deal_rules checks their form)."""
        c = pl.col
        items = _items(deals, "id", "parties", "item")
        pair = c("item").str.splitn(":", 2)
        parties = items.select(
            c("id").alias("deal"),
            pair.struct.field("field_0").str.strip_chars(PY_WHITESPACE).alias("eid"),
            pair.struct.field("field_1").str.strip_chars(PY_WHITESPACE).alias("role"))
        return parties.select("deal", "eid")

    def ids(self, ent, rel, deals, parties) -> None:
        ids = pl.concat([ent["id"], rel["id"], deals["id"]], rechunk=False)
        self.unique_ids(ids, "an id twice, in one file or in two")
        taken = parties.select((pl.col("deal") + "-party-" + pl.col("eid")).alias("id"))
        self.empty(taken.join(rel.select("id"), on="id", how="semi"),
                   "deals: a party's relation id is taken")

    def aliases(self, ent) -> None:
        """Every id, name and alias names one entity only, compared by dataset.fold()."""
        c = pl.col
        ent = ent.with_row_index("row")  # ids are unique: a row is an entity
        keys = pl.concat([
            ent.select("row", c("id").alias("key")),
            ent.select("row", c("name").alias("key")),
            _items(ent, "row", "aliases", "key")])
        ascii_ = c("key").str.contains(r"^[\x00-\x7f]*$")
        folded = keys.filter(ascii_).with_columns(c("key").str.to_lowercase())
        other = keys.filter(~ascii_)
        if other.height:  # Unicode folding is not lowercasing ('ß' -> 'ss'; NFC, NFD)
            other = other.with_columns(pl.Series("key", [fold(k) for k in other["key"]],
                                                 dtype=pl.String))
        # each entity's keys once, as 64-bit hashes: a hash on two entities is a key naming
        # both, or (rarely) a collision, a false alarm the Python reader settles
        owned = pl.concat([folded, other]).select("row", c("key").hash()).unique()
        _expect(owned["key"].n_unique() == owned.height,
                "entities: an id, name or alias names two entities")

    def ends(self, rel, ent, deals, parties) -> None:
        """Relation ends exist with allowed labels; deal parts; deal parties."""
        c = pl.col
        # (type, label) pairs as numbers: the type's and the label's index in the schema
        types, names = list(schema.REL_TYPES), list(schema.NODE_LABELS)
        type_code = rel["type"].cast(pl.Enum(types)).to_physical().cast(pl.Int64) * len(names)
        label_code = ent["label"].cast(pl.Enum(names)).to_physical().cast(pl.Int64)
        rows = ent.select("id").with_row_index("row")
        for end in ("source", "target"):
            # each end's row in entities.csv (ids are unique: one match at most), kept for
            # the graph built from these tables
            position = rel.select(end).join(rows, left_on=end, right_on="id", how="left",
                                            maintain_order="left")["row"]
            _expect(not position.null_count(), f"relations: unknown {end}")
            self.tables.ends[end] = position
            label = label_code.gather(position)
            allowed = [types.index(t) * len(names) + names.index(label)
                       for t, spec in schema.REL_TYPES.items()
                       for label in (spec.sources if end == "source" else spec.targets)]
            _expect((type_code + label).is_in(allowed).all(),
                    f"relations: a {end} label the type does not allow")
        labels = ent.select("id", "label")
        with_deal = rel.filter(c("deal") != "")
        if with_deal.height:
            deal_types = [t for t, spec in schema.REL_TYPES.items() if spec.deal]
            self.never(with_deal, ~c("type").is_in(deal_types), "relations: type cannot carry a deal")
            self.empty(with_deal.join(deals, left_on="deal", right_on="id", how="anti"),
                       "relations: unknown deal")
            for end in ("source", "target"):
                self.empty(with_deal.join(parties, left_on=["deal", end],
                                          right_on=["deal", "eid"], how="anti"),
                           f"relations: {end} is not a party of the deal")
            shared = with_deal.join(deals.select("id", "status", "date", "endDate"),
                                    left_on="deal", right_on="id", suffix="_deal")
            for col in ("status", "date", "endDate"):
                self.never(shared, (c(col) != "") & (c(col) != c(f"{col}_deal")),
                         f"relations: {col} differs from its deal")
        allowed = list(schema.REL_TYPES["PARTY_TO"].sources)
        joined = parties.join(labels, left_on="eid", right_on="id", how="left")
        self.never(joined, c("label").is_null() | ~c("label").is_in(allowed),
                 "deals: unknown party or a label that cannot be a party")

    def cited(self, df, src, name: str) -> None:
        """Every source and disputedBy id is registered; dated claims or dated sources."""
        c = pl.col
        registered = src.select(c("id").alias("sid"), c("date").alias("sdate"))
        # these rules read a row's sources, disputedBy and whether it is dated: each distinct
        # combination is checked once (a few hundred, for millions of relations)
        disputes = "disputedBy" in df.columns
        combos = (df.select("sources", *(["disputedBy"] if disputes else []),
                            ((c("date") == "") & (c("asOf") == "")).alias("undated"))
                  .unique().with_row_index("combo"))
        cited = _items(combos, "combo", "sources", "sid")
        self.empty(cited.join(registered, on="sid", how="anti"), f"{name}: unknown source")
        undated = combos.filter(c("undated")).select("combo")
        if undated.height:
            self.never(cited.join(undated, on="combo", how="semi").join(registered, on="sid"),
                       c("sdate") == "", f"{name}: undated claim with an undated source")
        if disputes:
            disputing = _items(combos, "combo", "disputedBy", "sid")
            self.empty(disputing.join(registered, on="sid", how="anti"),
                       f"{name}: unknown disputedBy")
            self.empty(disputing.join(cited, on=["combo", "sid"], how="semi"),
                       f"{name}: a source supports and disputes")

    def properties(self, props, ent, rel, deals, src) -> None:
        c = pl.col
        if not props.height:
            return
        self.empty(props.join(src, left_on="source", right_on="id", how="anti"),
                   "properties: unknown source")
        self.never(props, pl.struct("subject", "key").is_duplicated(), "properties: duplicate")
        subjects = pl.concat([ent.select("id", pl.lit("entity").alias("kind")),
                              rel.select("id", pl.lit("relation").alias("kind")),
                              deals.select("id", pl.lit("relation").alias("kind"))])
        joined = props.join(subjects, left_on="subject", right_on="id", how="left")
        self.never(joined, c("kind").is_null(), "properties: unknown subject")
        specs = pl.DataFrame(
            [("entity", k, s.type) for k, s in schema.ENTITY_PROPERTIES.items()]
            + [("relation", k, s.type) for k, s in schema.RELATION_PROPERTIES.items()],
            schema={"kind": pl.String, "key": pl.String, "type": pl.String}, orient="row")
        typed = joined.join(specs, on=["kind", "key"], how="left")
        self.never(typed, c("type").is_null(), "properties: unknown key")
        value = c("value")
        number = value.cast(pl.Float64, strict=False)
        lowered = pl.when(value.str.contains(r"^[\x00-\x7f]*$")).then(value.str.to_lowercase())
        ok = (pl.when(c("type") == "int")
              .then(value.str.contains(_INT_RE.pattern) & (value.str.len_bytes() <= 4000))
              .when(c("type") == "float")
              .then(value.str.contains(_FLOAT_RE.pattern) & number.is_finite())
              .when(c("type") == "bool").then(lowered.is_in(list(_TRUE + _FALSE)))
              .when(c("type") == "str").then(True)
              .otherwise(False))
        self.never(typed, ~ok.fill_null(False), "properties: a value of the wrong type")


def _encoding_hint(path: Path) -> str:
    """Name the likely encoding of a file that is not UTF-8, so the fix is clear."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        return "; it looks like UTF-16: save it as UTF-8"
    return "; it may be Latin-1 or Windows-1252: save it as UTF-8"


class _CsvTable:
    """The rows of one file as Python's csv module reads it, for the bytes polars might read
    differently; problems recorded, not raised."""

    def __init__(self, path: Path, display: str, problems: list[Problem]):
        self.path = path
        self.display = display
        self.problems = problems
        # set when the file cannot be decoded: checks of other files against it are skipped,
        # so one encoding error is not buried under consequential "unknown id" lines
        self.unreadable = False

    def problem(self, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(self.display, line, field, message))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line number, row) with stripped values; report structural problems."""
        required, optional = COLUMNS[self.path.name]
        if not self.path.is_file():
            if not schema.DATASET_FILES[self.path.name][1]:
                self.problem(None, "file", "file not found")
            return
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            self.problem(None, "file", f"not valid UTF-8 ({err.reason} at byte {err.start})"
                         f"{_encoding_hint(self.path)}")
            self.unreadable = True
            return
        # read_text() turns \r\n and a lone \r into \n; after that lines end at \n only:
        # str.splitlines() would also split at U+2028, NEL, FF and VT, which are data inside
        # a field, and shift line numbers.
        reader = csv.reader(io.StringIO(text, newline="\n"), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as err:
            self.problem(1, "header", f"malformed CSV: {err}")
            return
        if not header:
            self.problem(1, "header", "empty file; expected a header row")
            return
        header = [h.strip() for h in header]
        known = required + optional
        known_set, counts = set(known), Counter(header)  # linear: a header may be huge
        missing = [c for c in required if c not in counts]
        unknown = [c for c in header if c not in known_set]
        for col in missing:
            self.problem(1, col, "missing required column")
        for col in unknown[:_MAX_HEADER_PROBLEMS]:
            self.problem(1, col, f"unknown column; expected {', '.join(known)}")
        dupes = sorted(c for c, n in counts.items() if n > 1)
        for col in dupes[:_MAX_HEADER_PROBLEMS]:
            self.problem(1, col, "column appears more than once")
        for more, what in ((len(unknown), "unknown columns"), (len(dupes), "repeated columns")):
            if more > _MAX_HEADER_PROBLEMS:
                self.problem(1, "header", f"{more - _MAX_HEADER_PROBLEMS:,} more {what} "
                             "not listed")
        if missing or dupes:
            return
        width = len(header)
        keep = None if not unknown else [i for i, h in enumerate(header) if h in known]
        names = header if keep is None else [header[i] for i in keep]
        strip = str.strip
        line = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                self.problem(line, "row", f"malformed CSV: {err}")
                return
            start, line = line, reader.line_num + 1
            values = list(map(strip, values))
            if not any(values):
                continue
            if len(values) != width:
                self.problem(start, "row",
                             f"has {len(values)} fields, the header has {width}")
                continue
            if keep is not None:
                values = [values[i] for i in keep]
            yield start, dict(zip(names, values))
