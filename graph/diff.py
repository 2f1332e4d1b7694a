"""What changed between two versions of a dataset: records added, removed and changed.

Records are compared by id, field by field, with typed properties as ``properties.KEY``
fields; the source registry counts as records too. ``diff_rev`` reads the older version from
a git revision with ``git show REV:PATH``, so no checkout is touched.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .dataset import COLUMNS, Dataset, load_dataset
from .errors import AutographError, DataValidationError
from .resources import data_dir as resolve_data_dir
from .writer import _record_files, format_cell

__all__ = ["diff_datasets", "diff_folders", "diff_rev", "diff_rows", "Change"]


@dataclasses.dataclass(frozen=True)
class Change:
    """One record added, removed or changed; ``fields`` maps a field to (old, new)."""

    kind: str          # the record kind: "entity", "relation", "source", ...
    id: str
    change: str        # "added", "removed" or "changed"
    fields: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)


def _flat(record: Any) -> dict[str, str]:
    out = {f.name: format_cell(getattr(record, f.name)) for f in dataclasses.fields(record)
           if f.name != "properties"}
    for key, value in sorted(getattr(record, "properties", {}).items()):
        out[f"properties.{key}"] = format_cell(value)
    return out


def diff_datasets(old: Dataset, new: Dataset) -> list[Change]:
    """Every record added, removed or changed from *old* to *new*, in file order.

    Examples
    --------
    >>> import dataclasses, graph
    >>> old = graph.load_dataset()
    >>> new = dataclasses.replace(old, entities=dict(old.entities))
    >>> new.entities["catl"] = dataclasses.replace(old.entities["catl"], name="CATL Ltd")
    >>> [(c.kind, c.id, c.change, c.fields) for c in diff_datasets(old, new)]
    [('entity', 'catl', 'changed', {'name': ('CATL', 'CATL Ltd')})]
    """
    changes: list[Change] = []
    for attr in _record_files().values():
        kind = attr[:-1] if not attr.endswith("ies") else attr[:-3] + "y"
        before, after = getattr(old, attr, {}), getattr(new, attr, {})
        for rid, rec in after.items():
            if rid not in before:
                changes.append(Change(kind, rid, "added", {k: ("", v) for k, v in
                                                           _flat(rec).items() if v}))
                continue
            a, b = _flat(before[rid]), _flat(rec)
            fields = {k: (a.get(k, ""), b.get(k, "")) for k in list(a) + [k for k in b if
                      k not in a] if a.get(k, "") != b.get(k, "")}
            if fields:
                changes.append(Change(kind, rid, "changed", fields))
        for rid, rec in before.items():
            if rid not in after:
                changes.append(Change(kind, rid, "removed", {k: (v, "") for k, v in
                                                             _flat(rec).items() if v}))
    return changes


def diff_folders(old_dir: str | Path, new_dir: str | Path) -> list[Change]:
    """:func:`diff_datasets` of two dataset folders (both validated)."""
    return diff_datasets(load_dataset(old_dir), load_dataset(new_dir))


def diff_rev(rev: str, data_dir: str | Path | None = None) -> list[Change]:
    """Changes from the dataset as it was at git revision *rev* to the folder as it is now.

    A file the revision lacks (a newer dataset file) counts as empty.
    """
    folder = resolve_data_dir(data_dir).resolve()
    top = _git(folder, "rev-parse", "--show-toplevel").strip()
    rel = folder.relative_to(Path(top).resolve()).as_posix()
    try:
        _git(folder, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except AutographError as err:
        raise AutographError(f"unknown git revision {rev!r} in {top}") from err
    with tempfile.TemporaryDirectory(prefix="autograph-rev-") as tmp:
        for name, (required, _) in COLUMNS.items():
            try:
                data = _git(folder, "show", f"{rev}:{rel}/{name}" if rel != "." else
                            f"{rev}:{name}", raw=True)
            except AutographError:
                data = (",".join(required) + "\n").encode()
            (Path(tmp) / name).write_bytes(data)
        try:
            before = load_dataset(tmp)
        except DataValidationError as err:  # name the revision's files, not the temporary ones
            where = f"{rev}:{rel}/" if rel != "." else f"{rev}:"
            raise DataValidationError(
                [dataclasses.replace(p, path=where + Path(p.path).name) for p in err.problems],
                f"the dataset at revision {rev}") from err
        return diff_datasets(before, load_dataset(folder))


def _git(cwd: Path, *args: str, raw: bool = False) -> Any:
    """git's output as text, or as bytes with *raw* (a file's content in a revision)."""
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as err:
        raise AutographError("git is not installed; diff --rev needs it") from err
    if proc.returncode != 0:
        raise AutographError(f"git {' '.join(args)} failed in {cwd}: "
                             f"{proc.stderr.decode(errors='replace').strip() or proc.returncode}")
    return proc.stdout if raw else proc.stdout.decode("utf-8", errors="replace")


def diff_rows(changes: list[Change]) -> list[dict[str, str]]:
    """Changes as table rows, one per changed field (added/removed records: one row)."""
    rows = []
    for c in changes:
        if c.change == "changed":
            rows += [{"kind": c.kind, "id": c.id, "change": c.change, "field": k,
                      "old": old, "new": new} for k, (old, new) in c.fields.items()]
        else:
            summary = c.fields.get("name") or c.fields.get("type") or c.fields.get("title") \
                or ("", "")
            rows.append({"kind": c.kind, "id": c.id, "change": c.change, "field": "",
                         "old": summary[0], "new": summary[1]})
    return rows
