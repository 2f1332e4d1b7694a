"""Dataset <-> networkx round trip and the graph's shape."""

from __future__ import annotations

import networkx as nx

from graph import from_networkx, load_dataset, to_networkx


def test_graph_carries_all_properties(G):
    assert isinstance(G, nx.MultiDiGraph)
    assert (G.number_of_nodes(), G.number_of_edges()) == (88, 113)
    catl = G.nodes["catl"]
    assert catl["label"] == "Company" and catl["evBatteryRank"] == 1
    assert catl["aliases"][0] == "Contemporary Amperex Technology"
    edge = G.edges["volkswagen-group", "catl", "vw-mou-catl"]
    assert edge["type"] == "SIGNED_MOU" and edge["sources"] == ["001_a3af7357bdf967bf"]
    assert edge["scope"].startswith("battery development")
    # CATL and VW are linked by both a supply relation and an MoU
    types = {d["type"] for d in G["catl"]["volkswagen-group"].values()}
    types |= {d["type"] for d in G["volkswagen-group"]["catl"].values()}
    assert {"SUPPLIES", "SIGNED_MOU"} <= types
    assert G.graph["sources"]["002_629b1722028d2f9b"]["date"] == "2024-03-28"


def test_round_trip_is_exact():
    ds = load_dataset()
    back = from_networkx(to_networkx(ds))
    assert back.entities == ds.entities and back.relations == ds.relations
    assert back.sources == ds.sources
    for eid, ent in ds.entities.items():
        assert back.entities[eid].properties == ent.properties
    for rid, rel in ds.relations.items():
        assert back.relations[rid].properties == rel.properties
