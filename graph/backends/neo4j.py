"""Neo4j over Bolt with the official driver: load, query, fetch.

Loading is idempotent (``MERGE`` on ids) and all or nothing without relying on server
rollback: every value is checked before anything is sent; the properties of every node and
relationship the load will touch are read first (the snapshot); everything the load writes
carries ``_dataset`` and ``_load`` (this run's id); and if any batch fails, what the run
created is deleted and what it changed is put back from the snapshot.

Credentials come from the environment (``NEO4J_URI``, ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``); the password is never taken from the command line
and never printed.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

from .. import schema
from ..cypher import load_query, load_template, render_template, strip_comments
from ..dataset import date_start
from ..errors import BackendError, MissingDependencyError, QueryError
from .dialect import DIALECTS, FALKORDB, NEO4J, Dialect

try:
    import neo4j
    from neo4j import exceptions as neo4j_errors
except ImportError:  # pragma: no cover - neo4j is a core dependency
    neo4j = None

__all__ = ["BoltSettings", "Neo4jBackend", "LoadReport", "QueryResult", "check_read_only",
           "NO_SERVER_HELP", "INTERNAL_PROPERTIES"]

INTERNAL_PROPERTIES = ("_dataset", "_load")
# Text fields the model always has; empty ones are not stored, so they come back as "".
_EMPTY_NODE_FIELDS = ("kind", "country", "description")
_EMPTY_DEAL_FIELDS = ("kind", "date", "endDate", "asOf")
_EMPTY_EDGE_FIELDS = ("deal", "date", "endDate", "asOf")
DATE_FIELDS = ("date", "endDate", "asOf")
_PRECISION = {0: "year", 1: "month", 2: "day"}
# Bolt magic preamble, then four protocol versions we could speak (5.4, 4.4, none, none).
_BOLT_HANDSHAKE = bytes.fromhex("6060b017" "00000405" "00000404" "00000000" "00000000")
_WRITE_RE = re.compile(
    r"(?<![\w.$`])(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|FOREACH|LOAD\s+CSV)(?![\w`])",
    re.IGNORECASE)

NO_SERVER_HELP = (
    "this command needs a Neo4j server and none is configured. Set NEO4J_URI (and "
    "NEO4J_USERNAME, NEO4J_PASSWORD) or pass --uri. To start one locally: "
    "docker run -d -p 7687:7687 -e NEO4J_AUTH=neo4j/<password> neo4j:5, then "
    "autograph load. The embedded backend needs no server: autograph stats, analyze, map "
    "and export work without one.")


@dataclass(frozen=True)
class BoltSettings:
    """Where and as whom to connect. The password is kept out of ``repr``."""

    uri: str
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None
    dialect: str = "auto"

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None,
                 database: str | None = None, env: dict[str, str] | None = None
                 ) -> BoltSettings:
        """Settings from options, falling back to the standard environment variables."""
        env = os.environ if env is None else env
        uri = uri or env.get("NEO4J_URI")
        if not uri:
            raise BackendError(NO_SERVER_HELP)
        dialect = env.get("AUTOGRAPH_BOLT_DIALECT", "auto")
        if dialect != "auto" and dialect not in DIALECTS:
            raise BackendError(f"AUTOGRAPH_BOLT_DIALECT must be auto, "
                               f"{' or '.join(DIALECTS)}, not {dialect!r}")
        return cls(uri=uri, user=user or env.get("NEO4J_USERNAME", "neo4j"),
                   password=env.get("NEO4J_PASSWORD", ""),
                   database=database or env.get("NEO4J_DATABASE") or None, dialect=dialect)


@dataclass
class LoadReport:
    """What a load did."""

    run: str
    dataset: str
    nodes: int
    relationships: int
    batches: int
    dialect: str
    removed_nodes: int = 0
    removed_relationships: int = 0


@dataclass
class QueryResult:
    """Columns and rows of a query, values converted to plain Python data."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def check_read_only(cypher: str) -> None:
    """Refuse a query with write clauses; comments and string literals are ignored.

    >>> check_read_only("MATCH (n) WHERE n.name = 'SET' RETURN n.id // DELETE")
    >>> check_read_only("MATCH (n) DETACH DELETE n")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: this query writes (DETACH); run it with --write to allow that
    """
    text = re.sub(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`", "''",
                  strip_comments(cypher))
    match = _WRITE_RE.search(text)
    if match:
        raise QueryError(f"this query writes ({match.group(1).upper()}); run it with --write "
                         "to allow that")


def _plain(value: Any) -> Any:
    """Driver values -> JSON-friendly Python values."""
    if neo4j is not None:
        if isinstance(value, neo4j.graph.Node):
            return dict(value.items())
        if isinstance(value, neo4j.graph.Relationship):
            return {"type": value.type, **dict(value.items())}
        if isinstance(value, neo4j.graph.Path):
            return [_plain(n) for n in value.nodes]
        if hasattr(value, "iso_format"):
            return value.iso_format()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class Neo4jBackend:
    """A connection to a Bolt server. Use as a context manager.

    Examples
    --------
    >>> with Neo4jBackend(BoltSettings.from_env()) as db:  # doctest: +SKIP
    ...     db.load(graph.load_graph(), dataset="autograph")
    """

    def __init__(self, settings: BoltSettings):
        if neo4j is None:  # pragma: no cover
            raise MissingDependencyError("neo4j", "neo4j")
        self.settings = settings
        self.driver = None
        self.dialect: Dialect = NEO4J

    # -- connection --------------------------------------------------------------------------

    def _where(self) -> str:
        parts = urlsplit(self.settings.uri)
        return f"{parts.scheme}://{parts.hostname}:{parts.port or 7687}"

    def preflight(self, attempts: int = 20, timeout: float = 0.5) -> None:
        """Check that a Bolt server answers the handshake, before the driver connects.

        It gives a fast, clear error when nothing listens, and it is the workaround for
        FalkorDB, which leaves one stalled handshake behind for every Bolt client that
        disconnected: each attempt that stalls clears one, so we retry until one answers.
        """
        parts = urlsplit(self.settings.uri)
        if parts.scheme not in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"):
            raise BackendError(f"NEO4J_URI must start with bolt:// or neo4j://, not "
                               f"{parts.scheme or 'nothing'}://")
        address = (parts.hostname, parts.port or 7687)
        if parts.scheme.endswith(("+s", "+ssc")):
            attempts = 1  # TLS: the handshake is the driver's; only check reachability
        for _ in range(attempts):
            try:
                with socket.create_connection(address, timeout=5) as sock:
                    if attempts == 1:
                        return
                    sock.settimeout(timeout)
                    sock.sendall(_BOLT_HANDSHAKE)
                    if len(sock.recv(4)) == 4:
                        return
            except socket.timeout:
                continue
            except OSError as err:
                raise BackendError(
                    f"cannot reach the Neo4j server at {self._where()}: "
                    f"{err.strerror or err}. Is it running? "
                    + NO_SERVER_HELP.replace("this command needs", "autograph needs")) from err
        raise BackendError(f"the server at {self._where()} accepts connections but does not "
                           f"answer the Bolt handshake (tried {attempts} times)")

    def _is_loopback(self) -> bool:
        host = urlsplit(self.settings.uri).hostname or ""
        return host in ("localhost", "::1") or host.startswith("127.")

    def connect(self) -> Neo4jBackend:
        """Connect and log in; raise :class:`BackendError` with a clear reason if we cannot.

        On a loopback server a stalled Bolt handshake (FalkorDB, after another client
        disconnected) is retried with a short deadline; one pooled connection is kept, so
        nothing reconnects half-way through a load.
        """
        local = self._is_loopback()
        attempts = 6 if local else 1
        for attempt in range(1, attempts + 1):
            self.preflight()
            s = self.settings
            self.driver = neo4j.GraphDatabase.driver(
                s.uri, auth=(s.user, s.password), max_connection_pool_size=1,
                connection_timeout=10, connection_acquisition_timeout=3 if local else 60)
            try:
                with self._session() as session:
                    session.run(load_template("load/ping")).consume()
                break
            except neo4j_errors.AuthError as err:
                self.close()
                raise BackendError(f"the server at {self._where()} refused the credentials of "
                                   f"user {s.user!r}: check NEO4J_USERNAME and NEO4J_PASSWORD"
                                   ) from err
            except (neo4j_errors.DatabaseError, neo4j_errors.ClientError) as err:
                self.close()
                raise BackendError(f"the server at {self._where()} refused the connection for "
                                   f"user {s.user!r} ({err.message or 'no reason given'}): check "
                                   "NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE") from err
            except neo4j_errors.DriverError as err:
                self.close()
                if attempt == attempts:
                    raise BackendError(f"cannot talk to the server at {self._where()}: {err}"
                                       ) from err
        self.dialect = DIALECTS[s.dialect] if s.dialect != "auto" else self._detect()
        return self

    def _detect(self) -> Dialect:
        try:
            self._run(load_template("load/probe_neo4j"), {})
        except BackendError:
            return FALKORDB
        return NEO4J

    def close(self) -> None:
        if self.driver is not None:
            self.driver.close()
            self.driver = None

    def __enter__(self) -> Neo4jBackend:
        return self.connect()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _session(self, read: bool = False):
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.settings.database, default_access_mode=mode)

    def _run(self, cypher: str, params: dict[str, Any], read: bool = False) -> QueryResult:
        """Run one statement in a managed transaction; server errors become our errors."""
        params = self.dialect.params(params)

        def work(tx):
            result = tx.run(cypher, params)
            keys = list(result.keys())
            return QueryResult(keys, [[_plain(v) for v in rec.values()] for rec in result])
        try:
            with self._session(read=read) as session:
                return (session.execute_read if read else session.execute_write)(work)
        except neo4j_errors.CypherSyntaxError as err:
            raise QueryError(f"Cypher syntax error: {err.message}") from err
        except neo4j_errors.ClientError as err:
            raise QueryError(f"the server rejected the query: {err.message or err.code}") from err
        except neo4j_errors.Neo4jError as err:
            raise BackendError(f"the server failed to run the query: "
                               f"{err.message or 'no reason given'}") from err
        except neo4j_errors.DriverError as err:
            raise BackendError(f"lost the connection to {self._where()}: {err}") from err

    # -- values ------------------------------------------------------------------------------

    def _to_server(self, data: dict[str, Any]) -> dict[str, Any]:
        props = {}
        for key, value in data.items():
            if value is None or value == "" or key in INTERNAL_PROPERTIES:
                continue
            if isinstance(value, tuple):
                value = list(value)
            if key in DATE_FIELDS:
                props[f"{key}Precision"] = _PRECISION[value.count("-")]
                if self.dialect.native_dates:
                    d = date_start(value)
                    value = neo4j.time.Date(d.year, d.month, d.day)
            if not isinstance(value, (str, int, float, bool, list)):
                raise BackendError(f"property {key!r} has a value of type "
                                   f"{type(value).__name__}, which Neo4j cannot store")
            if isinstance(value, list) and not all(isinstance(v, (str, int, float, bool))
                                                   for v in value):
                raise BackendError(f"property {key!r} is a list of mixed or nested values")
            props[key] = value
        return props

    @staticmethod
    def _from_server(props: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in props.items():
            if key in INTERNAL_PROPERTIES or key.endswith("Precision") and key[:-9] in DATE_FIELDS:
                continue
            if key in DATE_FIELDS and isinstance(value, str):
                precision = props.get(f"{key}Precision", "day")
                value = value[:{"year": 4, "month": 7}.get(precision, 10)]
            out[key] = value
        return out

    # -- load --------------------------------------------------------------------------------

    def ensure_schema(self) -> int:
        """Uniqueness constraints (or indexes) on id and indexes on name, per label."""
        existing: set[tuple[str, str]] = set()
        if not self.dialect.constraints:
            for row in self._run(load_template("schema/falkordb_list_indexes"), {}).rows:
                existing |= {(row[0], p) for p in row[1]}
        created = 0
        for template in self.dialect.schema_templates:
            prop = "name" if template.endswith("name_index") else "id"
            for label in schema.NODE_LABELS:
                if (label, prop) in existing:
                    continue
                self._run(render_template(load_template(template), LABEL=label), {})
                created += 1
        return created

    def _prepare(self, G: nx.MultiDiGraph):
        """Every row of the load, checked before anything is sent."""
        nodes: dict[str, list[dict]] = defaultdict(list)
        for n, d in G.nodes(data=True):
            label = d.get("label")
            try:
                schema.check_label(label)
            except ValueError as err:
                raise BackendError(f"node {n!r}: {err}") from err
            props = self._to_server({k: v for k, v in d.items() if k != "label"})
            nodes[label].append({"id": str(n), "props": props})
        rels: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for u, v, k, d in G.edges(keys=True, data=True):
            try:
                rel_type = schema.check_rel_type(d.get("type"))
            except ValueError as err:
                raise BackendError(f"relation {k!r}: {err}") from err
            props = self._to_server({a: x for a, x in d.items() if a not in ("type", "id")})
            key = (rel_type, G.nodes[u]["label"], G.nodes[v]["label"])
            rels[key].append({"id": str(k), "source": str(u), "target": str(v), "props": props})
        return nodes, rels

    def _snapshot(self, nodes, rels) -> tuple[dict, dict]:
        """Properties of the nodes and relationships this load will touch, as they are now."""
        before_nodes: dict[str, list[dict]] = {}
        for label, rows in nodes.items():
            query = render_template(load_template("load/snapshot_nodes"), LABEL=label)
            result = self._run(query, {"ids": [r["id"] for r in rows]})
            before_nodes[label] = [{"id": i, "props": p} for i, p in result.rows]
        before_rels: dict[str, list[dict]] = defaultdict(list)
        for (rel_type, _, _), rows in rels.items():
            query = render_template(load_template("load/snapshot_relationships"), TYPE=rel_type)
            result = self._run(query, {"ids": [r["id"] for r in rows]})
            before_rels[rel_type] += [{"id": i, "props": p} for i, p in result.rows]
        return before_nodes, dict(before_rels)

    def _undo(self, run: str, before_nodes: dict, before_rels: dict) -> None:
        keep_rels = [r["id"] for rows in before_rels.values() for r in rows]
        keep_nodes = [r["id"] for rows in before_nodes.values() for r in rows]
        self._run(load_template("load/undo_relationships"), {"run": run, "keep": keep_rels})
        self._run(load_template("load/undo_nodes"), {"run": run, "keep": keep_nodes})
        for label, rows in before_nodes.items():
            if rows:
                self._run(render_template(load_template("load/restore_nodes"), LABEL=label),
                          {"rows": rows})
        for rel_type, rows in before_rels.items():
            if rows:
                self._run(render_template(load_template("load/restore_relationships"),
                                          TYPE=rel_type), {"rows": rows})

    def load(self, G: nx.MultiDiGraph, dataset: str, replace: bool = False,
             batch_size: int = 1000, progress: Callable[[int], None] | None = None,
             _run_batch: Callable[[str, dict], Any] | None = None) -> LoadReport:
        """Load *G* as *dataset*: all or nothing, idempotent.

        Parameters
        ----------
        G : nx.MultiDiGraph
            A graph in autograph's model (see :func:`graph.to_networkx`).
        dataset : str
            The dataset's name; tags what the load writes (``_dataset``).
        replace : bool
            Afterwards remove this dataset's nodes and relationships an earlier load wrote
            that this load did not (rows deleted from the data since).
        progress : callable, optional
            Called with the number of rows written after each batch.

        Raises
        ------
        BackendError
            When a batch fails; the database is put back as it was first.
        """
        run = uuid.uuid4().hex
        nodes, rels = self._prepare(G)
        self.ensure_schema()
        before_nodes, before_rels = self._snapshot(nodes, rels)
        run_batch = _run_batch or self._run
        statements = [(render_template(load_template("load/merge_nodes"), LABEL=label), rows)
                      for label, rows in nodes.items()]
        statements += [(render_template(load_template("load/merge_relationships"),
                                        TYPE=rel_type, START=start, END=end), rows)
                       for (rel_type, start, end), rows in rels.items()]
        expected = [sum(map(len, nodes.values())), sum(map(len, rels.values()))]
        batches = 0
        try:
            for query, rows in statements:
                for batch in _batches(rows, batch_size):
                    run_batch(query, {"rows": batch, "dataset": dataset, "run": run})
                    batches += 1
                    if progress:
                        progress(len(batch))
            counts = self._run(load_template("load/count_run"), {"run": run}).rows[0]
            if counts != expected:
                raise BackendError(f"the server holds {counts[0]} nodes and {counts[1]} "
                                   f"relationships of this load, expected {expected[0]} and "
                                   f"{expected[1]}")
        except (BackendError, QueryError) as err:
            self._undo_or_explain(run, before_nodes, before_rels, err, batches)
            raise BackendError(f"the load failed at batch {batches + 1} and was undone; the "
                               f"database is as it was before. Cause: {err}") from err
        report = LoadReport(run=run, dataset=dataset, nodes=expected[0],
                            relationships=expected[1], batches=batches, dialect=self.dialect.name)
        if replace:
            before = self._run(load_template("load/count_dataset"), {"dataset": dataset}).rows[0]
            try:
                self._run(load_template("load/delete_stale_relationships"),
                          {"dataset": dataset, "run": run})
                self._run(load_template("load/delete_stale_nodes"),
                          {"dataset": dataset, "run": run})
            except (BackendError, QueryError) as err:
                raise BackendError(
                    f"the load succeeded, but removing what earlier loads of {dataset!r} left "
                    f"failed ({err}); run the same load with --replace again") from err
            after = self._run(load_template("load/count_dataset"), {"dataset": dataset}).rows[0]
            report.removed_nodes = before[0] - after[0]
            report.removed_relationships = before[1] - after[1]
        return report

    def _undo_or_explain(self, run: str, before_nodes: dict, before_rels: dict,
                         cause: Exception, batches: int) -> None:
        try:
            self._undo(run, before_nodes, before_rels)
        except (BackendError, QueryError) as err:
            raise BackendError(
                f"the load failed at batch {batches + 1} ({cause}) and could not be undone "
                f"({err}). What it wrote carries _load = '{run}'; run the same load again to "
                "complete it (loads are idempotent), or remove it with: MATCH (n {_load: "
                f"'{run}'}}) DETACH DELETE n") from cause

    def counts(self, dataset: str) -> tuple[int, int]:
        """Nodes and relationships of *dataset* in the database."""
        nodes, rels = self._run(load_template("load/count_dataset"), {"dataset": dataset}).rows[0]
        return nodes, rels

    # -- query -------------------------------------------------------------------------------

    def query(self, cypher: str, params: dict[str, Any] | None = None,
              write: bool = False) -> QueryResult:
        """Run a query; read-only unless *write* (READ access mode plus a client-side check,
        since not every server enforces READ mode)."""
        if not write:
            check_read_only(cypher)
        return self._run(cypher, params or {}, read=not write)

    def fetch_graph(self, dataset: str) -> nx.MultiDiGraph:
        """The nodes and relationships of *dataset* as a graph in autograph's model.

        Raises
        ------
        BackendError
            When the server holds no node of *dataset*.
        """
        G = nx.MultiDiGraph(name="autograph")
        nodes = self._run(load_query("fetch_nodes").text, {"dataset": dataset}, read=True)
        if not nodes.rows:
            raise BackendError(f"the server holds no dataset named {dataset!r}; load it with "
                               "autograph load, or name it with --dataset")
        for label, props in nodes.rows:
            empty = _EMPTY_DEAL_FIELDS if label == "Deal" else _EMPTY_NODE_FIELDS
            props = {**dict.fromkeys(empty, ""), **self._from_server(props)}
            G.add_node(props.pop("id"), label=label, **props)
        rels = self._run(load_query("fetch_relationships").text, {"dataset": dataset}, read=True)
        for u, v, rel_type, props in rels.rows:
            props = {**dict.fromkeys(_EMPTY_EDGE_FIELDS, ""), **self._from_server(props)}
            G.add_edge(u, v, key=props["id"], type=rel_type, **props)
        return G
