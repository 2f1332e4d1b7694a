"""Find and read the Cypher in ``cypher/``: the query library and the load templates.

Each library file starts with a comment header::

    // One line saying what the query answers.
    // More lines of explanation (optional).
    // @param company: entity id of the company
    // @types cooperationTypes: cooperation
    // @example {"company": "catl"}
    MATCH ...

``@types NAME: GROUP`` declares a parameter that the runner fills with the relationship types
of a group of the schema (:func:`graph.schema.rel_types_in`; ``symmetric`` names the symmetric
types), so no query spells a list of types that the schema already declares.

Templates in ``cypher/load/`` and ``cypher/schema/`` hold ``__LABEL__``, ``__TYPE__``,
``__START__`` and ``__END__`` tokens, filled only with names from the schema whitelist.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .errors import QueryError
from .resources import cypher_dir

__all__ = ["Query", "list_queries", "load_query", "load_template", "render_template",
           "parameters_of", "strip_comments"]

_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_TOKENS = {"__LABEL__": schema.check_label, "__START__": schema.check_label,
           "__END__": schema.check_label, "__TYPE__": schema.check_rel_type}


@dataclass(frozen=True)
class Query:
    """A query of the library: its name (the file stem), documentation and text."""

    name: str
    description: str
    text: str
    path: Path
    params: dict[str, str] = field(default_factory=dict)
    example: dict[str, Any] = field(default_factory=dict)
    details: str = ""
    type_params: dict[str, str] = field(default_factory=dict)

    def schema_parameters(self) -> dict[str, list[str]]:
        """The ``@types`` parameters, filled from the schema."""
        return {name: list(schema_types(group)) for name, group in self.type_params.items()}


def schema_types(group: str) -> tuple[str, ...]:
    """The relationship types of a schema group, or the symmetric types for ``symmetric``."""
    if group == "symmetric":
        return schema.symmetric_types()
    try:
        return schema.rel_types_in(group)
    except ValueError as err:
        raise QueryError(str(err)) from err


def strip_comments(text: str) -> str:
    """Remove ``//`` line comments and string literals' contents stay untouched."""
    out = []
    for line in text.splitlines():
        quote = None
        for i, ch in enumerate(line):
            if quote:
                if ch == "\\":
                    continue
                if ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif line.startswith("//", i):
                line = line[:i]
                break
        out.append(line)
    return "\n".join(out).strip()


def parameters_of(text: str) -> set[str]:
    """The ``$parameters`` a Cypher text uses (comments ignored)."""
    return set(_PARAM_RE.findall(strip_comments(text)))


def _parse(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        header.append(line[2:].strip())
    if not header or not header[0]:
        raise QueryError(f"{path}: the first line must be a // comment saying what it answers")
    params: dict[str, str] = {}
    type_params: dict[str, str] = {}
    example: dict[str, Any] = {}
    details = []
    for line in header[1:]:
        if line.startswith("@param "):
            name, _, desc = line[len("@param "):].partition(":")
            params[name.strip()] = desc.strip()
        elif line.startswith("@types "):
            name, _, group = line[len("@types "):].partition(":")
            type_params[name.strip()] = group.strip()
            schema_types(group.strip())
        elif line.startswith("@example"):
            try:
                example = json.loads(line[len("@example"):].strip() or "{}")
            except json.JSONDecodeError as err:
                raise QueryError(f"{path}: @example is not JSON: {err}") from err
        elif line:
            details.append(line)
    return Query(name=path.stem, description=header[0], text=strip_comments(text), path=path,
                 params=params, example=example, details=" ".join(details),
                 type_params=type_params)


def list_queries() -> list[Query]:
    """Every query of the library (``cypher/*.cypher``), sorted by name."""
    return [_parse(p) for p in sorted(cypher_dir().glob("*.cypher"))]


def load_query(name: str) -> Query:
    """The library query *name* (the file stem, e.g. ``"partners_of_company"``)."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise QueryError(f"{name!r} is not a query name (lowercase letters, digits, _)")
    path = cypher_dir() / f"{name}.cypher"
    if not path.is_file():
        known = ", ".join(q.name for q in list_queries())
        raise QueryError(f"no query named {name!r} in {cypher_dir()}; known: {known}")
    return _parse(path)


def load_template(relpath: str) -> str:
    """The text of an internal template such as ``"load/merge_nodes"``, comments removed."""
    path = cypher_dir() / f"{relpath}.cypher"
    if not path.is_file():
        raise QueryError(f"missing Cypher template {path}")
    return strip_comments(path.read_text(encoding="utf-8"))


def render_template(text: str, **names: str) -> str:
    """Fill ``__LABEL__``-style tokens, each checked against the schema whitelist.

    >>> render_template("MERGE (n:__LABEL__ {id: $id})", LABEL="Company")
    'MERGE (n:Company {id: $id})'
    """
    for key, value in names.items():
        token = f"__{key}__"
        if token not in _TOKENS:
            raise QueryError(f"unknown template token {token}")
        try:
            _TOKENS[token](value)
        except ValueError as err:
            raise QueryError(str(err)) from err
        text = text.replace(token, value)
    left = [t for t in _TOKENS if t in text]
    if left:
        raise QueryError(f"template tokens left unfilled: {', '.join(left)}")
    return text


def resolve(query: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The Cypher text to run for *query* (a library name or Cypher text) and its parameters.

    A library query must get exactly the parameters its header declares; its ``@types``
    parameters are filled from the schema.
    """
    if re.fullmatch(r"[a-z0-9_]+", query):
        q = load_query(query)
        missing = [p for p in q.params if p not in params]
        unknown = [p for p in params if p not in q.params]
        if missing or unknown:
            wants = ", ".join(f"{k} ({v})" for k, v in q.params.items()) or "no parameters"
            problem = (f"missing {', '.join(missing)}" if missing
                       else f"unknown {', '.join(unknown)}")
            raise QueryError(f"query {q.name!r}: {problem}; it takes {wants}. Example: "
                             f"autograph query {q.name} "
                             + " ".join(f"-p {k} {json.dumps(v)}" for k, v in q.example.items()))
        return q.text, {**params, **q.schema_parameters()}
    return query, params
