"""The streaming GraphML and GEXF writers give byte for byte what serialising one ElementTree
of the whole graph gives."""

from __future__ import annotations

import graph
from graph.export.gexf import _to_gexf_tree, to_gexf
from graph.export.graphml import _to_graphml_tree, to_graphml
from graph.synthetic import industry_network

HOSTILE = 'a & b < c > d "e" \'f\'\n\tg\r\x0b\x0c\x1b\x00 é 中 \u2028'


def test_bundled_graph_is_written_as_the_tree_writes_it():
    G = graph.load_graph()
    assert to_graphml(G) == _to_graphml_tree(G)
    assert to_gexf(G) == _to_gexf_tree(G)


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
