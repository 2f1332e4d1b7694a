"""Dataset <-> networkx round trip and the graph's shape."""

from __future__ import annotations

import networkx as nx
import pytest

import graph
from graph import from_networkx, load_dataset, to_networkx


def test_graph_carries_all_properties(G):
    assert isinstance(G, nx.MultiDiGraph)
    # 113 entities and 5 deals; 174 relations and 12 PARTY_TO edges of the deals
    assert (G.number_of_nodes(), G.number_of_edges()) == (118, 186)
    catl = G.nodes["catl"]
    assert catl["label"] == "Company" and catl["evBatteryRank"] == 1
    assert catl["aliases"][0] == "Contemporary Amperex Technology"
    edge = G.edges["volkswagen-group", "catl", "vw-mou-catl"]
    assert edge["type"] == "SIGNED_MOU" and edge["sources"] == ["001_a3af7357bdf967bf"]
    assert edge["deal"] == "deal-vw-catl-battery" and edge["date"] == "2025-02"  # the deal's
    deal = G.nodes["deal-vw-catl-battery"]
    assert deal["label"] == "Deal" and deal["scope"].startswith("battery development")
    parties = {u: d["role"] for u, _, d in G.in_edges("deal-vw-catl-battery", data=True)}
    assert parties == {"volkswagen-group": "signatory", "catl": "signatory"}
    # CATL and VW are linked by both a supply relation and an MoU
    types = {d["type"] for d in G["catl"]["volkswagen-group"].values()}
    types |= {d["type"] for d in G["volkswagen-group"]["catl"].values()}
    assert {"SUPPLIES", "SIGNED_MOU"} <= types
    source = G.graph["sources"]["002_629b1722028d2f9b"]
    assert (source["date"], source["dateBasis"], source["reliability"]) == ("2019-06", "inferred", "C")
    assert G.edges["plant-audi-brussels", "vw-meb", "audi-brussels-uses-meb"]["disputedBy"] == [
        "ref-wikipedia-audi-q8-e-tron"]


def test_round_trip_is_exact():
    ds = load_dataset()
    back = from_networkx(to_networkx(ds))
    assert back.entities == ds.entities and back.relations == ds.relations
    assert back.sources == ds.sources and back.deals == ds.deals
    for did, deal in ds.deals.items():
        assert back.deals[did].properties == deal.properties
    for eid, ent in ds.entities.items():
        assert back.entities[eid].properties == ent.properties
    for rid, rel in ds.relations.items():
        assert back.relations[rid].properties == rel.properties


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_the_direct_edge_build_is_what_add_edges_from_builds(which, tmp_path):
    """to_networkx writes relations straight into networkx's adjacency dicts; the result
    must be the graph add_edges_from gives, down to the order of every adjacency."""
    from graph.backends import networkx as backend
    from graph.synthetic import industry_network, write_dataset

    folder = None if which == "bundled" else write_dataset(
        industry_network(500, 3000, seed=5), tmp_path / "data")
    ds = graph.load_dataset(folder)
    G = backend.to_networkx(ds)
    R = nx.MultiDiGraph()
    R.graph.update(G.graph)
    R.add_nodes_from(G.nodes(data=True))
    for deal in ds.deals.values():
        for u, v, key, data in backend._deal_edges(deal):
            R.add_edge(u, v, key=key, **data)
    R.add_edges_from(backend._relation_edges(ds))
    assert list(G.edges(keys=True, data=True)) == list(R.edges(keys=True, data=True))
    for n in R:
        assert list(G._succ[n].items()) == list(R._succ[n].items())
        assert list(G._pred[n].items()) == list(R._pred[n].items())
        for v, keys in G._succ[n].items():
            assert keys is G._pred[v][n]  # one key dict for both directions, as networkx keeps
    assert G.number_of_edges() == R.number_of_edges()
    assert dict(G.in_degree()) == dict(R.in_degree())
