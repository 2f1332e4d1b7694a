"""Each format is written once, from graph.frames, whichever way the frames come: from a
whole dataset's checked columns (the command line without a selection) or from a graph (a
selection, a graph fetched from Neo4j, the Python API). These tests check what the writers
write against independent readers (networkx, the csv and json modules), against the graph
the dataset gives, and a random small graph's round trip (hypothesis); no second writer.
Byte-for-byte comparisons with ElementTree are in test_export_streaming.py."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import graph
from graph import dataset, schema
from graph.analysis.summary import summarize
from graph.cli import cli
from graph.errors import ExportError
from graph.export import neo4j_tables, to_text
from graph.frames import from_dataset, from_graph
from graph.synthetic import industry_network, write_dataset

HOSTILE = 'a & b < c > d "e" \'f\' \tg é 中 \U0001F697'


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """Above the size a columnar read was kept for (1 MB), with deals and properties."""
    return write_dataset(industry_network(2000, 10000, seed=7),
                         tmp_path_factory.mktemp("golden") / "data")


def _rewrite(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    rows = change(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile(synthetic, tmp_path_factory) -> Path:
    """The synthetic data with markup, quotes, tabs and characters outside the BMP in names,
    aliases (spaced and empty items) and evidence, a list of sources and a dispute,
    parallel and reversed relations in an awkward file order, and typed properties of
    entities and relations (each type, values written unusually, a subject's properties
    apart in the file)."""
    folder = tmp_path_factory.mktemp("golden") / "data"
    shutil.copytree(synthetic, folder)

    def entities(rows):
        for i, row in enumerate(rows[:50]):
            row["name"] = f"{HOSTILE} {i}"
            row["aliases"] = (f" x{i} | {HOSTILE} alias {i} ||y{i}" if i % 2
                              else f"{HOSTILE} other {i}")
            row["description"] = HOSTILE if i % 3 else ""
        return rows

    def relations(rows):
        for i, row in enumerate(rows[:40]):
            row["evidence"] = f"{HOSTILE} {i}"
            row["confidence"] = ["1", "0.5", ".25", "1e-1", "0.99"][i % 5]
        variants = [  # the dates GEXF's start and end come from
            {"date": "", "asOf": "2019-05"}, {"date": "", "asOf": "", "sources": "synthetic|second"},
            {"date": "", "asOf": "", "sources": "second|synthetic"},
            {"status": "ended", "endDate": ""}, {"status": "ended", "endDate": "2023-02-11"},
            {"date": "2021", "endDate": "2021-06", "status": "ended"},
            {"date": "", "asOf": "", "status": "ended", "endDate": ""},
            {"date": "", "asOf": "", "status": "ended", "endDate": "2019"}]  # before 2024
        for row, change in zip(rows[40:], variants):
            row.update(change)
        head = rows[:3]
        extra = [{**head[0], "id": f"extra-{i}", "source": head[i % 3]["target"],
                  "target": head[i % 3]["source"]} for i in range(3)]
        extra += [{**head[1], "id": "extra-twin"}]
        return extra[:2] + rows[:20] + extra[2:] + rows[20:]

    def sources(rows):
        return rows + [{**rows[0], "id": "second", "title": HOSTILE, "date": "2020"}]

    _rewrite(folder / "sources.csv", sources)
    _rewrite(folder / "entities.csv", entities)
    _rewrite(folder / "relations.csv", relations)
    rel = folder / "relations.csv"
    text = rel.read_text(encoding="utf-8").splitlines(keepends=True)
    text[5] = text[5].replace(",synthetic,", ",synthetic|second,", 1)
    rel.write_text("".join(text), encoding="utf-8")
    with open(folder / "relations.csv", newline="", encoding="utf-8") as f:
        relation_ids = [row["id"] for row in csv.DictReader(f)]
    with open(folder / "entities.csv", newline="", encoding="utf-8") as f:
        companies = [row["id"] for row in csv.DictReader(f) if row["label"] == "Company"]
    with open(folder / "properties.csv", "a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        for i in range(0, 600, 7):
            writer.writerow([companies[i], "foundedYear", f"0{1900 + i}", "synthetic", ""])
            writer.writerow([relation_ids[i], "sharePct", ["12.5", "1e2", "0.1", "7"][i % 4],
                             "synthetic", ""])
        for i in range(0, 600, 11):
            writer.writerow([companies[i], "insolvent", ["True", "no", "1", "FALSE"][i % 4],
                             "synthetic", ""])
            writer.writerow([companies[i], "industry", f"{HOSTILE} {i}", "synthetic", ""])
            writer.writerow([relation_ids[i], "scope", f" {HOSTILE} ", "synthetic", ""])
        writer.writerow([companies[3], "employeesMin", "250000", "synthetic", ""])
    assert graph.validate_dataset(folder) == []
    return folder


def _export(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


OPTIONS = {"graphml": [[], ["--symmetric", "undirected"]], "json": [[]],
           "gexf": [[], ["--symmetric", "undirected"], ["--no-viz"]]}
CASES = [(fmt, opts) for fmt, variants in OPTIONS.items() for opts in variants]


def _kwargs(opts: list[str]) -> dict:
    return {"undirected": "undirected" in opts, "viz": "--no-viz" not in opts}


@pytest.mark.parametrize(("fmt", "opts"), CASES, ids=[f"{f}{''.join(o)}" for f, o in CASES])
def test_a_whole_dataset_from_its_columns_is_written_as_its_graph(fmt, opts, hostile):
    """The command line writes a whole dataset from its checked columns; the same writer
    given the graph (a selection's way in) writes the same text."""
    assert from_dataset(hostile) is not None  # the columns' way in
    options = {k: v for k, v in _kwargs(opts).items()
               if k in graph.export.EXPORTERS[fmt].options}
    expected = to_text(graph.load_graph(hostile), fmt, **options)
    assert _export(["--data", str(hostile), "--format", fmt, *opts]) == expected


def test_the_csv_files_are_those_of_the_graph_and_read_back(hostile, tmp_path):
    out = tmp_path / "csv"
    result = CliRunner().invoke(cli, ["export", "--data", str(hostile), "--format", "csv",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    G = graph.load_graph(hostile)
    tables = neo4j_tables(G, dataset="data")
    for name, text in tables.items():
        assert (out / name).read_bytes() == text.encode("utf-8")
    with open(out / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(out / "relationships.csv", newline="", encoding="utf-8") as f:
        rels = list(csv.DictReader(f))
    assert [row["id:ID"] for row in nodes] == list(G)
    assert len(rels) == G.number_of_edges()
    first = next(row for row in nodes if row["id:ID"] == next(iter(G)))
    assert first["name"] == G.nodes[first["id:ID"]]["name"]  # a formula-looking name: '


def test_stats_counts_what_the_files_hold(synthetic):
    """The summary of a whole dataset (from its columns) against counts made here from the
    CSV files with the csv module."""
    result = CliRunner().invoke(cli, ["stats", "--data", str(synthetic), "--format", "json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    rows = {}
    for name in ("entities", "relations", "deals"):
        with open(synthetic / f"{name}.csv", newline="", encoding="utf-8") as f:
            rows[name] = list(csv.DictReader(f))
    parties = sum(len({p.split(":")[0].strip() for p in d["parties"].split("|") if p.strip()})
                  for d in rows["deals"])
    assert got["nodes"] == len(rows["entities"]) + len(rows["deals"])
    assert got["relationships"] == len(rows["relations"]) + parties
    assert got["types"].get("PARTY_TO", 0) == parties
    assert got["labels"]["Company"] == sum(r["label"] == "Company" for r in rows["entities"])
    assert got == summarize(graph.load_graph(synthetic))


def test_control_characters_are_written_as_each_format_can_hold_them(synthetic, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(synthetic, folder)
    ent = folder / "entities.csv"
    ent.write_text(ent.read_text(encoding="utf-8").replace("Company 3,", "Company\x0b3,", 1),
                   encoding="utf-8")
    assert graph.validate_dataset(folder) == []
    assert "Company\ufffd3" in _export(["--data", str(folder), "--format", "graphml"])
    assert "Company\ufffd3" in _export(["--data", str(folder), "--format", "gexf"])
    text = _export(["--data", str(folder), "--format", "json"])
    assert "Company\\u000b3" in text
    assert json.loads(text)["nodes"][next(
        i for i, n in enumerate(json.loads(text)["nodes"]) if n["id"] == "company-3")][
        "name"] == "Company\x0b3"


def test_properties_read_back_typed_by_networkx(hostile):
    """networkx's own GraphML and JSON readers find each property with its schema type."""
    text = _export(["--data", str(hostile), "--format", "graphml"])
    read = {"graphml": nx.read_graphml(io.BytesIO(text.encode("utf-8"))),
            "json": nx.node_link_graph(json.loads(_export(["--data", str(hostile)])),
                                       edges="edges")}
    with open(hostile / "properties.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for name, H in read.items():
        edges = {d["id"]: d for *_, d in H.edges(data=True)}
        for row in rows:
            subject, key = row["subject"], row["key"]
            node = subject in H
            spec = (schema.ENTITY_PROPERTIES if node else schema.RELATION_PROPERTIES)[key]
            value = (H.nodes[subject] if node else edges[subject])[key]
            expected = dataset._convert(row["value"].strip(), spec.type)
            assert value == expected and type(value) is type(expected), (name, row)


def test_the_installed_command_writes_what_networkx_reads(synthetic, autograph_exe, tmp_path):
    G = graph.load_graph(synthetic)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"g.{fmt}"
        done = subprocess.run([autograph_exe, "export", "--data", str(synthetic), "--format",
                               fmt, "-o", str(out)], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        assert f"wrote {G.number_of_nodes()} nodes and {G.number_of_edges()}" in done.stderr
        H = read(out)
        assert list(H) == list(G)
        assert [k for *_, k in H.edges(keys=True)] == [k for *_, k in G.edges(keys=True)]


def test_a_list_item_holding_the_separator_is_refused_naming_the_first():
    G = industry_network(20, 40, seed=3)
    nodes = list(G)
    G.nodes[nodes[5]]["aliases"] = ["ok", "a|b"]
    G.nodes[nodes[2]]["aliases"] = ["c|d"]
    with pytest.raises(ExportError, match=rf"node '{nodes[2]}' aliases: 'c\|d' contains"):
        to_text(G, "graphml")
    G.nodes[nodes[2]]["aliases"] = ["c;d"]
    with pytest.raises(ExportError, match=rf"node '{nodes[2]}' aliases: 'c;d' contains "
                                          "the array delimiter"):
        neo4j_tables(G)


def test_an_existing_file_is_kept_without_force(synthetic, tmp_path):
    out = tmp_path / "g.graphml"
    out.write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--format", "graphml", "--data",
                                      str(synthetic), "-o", str(out)])
    assert result.exit_code == 1 and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "mine"


def test_csv_without_an_output_is_refused(synthetic):
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--data", str(synthetic)])
    assert result.exit_code == 1
    assert "--format csv writes two files" in result.output


# -- any small graph: what the writer writes, networkx reads back ----------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_ITEM = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|;"),
                min_size=1, max_size=6)
_IDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=6)


@st.composite
def _graphs(draw) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(name=draw(_TEXT))
    ids = draw(st.lists(_IDS, min_size=1, max_size=8, unique=True))
    for n in ids:
        G.add_node(n, label=draw(st.sampled_from(list(schema.NODE_LABELS))), name=draw(_TEXT),
                   aliases=draw(st.lists(_ITEM, max_size=3)))
        if draw(st.booleans()):
            G.nodes[n]["foundedYear"] = draw(st.integers(-10 ** 12, 10 ** 12))
        if draw(st.booleans()):
            G.nodes[n]["insolvent"] = draw(st.booleans())
    for i in range(draw(st.integers(0, 12))):
        u, v = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        G.add_edge(u, v, key=f"r{i}", id=f"r{i}", type=draw(st.sampled_from(
            [t for t in schema.REL_TYPES if t != "PARTY_TO"])), status="active",
            confidence=draw(st.floats(0, 1)), sources=draw(st.lists(_ITEM, max_size=2)),
            evidence=draw(_TEXT))
        if draw(st.booleans()):
            G.edges[u, v, f"r{i}"]["sharePct"] = draw(st.floats(-1e20, 1e20))
    return G


def _expected(G: nx.MultiDiGraph, joined: bool) -> tuple[dict, dict]:
    def plain(d):
        return {k: "|".join(v) if joined and isinstance(v, list) else v for k, v in d.items()}
    return ({n: plain(d) for n, d in G.nodes(data=True)},
            {k: (u, v, plain(d)) for u, v, k, d in G.edges(keys=True, data=True)})


def _same(got: dict, expected: dict) -> bool:
    return got.keys() == expected.keys() and all(
        got[k] == v or (isinstance(v, float) and math.isclose(got[k], v))
        or (v == "" and got[k] is None) for k, v in expected.items())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_graphs())
def test_any_small_graph_reads_back_with_networkx(G):
    frames = from_graph(G)
    assert (frames.n_nodes, frames.n_edges) == (G.number_of_nodes(), G.number_of_edges())
    nodes, edges = _expected(G, joined=True)
    H = nx.read_graphml(io.BytesIO(to_text(G, "graphml").encode("utf-8")),
                        force_multigraph=True)
    assert list(H) == list(G) and H.graph["name"] == G.graph["name"]
    assert all(_same(H.nodes[n], nodes[n]) for n in G)
    got = {d["id"]: (u, v, {k: x for k, x in d.items() if k != "symmetric"})
           for u, v, d in H.edges(data=True)}
    assert got.keys() == edges.keys()
    assert all(got[k][:2] == edges[k][:2] and _same(got[k][2], edges[k][2]) for k in edges)

    J = nx.node_link_graph(json.loads(to_text(G, "json")), edges="edges")
    nodes, edges = _expected(G, joined=False)
    assert list(J) == list(G) and dict(J.nodes(data=True)) == nodes
    assert {k: (u, v, {a: x for a, x in d.items() if a != "symmetric"})
            for u, v, k, d in J.edges(keys=True, data=True)} == edges

    X = nx.read_gexf(io.BytesIO(to_text(G, "gexf").encode("utf-8")))
    assert list(X) == list(G)
    assert X.number_of_edges() == G.number_of_edges()
    assert all(X.nodes[n]["nodeLabel"] == G.nodes[n]["label"] for n in G)
