"""How much of a curated dataset ingest finds among its candidates (recall and precision).

Matching rule:

* Only what the articles say is counted: relations (and deals) whose sources are all of
  kind ``reference`` (outside knowledge with a URL) are left out, and so are entities that
  only such relations touch (a group's headquarters city known from a reference).
* An **entity** of the reference counts as found when a candidate entity's name or one of
  its aliases equals the entity's name or one of its aliases after
  :func:`match_key` (case, accents, punctuation, German endings and a legal form at the
  end folded: "Volkswagen AG" is "Volkswagen"; a national government named by its
  country), on both sides alike. Entities of the base dataset the articles were ingested
  against (the Country nodes) are given, not found, and are left out of the figures.
* A **relation** counts as found when a candidate relation of the same type links entities
  that match its two ends (in either direction for symmetric types; a base entity matches
  itself by id).
* **Precision**: the share of candidate entities that match some reference entity, and of
  candidate relations that match some reference relation.

The evaluation corpus (``tests/corpus/``, see its README) is scored the same way against a
**key** per article (:func:`read_key`) instead of a dataset, with one rule stricter: an
entity counts as found only with the key's label (a carmaker proposed as a Region is not
found), and a candidate entity is precise only when it matches a key entity of its label.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema
from ..dataset import Dataset, load_dataset
from ..errors import IngestError
from .candidates import Candidates
from .lexicon import name_key

__all__ = ["Score", "score_candidates", "Key", "read_key", "score_key", "key_misses",
           "corpus_articles", "score_corpus", "match_key", "key_of_dataset", "miss_causes",
           "MISS_CAUSES"]

# A legal form ending a name: "Volkswagen AG" and "Volkswagen" name the same company.
_LEGAL_TAIL = re.compile(r"(?: (?:ag|gmbh|se|kg|kgaa|inc|ltd|limited|nv|bv|sa|spa|plc|llc|"
                         r"corp|corporation|co|oyj|ab|asa))+$")


_GOVERNMENT = re.compile(r"(?i)^(?:the\s+|die\s+|der\s+)?(?:(?P<adj>[\w-]+)\s+"
                         r"(?:national\s+|federal\s+)?(?:government|regierung)|"
                         r"(?:government|regierung)\s+(?:of|von)\s+(?:the\s+)?(?P<of>.+)|"
                         r"(?P<own>.+?)['’]s\s+government)$")


def _government(form: str) -> str | None:
    """"Hungarian government", "ungarische Regierung", "government of Hungary", "Hungary's
    government": one national government, named by its country's code (else None)."""
    import pycountry

    from .lexicon import load_lexicon
    from .places import gazetteer

    m = _GOVERNMENT.match(form.strip())
    if m is None:
        return None
    if m["adj"]:
        code = next((c for c, p in load_lexicon().nationality
                     if p is not None and p.match(m["adj"])), None)
        if code is None and m["adj"].isupper():  # "US government", "UK government"
            code = {"UK": "GB"}.get(m["adj"], m["adj"])
            code = code if pycountry.countries.get(alpha_2=code) else None
        return f"government {code}" if code else None
    place = gazetteer().get(name_key(m["of"] or m["own"]))
    return f"government {place.country}" if place is not None and \
        place.kind == "country" else None


def match_key(form: str) -> str:
    """The key two names are compared by: :func:`name_key` without a legal form at the end;
    a national government by its country ("Hungarian government" is "ungarische Regierung"
    and "government of Hungary").

    Applied alike to a key's (or dataset's) names and to the candidates' names, so recall
    and precision move together.

    >>> match_key("Volkswagen AG") == match_key("Volkswagen") == match_key("VOLKSWAGEN Inc.")
    True
    >>> match_key("AB"), match_key("Sa")
    ('ab', 'sa')
    >>> forms = ("Hungarian government", "die ungarische Regierung", "government of Hungary",
    ...          "Hungary's government")
    >>> {match_key(f) for f in forms}
    {'government HU'}
    >>> match_key("Regierung in Ottawa") == match_key("Canadian government")
    False
    """
    gov = _government(form)
    if gov is not None:
        return gov
    key = name_key(form)
    return _LEGAL_TAIL.sub("", key) or key


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
            keys.setdefault(match_key(form), set()).add(ent.id)
    # candidate id -> the reference entities it matches
    maps: dict[str, set[str]] = {eid: {eid} for eid in base.entities}
    for row in cands.entities:
        forms = [row["name"]] + [a for a in row.get("aliases", "").split("|") if a]
        found = set()
        for form in forms:
            found |= keys.get(match_key(form), set())
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
                keys.add(match_key(form))
    out = []
    found = set(base.entities)
    for ent in reference.entities.values():
        if ent.id in base.entities:
            continue
        if any(match_key(f) in keys for f in (ent.name, *ent.aliases)):
            found.add(ent.id)
        else:
            out.append(f"entity {ent.id} ({ent.label}: {ent.name})")
    index = set()
    maps: dict[str, set[str]] = {eid: {eid} for eid in base.entities}
    rk: dict[str, set[str]] = {}
    for ent in reference.entities.values():
        for form in (ent.name, *ent.aliases):
            rk.setdefault(match_key(form), set()).add(ent.id)
    for row in cands.entities:
        maps[row["id"]] = set().union(*[rk.get(match_key(f), set()) for f in
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


# -- the evaluation corpus: one key per article -------------------------------------------

@dataclass
class KeyRelation:
    type: str
    source: str
    target: str
    share_pct: float | None = None
    line: int = 0


@dataclass
class Key:
    """What one article of the evaluation corpus says, in the dataset's vocabulary."""

    path: Path
    labels: dict[str, str] = field(default_factory=dict)        # name -> label
    forms: dict[str, list[str]] = field(default_factory=dict)   # name -> name and aliases
    relations: list[KeyRelation] = field(default_factory=list)


_KEY_RELATION = re.compile(r"^(?P<type>[A-Z_]+):\s*(?P<src>.+?)\s*(?P<arrow>->|--)\s*"
                           r"(?P<tgt>.+?)\s*(?:;\s*sharePct=(?P<pct>[\d.]+))?$")


def _key_lines(text: str, name: str) -> dict[str, int]:
    """Each quoted string of the array *name* -> its line in the file (for messages)."""
    out, inside = {}, False
    for no, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{name}\s*=", line):
            inside = True
        elif re.match(r"\s*\w+\s*=", line):
            inside = False
        if inside:
            for m in re.finditer(r'"([^"]*)"', line):
                out.setdefault(m.group(1), no)
    return out


def read_key(path: str | Path) -> Key:
    """Read an article's key (``NN-name.key.toml``, format in ``tests/corpus/README.md``).

    Raises
    ------
    IngestError
        ``file:line: field: message`` for an unknown label or type, a relation whose end
        is not among the key's entities, or ends whose labels the type does not allow.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise IngestError(f"{path}: cannot read the key: {err}") from err
    key = Key(path)
    lines = {**_key_lines(text, "entities"), **_key_lines(text, "relations")}

    def fail(item: str, fld: str, message: str) -> IngestError:
        return IngestError(f"{path}:{lines.get(item, 0)}: {fld}: {message}")

    for item in data.get("entities", []):
        label, _, names = item.partition(":")
        forms = [f.strip() for f in names.split("|") if f.strip()]
        if label.strip() not in schema.NODE_LABELS or not forms:
            raise fail(item, "entities", f"{item!r} is not 'Label: name | alias' with a "
                                         f"label of graph/schema.py")
        key.labels[forms[0]] = label.strip()
        key.forms[forms[0]] = forms
    for item in data.get("relations", []):
        m = _KEY_RELATION.match(item)
        if m is None or m["type"] not in schema.REL_TYPES:
            raise fail(item, "relations", f"{item!r} is not 'TYPE: source -> target' with a "
                                          f"type of graph/schema.py")
        spec = schema.REL_TYPES[m["type"]]
        for end, allowed in ((m["src"], spec.sources), (m["tgt"], spec.targets)):
            if end not in key.labels:
                raise fail(item, "relations", f"{end!r} is not the first name of an entity "
                                              "of this key")
            if key.labels[end] not in allowed:
                raise fail(item, "relations", f"{m['type']} does not take a "
                                              f"{key.labels[end]} ({end!r})")
        key.relations.append(KeyRelation(m["type"], m["src"], m["tgt"],
                                         float(m["pct"]) if m["pct"] else None,
                                         lines.get(item, 0)))
    return key


def _key_maps(cands: Candidates, key: Key, base: Dataset) -> dict[str, set[str]]:
    """Candidate (or base) entity id -> the key entities it names, label aside."""
    index: dict[str, set[str]] = {}
    for name, forms in key.forms.items():
        for form in forms:
            index.setdefault(match_key(form), set()).add(name)

    def names(forms) -> set[str]:
        return set().union(*(index.get(match_key(f), set()) for f in forms if f))

    maps = {eid: names((e.name, *e.aliases)) for eid, e in base.entities.items()}
    for row in cands.entities:
        maps[row["id"]] = names([row["name"], *row.get("aliases", "").split("|")])
    return maps


def score_key(cands: Candidates, key: Key, base: Dataset) -> Score:
    """Score one article's candidates against its key (module docstring: the rules).

    The key's entities that *base* already holds (its Country nodes) are given, not found,
    and left out of the entity figures, as for the seed articles.
    """
    maps = _key_maps(cands, key, base)
    given = set().union(*(maps[eid] for eid in base.entities)) if base.entities else set()
    wanted = [n for n in key.labels if n not in given]
    found = set()
    precise = 0
    for row in cands.entities:
        hits = {n for n in maps[row["id"]] if key.labels[n] == row["label"]}
        found |= hits
        precise += bool(hits)
    index = set()
    for row in cands.relations:
        sym = schema.REL_TYPES[row["type"]].symmetric
        for s in maps.get(row["source"], ()):
            for t in maps.get(row["target"], ()):
                index.add((row["type"], s, t))
                if sym:
                    index.add((row["type"], t, s))
    truth = {(r.type, r.source, r.target) for r in key.relations}
    truth |= {(r.type, r.target, r.source) for r in key.relations
              if schema.REL_TYPES[r.type].symmetric}
    rel_found = sum(1 for r in key.relations if (r.type, r.source, r.target) in index)
    rel_precise = sum(1 for row in cands.relations
                      if any((row["type"], s, t) in truth for s in maps.get(row["source"], ())
                             for t in maps.get(row["target"], ())))
    return Score(sum(1 for n in wanted if n in found), len(wanted), len(cands.entities),
                 precise, rel_found, len(key.relations), len(cands.relations), rel_precise)


def key_misses(cands: Candidates, key: Key, base: Dataset) -> list[str]:
    """What the candidates miss of *key*, and what they propose beyond it (for tuning)."""
    maps = _key_maps(cands, key, base)
    given = set().union(*(maps[eid] for eid in base.entities)) if base.entities else set()
    out = []
    typed = {(n, row["label"]) for row in cands.entities for n in maps[row["id"]]}
    for name, label in key.labels.items():
        if name not in given and (name, label) not in typed:
            other = sorted(lb for n, lb in typed if n == name)
            out.append(f"missed entity {label}: {name}" + (f" (proposed as {other})"
                                                            if other else ""))
    for row in cands.entities:
        if not any(key.labels[n] == row["label"] for n in maps[row["id"]]):
            out.append(f"extra entity {row['label']}: {row['name']} ({row['score']}, "
                       f"{row['cue']})")
    names = {row["id"]: row["name"] for row in cands.entities}
    names.update({eid: e.name for eid, e in base.entities.items()})
    index = {}
    for row in cands.relations:
        for s in maps.get(row["source"], ()):
            for t in maps.get(row["target"], ()):
                index[row["type"], s, t] = row
                if schema.REL_TYPES[row["type"]].symmetric:
                    index[row["type"], t, s] = row
    for r in key.relations:
        if (r.type, r.source, r.target) not in index:
            out.append(f"missed relation {r.type}: {r.source} -> {r.target}")
    truth = {(r.type, r.source, r.target) for r in key.relations}
    truth |= {(r.type, r.target, r.source) for r in key.relations
              if schema.REL_TYPES[r.type].symmetric}
    for row in cands.relations:
        if not any((row["type"], s, t) in truth for s in maps.get(row["source"], ())
                   for t in maps.get(row["target"], ())):
            out.append(f"extra relation {row['type']}: {names.get(row['source'])} -> "
                       f"{names.get(row['target'])} ({row['score']}, {row['cue']})")
    return out


def corpus_articles(folder: str | Path) -> list[tuple[Path, Key]]:
    """The articles of one part of the corpus with their keys, in name order."""
    out = []
    for txt in sorted(Path(folder).glob("*.txt")):
        key_path = txt.with_name(txt.stem + ".key.toml")
        if not key_path.is_file():
            raise IngestError(f"{txt}: no key {key_path.name} beside it")
        out.append((txt, read_key(key_path)))
    return out


def score_corpus(folder: str | Path, base_dir: str | Path) -> tuple[Score, dict[str, tuple]]:
    """Ingest each article of *folder* on its own against *base_dir*; the summed score and,
    per article, its candidates, key and score."""
    from .candidates import ingest

    base = load_dataset(base_dir)
    total = Score(0, 0, 0, 0, 0, 0, 0, 0)
    per = {}
    for txt, key in corpus_articles(folder):
        cands = ingest([txt], base_dir)
        s = score_key(cands, key, base)
        per[txt.stem] = (cands, key, s)
        for name, value in s.__dict__.items():
            setattr(total, name, getattr(total, name) + value)
    return total, per


# -- why relations are missed ----------------------------------------------------------------

MISS_CAUSES = ("an end not found", "an end found under another name",
               "an end found under another label", "wrong type or direction",
               "both ends found, no relation")


def key_of_dataset(reference: Dataset, sources: set[str] | None = None) -> Key:
    """The part of *reference* the articles say (as :func:`score_candidates` counts it) as a
    :class:`Key` whose names are the entity ids (for :func:`miss_causes` on the seeds)."""
    key = Key(Path(reference.path or "."))
    for ent in reference.entities.values():
        key.labels[ent.id] = ent.label
        key.forms[ent.id] = [ent.name, *ent.aliases]
    for r in reference.relations.values():
        if not _is_reference_only(r, reference) and (sources is None
                                                     or set(r.sources) & sources):
            key.relations.append(KeyRelation(r.type, r.source, r.target))
    return key


def _near(a: str, b: str) -> bool:
    """Two name keys for one thing under another form: one holds the other's words, or
    they are spelled alike ("ungarische Regierung" is not near "Hungarian government")."""
    from rapidfuzz import fuzz

    wa, wb = set(a.split()), set(b.split())
    return bool(wa and wb) and (wa <= wb or wb <= wa or fuzz.ratio(a, b) >= 85)


def miss_causes(cands: Candidates, key: Key, base: Dataset) -> dict[str, list[str]]:
    """Each relation of *key* the candidates miss, under the first cause that explains it.

    The causes, in the order they are tried (:data:`MISS_CAUSES`): an end no candidate
    names, even nearly; an end a candidate names only under another form (its words within
    the key's, or spelled alike, and naming no other entity of the key); an end found only
    under another label (a carmaker as a Region); both ends found, linked only with another
    type or the other way round; both ends found and not linked. Returns cause -> the
    missed relations as ``TYPE: source -> target``.
    """
    maps = _key_maps(cands, key, base)
    labels = {row["id"]: row["label"] for row in cands.entities}
    labels.update({eid: e.label for eid, e in base.entities.items()})
    by_name: dict[str, set[str]] = {}
    for cid, names in maps.items():
        for n in names:
            by_name.setdefault(n, set()).add(cid)
    loose = [match_key(row["name"]) for row in cands.entities if not maps[row["id"]]]
    linked = {(s, t) for row in cands.relations for s in maps.get(row["source"], ())
              for t in maps.get(row["target"], ())}
    index = {(row["type"], s, t) for row in cands.relations
             for s in maps.get(row["source"], ()) for t in maps.get(row["target"], ())}
    index |= {(t, b, a) for t, a, b in index if schema.REL_TYPES[t].symmetric}
    out: dict[str, list[str]] = {c: [] for c in MISS_CAUSES}

    def end_cause(name: str) -> str | None:
        if name in by_name:
            return None
        forms = [match_key(f) for f in key.forms[name]]
        if any(_near(f, c) for f in forms for c in loose):
            return MISS_CAUSES[1]
        return MISS_CAUSES[0]

    for r in key.relations:
        if (r.type, r.source, r.target) in index:
            continue
        causes = [end_cause(r.source), end_cause(r.target)]
        if MISS_CAUSES[0] in causes:
            cause = MISS_CAUSES[0]
        elif MISS_CAUSES[1] in causes:
            cause = MISS_CAUSES[1]
        elif any(all(labels[c] != key.labels[n] for c in by_name[n])
                 for n in (r.source, r.target)):
            cause = MISS_CAUSES[2]
        elif (r.source, r.target) in linked or (r.target, r.source) in linked:
            cause = MISS_CAUSES[3]
        else:
            cause = MISS_CAUSES[4]
        out[cause].append(f"{r.type}: {r.source} -> {r.target}")
    return out
