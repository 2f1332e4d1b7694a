"""The candidates folder: what ``ingest`` proposes and ``review``/``merge`` work on.

It is a dataset folder (the same four CSV files and columns, so a spreadsheet or an editor
works on it) with review columns added to each file:

``decision``
    ``accept``, ``reject`` or empty (undecided). Set it in ``autograph review`` or by hand.
``score``
    How strongly the text supports the candidate, 0 to 1.
``article``, ``start``, ``end``
    The source id and character offsets of the sentence in ``articles/<source id>.txt``
    (the plain text ingest read).
``cue``
    The word or rule that produced the candidate.
``sameAs`` (entities only)
    An existing entity this candidate may be; accepting merges the candidate into it as an
    alias, clearing ``sameAs`` adds it as a new entity.

A relation may name a known entity of the dataset or a new entity candidate.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from .. import schema
from ..dataset import COLUMNS, Dataset, load_dataset
from ..errors import IngestError
from ..writer import format_cell
from .extract import (EntityCandidate, Extraction, PropertyCandidate, RelationCandidate,
                      extract)
from .lexicon import load_lexicon, name_key
from .text import detect_language, read_article

__all__ = ["Candidates", "ingest", "write_candidates", "read_candidates", "candidates_graph",
           "summary_rows", "REVIEW_COLUMNS", "rejection_key", "read_rejections",
           "REJECTIONS_FILE", "DECISIONS"]

REVIEW_COLUMNS = ("decision", "score", "article", "start", "end", "cue")
DECISIONS = ("accept", "reject", "")
REJECTIONS_FILE = "rejections.csv"
_REJECTION_COLUMNS = ("kind", "key", "candidate", "source", "date")


@dataclass
class Candidates:
    """A candidates folder in memory: rows as dicts of strings, keyed by file name."""

    sources: list[dict[str, str]] = field(default_factory=list)
    entities: list[dict[str, str]] = field(default_factory=list)
    relations: list[dict[str, str]] = field(default_factory=list)
    deals: list[dict[str, str]] = field(default_factory=list)
    properties: list[dict[str, str]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def rows(self, name: str) -> list[dict[str, str]]:
        return getattr(self, name[:-4])


def _columns(name: str) -> list[str]:
    required, optional = COLUMNS[name]
    cols = list(required + optional)
    if name == "sources.csv":
        return cols + ["decision"]
    extra = ["sameAs"] if name == "entities.csv" else []
    return cols + list(REVIEW_COLUMNS) + extra


def rejection_key(kind: str, row: dict[str, str]) -> tuple[str, ...]:
    """What identifies a rejected candidate across ingests."""
    if kind == "entity":
        return ("entity", row["label"], name_key(row["name"]))
    rtype, src, tgt = row["type"], row["source"], row["target"]
    if schema.REL_TYPES[rtype].symmetric:
        src, tgt = sorted((src, tgt))
    return ("relation", rtype, src, tgt)


def read_rejections(data_dir: Path | None) -> set[tuple[str, ...]]:
    """The keys ``merge`` recorded as rejected in *data_dir*'s ``rejections.csv``."""
    if data_dir is None or not (Path(data_dir) / REJECTIONS_FILE).is_file():
        return set()
    with (Path(data_dir) / REJECTIONS_FILE).open(encoding="utf-8", newline="") as fh:
        return {(row["kind"], *row["key"].split("|")) for row in csv.DictReader(fh)}


def _source_id(path: Path) -> str:
    sid = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-.") or "article"
    return sid if sid[0].isalnum() else "a" + sid


def ingest(paths: list[str | Path], data_dir: str | Path | None = None, *,
           language: str = "auto", meta: dict[str, str] | None = None,
           cues: str | Path | None = None) -> Candidates:
    """Read articles and propose candidates against a dataset (see :mod:`graph.ingest`).

    Parameters
    ----------
    paths : list of paths
        Plain text, Markdown or HTML files (UTF-8).
    data_dir : path, optional
        The dataset to link against (default: the bundled data); its ``rejections.csv`` is
        honoured.
    language : "de", "en" or "auto"
    meta : dict, optional
        Source fields for every article (``title``, ``publisher``, ``date``, ``url``,
        ``reliability``, ``kind``, ``id`` for a single article).
    cues : path, optional
        An extra cue lexicon (TOML) added to the bundled one.

    Raises
    ------
    IngestError
        For an unreadable article, naming the file.
    """
    dataset = load_dataset(data_dir)
    lex = load_lexicon(cues)
    meta = {k: v for k, v in (meta or {}).items() if v}
    if meta.get("id") and len(paths) > 1:
        raise IngestError("--id names one article; give one article or leave --id out")
    source_cols = COLUMNS["sources.csv"][0] + COLUMNS["sources.csv"][1]
    unknown = [k for k in meta if k not in source_cols]
    if unknown:
        raise IngestError(f"this dataset's sources have no {', '.join(unknown)} column "
                          f"(columns: {', '.join(source_cols)})")
    rejected = read_rejections(dataset.path)
    articles = [read_article(p) for p in paths]
    prior: dict[str, EntityCandidate] = {}
    used: set[str] = set()
    out = Candidates()
    taken_sources = set(dataset.sources)
    for article in articles:
        sid = meta.get("id") or _source_id(article.path)
        if sid in taken_sources:
            raise IngestError(f"{article.path}: source id {sid!r} is already in the dataset "
                              f"{dataset.path}; give another with --id")
        taken_sources.add(sid)
        lang = language if language in ("de", "en") else detect_language(article.text)
        ex = extract(article, sid, dataset, lex, lang, rejected, prior, used)
        out.sources.append(_source_row(article, sid, lang, ex, meta))
        out.texts[sid] = article.text
        out.relations += [_relation_row(r, sid, ex) for r in ex.relations]
        out.properties += [_property_row(p, sid) for p in ex.properties]
    out.entities = [_entity_row(c) for c in prior.values()]
    for name in COLUMNS:
        cols = _columns(name)
        out.rows(name)[:] = [{c: row.get(c, "") for c in cols} for row in out.rows(name)]
    return out


def _source_row(article, sid: str, lang: str, ex: Extraction, meta: dict[str, str]):
    row = {"id": sid, "file": article.path.name,
           "title": meta.get("title") or article.title or _first_line(article.text),
           "language": lang, "decision": "accept"}
    date = meta.get("date") or ex.date
    if date:
        row["date"] = date
        row["dateBasis"] = "published" if meta.get("date") else ex.date_basis
        if row["dateBasis"] == "inferred":
            row["note"] = f"Undated; {date} is the latest date the text mentions."
    for key in ("publisher", "url", "reliability", "kind", "reliabilityNote"):
        if meta.get(key):
            row[key] = meta[key]
    defaults = {"kind": "article", "reliability": "F",
                "reliabilityNote": "Not graded yet: added by autograph ingest; grade it A-F "
                                   "and say why."}
    for key, value in defaults.items():
        if key in COLUMNS["sources.csv"][0] + COLUMNS["sources.csv"][1] and not row.get(key):
            row[key] = value
    return row


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:120]
    return "untitled"


def _entity_row(c: EntityCandidate) -> dict[str, str]:
    return {"id": c.id, "label": c.label, "name": c.name, "aliases": format_cell(c.aliases),
            "kind": c.kind, "country": c.country, "description": c.description,
            "decision": "", "score": f"{c.score:.2f}",
            "article": c.article, "start": str(c.start), "end": str(c.end),
            "cue": c.cue, "sameAs": c.same_as}


def _relation_row(r: RelationCandidate, sid: str, ex: Extraction) -> dict[str, str]:
    return {"id": r.id, "type": r.type, "source": r.source, "target": r.target,
            "status": r.status, "confidence": f"{r.score:.2f}", "sources": sid,
            "evidence": r.evidence, "deal": r.deal, "date": r.date, "decision": "",
            "score": f"{r.score:.2f}", "article": sid, "start": str(r.start),
            "end": str(r.end), "cue": r.cue}


def _property_row(p: PropertyCandidate, sid: str) -> dict[str, str]:
    return {"subject": p.subject, "key": p.key, "value": p.value, "source": sid,
            "note": p.note, "decision": "", "score": f"{p.score:.2f}", "article": sid,
            "start": str(p.start), "end": str(p.end), "cue": p.cue}


def _render(name: str, rows: list[dict[str, str]]) -> str:
    cols = _columns(name)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for row in rows:
        w.writerow([row.get(c, "") for c in cols])
    return buf.getvalue()


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_candidates(c: Candidates, folder: str | Path, *, only: str | None = None) -> Path:
    """Write a candidates folder (each file atomically); *only* writes one file."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        names = [only] if only else list(COLUMNS)
        for name in names:
            _atomic_write(folder / name, _render(name, c.rows(name)))
        if not only:
            (folder / "articles").mkdir(exist_ok=True)
            for sid, text in c.texts.items():
                _atomic_write(folder / "articles" / f"{sid}.txt", text)
    except OSError as err:
        raise IngestError(f"cannot write the candidates folder {folder}: {err}") from err
    c.path = folder
    return folder


def read_candidates(folder: str | Path) -> Candidates:
    """Read a candidates folder; a malformed one is an :class:`IngestError` naming file/line."""
    folder = Path(folder)
    if not folder.is_dir():
        raise IngestError(f"{folder}: no such candidates folder (make one with autograph "
                          "ingest ARTICLE -o FOLDER)")
    out = Candidates(path=folder)
    for name in COLUMNS:
        path = folder / name
        if not path.is_file():
            if name in ("properties.csv", "deals.csv"):
                continue
            raise IngestError(f"{path}: missing; is {folder} a candidates folder?")
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                rows = [{k: (v or "").strip() for k, v in row.items() if k}
                        for row in reader]
        except (UnicodeDecodeError, csv.Error) as err:
            raise IngestError(f"{path}: cannot read it: {err}") from err
        for i, row in enumerate(rows, start=2):
            decision = row.get("decision", "")
            if decision not in DECISIONS:
                raise IngestError(f"{path}:{i}: decision: {decision!r} is not accept, reject "
                                  "or empty")
        out.rows(name).extend(rows)
    for txt in sorted((folder / "articles").glob("*.txt")) if (folder / "articles").is_dir() \
            else []:
        out.texts[txt.stem] = txt.read_text(encoding="utf-8")
    return out


def candidates_graph(c: Candidates, dataset: Dataset | None = None) -> nx.MultiDiGraph:
    """Candidates as a graph: new entities and the known entities they touch as nodes, the
    relation candidates as edges; review columns are attributes (``export`` JSON contract)."""
    G = nx.MultiDiGraph(name="autograph candidates")
    G.graph["sources"] = {r["id"]: {k: v for k, v in r.items() if k != "decision"}
                          for r in c.sources}
    for row in c.entities:
        attrs = {k: v for k, v in row.items() if k != "id"}
        attrs["aliases"] = [a for a in row.get("aliases", "").split("|") if a]
        attrs["candidate"] = True
        G.add_node(row["id"], **attrs)
    for row in c.relations:
        for end in ("source", "target"):
            eid = row[end]
            if eid not in G and dataset is not None and eid in dataset.entities:
                ent = dataset.entities[eid]
                G.add_node(eid, label=ent.label, name=ent.name, aliases=list(ent.aliases),
                           kind=ent.kind, country=ent.country, candidate=False)
        attrs = {k: v for k, v in row.items() if k not in ("source", "target")}
        attrs["sources"] = [s for s in row.get("sources", "").split("|") if s]
        G.add_edge(row["source"], row["target"], key=row["id"], **attrs)
    return G


def candidates_json(c: Candidates, dataset: Dataset | None = None) -> str:
    G = candidates_graph(c, dataset)
    data = nx.node_link_data(G, edges="edges")
    data["properties"] = c.properties
    return json.dumps(data, indent=2, ensure_ascii=False)


def summary_rows(c: Candidates) -> list[dict[str, Any]]:
    """One row per article: how many candidates of each kind."""
    rows = []
    for src in c.sources:
        sid = src["id"]
        rows.append({"article": src["file"], "source id": sid, "language": src.get(
            "language", ""), "date": src.get("date", ""),
            "entities": sum(1 for e in c.entities if e.get("article") == sid),
            "relations": sum(1 for r in c.relations if r.get("article") == sid),
            "figures": sum(1 for p in c.properties if p.get("article") == sid)})
    return rows


def today() -> str:
    return dt.date.today().isoformat()

