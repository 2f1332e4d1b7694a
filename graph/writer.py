"""The canonical dataset writer: a :class:`~graph.dataset.Dataset` back to its CSV files.

Rules, so that diffs in git stay small and writing an unchanged dataset changes no byte:

* **Columns** come from :data:`graph.dataset.COLUMNS`, in the order of the header the target
  file already has (else the bundled file's header, else ``COLUMNS`` order). An optional column
  that the header lacks is added at the end only when some row has a value for it.
* **Rows** keep the dataset's order, which is the order they were read in: existing rows stay
  where they are and new ones (from ``merge``) follow. ``properties.csv`` keeps the order of
  the rows it had; new figures follow in entity then relation order.
* **Cells**: lists joined with ``|``, pairs as ``id:role``, booleans ``true``/``false``, floats
  without a trailing ``.0``; ``"`` quoting only where needed (``csv.QUOTE_MINIMAL``), ``\\n``
  line ends, UTF-8 without a byte-order mark.
* **Validated first, one transaction**: the files are rendered in memory, written to a
  journal in the target folder and read back by the real reader; only if that finds no
  problem are they committed (:mod:`graph.transaction`: a lock, then one rename commits the
  whole change). On any problem, interruption or kill the folder holds the old dataset or
  the new one, never a mix.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import dataset as dataset_mod, resources, transaction
from .dataset import COLUMNS, LIST_SEPARATOR, Dataset, validate_dataset
from .errors import AutographError, DataValidationError, Problem
from .output import csv_text
from .resources import bundled_dir, check_writable

__all__ = ["write_dataset", "format_dataset", "render_dataset", "format_cell", "read_header",
           "read_property_rows", "is_canonical", "PROPERTIES_FILE"]

PROPERTIES_FILE = "properties.csv"
_PROPERTY_COLUMNS = ("subject", "key", "value", "source", "note")


def _record_files() -> dict[str, str]:
    """Map each record file to the Dataset attribute holding its records (``entities``...)."""
    names = {f.name for f in dataclasses.fields(Dataset)}
    return {name: name[:-4] for name in COLUMNS if name[:-4] in names}


def format_cell(value: Any) -> str:
    """One value as the dataset files spell it.

    >>> format_cell(("VW", "Volkswagen")), format_cell(0.95), format_cell(30.0), format_cell(True)
    ('VW|Volkswagen', '0.95', '30', 'true')
    >>> format_cell((("vw", "party"), ("catl", "party")))
    'vw:party|catl:party'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dict):
        return LIST_SEPARATOR.join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, (tuple, list)):
        return LIST_SEPARATOR.join(
            ":".join(format_cell(x) for x in item) if isinstance(item, (tuple, list))
            else format_cell(item) for item in value)
    return str(value)


def read_header(path: Path) -> list[str] | None:
    """The header row of a CSV file, or None if there is no such readable file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return [h.strip() for h in header] if header else None


def read_property_rows(data_dir: Path) -> list[dict[str, str]]:
    """The raw rows of ``properties.csv`` (the Dataset keeps values, not their source/note)."""
    path = Path(data_dir) / PROPERTIES_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k}
                for row in csv.DictReader(fh)]


def _template_header(name: str, target: Path | None) -> list[str] | None:
    for folder in (target, _bundled_data()):
        if folder is not None:
            header = read_header(Path(folder) / name)
            if header:
                return header
    return None


def _bundled_data() -> Path | None:
    try:
        return bundled_dir("data")
    except FileNotFoundError:
        return None


def _columns(name: str, rows: list[dict[str, str]], target: Path | None) -> list[str]:
    required, optional = COLUMNS[name]
    known = list(required + optional)
    header = [c for c in (_template_header(name, target) or known) if c in known]
    for col in known:
        if col not in header and (col in required or any(r.get(col) for r in rows)):
            header.append(col)
    return header


def _record_rows(records: Iterable[Any]) -> list[dict[str, str]]:
    rows = []
    for rec in records:
        rows.append({f.name: format_cell(getattr(rec, f.name))
                     for f in dataclasses.fields(rec) if f.name != "properties"})
    return rows


def _property_rows(ds: Dataset, previous: list[dict[str, str]],
                   meta: dict[tuple[str, str], dict[str, str]]) -> list[dict[str, str]]:
    """properties.csv rows: earlier rows in their order, then new figures."""
    current: dict[tuple[str, str], Any] = {}
    for attr in _record_files().values():
        for rid, rec in getattr(ds, attr).items():
            for key, value in getattr(rec, "properties", {}).items():
                current[rid, key] = value
    specs = {**dataset_mod.schema.ENTITY_PROPERTIES, **dataset_mod.schema.RELATION_PROPERTIES}
    old = {(r.get("subject", ""), r.get("key", "")): r for r in previous}
    order = [k for k in old if k in current] + [k for k in current if k not in old]
    rows = []
    for subject, key in order:
        value = current[subject, key]
        row = {**old.get((subject, key), {}), **meta.get((subject, key), {})}
        raw = row.get("value", "")
        try:
            same = raw != "" and key in specs and \
                dataset_mod._convert(raw, specs[key].type) == value
        except ValueError:
            same = False
        row.update(subject=subject, key=key, value=raw if same else format_cell(value))
        if not row.get("source"):
            row["source"] = _default_property_source(ds, subject)
        rows.append({c: row.get(c, "") for c in _PROPERTY_COLUMNS})
    return rows


def _default_property_source(ds: Dataset, subject: str) -> str:
    for attr in _record_files().values():
        rec = getattr(ds, attr).get(subject)
        if rec is not None and getattr(rec, "sources", ()):
            return rec.sources[0]
    for rel in ds.relations.values():
        if subject in (rel.source, rel.target):
            return rel.sources[0]
    return ""


def _render(header: list[str], rows: list[dict[str, str]]) -> str:
    return csv_text(header, ([row.get(c, "") for c in header] for row in rows))


def render_dataset(ds: Dataset, target: str | Path | None = None, *,
                   property_meta: dict[tuple[str, str], dict[str, str]] | None = None,
                   ) -> dict[str, str]:
    """The text of every dataset file, keyed by file name, as :func:`write_dataset` writes it.

    Parameters
    ----------
    ds : Dataset
    target : path, optional
        The folder the files are meant for: its headers and ``properties.csv`` rows (the
        source and note of each figure) are kept. Defaults to ``ds.path``.
    property_meta : dict, optional
        ``{(subject, key): {"source": ..., "note": ...}}`` for new or changed figures.
    """
    target = Path(target) if target is not None else ds.path
    previous = read_property_rows(target) if target is not None else []
    if not previous and ds.path is not None and ds.path != target:
        previous = read_property_rows(ds.path)
    out = {}
    for name, attr in _record_files().items():
        rows = _record_rows(getattr(ds, attr).values())
        out[name] = _render(_columns(name, rows, target), rows)
    prop_rows = _property_rows(ds, previous, property_meta or {})
    out[PROPERTIES_FILE] = _render(_columns(PROPERTIES_FILE, prop_rows, target), prop_rows)
    return out


def write_dataset(ds: Dataset, data_dir: str | Path, *,
                  property_meta: dict[tuple[str, str], dict[str, str]] | None = None,
                  extra: dict[str, str] | None = None) -> list[Path]:
    """Write *ds* to *data_dir* canonically, validated, as one transaction.

    The change holds the folder's lock and commits through a journal
    (:mod:`graph.transaction`): a reader, or the next command after a kill, sees the whole
    old dataset or the whole new one. *extra* gives other files of the folder (name ->
    text, such as ``rejections.csv``) to commit with it. Each file keeps its permission
    bits, and a file that is a symbolic link stays one.

    Returns the files whose content changed. Raises
    :class:`~graph.errors.DataValidationError` (nothing written) when the result would not
    validate.

    Examples
    --------
    >>> import tempfile, graph
    >>> ds = graph.load_dataset()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_dataset(ds, tmp)
    ...     graph.load_dataset(tmp).relations == ds.relations
    True
    """
    data_dir = Path(data_dir)
    check_writable(data_dir, "a write")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AutographError(f"{data_dir}: cannot write the dataset: {err.strerror}") from err
    with transaction.locked(data_dir):
        texts = {**render_dataset(ds, data_dir, property_meta=property_meta), **(extra or {})}
        files = {name: text.encode("utf-8") for name, text in texts.items()}
        if all(_read_bytes(data_dir / name) == data for name, data in files.items()):
            return []

        def check(staging: Path) -> None:
            problems = _refused(validate_dataset(staging), data_dir)
            if problems:
                raise DataValidationError([dataclasses.replace(
                    p, path=str(data_dir / Path(p.path).name)) for p in problems])

        return transaction.commit(data_dir, files, check)


def format_dataset(data_dir: str | Path | None = None) -> list[Path]:
    """Rewrite a dataset folder canonically (``autograph format``), under its lock; return
    the files that changed."""
    folder = resources.data_dir(data_dir)
    with transaction.locked(folder, "autograph format"):
        return write_dataset(dataset_mod.load_dataset(folder), folder)


def _refused(problems: list[Problem], data_dir: Path) -> list[Problem]:
    """Every error, and each warning of a rule a write must not break (an actor without a
    base, a country the graph contradicts) that the dataset in *data_dir* did not have
    already: a write may keep old warnings, not add one (a new dataset is written as it is).
    An ungraded source or an isolated Country is no reason to refuse: sources are graded
    after they come in, and a Country waits for its relations."""
    def key(p: Problem) -> tuple[str, str, str]:
        return Path(p.path).name, p.field, p.message

    kept = [p for p in problems if p.warning in ("base", "country")]
    if not kept or not (data_dir / "entities.csv").is_file():
        return [p for p in problems if not p.warning]
    before = {key(p) for p in validate_dataset(data_dir) if p.warning}
    return [p for p in problems if not p.warning or (p in kept and key(p) not in before)]


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def is_canonical(data_dir: str | Path | None = None) -> list[str]:
    """The files of a valid dataset folder that the canonical writer would change."""
    ds = dataset_mod.load_dataset(data_dir)
    folder = Path(ds.path)
    texts = render_dataset(ds, folder)
    return [name for name, text in texts.items()
            if _read_bytes(folder / name) != text.encode("utf-8")]
