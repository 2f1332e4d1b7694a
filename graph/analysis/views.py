"""Views of the network for analysis: the full graph and the company-level projection.

Both are undirected, simple, weighted ``nx.Graph`` objects: a relation's direction matters
for provenance, not for who holds the network together. ``weight`` counts the relations
(and shared technologies or programmes) between two nodes, or sums their ``weight`` when the
relations carry one (:func:`graph.analysis.evidence.weighted`). Deals are counted through their
pairwise relations: ``Deal`` nodes and their ``PARTY_TO`` edges are left out, so a
three-party agreement is not counted twice.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .. import schema
from ..dataset import no_gc

__all__ = ["VIEWS", "full_view", "company_view", "make_view"]

ACTORS = schema.LABEL_GROUPS["actor"]
SHARED = schema.LABEL_GROUPS["shared"]


def full_view(G: nx.MultiDiGraph) -> nx.Graph:
    """Every node; one weighted undirected edge per connected pair.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"label": "Company"}), ("b", {"label": "Company"})])
    >>> _ = G.add_edge("a", "b", type="SUPPLIES"); _ = G.add_edge("b", "a", type="OWNS")
    >>> full_view(G).edges["a", "b"]["weight"]
    2
    """
    deal_types = schema.rel_types_in("deal")
    # pairs in the order they are first met, so the view is the one edge-by-edge insertion
    # gives (same adjacency order, so the same seeded communities), built in bulk
    pairs: dict[tuple, dict] = {}
    with no_gc():
        for u, v, d in G.edges(data=True):
            if u == v or d.get("type") in deal_types:
                continue
            w = d.get("weight", 1)
            attrs = pairs.get((u, v)) or pairs.get((v, u))
            if attrs is None:
                pairs[u, v] = {"weight": w, "types": {d.get("type", "")}}
            else:
                attrs["weight"] += w
                attrs["types"].add(d.get("type", ""))
        H = nx.Graph()
        H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("label") != "Deal")
        H.add_edges_from((u, v, attrs) for (u, v), attrs in pairs.items())
    return H


def company_view(G: nx.MultiDiGraph) -> nx.Graph:
    """Companies and organisations only.

    Plants fold into the actors that operate them (a supplier of a plant becomes a supplier
    of its operator); technologies and programmes that several actors use, develop or join
    become co-use links between those actors, one unit of weight per shared item (with
    relation weights: the smaller of the two actors' weights to the item). Relations
    to places, models and unoperated plants are left out.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for n, lab in [("v", "Company"), ("p", "Plant"), ("s", "Company"), ("t", "Technology"),
    ...                ("g", "Company")]:
    ...     G.add_node(n, label=lab)
    >>> for u, v, t in [("v", "p", "OPERATES"), ("s", "p", "SUPPLIES"),
    ...                 ("p", "t", "USES_TECHNOLOGY"), ("g", "t", "DEVELOPS")]:
    ...     _ = G.add_edge(u, v, type=t)
    >>> sorted(company_view(G).edges(data="weight"))
    [('v', 'g', 1), ('v', 's', 1)]
    """
    owner: dict[str, set[str]] = defaultdict(set)
    for u, v, d in G.edges(data=True):
        if d.get("type") == "OPERATES" and G.nodes[u].get("label") in ACTORS:
            owner[v].add(u)

    def actors_of(n: str) -> set[str]:
        label = G.nodes[n].get("label")
        if label in ACTORS:
            return {n}
        if label == "Plant":
            return owner.get(n, set())
        return set()

    H = nx.Graph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("label") in ACTORS)

    def link(a: str, b: str, why: str, w: float) -> None:
        if a == b:
            return
        if H.has_edge(a, b):
            H[a][b]["weight"] += w
            H[a][b]["types"].add(why)
        else:
            H.add_edge(a, b, weight=w, types={why})

    # item -> actor -> the strongest relation weight between them
    users: dict[str, dict[str, float]] = defaultdict(dict)
    deal_types = schema.rel_types_in("deal")
    for u, v, d in G.edges(data=True):
        rel = d.get("type", "")
        if rel == "OPERATES" or rel in deal_types:
            continue
        ends = [(n, G.nodes[n].get("label")) for n in (u, v)]
        shared = [n for n, label in ends if label in SHARED]
        if shared:
            for item in shared:
                other = v if item == u else u
                for a in actors_of(other):
                    users[item][a] = max(users[item].get(a, 0), d.get("weight", 1))
            continue
        for a in actors_of(u):
            for b in actors_of(v):
                link(a, b, rel, d.get("weight", 1))
    for item, actors in users.items():
        ordered = sorted(actors)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                link(a, b, f"shares {G.nodes[item].get('label')}", min(actors[a], actors[b]))
    return H


VIEWS = {"full": full_view, "company": company_view}


def make_view(G: nx.MultiDiGraph, view: str = "full") -> nx.Graph:
    """The named view of *G*: ``full`` or ``company``."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    return VIEWS[view](G)
