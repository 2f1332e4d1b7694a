"""Every export of the bundled data and of CATL's 2-hop network, written by the installed
``autograph`` command, read back by the readers an analyst reaches for first (issue 29):
networkx, igraph (the installed version) and graphology for GraphML and GEXF, networkx and
igraph for node-link JSON, cytoscape.js itself, networkx and igraph for ``--format
cytoscape``, and JGraphT's GEXF importer with its default settings. Each must find the
nodes, the relations (by id) and their types and dates that the graph holds.

The expected figures come from the graph the dataset gives, never from pinned counts.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import warnings
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.export import select
from graph.export.common import cited_sources, is_symmetric
from graph.dataset import date_start
from graph.export.gexf import timeline
from graph.selection import date_period

from conftest import ROOT
from test_export_readers import _node

READERS = ROOT / "tests" / "readers"
JARS = [Path("/usr/share/java") / f"{name}.jar" for name in (
    "jgrapht-core", "jgrapht-io", "jheaps", "antlr4-runtime", "commons-text")]
DATES = ("date", "endDate", "asOf")
# igraph 1.0 fills its own edge attribute ``id`` wrongly from ``<edge id>`` (vertex ids for
# the first edges, then ""); the relation id is also the edge's ``id`` data, which igraph
# takes instead of its own, saying so in this warning
IGRAPH_ID_WARNING = "Could not add edge ids, there is already an 'id' edge attribute"
# (format, extra options): every variant of every graph format
VARIANTS = {
    "json": ("json", []),
    "cytoscape": ("cytoscape", []),
    "graphml": ("graphml", []),
    "graphml-undirected": ("graphml", ["--symmetric", "undirected"]),
    "gexf": ("gexf", []),
    "gexf-undirected": ("gexf", ["--symmetric", "undirected"]),
    "gexf-no-viz": ("gexf", ["--no-viz"]),
}
SELECTIONS = {"full": [], "catl2": ["--focus", "catl", "--hops", "2"]}


@pytest.fixture(scope="module")
def graphs():
    full = graph.load_graph()
    return {"full": full, "catl2": select(full, focus="catl", hops=2)}


@pytest.fixture(scope="module")
def files(autograph_exe, tmp_path_factory):
    """Every variant of every selection, written by the installed command."""
    folder = tmp_path_factory.mktemp("roundtrip")
    out = {}
    for name, selection in SELECTIONS.items():
        for variant, (fmt, options) in VARIANTS.items():
            path = folder / f"{name}-{variant}.{fmt}"
            result = subprocess.run([autograph_exe, "export", *selection, "--format", fmt,
                                     *options, "-o", str(path)],
                                    capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stderr
            out[name, variant] = path
    return out


def _expected(G: nx.MultiDiGraph) -> tuple[set[str], dict[str, tuple]]:
    """The node ids, and each relation's (source, target, type, date, endDate, asOf)."""
    return set(G), {k: (u, v, d["type"], *(d.get(f) or "" for f in DATES))
                    for u, v, k, d in G.edges(keys=True, data=True)}


def _text(value) -> str:
    """A value as read back: a missing string is "" whichever way a reader says it."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value


# -- networkx ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SELECTIONS)
def test_networkx_reads_every_default_export(graphs, files, name):
    G = graphs[name]
    nodes, edges = _expected(G)
    read = {
        "graphml": nx.read_graphml(files[name, "graphml"]),
        "gexf": nx.read_gexf(files[name, "gexf"]),
        "gexf-no-viz": nx.read_gexf(files[name, "gexf-no-viz"]),
        "json": nx.node_link_graph(json.loads(files[name, "json"].read_text()),
                                   edges="edges"),
        "cytoscape": nx.cytoscape_graph(json.loads(files[name, "cytoscape"].read_text())),
    }
    for variant, H in read.items():
        assert isinstance(H, nx.MultiDiGraph), variant
        assert set(H) == nodes, variant
        type_key = "relType" if variant.startswith("gexf") else "type"
        got = {k: (u, v, d[type_key], *(_text(d.get(f)) for f in DATES))
               for u, v, k, d in H.edges(keys=True, data=True)}
        assert got == edges, variant
        assert all(d["symmetric"] is is_symmetric(d[type_key])
                   for *_, d in H.edges(data=True)), variant


@pytest.mark.parametrize("variant", ["graphml-undirected", "gexf-undirected"])
def test_networkx_refuses_the_mixed_graph_asked_for(files, variant):
    """``--symmetric undirected`` writes a graph of directed and undirected edges, which
    networkx does not read (documented in docs/export.md)."""
    read = nx.read_graphml if variant.startswith("graphml") else nx.read_gexf
    with pytest.raises(nx.NetworkXError, match="(?i)undirected edge found in directed graph|"
                       "directed=false edge found in directed graph"):
        read(files["catl2", variant])


# -- igraph --------------------------------------------------------------------------------

def _igraph_edges(g) -> dict[str, tuple]:
    names = g.vs["id"]
    return {e["id"]: (names[e.source], names[e.target], e["type"],
                      *(_text(e[f]) for f in DATES)) for e in g.es}


@pytest.mark.parametrize("name", SELECTIONS)
def test_igraph_reads_graphml_json_and_cytoscape(graphs, files, name):
    import igraph

    G = graphs[name]
    nodes, edges = _expected(G)
    for variant in ("graphml", "graphml-undirected"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            g = igraph.Graph.Read_GraphML(str(files[name, variant]))
        assert [str(w.message).split(". Location")[0] for w in caught] == [IGRAPH_ID_WARNING]
        assert set(g.vs["id"]) == nodes and g.vcount() == len(nodes)
        assert _igraph_edges(g) == edges, variant
        assert g.es["symmetric"] == [is_symmetric(t) for t in g.es["type"]]
    data = json.loads(files[name, "json"].read_text())
    g = igraph.Graph.DictList(data["nodes"], data["edges"], directed=True,
                              vertex_name_attr="id")
    assert set(g.vs["id"]) == nodes and g.ecount() == len(edges)
    assert {e["key"]: (g.vs[e.source]["id"], g.vs[e.target]["id"], e["type"],
                       *(e[f] for f in DATES)) for e in g.es} == edges
    doc = json.loads(files[name, "cytoscape"].read_text())["elements"]
    g = igraph.Graph.DictList([n["data"] for n in doc["nodes"]],
                              [e["data"] for e in doc["edges"]], directed=True,
                              vertex_name_attr="id")
    assert set(g.vs["id"]) == nodes
    assert {e["id"]: (g.vs[e.source]["id"], g.vs[e.target]["id"], e["type"],
                      *(e[f] for f in DATES)) for e in g.es} == edges


def test_igraph_reads_numbers_as_written_and_says_what_it_cannot(graphs, files):
    """igraph has one numeric type (a double): a ``long`` comes back as the same number. It
    has no missing boolean: an entity without ``insolvent`` reads False, documented."""
    import igraph

    G = graphs["full"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = igraph.Graph.Read_GraphML(str(files["full", "graphml"]))
    checked = 0
    for v in g.vs:
        for key, want in G.nodes[v["id"]].items():
            if isinstance(want, bool):
                assert v[key] is want
            elif isinstance(want, (int, float)):
                assert v[key] == want and float(want).is_integer() == v[key].is_integer()
                checked += 1
    assert checked >= sum(isinstance(x, (int, float)) and not isinstance(x, bool)
                          for _, d in G.nodes(data=True) for x in d.values()) > 0
    lacking = [v for v in g.vs if "insolvent" not in G.nodes[v["id"]]]
    assert lacking and all(v["insolvent"] is False for v in lacking)


# -- graphology (Gephi Lite) and cytoscape.js ------------------------------------------------

def _graphology_edges(read: dict, type_key: str) -> dict[str, tuple]:
    return {e["key"]: (e["source"], e["target"], e["attributes"][type_key],
                       *(e["attributes"].get(f, "") for f in DATES)) for e in read["edges"]}


def test_graphology_reads_graphml_and_gexf(graphs, files):
    documents = {f"{name}/{variant}": files[name, variant].read_text(encoding="utf-8")
                 for name in SELECTIONS for variant in VARIANTS
                 if variant.startswith(("graphml", "gexf"))}
    graphml = _node("graphml", {k: v for k, v in documents.items() if "/graphml" in k})
    gexf = _node("gexf", {k: v for k, v in documents.items() if "/gexf" in k})
    for key, read in {**graphml, **gexf}.items():
        name, variant = key.split("/")
        G = graphs[name]
        nodes, edges = _expected(G)
        assert "error" not in read, (key, read)
        assert {n["key"] for n in read["nodes"]} == nodes, key
        type_key = "relType" if variant.startswith("gexf") else "type"
        assert _graphology_edges(read, type_key) == edges, key
        for e in read["edges"]:
            symmetric = is_symmetric(e["attributes"][type_key])
            assert e["attributes"]["symmetric"] is symmetric, key
            # graphology-graphml reads directed="false" as directed, as igraph does
            assert e["undirected"] is (symmetric and variant == "gexf-undirected"), key
        if variant.startswith("gexf"):  # lists as the graph holds them, never re-split
            assert {n["key"]: n["attributes"].get("aliases") for n in read["nodes"]} == {
                n: d.get("aliases") for n, d in G.nodes(data=True)}, key
        else:
            assert all(e["attributes"]["id"] == e["key"] for e in read["edges"]), key


def test_cytoscape_js_reads_the_cytoscape_export(graphs, files):
    read = _node("cytoscape", {name: files[name, "cytoscape"].read_text(encoding="utf-8")
                               for name in SELECTIONS})
    for name, G in graphs.items():
        cy = read[name]
        assert "error" not in cy, cy
        nodes, edges = _expected(G)
        assert {n["id"] for n in cy["nodes"]} == nodes
        assert {e["data"]["id"]: (e["source"], e["target"], e["data"]["type"],
                                  *(e["data"][f] for f in DATES)) for e in cy["edges"]} == edges
        assert all(e["data"]["symmetric"] is is_symmetric(e["data"]["type"])
                   for e in cy["edges"])
        assert {n["id"]: n.get("aliases") for n in cy["nodes"]} == {
            n: d.get("aliases") for n, d in G.nodes(data=True)}
        assert cy["data"]["name"] == G.graph["name"]
        registry = json.loads(cy["data"]["sources"])
        assert set(registry) == (set(G.graph["sources"]) if name == "full"
                                 else cited_sources(G))


# -- what each export carries --------------------------------------------------------------

def test_a_selection_carries_only_the_sources_it_cites(graphs, files, autograph_exe, tmp_path):
    G = graphs["catl2"]
    cited = cited_sources(G)
    assert cited < set(G.graph["sources"])
    read = nx.node_link_graph(json.loads(files["catl2", "json"].read_text()), edges="edges")
    assert list(read.graph["sources"]) == [s for s in G.graph["sources"] if s in cited]
    assert set(json.loads(nx.read_graphml(files["catl2", "graphml"]).graph["sources"])) == cited
    whole = tmp_path / "all.json"
    subprocess.run([autograph_exe, "export", *SELECTIONS["catl2"], "--all-sources",
                    "-o", str(whole)], check=True, capture_output=True, timeout=300)
    assert json.loads(whole.read_text())["graph"]["sources"] == json.loads(json.dumps(
        G.graph["sources"], default=str))
    full = nx.node_link_graph(json.loads(files["full", "json"].read_text()), edges="edges")
    assert set(full.graph["sources"]) == set(graphs["full"].graph["sources"])


def test_gephi_timeline_in_every_gexf(graphs, files):
    """``start`` and ``end`` as :func:`timeline` gives them; no relation starts at a
    reference's retrieval date, and none lasts one day unless its own dates say so."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.gexf.net/1.2draft}"
    for name, G in graphs.items():
        registry = G.graph["sources"]
        for variant in ("gexf", "gexf-undirected", "gexf-no-viz"):
            root = ET.parse(files[name, variant]).getroot()
            got = {e.get("id"): (e.get("start", ""), e.get("end", ""))
                   for e in root.iter(f"{ns}edge")}
            assert got == {k: timeline(G, d) for *_, k, d in G.edges(keys=True, data=True)}
        if name == "full":
            got_full = got
        undated = 0
        for *_, k, d in G.edges(keys=True, data=True):
            start, end = got[k]
            if not (d.get("date") or d.get("asOf")):
                published = {date_start(registry[s]["date"]).isoformat() for s in d["sources"]
                             if registry[s].get("date")
                             and registry[s].get("dateBasis") != "accessed"}
                assert not start or start in published, k
                undated += not start and not published
            if start and start == end:
                assert len(d.get("endDate", "")) == 10, k
            if end:
                assert end >= start, k
        if name == "full":  # relations known only from references read on a day
            assert undated > 0
    G = graphs["full"]
    northvolt = G.edges["volkswagen-group", "northvolt", "vw-partners-northvolt"]
    assert northvolt["status"] == "ended" and not (northvolt.get("date") or northvolt["endDate"])
    start, end = got_full["vw-partners-northvolt"]
    reported = min((G.graph["sources"][s]["date"] for s in northvolt["sources"]), key=date_start)
    assert start == "" and end == date_period(reported)[1].isoformat()


def test_jgrapht_imports_gexf_without_viz_with_its_default_settings(graphs, files,
                                                                    tmp_path_factory):
    """JGraphT's bundled viz XSD is wrong, so its GEXF importer (schema validation on by
    default) refuses a file with colours and sizes; ``--no-viz`` leaves them out."""
    missing = [str(j) for j in JARS if not j.exists()]
    if missing:
        pytest.fail(f"libjgrapht-java is not installed ({', '.join(missing)} missing)")
    javac, java = shutil.which("javac"), shutil.which("java")
    if not (javac and java):
        pytest.fail("a JDK is not installed (apt-get install default-jdk-headless)")
    classes = tmp_path_factory.mktemp("gexf-java")
    cp = ":".join(map(str, JARS))
    subprocess.run([javac, "-d", str(classes), "-cp", cp, str(READERS / "GraphMLRead.java")],
                   check=True, capture_output=True, timeout=300)
    names = list(SELECTIONS)
    paths = [str(files[n, v]) for n in names for v in ("gexf", "gexf-no-viz")]
    result = subprocess.run([java, "-cp", f"{classes}:{cp}", "GraphMLRead", "--gexf", *paths],
                            capture_output=True, text=True, timeout=300, check=True)
    read = json.loads(result.stdout)
    for i, name in enumerate(names):
        with_viz, without = read[2 * i], read[2 * i + 1]
        assert "error" in with_viz
        G = graphs[name]
        assert (without["nodes"], without["edges"]) == (G.number_of_nodes(),
                                                        G.number_of_edges())
        assert sorted(without["ids"]) == sorted(k for *_, k in G.edges(keys=True))
