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

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from . import schema
from .errors import QueryError
from .resources import cypher_dir

__all__ = ["Query", "list_queries", "load_query", "load_template", "render_template",
           "parameters_of", "strip_comments", "tokenize", "check_read_only", "check_params",
           "value_problem", "prepare", "as_of_day"]


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
    defaults: dict[str, Any] = field(default_factory=dict)

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


class _Token(NamedTuple):
    kind: str   # word, quoted (`name`), string, number, param, punct, space, comment
    text: str
    start: int


_SCANNERS = [
    ("space", re.compile(r"\s+")),
    ("comment", re.compile(r"//[^\n\r]*|/\*.*?\*/", re.DOTALL)),
    # Cypher strings may span lines; a backslash escapes the next character, whatever it is.
    ("string", re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)),
    ("quoted", re.compile(r"`(?:[^`]|``)*`")),
    ("param", re.compile(r"\$(?:\w+|`(?:[^`]|``)*`)")),
    ("number", re.compile(r"0x[0-9A-Fa-f]+|0o[0-7]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")),
    ("word", re.compile(r"[^\W\d]\w*")),
]


def tokenize(text: str) -> list[_Token]:
    """Cypher text as tokens, comments and whitespace included.

    Strings follow Cypher's rules (a backslash escapes the next character; a string may span
    lines), comments are ``//`` to the end of the line and ``/* ... */``. An unterminated
    string, quoted name or comment is an error: what the server would make of it is unclear.

    >>> [t.text for t in tokenize("RETURN 'a\\\\' // x' AS s") if t.kind != "space"]
    ['RETURN', "'a\\\\' // x'", 'AS', 's']
    """
    tokens, pos = [], 0
    while pos < len(text):
        for kind, pattern in _SCANNERS:
            match = pattern.match(text, pos)
            if match:
                tokens.append(_Token(kind, match.group(), pos))
                pos = match.end()
                break
        else:
            char = text[pos]
            if char in "'\"`" or text.startswith("/*", pos):
                what = {"'": "string", '"': "string", "`": "quoted name"}.get(char, "comment")
                line = text.count("\n", 0, pos) + 1
                raise QueryError(f"unterminated {what} starting on line {line} of the query")
            tokens.append(_Token("punct", char, pos))
            pos += 1
    return tokens


def strip_comments(text: str) -> str:
    """The text without its ``//`` and ``/* */`` comments; string literals stay untouched."""
    kept = [t.text if t.kind != "comment" else ("\n" if t.text.startswith("//") else " ")
            for t in tokenize(text)]
    return "\n".join(line.rstrip() for line in "".join(kept).splitlines()).strip()


# Words that start a clause or command which changes data, schema or the server: refused
# anywhere outside strings, comments and `quoted names` (a property called `set` must be
# quoted). "LOAD" covers LOAD CSV, which reads files on the server.
_WRITE_WORDS = frozenset("""DELETE DETACH SET REMOVE CREATE MERGE DROP FOREACH LOAD INSERT
    ALTER RENAME GRANT DENY REVOKE START STOP TERMINATE ENABLE DEALLOCATE REALLOCATE""".split())
# Procedures that only read (compared lowercased). GDS procedures that run on an in-memory
# projection (stream, stats, mutate, estimate) leave the database as it is.
_READ_PROCEDURES = frozenset("""db.labels db.relationshiptypes db.propertykeys db.indexes
    db.constraints db.info db.ping db.schema.visualization db.schema.nodetypeproperties
    db.schema.reltypeproperties dbms.components dbms.procedures dbms.functions
    db.idx.fulltext.querynodes db.idx.fulltext.queryrelationships db.idx.vector.querynodes
    db.idx.vector.queryrelationships db.index.fulltext.querynodes
    db.index.fulltext.queryrelationships algo.pagerank algo.bfs algo.wcc algo.betweenness
    algo.sppaths algo.sspaths algo.labelpropagation gds.version gds.list gds.graph.list
    gds.graph.exists gds.graph.drop gds.graph.project gds.graph.project.cypher""".split())
_GDS_READ_MODES = ("stream", "stats", "mutate", "estimate")
# The clause checked for what it calls (spelled as a keyword so that the architecture test,
# which looks for Cypher statements in string constants, does not take it for one).
_CALL_CLAUSE = dict(CALL="a procedure or a subquery")


# Namespaces of functions that only compute: Cypher's temporal, spatial and vector functions,
# and the db/gds helpers. A function of any other namespace (a plugin's, such as
# apoc.cypher.runFirstColumnSingle, which runs Cypher text of its own) is refused without
# --write, as an unknown procedure is.
_READ_FUNCTION_NAMESPACES = frozenset(
    "date datetime localdatetime localtime time duration point vector db gds graph "
    "string list vec".split())  # graph: Neo4j's graph.names(); string, list, vec: others'


def _procedure_is_read_only(name: str) -> bool:
    name = name.lower()
    if name in _READ_PROCEDURES:
        return True
    parts = name.split(".")
    return parts[0] == "gds" and parts[-1] in _GDS_READ_MODES and "write" not in parts


def _unquote(token: _Token) -> str:
    return token.text[1:-1].replace("``", "`") if token.kind == "quoted" else token.text


def check_read_only(cypher: str) -> None:
    """Refuse a query that could write: write clauses, unknown procedures, unclear text.

    The query is tokenized as Cypher (strings with their escapes, ``//`` and ``/* */``
    comments, `quoted names`); any write keyword outside strings and comments is refused,
    and ``CALL`` is allowed for subqueries (whose text is checked like the rest) and for
    procedures known to be read-only.

    >>> check_read_only("MATCH (n) WHERE n.name = 'SET' RETURN n.id // DELETE")
    >>> check_read_only("MATCH (n) DETACH DELETE n")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: this query writes (DETACH); run it with --write to allow that
    """
    tokens = [t for t in tokenize(cypher) if t.kind not in ("space", "comment")]
    for i, token in enumerate(tokens):
        if (token.kind == "quoted" and "." in _unquote(token) and i + 1 < len(tokens)
                and tokens[i + 1].text == "(" and (i == 0 or tokens[i - 1].text.upper()
                                                   not in _CALL_CLAUSE)):
            _refuse_function(_unquote(token).split("."))  # `apoc.cypher.run`(...): one name
        if (token.kind in ("word", "quoted") and i + 2 < len(tokens)
                and tokens[i + 1].text == "." and (i == 0 or (
                    tokens[i - 1].text != "." and tokens[i - 1].text.upper() not in _CALL_CLAUSE))):
            _check_function(tokens, i)
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word in _WRITE_WORDS and (i == 0 or tokens[i - 1].text != "."):  # not gds.graph.drop
            raise QueryError(f"this query writes ({word}); run it with --write to allow that")
        if word in _CALL_CLAUSE:
            rest = tokens[i + 1:]
            if rest and rest[0].text in "{(":
                continue  # a subquery: its clauses are checked like the rest
            name = []
            for j, part in enumerate(rest):
                if j % 2 == 0 and part.kind in ("word", "quoted"):
                    name.append(_unquote(part))
                elif j % 2 == 1 and part.text == ".":
                    continue
                else:
                    break
            procedure = ".".join(name)
            if not _procedure_is_read_only(procedure):
                raise QueryError(f"this query calls the procedure {procedure!r}, which autograph "
                                 "does not know to be read-only; run it with --write to allow "
                                 "that")


def _check_function(tokens: list[_Token], i: int) -> None:
    """Refuse ``ns.name(...)`` at *i* unless its namespace only computes (property access,
    ``n.name``, is not followed by an opening parenthesis)."""
    name, j = [_unquote(tokens[i])], i + 1
    while (j + 1 < len(tokens) and tokens[j].text == "."
           and tokens[j + 1].kind in ("word", "quoted")):
        name.append(_unquote(tokens[j + 1]))
        j += 2
    if j < len(tokens) and tokens[j].text == "(":
        _refuse_function(name)


def _refuse_function(name: list[str]) -> None:
    if name[0].lower() not in _READ_FUNCTION_NAMESPACES:
        raise QueryError(f"this query calls the function {'.'.join(name)!r}, which autograph "
                         "does not know to be read-only; run it with --write to allow that")


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
INT64 = (-2**63, 2**63 - 1)


def value_problem(value: Any) -> str | None:
    """What keeps a Bolt server from taking *value* as it is, or None.

    Integers beyond 64 bits, text with NUL, floats that are not finite, map keys that are
    not plain names, and values of other types than text, numbers, booleans, dates, lists
    and maps.

    >>> value_problem(["ok", 1, 2.5, True, None, {"key": "x"}]) is None
    True
    >>> value_problem(2**64)
    'the integer 18446744073709551616 is outside the 64-bit range the server can store'
    """
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            return "the text contains a NUL character (\\x00), which the server cannot store"
    elif kind is int:
        if not INT64[0] <= value <= INT64[1]:
            return f"the integer {value} is outside the 64-bit range the server can store"
    elif kind is float:
        if not math.isfinite(value):
            return f"{value} is not a finite number"
    elif kind in (list, tuple):
        for item in value:
            problem = value_problem(item)
            if problem:
                return problem
    elif kind is dict:
        for key, item in value.items():
            if not isinstance(key, str) or not _NAME_RE.fullmatch(key):
                return (f"map key {key!r} is not a plain name (letters, digits and _, not "
                        "starting with a digit)")
            problem = value_problem(item)
            if problem:
                return f"{key}: {problem}"
    elif value is not None and kind is not bool and kind is not dt.date:
        return f"a value of type {kind.__name__} cannot be sent to the server"
    return None


def check_params(params: dict[str, Any]) -> None:
    """Refuse parameter names that are not plain names and values the server cannot take.

    >>> check_params({"entity": "catl", "limit": 10})
    >>> check_params({"a=1 CREATE (:X) //": 1})
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: parameter name 'a=1 CREATE (:X) //' is not a plain name (letters, digits and _, not starting with a digit)
    """
    for name, value in params.items():
        if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
            raise QueryError(f"parameter name {name!r} is not a plain name (letters, digits "
                             "and _, not starting with a digit)")
        problem = value_problem(value)
        if problem:
            raise QueryError(f"parameter {name!r}: {problem}")


def parameters_of(text: str) -> set[str]:
    """The ``$parameters`` a Cypher text uses (comments ignored)."""
    return {t.text[1:] for t in tokenize(text) if t.kind == "param"}


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
    defaults: dict[str, Any] = {}
    type_params: dict[str, str] = {}
    example: dict[str, Any] = {}
    details = []
    for line in header[1:]:
        if line.startswith("@param "):
            name, _, desc = line[len("@param "):].partition(":")
            name, has_default, default = name.partition("=")
            params[name.strip()] = desc.strip()
            if has_default:  # `@param asOf = null: ...` is optional, with that JSON default
                try:
                    defaults[name.strip()] = json.loads(default)
                except json.JSONDecodeError as err:
                    raise QueryError(f"{path}: default of {name.strip()} is not JSON: "
                                     f"{err}") from err
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
                 type_params=type_params, defaults=defaults)


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

    A library query must get exactly the parameters its header declares (those declared with
    a default may be left out); its ``@types`` parameters are filled from the schema.
    """
    if re.fullmatch(r"[a-z0-9_]+", query):
        q = load_query(query)
        params = {**q.defaults, **params}
        missing = [p for p in q.params if p not in params]
        unknown = [p for p in params if p not in q.params]
        if missing or unknown:
            wants = ", ".join(f"{k} ({v})" for k, v in q.params.items()) or "no parameters"
            problem = (f"missing {', '.join(missing)}" if missing
                       else f"unknown {', '.join(unknown)}")
            raise QueryError(f"query {q.name!r}: {problem}; it takes {wants}. Example: "
                             f"autograph query {q.name} "
                             + " ".join(f"-p {k} {json.dumps(v)}" for k, v in q.example.items()))
        if "asOf" in q.params and isinstance(params.get("asOf"), (str, int)):  # -p asOf 2024
            params = {**params, "asOf": as_of_day(str(params["asOf"]))}
        return q.text, {**params, **q.schema_parameters()}
    return query, params


def as_of_day(value: str) -> dt.date:
    """The day a library query's ``$asOf`` stands for: the last day of the period, as
    ``--as-of`` reads it (``"2024"`` is 31 December 2024).

    >>> as_of_day("2024-02")
    datetime.date(2024, 2, 29)
    """
    from .selection import date_period

    try:
        return date_period(value)[1]
    except ValueError as err:
        raise QueryError(f"asOf must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}"
                         ) from err


def prepare(query: str, params: dict[str, Any], write: bool = False
            ) -> tuple[str, dict[str, Any]]:
    """:func:`resolve`, then the checks a query from a user must pass before it is sent:
    plain parameter names and storable values, and (unless *write*) no write clause."""
    text, values = resolve(query, params)
    check_params(values)
    if not write:
        check_read_only(text)
    return text, values
