"""The research questions of cypher/ answered independently on networkx: the test oracle."""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from graph import schema
from graph.dataset import date_start

COOP = set(schema.rel_types_in("cooperation"))
GEOGRAPHY = set(schema.rel_types_in("geography"))


def incident(G, n):
    """(type, direction, other, data) for every relation of n."""
    for _, v, d in G.out_edges(n, data=True):
        yield d["type"], "out", v, d
    for u, _, d in G.in_edges(n, data=True):
        yield d["type"], "in", u, d


def partners_of_company(G, company, types):
    wanted = set(types) or COOP
    out = defaultdict(lambda: [set(), 0])
    for t, _, other, _ in incident(G, company):
        if t in wanted:
            out[other][0].add(t)
            out[other][1] += 1
    return {k: (sorted(v[0]), v[1]) for k, v in out.items()}


def role_of_entity(G, entity):
    return Counter((t, "both" if t in schema.symmetric_types() else direction, other, d["status"])
                   for t, direction, other, d in incident(G, entity))


def countries_linked_by_entity(G, entity):
    out = defaultdict(lambda: [0, set()])
    for _, _, other, _ in incident(G, entity):
        country = G.nodes[other].get("country")
        if country:
            out[country][0] += 1
            out[country][1].add(other)
    return {k: (v[0], sorted(v[1])) for k, v in out.items()}


def regional_hub(G, region):
    geo = nx.DiGraph()
    geo.add_edges_from((u, v) for u, v, d in G.edges(data=True)
                       if d["type"] in GEOGRAPHY)
    reach = nx.single_source_shortest_path_length(geo.reverse(), region, cutoff=3) if region in geo else {}
    home = G.nodes[region].get("country")
    out = {}
    for p in reach:
        if p == region or G.nodes[p]["label"] != "Plant":
            continue
        ops = {u for u, _, d in G.in_edges(p, data=True) if d["type"] == "OPERATES"}
        techs = {v for _, v, d in G.out_edges(p, data=True)
                 if d["type"] == "USES_TECHNOLOGY" and G.nodes[v]["label"] == "Technology"}
        sups = {u for u, _, d in G.in_edges(p, data=True) if d["type"] == "SUPPLIES"}
        foreign = {other for op in ops for t, _, other, _ in incident(G, op)
                   if t in COOP and G.nodes[other].get("country") and G.nodes[other]["country"] != home}
        out[p] = (sorted(ops), sorted(techs), sorted(sups), sorted(foreign))
    return out


def joint_ventures_and_mous(G):
    return sorted((d["type"], u, v, date_start(d["date"]).isoformat() if d["date"] else None,
                   d["status"], d["deal"] or None)
                  for u, v, d in G.edges(data=True) if d["type"] in ("JOINT_VENTURE", "SIGNED_MOU"))


def supplies_into_plant(G, plant):
    receivers = {plant} | {u for u, _, d in G.in_edges(plant, data=True) if d["type"] == "OPERATES"}
    return sorted((u, v) for u, v, d in G.edges(data=True) if d["type"] == "SUPPLIES" and v in receivers)


def shortest_cooperation_path(G, source, target):
    H = nx.Graph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v, d in G.edges(data=True) if d["type"] in COOP)
    try:
        length = nx.shortest_path_length(H, source, target)
    except nx.NetworkXNoPath:
        return None
    return length if length <= 6 else None


def country_cooperation_counts(G):
    counts = Counter()
    for u, v, d in G.edges(data=True):
        a, b = G.nodes[u].get("country"), G.nodes[v].get("country")
        if d["type"] in COOP and a and b:
            counts[tuple(sorted((a, b)))] += 1
    return dict(counts)


def shared_technologies(G):
    users = defaultdict(set)
    for c, data in G.nodes(data=True):
        if data["label"] != "Company":
            continue
        starts = {c} | {v for _, v, d in G.out_edges(c, data=True)
                        if d["type"] in ("OPERATES", "PRODUCES", "DEVELOPS")}
        for x in starts:
            for _, t, d in G.out_edges(x, data=True):
                if d["type"] in ("USES_TECHNOLOGY", "DEVELOPS") and G.nodes[t]["label"] == "Technology":
                    users[t].add(c)
    return {t: sorted(cs) for t, cs in users.items() if len(cs) > 1}


def companies_by_partner_count(G, limit):
    counts = []
    for c, data in G.nodes(data=True):
        if data["label"] == "Company":
            partners = {other for t, _, other, _ in incident(G, c) if t in COOP}
            if partners:
                counts.append((c, len(partners)))
    return sorted(counts, key=lambda x: (-x[1], x[0]))[:limit]


def ended_relations(G):
    return sorted((d["type"], u, v) for u, v, d in G.edges(data=True) if d["status"] == "ended")


def relations_by_source(G, source):
    return sorted(k for *_, k, d in G.edges(keys=True, data=True) if source in d["sources"])


def find_entities(G, text):
    t = text.lower()
    return sorted(n for n, d in G.nodes(data=True)
                  if t in n.lower() or t in d["name"].lower() or any(t in a.lower() for a in d.get("aliases", ())))


def companies_based_in_country(G, country):
    places = nx.DiGraph((u, v) for u, v, d in G.edges(data=True) if d["type"] == "LOCATED_IN")
    home = next(n for n, d in G.nodes(data=True) if d["label"] == "Country" and d["country"] == country)
    inside = {home} | (nx.ancestors(places, home) if home in places else set())
    return sorted((u, v, d.get("hqScope"), tuple(d["disputedBy"]) or None)
                  for u, v, d in G.edges(data=True)
                  if d["type"] == "HEADQUARTERED_IN" and v in inside)


def deal_parties(G):
    return {n: (d["status"], sorted(u for u, _, e in G.in_edges(n, data=True) if e["type"] == "PARTY_TO"))
            for n, d in G.nodes(data=True) if d["label"] == "Deal"}


def disputed_claims(G):
    return sorted((k, tuple(d["disputedBy"])) for *_, k, d in G.edges(keys=True, data=True)
                  if d["disputedBy"])


def cooperation_network(G):
    """The cooperation relations as an undirected graph, parallel relations as weight: the
    graph gds_pagerank_louvain projects (every relationship undirected, none merged)."""
    H = nx.Graph()
    for u, v, d in G.edges(data=True):
        if d["type"] in COOP:
            weight = H[u][v]["weight"] + 1 if H.has_edge(u, v) else 1
            H.add_edge(u, v, weight=weight)
    return H


def pagerank(G, damping=0.85, iterations=20, tolerance=1e-7):
    """PageRank of the cooperation network as GDS documents it: every node starts at
    1 - damping, scores are not normalised, and the iteration stops after *iterations* rounds
    or once no score moves by *tolerance* (GDS's defaults). GDS runs PageRank on Pregel, whose
    first superstep only sets the starting scores: 20 iterations are 19 updates. Parallel
    relations count apart."""
    H = cooperation_network(G)
    degree = dict(H.degree(weight="weight"))
    score = {n: 1 - damping for n in H}
    for _ in range(iterations - 1):
        new = {v: 1 - damping + damping * sum(score[u] * d["weight"] / degree[u]
                                              for u, d in H[v].items()) for v in H}
        moved = max(abs(new[n] - score[n]) for n in H)
        score = new
        if moved < tolerance:
            break
    return score
