"""Read and validate a dataset folder (``data/``) into typed records.

A dataset is a folder of CSV files, documented in ``data/README.md``; their columns are
declared in :data:`graph.schema.DATASET_FILES`:

* ``sources.csv``: the registry of sources, each with a reliability grade,
* ``entities.csv``: nodes, one row each,
* ``relations.csv``: edges with provenance,
* ``deals.csv`` (optional): multi-party agreements, each with its parties,
* ``properties.csv``: typed figures attached to entities, relations or deals.

:func:`validate_dataset` collects *every* problem at once; :func:`load_dataset` returns a
:class:`Dataset` only when there are none, so nothing downstream ever sees invalid data.
A large dataset is first checked column by column (:mod:`graph.columnar`); when that finds
it valid, its records are built from the columns, else they are built, and every message
worded, here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import formats, resources, schema
from .errors import DataValidationError, Problem
# the records and value parsing live in graph.records; re-exported, as they always were here
from .records import (_DATE_RE, _FALSE, _FLOAT_RE, _INT_RE, _SOURCE_ID_RE, _TRUE,  # noqa: F401
                      _VALID_DATES, COLUMNS, DATE_BASES, LIST_SEPARATOR, Curation, Dataset,
                      Deal, Entity, Relation, Source, _convert, _record, _split, date_start,
                      fold, no_gc, parse_date, party_id)

__all__ = [
    "Source",
    "Entity",
    "Relation",
    "Deal",
    "Dataset",
    "load_dataset",
    "validate_dataset",
    "check_dataset",
    "parse_date",
    "date_start",
    "LIST_SEPARATOR",
]


class _Reader:
    """Reads one CSV file, recording problems instead of stopping at the first."""

    def __init__(self, path: Path, display: str, problems: list[Problem]):
        self.path = path
        self.display = display
        self.problems = problems
        # set when the file cannot be decoded: checks of other files against it are skipped,
        # so one encoding error is not buried under consequential "unknown id" lines
        self.unreadable = False

    def problem(self, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(self.display, line, field, message))

    def warn(self, rule: str, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(self.display, line, field, message, warning=rule))

    def table(self):
        """The file's numbered string columns from the reading stage
        (:func:`graph.columnar.read_table`, which reports the structural problems)."""
        from .columnar import read_table

        table, self.unreadable = read_table(self.path, self.display, self.problems)
        return table

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line number, row) with stripped values, from the reading stage."""
        from .columnar import LINE

        table = self.table()
        names = [c for c in table.columns if c != LINE]
        for line, *values in zip(table[LINE].to_list(), *(table[c].to_list() for c in names)):
            yield line, dict(zip(names, values))

    def need(self, line: int, row: dict[str, str], *fields: str) -> bool:
        ok = True
        for name in fields:
            if not row.get(name):
                self.problem(line, name, "required value is empty")
                ok = False
        return ok

    def need_required(self, line: int, row: dict[str, str]) -> bool:
        return self.need(line, row, *COLUMNS[self.path.name][0])


def _read_sources(rd: _Reader) -> dict[str, tuple[int, Source]]:
    from .columnar import source_records, source_rules

    return _kept(rd, source_rules, source_records)


def _kept(rd: _Reader, rules, records) -> dict[str, tuple[int, Any]]:
    """A file's problems by its rule family over the columns, reported; its kept rows'
    records by id, with their lines."""
    from .columnar import LINE

    found, kept = rules(rd.table())
    for line, _, field_name, message in found:
        rd.problem(line, field_name, message)
    return {rid: (line, record) for line, (rid, record)
            in zip(kept[LINE].to_list(), records(kept))}


def _read_entities(rd: _Reader) -> dict[str, tuple[int, Entity]]:
    from .columnar import entity_records, entity_rules

    return _kept(rd, entity_rules, entity_records)


def _read_relations(rd: _Reader) -> dict[str, tuple[int, Relation]]:
    from .columnar import relation_records, relation_rules

    return _kept(rd, relation_rules, relation_records)


def _read_deals(rd: _Reader) -> dict[str, tuple[int, Deal]]:
    from .columnar import deal_records, deal_rules

    return _kept(rd, deal_rules, deal_records)


def _check_aliases(rd: _Reader, entities: dict[str, tuple[int, Entity]]) -> None:
    """Every id, name and alias must point at one entity only (case-insensitive)."""
    seen: dict[str, str] = {}
    for eid, (line, ent) in entities.items():
        keys = {fold(eid): "id", fold(ent.name): "name"}
        for alias in ent.aliases:
            keys.setdefault(fold(alias), "aliases")
        for key, field_name in keys.items():
            other = seen.get(key)
            if other is not None and other != eid:
                rd.problem(line, field_name,
                           f"{key!r} already names entity {other!r} (line {entities[other][0]})")
            else:
                seen[key] = eid


def _check_cited(rd: _Reader, line: int, record: Relation | Deal,
                 sources: dict[str, tuple[int, Source]]) -> None:
    for sid in record.sources:
        if sid not in sources:
            rd.problem(line, "sources", f"unknown source id {sid!r}")
    if not record.date and not record.asOf and any(
            s in sources and not sources[s][1].date for s in record.sources):
        rd.problem(line, "asOf", "undated: give date or asOf, or date its source")


def _check_relations(rd: _Reader, relations: dict[str, tuple[int, Relation]],
                     entities: dict[str, tuple[int, Entity]],
                     sources: dict[str, tuple[int, Source]],
                     deals: dict[str, tuple[int, Deal]], unreadable: set[str]) -> None:
    deal_types = [t for t, spec in schema.REL_TYPES.items() if spec.deal]
    ends = () if "entities.csv" in unreadable else ("source", "target")
    cited = "sources.csv" not in unreadable
    for rid, (line, rel) in relations.items():
        if rid in entities or rid in deals:
            rd.problem(line, "id", f"relation id {rid!r} is also "
                       f"{'an entity' if rid in entities else 'a deal'} id")
        spec = schema.REL_TYPES[rel.type]
        for end in ends:
            allowed = spec.sources if end == "source" else spec.targets
            eid = getattr(rel, end)
            if eid not in entities:
                rd.problem(line, end, f"unknown entity id {eid!r}")
            elif entities[eid][1].label not in allowed:
                rd.problem(line, end, f"{rel.type} cannot {'start' if end == 'source' else 'end'}"
                           f" at {entities[eid][1].label} {eid!r}; allowed: {', '.join(allowed)}")
        if rel.source == rel.target:
            rd.problem(line, "target", "a relation cannot connect an entity to itself")
        if cited:
            _check_cited(rd, line, rel, sources)
        for sid in rel.disputedBy if cited else ():
            if sid not in sources:
                rd.problem(line, "disputedBy", f"unknown source id {sid!r}: register the "
                           "contradicting reference in sources.csv")
            elif sid in rel.sources:
                rd.problem(line, "disputedBy", f"{sid!r} cannot both support and dispute "
                           "the claim")
        if rel.deal and not unreadable & {"deals.csv", "entities.csv"}:
            _check_deal_part(rd, line, rel, deals, deal_types)


def _check_deal_part(rd: _Reader, line: int, rel: Relation, deals: dict[str, tuple[int, Deal]],
                     deal_types: list[str]) -> None:
    """A pairwise relation of a deal: an allowed type, between parties, sharing status and
    dates."""
    if rel.deal not in deals:
        rd.problem(line, "deal", f"unknown deal id {rel.deal!r}; declare it in deals.csv")
        return
    if not schema.REL_TYPES[rel.type].deal:
        rd.problem(line, "deal", f"{rel.type} cannot carry a deal id; only "
                   f"{', '.join(deal_types)} can")
        return
    deal = deals[rel.deal][1]
    parties = {eid for eid, _ in deal.parties}
    for end in ("source", "target"):
        if getattr(rel, end) not in parties:
            rd.problem(line, end, f"{getattr(rel, end)!r} is not a party of deal {rel.deal!r}")
    for name in ("status", "date", "endDate"):
        mine, theirs = getattr(rel, name), getattr(deal, name)
        if mine and mine != theirs:
            rd.problem(line, name, f"{mine!r} differs from deal {rel.deal!r} ({theirs!r}); "
                       "the relations of a deal share its status and dates")


def _check_deals(rd: _Reader, deals: dict[str, tuple[int, Deal]],
                 entities: dict[str, tuple[int, Entity]],
                 sources: dict[str, tuple[int, Source]],
                 relations: dict[str, tuple[int, Relation]], unreadable: set[str]) -> None:
    allowed = schema.REL_TYPES["PARTY_TO"].sources
    for did, (line, deal) in deals.items():
        if did in entities:
            rd.problem(line, "id", f"deal id {did!r} is also an entity id")
        for eid, _ in deal.parties if "entities.csv" not in unreadable else ():
            if eid not in entities:
                rd.problem(line, "parties", f"unknown entity id {eid!r}")
            elif entities[eid][1].label not in allowed:
                rd.problem(line, "parties", f"a {entities[eid][1].label} cannot be a party "
                           f"({eid!r}); allowed: {', '.join(allowed)}")
            elif party_id(did, eid) in relations:
                rd.problem(line, "parties", f"relation id {party_id(did, eid)!r} is taken")
        if "sources.csv" not in unreadable:
            _check_cited(rd, line, deal, sources)


def _apply_properties(rd: _Reader, entities: dict[str, tuple[int, Entity]],
                      relations: dict[str, tuple[int, Relation]],
                      sources: dict[str, tuple[int, Source]],
                      deals: dict[str, tuple[int, Deal]], unreadable: set[str]) -> None:
    subjects_known = not unreadable & {"entities.csv", "relations.csv", "deals.csv"}
    seen: dict[tuple[str, str], int] = {}
    for line, row in rd.rows():
        if not rd.need_required(line, row):
            continue
        subject, key, value = row["subject"], row["key"], row["value"]
        if subject in entities:
            specs, target = schema.ENTITY_PROPERTIES, entities[subject][1].properties
        elif subject in relations or subject in deals:
            records = relations if subject in relations else deals
            specs, target = schema.RELATION_PROPERTIES, records[subject][1].properties
        else:
            if subjects_known:
                rd.problem(line, "subject", f"unknown entity, relation or deal id {subject!r}")
            continue
        if row["source"] not in sources and "sources.csv" not in unreadable:
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


def curation_warnings(c: Curation) -> Iterator[tuple[str, str, str, str, str]]:
    """The curation warnings: the graph can be built, but the policy wants more.

    * every actor has a base (a HEADQUARTERED_IN relation),
    * an entity's ``country`` agrees with where the graph puts it: an actor's place is its
      group headquarters, anything else's is where LOCATED_IN leads; disputed relations do
      not count (a claim a reference contradicts cannot decide the country),
    * every Country takes part in some relation,
    * every source is graded (F: its reliability cannot be judged).

    Linear in the data and iterative: a LOCATED_IN chain of any depth, and any cycle, ends.

    Yields
    ------
    (rule, file, id, field, message)
    """
    entities = list(c.entities)
    codes = {eid: country for eid, label, country in entities if label == "Country"}
    found = countries_reached(c.up, codes)
    for eid, label, country in entities:
        if label in schema.ACTORS and eid not in c.bases and c.relations_known:
            yield ("base", "entities.csv", eid, "id", f"{label} {eid!r} has no base: add a "
                   "HEADQUARTERED_IN relation to the most precise place known")
        if label == "Country":
            if eid not in c.named and c.relations_known:
                yield ("isolated", "entities.csv", eid, "id",
                       f"Country {eid!r} is isolated: no relation names it")
            continue
        places = found.get(eid)
        if places and (country not in places or len(places) > 1):
            yield ("country", "entities.csv", eid, "country",
                   f"{country or 'empty'!r} disagrees with the graph, which places {eid!r} in "
                   f"{', '.join(sorted(places))}")
    for sid in c.ungraded:
        yield ("ungraded", "sources.csv", sid, "reliability", f"source {sid!r} is not graded "
               "(F: cannot be judged); grade it A-E once its reliability is known")


def _curation_of_records(dataset: Dataset, unreadable: set[str]) -> Curation:
    entities = dataset.entities
    bases: set[str] = set()
    named: set[str] = set()
    up: dict[str, list[str]] = {}
    for rel in dataset.relations.values():
        named.add(rel.source)
        named.add(rel.target)
        if rel.type == "HEADQUARTERED_IN":
            bases.add(rel.source)
        if rel.disputedBy or rel.target not in entities or rel.source not in entities:
            continue
        if rel.type == "LOCATED_IN" or (rel.type == "HEADQUARTERED_IN"
                                        and "hqScope" not in rel.properties):
            up.setdefault(rel.source, []).append(rel.target)
    for deal in dataset.deals.values():
        named.update(eid for eid, _ in deal.parties)
    return Curation(((e.id, e.label, e.country) for e in entities.values()), bases, up, named,
                    (s.id for s in dataset.sources.values() if s.reliability == "F"),
                    "relations.csv" not in unreadable)


def countries_reached(up: dict[str, list[str]], codes: dict[str, str]
                      ) -> dict[str, frozenset[str]]:
    """The country codes each node of *up* reaches, a Country ending each path.

    Parameters
    ----------
    up : dict
        Node id -> the ids it is placed in (LOCATED_IN, HEADQUARTERED_IN).
    codes : dict
        The id -> ISO code of every Country; a walk stops at a Country.

    Returns
    -------
    dict
        Every non-Country node of *up* -> the codes of the Countries it reaches.

    The strongly connected components are found with an iterative Tarjan walk, which
    finishes each component after every component it reaches, so each gets its codes from
    its successors' at once: linear in nodes and edges (times the codes per node), with no
    recursion, whatever the depth of a chain or the shape of a cycle. A node that reaches
    what one successor reaches shares that successor's set (a deep chain keeps one set).

    Examples
    --------
    >>> sorted(countries_reached({"gent": ["flanders"], "flanders": ["be"]}, {"be": "BE"}))
    ['flanders', 'gent']
    >>> countries_reached({"a": ["b"], "b": ["a", "de"]}, {"de": "DE"})["a"]
    frozenset({'DE'})
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    reached: dict[str, frozenset[str]] = {}
    single: dict[str, frozenset[str]] = {}  # Country id -> the set of its code alone
    empty: frozenset[str] = frozenset()

    def enter(node: str) -> tuple[str, Iterator[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return node, iter(up.get(node, ()))

    for root in up:
        if root in reached or root in codes:
            continue
        # the common shape first: a chain of nodes with one place each, ending at a Country
        # or at a node already done, takes the value at its end
        path, node, on_path = [], root, set()
        while node not in reached and node not in codes and node not in on_path:
            successors = up.get(node, ())
            if len(successors) != 1:
                break
            on_path.add(node)
            path.append(node)
            node = successors[0]
        else:
            if node not in on_path:  # not a cycle
                value = reached[node] if node in reached else (
                    single.get(node) or single.setdefault(node, frozenset((codes[node],))))
                for member in path:
                    reached[member] = value
                continue
        work = [enter(root)]
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt in codes or (nxt in reached and nxt not in index):
                    continue
                if nxt not in index:
                    work.append(enter(nxt))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    _finish_component(node, stack, on_stack, up, codes, reached, empty,
                                      single)
    return reached


def _finish_component(node: str, stack: list[str], on_stack: set[str],
                      up: dict[str, list[str]], codes: dict[str, str],
                      reached: dict[str, frozenset[str]], empty: frozenset[str],
                      single: dict[str, frozenset[str]]) -> None:
    """Pop the component rooted at *node* and give each member what the component reaches."""
    successors = up.get(node, ())
    if stack[-1] == node and len(successors) == 1:  # the common case: one node, one place
        stack.pop()
        on_stack.discard(node)
        nxt = successors[0]
        if nxt in codes:  # one set per code, shared
            reached[node] = single.get(nxt) or single.setdefault(nxt, frozenset((codes[nxt],)))
        else:
            reached[node] = reached.get(nxt, empty)
        return
    members = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        members.append(member)
        if member == node:
            break
    inside = set(members)
    direct: set[str] = set()
    parts: dict[int, frozenset[str]] = {}
    for member in members:
        for nxt in up.get(member, ()):
            if nxt in codes:
                direct.add(codes[nxt])
            elif nxt not in inside:
                part = reached[nxt]
                parts.setdefault(id(part), part)
    if not direct and len(parts) <= 1:
        result = next(iter(parts.values()), empty)
    else:
        result = frozenset(direct).union(*parts.values())
    for member in members:
        reached[member] = result


def _display(data_dir: Path, name: str) -> str:
    return str(data_dir / name)


def _read(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    """The records and errors of a dataset folder in any format (an older one is read
    through an upgraded copy, with a note; messages name the folder's own files)."""
    fmt = formats.dataset_format(data_dir)
    if fmt == formats.CURRENT:
        return _read_current(data_dir)
    from .transaction import reading

    formats.note_older(data_dir, fmt)
    with reading(data_dir), tempfile.TemporaryDirectory(prefix="autograph-format-") as tmp:
        formats.upgraded_copy(data_dir, tmp)
        dataset, problems = _read_current(Path(tmp))
    dataset.path = data_dir
    return dataset, [dataclasses.replace(p, path=_display(data_dir, Path(p.path).name))
                     for p in problems]


def _read_current(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    from .transaction import reading

    with no_gc(), reading(data_dir):  # never while a change is being put in place
        key = _cache_key(data_dir) if _cache_wanted(data_dir) else None
        if key is not None:
            cached = _cache_load(key)
            if cached is not None:
                print(f"note: {data_dir} is unchanged since it was last validated; read from "
                      f"the cache ({_cache_dir()}; AUTOGRAPH_CACHE=off to bypass)",
                      file=sys.stderr)
                cached.path = data_dir
                return cached, []
        dataset = _columnar_dataset(data_dir)
        if dataset is not None:  # as fast as the cache: not stored
            return dataset, []
        dataset, problems = _read_all(data_dir)
        # stored only if the files did not change while they were read
        if key is not None and not problems and _cache_key(data_dir) == key:
            _cache_store(key, dataset)
        return dataset, problems


# --- the cache of validated datasets ------------------------------------------------------
# A valid dataset of at least CACHE_MIN_BYTES is kept, keyed by a hash of its files' content
# and of the code that validates it, so a second command on unchanged files skips reading
# and validating; any edit (or a new autograph) changes the key. Small datasets read faster
# than the cache would.

CACHE_MIN_BYTES = 1_000_000
_CODE = tuple(Path(__file__).with_name(n) for n in ("dataset.py", "records.py", "schema.py"))
_RECORDS = {"sources": Source, "entities": Entity, "relations": Relation, "deals": Deal}


def _cache_dir() -> Path:
    base = os.environ.get("AUTOGRAPH_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "autograph")
    return Path(base)


def _cache_wanted(data_dir: Path) -> bool:
    if os.environ.get("AUTOGRAPH_CACHE", "").lower() in ("off", "0", "no"):
        return False
    try:
        return sum((data_dir / n).stat().st_size for n in COLUMNS
                   if (data_dir / n).is_file()) >= CACHE_MIN_BYTES
    except OSError:
        return False


def _cache_key(data_dir: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (*_fingerprint(data_dir), *(p.read_bytes() for p in _CODE)):
        digest.update(b"-" if part is None else part)
    return digest.hexdigest()


def _cache_load(key: str) -> Dataset | None:
    try:
        tables = marshal.loads((_cache_dir() / f"dataset-{key}.marshal").read_bytes())
        out = {}
        for name, cls in _RECORDS.items():
            fields = tables[name][0]
            if tuple(fields) != tuple(f.name for f in dataclasses.fields(cls)):
                return None
            out[name] = {row[0]: _record(cls, dict(zip(fields, row)))
                         for row in tables[name][1]}
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
        return None  # missing or damaged: read the files instead
    return Dataset(**out)


def _cache_store(key: str, dataset: Dataset) -> None:
    tables = {}
    for name, cls in _RECORDS.items():
        fields = tuple(f.name for f in dataclasses.fields(cls))
        assert fields[0] == "id"
        tables[name] = (fields, [tuple(rec.__dict__[f] for f in fields)
                                 for rec in getattr(dataset, name).values()])
    folder = _cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # private: it holds copies of private datasets
        for old in folder.glob("dataset-*.marshal*"):  # one dataset kept: the cache stays small
            old.unlink(missing_ok=True)
        tmp = folder / f"dataset-{key}.marshal.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(tables))
        os.replace(tmp, folder / f"dataset-{key}.marshal")
    except OSError:
        return  # an unwritable cache only costs speed


def _read_all(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    problems: list[Problem] = []
    readers = {name: _Reader(data_dir / name, _display(data_dir, name), problems)
               for name in COLUMNS}
    sources = _read_sources(readers["sources.csv"])
    entities = _read_entities(readers["entities.csv"])
    relations = _read_relations(readers["relations.csv"])
    deals = _read_deals(readers["deals.csv"])
    unreadable = {name for name, rd in readers.items() if rd.unreadable}
    _check_aliases(readers["entities.csv"], entities)
    _check_countries(readers["entities.csv"], entities)
    _check_relations(readers["relations.csv"], relations, entities, sources, deals, unreadable)
    _check_deals(readers["deals.csv"], deals, entities, sources, relations, unreadable)
    _apply_properties(readers["properties.csv"], entities, relations, sources, deals, unreadable)
    _sort(problems)
    dataset = Dataset(
        entities={k: v for k, (_, v) in entities.items()},
        relations={k: v for k, (_, v) in relations.items()},
        sources={k: v for k, (_, v) in sources.items()},
        deals={k: v for k, (_, v) in deals.items()},
        path=data_dir)
    # where each entity and source is, and what could not be read, for the curation warnings
    dataset._lines = ({k: line for k, (line, _) in entities.items()},
                      {k: line for k, (line, _) in sources.items()})
    dataset._unreadable = unreadable
    return dataset, problems


def _sort(problems: list[Problem]) -> None:
    problems.sort(key=lambda p: (list(COLUMNS).index(Path(p.path).name), p.line or 0))


def _warnings(found: Iterable[tuple[str, str, str, str, str]], folder: Path,
              lines: tuple[dict[str, int], dict[str, int]] | None = None) -> list[Problem]:
    """Curation warnings as Problems, each at its line (found by a scan of the file when
    *lines* are not known: only when there is a warning)."""
    found = list(found)
    if found and lines is None:
        lines = tuple(_id_lines(folder, name, {f[2] for f in found if f[1] == name})
                      for name in ("entities.csv", "sources.csv"))
    warnings = [Problem(_display(folder, name), lines[name == "sources.csv"].get(rid), field,
                        message, warning=rule)
                for rule, name, rid, field, message in found]
    _sort(warnings)
    return warnings


def _id_lines(folder: Path, name: str, wanted: set[str]) -> dict[str, int]:
    """The line of each *wanted* id in a valid file (none read when none is wanted)."""
    out: dict[str, int] = {}
    if wanted:
        for line, row in _Reader(folder / name, name, []).rows():
            if row["id"] in wanted:
                out.setdefault(row["id"], line)
                if len(out) == len(wanted):
                    break
    return out


def validate_dataset(data_dir: str | Path | None = None) -> list[Problem]:
    """Return every problem in the dataset folder (empty when it is valid and curated).

    Parameters
    ----------
    data_dir : path, optional
        A folder with the dataset's CSV files; the default dataset when None
        (:func:`graph.resources.data_dir`).

    Returns
    -------
    list of Problem
        Errors (the graph would be wrong or cannot be built) and curation warnings
        (``problem.warning`` names the rule: the graph can be built; ``validate --strict``
        refuses them), in file and line order.
    """
    return _validate(resources.data_dir(data_dir))[0]


def _validate(folder: Path) -> tuple[list[Problem], dict[str, int]]:
    """Every problem, and the record counts."""
    columnar = _columnar(folder)
    tables = None if columnar is None else current_tables(folder)
    if tables is not None:  # valid: the warnings read the columns, no records are built
        _HANDOFF.clear()
        counts = {name: tables[f"{name}.csv"].height
                  for name in ("entities", "relations", "deals", "sources")}
        return _warnings(curation_warnings(columnar.curation(tables)), folder), counts
    dataset, problems = _read(folder)
    if not problems:
        # `validate` and other callers check, then load: hand this read to the next
        # load_dataset of the same, unchanged files instead of reading them twice
        _HANDOFF.clear()
        _HANDOFF[folder.resolve()] = (_fingerprint(folder), dataset)
    found = curation_warnings(_curation_of_records(
        dataset, getattr(dataset, "_unreadable", set())))
    problems = problems + _warnings(found, folder, getattr(dataset, "_lines", None))
    _sort(problems)
    counts = {name: len(getattr(dataset, name))
              for name in ("entities", "relations", "deals", "sources")}
    return problems, counts


def check_dataset(data_dir: str | Path | None = None, *, strict: bool = False
                  ) -> tuple[dict[str, int], list[Problem]]:
    """Validate a dataset folder and count its records, without keeping them.

    Parameters
    ----------
    data_dir : path, optional
        A folder with the dataset's CSV files; the default dataset when None.
    strict : bool
        Refuse curation warnings too.

    Returns
    -------
    (dict, list of Problem)
        The number of ``entities``, ``relations``, ``deals`` and ``sources``, and the
        curation warnings.

    Raises
    ------
    DataValidationError
        With every error found (and every warning when *strict*), each as
        ``file:line: field: message``.

    Examples
    --------
    >>> counts, warnings = check_dataset(strict=True)
    >>> counts["deals"] > 0, warnings
    (True, [])
    """
    problems, counts = _validate(resources.data_dir(data_dir))
    refused = [p for p in problems if strict or not p.warning]
    if refused:
        raise DataValidationError(refused)
    return counts, problems


# A dataset of at least this many bytes is first checked whole with polars
# (graph.columnar); below it, reading it in Python is faster than importing polars.
COLUMNAR_MIN_BYTES = 1_000_000


def _columnar(folder: Path):
    """The columnar module if *folder* is large enough to gain from it (and polars is
    installed), else None."""
    try:
        size = sum((folder / n).stat().st_size for n in COLUMNS if (folder / n).is_file())
    except OSError:
        return None
    if size < COLUMNAR_MIN_BYTES:
        return None
    try:
        from . import columnar
    except ImportError:  # no polars: the Python reader does it all
        return None
    return columnar


def current_tables(folder: Path):
    """The checked columns (:func:`graph.columnar.checked_tables`) of a dataset folder in the
    current format, read under the shared lock (never while a change is being put in
    place); None for an older format (read through its upgraded copy instead) or when the
    column check leaves the dataset to the reader. A manifest naming an unknown format is
    refused here."""
    if formats.dataset_format(folder) != formats.CURRENT:
        return None
    from . import columnar
    from .transaction import reading

    with reading(folder):
        return columnar.checked_tables(folder)


def large_dataset_folder(data_dir: str | Path | None) -> Path | None:
    """The dataset folder if it is large enough for the columnar path (and polars is
    installed), else None."""
    folder = resources.data_dir(data_dir)
    return folder if _columnar(folder) is not None else None


def _columnar_dataset(folder: Path) -> Dataset | None:
    """The records built from the columns if the columnar check finds the dataset valid,
    else None (then the Python reader reads it and words every problem)."""
    columnar = _columnar(folder)
    return None if columnar is None else columnar.read_dataset(folder)


# folder -> (fingerprint of its files, the Dataset read from them), for one load_dataset
_HANDOFF: dict[Path, tuple[tuple, Dataset]] = {}


def _fingerprint(folder: Path) -> tuple:
    """A hash of each dataset file's content (None when absent): never serves stale data,
    even after an edit that keeps the size and the coarse modification time."""
    out = []
    for name in COLUMNS:
        try:
            out.append(hashlib.blake2b((folder / name).read_bytes()).digest())
        except OSError:
            out.append(None)
    return tuple(out)


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
    folder = resources.data_dir(data_dir)
    handed = _HANDOFF.pop(folder.resolve(), None)
    _HANDOFF.clear()  # held for the very next load only
    if handed is not None and handed[0] == _fingerprint(folder):
        return handed[1]
    dataset, problems = _read(folder)
    if problems:
        raise DataValidationError(problems)
    return dataset
