"""Evidence weights: how much each relation counts, from what its sources support.

``count`` (the default everywhere) gives every relation weight 1. ``evidence`` gives a
relation the weight

    confidence × reliability(best source) × (1 − 0.5^n) × 0.5^d [× 0.5^(age / half-life)]

- ``confidence``: how clearly the source states the relation (0 to 1, from the data);
- ``reliability``: the highest :data:`graph.schema.RELIABILITY_WEIGHT` among its sources'
  Admiralty grades (A 1.0, B 0.8, C 0.6, D 0.4, E 0.2, F 0.5), so a further source never
  lowers the weight;
- ``1 − 0.5^n``: independence, for *n* distinct sources (one 0.5, two 0.75, three 0.875):
  each further source halves the remaining doubt;
- ``0.5^d``: each of the *d* distinct sources in ``disputedBy`` halves the weight;
- recency, only with a half-life: ``age`` is the years from the start of the relation's date
  (:func:`graph.selection.edge_date`) to the end of the ``as_of`` period (or today); undated
  relations and relations dated after the reference are not decayed.

The views (:mod:`graph.analysis.views`) sum these weights per pair of nodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .. import schema
from ..dataset import date_start
from ..selection import date_period, edge_date
from .measures import AnalysisError

__all__ = ["WEIGHTS", "DISPUTE_FACTOR", "independence", "recency", "evidence_weight",
           "weighted", "relation_sources"]

WEIGHTS = ("count", "evidence")
DISPUTE_FACTOR = 0.5


def independence(n: int) -> float:
    """The weight *n* distinct sources give: ``1 - 0.5**n``.

    >>> [independence(n) for n in (0, 1, 2, 3)]
    [0.0, 0.5, 0.75, 0.875]
    """
    return 1.0 - 0.5 ** n


def recency(age_years: float, half_life: float) -> float:
    """``0.5 ** (age / half_life)``; a negative age (after the reference) counts as 0.

    >>> recency(10, 5)
    0.25
    """
    if half_life <= 0:
        raise AnalysisError(f"half-life must be positive, not {half_life}")
    return 0.5 ** (max(age_years, 0.0) / half_life)


def _reference(as_of: str | None) -> dt.date:
    return date_period(as_of)[1] if as_of else dt.date.today()


def evidence_weight(G: nx.Graph, data: dict[str, Any], *, half_life: float | None = None,
                    as_of: str | None = None, without: Iterable[str] = ()) -> float:
    """The evidence weight of one relation (see the module docstring); sources in *without*
    are ignored, as if they had never been read (0.0 when no source is left).

    Examples
    --------
    >>> G = nx.MultiDiGraph(sources={"s1": {"reliability": "B"}, "s2": {"reliability": "D"}})
    >>> evidence_weight(G, {"confidence": 0.9, "sources": ("s1", "s2")})
    0.54
    """
    left = set(without)
    sources = [s for s in dict.fromkeys(data.get("sources", ())) if s not in left]
    if not sources:
        return 0.0
    registry = G.graph.get("sources", {})
    # the best grade is the one worth most: F (cannot be judged) counts above D and E
    best = max(schema.RELIABILITY_WEIGHT[registry.get(s, {}).get("reliability") or "F"]
               for s in sources)
    weight = (float(data.get("confidence", 1.0)) * best
              * independence(len(sources)))
    disputes = {s for s in data.get("disputedBy", ()) if s not in left}
    weight *= DISPUTE_FACTOR ** len(disputes)
    if half_life is not None:
        when = edge_date(G, {**data, "sources": tuple(sources)})
        if when:
            age = (_reference(as_of) - date_start(when)).days / 365.25
            weight *= recency(age, half_life)
    return round(weight, 12)


def relation_sources(G: nx.Graph) -> list[str]:
    """Every source some relation of *G* cites, sorted."""
    return sorted({s for _, _, d in G.edges(data=True) for s in d.get("sources", ())})


def weighted(G: nx.MultiDiGraph, weight: str = "count", *, half_life: float | None = None,
             as_of: str | None = None, without: Iterable[str] = ()) -> nx.MultiDiGraph:
    """A copy of *G* whose relations carry ``weight``: 1 (``count``) or
    :func:`evidence_weight` (``evidence``).

    With *without*, relations whose every source is in it are left out (for both weights):
    what the graph would be had those sources never been read.
    """
    if weight not in WEIGHTS:
        raise AnalysisError(f"unknown weight {weight!r}; expected one of {', '.join(WEIGHTS)}")
    if half_life is not None and weight != "evidence":
        raise AnalysisError("a half-life applies to --weight evidence only")
    left = set(without)
    H = G.copy()
    for u, v, k, d in G.edges(keys=True, data=True):
        cited = set(d.get("sources", ()))
        if left and cited and cited <= left:
            H.remove_edge(u, v, k)
            continue
        H[u][v][k]["weight"] = (1 if weight == "count" else
                                evidence_weight(G, d, half_life=half_life, as_of=as_of,
                                                without=left))
    return H
