"""Read and validate a dataset folder (``data/``) into typed records.

A dataset is four CSV files, documented in ``data/README.md``:

* ``sources.csv``: the registry of source articles,
* ``entities.csv``: nodes, one row each,
* ``relations.csv``: edges with provenance,
* ``properties.csv``: typed figures attached to entities or relations.

:func:`validate_dataset` collects *every* problem at once; :func:`load_dataset` returns a
:class:`Dataset` only when there are none, so nothing downstream ever sees invalid data.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import resources, schema
from .errors import DataValidationError, Problem

__all__ = [
    "Source",
    "Entity",
    "Relation",
    "Dataset",
    "load_dataset",
    "validate_dataset",
    "parse_date",
    "date_start",
    "LIST_SEPARATOR",
]

LIST_SEPARATOR = "|"

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # file: (required columns, optional columns)
    "sources.csv": (("id", "file", "title"),
                    ("publisher", "date", "dateBasis", "url", "references", "language", "note")),
    "entities.csv": (("id", "label", "name"), ("aliases", "kind", "country", "description")),
    "relations.csv": (("id", "type", "source", "target", "status", "confidence", "sources",
                       "evidence"), ("deal", "date", "asOf")),
    "properties.csv": (("subject", "key", "value", "source"), ("note",)),
}

DATE_BASES = ("published", "inferred")
_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_SOURCE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


@dataclass(frozen=True)
class Source:
    """A source article in the registry."""

    id: str
    file: str
    title: str
    publisher: str = ""
    date: str = ""
    dateBasis: str = ""
    url: str = ""
    references: tuple[str, ...] = ()
    language: str = ""
    note: str = ""


@dataclass(frozen=True)
class Entity:
    """A node: company, organization, country, region, plant, technology, programme or model."""

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""
    country: str = ""
    description: str = ""
    properties: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Relation:
    """A directed, typed edge with provenance."""

    id: str
    type: str
    source: str
    target: str
    status: str
    confidence: float
    sources: tuple[str, ...]
    evidence: str
    deal: str = ""
    date: str = ""
    asOf: str = ""
    properties: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass
class Dataset:
    """A validated dataset: entities, relations and sources keyed by id."""

    entities: dict[str, Entity]
    relations: dict[str, Relation]
    sources: dict[str, Source]
    path: Path | None = None


def parse_date(value: str) -> str:
    """Check an ISO date of year, month or day precision and return it unchanged.

    >>> parse_date("2024-11")
    '2024-11'
    >>> parse_date("2024-13")
    Traceback (most recent call last):
    ...
    ValueError: '2024-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)
    """
    message = f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if not _DATE_RE.match(value):
        raise ValueError(message)
    try:
        date_start(value)
    except ValueError as err:
        raise ValueError(message) from err
    return value


def date_start(value: str) -> dt.date:
    """The first day a date of any precision covers: ``'2024-11'`` -> 2024-11-01."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip())


def _convert(value: str, type_name: str) -> Any:
    if type_name == "int":
        return int(value)
    if type_name == "float":
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        return number
    if type_name == "bool":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError(value)
    return value


class _Reader:
    """Reads one CSV file, recording problems instead of stopping at the first."""

    def __init__(self, path: Path, display: str, problems: list[Problem]):
        self.path = path
        self.display = display
        self.problems = problems

    def problem(self, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(self.display, line, field, message))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line number, row) with stripped values; report structural problems."""
        required, optional = COLUMNS[self.path.name]
        if not self.path.is_file():
            self.problem(None, "file", "file not found")
            return
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            self.problem(None, "file", f"not valid UTF-8 ({err.reason} at byte {err.start})")
            return
        reader = csv.reader(text.splitlines(keepends=True), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as err:
            self.problem(1, "header", f"malformed CSV: {err}")
            return
        if not header:
            self.problem(1, "header", "empty file; expected a header row")
            return
        header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        unknown = [c for c in header if c not in required + optional]
        for col in missing:
            self.problem(1, col, "missing required column")
        for col in unknown:
            self.problem(1, col, f"unknown column; expected {', '.join(required + optional)}")
        dupes = {c for c in header if header.count(c) > 1}
        for col in sorted(dupes):
            self.problem(1, col, "column appears more than once")
        if missing or dupes:
            return
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
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                self.problem(start, "row",
                             f"has {len(values)} fields, the header has {len(header)}")
                continue
            yield start, {h: v.strip() for h, v in zip(header, values) if h in required + optional}

    def need(self, line: int, row: dict[str, str], *fields: str) -> bool:
        ok = True
        for name in fields:
            if not row.get(name):
                self.problem(line, name, "required value is empty")
                ok = False
        return ok

    def new_id(self, line: int, value: str, seen: dict[str, tuple[int, Any]], kind: str) -> bool:
        """Report *value* unless it is a slug not yet seen in this file."""
        if not schema.SLUG_RE.match(value):
            self.problem(line, "id", f"{value!r} is not a slug (lowercase letters, digits, "
                         "hyphens)")
            return False
        if value in seen:
            self.problem(line, "id", f"duplicate {kind} id {value!r} (first on line "
                         f"{seen[value][0]})")
            return False
        return True

    def date(self, line: int, row: dict[str, str], name: str) -> str:
        value = row.get(name, "")
        if value:
            try:
                parse_date(value)
            except ValueError as err:
                self.problem(line, name, str(err))
                return ""
        return value


def _read_sources(rd: _Reader) -> dict[str, tuple[int, Source]]:
    out: dict[str, tuple[int, Source]] = {}
    for line, row in rd.rows():
        if not rd.need(line, row, "id", "file", "title"):
            continue
        sid = row["id"]
        if not _SOURCE_ID_RE.match(sid):
            rd.problem(line, "id", f"{sid!r} is not a valid source id (letters, digits, _ . -)")
            continue
        if sid in out:
            rd.problem(line, "id", f"duplicate source id {sid!r} (first on line {out[sid][0]})")
            continue
        date = rd.date(line, row, "date")
        basis = row.get("dateBasis", "")
        if basis and basis not in DATE_BASES:
            rd.problem(line, "dateBasis", f"{basis!r} is not one of {', '.join(DATE_BASES)}")
        elif date and not basis:
            rd.problem(line, "dateBasis", "a dated source needs a dateBasis "
                       f"({', '.join(DATE_BASES)})")
        out[sid] = (line, Source(
            id=sid, file=row["file"], title=row["title"], publisher=row.get("publisher", ""),
            date=date, dateBasis=basis, url=row.get("url", ""),
            references=_split(row.get("references", "")), language=row.get("language", ""),
            note=row.get("note", "")))
    return out


def _read_entities(rd: _Reader) -> dict[str, tuple[int, Entity]]:
    out: dict[str, tuple[int, Entity]] = {}
    for line, row in rd.rows():
        if not rd.need(line, row, "id", "label", "name"):
            continue
        eid, label = row["id"], row["label"]
        ok = rd.new_id(line, eid, out, "entity")
        if label not in schema.NODE_LABELS:
            rd.problem(line, "label",
                       f"unknown label {label!r}; expected one of {', '.join(schema.NODE_LABELS)}")
            ok = False
        country = row.get("country", "")
        if country and not schema.COUNTRY_RE.match(country):
            rd.problem(line, "country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
            ok = False
        if label == "Country" and not country:
            rd.problem(line, "country", "a Country needs its own ISO code")
            ok = False
        if ok:
            out[eid] = (line, Entity(
                id=eid, label=label, name=row["name"], aliases=_split(row.get("aliases", "")),
                kind=row.get("kind", ""), country=country,
                description=row.get("description", ""), properties={}))
    return out


def _read_relations(rd: _Reader) -> dict[str, tuple[int, Relation]]:
    out: dict[str, tuple[int, Relation]] = {}
    for line, row in rd.rows():
        if not rd.need(line, row, "id", "type", "source", "target", "status", "confidence",
                       "sources", "evidence"):
            continue
        rid, rtype = row["id"], row["type"]
        ok = rd.new_id(line, rid, out, "relation")
        if rtype not in schema.REL_TYPES:
            rd.problem(line, "type", f"unknown relationship type {rtype!r}; expected one of "
                       f"{', '.join(schema.REL_TYPES)}")
            ok = False
        if row["status"] not in schema.STATUSES:
            rd.problem(line, "status", f"{row['status']!r} is not one of "
                       f"{', '.join(schema.STATUSES)}")
            ok = False
        try:
            confidence = float(row["confidence"])
            if not 0.0 <= confidence <= 1.0:
                raise ValueError
        except ValueError:
            rd.problem(line, "confidence", f"{row['confidence']!r} is not a number from 0 to 1")
            ok = False
        deal = row.get("deal", "")
        if deal and not schema.SLUG_RE.match(deal):
            rd.problem(line, "deal", f"{deal!r} is not a slug (lowercase letters, digits, hyphens)")
            ok = False
        date, as_of = rd.date(line, row, "date"), rd.date(line, row, "asOf")
        if (row.get("date") and not date) or (row.get("asOf") and not as_of):
            ok = False
        if ok:
            out[rid] = (line, Relation(
                id=rid, type=rtype, source=row["source"], target=row["target"],
                status=row["status"], confidence=confidence, sources=_split(row["sources"]),
                evidence=row["evidence"], deal=deal, date=date, asOf=as_of, properties={}))
    return out


def _check_aliases(rd: _Reader, entities: dict[str, tuple[int, Entity]]) -> None:
    """Every id, name and alias must point at one entity only (case-insensitive)."""
    seen: dict[str, str] = {}
    for eid, (line, ent) in entities.items():
        keys = {eid.casefold(): "id", ent.name.casefold(): "name"}
        for alias in ent.aliases:
            keys.setdefault(alias.casefold(), "aliases")
        for key, field_name in keys.items():
            other = seen.get(key)
            if other is not None and other != eid:
                rd.problem(line, field_name,
                           f"{key!r} already names entity {other!r} (line {entities[other][0]})")
            else:
                seen[key] = eid


def _check_relations(rd: _Reader, relations: dict[str, tuple[int, Relation]],
                     entities: dict[str, tuple[int, Entity]],
                     sources: dict[str, tuple[int, Source]]) -> None:
    for rid, (line, rel) in relations.items():
        if rid in entities:
            rd.problem(line, "id", f"relation id {rid!r} is also an entity id")
        spec = schema.REL_TYPES[rel.type]
        for end, allowed in (("source", spec.sources), ("target", spec.targets)):
            eid = getattr(rel, end)
            if eid not in entities:
                rd.problem(line, end, f"unknown entity id {eid!r}")
            elif entities[eid][1].label not in allowed:
                rd.problem(line, end, f"{rel.type} cannot {'start' if end == 'source' else 'end'}"
                           f" at {entities[eid][1].label} {eid!r}; allowed: {', '.join(allowed)}")
        if rel.source == rel.target:
            rd.problem(line, "target", "a relation cannot connect an entity to itself")
        for sid in rel.sources:
            if sid not in sources:
                rd.problem(line, "sources", f"unknown source id {sid!r}")
        if not rel.date and not rel.asOf and any(
                s in sources and not sources[s][1].date for s in rel.sources):
            rd.problem(line, "asOf", "undated: give date or asOf, or date its source")


def _apply_properties(rd: _Reader, entities: dict[str, tuple[int, Entity]],
                      relations: dict[str, tuple[int, Relation]],
                      sources: dict[str, tuple[int, Source]]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for line, row in rd.rows():
        if not rd.need(line, row, "subject", "key", "value", "source"):
            continue
        subject, key, value = row["subject"], row["key"], row["value"]
        if subject in entities:
            specs, target = schema.ENTITY_PROPERTIES, entities[subject][1].properties
        elif subject in relations:
            specs, target = schema.RELATION_PROPERTIES, relations[subject][1].properties
        else:
            rd.problem(line, "subject", f"unknown entity or relation id {subject!r}")
            continue
        if row["source"] not in sources:
            rd.problem(line, "source", f"unknown source id {row['source']!r}")
        if key not in specs:
            kind = "entity" if specs is schema.ENTITY_PROPERTIES else "relation"
            rd.problem(line, "key", f"unknown {kind} property {key!r}; expected one of "
                       f"{', '.join(specs)}")
            continue
        if (subject, key) in seen:
            rd.problem(line, "key", f"{key!r} of {subject!r} is already set on line "
                       f"{seen[subject, key]}")
            continue
        try:
            target[key] = _convert(value, specs[key].type)
        except ValueError:
            rd.problem(line, "value", f"{value!r} is not a valid {specs[key].type} for {key!r}")
            continue
        seen[subject, key] = line


def _check_countries(rd: _Reader, entities: dict[str, tuple[int, Entity]]) -> None:
    codes = {e.country for _, e in entities.values() if e.label == "Country"}
    for _, (line, ent) in entities.items():
        if ent.country and ent.country not in codes:
            rd.problem(line, "country", f"no Country entity has the code {ent.country!r}")


def _display(data_dir: Path, name: str) -> str:
    return str(data_dir / name)


def _read(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    problems: list[Problem] = []
    readers = {name: _Reader(data_dir / name, _display(data_dir, name), problems)
               for name in COLUMNS}
    sources = _read_sources(readers["sources.csv"])
    entities = _read_entities(readers["entities.csv"])
    relations = _read_relations(readers["relations.csv"])
    _check_aliases(readers["entities.csv"], entities)
    _check_countries(readers["entities.csv"], entities)
    _check_relations(readers["relations.csv"], relations, entities, sources)
    _apply_properties(readers["properties.csv"], entities, relations, sources)
    problems.sort(key=lambda p: (list(COLUMNS).index(Path(p.path).name), p.line or 0))
    dataset = Dataset(
        entities={k: v for k, (_, v) in entities.items()},
        relations={k: v for k, (_, v) in relations.items()},
        sources={k: v for k, (_, v) in sources.items()},
        path=data_dir)
    return dataset, problems


def validate_dataset(data_dir: str | Path | None = None) -> list[Problem]:
    """Return every problem in the dataset folder (empty when it is valid).

    Parameters
    ----------
    data_dir : path, optional
        A folder with the four CSV files; the bundled ``data/`` by default.
    """
    return _read(resources.data_dir(data_dir))[1]


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """Read and validate a dataset folder.

    Parameters
    ----------
    data_dir : path, optional
        A folder with the four CSV files; the bundled ``data/`` by default.

    Returns
    -------
    Dataset

    Raises
    ------
    DataValidationError
        With every problem found, each as ``file:line: field: message``.

    Examples
    --------
    >>> ds = load_dataset()
    >>> ds.entities["catl"].name
    'CATL'
    """
    dataset, problems = _read(resources.data_dir(data_dir))
    if problems:
        raise DataValidationError(problems)
    return dataset
