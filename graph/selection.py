"""Select a slice of the graph: one implementation for ``export``, ``map`` and ``analyze``.

Filters combine with AND. Edge filters (relation type, status, dates, confidence, source)
drop the nodes they leave without any relation, except the focus; node filters (label,
country) keep isolated nodes. ``focus``/``hops`` then takes the ego network inside what the
filters kept, so ``--rel-type SUPPLIES --focus catl --hops 2`` follows supply chains only.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import schema
from .dataset import date_start, parse_date
from .errors import EntityNotFoundError, SelectionError

if TYPE_CHECKING:  # imported where a graph is built: the command line starts without it
    import networkx as nx

__all__ = ["Selection", "select", "find_node", "edge_date", "edge_end", "edge_reliability",
           "validity", "holds_at", "date_period", "checked_options", "DIRECTIONS"]

DIRECTIONS = ("both", "out", "in")


def date_period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date of year, month or day precision covers.

    >>> date_period("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    start = date_start(parse_date(value))
    parts = value.count("-")
    if parts == 0:
        end = dt.date(start.year, 12, 31)
    elif parts == 1:
        nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
    else:
        end = start
    return start, end


def edge_date(G: nx.Graph, data: dict[str, Any]) -> str:
    """When a relation is known to hold: its ``date``, else ``asOf``, else its earliest
    dated source (``G.graph["sources"]``); ``""`` when none of them is dated."""
    if data.get("date"):
        return data["date"]
    if data.get("asOf"):
        return data["asOf"]
    registry = G.graph.get("sources", {})
    dates = [registry[s]["date"] for s in data.get("sources", ()) if registry.get(s, {}).get("date")]
    return min(dates, key=date_start) if dates else ""


def edge_end(G: nx.Graph, data: dict[str, Any]) -> str:
    """When a relation stopped holding: its ``endDate``; for an ``ended`` relation without
    one, the date it was reported ended (:func:`edge_date`); ``""`` while it holds."""
    if data.get("endDate"):
        return data["endDate"]
    if data.get("status") == "ended":
        return edge_date(G, data)
    return ""


def validity(G: nx.Graph, data: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """When a relation holds, as two days: ``validFrom``, the first day of the period of
    :func:`edge_date`, and ``validUntil``, the first day of the period of :func:`edge_end`
    (the first day it no longer holds); None where there is no such date.

    ``--as-of`` keeps a relation when it holds on the last day *d* of the as-of period:
    ``validFrom <= d`` and (no ``validUntil`` or ``validUntil > d``), see :func:`holds_at`.
    ``load`` stores both on every relationship, so a Cypher query asks the same in one line.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(sources={"s1": {"date": "2023-05"}})
    >>> validity(G, {"sources": ["s1"], "status": "ended", "endDate": "2024"})
    (datetime.date(2023, 5, 1), datetime.date(2024, 1, 1))
    """
    since, until = edge_date(G, data), edge_end(G, data)
    return (date_start(since) if since else None), (date_start(until) if until else None)


def holds_at(valid_from: dt.date | None, valid_until: dt.date | None, day: dt.date) -> bool:
    """Whether a relation with this :func:`validity` holds on *day* (an undated one never
    does: nothing says when it held)."""
    return (valid_from is not None and valid_from <= day
            and (valid_until is None or valid_until > day))


def edge_reliability(G: nx.Graph, data: dict[str, Any]) -> str:
    """The best reliability grade (A best, F worst) among a relation's sources; ``"F"``
    (cannot be judged) when no source is graded."""
    registry = G.graph.get("sources", {})
    grades = [registry[s].get("reliability") or "F" for s in data.get("sources", ())
              if s in registry]
    return min(grades, default="F")


def _names(G: nx.Graph) -> dict[str, str]:
    """Every id, name and alias (casefolded) -> node id."""
    index: dict[str, str] = {}
    for nid, data in G.nodes(data=True):
        for alias in (*data.get("aliases", ()), data.get("name", ""), str(nid)):
            if alias:
                index[str(alias).casefold()] = nid
    return index


def find_node(G: nx.Graph, query: str) -> str:
    """The node whose id, name or alias is *query* (case-insensitive).

    Raises
    ------
    EntityNotFoundError
        With up to three close matches.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("catl", name="CATL", aliases=["Contemporary Amperex Technology"])
    >>> find_node(G, "contemporary amperex technology")
    'catl'
    """
    if query in G:
        return query
    index = _names(G)
    key = query.casefold()
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=6, cutoff=0.6)
    suggestions = list(dict.fromkeys(index[c] for c in close))[:3]
    raise EntityNotFoundError(query, suggestions)


def _match_source(G: nx.Graph, article: str) -> str:
    registry = G.graph.get("sources", {})
    for sid, src in registry.items():
        if article in (sid, src.get("file")):
            return sid
    prefixed = [sid for sid in registry if sid.startswith(article)]
    if len(prefixed) == 1:
        return prefixed[0]
    raise SelectionError(f"unknown source {article!r}; known sources: {', '.join(registry)}")


@dataclass(frozen=True)
class Selection:
    """What to keep. Empty tuples and ``None`` mean "no filter"."""

    focus: str | None = None
    hops: int = 1
    direction: str = "both"
    labels: tuple[str, ...] = ()
    rel_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    min_confidence: float | None = None
    min_reliability: str | None = None
    sources: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == Selection()


def _periods(sel: Selection) -> dict[str, tuple[dt.date, dt.date]]:
    out = {}
    for name in ("since", "until", "as_of"):
        value = getattr(sel, name)
        if value is not None:
            try:
                out[name] = date_period(value)
            except ValueError as err:
                raise SelectionError(f"--{name.replace('_', '-')}: {err}") from err
    return out


def _check(sel: Selection) -> None:
    for label in sel.labels:
        try:
            schema.check_label(label)
        except ValueError as err:
            raise SelectionError(str(err)) from err
    for rel_type in sel.rel_types:
        try:
            schema.check_rel_type(rel_type)
        except ValueError as err:
            raise SelectionError(str(err)) from err
    for status in sel.statuses:
        if status not in schema.STATUSES:
            raise SelectionError(f"unknown status {status!r}; expected one of "
                                 f"{', '.join(schema.STATUSES)}")
    if sel.hops < 0:
        raise SelectionError(f"hops must be 0 or more, not {sel.hops}")
    if sel.direction not in DIRECTIONS:
        raise SelectionError(f"direction must be one of {', '.join(DIRECTIONS)}")
    if sel.min_confidence is not None and not 0 <= sel.min_confidence <= 1:
        raise SelectionError(f"min-confidence must be from 0 to 1, not {sel.min_confidence}")
    if sel.min_reliability is not None and sel.min_reliability not in schema.RELIABILITY:
        raise SelectionError(f"min-reliability must be one of {', '.join(schema.RELIABILITY)}, "
                             f"not {sel.min_reliability!r}")


def _keep_edge(G: nx.Graph, data: dict[str, Any], sel: Selection, sources: set[str],
               periods: dict[str, tuple[dt.date, dt.date]]) -> bool:
    if sel.rel_types and data.get("type") not in sel.rel_types:
        return False
    if sel.statuses and data.get("status") not in sel.statuses:
        return False
    if sel.min_confidence is not None and float(data.get("confidence", 0)) < sel.min_confidence:
        return False
    if sel.min_reliability is not None and edge_reliability(G, data) > sel.min_reliability:
        return False
    if sources and not sources.intersection(data.get("sources", ())):
        return False
    if periods:
        when = edge_date(G, data)
        if not when:
            return False
        start, end = date_period(when)
        if "since" in periods and end < periods["since"][0]:
            return False
        if "until" in periods and start > periods["until"][1]:
            return False
        # Held on the as-of period's last day: started by then, not ended by then (an end
        # inside the period ends it).
        if "as_of" in periods and not holds_at(*validity(G, data), periods["as_of"][1]):
            return False
    return True


def checked_options(G: nx.Graph, sel: Selection
                    ) -> tuple[dict[str, tuple[dt.date, dt.date]], set[str]]:
    """*sel*'s options checked in the order :func:`select` reports them (before the focus):
    its periods and the ids of its sources in *G*'s registry (``G.graph["sources"]``)."""
    _check(sel)
    periods = _periods(sel)
    return periods, {_match_source(G, s) for s in sel.sources}


def select(G: nx.MultiDiGraph, selection: Selection | None = None, **options: Any
           ) -> nx.MultiDiGraph:
    """Return the selected subgraph as a new graph (attributes copied, graph data kept).

    Pass a :class:`Selection` or its fields as keywords.

    Raises
    ------
    SelectionError
        For invalid options, and for a selection that keeps nothing.
    EntityNotFoundError
        When the focus is not an id, name or alias in *G*.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="ab", type="SUPPLIES", status="active", confidence=1.0)
    'ab'
    >>> G.add_edge("b", "c", key="bc", type="OWNS", status="active", confidence=1.0)
    'bc'
    >>> sorted(select(G, rel_types=("SUPPLIES",)).nodes)
    ['a', 'b']
    """
    sel = selection if selection is not None else Selection(**options)
    periods, sources = checked_options(G, sel)
    focus = find_node(G, sel.focus) if sel.focus is not None else None

    if focus is not None:
        H = _select_around(G, sel, focus, sources, periods)
    else:
        H = _select_all(G, sel, sources, periods)
    if H.number_of_nodes() == 0:
        raise SelectionError("the selection is empty; loosen a filter (see --help) or check "
                             "`autograph stats` for the labels, types and countries present")
    return H


def _node_ok(sel: Selection):
    def ok(d: dict[str, Any]) -> bool:
        return ((not sel.labels or d.get("label") in sel.labels)
                and (not sel.countries or d.get("country") in sel.countries))
    return ok


def _select_around(G: nx.MultiDiGraph, sel: Selection, focus: str, sources: set[str],
                   periods: dict[str, tuple[dt.date, dt.date]]) -> nx.MultiDiGraph:
    """``focus``/``hops``: walk out from the focus over the edges the filters keep, then copy
    only what was reached, instead of copying the whole graph before focusing.

    The same subgraph as filtering everything, walking the filtered graph (symmetric
    relations lead both ways) and taking the induced subgraph within ``hops``.
    """
    node_ok = _node_ok(sel)
    nodes = G._node
    if not node_ok(nodes[focus]):
        raise SelectionError(f"the focus {focus!r} is excluded by the other filters")
    symmetric = schema.symmetric_types()
    kept: dict[tuple[str, str, str], bool] = {}

    def keep(u: str, v: str, k: str, d: dict[str, Any]) -> bool:
        key = (u, v, k)
        if key not in kept:
            kept[key] = (node_ok(nodes[u]) and node_ok(nodes[v])
                         and _keep_edge(G, d, sel, sources, periods))
        return kept[key]

    def steps(x: str):
        # out: x->y, and y->x when symmetric; in: the reverse; both: either way
        if sel.direction in ("out", "both"):
            for y, keyed in G._succ[x].items():
                if any(keep(x, y, k, d) for k, d in keyed.items()):
                    yield y
            for y, keyed in G._pred[x].items():
                if sel.direction == "both" and any(keep(y, x, k, d) for k, d in keyed.items()):
                    yield y
                elif any(d.get("type") in symmetric and keep(y, x, k, d)
                         for k, d in keyed.items()):
                    yield y
        else:
            for y, keyed in G._pred[x].items():
                if any(keep(y, x, k, d) for k, d in keyed.items()):
                    yield y
            for y, keyed in G._succ[x].items():
                if any(d.get("type") in symmetric and keep(x, y, k, d)
                       for k, d in keyed.items()):
                    yield y

    reached, frontier = {focus}, [focus]
    for _ in range(max(sel.hops, 0)):
        frontier = [y for x in frontier for y in steps(x) if y not in reached
                    and not reached.add(y)]
        if not frontier:
            break
    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in nodes.items() if n in reached)
    H.add_edges_from((u, v, k, d) for u in H for v, keyed in G._succ[u].items()
                     if v in reached for k, d in keyed.items() if keep(u, v, k, d))
    return H


def _select_all(G: nx.MultiDiGraph, sel: Selection, sources: set[str],
                periods: dict[str, tuple[dt.date, dt.date]]) -> nx.MultiDiGraph:
    node_ok = _node_ok(sel)
    nodes = {n for n, d in G.nodes(data=True) if node_ok(d)}
    edge_filtered = bool(sel.rel_types or sel.statuses or sel.min_confidence is not None
                         or sel.min_reliability is not None or sources or periods)
    edges = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True)
             if u in nodes and v in nodes and _keep_edge(G, d, sel, sources, periods)]
    if edge_filtered:
        nodes = {n for e in edges for n in e[:2]}

    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in nodes)  # G's order
    H.add_edges_from((u, v, k, G.edges[u, v, k]) for u, v, k in edges)
    return H


def parse_list(values: Iterable[str]) -> tuple[str, ...]:
    """Flatten repeated and comma-separated option values: ('a,b', 'c') -> ('a', 'b', 'c')."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())
