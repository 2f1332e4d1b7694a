"""Subgraph selection and every export format: round trips, rules, hostile names."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import zipfile

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph import SelectionError, schema, select
from graph.cli import cli
from graph.export.cytoscape import read_cytoscape
from graph.export import (read_gexf, read_graphml, read_json, to_cypher, to_dot, to_mermaid,
                          write_gexf, write_graphml, write_neo4j_csv)

from helpers import append_row, assert_same_graph

HOSTILE = 'Evil "Co" \\ it\'s\nsecond line <script>alert(1)</script> & <img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_data(data_copy):
    """The bundled data plus a company whose name, alias and evidence are hostile text."""
    append_row(data_copy / "entities.csv", id="hostile-co", label="Company", name=HOSTILE,
               aliases="Evil \"alias\" \\ <b>", kind="oem", country="BE", description=HOSTILE)
    common = dict(status="active", date="2024-01", confidence="0.5",
                  sources="001_a3af7357bdf967bf", evidence=HOSTILE)
    append_row(data_copy / "relations.csv", id="hostile-partners-catl", type="PARTNERS_WITH",
               source="hostile-co", target="catl", **common)
    append_row(data_copy / "relations.csv", id="hostile-hq-belgium", type="HEADQUARTERED_IN",
               source="hostile-co", target="belgium", **common)
    return data_copy


@pytest.fixture
def hostile_graph(hostile_data):
    return select(graph.load_graph(hostile_data), focus="hostile-co", hops=1)


# -- selection ---------------------------------------------------------------------------------

def test_focus_hops_and_direction(G):
    both = select(G, focus="catl", hops=1)
    assert set(both) == {"catl", "volkswagen-group", "china", "arnstadt", "site-catl-erfurt",
                         "site-catl-magdeburg", "vehicle-batteries",
                         "battery-swapping", "battery-recycling", "deal-vw-catl-battery"}
    assert set(select(G, focus="catl", hops=1, direction="in")) == {"catl", "volkswagen-group"}
    # a symmetric relation leads both ways: VW's MoU with CATL is stored VW -> CATL
    assert set(select(G, focus="catl", hops=1, direction="out",
                      rel_types=("SIGNED_MOU",))) == {"catl", "volkswagen-group"}
    assert set(select(G, focus="catl", hops=0)) == {"catl"}
    two = select(G, focus="CATL", hops=2, rel_types=("SUPPLIES", "SIGNED_MOU", "OWNS"))
    assert set(two) == {"catl", "volkswagen-group", "audi", "skoda"}


def test_node_and_edge_filters(G):
    be = select(G, countries=("BE",))
    assert all(d["country"] == "BE" for _, d in be.nodes(data=True))
    assert "plant-volvo-gent" in be and "volvo-cars" not in be
    ended = select(G, statuses=("ended",))
    assert {k for *_, k in ended.edges(keys=True)} == {
        "vw-partners-northvolt", "audi-brussels-produces-e-tron"}
    plants = select(G, labels=("Plant", "Region"))
    assert {d["label"] for _, d in plants.nodes(data=True)} == {"Plant", "Region"}
    confident = select(G, min_confidence=0.95)
    assert all(d["confidence"] >= 0.95 for *_, d in confident.edges(data=True))
    source = select(G, sources=("004",))
    assert {d["sources"][0] for *_, d in source.edges(data=True)} == {"004_80f108e62cf24aa0"}


def test_date_filters(G):
    since = select(G, since="2024")
    assert "vw-jv-rivian" in {k for *_, k in since.edges(keys=True)}
    assert "weiqiao-invests-baw" not in {k for *_, k in since.edges(keys=True)}
    until = select(G, until="2020")
    assert {k for *_, k in until.edges(keys=True)} >= {"zukunftssalon-in-staedtedreieck",
                                                        "ix3-uses-edrive"}
    assert "vw-jv-rivian" not in {k for *_, k in until.edges(keys=True)}
    as_of = select(G, as_of="2023-06")
    keys = {k for *_, k in as_of.edges(keys=True)}
    assert "weiqiao-invests-baw" in keys          # as of 2023-04-11, from its deal
    assert "vw-jv-rivian" not in keys             # dated 2024-11
    assert "audi-brussels-produces-e-tron" in keys  # 2018 to 2025-02
    later = {k for *_, k in select(G, as_of="2025-02").edges(keys=True)}
    assert "audi-brussels-produces-e-tron" not in later and "vw-mou-catl" in later
    reliable = select(G, min_reliability="B")
    assert all(min(G.graph["sources"][s]["reliability"] for s in d["sources"]) <= "B"
               for *_, d in reliable.edges(data=True))
    assert "geely-owns-volvo-cars" not in {k for *_, k in reliable.edges(keys=True)}  # 000: D


def test_selection_errors(G):
    with pytest.raises(SelectionError, match="the selection is empty"):
        select(G, labels=("VehicleModel",), rel_types=("OWNS",))
    with pytest.raises(SelectionError, match="hops must be 0 or more, not -1"):
        select(G, focus="catl", hops=-1)
    with pytest.raises(graph.EntityNotFoundError, match="unknown entity 'tesla'"):
        select(G, focus="tesla")


# -- formats -----------------------------------------------------------------------------------

def test_json_round_trip(G):
    sub = select(G, focus="catl", hops=2)
    result = CliRunner().invoke(cli, ["export", "--focus", "catl", "--hops", "2"])
    assert_same_graph(sub, read_json(result.output))
    data = json.loads(result.output)
    assert data["links"] == data["edges"]  # networkx < 3.4 reads "links" by default
    assert {e["key"]: e["symmetric"] for e in data["edges"]}["vw-mou-catl"] is True


@pytest.mark.parametrize("write,read", [(write_graphml, read_graphml), (write_gexf, read_gexf)],
                         ids=["graphml", "gexf"])
def test_graphml_and_gexf_round_trip_with_types(G, tmp_path, write, read):
    sub = select(G, focus="volkswagen-group", hops=1)
    path = tmp_path / "out.xml"
    write(sub, path)
    assert_same_graph(sub, read(path))


def test_cytoscape_round_trip(G):
    sub = select(G, focus="catl", hops=2)
    result = CliRunner().invoke(cli, ["export", "--focus", "catl", "--hops", "2",
                                      "--format", "cytoscape", "--all-sources"])
    assert_same_graph(sub, read_cytoscape(result.output))
    edges = {e["data"]["id"]: e["data"] for e in json.loads(result.output)["elements"]["edges"]}
    assert edges["vw-mou-catl"]["symmetric"] is True
    assert edges["catl-supplies-vw"]["symmetric"] is False


def test_cited_only_cuts_the_registry_of_the_file_not_of_the_graph(G):
    sub = select(G, focus="catl", hops=2)
    registry = dict(sub.graph["sources"])
    text = graph.export.export(sub, "json", None, cited_only=True)
    cited = {s for *_, d in sub.edges(data=True) for s in d["sources"] + d["disputedBy"]}
    assert set(json.loads(text)["graph"]["sources"]) == cited < set(registry)
    assert sub.graph["sources"] == registry
    assert set(json.loads(graph.export.export(sub, "json", None))["graph"]["sources"]) == set(
        registry)


def test_gexf_carries_colours_sizes_and_dates(G, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(select(G, focus="volkswagen-group", hops=1), path)
    text = path.read_text()
    assert '<viz:color r="31" g="119" b="180" a="1.0" />' in text
    assert 'start="2024-11-01"' in text and 'timeformat="date"' in text


def test_neo4j_admin_csv_headers(G, tmp_path):
    files = write_neo4j_csv(select(G, focus="catl", hops=1), tmp_path / "csv")
    nodes = list(csv.reader(files[0].open()))
    rels = list(csv.reader(files[1].open()))
    assert nodes[0][:2] == ["id:ID", ":LABEL"]
    assert "aliases:string[]" in nodes[0] and "evBatteryRank:long" in nodes[0]
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert "confidence:double" in rels[0] and "sources:string[]" in rels[0]
    catl = next(r for r in nodes if r[0] == "catl")
    header = nodes[0]
    assert catl[1] == "Company"
    assert catl[header.index("aliases:string[]")].split(";")[0] == "Contemporary Amperex Technology"
    assert len(nodes) - 1 == 10 and len(rels) - 1 == 14
    assert {len(row) for row in nodes} == {len(nodes[0])}
    assert {len(row) for row in rels} == {len(rels[0])}


def test_neo4j_admin_csv_as_zip(G, tmp_path):
    write_neo4j_csv(select(G, focus="catl", hops=1), tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as zf:
        assert sorted(zf.namelist()) == ["nodes.csv", "relationships.csv"]


def test_mermaid_and_dot_are_diagrams(G):
    sub = select(G, focus="catl", hops=1)
    mermaid = to_mermaid(sub)
    assert mermaid.startswith("flowchart LR\n") and '-->|"SUPPLIES"|' in mermaid
    dot = to_dot(sub)
    assert dot.startswith("digraph autograph {") and '"catl" -> "volkswagen-group"' in dot


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz is not installed")
def test_dot_renders_with_graphviz_and_hostile_text_stays_text(hostile_graph):
    svg = subprocess.run(["dot", "-Tsvg"], input=to_dot(hostile_graph), capture_output=True,
                         text=True, check=True, timeout=60).stdout
    assert "&lt;script&gt;" in svg and "<script>" not in svg


# -- hostile names survive every format ---------------------------------------------------------

def test_hostile_names_survive_json_graphml_gexf(hostile_graph, tmp_path):
    back = read_json(json.dumps(graph.export.node_link(hostile_graph)))
    assert back.nodes["hostile-co"]["name"] == HOSTILE
    for write, read in ((write_graphml, read_graphml), (write_gexf, read_gexf)):
        path = tmp_path / f"h.{write.__name__}"
        write(hostile_graph, path)
        again = read(path)
        assert again.nodes["hostile-co"]["name"] == HOSTILE
        assert again.edges["hostile-co", "catl", "hostile-partners-catl"]["evidence"] == HOSTILE


def test_hostile_names_in_csv(hostile_graph, tmp_path):
    files = write_neo4j_csv(hostile_graph, tmp_path / "csv")
    rows = list(csv.reader(files[0].open(newline="")))
    name = rows[0].index("name")
    assert next(r for r in rows if r[0] == "hostile-co")[name] == HOSTILE
    aliases = rows[0].index("aliases:string[]")
    assert next(r for r in rows if r[0] == "hostile-co")[aliases] == 'Evil "alias" \\ <b>'


def test_array_delimiter_inside_a_value_is_refused(hostile_graph, tmp_path):
    H = hostile_graph.copy()
    H.nodes["hostile-co"]["aliases"] = ["a;b"]
    with pytest.raises(graph.AutographError, match="contains the array delimiter ';'"):
        write_neo4j_csv(H, tmp_path / "csv")


def test_hostile_names_in_mermaid_and_dot(hostile_graph):
    mermaid = to_mermaid(hostile_graph)
    assert "<script>" not in mermaid and "#lt;script#gt;" in mermaid
    assert all(line.count('"') % 2 == 0 for line in mermaid.splitlines())
    dot = to_dot(hostile_graph)
    assert '\\"Co\\"' in dot and "\\\\ it's" in dot and "\\nsecond line" in dot


@pytest.mark.neo4j
def test_cypher_script_runs_on_the_bolt_server(db, G, hostile_graph):
    script = to_cypher(hostile_graph)
    statements = [s for s in script.splitlines() if s and not s.startswith("//")]
    assert len(statements) == hostile_graph.number_of_nodes() + hostile_graph.number_of_edges()
    for statement in statements:
        db.query(statement.rstrip(";"), write=True)
    nodes = db.query("MATCH (n) RETURN count(n) AS n").rows[0][0]
    rels = db.query("MATCH ()-[r]->() RETURN count(r) AS n").rows[0][0]
    assert (nodes, rels) == (hostile_graph.number_of_nodes(), hostile_graph.number_of_edges())
    name = db.query("MATCH (n:Company {id: 'hostile-co'}) RETURN n.name AS name").rows[0][0]
    assert name == HOSTILE
    for statement in statements:  # running it twice changes nothing: MERGE
        db.query(statement.rstrip(";"), write=True)
    assert db.query("MATCH (n) RETURN count(n) AS n").rows[0][0] == nodes


@pytest.mark.neo4j
def test_export_from_neo4j_equals_the_embedded_export(db, G, bolt_settings):
    db.load(G, "autograph", "the bundled dataset")
    env = {"NEO4J_URI": bolt_settings.uri, "NEO4J_USERNAME": bolt_settings.user,
           "NEO4J_PASSWORD": bolt_settings.password}
    args = ["export", "--focus", "flanders", "--hops", "2", "--format", "json"]
    embedded = CliRunner().invoke(cli, args)
    remote = CliRunner(env=env).invoke(cli, [*args, "--from", "neo4j"])
    assert remote.exit_code == 0, remote.output
    a = nx.node_link_graph(json.loads(embedded.output), edges="edges")
    b = nx.node_link_graph(json.loads(remote.output), edges="edges")
    assert_same_graph(a, b)
    missing = CliRunner(env=env).invoke(cli, ["export", "--from", "neo4j", "--dataset", "nope"])
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: the server holds no dataset named 'nope'")


# -- CLI options and bad combinations ------------------------------------------------------------

@pytest.mark.parametrize("args,code,message", [
    (["--focus", "tesla"], 1, "Error: unknown entity 'tesla'; did you mean temse?\n"),
    (["--focus", "catl", "--hops", "-1"], 1, "Error: hops must be 0 or more, not -1\n"),
    (["--since", "2024-13"], 1,
     "Error: --since: '2024-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)\n"),
    (["--as-of", "yesterday"], 1,
     "Error: --as-of: 'yesterday' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)\n"),
    (["--label", "Firm"], 1, "Error: unknown node label 'Firm'; expected one of "
     + ", ".join(schema.NODE_LABELS) + "\n"),
    (["--status", "dead"], 1,
     "Error: unknown status 'dead'; expected one of announced, planned, active, ended\n"),
    (["--min-confidence", "2"], 1, "Error: min-confidence must be from 0 to 1, not 2.0\n"),
    (["--source", "999"], 1, "Error: unknown source '999'; known sources: "
     + ", ".join(graph.load_dataset().sources) + "\n"),
    (["--min-reliability", "G"], 2, None),
    (["--label", "VehicleModel", "--rel-type", "OWNS"], 1,
     "Error: the selection is empty; loosen a filter (see --help) or check `autograph stats` "
     "for the labels, types and countries present\n"),
    (["--format", "csv"], 1,
     "Error: --format csv writes two files: give --output DIR or --output FILE.zip\n"),
    (["--focus", "catl", "--label", "Plant"], 1,
     "Error: the focus 'catl' is excluded by the other filters\n"),
    (["--no-viz"], 1, "Error: --no-viz applies to --format gexf only\n"),
    (["--format", "cytoscape", "--symmetric", "undirected"], 1,
     "Error: --symmetric undirected applies to --format graphml and gexf only\n"),
    (["--format", "graphml", "--symmetric", "both"], 2, None),
])
def test_cli_bad_options(args, code, message):
    result = CliRunner().invoke(cli, ["export", *args])
    assert (result.exit_code, message or result.output) == (code, result.output)


def test_cli_hops_without_focus_is_a_usage_error():
    result = CliRunner().invoke(cli, ["export", "--hops", "2"])
    assert result.exit_code == 2
    assert "Error: --hops needs --focus" in result.output


@pytest.mark.parametrize("fmt", ["json", "cytoscape", "graphml", "gexf", "cypher", "mermaid",
                                 "dot"])
def test_cli_every_text_format_to_file_and_stdout(fmt, tmp_path):
    out = tmp_path / f"g.{fmt}"
    args = ["export", "--country", "BE", "--country", "CN", "--status", "active,planned",
            "--format", fmt]
    to_file = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert to_file.exit_code == 0, to_file.output
    assert to_file.output.startswith("wrote ")
    stdout = CliRunner().invoke(cli, args)
    assert stdout.output == out.read_text()


def test_cli_csv_to_folder(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--rel-type", "SUPPLIES", "--format", "csv",
                                      "-o", str(tmp_path / "supply")])
    assert result.exit_code == 0, result.output
    assert result.output == (f"wrote 4 nodes and 2 relationships to {tmp_path / 'supply'}/"
                             f"nodes.csv, {tmp_path / 'supply'}/relationships.csv\n")


def _exported(*args: str) -> nx.MultiDiGraph:
    result = CliRunner().invoke(cli, ["export", *args])
    assert result.exit_code == 0, result.output
    return nx.node_link_graph(json.loads(result.output), edges="edges")


@pytest.mark.parametrize("args,check", [
    (["--focus", "catl", "--hops", "1", "--direction", "in"],
     lambda H: set(H) == {"catl", "volkswagen-group"}),
    (["--focus", "catl", "--hops", "1", "--direction", "out"],
     lambda H: "vehicle-batteries" in H and "volkswagen-group" in H),
    (["--label", "Plant,Region"],
     lambda H: {d["label"] for _, d in H.nodes(data=True)} == {"Plant", "Region"}),
    (["--rel-type", "JOINT_VENTURE"], lambda H: {k for *_, k in H.edges(keys=True)} == {"vw-jv-rivian"}),
    (["--country", "CN"], lambda H: {d["country"] for _, d in H.nodes(data=True)} == {"CN"}),
    (["--status", "planned"], lambda H: {d["status"] for *_, d in H.edges(data=True)} == {"planned"}),
    (["--since", "2024-06"], lambda H: "vw-jv-rivian" in {k for *_, k in H.edges(keys=True)}
     and "weiqiao-invests-baw" not in {k for *_, k in H.edges(keys=True)}),
    (["--until", "2019"], lambda H: {k for *_, k in H.edges(keys=True)} >= {"bsw-mou-cipa"}
     and "vw-jv-rivian" not in {k for *_, k in H.edges(keys=True)}),
    (["--as-of", "2023-06"], lambda H: "weiqiao-invests-baw" in {k for *_, k in H.edges(keys=True)}
     and "vw-mou-catl" not in {k for *_, k in H.edges(keys=True)}),
    (["--min-confidence", "0.95"], lambda H: min(d["confidence"] for *_, d in H.edges(data=True)) >= 0.95),
    (["--source", "004_80f108e62cf24aa0.txt"],
     lambda H: {s for *_, d in H.edges(data=True) for s in d["sources"]} == {"004_80f108e62cf24aa0"}),
    (["--focus", "volkswagen-group", "--hops", "1", "--rel-type", "SIGNED_MOU,JOINT_VENTURE"],
     lambda H: set(H) == {"volkswagen-group", "catl", "rivian"}),
], ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_cli_each_selection_option(args, check):
    assert check(_exported(*args))
