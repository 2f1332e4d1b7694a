"""Dataset format versions: which format a folder is in, reading an older one, upgrading it.

A dataset folder says its format in a small manifest, ``dataset.toml``::

    # an autograph dataset: https://github.com/.../docs/your-dataset.md
    format = 2

A folder without one is read as the oldest format when its files have that format's shape
(``sources.csv`` without grades, no ``deals.csv``), and as the current format otherwise (a
folder made by hand, or by autograph before manifests came in).

Formats
-------
1. The first release: sources without ``kind``, ``reliability`` and ``reliabilityNote``;
   relations grouped by a ``deal`` id that no ``deals.csv`` declares; an actor's base as a
   LOCATED_IN relation.
2. Graded sources (Admiralty A-F), deals declared in ``deals.csv`` with their parties,
   bases as HEADQUARTERED_IN, properties typed by subject (entity or relation).

:func:`upgrade` brings a folder to the current format in place, filling only honest
defaults, and returns what it changed; it never drops a row (a property the current format
cannot attach to its subject moves to ``properties-unplaced.csv`` beside it). Read-only
commands read an older folder through :func:`upgraded_copy` and say once that ``autograph
upgrade`` would bring it up to date.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

from . import resources, schema, transaction
from .errors import AutographError

__all__ = ["CURRENT", "MANIFEST", "FORMATS", "dataset_format", "manifest_text", "upgrade",
           "upgraded_copy", "note_older", "init_dataset"]

CURRENT = 2
MANIFEST = "dataset.toml"
FORMATS = {
    1: "the first release: ungraded sources, undeclared deals, bases as LOCATED_IN",
    2: "graded sources, declared deals, bases as HEADQUARTERED_IN",
}
UNPLACED = "properties-unplaced.csv"
UNGRADED_NOTE = ("not graded: the dataset's format had no grades (filled by autograph "
                 "upgrade); grade it A-E once judged")


def manifest_text(fmt: int = CURRENT) -> str:
    """The text of a ``dataset.toml`` for format *fmt*."""
    return (f"# An autograph dataset folder; `autograph upgrade` moves it to a newer format.\n"
            f"format = {fmt}\n")


def dataset_format(folder: str | Path) -> int:
    """The format of the dataset in *folder* (see the module's notes).

    Raises
    ------
    AutographError
        When ``dataset.toml`` cannot be read, or names a format this autograph does not know.

    Examples
    --------
    >>> from graph.resources import bundled_dir
    >>> dataset_format(bundled_dir("data")) == CURRENT
    True
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    if manifest.is_file():
        try:
            fmt = tomllib.loads(manifest.read_text(encoding="utf-8")).get("format")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise AutographError(f"{manifest}:1: format: not a TOML file ({err})") from err
        if not isinstance(fmt, int) or fmt not in FORMATS:
            hint = ("; a newer autograph wrote it: upgrade autograph"
                    if isinstance(fmt, int) and fmt > CURRENT else "")
            raise AutographError(f"{manifest}:1: format: {fmt!r} is not a dataset format "
                                 f"({', '.join(map(str, FORMATS))}){hint}")
        return fmt
    header = _header(folder / "sources.csv")
    if (header is not None and "reliability" not in header and "kind" not in header
            and not (folder / "deals.csv").exists()):
        return 1
    return CURRENT


_NOTED: set[Path] = set()


def note_older(folder: Path, fmt: int) -> None:
    """Say once per folder that it is in an older format and how to bring it up to date."""
    key = folder.resolve()
    if key not in _NOTED:
        _NOTED.add(key)
        print(f"note: {folder} is in dataset format {fmt} ({FORMATS[fmt]}); read as format "
              f"{CURRENT}: `autograph upgrade {folder}` brings it up to date", file=sys.stderr)


def upgraded_copy(folder: str | Path, target: str | Path) -> list[str]:
    """Write the current-format version of the dataset in *folder* into *target* (an empty
    folder); *folder* itself is not touched. Returns the changes, as :func:`upgrade`."""
    tables = _read_tables(Path(folder))
    changes = _upgrade_tables(tables, dataset_format(folder))
    _write_tables(tables, Path(target))
    return changes


def upgrade(folder: str | Path) -> list[str]:
    """Bring the dataset in *folder* to the current format, in place and atomically.

    Parameters
    ----------
    folder : path
        A dataset folder the user can write (never the installed package's).

    Returns
    -------
    list of str
        One line per change; empty when the folder was current already (its manifest is
        written if it had none).

    Raises
    ------
    AutographError
        When the folder is the installed package's, or cannot be written.
    """
    folder = Path(folder)
    resources.check_writable(folder, "upgrade")
    if not (folder / "entities.csv").is_file():
        raise AutographError(f"{folder} is not a dataset folder (no entities.csv)")
    with transaction.locked(folder, "autograph upgrade"):
        fmt = dataset_format(folder)
        tables = _read_tables(folder)
        before = {name: (list(header), [dict(r) for r in rows])
                  for name, (header, rows) in tables.items()}
        changes = _upgrade_tables(tables, fmt)
        has_manifest = (folder / MANIFEST).is_file()
        if not changes and has_manifest:
            return []
        assert sum(len(r) for _, r in tables.values()) >= sum(len(r) for _, r in before.values())
        staging = Path(tempfile.mkdtemp(prefix=".autograph-upgrade-"))
        try:
            _write_tables(tables, staging)
            # only the files the upgrade changed are rewritten: the others stay byte for byte;
            # all of them in one change (graph.transaction: a kill leaves old or new)
            names = [n for n in tables if tables[n] != before.get(n)] + [MANIFEST]
            transaction.commit(folder, {n: (staging / n).read_bytes() for n in names})
        except OSError as err:
            raise AutographError(f"cannot upgrade {folder}: {err}") from err
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if not has_manifest and fmt == CURRENT:
        changes.append(f"{MANIFEST}: written (format {CURRENT})")
    return changes


def _header(path: Path) -> list[str] | None:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            return [h.strip() for h in next(csv.reader(fh), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


Table = tuple[list[str], list[dict[str, str]]]


def _read_tables(folder: Path) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for name in (*schema.DATASET_FILES, UNPLACED):
        path = folder / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
            records = csv.reader(io.StringIO(text, newline=""), strict=True)
            header = [h.strip() for h in next(records, [])]
            rows = []
            for values in records:
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):  # never guess where a value belongs
                    raise AutographError(
                        f"{path}:{records.line_num}: row: has {len(values)} fields, the header "
                        f"has {len(header)}; fix it, then run the upgrade again")
                rows.append(dict(zip(header, values)))
        except UnicodeDecodeError as err:
            raise AutographError(f"{path}: file: not valid UTF-8; save it as UTF-8 and run "
                                 "the upgrade again") from err
        except csv.Error as err:
            raise AutographError(f"{path}: file: malformed CSV ({err}); fix it, then run the "
                                 "upgrade again") from err
        tables[name] = (header, rows)
    return tables


def _write_tables(tables: dict[str, Table], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables.items():
        with open(target / name, "w", newline="", encoding="utf-8") as fh:
            out = csv.DictWriter(fh, header, lineterminator="\n", extrasaction="ignore",
                                 restval="")
            out.writeheader()
            out.writerows(rows)
    (target / MANIFEST).write_text(manifest_text(CURRENT), encoding="utf-8")


def _columns(name: str, header: list[str], *added: str) -> list[str]:
    """*header* with *added*, in the schema's order; columns the schema does not know stay,
    at the end (the validator names them)."""
    known = list(schema.DATASET_FILES[name][0])
    present = set(header) | set(added)
    return [c for c in known if c in present] + [c for c in header if c not in known]


def _upgrade_tables(tables: dict[str, Table], fmt: int) -> list[str]:
    changes: list[str] = []
    if fmt < 2:
        changes += _format_1_to_2(tables)
    return changes


def _format_1_to_2(tables: dict[str, Table]) -> list[str]:
    changes = []
    header, sources = tables.get("sources.csv", ([], []))
    added = [c for c in ("kind", "reliability", "reliabilityNote") if c not in header]
    if added:
        for row in sources:
            row.setdefault("kind", "")
            row["kind"] = row["kind"] or "article"
            row["reliability"] = row.get("reliability") or "F"
            row["reliabilityNote"] = row.get("reliabilityNote") or UNGRADED_NOTE
        tables["sources.csv"] = (_columns("sources.csv", header, *added), sources)
        changes.append(f"sources.csv: {len(sources)} sources graded F (cannot be judged) with "
                       f"the note 'not graded', kind 'article' ({', '.join(added)} added)")
    labels = {r.get("id", ""): r.get("label", "") for r in tables.get("entities.csv", ([], []))[1]}
    rel_header, relations = tables.get("relations.csv", ([], []))
    bases = [r for r in relations if r.get("type") == "LOCATED_IN"
             and labels.get(r.get("source", "")) in schema.ACTORS]
    for row in bases:
        row["type"] = "HEADQUARTERED_IN"
    if bases:
        changes.append(f"relations.csv: {len(bases)} LOCATED_IN of a company or organization "
                       f"became HEADQUARTERED_IN, its base ({', '.join(r['id'] for r in bases)})")
    if "deals.csv" not in tables:
        changes += _declare_deals(tables, labels)
    changes += _unplace_properties(tables, labels)
    return changes


def _declare_deals(tables: dict[str, Table], labels: dict[str, str]) -> list[str]:
    """Format 1 grouped relations under a deal id only; declare each group as a deal.

    The parties are the actors the group's deal-capable relations connect; the deal takes
    the status and date of its first such relation, the lowest confidence and every source.
    A relation that cannot be a part of that deal (a type that carries no deal, another
    status or date, an end that is no party) keeps no deal id; the deal's evidence lists
    every relation of the group, so the grouping is kept.
    """
    _, relations = tables.get("relations.csv", ([], []))
    groups: dict[str, list[dict[str, str]]] = {}
    for row in relations:
        if row.get("deal"):
            groups.setdefault(row["deal"], []).append(row)
    if not groups:
        tables["deals.csv"] = (list(schema.DATASET_FILES["deals.csv"][0]), [])
        return []
    can_be_party = set(schema.REL_TYPES["PARTY_TO"].sources)
    deals, changes = [], []
    for did, rows in groups.items():
        capable = [r for r in rows if r.get("type") in schema.REL_TYPES
                   and schema.REL_TYPES[r["type"]].deal]
        parties: list[str] = []
        for r in capable:
            for end in (r.get("source", ""), r.get("target", "")):
                if labels.get(end) in can_be_party and end not in parties:
                    parties.append(end)
        if len(parties) < 2:
            for r in rows:
                r["deal"] = ""
            changes.append(f"relations.csv: deal id {did!r} removed from {len(rows)} relations:"
                           " fewer than two parties to declare it with")
            continue
        first = capable[0]
        sources: list[str] = []
        for r in rows:
            for sid in (s.strip() for s in r.get("sources", "").split("|")):
                if sid and sid not in sources:
                    sources.append(sid)
        confidences = [float(r["confidence"]) for r in rows
                       if _is_number(r.get("confidence", ""))]
        deals.append({
            "id": did, "name": did.removeprefix("deal-").replace("-", " "),
            "status": first.get("status", ""), "date": first.get("date", ""),
            "confidence": repr(min(confidences)) if confidences else first.get("confidence"),
            "sources": "|".join(sources), "parties": "|".join(f"{p}:party" for p in parties),
            "evidence": "Declared by autograph upgrade from format 1, which grouped these "
                        "relations under this deal id: " + ", ".join(r["id"] for r in rows)})
        capable_rows = {id(r) for r in capable}
        dropped = [r for r in rows if id(r) not in capable_rows
                   or r.get("status") != first.get("status")
                   or (r.get("date") and r.get("date") != first.get("date"))
                   or r.get("source") not in parties or r.get("target") not in parties]
        for r in dropped:
            r["deal"] = ""
        changes.append(f"deals.csv: deal {did!r} declared with parties {', '.join(parties)}"
                       + (f"; {len(dropped)} relations that cannot be its parts keep no deal id "
                          f"(listed in its evidence)" if dropped else ""))
    tables["deals.csv"] = (list(schema.DATASET_FILES["deals.csv"][0]), deals)
    return changes


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unplace_properties(tables: dict[str, Table], labels: dict[str, str]) -> list[str]:
    """Move each property its subject cannot carry in the current format aside."""
    header, rows = tables.get("properties.csv", ([], []))
    relations = {r.get("id", "") for r in tables.get("relations.csv", ([], []))[1]}
    relations |= {r.get("id", "") for r in tables.get("deals.csv", ([], []))[1]}
    moved = [r for r in rows if (r.get("subject") in labels
                                 and r.get("key") not in schema.ENTITY_PROPERTIES
                                 and r.get("key") in schema.RELATION_PROPERTIES)
             or (r.get("subject") in relations and r.get("key") not in schema.RELATION_PROPERTIES
                 and r.get("key") in schema.ENTITY_PROPERTIES)]
    if not moved:
        return []
    moved_rows = {id(r) for r in moved}
    tables["properties.csv"] = (header, [r for r in rows if id(r) not in moved_rows])
    old_header, old_rows = tables.get(UNPLACED, (header, []))
    tables[UNPLACED] = (old_header, old_rows + moved)
    return [f"properties.csv: {len(moved)} properties the current format cannot attach to "
            f"their subject moved to {UNPLACED} "
            f"({', '.join(r['subject'] + '.' + r['key'] for r in moved)})"]


def init_dataset(folder: str | Path, *, empty: bool = False) -> Path:
    """Create a dataset folder of the user's own, atomically.

    Parameters
    ----------
    folder : path
        Must not exist yet, or be empty.
    empty : bool
        Only the files' headers (and the manifest) instead of a copy of the bundled data.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    AutographError
        When *folder* holds files already, lies inside the installed package, or cannot be
        written.
    """
    folder = Path(folder)
    resources.check_writable(folder, "init")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise AutographError(f"{folder} exists and is not empty; choose a new folder (or "
                             f"`autograph upgrade {folder}` to bring a dataset up to date)")
    parent = folder.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=parent))
        try:
            if empty:
                for name, (fields, _optional) in schema.DATASET_FILES.items():
                    (staging / name).write_text(",".join(fields) + "\n", encoding="utf-8")
            else:
                bundled = resources.bundled_dir("data")
                for name in schema.DATASET_FILES:
                    if (bundled / name).is_file():
                        shutil.copyfile(bundled / name, staging / name)
            (staging / MANIFEST).write_text(manifest_text(CURRENT), encoding="utf-8")
            if folder.exists():
                folder.rmdir()
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as err:
        raise AutographError(f"cannot create {folder}: {err}") from err
    return folder
