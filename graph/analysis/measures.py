"""Centrality, brokerage and communities on a view (an undirected weighted ``nx.Graph``).

networkx is the model API; the heavy measures (betweenness, PageRank, eigenvector,
Louvain, Leiden) run in igraph, a compiled library, on a conversion made once
per graph and cached. Every function takes the graph first and returns plain data keyed by
node id, like networkx's own algorithms.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import signal
import warnings
import weakref
from array import array
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import igraph as ig
import networkx as nx
from threadpoolctl import ThreadpoolController

from ..errors import AutographError
from .arrays import ArrayView

__all__ = [
    "AnalysisError", "MEASURES", "EXACT_BETWEENNESS_MAX_NODES", "to_igraph", "seeded_igraph",
    "degree_centrality", "betweenness_centrality", "pagerank", "eigenvector_centrality",
    "centrality", "burt_constraint", "effective_size", "Partition", "louvain_communities",
    "leiden_communities", "communities", "modularity",
]

EXACT_BETWEENNESS_MAX_NODES = 5000
BETWEENNESS_SAMPLES = 100
# from this size sampled betweenness is summed from two parts of the sources, the second
# in a forked child on a second core (:func:`_betweenness_started`)
SPLIT_BETWEENNESS_MIN_NODES = 20_000


class AnalysisError(AutographError):
    """A measure is undefined for this graph or did not converge."""


@contextmanager
def seeded_igraph(seed: int):
    """igraph draws from its own generator, seeded here, instead of the global ``random``
    (whose state is left untouched for the caller)."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


@dataclass(frozen=True)
class _Compiled:
    graph: ig.Graph
    nodes: list
    version: tuple[int, int]


_CACHE: "weakref.WeakKeyDictionary[nx.Graph, _Compiled]" = weakref.WeakKeyDictionary()


def to_igraph(G: nx.Graph) -> tuple[ig.Graph, list]:
    """*G* as an undirected weighted igraph graph and the node order; converted once and
    cached for as long as *G* lives and keeps its size."""
    if isinstance(G, ArrayView):  # built from the dataset's columns, compiled already
        return G.graph, list(G.nodes)
    version = (G.number_of_nodes(), G.number_of_edges())
    hit = _CACHE.get(G)
    if hit is not None and hit.version == version:
        return hit.graph, hit.nodes
    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    g = ig.Graph(n=len(nodes), edges=edges, directed=False)
    g.es["weight"] = [float(w) for _, _, w in G.edges(data="weight", default=1)]
    _CACHE[G] = _Compiled(g, nodes, version)
    return g, nodes


def degree_centrality(G: nx.Graph) -> dict:
    """Share of the other nodes each node is linked to (as networkx).

    >>> degree_centrality(nx.path_graph(3))
    {0: 0.5, 1: 1.0, 2: 0.5}
    """
    if isinstance(G, ArrayView):  # networkx's formula, on the same simple graph
        if len(G) <= 1:
            return dict.fromkeys(G, 1)
        s = 1.0 / (len(G) - 1.0)
        return {n: d * s for n, d in zip(G.nodes, G.graph.degree())}
    return nx.degree_centrality(G)


def betweenness_centrality(G: nx.Graph, k: int | None = None, seed: int = 42) -> dict:
    """Normalised shortest-path betweenness, unweighted.

    Exact up to :data:`EXACT_BETWEENNESS_MAX_NODES` nodes; above that (or with *k*) it is
    estimated from *k* source nodes drawn with *seed* (Brandes' estimator, scaled by n/k).

    >>> betweenness_centrality(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    return _betweenness_started(G, k, seed)()


def _betweenness_started(G: nx.Graph, k: int | None = None, seed: int = 42
                         ) -> Callable[[], dict]:
    """:func:`betweenness_centrality` begun: a sampled betweenness of a large graph starts
    three fifths of its sources in a forked child now, and the returned function (called
    after other work, such as the other measures) computes the rest here and adds the two."""
    n = G.number_of_nodes()
    if n < 3:
        return lambda: dict.fromkeys(G, 0.0)
    g, nodes = to_igraph(G)
    if k is None and n > EXACT_BETWEENNESS_MAX_NODES:
        k = BETWEENNESS_SAMPLES
    if k is None or k >= n:
        scale, sources = 1.0, None
    else:
        scale, sources = n / k, random.Random(seed).sample(range(n), k)
    norm = scale * 2.0 / ((n - 1) * (n - 2))

    def done(raw: list[float]) -> dict:
        return {node: value * norm for node, value in zip(nodes, raw)}

    if sources is None:
        return lambda: done(g.betweenness(directed=False))
    if n < SPLIT_BETWEENNESS_MIN_NODES:
        return lambda: done(g.betweenness(directed=False, sources=sources))
    # Brandes' sums are additive over sources: two parts, the second in a forked child on a
    # second core, else here; the same sum either way, so the answer does not depend on the
    # machine (it can differ in the last bits from one igraph call over all sources). This
    # process has the other measures to compute too, so it takes two fifths of the sources.
    part = len(sources) * 2 // 5
    first, second = sources[:part], sources[part:]
    child = (_Forked(lambda: g.betweenness(directed=False, sources=second), g.vcount())
             if _cores() > 1 else None)

    def finish() -> dict:
        try:
            a = g.betweenness(directed=False, sources=first)
            b = child.result() if child is not None else None
        except BaseException:
            if child is not None:
                child.cancel()
            raise
        if b is None:  # no second core, or the child failed: the same work here
            b = g.betweenness(directed=False, sources=second)
        return done([x + y for x, y in zip(a, b)])
    finish.cancel = child.cancel if child is not None else (lambda: None)
    return finish


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class _Forked:
    """*work* (giving *size* floats) run in a forked child: :meth:`result` waits for them
    (None when the child could not be made or did not finish), :meth:`cancel` stops it. A
    child whose result is never asked for is killed and reaped when this object goes."""

    def __init__(self, work: Callable[[], list[float]], size: int):
        self.size, self.pid, self._stop = size, None, None
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        # no signal handler may run in the child (a Ctrl-C there would unwind this
        # process's stack, its cleanups included): signals stay blocked in the child
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: compute, write the floats, leave without any cleanup
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    out.write(array("d", work()).tobytes())
                code = 0
            finally:
                os._exit(code)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(write)
        self.pid, self.read = pid, read
        self._stop = weakref.finalize(self, _stop_child, pid, read)

    def result(self) -> list[float] | None:
        if self.pid is None:
            return None
        try:
            with os.fdopen(self.read, "rb", closefd=False) as pipe:
                data = pipe.read()
            try:
                _, status = os.waitpid(self.pid, 0)
            except ChildProcessError:  # SIGCHLD ignored: the system reaped it
                status = 0
        except BaseException:
            self.cancel()
            raise
        self._stop.detach()
        os.close(self.read)
        self.pid = None
        if status != 0 or len(data) != 8 * self.size:
            return None
        return array("d", data).tolist()

    def cancel(self) -> None:
        if self._stop is not None:
            self._stop()  # once only: a second call does nothing
        self.pid = None


def _stop_child(pid: int, read: int) -> None:
    """Kill, reap and close: what is left of a child whose result was not read."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(read)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def pagerank(G: nx.Graph, alpha: float = 0.85) -> dict:
    """Weighted PageRank (sums to 1).

    >>> round(pagerank(nx.star_graph(2))[0], 3)
    0.486
    """
    if G.number_of_nodes() == 0:
        return {}
    g, nodes = to_igraph(G)
    # igraph's PRPACK sums in OpenMP threads, in an order that changes from run to run; on
    # one thread the answer is the same every time (and on the bundled graph what it was)
    with _openmp().limit(limits=1, user_api="openmp"):
        values = g.pagerank(damping=alpha, weights="weight", directed=False)
    return dict(zip(nodes, values))


@functools.cache
def _openmp() -> ThreadpoolController:
    """The thread pools of the libraries loaded (igraph's OpenMP among them), found once:
    limiting through it costs 0.01 ms a call instead of 0.6 ms."""
    return ThreadpoolController()


def eigenvector_centrality(G: nx.Graph) -> dict:
    """Weighted eigenvector centrality, scaled so the largest is 1.

    Raises
    ------
    AnalysisError
        On a graph without edges, where it is undefined, or when ARPACK does not converge.
        On a disconnected graph it is defined but zero outside the dominant component;
        :func:`centrality` reports that as a note.
    """
    if G.number_of_edges() == 0:
        raise AnalysisError("eigenvector centrality is undefined on a graph without relations")
    g, nodes = to_igraph(G)
    try:
        # ARPACK starts from a random vector: seeded, the same answer every time
        with warnings.catch_warnings(), seeded_igraph(0):
            # igraph warns on disconnected graphs; centrality() reports that as a note
            warnings.simplefilter("ignore", RuntimeWarning)
            values = g.eigenvector_centrality(weights="weight")
    except ig.InternalError as err:
        raise AnalysisError(f"eigenvector centrality did not converge: {err}") from err
    return dict(zip(nodes, values))


MEASURES = {
    "degree": degree_centrality,
    "betweenness": betweenness_centrality,
    "pagerank": pagerank,
    "eigenvector": eigenvector_centrality,
}


def centrality(G: nx.Graph, measures: tuple[str, ...] = tuple(MEASURES), seed: int = 42
               ) -> tuple[dict[str, dict], list[str]]:
    """Several measures at once: ``({measure: {node: value}}, notes)``."""
    out, notes = {}, []
    for name in measures:
        if name not in MEASURES:
            raise AnalysisError(f"unknown measure {name!r}; expected one of {', '.join(MEASURES)}")
    # betweenness begins first (on a large graph, most of its sources in a child process) and ends
    # after the other measures
    between = _betweenness_started(G, seed=seed) if "betweenness" in measures else None
    try:
        values = {name: MEASURES[name](G) for name in measures if name != "betweenness"}
        if between is not None:
            values["betweenness"] = between()
    except BaseException:
        getattr(between, "cancel", lambda: None)()
        raise
    for name in measures:
        out[name] = values[name]
        if name == "betweenness" and G.number_of_nodes() > EXACT_BETWEENNESS_MAX_NODES:
            notes.append(f"betweenness estimated from {BETWEENNESS_SAMPLES} sampled "
                         f"sources (seed {seed})")
        if name == "eigenvector":
            parts = (len(G.graph.connected_components()) if isinstance(G, ArrayView)
                     else nx.number_connected_components(G))
            if parts > 1:
                notes.append(f"the graph has {parts} components: eigenvector centrality is zero "
                             "outside the dominant one")
    return out, notes


def burt_constraint(G: nx.Graph, nodes=None) -> dict:
    """Burt's constraint (low: a broker between otherwise unconnected contacts).

    >>> round(burt_constraint(nx.star_graph(3))[0], 3)
    0.333
    """
    return {n: v for n, v in nx.constraint(G, nodes, weight="weight").items()}


def effective_size(G: nx.Graph, nodes=None) -> dict:
    """Burt's effective size: non-redundant contacts.

    >>> effective_size(nx.star_graph(3))[0]
    3.0
    """
    return dict(nx.effective_size(G, nodes, weight="weight"))


@dataclass(frozen=True)
class Partition:
    """Communities (largest first, members sorted), the modularity, method and seed."""

    communities: list[list]
    modularity: float
    method: str
    seed: int

    def membership(self) -> dict:
        return {n: i for i, members in enumerate(self.communities) for n in members}


def _partition(nodes: list, labels: list[int], G: nx.Graph, method: str, seed: int) -> Partition:
    groups: dict[int, list] = {}
    for node, label in zip(nodes, labels):
        groups.setdefault(label, []).append(node)
    ordered = sorted((sorted(m, key=str) for m in groups.values()),
                     key=lambda m: (-len(m), str(m[0])))
    return Partition(ordered, modularity(G, ordered), method, seed)


def modularity(G: nx.Graph, communities: list[list]) -> float:
    """Weighted modularity of a partition (computed by igraph)."""
    g, nodes = to_igraph(G)
    if g.ecount() == 0 or not any(g.es["weight"]):  # no weight: nothing to be modular
        return 0.0
    index = {n: i for i, n in enumerate(nodes)}
    membership = [0] * len(nodes)
    for c, members in enumerate(communities):
        for n in members:
            membership[index[n]] = c
    return g.modularity(membership, weights="weight")


def louvain_communities(G: nx.Graph, seed: int = 42) -> Partition:
    """Louvain (igraph's multilevel) with a seed: the same seed gives the same partition."""
    g, nodes = to_igraph(G)
    if g.vcount() == 0:
        return Partition([], 0.0, "louvain", seed)
    with seeded_igraph(seed):
        labels = g.community_multilevel(weights="weight").membership
    return _partition(nodes, labels, G, "louvain", seed)


def leiden_communities(G: nx.Graph, seed: int = 42) -> Partition:
    """Leiden (igraph's, weighted modularity) with a seed, iterated until no node moves.

    igraph's implementation of Traag's algorithm, run to convergence: on 100k entities /
    548k relations a partition of the same modularity as leidenalg's (0.79509) in 3.3 s
    instead of 12.1 s; the partitions themselves differ from leidenalg's (README, Analysis)."""
    g, nodes = to_igraph(G)
    if g.vcount() == 0:
        return Partition([], 0.0, "leiden", seed)
    with seeded_igraph(seed):
        labels = g.community_leiden(objective_function="modularity", weights="weight",
                                    n_iterations=-1).membership
    return _partition(nodes, labels, G, "leiden", seed)


def communities(G: nx.Graph, method: str = "louvain", seed: int = 42) -> Partition:
    """Communities by ``louvain`` or ``leiden``."""
    if method == "louvain":
        return louvain_communities(G, seed)
    if method == "leiden":
        return leiden_communities(G, seed)
    raise AnalysisError(f"unknown method {method!r}; expected louvain or leiden")
