"""Property tests of the graph exports (issue 29): for any graph in the model (names and
lists with commas, quotes, backslashes, newlines and markup; symmetric and directed types;
parallel relations; dates of every precision), each of GraphML, GEXF, node-link JSON and
cytoscape.js JSON reads back as the graph it was written from, with our readers and with
networkx's own, and GEXF's lists and timeline keep their rules.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import networkx as nx
from hypothesis import given, settings, strategies as st

from graph import schema
from graph.export import read_gexf, read_graphml, read_json, to_text
from graph.export.common import is_symmetric
from graph.export.cytoscape import read_cytoscape
from graph.export.gexf import list_text, timeline

from helpers import assert_same_graph

# text XML 1.0 can hold (the rest is replaced, tested in test_export_readers)
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"
                      + "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"))
TEXT = st.text(CHARS, max_size=12)
HOSTILE = st.sampled_from(["a, b", 'say "hi"', "back\\slash", "line\r\nbreak", "<b>&amp;",
                           "[x]", "'q'", "tab\tstop", "=1+2"])
# a list item as the dataset holds it: stripped, not empty, without the separator |
ITEM = (st.one_of(TEXT, HOSTILE).map(lambda s: s.replace("|", "/").strip())
        .filter(bool))
DATE = st.one_of(
    st.just(""), st.integers(1990, 2030).map(str),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()[:7]),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat))


@st.composite
def model_graphs(draw) -> nx.MultiDiGraph:
    ids = draw(st.lists(st.one_of(TEXT, HOSTILE).filter(bool), min_size=1, max_size=5,
                        unique=True))
    dated = draw(st.dictionaries(st.sampled_from(["s1", "s2", "s3"]), st.tuples(
        DATE, st.sampled_from(["published", "inferred", "accessed"])), min_size=1))
    G = nx.MultiDiGraph(name=draw(TEXT))
    G.graph["sources"] = {s: {"id": s, "date": d, "dateBasis": basis, "title": s}
                          for s, (d, basis) in dated.items()}
    for n in ids:
        G.add_node(n, label="Company", name=draw(st.one_of(TEXT, HOSTILE)),
                   aliases=draw(st.lists(ITEM, max_size=3)), country="DE",
                   description=draw(TEXT))
    for i in range(draw(st.integers(0, 8))):
        k = f"r{i}{draw(TEXT)}"
        G.add_edge(draw(st.sampled_from(ids)), draw(st.sampled_from(ids)), key=k, id=k,
                   type=draw(st.sampled_from(sorted(schema.REL_TYPES))),
                   status=draw(st.sampled_from(sorted(schema.STATUSES))), deal="", date=draw(DATE),
                   endDate=draw(DATE), asOf=draw(DATE),
                   confidence=draw(st.floats(0, 1)),
                   sources=draw(st.lists(st.sampled_from(sorted(dated)), min_size=1,
                                         max_size=2, unique=True)),
                   disputedBy=[], evidence=draw(st.one_of(TEXT, HOSTILE)))
    return G


@settings(max_examples=60, deadline=None)
@given(model_graphs())
def test_every_graph_format_reads_back_as_written(G):
    graphml = to_text(G, "graphml")
    gexf = to_text(G, "gexf")
    assert_same_graph(G, read_graphml(io.StringIO(graphml)))
    assert_same_graph(G, read_gexf(io.StringIO(gexf)))
    assert_same_graph(G, read_json(to_text(G, "json")))
    assert_same_graph(G, read_cytoscape(to_text(G, "cytoscape")))
    keys = {k: d["type"] for *_, k, d in G.edges(keys=True, data=True)}
    for H, type_key in [(nx.read_graphml(io.BytesIO(graphml.encode())), "type"),
                        (nx.read_gexf(io.BytesIO(gexf.encode())), "relType"),
                        (nx.cytoscape_graph(json.loads(to_text(G, "cytoscape"))), "type"),
                        (nx.node_link_graph(json.loads(to_text(G, "json")), edges="edges"),
                         "type")]:
        assert set(H) == set(G)
        # the relation id as data: networkx reads a graph without parallel edges as a
        # DiGraph, without keys
        assert {d["id"]: d[type_key] for *_, d in H.edges(data=True)} == keys
        assert all(d["symmetric"] is is_symmetric(d[type_key])
                   for *_, d in H.edges(data=True))


@given(st.lists(st.one_of(TEXT, HOSTILE)))
def test_a_gexf_list_is_its_items_whatever_they_hold(items):
    assert json.loads(list_text(items), strict=False) == items


@settings(max_examples=60, deadline=None)
@given(model_graphs())
def test_a_timeline_interval_is_never_reversed_nor_started_by_a_retrieval(G):
    registry = G.graph["sources"]
    for *_, d in G.edges(data=True):
        start, end = timeline(G, d)
        assert not end or end >= start
        if start and not (d["date"] or d["asOf"]):
            assert any(registry[s]["date"] and registry[s]["dateBasis"] != "accessed"
                       for s in d["sources"])
        if d["endDate"]:
            assert end.startswith(d["endDate"]) or end == start
