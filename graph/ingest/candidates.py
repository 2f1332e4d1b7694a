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
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from .. import schema
from ..atomic import write_text
from ..dataset import _SOURCE_ID_RE, COLUMNS, Dataset, load_dataset
from ..errors import IngestError
from ..paths import check_outside
from ..resources import data_dir as resolve_data_dir
from ..output import csv_text, formula_text
from ..writer import format_cell
from .extract import (EntityCandidate, Extraction, PropertyCandidate, RelationCandidate,
                      extract)
from .lexicon import load_lexicon, name_key
from .text import detect_language, read_article

__all__ = ["Candidates", "ingest", "write_candidates", "write_new_candidates",
           "read_candidates", "candidates_graph", "summary_rows", "REVIEW_COLUMNS",
           "rejection_key", "read_rejections", "rejection_rows", "REJECTIONS_FILE",
           "DECISIONS", "read_csv_rows"]

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
    # id(row) -> its line in the file it was read from, for messages
    lines: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    def rows(self, name: str) -> list[dict[str, str]]:
        return getattr(self, name[:-4])

    def where(self, name: str, row: dict[str, str]) -> str:
        """``FILE:LINE`` of a row read from a candidates folder (``FILE`` if not read)."""
        path = f"{self.path}/{name}" if self.path is not None else name
        line = self.lines.get(id(row))
        return f"{path}:{line}" if line else path


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


def read_csv_rows(path: Path, required: tuple[str, ...] = ()
                  ) -> list[tuple[int, dict[str, str]]]:
    """``(line, row)`` of a CSV file with stripped values; an unreadable file, a missing
    column or a malformed row is an :class:`IngestError` as ``FILE:LINE: FIELD: message``."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(f"{path}: file: cannot read it: {err.strerror}") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise IngestError(f"{path}:{line}: file: not valid UTF-8 ({err.reason} at byte "
                          f"{err.start}); save it as UTF-8") from err
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out = []
    try:
        header = [h.strip() for h in next(reader, [])]
        for col in required:
            if col not in header:
                raise IngestError(f"{path}:1: {col}: missing required column")
        line = reader.line_num + 1
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise IngestError(f"{path}:{start}: row: has {len(values)} fields, the "
                                  f"header has {len(header)}")
            values += [""] * (len(header) - len(values))
            out.append((start, {k: formula_text(v.strip()) for k, v in zip(header, values)
                                if k}))
    except csv.Error as err:
        raise IngestError(f"{path}:{reader.line_num}: row: malformed CSV: {err}") from err
    return out


def rejection_rows(data_dir: Path | None) -> list[dict[str, str]]:
    """The rows of *data_dir*'s ``rejections.csv`` (none when there is no such file)."""
    path = Path(data_dir) / REJECTIONS_FILE if data_dir is not None else None
    if path is None or not path.is_file():
        return []
    return [row for _, row in read_csv_rows(path, ("kind", "key"))]


def read_rejections(data_dir: Path | None) -> set[tuple[str, ...]]:
    """The keys ``merge`` recorded as rejected in *data_dir*'s ``rejections.csv``."""
    return {(row["kind"], *row["key"].split("|")) for row in rejection_rows(data_dir)}


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
    if cues:
        check_cues(Path(cues))
    lex = load_lexicon(cues)
    # one line each: a carriage return or line break in a title is a space
    meta = {k: " ".join(str(v).split()) for k, v in (meta or {}).items() if v}
    if meta.get("id") and len(paths) > 1:
        raise IngestError("--id names one article; give one article or leave --id out")
    if meta.get("id") and not _SOURCE_ID_RE.fullmatch(meta["id"]):
        raise IngestError(f"--id: {meta['id']!r} is not a valid source id: letters, digits, "
                          "_ . - and starting with a letter or digit (it names a file)")
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
    return csv_text(cols, ([row.get(c, "") for c in cols] for row in rows), formulas=True)


def write_candidates(c: Candidates, folder: str | Path, *, only: str | None = None) -> Path:
    """Write a candidates folder (each file atomically, its mode kept); *only* writes one
    file."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        names = [only] if only else list(COLUMNS)
        for name in names:
            write_text(folder / name, _render(name, c.rows(name)), force=True)
        if not only:
            (folder / "articles").mkdir(exist_ok=True)
            for sid, text in c.texts.items():
                if not _SOURCE_ID_RE.fullmatch(sid):
                    raise IngestError(f"{folder}/sources.csv: id: {sid!r} is not a valid "
                                      "source id; it would name a file outside the folder")
                write_text(folder / "articles" / f"{sid}.txt", text, force=True)
    except OSError as err:
        raise IngestError(f"{folder}: cannot write the candidates folder: "
                          f"{err.strerror or err}") from err
    c.path = folder
    return folder


def _row_key(name: str, row: dict[str, str]) -> tuple[str, ...]:
    return (row.get("subject", ""), row.get("key", "")) if name == "properties.csv" \
        else (row.get("id", ""),)


def write_new_candidates(c: Candidates, folder: str | Path,
                         data_dir: str | Path | None = None) -> Path:
    """Write fresh candidates to *folder* without losing the review state already there.

    *folder* must not be, hold or lie inside the dataset folder. If it holds candidates
    already, every decided row there is kept as the reviewer left it (decision and edits),
    in place of the fresh row with the same id; fresh rows follow for the rest. A folder
    holding other files than a candidates folder's is refused.
    """
    folder = Path(folder)
    check_outside(folder, resolve_data_dir(data_dir), "the candidates folder")
    if folder.is_dir() and any(folder.iterdir()):
        if not (folder / "relations.csv").is_file() or "decision" not in \
                (folder / "relations.csv").read_text(encoding="utf-8", errors="replace"
                                                     ).split("\n", 1)[0]:
            raise IngestError(f"{folder}: not a candidates folder (no relations.csv with a "
                              "decision column); give a new or empty folder")
        old = read_candidates(folder)
        for name in COLUMNS:
            decided = {_row_key(name, r): r for r in old.rows(name) if r.get("decision")}
            fresh = c.rows(name)
            merged = [decided.pop(_row_key(name, r), r) for r in fresh]
            c.rows(name)[:] = merged + list(decided.values())
        for sid, text in old.texts.items():
            c.texts.setdefault(sid, text)
    return write_candidates(c, folder)


_NUMBER_COLUMNS = {"relations.csv": ("confidence", "score"), "entities.csv": ("score",),
                   "properties.csv": ("score",)}


def _check_row(c: Candidates, name: str, row: dict[str, str]) -> None:
    """The values merge and review rely on: a known type or label, numbers from 0 to 1."""
    where = c.where(name, row)
    if name == "relations.csv" and row.get("type") not in schema.REL_TYPES:
        raise IngestError(f"{where}: type: unknown relation type {row.get('type')!r}; one of "
                          f"{', '.join(schema.REL_TYPES)}")
    if name == "entities.csv" and row.get("label") not in schema.NODE_LABELS:
        raise IngestError(f"{where}: label: unknown label {row.get('label')!r}; one of "
                          f"{', '.join(schema.NODE_LABELS)}")
    for col in _NUMBER_COLUMNS.get(name, ()):
        value = row.get(col, "")
        try:
            ok = value == "" or 0 <= float(value) <= 1
        except ValueError:
            ok = False
        if not ok or (value and not math.isfinite(float(value))):
            raise IngestError(f"{where}: {col}: {value!r} is not a number from 0 to 1")
    if row.get("decision", "") not in DECISIONS:
        raise IngestError(f"{where}: decision: {row['decision']!r} is not accept, reject "
                          "or empty")


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
        for line, row in read_csv_rows(path, COLUMNS[name][0]):
            out.lines[id(row)] = line
            out.rows(name).append(row)
            _check_row(out, name, row)
    articles = folder / "articles"
    for txt in sorted(articles.glob("*.txt")) if articles.is_dir() else []:
        try:
            out.texts[txt.stem] = txt.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise IngestError(f"{txt}: file: cannot read it as UTF-8 text: {err}") from err
    return out


def check_cues(path: Path) -> None:
    """An extra cue lexicon must be UTF-8 TOML whose values have the bundled lexicon's types
    (a list where it has a list, a number where it has a number...)."""
    from .lexicon import DEFAULT_CUES

    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as err:
        raise IngestError(f"{path}: file: cannot read it: {err.strerror}") from err
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise IngestError(f"{path}:{line}: file: not valid UTF-8 ({err.reason}); save it as "
                          "UTF-8") from err
    try:
        cues = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise IngestError(f"{path}: toml: {err}") from err
    bundled = tomllib.loads(DEFAULT_CUES.read_text(encoding="utf-8"))
    _check_shape(path, text, cues, bundled, "")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "text", list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def _check_shape(path: Path, text: str, value: Any, model: Any, where: str) -> None:
    if isinstance(model, list) and model and isinstance(value, list):
        if all(isinstance(m, dict) for m in model):  # an array of tables: any entry's keys
            merged: dict[str, Any] = {}
            for m in model:
                for k, v in m.items():
                    merged.setdefault(k, v)
            model = [merged]
        for i, item in enumerate(value):
            _check_shape(path, text, item, model[0], f"{where}[{i + 1}]")
        return
    if isinstance(model, dict) and isinstance(value, dict):
        for key, item in value.items():
            sub = model.get(key)
            if sub is None and len(model) and all(isinstance(v, list) for v in model.values()) \
                    and key not in model:
                sub = next(iter(model.values()))  # a table of lists keyed by code: de, en, NL
            if sub is not None:
                _check_shape(path, text, item, sub, f"{where}.{key}" if where else key)
        return
    if _kind(value) != _kind(model):
        key = where.rsplit(".", 1)[-1].split("[")[0]
        line = next((i for i, row in enumerate(text.split("\n"), 1)
                     if re.match(rf"\s*{re.escape(key)}\s*=", row)), None)
        raise IngestError(f"{path}{f':{line}' if line else ''}: {where}: expected "
                          f"{_kind(model)}, found {_kind(value)} {value!r}")


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

