"""How robust a ranking is: what it depends on, and how far it moves.

Three kinds of change are tried on a ranking (one measure on one view):

- **leave one source out**: for each source some relation cites, the graph as if that source
  had never been read (relations cited by it alone disappear; the others lose its grade and
  its share of the independence factor);
- **the other weight**: ``count`` against ``evidence``;
- **perturbation**: every pair weight of the view multiplied by a factor drawn uniformly from
  ``[1 - epsilon, 1 + epsilon]``, *perturbations* times, seeded (``seed``, ``seed + 1``, ...).
  Degree and betweenness are unweighted here, so only PageRank and eigenvector move.

A node's rank range is the smallest and largest rank seen across all of them, its base rank
included. The source the finding depends on most is the one whose removal moves the rank
furthest (ties: the lower source id).
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import networkx as nx

from .evidence import WEIGHTS, relation_sources, weighted
from .measures import centrality, communities, louvain_communities
from .views import make_view

__all__ = ["weighted_view", "ranks", "robustness", "finding", "robustness_rows", "co_assignment",
           "community_stability", "ordinal"]


def weighted_view(G: nx.MultiDiGraph, view: str = "full", weight: str = "count", *,
                  half_life: float | None = None, as_of: str | None = None,
                  without: tuple[str, ...] = ()) -> nx.Graph:
    """The named view of *G* with ``count`` or ``evidence`` pair weights."""
    if weight == "count" and half_life is None and not without:
        return make_view(G, view)
    return make_view(weighted(G, weight, half_life=half_life, as_of=as_of, without=without),
                     view)


def ranks(V: nx.Graph, measure: str, seed: int = 42) -> dict:
    """Rank of every node of *V* under *measure* (1 = highest; ties by id)."""
    values = centrality(V, (measure,), seed=seed)[0][measure]
    ordered = sorted(values, key=lambda n: (-values[n], str(n)))
    return {n: i for i, n in enumerate(ordered, start=1)}


def _perturbed(V: nx.Graph, rng: random.Random, epsilon: float) -> nx.Graph:
    P = V.copy()
    for u, v in sorted(P.edges(), key=lambda e: (str(e[0]), str(e[1]))):
        P[u][v]["weight"] = P[u][v]["weight"] * rng.uniform(1 - epsilon, 1 + epsilon)
    return P


def ordinal(n: int) -> str:
    """An English ordinal.

    >>> [ordinal(n) for n in (1, 2, 3, 11, 22)]
    ['1st', '2nd', '3rd', '11th', '22nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def robustness(G: nx.MultiDiGraph, measure: str = "pagerank", view: str = "full",
               weight: str = "count", *, half_life: float | None = None,
               as_of: str | None = None, seed: int = 42, perturbations: int = 20,
               epsilon: float = 0.1, nodes: list | None = None) -> dict[Any, dict[str, Any]]:
    """For each node (or those in *nodes*): its base rank and how the rank moves.

    Returns ``{node: {"rank", "range": [lo, hi], "withoutSource": {source: rank},
    "dependsOn": source or None, "rankWithout": rank, "byWeight": {weight: rank},
    "perturbed": [lo, hi]}}``.
    """
    options = {"half_life": half_life, "as_of": as_of}
    base_view = weighted_view(G, view, weight, **options)
    base = ranks(base_view, measure, seed)
    keep = list(base) if nodes is None else list(nodes)
    by_weight = {}
    for w in WEIGHTS:
        other = base if w == weight else ranks(
            weighted_view(G, view, w, **(options if w == "evidence" else {})), measure, seed)
        by_weight[w] = other
    without = {s: ranks(weighted_view(G, view, weight, without=(s,), **options), measure, seed)
               for s in relation_sources(G)}
    perturbed = [ranks(_perturbed(base_view, random.Random(seed + i), epsilon), measure, seed)
                 for i in range(perturbations)]
    out = {}
    for n in keep:
        loso = {s: r[n] for s, r in without.items() if n in r}
        moves = sorted(loso, key=lambda s: (-abs(loso[s] - base[n]), s))
        most = moves[0] if moves and loso[moves[0]] != base[n] else None
        pert = [r[n] for r in perturbed] or [base[n]]
        seen = [base[n], *loso.values(), *(r[n] for r in by_weight.values() if n in r), *pert]
        out[n] = {"rank": base[n], "of": len(base), "range": [min(seen), max(seen)],
                  "withoutSource": loso, "dependsOn": most,
                  "rankWithout": loso[most] if most else base[n],
                  "byWeight": {w: r.get(n) for w, r in by_weight.items()},
                  "perturbed": [min(pert), max(pert)]}
    return out


def finding(name: str, measure: str, entry: dict[str, Any]) -> str:
    """One sentence on what a rank depends on most."""
    if entry["dependsOn"] is None:
        return (f"{name} ranks {ordinal(entry['rank'])} by {measure}; leaving out any one "
                "source does not change that")
    move = "drops" if entry["rankWithout"] > entry["rank"] else "rises"
    return (f"without {entry['dependsOn']}, {name} {move} from {ordinal(entry['rank'])} to "
            f"{ordinal(entry['rankWithout'])} by {measure}")


def co_assignment(V: nx.Graph, node, seeds: int = 20) -> dict[str, Any]:
    """How often (share of *seeds* Louvain runs, seeds 0..seeds-1) *node* shares a community
    with each other node; ``stability`` is the mean share over the members of its community
    in the seed-0 run (1.0: the same company every time)."""
    together: Counter = Counter()
    first: list = []
    for s in range(seeds):
        part = louvain_communities(V, seed=s)
        members = part.communities[part.membership()[node]]
        if s == 0:
            first = [m for m in members if m != node]
        together.update(m for m in members if m != node)
    shares = {m: together[m] / seeds for m in sorted(together, key=lambda m: (-together[m], m))}
    stability = sum(shares.get(m, 0.0) for m in first) / len(first) if first else 1.0
    return {"seeds": seeds, "stability": stability, "coAssigned": shares}


def robustness_rows(report: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """A role report's robustness (``role(..., robust=True)``) as table rows per measure and
    sentences: the findings and the community stability."""
    rows = [{"measure": m, "rank": f"{e['rank']} of {e['of']}",
             "range": "{}-{}".format(*e["range"]),
             "count": e["byWeight"]["count"], "evidence": e["byWeight"]["evidence"],
             "perturbed": "{}-{}".format(*e["perturbed"]),
             "dependsOn": e["dependsOn"] or "", "rankWithout": e["rankWithout"]}
            for m, e in report["robustness"].items()]
    stability = report["communityStability"]
    lines = [e["finding"] for e in report["robustness"].values()]
    lines.append(f"community stability {stability['stability']:.2f} (mean co-assignment with "
                 f"its community over {stability['seeds']} Louvain seeds)")
    return rows, lines


def community_stability(V: nx.Graph, found: list[list], method: str = "louvain",
                        seeds: int = 20) -> list[float]:
    """For each community in *found*: the share of its member pairs that *method* puts
    together again, over runs with seeds 0..seeds-1 (1.0: always the same community;
    a one-member community counts 1.0).

    >>> V = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
    >>> community_stability(V, [["a", "b", "c"], ["x", "y", "z"]], seeds=3)
    [1.0, 1.0]
    """
    together = [0] * len(found)
    for seed in range(seeds):
        membership = communities(V, method, seed).membership()
        for i, members in enumerate(found):
            sizes = Counter(membership[n] for n in members)
            together[i] += sum(k * (k - 1) // 2 for k in sizes.values())
    out = []
    for members, count in zip(found, together):
        pairs = len(members) * (len(members) - 1) // 2
        out.append(count / (pairs * seeds) if pairs else 1.0)
    return out
