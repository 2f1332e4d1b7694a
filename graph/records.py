"""The records of a dataset and the parsing of its values: the base the reader, the column
check and the graph builder share.

It imports nothing of the package but :mod:`graph.schema`, so every layer above it (the
reader :mod:`graph.dataset`, the column check :mod:`graph.columnar`, the graph builder
:mod:`graph.backends.networkx`) can import it without importing each other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema

__all__ = ["Source", "Entity", "Relation", "Deal", "Dataset", "Curation", "parse_date",
           "date_start", "party_id", "fold", "no_gc", "COLUMNS", "LIST_SEPARATOR",
           "DATE_BASES"]

LIST_SEPARATOR = "|"

# file: (required columns, optional columns), derived from the schema
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    name: (tuple(c for c, f in fields.items() if f.required),
           tuple(c for c, f in fields.items() if not f.required))
    for name, (fields, _) in schema.DATASET_FILES.items()
}

DATE_BASES = ("published", "inferred", "accessed")
# ASCII digits only: \d would let full-width and Arabic-Indic digits pass as dates
_DATE_RE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")
_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_FLOAT_RE = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_SOURCE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


@dataclass(frozen=True)
class Source:
    """A source article in the registry."""

    id: str
    title: str
    kind: str = "article"
    reliability: str = "F"
    reliabilityNote: str = ""
    file: str = ""
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
    endDate: str = ""
    asOf: str = ""
    disputedBy: tuple[str, ...] = ()
    properties: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Deal:
    """A multi-party agreement: one fact with its parties (entity id, role) and provenance."""

    id: str
    name: str
    status: str
    confidence: float
    sources: tuple[str, ...]
    parties: tuple[tuple[str, str], ...]
    evidence: str
    kind: str = ""
    date: str = ""
    endDate: str = ""
    asOf: str = ""
    properties: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass
class Dataset:
    """A validated dataset: entities, relations, deals and sources keyed by id."""

    entities: dict[str, Entity]
    relations: dict[str, Relation]
    sources: dict[str, Source]
    deals: dict[str, Deal] = field(default_factory=dict)
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
    if value in _VALID_DATES:
        return value
    message = f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if not _DATE_RE.match(value):
        raise ValueError(message)
    try:
        date_start(value)
    except ValueError as err:
        raise ValueError(message) from err
    if len(_VALID_DATES) < 100_000:
        _VALID_DATES.add(value)
    return value


_VALID_DATES: set[str] = set()


def date_start(value: str) -> dt.date:
    """The first day a date of any precision covers: ``'2024-11'`` -> 2024-11-01."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip())


def _convert(value: str, type_name: str) -> Any:
    if type_name == "int":
        if not _INT_RE.match(value):  # int() takes other scripts' digits and underscores
            raise ValueError(value)
        return int(value)
    if type_name == "float":
        if not _FLOAT_RE.match(value):
            raise ValueError(value)
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


def _record(cls: type, fields: dict[str, Any]) -> Any:
    """A frozen dataclass from *fields* (every field given), without its slow __init__.

    A frozen dataclass sets each field through ``object.__setattr__``; at 500k relations that
    is seconds. The values here have been checked already.
    """
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


def party_id(deal: str, party: str) -> str:
    """The id of the PARTY_TO relation of *party* in *deal*.

    >>> party_id("deal-vw-catl", "catl")
    'deal-vw-catl-party-catl'
    """
    return f"{deal}-party-{party}"


def fold(name: str) -> str:
    """*name* as ids, names and aliases are compared: case-folded, Unicode-normalised (NFC),
    so "Škoda" typed with a combining caron is "ŠKODA".

    >>> fold("S\u030ckoda") == fold("\u0160KODA")
    True
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


@dataclass
class Curation:
    """What the curation rules read, in plain values (from records or from columns).

    ``entities``: (id, label, country) per entity, in file order; ``bases``: the ids with a
    HEADQUARTERED_IN relation; ``up``: each id -> the ids an undisputed LOCATED_IN or group
    HEADQUARTERED_IN (no ``hqScope``) places it in; ``named``: the ids some relation or deal
    names; ``ungraded``: the ids of sources graded F.
    """

    entities: Iterable[tuple[str, str, str]]
    bases: set[str]
    up: dict[str, list[str]]
    named: set[str]
    ungraded: Iterable[str]
    relations_known: bool = True


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of acyclic objects.

    Each collection rescans every container allocated so far, so bulk reads and graph builds
    spend most of their time there (a third of a 500k-relation read, two thirds of a build).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
