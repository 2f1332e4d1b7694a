"""Render rows of plain data as a table, JSON or CSV for the CLI.

Text from the data never reaches the terminal as control characters: escape sequences
(ESC, CSI, OSC and the other C0/C1 controls, carriage returns, bidirectional overrides) are
shown as visible ``\\xNN`` / ``\\uNNNN`` escapes in tables and CSV, and as JSON ``\\u`` escapes
in JSON, which stays valid JSON.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMATS", "render", "render_role", "render_cluster", "terminal_safe",
           "formula_safe", "formula_text", "csv_text", "FORMULA_START"]

FORMATS = ("table", "json", "csv")
# C0 controls except tab and newline, DEL, C1 controls, bidirectional embeddings and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# json.dumps already escapes C0; these it leaves as they are.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    return text[:1] in FORMULA_START and text != "" or \
        (text[:1] == "'" and _formula_like(text[1:]))


def formula_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` (shown as text);
    other values unchanged. Every CSV autograph writes or prints goes through this.

    The prefix is reversible (:func:`formula_text`): a text that already begins with ``'``
    before such a character gets one more.

    >>> formula_safe("=HYPERLINK(1)"), formula_safe("'=1"), formula_safe("CATL"), formula_safe(-1)
    ("'=HYPERLINK(1)", "''=1", 'CATL', -1)
    """
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def formula_text(cell: str) -> str:
    """The text :func:`formula_safe` was given, from the cell it wrote.

    >>> formula_text("'=1"), formula_text("''=1"), formula_text("'quoted'")
    ('=1', "'=1", "'quoted'")
    """
    return cell[1:] if cell[:1] == "'" and _formula_like(cell[1:]) else cell


def csv_text(header: Sequence[str], rows: Any, *, formulas: bool = False) -> str:
    """Rows as CSV text (``\\n`` line ends, minimal quoting) for a file autograph reads
    back; a cell holding a carriage return is quoted too (``csv`` leaves a lone ``\\r``
    bare, which a reader takes for a line end). With *formulas*, text cells go through
    :func:`formula_safe`."""
    buf = io.StringIO()
    plain = csv.writer(buf, lineterminator="\n")
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [header, *rows]:
        cells = [formula_safe(c) for c in row] if formulas else list(row)
        (quoted if any(isinstance(c, str) and "\r" in c for c in cells) else plain
         ).writerow(cells)
    return buf.getvalue()


def terminal_safe(text: str) -> str:
    """*text* with every control character shown as a visible escape.

    >>> print(terminal_safe("CATL\x1b]0;pwned\x07 ok"))
    CATL\\x1b]0;pwned\\x07 ok
    """
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


def _safe_cell(value: Any) -> Any:
    return terminal_safe(value) if isinstance(value, str) else value


def _json_text(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
        return _json_text([{c: r.get(c) for c in columns} for r in rows])
    if fmt == "csv":
        text = csv_text(columns, ([_cell(r.get(c, "")) for c in columns] for r in rows),
                        formulas=True)
        return terminal_safe(text.rstrip("\n"))
    if fmt == "table":
        from tabulate import tabulate  # 0.04 s to import (wcwidth): only for tables

        # escaped before tabulate measures the columns, so that they stay aligned
        cells = [[_safe_cell(_cell(r.get(c, ""))) for c in columns] for r in rows]
        return terminal_safe(tabulate(cells, headers=[terminal_safe(str(c)) for c in columns],
                                      tablefmt="simple", disable_numparse=True))
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _json(data: Any) -> str:
    return _json_text(data)


def render_role(report: dict[str, Any], fmt: str) -> str:
    """An entity's role (see :func:`graph.analysis.role`) as text, JSON or CSV relations."""
    if fmt == "json":
        return _json(report)
    relations = [{"type": t, **r} for t, rows in report["relations"].items() for r in rows]
    columns = ["type", "direction", "counterpart", "status", "date", "sources", "reliability",
               "disputedBy"]
    if fmt == "csv":
        return render(relations, "csv", columns + ["confidence", "evidence"])
    ranks = [{"measure": m, "rank": f"{v['rank']} of {v['of']}", "value": v["value"]}
             for m, v in report["ranks"].items()]
    b, c = report["brokerage"], report["community"]
    lines = [f"{report['name']} ({report['id']}, {report['label']}, {report['country'] or '-'})"
             f", {report['view']} view", "", render(ranks, "table"), "",
             f"brokerage: constraint {b['constraint']:.3f}, effective size "
             f"{b['effectiveSize']:.2f}" if b["constraint"] is not None else "brokerage: -",
             f"community {c['id']} ({c['size']} members); bridges to communities "
             + (", ".join(f"{k} ({n} links)" for k, n in c["bridges"].items()) or "none"),
             "countries of its counterparts: "
             + (", ".join(f"{k} {n}" for k, n in report["countries"].items()) or "none"),
             "", render(relations, "table", columns)]
    lines += [f"note: {n}" for n in report["notes"]]
    return terminal_safe("\n".join(lines))


def render_cluster(report: dict[str, Any], fmt: str) -> str:
    """A regional cluster (see :func:`graph.analysis.cluster`)."""
    if fmt == "json":
        return _json(report)
    plants = [{"plant": p["id"], "operators": p["operators"], "technologies": p["technologies"],
               "suppliers": p["suppliers"],
               "pagerank rank": p["centrality"]["pagerank"]["rank"]} for p in report["plants"]]
    companies = [{"company": c["id"], "country": c["country"],
                  "partners inside": c["partnersInside"], "partners outside": c["partnersOutside"],
                  "pagerank rank": c["centrality"]["pagerank"]["rank"],
                  "betweenness rank": c["centrality"]["betweenness"]["rank"]}
                 for c in report["companies"]]
    if fmt == "csv":
        return render(plants, "csv") + "\n\n" + render(companies, "csv")
    figures = ", ".join(f"{k} {v}" for k, v in report["figures"].items()) or "none"
    return terminal_safe("\n".join([f"{report['name']} ({report['id']}): {len(report['members'])} members; "
                      f"figures: {figures}", "", render(plants, "table"), "",
                      render(companies, "table")]))
