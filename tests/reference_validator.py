"""The slow, obviously correct reference validator: the Python reader every rule was first
written in, row by row (``file:line: field: message``), kept here to judge the validator of
:mod:`graph.dataset` on any input hypothesis draws (``tests/test_dataset_reference.py``).

It reads each file with :mod:`csv` and checks each row in turn; the curation warnings walk
the places breadth-first from every entity (quadratic: small datasets only). It is not
used by the package.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph import schema
from graph.errors import Problem
from graph.records import (_FLOAT_RE, _SOURCE_ID_RE, COLUMNS, DATE_BASES, Curation, Dataset,
                           Deal, Entity, Relation, Source, _convert, _split, date_start, fold,
                           parse_date, party_id)


def reference_problems(folder: str | Path) -> list[Problem]:
    """Every error and curation warning of a dataset folder (current format), in the
    validator's order: by file, then line; at one line in the order the rules run, warnings
    last."""
    folder = Path(folder)
    dataset, problems = _read_all(folder)
    lines = dataset._lines
    for rule, name, rid, field_name, message in reference_warnings(
            _curation_of_records(dataset, dataset._unreadable)):
        problems.append(Problem(str(folder / name), lines[name == "sources.csv"].get(rid),
                                field_name, message, warning=rule))
    _sort(problems)
    return problems


def reference_warnings(c: Curation) -> Iterator[tuple[str, str, str, str, str]]:
    """The curation warnings of :func:`graph.dataset.curation_warnings`, with each entity's
    countries found by a breadth-first walk of its own."""
    entities = list(c.entities)
    codes = {eid: country for eid, label, country in entities if label == "Country"}
    for eid, label, country in entities:
        if label in schema.ACTORS and eid not in c.bases and c.relations_known:
            yield ("base", "entities.csv", eid, "id", f"{label} {eid!r} has no base: add a "
                   "HEADQUARTERED_IN relation to the most precise place known")
        if label == "Country":
            if eid not in c.named and c.relations_known:
                yield ("isolated", "entities.csv", eid, "id",
                       f"Country {eid!r} is isolated: no relation names it")
            continue
        places, seen, todo = set(), {eid}, [eid]
        while todo:
            node = todo.pop()
            for nxt in c.up.get(node, ()):
                if nxt in codes:
                    places.add(codes[nxt])
                elif nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        if places and (country not in places or len(places) > 1):
            yield ("country", "entities.csv", eid, "country",
                   f"{country or 'empty'!r} disagrees with the graph, which places {eid!r} in "
                   f"{', '.join(sorted(places))}")
    for sid in c.ungraded:
        yield ("ungraded", "sources.csv", sid, "reliability", f"source {sid!r} is not graded "
               "(F: cannot be judged); grade it A-E once its reliability is known")


def _display(data_dir: Path, name: str) -> str:
    return str(data_dir / name)


# a header of a million columns is one clear message, not a million lines
_MAX_HEADER_PROBLEMS = 20


def _encoding_hint(path: Path) -> str:
    """Name the likely encoding of a file that is not UTF-8, so the fix is clear."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        return "; it looks like UTF-16: save it as UTF-8"
    return "; it may be Latin-1 or Windows-1252: save it as UTF-8"


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

    def need(self, line: int, row: dict[str, str], *fields: str) -> bool:
        ok = True
        for name in fields:
            if not row.get(name):
                self.problem(line, name, "required value is empty")
                ok = False
        return ok

    def need_required(self, line: int, row: dict[str, str]) -> bool:
        return self.need(line, row, *COLUMNS[self.path.name][0])

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

    def enum(self, line: int, row: dict[str, str], name: str, allowed: Any) -> bool:
        value = row.get(name, "")
        if value not in allowed:
            self.problem(line, name, f"{value!r} is not one of {', '.join(allowed)}")
            return False
        return True

    def provenance(self, line: int, row: dict[str, str]) -> dict[str, Any] | None:
        """Status, confidence, dates and sources shared by relations and deals."""
        ok = self.enum(line, row, "status", schema.STATUSES)
        try:
            if not _FLOAT_RE.match(row["confidence"]):  # float() takes other scripts' digits
                raise ValueError
            confidence = float(row["confidence"])
            if not 0.0 <= confidence <= 1.0:
                raise ValueError
        except ValueError:
            self.problem(line, "confidence", f"{row['confidence']!r} is not a number from 0 to 1")
            ok = False
        dates = {name: self.date(line, row, name) for name in ("date", "endDate", "asOf")}
        if any(row.get(name) and not value for name, value in dates.items()):
            ok = False
        elif dates["endDate"]:
            if row["status"] != "ended":
                self.problem(line, "endDate", f"an endDate needs status 'ended', not "
                             f"{row['status']!r}")
                ok = False
            elif dates["date"] and date_start(dates["endDate"]) < date_start(dates["date"]):
                self.problem(line, "endDate", f"{dates['endDate']!r} is before the start date "
                             f"{dates['date']!r}")
                ok = False
        sources = _split(row["sources"])
        if not sources:
            self.problem(line, "sources", "no source id given")
            ok = False
        if not ok:
            return None
        return dict(status=row["status"], confidence=confidence, sources=sources, **dates)


def _read_sources(rd: _Reader) -> dict[str, tuple[int, Source]]:
    out: dict[str, tuple[int, Source]] = {}
    for line, row in rd.rows():
        if not rd.need_required(line, row):
            continue
        sid = row["id"]
        if not _SOURCE_ID_RE.match(sid):
            rd.problem(line, "id", f"{sid!r} is not a valid source id (letters, digits, _ . -)")
            continue
        if sid in out:
            rd.problem(line, "id", f"duplicate source id {sid!r} (first on line {out[sid][0]})")
            continue
        ok = rd.enum(line, row, "kind", schema.SOURCE_KINDS)
        ok = rd.enum(line, row, "reliability", schema.RELIABILITY) and ok
        if row["kind"] == "reference" and not row.get("url"):
            rd.problem(line, "url", "a reference source needs the url it can be checked at")
            ok = False
        date = rd.date(line, row, "date")
        basis = row.get("dateBasis", "")
        if basis and basis not in DATE_BASES:
            rd.problem(line, "dateBasis", f"{basis!r} is not one of {', '.join(DATE_BASES)}")
        elif date and not basis:
            rd.problem(line, "dateBasis", "a dated source needs a dateBasis "
                       f"({', '.join(DATE_BASES)})")
        if ok:
            out[sid] = (line, Source(
                id=sid, kind=row["kind"], file=row.get("file", ""), title=row["title"],
                publisher=row.get("publisher", ""), date=date, dateBasis=basis,
                url=row.get("url", ""), references=_split(row.get("references", "")),
                language=row.get("language", ""), reliability=row["reliability"],
                reliabilityNote=row["reliabilityNote"], note=row.get("note", "")))
    return out


def _read_entities(rd: _Reader) -> dict[str, tuple[int, Entity]]:
    out: dict[str, tuple[int, Entity]] = {}
    for line, row in rd.rows():
        if not rd.need_required(line, row):
            continue
        eid, label = row["id"], row["label"]
        ok = rd.new_id(line, eid, out, "entity")
        if label not in schema.NODE_LABELS:
            rd.problem(line, "label",
                       f"unknown label {label!r}; expected one of {', '.join(schema.NODE_LABELS)}")
            ok = False
        elif label == "Deal":
            rd.problem(line, "label", "a Deal is declared in deals.csv, not as an entity")
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
        if not rd.need_required(line, row):
            continue
        rid, rtype = row["id"], row["type"]
        ok = rd.new_id(line, rid, out, "relation")
        if rtype not in schema.REL_TYPES:
            rd.problem(line, "type", f"unknown relationship type {rtype!r}; expected one of "
                       f"{', '.join(schema.REL_TYPES)}")
            ok = False
        elif rtype == "PARTY_TO":
            rd.problem(line, "type", "PARTY_TO comes from the parties column of deals.csv")
            ok = False
        deal = row.get("deal", "")
        if deal and not schema.SLUG_RE.match(deal):
            rd.problem(line, "deal", f"{deal!r} is not a slug (lowercase letters, digits, hyphens)")
            ok = False
        prov = rd.provenance(line, row)
        if ok and prov is not None:
            out[rid] = (line, Relation(
                id=rid, type=rtype, source=row["source"], target=row["target"],
                evidence=row["evidence"], deal=deal,
                disputedBy=_split(row.get("disputedBy", "")), properties={}, **prov))
    return out


def _read_deals(rd: _Reader) -> dict[str, tuple[int, Deal]]:
    out: dict[str, tuple[int, Deal]] = {}
    for line, row in rd.rows():
        if not rd.need_required(line, row):
            continue
        ok = rd.new_id(line, row["id"], out, "deal")
        parties = []
        for item in _split(row["parties"]):
            eid, sep, role = (v.strip() for v in item.partition(":"))
            if not sep or not eid or not role:
                rd.problem(line, "parties", f"{item!r} is not entity:role")
                ok = False
            else:
                parties.append((eid, role))
        if ok and len({eid for eid, _ in parties}) < 2:
            rd.problem(line, "parties", "a deal needs at least two distinct parties")
            ok = False
        prov = rd.provenance(line, row)
        if ok and prov is not None:
            out[row["id"]] = (line, Deal(
                id=row["id"], name=row["name"], kind=row.get("kind", ""),
                parties=tuple(parties), evidence=row["evidence"], properties={}, **prov))
    return out


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
