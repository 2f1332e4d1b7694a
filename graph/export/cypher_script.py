"""A parameter-free Cypher script of MERGE statements, one per line, for ``cypher-shell``.

Labels and relationship types come from the schema whitelist; property names must be
plain identifiers; every value is a literal escaped for Cypher. Each relationship
statement matches its two ends in two ``MATCH`` clauses (one ``MATCH`` with two patterns
is a cartesian product to Neo4j's linter). Characters outside the Basic Multilingual
Plane are written as themselves: Cypher's ``\\u`` escape takes exactly four hex digits.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .. import schema
from ..dataset import date_start
from ..errors import ExportError
from .common import Exporter
from .neo4j_csv import VALIDITY, _with_precision, _with_validity

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["cypher_literal", "to_cypher", "EXPORTER"]

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}


def _char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f:
        return f"\\u{ord(ch):04x}"
    return ch


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a scalar or list value.

    >>> print(cypher_literal("it's a \\\\ test\\n"))
    'it\\'s a \\\\ test\\n'
    >>> cypher_literal([1, 2.5, True])
    '[1, 2.5, true]'
    >>> cypher_literal("\\U0001d173x") == "'\\U0001d173x'"
    True
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{value!r} cannot be written as a Cypher literal")
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    return "'" + "".join(map(_char, str(value))) + "'"


def _check_key(key: str) -> str:
    if not key.isidentifier() or not key.isascii():
        raise ExportError(f"property name {key!r} is not a plain identifier")
    return key


def _checked(check, value: str) -> str:
    try:
        return check(value)
    except ValueError as err:
        raise ExportError(str(err)) from err


def _properties(data: dict[str, Any], skip: tuple[str, ...]) -> str:
    """The property map as ``load`` stores it: dates as native dates (their first day), with
    their precision and, on relationships, ``validFrom``/``validUntil``."""
    parts = []
    for key, value in sorted(data.items()):
        if key in skip or value is None or value == "":
            continue  # empty strings are absent values: Neo4j has no use for '' properties
        if key in schema.DATE_FIELDS or key in VALIDITY:
            literal = f"date({cypher_literal(date_start(value).isoformat())})"
        else:
            literal = cypher_literal(value)
        parts.append(f"{_check_key(key)}: {literal}")
    return ", ".join(parts)


def to_cypher(G: nx.MultiDiGraph, dataset: str = "autograph") -> str:
    """The script: one ``MERGE`` per node, then one per relationship, writing the graph
    ``autograph load`` writes as *dataset* (ids per dataset, native dates with precision,
    ``validFrom``/``validUntil``, ``_dataset``; not the load's run id and dataset node).

    Names with quotes, backslashes and newlines survive; running it twice changes nothing.
    """
    ds = cypher_literal(dataset)
    lines = ["// autograph export: run with cypher-shell -f FILE"]
    for n, d in G.nodes(data=True):
        label = _checked(schema.check_label, d["label"])
        lines.append(f"MERGE (n:{label} {{id: {cypher_literal(n)}, _dataset: {ds}}}) "
                     f"SET n += {{{_properties(_with_precision(d), ('label',))}}};")
    for u, v, k, d in G.edges(keys=True, data=True):
        rel_type = _checked(schema.check_rel_type, d["type"])
        a = _checked(schema.check_label, G.nodes[u]["label"])
        b = _checked(schema.check_label, G.nodes[v]["label"])
        props = _properties(_with_validity(G, _with_precision(d)), ("type", "id"))
        lines.append(f"MATCH (a:{a} {{id: {cypher_literal(u)}, _dataset: {ds}}}) "
                     f"MATCH (b:{b} {{id: {cypher_literal(v)}, _dataset: {ds}}}) "
                     f"MERGE (a)-[r:{rel_type} {{id: {cypher_literal(k)}, _dataset: {ds}}}]->(b) "
                     f"SET r += {{{props}}};")
    return "\n".join(lines) + "\n"


EXPORTER = Exporter("cypher", ".cypher", "MERGE script for cypher-shell", render=to_cypher)
