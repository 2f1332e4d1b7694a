"""Small graphs for map tests: the XSS payload and a hand-built graph in autograph's model
(graded sources, a Deal with two parties, a disputed claim, an ended and a planned relation,
a symmetric type)."""

from __future__ import annotations

import networkx as nx

XSS = "<img src=x onerror=alert(1)>"


def model_graph() -> nx.MultiDiGraph:
    """Four companies, a Deal with two parties, two graded sources (an article graded D and
    a reference graded A with a URL)."""
    G = nx.MultiDiGraph()
    G.graph["sources"] = {
        "s-art": {"id": "s-art", "title": "Trade portal listicle", "publisher": "Portal",
                  "date": "2020-03", "kind": "article", "reliability": "D",
                  "reliabilityNote": "undated listicle", "url": ""},
        "s-ref": {"id": "s-ref", "title": "Acme annual report 2022", "publisher": "Acme AG",
                  "date": "2023-01-15", "kind": "reference", "reliability": "A",
                  "reliabilityNote": "audited report", "url": "https://example.org/acme-2022"},
    }
    for n, name, country in (("acme", "Acme", "DE"), ("beta", "Beta Motors", "BE"),
                             ("gamma", "Gamma Cells", "CN"), ("delta", "Delta", "FR")):
        G.add_node(n, label="Company", name=name, aliases=[], kind="oem", country=country,
                   description="")
    G.add_node("deal-x", label="Deal", name="Acme-Beta battery deal", kind="supply",
               status="active", date="2021", confidence=0.8, sources=["s-art"],
               evidence="The parties signed one agreement.")

    def rel(u, v, key, type_, status, date, conf, sources, **extra):
        G.add_edge(u, v, key=key, id=key, type=type_, status=status, date=date, asOf="",
                   confidence=conf, sources=sources, evidence=f"evidence of {key}", deal="",
                   **extra)

    rel("acme", "beta", "acme-supplies-beta", "SUPPLIES", "active", "2019", 0.9, ["s-ref"])
    rel("acme", "gamma", "acme-partners-gamma", "PARTNERS_WITH", "ended", "2020", 0.7,
        ["s-art"], endDate="2022-06")
    rel("beta", "delta", "beta-invests-delta", "INVESTS_IN", "planned", "2024", 0.5, ["s-art"])
    rel("gamma", "beta", "gamma-owns-beta", "OWNS", "active", "2021", 0.8, ["s-art"],
        disputedBy=["s-ref"])
    rel("acme", "deal-x", "acme-party-to-deal-x", "PARTY_TO", "active", "2021", 0.8, ["s-art"],
        role="buyer")
    rel("beta", "deal-x", "beta-party-to-deal-x", "PARTY_TO", "active", "2021", 0.8, ["s-art"],
        role="seller")
    return G


GRADED = {"A": "audited annual report", "B": "company press release", "C": "trade press",
          "D": "undated listicle", "E": "forum post"}


def portfolio_network(n: int, seed: int = 1, isolated: float = 0.12,
                      chains: float = 0.04) -> nx.MultiDiGraph:
    """A strategist's portfolio of about *n* entities, with the shapes that make maps hard:
    a heavy-tailed connected core (:func:`graph.synthetic.industry_network`), *isolated*
    entities with no relation at all, region chains (Region LOCATED_IN Region, four to six
    long, off the core), relations graded A to E (one or two sources each), a few disputed
    ones and dates spread from 1996 to 2025 (months included)."""
    import numpy as np

    from graph.synthetic import industry_network

    rng = np.random.default_rng(seed)
    n_iso, n_chain = int(n * isolated), int(n * chains)
    core = max(n - n_iso - n_chain - 20, 10)  # industry_network adds 20 countries
    G = industry_network(core, int(core * 2.6), seed=seed)
    G.graph["sources"] = {f"s-{g.lower()}": {
        "id": f"s-{g.lower()}", "title": f"Grade {g} source", "publisher": "Synthetic",
        "date": "2024-01-01", "kind": "reference" if g == "A" else "article",
        "reliability": g, "reliabilityNote": note, "url": ""} for g, note in GRADED.items()}
    grades = list(GRADED)
    for *_, d in G.edges(data=True):
        picks = rng.choice(len(grades), size=int(rng.integers(1, 3)), replace=False,
                           p=[0.1, 0.3, 0.3, 0.25, 0.05])
        d["sources"] = [f"s-{grades[i].lower()}" for i in sorted(picks)]
        d["date"] = f"{int(rng.integers(1996, 2026))}-{int(rng.integers(1, 13)):02d}"
        if rng.random() < 0.02:
            d["disputedBy"] = ["s-a"]
    for i in range(n_iso):
        G.add_node(f"lone-{i}", label="Company", name=f"Lone company {i}", aliases=[],
                   kind="", country="AA", description="")
    edge_no, chain = G.number_of_edges(), 0
    i = 0
    while i < n_chain:
        length = min(int(rng.integers(4, 7)), n_chain - i)
        ids = [f"region-chain-{chain}-{j}" for j in range(length)]
        for j, nid in enumerate(ids):
            G.add_node(nid, label="Region", name=f"Region {chain}.{j}", aliases=[], kind="",
                       country="AB", description="")
        for a, b in zip(ids, ids[1:]):
            G.add_edge(a, b, key=f"chain-{edge_no}", id=f"chain-{edge_no}", type="LOCATED_IN",
                       status="active", confidence=0.9, sources=["s-b"], evidence="",
                       deal="", date="2001", asOf="")
            edge_no += 1
        i, chain = i + length, chain + 1
    return G
