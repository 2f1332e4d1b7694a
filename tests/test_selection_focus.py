"""focus/hops walks out from the focus instead of copying the whole graph first: the same
subgraph as the reference (filter everything, walk the filtered graph, take the induced
subgraph), for every direction, hop count and filter combination tried."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from graph import schema
from graph.errors import SelectionError
from graph.selection import Selection, select
from graph.synthetic import industry_network


def reference(G: nx.MultiDiGraph, sel: Selection) -> nx.MultiDiGraph:
    """The selection as main computed it before: whole filtered copy, then ego_graph."""
    everything = select(G, Selection(**{**sel.__dict__, "focus": None, "hops": 1}))
    d = G.nodes[sel.focus]
    if (not sel.labels or d["label"] in sel.labels) and (
            not sel.countries or d["country"] in sel.countries):
        everything.add_node(sel.focus, **d)  # kept even when the edge filters leave it alone
    else:
        raise SelectionError("the focus is excluded by the other filters")
    T = nx.DiGraph()
    T.add_nodes_from(everything)
    for u, v, d in everything.edges(data=True):
        T.add_edge(u, v)
        if d.get("type") in schema.symmetric_types():
            T.add_edge(v, u)
    if sel.direction == "in":
        T = T.reverse(copy=False)
    ego = nx.ego_graph(T, sel.focus, radius=sel.hops, undirected=sel.direction == "both")
    return everything.subgraph(ego.nodes).copy()


def snapshot(G: nx.MultiDiGraph):
    return (sorted((n, sorted(d.items(), key=repr)) for n, d in G.nodes(data=True)),
            sorted((u, v, k, sorted(d.items(), key=repr))
                   for u, v, k, d in G.edges(keys=True, data=True)), G.graph)


G = industry_network(600, 2400, seed=11)
FOCI = [n for n, _ in sorted(G.degree, key=lambda x: -x[1])][:: 60][:5]


@pytest.mark.parametrize("direction, hops, filters", list(itertools.product(
    ("both", "out", "in"), (0, 1, 2, 3),
    ({}, {"rel_types": ("SUPPLIES", "PARTNERS_WITH")}, {"statuses": ("active",)},
     {"labels": ("Company", "Plant")}, {"min_confidence": 0.8, "since": "2015"}))))
def test_focus_selection_matches_the_reference(direction, hops, filters):
    for focus in FOCI:
        sel = Selection(focus=focus, hops=hops, direction=direction, **filters)
        try:
            expected = reference(G, sel)
        except SelectionError:  # the focus excluded by a filter, or nothing left
            with pytest.raises(SelectionError):
                select(G, sel)
            continue
        got = select(G, sel)
        assert snapshot(got) == snapshot(expected)
        assert got.number_of_nodes() >= 1


@pytest.mark.parametrize("option", [("--rel-type", "SUPPLIES"), ("--as-of", "2022-01-01"),
                                    ("--country", "BE")])
def test_a_selection_is_written_the_same_whatever_the_hash_seed(autograph_exe, option):
    """A filtered selection keeps the graph's node order: the same export on every run
    (it followed the order of a Python set of ids, which PYTHONHASHSEED changes)."""
    import os

    from helpers import run_cli

    outputs = set()
    for seed in ("1", "2", "3"):
        done = run_cli(autograph_exe, "export", *option, "--format", "json",
                       env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
