"""Apply reviewed candidates to a dataset, or combine two datasets.

Both go through the canonical writer (:func:`graph.writer.write_dataset`): the merged dataset
is validated before anything is written and the files are replaced atomically.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..dataset import COLUMNS, Dataset, Entity, Relation, Source, load_dataset, _convert
from ..errors import IngestError
from ..writer import write_dataset
from .candidates import (REJECTIONS_FILE, Candidates, read_candidates, rejection_key,
                         write_candidates)
from .lexicon import name_key

__all__ = ["MergeReport", "merge_candidates", "merge_datasets"]


@dataclass
class MergeReport:
    """What a merge did; ``rows()`` gives one line per item for printing."""

    added: list[tuple[str, str, str]] = field(default_factory=list)     # kind, id, what
    skipped: list[tuple[str, str, str]] = field(default_factory=list)   # kind, id, why
    rejected: int = 0
    review_dir: Path | None = None
    files: list[Path] = field(default_factory=list)

    def rows(self) -> list[dict[str, str]]:
        return ([{"": "added", "kind": k, "id": i, "detail": d} for k, i, d in self.added] +
                [{"": "skipped", "kind": k, "id": i, "detail": d} for k, i, d in self.skipped])


def _fields(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _record(cls, row: dict[str, str], **override: Any):
    """Build a dataset record from a candidates row, for whatever fields the model has."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name == "properties" or f.name not in row:
            continue
        raw = row[f.name]
        default = f.default if f.default is not dataclasses.MISSING else None
        if raw == "" and default:  # an empty cell takes the model's default ("F", "article")
            continue
        if isinstance(default, tuple) or f.name in ("aliases", "sources", "references",
                                                     "disputedBy"):
            values[f.name] = _split(raw)
        elif f.name == "confidence":
            values[f.name] = float(raw or 0.5)
        else:
            values[f.name] = raw
    values.update(override)
    if "properties" in _fields(cls):
        values.setdefault("properties", {})
    return cls(**values)


def merge_candidates(folder: str | Path, data_dir: str | Path | None = None, *,
                     today: str | None = None) -> MergeReport:
    """Add the accepted candidates of *folder* to the dataset in *data_dir*.

    * An entity candidate is added when accepted or when an accepted relation needs it
      (unless rejected); with a ``sameAs`` it is merged into that entity as aliases instead.
    * A relation is added unless the dataset already has one of its type between the same
      entities citing the same source (so merging twice changes nothing).
    * The article's source is added with the first accepted candidate that cites it; if
      neither it nor the relation has a date, the relation's ``asOf`` is *today*.
    * Rejected candidates are appended to ``rejections.csv`` in the dataset folder, and a
      later ``ingest`` against it does not propose them again.
    """
    c = read_candidates(folder)
    ds = load_dataset(data_dir)
    target = Path(ds.path)
    today = today or dt.date.today().isoformat()
    report = MergeReport()
    entities, relations, sources = dict(ds.entities), dict(ds.relations), dict(ds.sources)
    by_candidate: dict[str, str] = {}
    cand_rows = {e["id"]: e for e in c.entities}
    accepted_rels = [r for r in c.relations if r.get("decision") == "accept"]
    needed = {r[end] for r in accepted_rels for end in ("source", "target")}

    def entity_for(cid: str) -> str | None:
        if cid in entities and cid not in cand_rows:
            return cid
        if cid in by_candidate:
            return by_candidate[cid]
        row = cand_rows.get(cid)
        if row is None or row.get("decision") == "reject":
            return None
        if row.get("decision") != "accept" and cid not in needed:
            return None
        match = row.get("sameAs", "")
        if match:
            if match not in entities:
                raise IngestError(f"{c.path}/entities.csv: {cid}: sameAs {match!r} is not an "
                                  "entity of the dataset")
            old = entities[match]
            extra = [a for a in (row["name"], *_split(row.get("aliases", "")))
                     if name_key(a) not in {name_key(x) for x in (old.name, *old.aliases)}]
            if extra:
                entities[match] = dataclasses.replace(old, aliases=old.aliases + tuple(extra))
                report.added.append(("alias", match, ", ".join(extra)))
            by_candidate[cid] = match
            return match
        names = {name_key(row["name"]), *(name_key(a) for a in _split(row.get("aliases", "")))}
        same = [e.id for e in entities.values() if e.label == row["label"] and
                names & {name_key(x) for x in (e.name, *e.aliases)}]
        if same:  # merged before, or named like an existing entity of the same label
            by_candidate[cid] = same[0]
            return same[0]
        eid = cid
        n = 2
        while eid in entities or eid in relations:
            eid, n = f"{cid}-{n}", n + 1
        entities[eid] = _record(Entity, {**row, "id": eid})
        by_candidate[cid] = eid
        report.added.append(("entity", eid, f"{row['label']} {row['name']}"))
        return eid

    def source_for(sid: str) -> bool:
        if sid in sources:
            return True
        row = next((s for s in c.sources if s["id"] == sid), None)
        if row is None or row.get("decision") == "reject":
            return False
        sources[sid] = _record(Source, row)
        report.added.append(("source", sid, row.get("title", "")))
        return True

    for row in c.entities:
        if row.get("decision") == "accept":
            entity_for(row["id"])
    existing = {(r.type, r.source, r.target, s) for r in relations.values() for s in r.sources}
    for row in accepted_rels:
        src, tgt = entity_for(row["source"]), entity_for(row["target"])
        if src is None or tgt is None:
            report.skipped.append(("relation", row["id"], "an end is a rejected or unknown "
                                   "entity"))
            continue
        cited = [s for s in _split(row.get("sources", "")) if source_for(s)]
        if not cited:
            report.skipped.append(("relation", row["id"], "its source was rejected"))
            continue
        pairs = [(src, tgt)] + ([(tgt, src)] if schema.REL_TYPES[row["type"]].symmetric else [])
        if any((row["type"], a, b, s) in existing for a, b in pairs for s in cited):
            report.skipped.append(("relation", row["id"], "already in the dataset"))
            continue
        rid, n = row["id"], 2
        while rid in relations or rid in entities:
            rid, n = f"{row['id']}-{n}", n + 1
        dated = row.get("date") or any(sources[s].date for s in cited)
        rel = _record(Relation, {**row, "id": rid, "source": src, "target": tgt,
                                 "sources": "|".join(cited)},
                      **({} if dated or row.get("asOf") else {"asOf": today}))
        relations[rid] = rel
        existing |= {(rel.type, src, tgt, s) for s in cited}
        by_candidate[row["id"]] = rid
        report.added.append(("relation", rid, f"{src} {row['type']} {tgt}"))
    _add_bases(c, ds, entities, relations, sources, by_candidate, today, report)
    meta: dict[tuple[str, str], dict[str, str]] = {}
    for row in c.properties:
        if row.get("decision") != "accept":
            continue
        subject = by_candidate.get(row["subject"], row["subject"])
        spec = schema.ENTITY_PROPERTIES.get(row["key"]) or \
            schema.RELATION_PROPERTIES.get(row["key"])
        holder = entities if subject in entities else relations if subject in relations \
            else None
        if holder is None or spec is None or not source_for(row["source"]):
            report.skipped.append(("figure", f"{row['subject']}.{row['key']}",
                                   "its subject was not merged"))
            continue
        try:
            value = _convert(row["value"], spec.type)
        except ValueError as err:
            raise IngestError(f"{c.path}/properties.csv: {row['subject']}.{row['key']}: "
                              f"{row['value']!r} is not a {spec.type}") from err
        holder[subject].properties[row["key"]] = value
        meta[subject, row["key"]] = {"source": row["source"], "note": row.get("note", "")}
        report.added.append(("figure", f"{subject}.{row['key']}", row["value"]))
    merged = dataclasses.replace(ds, entities=entities, relations=relations, sources=sources)
    report.files = write_dataset(merged, target, property_meta=meta)
    report.rejected = _remember_rejections(c, target, today)
    return report


def _add_bases(c: Candidates, ds: Dataset, entities, relations, sources, by_candidate,
               today: str, report: MergeReport) -> None:
    """Every actor needs a base (HEADQUARTERED_IN). A new actor without an accepted one is
    based in the Country of its ``country`` code, citing the article it was found in."""
    based = {r.source for r in relations.values() if r.type == "HEADQUARTERED_IN"}
    countries = {e.country: e.id for e in entities.values() if e.label == "Country"}
    for row in c.entities:
        eid = by_candidate.get(row["id"])
        if eid is None or eid in ds.entities or eid in based or \
                entities[eid].label not in schema.ACTORS:
            continue
        country = countries.get(entities[eid].country)
        sid = row.get("article") or next(iter(s["id"] for s in c.sources), "")
        if country is None or not sid or sid not in sources:
            continue  # validation then says the entity has no base
        rid = f"{eid}-hq-{country}"
        dated = bool(sources[sid].date)
        relations[rid] = Relation(
            id=rid, type="HEADQUARTERED_IN", source=eid, target=country, status="active",
            confidence=0.5, sources=(sid,), evidence=(
                f"{entities[eid].name} is based in {entities[country].name}: the country "
                f"ingest read from {sid} and the review kept."),
            **({} if dated else {"asOf": today}))
        based.add(eid)
        report.added.append(("relation", rid, f"{eid} HEADQUARTERED_IN {country} (base from "
                                              "its country)"))


def _remember_rejections(c: Candidates, target: Path, today: str) -> int:
    rows = []
    for kind, items in (("entity", c.entities), ("relation", c.relations)):
        for row in items:
            if row.get("decision") == "reject":
                key = rejection_key(kind, row)
                rows.append({"kind": kind, "key": "|".join(key[1:]), "candidate": row["id"],
                             "source": row.get("article", ""), "date": today})
    if not rows:
        return 0
    path = target / REJECTIONS_FILE
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    seen = {line.split(",")[0:2].__str__() for line in old.splitlines()}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["kind", "key", "candidate", "source", "date"],
                       lineterminator="\n")
    if not old:
        w.writeheader()
    for row in rows:
        if [row["kind"], row["key"]].__str__() not in seen:
            w.writerow(row)
    tmp = path.with_name(f".{REJECTIONS_FILE}.tmp")
    tmp.write_text(old + buf.getvalue(), encoding="utf-8")
    tmp.replace(path)
    return len(rows)


def merge_datasets(other_dir: str | Path, data_dir: str | Path | None = None, *,
                   review_dir: str | Path | None = None, threshold: float = 85.0
                   ) -> MergeReport:
    """Combine another dataset folder into *data_dir*.

    Entities are resolved by id, then by name and alias (folded with
    :func:`~graph.ingest.lexicon.name_key`): an entity whose id, name or alias names exactly
    one entity of the same label is that entity (its new aliases are added); one that is only
    close (rapidfuzz token-sort ratio >= *threshold*, or an exact name of another label) is
    **not guessed**: it goes, with the relations that touch it, to a candidates folder
    (*review_dir*) whose ``sameAs`` column names the likely entity, for ``review`` and
    ``merge``. Everything else is added; relations already present (same type, ends and
    source) are skipped. Sources are added by id.
    """
    from rapidfuzz import fuzz, process

    other = load_dataset(other_dir)
    ds = load_dataset(data_dir)
    report = MergeReport()
    entities, relations, sources = dict(ds.entities), dict(ds.relations), dict(ds.sources)
    keys: dict[str, set[str]] = {}
    for e in entities.values():
        for form in (e.id, e.name, *e.aliases):
            keys.setdefault(name_key(form), set()).add(e.id)
    mapping: dict[str, str] = {}
    uncertain: dict[str, str] = {}
    choices = {f"{e.id}\x00{form}": form for e in entities.values()
               for form in (e.name, *e.aliases)}
    for e in other.entities.values():
        same = set()
        for form in (e.name, *e.aliases):
            same |= keys.get(name_key(form), set())
        if e.id in entities:
            same.add(e.id)
        fitting = {x for x in same if entities[x].label == e.label}
        if len(fitting) == 1 and (e.id not in entities or e.id in fitting):
            eid = fitting.pop()
            mapping[e.id] = eid
            old = entities[eid]
            extra = tuple(a for a in (e.name, *e.aliases) if name_key(a) not in
                          {name_key(x) for x in (old.id, old.name, *old.aliases)})
            if extra:
                entities[eid] = dataclasses.replace(old, aliases=old.aliases + extra)
                report.added.append(("alias", eid, ", ".join(extra)))
            continue
        if same:
            uncertain[e.id] = sorted(same)[0]
            continue
        best = process.extractOne(e.name, choices, scorer=fuzz.token_sort_ratio,
                                  processor=name_key, score_cutoff=threshold)
        if best:
            uncertain[e.id] = best[2].split("\x00")[0]
            continue
        eid, n = e.id, 2
        while eid in entities or eid in relations:
            eid, n = f"{e.id}-{n}", n + 1
        entities[eid] = dataclasses.replace(e, id=eid, properties=dict(e.properties))
        mapping[e.id] = eid
        report.added.append(("entity", eid, f"{e.label} {e.name}"))
    for sid, s in other.sources.items():
        if sid not in sources:
            sources[sid] = s
            report.added.append(("source", sid, s.title))
    existing = {(r.type, r.source, r.target, s) for r in relations.values() for s in r.sources}
    held: list[Relation] = []
    for r in other.relations.values():
        if r.source in uncertain or r.target in uncertain:
            held.append(r)
            continue
        src, tgt = mapping[r.source], mapping[r.target]
        if any((r.type, src, tgt, s) in existing for s in r.sources):
            report.skipped.append(("relation", r.id, "already in the dataset"))
            continue
        rid, n = r.id, 2
        while rid in relations or rid in entities:
            rid, n = f"{r.id}-{n}", n + 1
        relations[rid] = dataclasses.replace(r, id=rid, source=src, target=tgt,
                                             properties=dict(r.properties))
        report.added.append(("relation", rid, f"{src} {r.type} {tgt}"))
    deals = dict(getattr(ds, "deals", {}))
    for d in getattr(other, "deals", {}).values():
        if d.id in deals:
            report.skipped.append(("deal", d.id, "a deal with this id is already in the "
                                   "dataset"))
        elif any(party in uncertain for party, _ in d.parties):
            report.skipped.append(("deal", d.id, "a party is uncertain; merge it again after "
                                   "the review"))
        else:
            deals[d.id] = dataclasses.replace(
                d, parties=tuple((mapping[p], role) for p, role in d.parties),
                properties=dict(d.properties))
            report.added.append(("deal", d.id, d.name))
    extra = {"deals": deals} if hasattr(ds, "deals") else {}
    merged = dataclasses.replace(ds, entities=entities, relations=relations, sources=sources,
                                 **extra)
    report.files = write_dataset(merged, Path(ds.path))
    if uncertain:
        report.review_dir = _write_review(other, uncertain, mapping, held,
                                          Path(review_dir or f"{Path(other_dir).name}-review"))
        for eid, match in uncertain.items():
            report.skipped.append(("entity", eid, f"uncertain: may be {match!r}; sent to "
                                   f"{report.review_dir}"))
    return report


def _write_review(other: Dataset, uncertain: dict[str, str], mapping: dict[str, str],
                  held: list[Relation], folder: Path) -> Path:
    """The uncertain entities and their relations as a candidates folder."""
    c = Candidates()
    src_cols = COLUMNS["sources.csv"][0] + COLUMNS["sources.csv"][1]
    for s in other.sources.values():
        c.sources.append({k: _cell(getattr(s, k, "")) for k in src_cols} | {"decision":
                                                                              "accept"})
    for eid, match in uncertain.items():
        e = other.entities[eid]
        c.entities.append({"id": e.id, "label": e.label, "name": e.name,
                           "aliases": "|".join(e.aliases), "kind": e.kind,
                           "country": e.country, "description": e.description,
                           "decision": "", "score": "", "cue": "another dataset: similar name",
                           "sameAs": match})
    for r in held:
        row = {f.name: _cell(getattr(r, f.name)) for f in dataclasses.fields(r)
               if f.name != "properties"}
        for end in ("source", "target"):
            if row[end] not in uncertain:
                row[end] = mapping.get(row[end], row[end])
        row.update(decision="", score=_cell(r.confidence), cue="another dataset")
        c.relations.append(row)
    return write_candidates(c, folder)


def _cell(value: Any) -> str:
    from ..writer import format_cell

    return format_cell(value)
