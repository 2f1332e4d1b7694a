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
