"""How much of a curated dataset ingest finds among its candidates (recall and precision).

Matching rule:

* Only what the articles say is counted: relations (and deals) whose sources are all of
  kind ``reference`` (outside knowledge with a URL) are left out, and so are entities that
  only such relations touch (a group's headquarters city known from a reference).
* An **entity** of the reference counts as found when a candidate entity's name or one of
  its aliases equals the entity's name or one of its aliases after
  :func:`~graph.ingest.lexicon.name_key` (case, accents, punctuation and German endings
  folded). Entities of the base dataset the articles were ingested against (the Country
  nodes) are given, not found, and are left out of the figures.
* A **relation** counts as found when a candidate relation of the same type links entities
  that match its two ends (in either direction for symmetric types; a base entity matches
  itself by id).
* **Precision**: the share of candidate entities that match some reference entity, and of
  candidate relations that match some reference relation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import schema
from ..dataset import Dataset
from .candidates import Candidates
from .lexicon import name_key

__all__ = ["Score", "score_candidates"]


@dataclass
class Score:
    entities_found: int
    entities_total: int
    entity_candidates: int
    entity_candidates_matching: int
    relations_found: int
    relations_total: int
    relation_candidates: int
    relation_candidates_matching: int

    @property
    def entity_recall(self) -> float:
        return self.entities_found / self.entities_total if self.entities_total else 1.0

    @property
    def relation_recall(self) -> float:
        return self.relations_found / self.relations_total if self.relations_total else 1.0

    @property
    def entity_precision(self) -> float:
        return (self.entity_candidates_matching / self.entity_candidates
                if self.entity_candidates else 1.0)

    @property
    def relation_precision(self) -> float:
        return (self.relation_candidates_matching / self.relation_candidates
                if self.relation_candidates else 1.0)

    def as_dict(self) -> dict[str, float | int]:
        return {**self.__dict__, "entity_recall": round(self.entity_recall, 3),
                "entity_precision": round(self.entity_precision, 3),
                "relation_recall": round(self.relation_recall, 3),
                "relation_precision": round(self.relation_precision, 3)}


def _is_reference_only(rel, reference: Dataset) -> bool:
    kinds = [getattr(reference.sources.get(s), "kind", "") for s in rel.sources]
    return bool(kinds) and all(k == "reference" for k in kinds)


def score_candidates(cands: Candidates, reference: Dataset, base: Dataset,
                     sources: set[str] | None = None) -> Score:
    """Score *cands* (ingested against *base*) against the curated *reference*.

    *sources* limits the reference to the relations citing those source ids and the
    entities they touch (per-article figures).
    """
    rels = [r for r in reference.relations.values() if not _is_reference_only(r, reference)
            and (sources is None or set(r.sources) & sources)]
    touched = {r.source for r in rels} | {r.target for r in rels}
    for deal in getattr(reference, "deals", {}).values():
        if not _is_reference_only(deal, reference) and (sources is None or
                                                        set(deal.sources) & sources):
            touched |= {party for party, _ in deal.parties}
    if sources is None:  # entities no relation touches at all count too
        linked = {e for r in reference.relations.values() for e in (r.source, r.target)}
        touched |= set(reference.entities) - linked
    ents = [reference.entities[e] for e in reference.entities
            if e in touched and e not in base.entities]
    keys: dict[str, set[str]] = {}
    for ent in reference.entities.values():
        for form in (ent.name, *ent.aliases):
            keys.setdefault(name_key(form), set()).add(ent.id)
    # candidate id -> the reference entities it matches
    maps: dict[str, set[str]] = {eid: {eid} for eid in base.entities}
    for row in cands.entities:
        forms = [row["name"]] + [a for a in row.get("aliases", "").split("|") if a]
        found = set()
        for form in forms:
            found |= keys.get(name_key(form), set())
        maps[row["id"]] = found
    matched_refs = set().union(*maps.values()) if maps else set()
    entities_found = sum(1 for e in ents if e.id in matched_refs)
    ent_matching = sum(1 for row in cands.entities if maps[row["id"]])

    def ends(row):
        return maps.get(row["source"], set()), maps.get(row["target"], set())

    index: dict[tuple[str, str, str], int] = {}
    for row in cands.relations:
        srcs, tgts = ends(row)
        for s in srcs:
            for t in tgts:
                index[row["type"], s, t] = 1
                if schema.REL_TYPES[row["type"]].symmetric:
                    index[row["type"], t, s] = 1
    rel_found = sum(1 for r in rels if (r.type, r.source, r.target) in index)
    all_ref = {(r.type, r.source, r.target) for r in reference.relations.values()}
    all_ref |= {(r.type, r.target, r.source) for r in reference.relations.values()
                if schema.REL_TYPES[r.type].symmetric}
    rel_matching = 0
    for row in cands.relations:
        srcs, tgts = ends(row)
        if any((row["type"], s, t) in all_ref for s in srcs for t in tgts):
            rel_matching += 1
    return Score(entities_found, len(ents), len(cands.entities), ent_matching, rel_found,
                 len(rels), len(cands.relations), rel_matching)


def countries_only(reference: Dataset, folder) -> Path:
    """Write a dataset holding only *reference*'s Country nodes to *folder*; return it."""
    from ..writer import write_dataset

    ds = Dataset(entities={k: e for k, e in reference.entities.items()
                           if e.label == "Country"}, relations={}, sources={}, path=None)
    for name in ("deals",):
        if hasattr(reference, name):
            setattr(ds, name, {})
    folder = Path(folder)
    write_dataset(ds, folder)
    return folder


def ingest_seeds(paths, base_dir) -> tuple[dict[str, Candidates], Candidates]:
    """Ingest each article on its own; return the candidates per source id and their union."""
    from .candidates import ingest

    per: dict[str, Candidates] = {}
    union = Candidates()
    for path in paths:
        cands = ingest([path], base_dir)
        sid = cands.sources[0]["id"]
        per[sid] = cands
        taken = {r["id"] for r in union.entities}
        union.sources += cands.sources
        union.relations += [{**r} for r in cands.relations]
        for row in cands.entities:
            if row["id"] in taken:  # ids are per run; keep both under distinct ids
                new = f"{row['id']}--{sid}"
                for rel in union.relations[-len(cands.relations):] if cands.relations else []:
                    for end in ("source", "target"):
                        if rel[end] == row["id"]:
                            rel[end] = new
                row = {**row, "id": new}
            union.entities.append(row)
    return per, union


def missing(cands: Candidates, reference: Dataset, base: Dataset) -> list[str]:
    """Reference entities and relations not found (for tuning the lexicon)."""
    keys = set()
    for row in cands.entities:
        for form in [row["name"]] + row.get("aliases", "").split("|"):
            if form:
                keys.add(name_key(form))
    out = []
    found = set(base.entities)
    for ent in reference.entities.values():
        if ent.id in base.entities:
            continue
        if any(name_key(f) in keys for f in (ent.name, *ent.aliases)):
            found.add(ent.id)
        else:
            out.append(f"entity {ent.id} ({ent.label}: {ent.name})")
    index = set()
    maps: dict[str, set[str]] = {eid: {eid} for eid in base.entities}
    rk: dict[str, set[str]] = {}
    for ent in reference.entities.values():
        for form in (ent.name, *ent.aliases):
            rk.setdefault(name_key(form), set()).add(ent.id)
    for row in cands.entities:
        maps[row["id"]] = set().union(*[rk.get(name_key(f), set()) for f in
                                        [row["name"]] + row.get("aliases", "").split("|") if f])
    for row in cands.relations:
        for s in maps.get(row["source"], ()):
            for t in maps.get(row["target"], ()):
                index.add((row["type"], s, t))
                index.add((row["type"], t, s))
    for r in reference.relations.values():
        if (r.type, r.source, r.target) not in index and not _is_reference_only(r, reference):
            why = "" if r.source in found and r.target in found else " (an end not found)"
            out.append(f"relation {r.id} {r.type} {r.source} -> {r.target}{why}")
    return out
