"""Differences between Bolt servers, kept in one small place.

``neo4j``: Neo4j 5 (Desktop, Aura, Docker). Everything standard.

``falkordb``: FalkorDB 4.18 with its Bolt port, the test server of this project (no Neo4j
server can be installed from the registries the project reaches). Its known defects, and
what autograph does about each:

* it reports itself as ``Neo4j/5.13.0``, so it is recognised by ``dbms.components()``
  failing (``load/probe_neo4j.cypher``), or named with ``AUTOGRAPH_BOLT_DIALECT=falkordb``;
* the database name is ignored: one graph, ``falkordb``;
* returning a date value crashes the server, so dates are stored as ISO text
  (``native_dates = False``); the library queries return ``toString(r.date)``, which works on
  both;
* rolling back a transaction does not undo its writes, so loads never rely on rollback:
  see :mod:`graph.backends.neo4j` (snapshot, tag, undo);
* READ access mode is not enforced, so the query runner also refuses write clauses itself;
* string parameters are pasted into the query text and unescaped there: a ``'`` fails the
  query and ``\\n`` turns into a newline. The falkordb dialect escapes ``\\`` and ``'`` in
  every string parameter (``escape_params``), which round-trips any text exactly;
* a ``BOLT_PORT`` above 32767 is silently ignored (no Bolt listener): the test fixture picks
  ports below it;
* errors carry no message; autograph says which statement failed;
* the first connection after a Bolt client disconnects can stall; opening and closing a plain
  TCP connection first avoids it (``preflight``), which autograph does for every server, as
  it also gives a fast, clear error when nothing listens;
* no constraint syntax and no ``IF NOT EXISTS``: ids get a plain index, created only when
  ``db.indexes()`` does not list it (so ids unique per dataset are not enforced by the server;
  the loader's ``MERGE`` on id and dataset keeps them unique);
* a relationship variable that the rest of the query does not use makes parallel
  relationships between the same two nodes collapse into one row (``count(*)`` undercounts):
  the library always counts ``count(r)`` or carries ``r`` through ``WITH``;
* no ``COUNT {}``/``EXISTS {}`` subqueries; ``shortestPath`` only as an expression and only
  directed (the library uses a bounded variable-length match instead); and returning a path or relationship object breaks the
  connection: the library queries return scalars, lists and maps only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Dialect", "NEO4J", "FALKORDB", "DIALECTS", "escape_params"]


def escape_params(value: Any) -> Any:
    """Escape backslashes and single quotes in every string, recursively.

    >>> escape_params({"name": "it's", "path": ["C:\\\\new"]}) == {
    ...     "name": "it\\\\'s", "path": ["C:\\\\\\\\new"]}
    True
    """
    kind = type(value)  # exact types: this runs on every value of a load
    if kind is str:
        if "\\" in value or "'" in value:
            return value.replace("\\", "\\\\").replace("'", "\\'")
        return value
    if kind is dict:
        return {k: escape_params(v) for k, v in value.items()}
    if kind is list:
        return [escape_params(v) for v in value]
    return value


@dataclass(frozen=True)
class Dialect:
    name: str
    native_dates: bool
    constraints: bool
    enforces_read_mode: bool
    schema_templates: tuple[str, ...]
    rel_schema_templates: tuple[str, ...] = ()
    escapes_params: bool = False

    def params(self, params: dict[str, Any]) -> dict[str, Any]:
        """Parameters as this server needs them."""
        return escape_params(params) if self.escapes_params else params


NEO4J = Dialect("neo4j", native_dates=True, constraints=True, enforces_read_mode=True,
                schema_templates=("schema/neo4j_id_constraint", "schema/neo4j_name_index"),
                rel_schema_templates=("schema/neo4j_rel_id_index",))
FALKORDB = Dialect("falkordb", native_dates=False, constraints=False, enforces_read_mode=False,
                   schema_templates=("schema/falkordb_id_index", "schema/falkordb_name_index"),
                   rel_schema_templates=("schema/falkordb_rel_id_index",),
                   escapes_params=True)
DIALECTS = {d.name: d for d in (NEO4J, FALKORDB)}
