"""Neo4j over Bolt with the official driver: load, query, fetch.

A dataset owns its nodes and relationships: ids are unique per dataset (a uniqueness
constraint on ``id`` and ``_dataset`` for every label, and on every relationship type), so
loading another dataset never touches this one, and ``--replace`` works inside one dataset.

A load is one Neo4j transaction: every value is checked before anything is sent, the rows go
in batches of ``UNWIND $rows`` statements inside that transaction, and it commits only when
every batch has been written (and, with ``--replace``, what earlier loads left is removed). A
failed batch, a lost connection, a Ctrl-C or a killed process leave the database exactly as
it was: Neo4j rolls back what was not committed. Loads of one dataset are serialised by the
write lock on the dataset's ``AutographDataset`` node, taken first in the transaction; that
node records which folder the dataset was loaded from, so a different folder of the same
name is refused instead of replacing it.

Every relationship also gets ``validFrom``/``validUntil`` (native dates, computed once here by
the rule ``--as-of`` uses: :func:`graph.selection.validity`), so a query asks
``r.validFrom <= $asOf AND (r.validUntil IS NULL OR r.validUntil > $asOf)``.

Every wait is bounded (:attr:`BoltSettings.timeout`): the driver has no read timeout, so
statements run on a worker thread that is abandoned if the server stops answering; and
statements run in explicit transactions, which the driver does not retry.

Credentials come from the environment (``NEO4J_URI``, ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``); the password is never taken from the command line
and never printed, and a URI carrying credentials is refused.
"""
from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

from .. import schema
from ..cypher import (check_params, check_read_only, load_query, load_template, render_template,
                      value_problem)
from ..dataset import date_start
from ..errors import BackendError, DataValidationError, MissingDependencyError, Problem, QueryError
from ..selection import validity

try:
    import neo4j
    from neo4j import exceptions as neo4j_errors
except ImportError:  # pragma: no cover - neo4j is a core dependency
    neo4j = None

__all__ = ["BoltSettings", "Neo4jBackend", "LoadReport", "QueryResult", "check_read_only",
           "NO_SERVER_HELP", "INTERNAL_PROPERTIES", "DEFAULT_TIMEOUT"]

# The driver logs retries and connection failures as warnings; with no handler configured
# Python would print them to stderr. Our errors say what failed, once.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

INTERNAL_PROPERTIES = schema.INTERNAL_FIELDS
# Computed at load from the relation's dates and sources; not part of the dataset.
DERIVED_PROPERTIES = schema.VALIDITY_FIELDS
DEFAULT_TIMEOUT = 60.0
# Fields the model always has. Empty text is not stored, so it comes back as ""; an empty
# list is stored by load, but not by neo4j-admin import (an empty cell means no property).
_EMPTY_NODE_FIELDS = {"kind": "", "country": "", "description": "", "aliases": ()}
_EMPTY_DEAL_FIELDS = {"kind": "", "date": "", "endDate": "", "asOf": "", "sources": ()}
_EMPTY_EDGE_FIELDS = {"deal": "", "date": "", "endDate": "", "asOf": "", "sources": (),
                      "disputedBy": ()}


def _defaults(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in fields.items()}
DATE_FIELDS = schema.DATE_FIELDS
_PRECISION = dict(enumerate(schema.DATE_PRECISIONS))  # dashes in the date -> precision
# What a uniqueness constraint on (id, _dataset) says when a first load meets nodes or
# relationships of its dataset that no load recorded.
_STRAY = "`_dataset` = "
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

NO_SERVER_HELP = (
    "this command needs a Neo4j server and none is configured. Set NEO4J_URI (and "
    "NEO4J_USERNAME, NEO4J_PASSWORD) or pass --uri. To start one locally from a checkout: "
    ".ci/neo4j-server (Java 17 and Maven; it prints the bolt:// address), then "
    "autograph load. The embedded backend needs no server: autograph stats, analyze, map "
    "and export work without one.")


def parse_uri(uri: str) -> tuple[str, str, int]:
    """Scheme, host and port of a Bolt URI; a clear error, never echoing the URI, if it is
    not one. Credentials in the URI are refused: they belong in the environment.

    >>> parse_uri("bolt://localhost:7687")
    ('bolt', 'localhost', 7687)
    >>> parse_uri("bolt://neo4j:secret@localhost")
    Traceback (most recent call last):
    ...
    graph.errors.BackendError: NEO4J_URI must not contain a user name or password: set NEO4J_USERNAME and NEO4J_PASSWORD instead
    """
    parts = urlsplit(uri.strip())
    if "@" in parts.netloc:
        raise BackendError("NEO4J_URI must not contain a user name or password: set "
                           "NEO4J_USERNAME and NEO4J_PASSWORD instead")
    if parts.scheme not in _SCHEMES:
        scheme = parts.scheme if parts.scheme.isalnum() else "something else"
        raise BackendError(f"NEO4J_URI must start with bolt:// or neo4j://, not "
                           f"{scheme or 'nothing'}://")
    try:
        port = parts.port or 7687
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise BackendError("NEO4J_URI has an invalid port: expected a number from 1 to 65535 "
                           "after the host name (bolt://host:7687)")
    if not parts.hostname:
        raise BackendError("NEO4J_URI has no host name (bolt://host:7687)")
    return parts.scheme, parts.hostname, port


@dataclass(frozen=True)
class BoltSettings:
    """Where and as whom to connect. The password is kept out of ``repr``.

    *timeout* bounds every wait for the server (connecting, each statement): a frozen
    server gives an error after that many seconds instead of a hang.
    """

    uri: str
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None,
                 database: str | None = None, env: dict[str, str] | None = None,
                 timeout: float | None = None) -> BoltSettings:
        """Settings from options, falling back to the standard environment variables."""
        env = os.environ if env is None else env
        uri = uri or env.get("NEO4J_URI")
        if not uri:
            raise BackendError(NO_SERVER_HELP)
        parse_uri(uri)
        if timeout is not None and not 0 < timeout <= 86400:
            raise BackendError(f"the timeout must be between 0 and 86400 seconds, not {timeout}")
        return cls(uri=uri.strip(), user=user or env.get("NEO4J_USERNAME", "neo4j"),
                   password=env.get("NEO4J_PASSWORD", ""),
                   database=database or env.get("NEO4J_DATABASE") or None,
                   timeout=timeout or DEFAULT_TIMEOUT)


@dataclass
class LoadReport:
    """What a load did."""

    run: str
    dataset: str
    nodes: int
    relationships: int
    batches: int
    removed_nodes: int = 0
    removed_relationships: int = 0


@dataclass
class QueryResult:
    """Columns and rows of a query, values converted to plain Python data."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


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


class _Refusal(BackendError):
    """A load refused before it wrote anything (internal: shown as it is, not wrapped)."""


class _Timeout(Exception):
    """The server did not answer in time (internal)."""


class _Worker:
    """One daemon thread that runs the driver calls, so that a wait can be abandoned.

    The driver has no read timeout of its own: a frozen server (SIGSTOP) would block a call
    for ever. When a call overruns, the caller gives up on it and on this thread (a daemon,
    so it cannot keep the process alive); the next call starts a new worker.
    """

    def __init__(self):
        self.jobs: queue.Queue = queue.Queue()
        threading.Thread(target=self._loop, daemon=True, name="autograph-bolt").start()

    def _loop(self) -> None:
        while True:
            fn, box, done = self.jobs.get()
            try:
                box.append((True, fn()))
            except BaseException as err:  # handed to the caller, re-raised there
                box.append((False, err))
            done.set()

    def call(self, fn: Callable[[], Any], timeout: float) -> Any:
        box: list = []
        done = threading.Event()
        self.jobs.put((fn, box, done))
        if not done.wait(timeout):
            raise _Timeout
        ok, value = box[0]
        if not ok:
            raise value
        return value


class Neo4jBackend:
    """A connection to a Neo4j server. Use as a context manager.

    Examples
    --------
    >>> with Neo4jBackend(BoltSettings.from_env()) as db:  # doctest: +SKIP
    ...     db.load(graph.load_graph(), dataset="autograph", source="bundled")
    """

    def __init__(self, settings: BoltSettings):
        if neo4j is None:  # pragma: no cover
            raise MissingDependencyError("neo4j", "neo4j")
        parse_uri(settings.uri)
        self.settings = settings
        self.driver = None
        self._worker: _Worker | None = None
        self._lost: BackendError | None = None  # why a reconnect failed: do not retry

    # -- connection --------------------------------------------------------------------------

    def _where(self) -> str:
        scheme, host, port = parse_uri(self.settings.uri)
        return f"{scheme}://{host}:{port}"

    def preflight(self) -> None:
        """A fast, clear error when nothing listens where the URI points (the driver would
        retry for its whole connection timeout and then report a routing failure)."""
        _, host, port = parse_uri(self.settings.uri)
        try:
            with socket.create_connection((host, port), timeout=min(5, self.settings.timeout)):
                return
        except OSError as err:
            raise BackendError(
                f"cannot reach the Neo4j server at {self._where()}: "
                f"{err.strerror or err}. Is it running? "
                + NO_SERVER_HELP.replace("this command needs", "autograph needs")) from err

    def connect(self) -> Neo4jBackend:
        """Connect and log in; raise :class:`BackendError` with a clear reason if we cannot."""
        s = self.settings
        self.preflight()
        self.driver = neo4j.GraphDatabase.driver(
            s.uri, auth=(s.user, s.password), max_connection_pool_size=1,
            connection_timeout=min(10, s.timeout),
            connection_acquisition_timeout=min(60, s.timeout))
        try:
            self._call(lambda: self._execute(load_template("load/ping"), {}, read=False))
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
        except (neo4j_errors.DriverError, BackendError) as err:
            self.close()
            raise BackendError(f"cannot talk to the server at {self._where()}: {err}") from err
        return self

    def close(self) -> None:
        if self.driver is not None:
            driver, self.driver = self.driver, None
            # Closing says goodbye to the server; a frozen one would not answer.
            threading.Thread(target=driver.close, daemon=True).start()

    def __enter__(self) -> Neo4jBackend:
        return self.connect()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Run a driver call with the statement deadline (see :class:`_Worker`)."""
        if self._worker is None:
            self._worker = _Worker()
        try:
            return self._worker.call(fn, self.settings.timeout)
        except _Timeout:
            self._worker = None   # stuck in the call; a new one takes the next
            self.driver = None    # and so is the connection: abandon it, do not close it
            raise BackendError(f"the server at {self._where()} did not answer within "
                               f"{self.settings.timeout:g} s: it may be frozen or overloaded "
                               "(--timeout sets how long to wait)") from None

    def _session(self, read: bool):
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.settings.database, default_access_mode=mode)

    @staticmethod
    def _result(result) -> QueryResult:
        keys = list(result.keys())
        return QueryResult(keys, [[_plain(v) for v in rec.values()] for rec in result])

    def _execute(self, cypher: str, params: dict[str, Any], read: bool) -> QueryResult:
        # An explicit transaction, not a managed one: the driver would retry a failed
        # statement for up to 30 s, logging each attempt; we fail once, clearly.
        with self._session(read) as session, session.begin_transaction() as tx:
            out = self._result(tx.run(cypher, params))
            tx.commit()
        return out

    def _ensure_connected(self) -> None:
        if self.driver is None:
            if self._lost is not None:
                raise self._lost
            try:
                self.connect()  # once, after a timeout or a lost connection
            except BackendError as err:
                self._lost = err
                raise

    def _guarded(self, fn: Callable[[], Any]) -> Any:
        """Run *fn* on the worker; server and driver errors become our errors."""
        try:
            return self._call(fn)
        except neo4j_errors.CypherSyntaxError as err:
            raise QueryError(f"Cypher syntax error: {err.message}") from err
        except neo4j_errors.ClientError as err:
            raise QueryError(f"the server rejected the query: {err.message or err.code}") from err
        except neo4j_errors.Neo4jError as err:
            raise BackendError(f"the server failed to run the query: "
                               f"{err.message or 'no reason given'}") from err
        except neo4j_errors.DriverError as err:
            self.close()
            raise BackendError(f"lost the connection to {self._where()}: "
                               f"{type(err).__name__}") from err

    def _run(self, cypher: str, params: dict[str, Any], read: bool = False) -> QueryResult:
        """Run one statement in a transaction of its own."""
        self._ensure_connected()
        return self._guarded(lambda: self._execute(cypher, params, read))

    # -- values ------------------------------------------------------------------------------

    @staticmethod
    def _to_server(data: dict[str, Any], where: str, problems: list[Problem]) -> dict[str, Any]:
        """Properties as the server stores them; what it cannot store goes to *problems*.
        Dates become native dates (the first day of their period) with ``<field>Precision``."""
        props = {}
        for key, value in data.items():
            if value is None or value == "" or key in INTERNAL_PROPERTIES:
                continue
            if isinstance(value, tuple):
                value = list(value)
            problem = value_problem(value)
            if not isinstance(value, (str, int, float, bool, list)):
                problem = f"a value of type {type(value).__name__}, which Neo4j cannot store"
            elif isinstance(value, list) and not all(isinstance(v, (str, int, float, bool))
                                                     for v in value):
                problem = "a list of mixed or nested values, which Neo4j cannot store"
            if problem:
                problems.append(Problem(where, None, key, problem))
                continue
            if key in DATE_FIELDS:
                props[f"{key}Precision"] = _PRECISION[value.count("-")]
                value = date_start(value)
            props[key] = value
        return props

    @staticmethod
    def _from_server(props: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in props.items():
            if key in INTERNAL_PROPERTIES or key in DERIVED_PROPERTIES or (
                    key.endswith("Precision") and key[:-9] in DATE_FIELDS):
                continue
            if key in DATE_FIELDS and isinstance(value, str):
                precision = props.get(f"{key}Precision", "day")
                value = value[:{"year": 4, "month": 7}.get(precision, 10)]
            out[key] = value
        return out

    # -- load --------------------------------------------------------------------------------

    def ensure_schema(self) -> int:
        """Uniqueness constraints on (id, _dataset) for every label and relationship type, an
        index on name per label, and the datasets' own constraint: those that are missing,
        found in one read. Returns how many were created."""
        there = {(kind, name, tuple(props or ()), unique) for kind, name, props, unique in
                 self._run(load_template("schema/existing"), {}, read=True).rows}
        wanted = [(("NODE", schema.DATASET_LABEL, ("name",), True),
                   render_template(load_template("schema/dataset_constraint")))]
        for label in schema.NODE_LABELS:
            wanted += [(("NODE", label, ("id", "_dataset"), True),
                        render_template(load_template("schema/node_id_constraint"), LABEL=label)),
                       (("NODE", label, ("name",), False),
                        render_template(load_template("schema/node_name_index"), LABEL=label))]
        wanted += [(("RELATIONSHIP", rel_type, ("id", "_dataset"), True),
                    render_template(load_template("schema/relationship_id_constraint"),
                                    TYPE=rel_type)) for rel_type in schema.REL_TYPES]
        missing = [statement for key, statement in wanted if key not in there]
        for statement in missing:
            self._run(statement, {})
        return len(missing)

    def _prepare(self, G: nx.MultiDiGraph, dataset: str = "autograph", run: str = ""):
        """Every row of the load, checked before anything is sent; each row's props carry
        ``id``, ``_dataset`` and, given a *run*, ``_load``.

        Raises
        ------
        DataValidationError
            With every value the server could not store as it is (integers beyond 64 bits,
            text with NUL characters, nested lists), located by node or relation id.
        """
        problems: list[Problem] = []
        stamp = {"_load": run} if run else {}
        nodes: dict[str, list[dict]] = defaultdict(list)
        for n, d in G.nodes(data=True):
            label = d.get("label")
            try:
                schema.check_label(label)
            except ValueError as err:
                raise BackendError(f"node {n!r}: {err}") from err
            props = self._to_server({k: v for k, v in d.items() if k != "label"},
                                    f"node {n}", problems)
            props.update(id=str(n), _dataset=dataset, **stamp)
            nodes[label].append({"id": str(n), "props": props})
        rels: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for u, v, k, d in G.edges(keys=True, data=True):
            try:
                rel_type = schema.check_rel_type(d.get("type"))
            except ValueError as err:
                raise BackendError(f"relation {k!r}: {err}") from err
            props = self._to_server({a: x for a, x in d.items() if a not in ("type", "id")},
                                    f"relation {k}", problems)
            valid_from, valid_until = validity(G, d)
            if valid_from is not None:
                props["validFrom"] = valid_from
            if valid_until is not None:
                props["validUntil"] = valid_until
            props.update(id=str(k), _dataset=dataset, **stamp)
            key = (rel_type, G.nodes[u]["label"], G.nodes[v]["label"])
            rels[key].append({"id": str(k), "source": str(u), "target": str(v), "props": props})
        if problems:
            raise DataValidationError(problems, what=f"the data to load as dataset {dataset!r} "
                                      "(nothing was written)")
        return nodes, rels

    def load(self, G: nx.MultiDiGraph, dataset: str, source: str, replace: bool = False,
             take_over: bool = False, batch_size: int = 1000,
             progress: Callable[[int], None] | None = None) -> LoadReport:
        """Load *G* as *dataset* in one transaction: all or nothing, idempotent, isolated
        from other datasets.

        Parameters
        ----------
        G : nx.MultiDiGraph
            A graph in autograph's model (see :func:`graph.to_networkx`).
        dataset : str
            The dataset's name; tags what the load writes (``_dataset``).
        source : str
            Where the dataset comes from (its folder); recorded on the dataset's node. A
            dataset of the same name loaded from elsewhere is refused unless *take_over*.
        replace : bool
            Also remove this dataset's nodes and relationships that an earlier load wrote
            and this one did not (rows deleted from the data since), in the same transaction.
        progress : callable, optional
            Called with the number of rows written after each batch.

        Raises
        ------
        DataValidationError
            When a value cannot be stored as it is; nothing is written.
        BackendError
            When anything fails before the commit; Neo4j rolls the transaction back, so the
            database is as it was.
        """
        run = uuid.uuid4().hex
        nodes, rels = self._prepare(G, dataset, run)
        self._ensure_connected()
        self.ensure_schema()
        expected = (sum(map(len, nodes.values())), sum(map(len, rels.values())))
        report = LoadReport(run=run, dataset=dataset, nodes=expected[0],
                            relationships=expected[1], batches=0)
        for merge in (False, True):
            # a dataset's first load creates; merge: its nodes are there with no record of
            # a load (the AutographDataset node was deleted), and it is loaded again, merging
            session = self._call(lambda: self._session(read=False))
            existed = merge
            report.batches = 0
            try:
                # The metadata names the load in SHOW TRANSACTIONS and the query log.
                tx = self._guarded(lambda s=session: s.begin_transaction(
                    metadata={"app": "autograph load", "dataset": dataset, "run": run}))
                claimed = self._in_tx(tx, load_template("load/claim_dataset"),
                                      {"dataset": dataset, "source": source, "run": run})
                previous, existed = claimed.rows[0][0], claimed.rows[0][1] or merge
                if previous != source and not take_over:
                    raise _Refusal(
                        f"dataset {dataset!r} in the database was loaded from {previous}, not "
                        f"from {source}: name this one with --dataset NAME, or pass --take-over "
                        f"to load it over that dataset (nothing was written)")
                self._write(tx, nodes, rels, dataset, run, existed, replace, batch_size,
                            report, progress)
            except _Refusal:
                self._abandon(session)
                raise
            except KeyboardInterrupt:
                self._abandon(session)
                raise BackendError("interrupted (Ctrl-C): the load was rolled back; the "
                                   "database is as it was") from None
            except (BackendError, QueryError) as err:
                self._abandon(session)
                if not existed and _STRAY in str(err):
                    continue
                advice = ""
                if "memory.transaction" in str(err):
                    advice = (" The dataset is larger than one transaction may be on this "
                              "server: give Neo4j a larger heap (or "
                              "dbms.memory.transaction.total.max), or import it with neo4j-admin "
                              "from autograph export --format csv (docs/neo4j.md).")
                raise BackendError(f"the load of dataset {dataset!r} failed and was rolled "
                                   f"back; the database is as it was. Cause: {err}{advice}"
                                   ) from err
            break
        try:
            self._guarded(tx.commit)
        except (BackendError, QueryError, KeyboardInterrupt) as err:
            self._abandon(session)
            raise BackendError(
                f"the load of dataset {dataset!r} was sent in full, but its commit was not "
                f"confirmed ({err or 'interrupted'}): Neo4j has either applied all of it or "
                f"none. Run the same load again: loads are idempotent") from None
        self._call(session.close)
        return report

    def _write(self, tx, nodes: dict, rels: dict, dataset: str, run: str, existed: bool,
               replace: bool, batch_size: int, report: LoadReport,
               progress: Callable[[int], None] | None) -> None:
        """Send every row of a load inside *tx*; check that each was written."""
        ends = self._relationship_ends(tx, dataset) if existed else {}
        statements, moved = self._statements(nodes, rels, ends, existed)
        for rel_type, rows in moved.items():  # deleted first, then created between new ends
            query = render_template(load_template("load/delete_relationships"), TYPE=rel_type)
            for batch in _batches(rows, batch_size):
                self._in_tx(tx, query, {"rows": batch})
        # each statement returns how many rows it wrote: a relationship whose end was not
        # found writes nothing, and the count says so
        written = [0, 0]
        for is_relationship, query, rows in statements:
            for batch in _batches(rows, batch_size):
                result = self._in_tx(tx, query, {"rows": batch, "dataset": dataset})
                written[is_relationship] += result.rows[0][0]
                report.batches += 1
                if progress:
                    progress(len(batch))
        if replace:
            removed = self._in_tx(tx, load_template("load/delete_stale"),
                                  {"dataset": dataset, "run": run}).rows[0]
            report.removed_nodes, report.removed_relationships = removed
        expected = (report.nodes, report.relationships)
        if tuple(written) != expected:
            raise BackendError(f"the load wrote {written[0]} nodes and {written[1]} "
                               f"relationships, expected {expected[0]} and {expected[1]} "
                               "(a relationship whose end was not found writes nothing)")

    @staticmethod
    def _statements(nodes: dict, rels: dict, ends: dict, existed: bool
                    ) -> tuple[list[tuple[bool, str, list[dict]]], dict[str, list[dict]]]:
        """The ``(is a relationship, query, rows)`` of a load, and by type the element ids
        of the relationships to delete before them (a reload's moved ones).

        Nodes are created on a first load and merged by id on a reload (the constraint's
        index finds them). A relationship the dataset holds between the same ends (*ends*,
        read on a reload) is updated, found by its element id; one whose id now joins other
        nodes is deleted and created again; the rest are created. No relationship is merged:
        MERGE walks the relationships of its start node, a hub's degree for each of its
        relationships. The uniqueness constraints refuse an id created twice."""
        node_query = load_template("load/merge_nodes" if existed else "load/create_nodes")
        out = [(False, render_template(node_query, LABEL=label), rows)
               for label, rows in nodes.items()]
        update, create = load_template("load/update_relationships"), load_template(
            "load/create_relationships")
        moved: dict[str, list[dict]] = defaultdict(list)
        for (rel_type, start, end), rows in rels.items():
            there, new = [], []
            for r in rows:
                was = ends.get((rel_type, r["id"]))
                if was is not None and was[:2] == (r["source"], r["target"]):
                    there.append({"element": was[2], "props": r["props"]})
                    continue
                if was is not None:
                    moved[rel_type].append({"element": was[2]})
                new.append(r)
            if there:
                out.append((True, render_template(update, TYPE=rel_type), there))
            if new:
                out.append((True, render_template(create, TYPE=rel_type, START=start, END=end),
                            new))
        return out, moved

    def _relationship_ends(self, tx, dataset: str
                           ) -> dict[tuple[str, str], tuple[str, str, str]]:
        """``(type, id) -> (source id, target id, element id)`` of every relationship the
        dataset holds, in one read inside the load's transaction (a reload only)."""
        return {(t, i): (a, b, e) for t, i, a, b, e in self._in_tx(
            tx, load_template("load/relationship_ends"), {"dataset": dataset}).rows}

    def _in_tx(self, tx, cypher: str, params: dict[str, Any]) -> QueryResult:
        return self._guarded(lambda: self._result(tx.run(cypher, params)))

    def _abandon(self, session) -> None:
        """Close a session whose transaction failed: Neo4j rolls back what it did not
        commit (and does the same when the connection is simply lost)."""
        try:
            self._call(session.close)
        except (BackendError, neo4j_errors.DriverError, neo4j_errors.Neo4jError):
            self.close()

    def counts(self, dataset: str) -> tuple[int, int]:
        """Nodes and relationships of *dataset* in the database."""
        nodes, rels = self._run(load_template("load/count_dataset"), {"dataset": dataset}).rows[0]
        return nodes, rels

    def datasets(self) -> list[dict[str, Any]]:
        """The datasets in the database: name, source folder, last run and when."""
        return self._run(load_template("load/list_datasets"), {}, read=True).records()

    # -- query -------------------------------------------------------------------------------

    def query(self, cypher: str, params: dict[str, Any] | None = None,
              write: bool = False) -> QueryResult:
        """Run a query; read-only unless *write* (READ access mode, which Neo4j enforces,
        plus a client-side check that names the clause). Parameter names must be plain
        names and values storable (see :func:`graph.cypher.check_params`)."""
        params = params or {}
        check_params(params)
        if not write:
            check_read_only(cypher)
        return self._run(cypher, params, read=not write)

    def fetch_graph(self, dataset: str) -> nx.MultiDiGraph:
        """The nodes and relationships of *dataset* as a graph in autograph's model.

        Nodes and relationships edited on the server after the load are checked against
        the schema as they come back.

        Raises
        ------
        BackendError
            When the server holds no node of *dataset*.
        DataValidationError
            With every node and relationship that no longer fits the model (no id, an
            unknown label or type, a duplicate id, a value of the wrong type).
        """
        G = nx.MultiDiGraph(name="autograph")
        where = f"neo4j dataset {dataset!r}"
        problems: list[Problem] = []
        nodes = self._run(load_query("fetch_nodes").text, {"dataset": dataset}, read=True)
        if not nodes.rows:
            raise BackendError(f"the server holds no dataset named {dataset!r}; load it with "
                               "autograph load, or name it with --dataset")
        for label, props in nodes.rows:
            empty = _EMPTY_DEAL_FIELDS if label == "Deal" else _EMPTY_NODE_FIELDS
            props = {**_defaults(empty), **self._from_server(props)}
            node_id = props.pop("id", None)
            what = f"node {node_id!r}" if node_id is not None else f"a {label or 'unlabelled'} node"
            found = _fetched_problems(label, props, node_id, "node", schema.check_label)
            if node_id in G:
                found.append(("id", "two nodes have this id"))
            problems += [Problem(where, None, f"{what} {f}", m) for f, m in found]
            if not found:
                G.add_node(node_id, label=label, **props)
        rels = self._run(load_query("fetch_relationships").text, {"dataset": dataset}, read=True)
        for u, v, rel_type, props in rels.rows:
            props = {**_defaults(_EMPTY_EDGE_FIELDS), **self._from_server(props)}
            rel_id = props.get("id")
            what = f"relationship {rel_id!r}" if rel_id is not None else f"a {rel_type} relationship"
            found = _fetched_problems(rel_type, props, rel_id, "relationship",
                                      schema.check_rel_type)
            for end, name in ((u, "source"), (v, "target")):
                if end not in G and not any(f"node {end!r}" in p.field for p in problems):
                    found.append((name, f"its {name} node {end!r} is not a node of the dataset"))
            if rel_id is not None and G.has_edge(u, v, key=rel_id):
                found.append(("id", "two relationships between the same nodes have this id"))
            problems += [Problem(where, None, f"{what} {f}", m) for f, m in found]
            if not found and u in G and v in G:
                G.add_edge(u, v, key=rel_id, type=rel_type, **props)
        if problems:
            raise DataValidationError(problems, what=f"{where} on the server (edited or "
                                      "written by something other than autograph load?)")
        return G


_SPECS = {"node": schema.ENTITY_PROPERTIES, "relationship": schema.RELATION_PROPERTIES}
_TYPES = {"int": int, "float": (int, float), "bool": bool, "str": str}


def _fetched_problems(name: Any, props: dict[str, Any], item_id: Any, kind: str,
                      check_name: Callable[[str], str]) -> list[tuple[str, str]]:
    """What is wrong with a node or relationship read back from the server."""
    found = []
    try:
        check_name(name)
    except ValueError as err:
        found.append(("label" if kind == "node" else "type", str(err)))
    if not isinstance(item_id, str) or not item_id:
        found.append(("id", "missing" if item_id is None else f"{item_id!r} is not text"))
    for key, value in props.items():
        spec = _SPECS[kind].get(key)
        if spec is not None:
            expected = _TYPES[spec.type]
            if not isinstance(value, expected) or (spec.type != "bool" and isinstance(value, bool)):
                found.append((key, f"{value!r} is not of type {spec.type}"))
        elif key in DATE_FIELDS and value:
            try:
                date_start(value)
            except (ValueError, TypeError):
                found.append((key, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
        elif isinstance(value, dict) or (isinstance(value, list) and any(
                isinstance(v, (dict, list)) for v in value)):
            found.append((key, "a map or nested list, which autograph's model does not have"))
    return found
