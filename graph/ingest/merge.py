"""Apply reviewed candidates to a dataset, or combine two datasets.

Both go through the canonical writer (:func:`graph.writer.write_dataset`): the merged dataset
is validated before anything is written and the files are replaced atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema, transaction
from ..dataset import (COLUMNS, Dataset, Entity, Relation, Source, _convert,
                       load_dataset)
from ..errors import IngestError
from ..output import csv_text
from ..paths import check_outside
from ..resources import data_dir as resolve_data_dir
from ..writer import write_dataset
from .candidates import (REJECTIONS_FILE, Candidates, read_candidates, rejection_key,
                         rejection_rows, write_new_candidates)
from .lexicon import name_key

__all__ = ["MergeReport", "merge_candidates", "merge_datasets"]


@dataclass
class MergeReport:
    """What a merge did; ``rows()`` gives one line per item for printing."""

    added: list[tuple[str, str, str]] = field(default_factory=list)     # kind, id, what
    skipped: list[tuple[str, str, str]] = field(default_factory=list)   # kind, id, why
    clashes: list[tuple[str, str, str]] = field(default_factory=list)   # kind, their id, how
    rejected: int = 0
    review_dir: Path | None = None
    files: list[Path] = field(default_factory=list)

    def rows(self) -> list[dict[str, str]]:
        return ([{"": "added", "kind": k, "id": i, "detail": d} for k, i, d in self.added] +
                [{"": "skipped", "kind": k, "id": i, "detail": d} for k, i, d in self.skipped] +
                [{"": "id clash", "kind": k, "id": i, "detail": d} for k, i, d in self.clashes])


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

    The whole merge, from reading the dataset to the last file, is one transaction
    (:mod:`graph.transaction`): a concurrent merge waits for it, a kill leaves the old
    dataset or the new one.
    """
    c = read_candidates(folder)
    target = resolve_data_dir(data_dir)
    with transaction.locked(target, "autograph merge"):
        return _merge_candidates(c, target, today)


def _merge_candidates(c: Candidates, target: Path, today: str | None) -> MergeReport:
    ds = load_dataset(target)
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
                raise IngestError(f"{c.where('entities.csv', row)}: sameAs: {match!r} is not "
                                  "an entity of the dataset")
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
        row = next((s for s in c.sources if s["id"] == sid), None)
        if sid in sources:
            ours = sources[sid]
            if row is not None and (row.get("title", ""), row.get("file", "")) != \
                    (ours.title, ours.file):  # never cite our source for another article
                raise IngestError(f"{c.where('sources.csv', row)}: id: {sid!r} is already "
                                  f"the source {ours.title!r} of the dataset; give this "
                                  "article another id")
            return True
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
            raise IngestError(f"{c.where('properties.csv', row)}: value: {row['value']!r} is "
                              f"not a {spec.type} ({row['subject']}.{row['key']})") from err
        holder[subject].properties[row["key"]] = value
        meta[subject, row["key"]] = {"source": row["source"], "note": row.get("note", "")}
        report.added.append(("figure", f"{subject}.{row['key']}", row["value"]))
    merged = dataclasses.replace(ds, entities=entities, relations=relations, sources=sources)
    rejections, report.rejected = _rejections(c, target, today)
    report.files = write_dataset(merged, target, property_meta=meta,
                                 extra={REJECTIONS_FILE: rejections} if rejections else None)
    return report


def _add_bases(c: Candidates, ds: Dataset, entities, relations, sources, by_candidate,
               today: str, report: MergeReport) -> None:
    """Every actor needs a base (HEADQUARTERED_IN). A new actor without an accepted one is
    based in the Country of its ``country`` code, citing the article it was found in."""
    based = {r.source for r in relations.values() if r.type == "HEADQUARTERED_IN"}
    countries = {e.country: e.id for e in entities.values() if e.label == "Country"}
    refused = {(by_candidate.get(r["source"], r["source"]), r["target"]) for r in c.relations
               if r["type"] == "HEADQUARTERED_IN" and r.get("decision") == "reject"}
    for row in c.entities:
        eid = by_candidate.get(row["id"])
        if eid is None or eid in ds.entities or eid in based or \
                entities[eid].label not in schema.ACTORS:
            continue
        country = countries.get(entities[eid].country)
        sid = row.get("article") or next(iter(s["id"] for s in c.sources), "")
        if (eid, country) in refused or (row["id"], country) in refused:
            raise IngestError(f"{c.where('entities.csv', row)}: id: the base of {eid!r} "
                              f"(HEADQUARTERED_IN {country}) was rejected and no other was "
                              "accepted; accept one, or reject the entity too")
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


def _rejections(c: Candidates, target: Path, today: str) -> tuple[str, int]:
    """The new text of ``rejections.csv`` (empty when nothing is rejected) and the number
    of rejected candidates; the file is read, and refused if unreadable, before anything
    is written."""
    rows = []
    for kind, items in (("entity", c.entities), ("relation", c.relations)):
        for row in items:
            if row.get("decision") == "reject":
                key = rejection_key(kind, row)
                rows.append({"kind": kind, "key": "|".join(key[1:]), "candidate": row["id"],
                             "source": row.get("article", ""), "date": today})
    if not rows:
        return "", 0
    old = rejection_rows(target)
    seen = {(r["kind"], r["key"]) for r in old}
    new = [r for r in rows if (r["kind"], r["key"]) not in seen and
           not seen.add((r["kind"], r["key"]))]
    cols = ["kind", "key", "candidate", "source", "date"]
    return csv_text(cols, ([r.get(k, "") for k in cols] for r in old + new),
                    formulas=True), len(rows)


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
    source) are skipped.

    **Id clashes** are reported, never resolved by re-attributing: a source, relation or
    deal of *other_dir* whose id our dataset uses for a different record is added under a
    new id (``ID-2``), and everything of *other_dir* that cites it follows it; an entity
    whose id names a different entity goes to the review.

    Runs as one transaction on *data_dir* (:mod:`graph.transaction`).
    """
    target = resolve_data_dir(data_dir)
    review = Path(review_dir or f"{Path(other_dir).name}-review")
    check_outside(review, target, "the review folder")
    check_outside(review, other_dir, "the review folder")
    with transaction.locked(target, "autograph merge --from"):
        return _merge_datasets(load_dataset(other_dir), target, review, threshold)


def _fresh(rid: str, *taken: dict) -> str:
    new, n = rid, 2
    while any(new in t for t in taken):
        new, n = f"{rid}-{n}", n + 1
    return new


def _map_sources(other: Dataset, sources: dict[str, Source], report: MergeReport
                 ) -> dict[str, str]:
    """Add the other dataset's sources; -> {their id: our id}. A clash gets a new id."""
    mapping: dict[str, str] = {}
    for sid, s in other.sources.items():
        if sid in sources and sources[sid] == s:
            mapping[sid] = sid
            continue
        new = sid
        if sid in sources:
            new = _fresh(sid, sources, other.sources)
            report.clashes.append(("source", sid, f"id clash: ours is {sources[sid].title!r}; "
                                   f"theirs ({s.title!r}) added as {new}"))
        sources[new] = dataclasses.replace(s, id=new)
        mapping[sid] = new
        report.added.append(("source", new, s.title))
    return mapping


def _cite(ids: tuple[str, ...], mapping: dict[str, str]) -> tuple[str, ...]:
    return tuple(mapping.get(i, i) for i in ids)


def _merge_datasets(other: Dataset, target: Path, review_dir: Path, threshold: float
                    ) -> MergeReport:
    from rapidfuzz import fuzz, process

    ds = load_dataset(target)
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
        if e.id in entities and e.id not in same:  # one id, two entities: never guessed
            ent = entities[e.id]
            report.clashes.append(("entity", e.id, f"id clash: ours is {ent.label} "
                                   f"{ent.name!r}, theirs {e.label} {e.name!r}; sent to "
                                   f"{review_dir}"))
            uncertain[e.id] = e.id
            continue
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
        eid = _fresh(e.id, entities, relations)
        entities[eid] = dataclasses.replace(e, id=eid, properties=dict(e.properties))
        mapping[e.id] = eid
        report.added.append(("entity", eid, f"{e.label} {e.name}"))
    cited = _map_sources(other, sources, report)
    deals = dict(ds.deals)

    def ours(d) -> object:  # their deal as ours would read, or None with an uncertain party
        if any(p not in mapping for p, _ in d.parties):
            return None
        return dataclasses.replace(d, sources=_cite(d.sources, cited),
                                   parties=tuple((mapping[p], r) for p, r in d.parties))

    deal_ids = {d.id: d.id if d.id not in deals or ours(d) == deals[d.id]
                else _fresh(d.id, deals, relations, entities) for d in other.deals.values()}
    existing = {(r.type, r.source, r.target, s) for r in relations.values() for s in r.sources}
    held: list[Relation] = []
    for r in other.relations.values():
        r = dataclasses.replace(r, sources=_cite(r.sources, cited),
                                disputedBy=_cite(r.disputedBy, cited),
                                deal=deal_ids.get(r.deal, r.deal))
        if r.source in uncertain or r.target in uncertain:
            held.append(r)
            continue
        src, tgt = mapping[r.source], mapping[r.target]
        if any((r.type, src, tgt, s) in existing for s in r.sources):
            report.skipped.append(("relation", r.id, "already in the dataset"))
            continue
        rid = _fresh(r.id, relations, entities)
        if rid != r.id:
            report.clashes.append(("relation", r.id, f"id clash: ours is "
                                   f"{relations[r.id].type} {relations[r.id].source} -> "
                                   f"{relations[r.id].target}; theirs added as {rid}"))
        relations[rid] = dataclasses.replace(r, id=rid, source=src, target=tgt,
                                             properties=dict(r.properties))
        report.added.append(("relation", rid, f"{src} {r.type} {tgt}"))
    for d in other.deals.values():
        did = deal_ids[d.id]
        if any(party in uncertain for party, _ in d.parties):
            report.skipped.append(("deal", d.id, "a party is uncertain; merge it again after "
                                   "the review"))
            continue
        if did in deals and ours(d) == deals[did]:
            report.skipped.append(("deal", d.id, "already in the dataset"))
            continue
        if did != d.id:
            report.clashes.append(("deal", d.id, f"id clash: ours is {deals[d.id].name!r}; "
                                   f"theirs added as {did}"))
        deals[did] = dataclasses.replace(
            d, id=did, sources=_cite(d.sources, cited),
            parties=tuple((mapping[p], role) for p, role in d.parties),
            properties=dict(d.properties))
        report.added.append(("deal", did, d.name))
    merged = dataclasses.replace(ds, entities=entities, relations=relations, sources=sources,
                                 deals=deals)
    report.files = write_dataset(merged, target)
    if uncertain:
        report.review_dir = _write_review(other, uncertain, mapping, held, review_dir,
                                          cited, target)
        for eid, match in uncertain.items():
            report.skipped.append(("entity", eid, f"uncertain: may be {match!r}; sent to "
                                   f"{report.review_dir}"))
    return report


def _write_review(other: Dataset, uncertain: dict[str, str], mapping: dict[str, str],
                  held: list[Relation], folder: Path, cited: dict[str, str],
                  target: Path) -> Path:
    """The uncertain entities and their relations as a candidates folder (the decisions of
    an earlier review there kept)."""
    c = Candidates()
    src_cols = COLUMNS["sources.csv"][0] + COLUMNS["sources.csv"][1]
    for s in other.sources.values():
        row = {k: _cell(getattr(s, k, "")) for k in src_cols} | {"decision": "accept"}
        c.sources.append(row | {"id": cited.get(s.id, s.id)})
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
    return write_new_candidates(c, folder, target)


def _cell(value: Any) -> str:
    from ..writer import format_cell

    return format_cell(value)
