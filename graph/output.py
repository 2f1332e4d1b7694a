"""Render rows of plain data as a table, JSON or CSV for the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from tabulate import tabulate

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def render(rows: Sequence[dict[str, Any]], fmt: str = "table",
           columns: Sequence[str] | None = None) -> str:
    """Render *rows* (dicts) in *fmt*; *columns* fixes the order and selection."""
    columns = list(columns) if columns is not None else list(rows[0]) if rows else []
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=2,
                          ensure_ascii=False, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(r.get(c, "")) for c in columns] for r in rows)
        return buf.getvalue().rstrip("\n")
    if fmt == "table":
        return tabulate([[_cell(r.get(c, "")) for c in columns] for r in rows],
                        headers=columns, tablefmt="simple", disable_numparse=True)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
