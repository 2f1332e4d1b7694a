"""The streaming GraphML and GEXF writers give byte for byte what serialising one ElementTree
of the whole graph gives; the JSON writer gives what the json module gives."""

from __future__ import annotations

import datetime
import json

import graph
from graph.export.gexf import to_gexf
from graph.export.graphml import to_graphml
from reference_writers import _to_gexf_tree, _to_graphml_tree
from graph.export.nodelink import dumps, node_link, to_json
from graph.synthetic import industry_network

HOSTILE = 'a & b < c > d "e" \'f\'\n\tg\r\x0b\x0c\x1b\x00 é 中 \u2028'


def test_bundled_graph_is_written_as_the_tree_writes_it():
    G = graph.load_graph()
    for undirected in (False, True):
        assert to_graphml(G, undirected) == _to_graphml_tree(G, undirected)
        for viz in (True, False):
            assert to_gexf(G, undirected, viz) == _to_gexf_tree(G, undirected, viz)


def test_hostile_values_and_empty_strings_are_escaped_as_the_tree_escapes_them():
    G = industry_network(60, 200, seed=4)
    first = next(iter(G.nodes))
    G.nodes[first].update(description=HOSTILE, kind="", aliases=[HOSTILE, "x"])
    u, v, k = next(iter(G.edges(keys=True)))
    G.edges[u, v, k].update(evidence=HOSTILE, asOf="")
    G.add_node(f"odd{HOSTILE}")  # no attributes: an empty element
    G.add_edge(first, f"odd{HOSTILE}", key=f"k{HOSTILE}", type="SUPPLIES", status="active")
    G.graph["name"] = HOSTILE
    assert to_graphml(G) == _to_graphml_tree(G)
    assert to_gexf(G) == _to_gexf_tree(G)
    assert b"\x0b" not in to_graphml(G) and b"\x0b" not in to_gexf(G)


def test_a_graph_without_edges_or_attributes_is_written_as_the_tree_writes_it():
    G = industry_network(30, 60, seed=2)
    G.remove_edges_from(list(G.edges))
    G.add_node("bare")
    assert to_graphml(G) == _to_graphml_tree(G)
    assert to_gexf(G) == _to_gexf_tree(G) and to_gexf(G, viz=False) == _to_gexf_tree(G, viz=False)


def _json_reference(obj, ensure_ascii=False) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=ensure_ascii, default=str)


def test_the_json_writer_writes_what_the_json_module_writes():
    G = industry_network(60, 200, seed=4)
    first = next(iter(G.nodes))
    G.nodes[first].update(description=HOSTILE, aliases=[HOSTILE, "x"], empty=[], nested={},
                          big=10 ** 30, small=1e-7, nan=float("nan"), inf=float("-inf"),
                          day=datetime.date(2024, 2, 29), flag=True, nothing=None)
    G.graph["name"] = HOSTILE
    for H in (graph.load_graph(), G):
        data = node_link(H)
        assert dumps(data) == _json_reference(data)
        assert dumps(data, ensure_ascii=True) == _json_reference(data, ensure_ascii=True)
        assert to_json(H) == _json_reference(data) + "\n"
    surrogate = {"a": ["\ud800 lone", {"b": ("t", 1.5, -0.0)}], "c": [[], [{}]]}
    assert dumps(surrogate, ensure_ascii=True) == _json_reference(surrogate, True)


def test_the_json_writer_leaves_keys_that_are_not_strings_to_the_json_module():
    for odd in ({1: "a", "b": [2]}, {"a": {None: 1, True: 2, 2.5: 3}}):
        assert dumps(odd) == _json_reference(odd)


def test_the_json_writer_writes_a_shared_list_where_it_meets_it():
    shared = [{"id": i} for i in range(1500)]  # long enough to be written once, reused
    data = {"edges": shared, "nested": {"links": shared}, "links": shared}
    assert dumps(data) == _json_reference(data)
