"""Interactive review of a candidates folder in the terminal, one candidate at a time.

Relations come first (each with its sentence, the two entities and the cue highlighted, and
whether each end is a known entity or a new candidate), then the new entities, then figures.
Every key press that decides something is written to the folder at once (atomically), so
quitting, a closed terminal or a crash lose nothing, and the next ``review`` resumes at the
first undecided candidate.

Keys: ``a`` accept, ``r`` reject, ``s``/space skip, ``b`` back, ``t`` edit the type (or an
entity's label), ``g`` edit the target (or an entity's ``sameAs``), ``u`` edit the status,
``e`` edit the evidence note, ``q`` quit.

:func:`review` takes its keys and line input as callables, so tests drive it in-process; the
CLI passes ``click.getchar`` and ``click.prompt``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import schema
from ..errors import IngestError
from ..output import terminal_safe
from .candidates import Candidates, write_candidates

__all__ = ["review", "ReviewResult", "KEYS"]

KEYS = {"a": "accept", "r": "reject", "s": "skip", " ": "skip", "b": "back",
        "t": "type", "g": "target", "u": "status", "e": "evidence", "q": "quit"}
# While a screen is composed, styles are private-use placeholders: the whole screen, text from
# the article and the data included, then passes terminal_safe, and only our own styles become
# escape sequences.
_BOLD, _REV, _CUE, _OFF = "\ue000", "\ue001", "\ue002", "\ue003"
_STYLES = {_BOLD: "\x1b[1m", _REV: "\x1b[7m", _CUE: "\x1b[4;33m", _OFF: "\x1b[0m"}
# the same characters in the data are shown as escapes, never taken for a style
_AS_TEXT = str.maketrans({p: f"\\u{ord(p):04x}" for p in _STYLES})


def _text(value: object) -> str:
    """Text from the article or the candidates, with no character that becomes a style."""
    return str(value).translate(_AS_TEXT)


@dataclass
class ReviewResult:
    accepted: int = 0
    rejected: int = 0
    undecided: int = 0
    quit: bool = False


def _items(c: Candidates) -> list[tuple[str, dict[str, str]]]:
    return ([("relations.csv", r) for r in c.relations] +
            [("entities.csv", e) for e in c.entities] +
            [("properties.csv", p) for p in c.properties])


def _name(c: Candidates, known: dict[str, str], eid: str) -> str:
    if eid in known:
        return _text(f"{known[eid]} [{eid}, known]")
    for e in c.entities:
        if e["id"] == eid:
            flag = e.get("decision") or "undecided"
            return _text(f"{e['name']} [{eid}, new {e['label']}, {flag}]")
    return _text(f"{eid} [unknown]")


def _sentence(c: Candidates, row: dict[str, str], marks: list[str], color: bool) -> str:
    text = c.texts.get(row.get("article", ""), "")
    try:
        start, end = int(row.get("start") or 0), int(row.get("end") or 0)
    except ValueError:
        start = end = 0
    sentence = _text(text[start:end]) if text and end > start else ""
    if not sentence:
        return "(no sentence)"
    if color:
        for mark, style in marks:
            mark = _text(mark)
            if mark and mark in sentence:
                sentence = sentence.replace(mark, f"{style}{mark}{_OFF}", 1)
    return sentence


def render(c: Candidates, pos: int, known: dict[str, str], color: bool = True) -> str:
    """The screen for item *pos*."""
    items = _items(c)
    name, raw = items[pos]
    row = {k: _text(v) for k, v in raw.items()}  # for display; ids are looked up raw
    decided = sum(1 for _, r in items if r.get("decision"))
    head = (f"candidate {pos + 1}/{len(items)}  ({decided} decided)  "
            f"score {row.get('score', '')}  cue: {row.get('cue', '')}")
    lines = [head, ""]
    marks: list[tuple[str, str]] = [(row.get("cue", "").split(" (")[0], _CUE)]
    if name == "relations.csv":
        lines += [f"{_BOLD if color else ''}{row['type']}{_OFF if color else ''}  "
                  f"status {row.get('status', '')}  date {row.get('date') or '-'}",
                  f"  from: {_name(c, known, raw['source'])}",
                  f"  to:   {_name(c, known, raw['target'])}",
                  f"  evidence: {row.get('evidence', '')}"]
        for end in ("source", "target"):
            for e in c.entities:
                if e["id"] == raw[end]:
                    marks += [(a, _REV) for a in [e["name"], *e.get("aliases", "").split("|")]]
            if raw[end] in known:
                marks.append((known[raw[end]], _REV))
    elif name == "entities.csv":
        lines += [f"new {row['label']}: {_BOLD if color else ''}{row['name']}"
                  f"{_OFF if color else ''}  (id {row['id']})",
                  f"  aliases: {row.get('aliases') or '-'}  kind: {row.get('kind') or '-'}  "
                  f"country: {row.get('country') or '-'}",
                  f"  may be: {_name(c, known, raw['sameAs']) if raw.get('sameAs') else '-'}"]
        marks += [(row["name"], _REV)] + [(a, _REV) for a in row.get("aliases", "").split("|")]
    else:
        lines += [f"figure {row['key']} = {row['value']} on {_name(c, known, raw['subject'])}"]
    lines += ["", _sentence(c, raw, marks, color), "",
              f"decision: {row.get('decision') or '-'}",
              "[a]ccept [r]eject [s]kip [b]ack  edit: [t]ype [g] target/sameAs [u] status "
              "[e]vidence  [q]uit"]
    screen = terminal_safe("\n".join(lines))
    for placeholder, style in _STYLES.items():
        screen = screen.replace(placeholder, style)
    return screen


def _edit(c: Candidates, name: str, row: dict[str, str], what: str,
          prompt: Callable[[str, str], str], known: set[str]) -> str:
    """Apply one edit; return a message (empty when fine)."""
    if name == "relations.csv":
        if what == "type":
            value = prompt("type", row["type"]).strip().upper()
            if value not in schema.REL_TYPES:
                return f"unknown type {value!r}; one of {', '.join(schema.REL_TYPES)}"
            row["type"] = value
        elif what == "target":
            value = prompt("target id", row["target"]).strip()
            if value not in known and value not in {e["id"] for e in c.entities}:
                return f"unknown entity id {value!r}"
            row["target"] = value
        elif what == "status":
            value = prompt("status", row["status"]).strip()
            if value not in schema.STATUSES:
                return f"unknown status {value!r}; one of {', '.join(schema.STATUSES)}"
            row["status"] = value
        elif what == "evidence":
            row["evidence"] = prompt("evidence", row.get("evidence", "")).strip()
        return ""
    if name == "entities.csv":
        if what == "type":
            value = prompt("label", row["label"]).strip()
            if value not in schema.NODE_LABELS:
                return f"unknown label {value!r}; one of {', '.join(schema.NODE_LABELS)}"
            row["label"] = value
        elif what == "target":
            value = prompt("sameAs (an existing id, or - for a new entity)",
                           row.get("sameAs") or "-").strip()
            if value not in ("-", "") and value not in known:
                return f"unknown entity id {value!r}"
            row["sameAs"] = "" if value in ("-", "") else value
        return ""
    return "figures can only be accepted or rejected"


def review(c: Candidates, known: dict[str, str], getkey: Callable[[], str],
           prompt: Callable[[str, str], str], show: Callable[[str], None], *,
           color: bool = True) -> ReviewResult:
    """Walk through the candidates; save every decision to ``c.path`` as it is made.

    Parameters
    ----------
    c : Candidates
        Read with :func:`~graph.ingest.candidates.read_candidates` (its folder is saved to).
    known : dict
        Entity id -> name of the dataset the candidates were made against.
    getkey, prompt, show
        One key press; a line of input (label, default); output of one screen.
    """
    if c.path is None:
        raise IngestError("review needs a candidates folder on disk")
    items = _items(c)
    result = ReviewResult()
    if not items:
        show("nothing to review: the folder has no candidates")
        return result
    pos = next((i for i, (_, r) in enumerate(items) if not r.get("decision")), None)
    if pos is None:
        show(f"all {len(items)} candidates are decided; edit the decision column to change "
             "one, or run autograph merge")
        return _count(items, result)
    message = ""
    while 0 <= pos < len(items):
        name, row = items[pos]
        show(render(c, pos, known, color) + (f"\n{terminal_safe(message)}" if message else ""))
        message = ""
        key = getkey()
        if not key:  # end of input: behave like quit
            result.quit = True
            break
        action = KEYS.get(key.lower())
        if action in ("accept", "reject"):
            row["decision"] = action
            touched = [name]
            if action == "accept" and name == "relations.csv":
                for end in ("source", "target"):
                    for e in c.entities:
                        if e["id"] == row[end] and not e.get("decision"):
                            e["decision"] = "accept"
                            touched.append("entities.csv")
            for fname in dict.fromkeys(touched):
                write_candidates(c, c.path, only=fname)
            pos += 1
        elif action == "skip":
            pos += 1
        elif action == "back":
            pos = max(0, pos - 1)
        elif action in ("type", "target", "status", "evidence"):
            message = _edit(c, name, row, action, prompt, set(known))
            if not message:
                write_candidates(c, c.path, only=name)
        elif action == "quit":
            result.quit = True
            break
        else:
            message = "keys: a r s b t g u e q"
    if not result.quit:
        show("end of the candidates; run autograph merge to apply the accepted ones")
    return _count(items, result)


def _count(items, result: ReviewResult) -> ReviewResult:
    result.accepted = sum(1 for _, r in items if r.get("decision") == "accept")
    result.rejected = sum(1 for _, r in items if r.get("decision") == "reject")
    result.undecided = len(items) - result.accepted - result.rejected
    return result
