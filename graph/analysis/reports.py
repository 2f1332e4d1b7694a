"""Reports that answer the network's questions: an entity's role, a regional cluster."""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Any

import networkx as nx

from .. import schema
from ..selection import edge_date, edge_reliability, find_node
from .arrays import ArrayView
from .measures import (AnalysisError, burt_constraint, centrality, communities,
                       effective_size)
from .robustness import co_assignment, finding, robustness, weighted_view
from .views import make_view

__all__ = ["role", "cluster", "centrality_table",
           "community_table"]



def _ordered(values: dict, top: int | None = None) -> list:
    """Nodes by descending value, ties by id: the order every ranking here uses; with *top*,
    the first *top* of them (``sorted(...)[:top]`` without sorting a million nodes)."""
    def key(n):
        return (-values[n], str(n))
    if top is None or top < 0:
        return sorted(values, key=key)[:top]
    return heapq.nsmallest(top, values, key=key)


def _ranks(values: dict) -> dict:
    return {n: i for i, n in enumerate(_ordered(values), start=1)}


def centrality_table(V: nx.Graph, measures: tuple[str, ...], top: int | None = None,
                     seed: int = 42, robust: dict[Any, dict[str, Any]] | None = None
                     ) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows ranked by the first measure: id, name, label, country and each measure.

    With *robust* (:func:`graph.analysis.robustness.robustness` for the first measure), two
    more columns: ``robustness`` (the rank range, ``lo-hi``) and ``dependsOn`` (the source
    whose removal moves the rank furthest, with the rank without it).
    """
    values, notes = centrality(V, measures, seed=seed)
    ordered = _ordered(values[measures[0]], top)
    rows = [{"rank": i, "id": n, "name": V.nodes[n].get("name", n),
             "label": V.nodes[n].get("label", ""), "country": V.nodes[n].get("country", ""),
             **{m: values[m][n] for m in measures}}
            for i, n in enumerate(ordered, start=1)]
    for row in rows if robust else ():
        entry = robust[row["id"]]
        row["robustness"] = "{}-{}".format(*entry["range"])
        row["dependsOn"] = (f"{entry['dependsOn']} ({entry['rankWithout']})"
                            if entry["dependsOn"] else "")
    return rows, notes


def community_table(V: nx.Graph, method: str = "louvain", seed: int = 42,
                    top: int | None = None, stability: int = 0) -> dict[str, Any]:
    """Communities with their size, countries and most central members; with *stability*
    (a number of seeds), how often each community's member pairs are found together again
    (:func:`graph.analysis.robustness.community_stability`)."""
    from .robustness import community_stability

    part = communities(V, method, seed)
    pr = centrality(V, ("pagerank",))[0]["pagerank"] if V.number_of_edges() else {}
    rows = []
    for i, members in enumerate(part.communities[:top]):
        countries = Counter(V.nodes[n].get("country") or "-" for n in members)
        leaders = sorted(members, key=lambda n: (-pr.get(n, 0), str(n)))[:5]
        rows.append({"community": i, "size": len(members),
                     "countries": [f"{c} {k}" for c, k in countries.most_common(4)],
                     "leaders": leaders, "members": members})
    if stability:
        shares = community_stability(V, [r["members"] for r in rows], method, stability)
        for row, share in zip(rows, shares):
            row["stability"] = round(share, 4)
    return {"method": part.method, "seed": part.seed, "modularity": part.modularity,
            "communities": len(part.communities), "rows": rows}


def role(G: nx.MultiDiGraph, entity: str, view: str = "full", seed: int = 42,
         weight: str = "count", *, half_life: float | None = None, as_of: str | None = None,
         robust: bool = False, V: Any = None) -> dict[str, Any]:
    """An entity's role: ranks under each measure, brokerage, the communities and countries
    it connects, and its relations by type with sources.

    *weight* is ``count`` or ``evidence`` (:mod:`graph.analysis.evidence`). With *robust*,
    ``robustness`` holds, per measure, the rank range under leave-one-source-out, the other
    weight and seeded perturbations (:func:`graph.analysis.robustness.robustness`), the
    source the rank depends on most with a sentence saying so, and ``communityStability``
    the co-assignment of its community across Louvain seeds.

    *V*: the view when the caller has it (an :class:`~graph.analysis.arrays.ArrayView` of a
    large dataset, with *G* holding the entity and its neighbours only).

    Examples
    --------
    >>> import graph
    >>> r = role(graph.load_graph(), "CATL")
    >>> r["id"], "SUPPLIES" in r["relations"], "SIGNED_MOU" in r["relations"]
    ('catl', True, True)
    """
    node = find_node(G, entity)
    if V is None:
        V = weighted_view(G, view, weight, half_life=half_life, as_of=as_of)
    if node not in V:
        raise AnalysisError(f"{node!r} is a {G.nodes[node].get('label')}; the {view} view holds "
                            "companies and organisations only (use --view full)")
    values, notes = centrality(V, seed=seed)
    ranks = {m: {"value": values[m][node], "rank": _ranks(values[m])[node], "of": len(V)}
             for m in values}
    part = communities(V, "louvain", seed)
    membership = part.membership()
    own = membership[node]
    bridged = Counter(membership[n] for n in V[node] if membership[n] != own)
    relations: dict[str, list[dict[str, Any]]] = {}
    for direction, edges in (("out", G.out_edges(node, keys=True, data=True)),
                             ("in", G.in_edges(node, keys=True, data=True))):
        for u, v, k, d in edges:
            other = v if direction == "out" else u
            relations.setdefault(d["type"], []).append({
                "id": k, "direction": direction, "counterpart": other,
                "name": G.nodes[other].get("name", other), "status": d.get("status"),
                "date": edge_date(G, d), "sources": list(d.get("sources", ())),
                "confidence": d.get("confidence"), "reliability": edge_reliability(G, d),
                "disputedBy": list(d.get("disputedBy", ())), "evidence": d.get("evidence", "")})
    ego = V.ego(node) if isinstance(V, ArrayView) else V
    countries = Counter(G.nodes[n].get("country") for n in nx.all_neighbors(G, node)
                        if G.nodes[n].get("country"))
    return {
        "id": node, "name": G.nodes[node].get("name", node), "label": G.nodes[node].get("label"),
        "country": G.nodes[node].get("country", ""), "view": view, "ranks": ranks,
        "brokerage": {"constraint": burt_constraint(ego, [node]).get(node),
                      "effectiveSize": effective_size(ego, [node]).get(node)},
        "community": {"id": own, "size": len(part.communities[own]),
                      "bridges": dict(sorted(bridged.items())),
                      "bridgedCommunities": [part.communities[c][:5] for c in sorted(bridged)]},
        "countries": dict(countries.most_common()),
        "relations": dict(sorted(relations.items())), "notes": notes, "weight": weight,
        **(_robustness(G, V, node, view, weight, half_life, as_of, seed) if robust else {}),
    }


def _robustness(G: nx.MultiDiGraph, V: nx.Graph, node: str, view: str, weight: str,
                half_life: float | None, as_of: str | None, seed: int) -> dict[str, Any]:
    name = G.nodes[node].get("name", node)
    per_measure = {}
    for measure in ("pagerank", "betweenness", "degree", "eigenvector"):
        entry = robustness(G, measure, view, weight, half_life=half_life, as_of=as_of,
                           seed=seed, nodes=[node])[node]
        per_measure[measure] = {**entry, "finding": finding(name, measure, entry)}
    return {"robustness": per_measure, "communityStability": co_assignment(V, node)}


def _members(G: nx.MultiDiGraph, region: str) -> set[str]:
    """Everything with a chain of LOCATED_IN / MEMBER_OF relations to *region*."""
    geo = nx.DiGraph()
    geo.add_nodes_from(G)
    geography = schema.rel_types_in("geography")
    geo.add_edges_from((u, v) for u, v, d in G.edges(data=True) if d.get("type") in geography)
    return nx.ancestors(geo, region)


def cluster(G: nx.MultiDiGraph, region: str, seed: int = 42) -> dict[str, Any]:
    """A regional cluster: the plants and companies located there, their operators,
    technologies and partners inside and outside the region, and how central they are.

    Examples
    --------
    >>> import graph
    >>> c = cluster(graph.load_graph(), "Flandern")
    >>> sorted(p["id"] for p in c["plants"])
    ['plant-audi-brussels', 'plant-daf-westerlo', 'plant-volvo-gent']
    """
    node = find_node(G, region)
    if G.nodes[node].get("label") not in ("Region", "Country"):
        raise AnalysisError(f"{node!r} is a {G.nodes[node].get('label')}, not a Region or Country")
    members = _members(G, node)
    plants = sorted(n for n in members if G.nodes[n].get("label") == "Plant")
    operators = {p: sorted(u for u, _, d in G.in_edges(p, data=True) if d["type"] == "OPERATES")
                 for p in plants}
    actors = {n for n in members if G.nodes[n].get("label") in schema.ACTORS}
    actors |= {o for ops in operators.values() for o in ops}
    inside = actors | set(plants)
    V = make_view(G, "full")
    values, _ = centrality(V, ("degree", "betweenness", "pagerank"), seed=seed)
    ranks = {m: _ranks(v) for m, v in values.items()}

    def centrality_of(n: str) -> dict[str, Any]:
        return {m: {"value": values[m][n], "rank": ranks[m][n]} for m in values}

    cooperation = schema.rel_types_in("cooperation")

    def partners(n: str) -> tuple[list[str], list[str]]:
        found = {other for other in nx.all_neighbors(G, n)
                 for d in (G.get_edge_data(n, other) or {}, G.get_edge_data(other, n) or {})
                 for rel in d.values() if rel["type"] in cooperation}
        return sorted(found & inside), sorted(found - inside)

    plant_rows = []
    for p in plants:
        techs = sorted(v for _, v, d in G.out_edges(p, data=True) if d["type"] == "USES_TECHNOLOGY")
        suppliers = sorted(u for u, _, d in G.in_edges(p, data=True) if d["type"] == "SUPPLIES")
        plant_rows.append({"id": p, "name": G.nodes[p].get("name"), "operators": operators[p],
                           "technologies": techs, "suppliers": suppliers,
                           "centrality": centrality_of(p)})
    company_rows = []
    for a in sorted(actors):
        ins, outs = partners(a)
        company_rows.append({"id": a, "name": G.nodes[a].get("name"),
                             "country": G.nodes[a].get("country", ""),
                             "locatedInRegion": a in members, "partnersInside": ins,
                             "partnersOutside": outs, "centrality": centrality_of(a)})
    figures = {k: v for k, v in G.nodes[node].items() if k not in schema.ENTITY_FIELDS}
    return {"id": node, "name": G.nodes[node].get("name"), "figures": figures,
            "members": sorted(members), "plants": plant_rows, "companies": company_rows}
