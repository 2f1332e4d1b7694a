"""The full view built from a large dataset's columns (graph.analysis.arrays): the same
igraph graph as networkx's path, vertex and edge order included, and the same answers from
`analyze centrality` and `analyze communities`."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph import dataset
from graph.analysis import arrays
from graph.analysis.measures import to_igraph
from graph.analysis.views import full_view
from graph.cli import cli
from graph.resources import bundled_dir
from graph.synthetic import industry_network, write_dataset


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return write_dataset(industry_network(2000, 10000, seed=7),
                         tmp_path_factory.mktemp("arrays") / "data")


@pytest.fixture
def tangled(tmp_path) -> Path:
    """The bundled data plus parallel and reversed relations in an awkward file order."""
    folder = tmp_path / "data"
    shutil.copytree(bundled_dir("data"), folder, ignore=shutil.ignore_patterns("*.md"))
    path = folder / "relations.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    extra = []
    for i, (u, v) in enumerate([("bmw", "catl"), ("catl", "bmw"), ("volkswagen-group", "bmw"),
                                ("bmw", "catl"), ("catl", "volkswagen-group"), ("bmw", "xpeng")]):
        extra.append({**rows[0], "id": f"extra-{i}", "type": "PARTNERS_WITH", "source": u,
                      "target": v, "deal": "", "disputedBy": "", "status": "active",
                      "endDate": ""})
    rows = extra[:3] + rows[:40] + extra[3:] + rows[40:]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert graph.validate_dataset(folder) == []
    return folder


@pytest.mark.parametrize("which", ["bundled", "synthetic", "tangled"])
def test_the_columns_give_the_igraph_graph_networkx_gives(which, synthetic, tangled):
    folder = {"bundled": bundled_dir("data"), "synthetic": synthetic, "tangled": tangled}[which]
    A = arrays.full_view_arrays(folder)
    g, nodes = to_igraph(full_view(graph.load_graph(folder)))
    assert list(A.nodes) == nodes
    assert A.graph.get_edgelist() == g.get_edgelist()
    assert A.graph.es["weight"] == g.es["weight"]
    G = graph.load_graph(folder)
    assert all(A.nodes[n] == {k: G.nodes[n].get(k, "") for k in ("label", "name", "country")}
               for n in A.nodes)


def _both(monkeypatch, args: list[str]) -> tuple[str, str]:
    """The output of the columnar path (forced at any size) and of the networkx path."""
    runner = CliRunner()
    monkeypatch.setenv("AUTOGRAPH_CACHE", "off")  # a cached read adds a note to one side
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    built = []
    real = arrays.full_view_arrays
    monkeypatch.setattr(arrays, "full_view_arrays", lambda f: built.append(f) or real(f))
    fast = runner.invoke(cli, args)
    assert fast.exit_code == 0, fast.output
    assert built, "the columnar path was not taken"
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)
    slow = runner.invoke(cli, args)
    assert slow.exit_code == 0, slow.output
    assert fast.stderr == slow.stderr  # the notes
    return fast.stdout, slow.stdout


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_centrality_is_the_same_either_way(which, synthetic, monkeypatch):
    data = ["--data", str(synthetic)] if which == "synthetic" else []
    fast, slow = _both(monkeypatch, ["analyze", "centrality", "--top", "25", *data])
    assert fast == slow  # the table: ranks, ids and values to four places
    fast, slow = _both(monkeypatch, ["analyze", "centrality", "--format", "json", *data])
    fast, slow = json.loads(fast), json.loads(slow)
    # igraph's PageRank and ARPACK differ in the last bits from one run to the next, on
    # either path; everything else is exact
    assert [r["id"] for r in fast] == [r["id"] for r in slow]
    for a, b in zip(fast, slow):
        assert a.keys() == b.keys()
        for key in a:  # pytest >= 9.1 takes no strings in approx
            if isinstance(a[key], float):
                assert a[key] == pytest.approx(b[key], rel=1e-9, abs=1e-15), key
            else:
                assert a[key] == b[key], key


@pytest.mark.parametrize("method", ["louvain", "leiden"])
@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_communities_are_the_same_either_way(which, method, synthetic, monkeypatch):
    data = ["--data", str(synthetic)] if which == "synthetic" else []
    fast, slow = _both(monkeypatch, ["analyze", "communities", "--method", method,
                                     "--format", "json", *data])
    assert json.loads(fast) == json.loads(slow)


def test_selections_weights_and_robustness_take_the_networkx_path(monkeypatch):
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    monkeypatch.setattr(arrays, "full_view_arrays",
                        lambda f: pytest.fail("the columnar view was used"))
    runner = CliRunner()
    for args in (["--country", "DE"], ["--as-of", "2024"], ["--weight", "evidence"],
                 ["--view", "company"], ["--robustness"]):
        result = runner.invoke(cli, ["analyze", "centrality", "--top", "3", *args])
        assert result.exit_code == 0, (args, result.output)
    # a half-life needs evidence weights: the same error whatever the dataset's size
    for command in ("centrality", "communities"):
        result = runner.invoke(cli, ["analyze", command, "--half-life", "5"])
        assert result.exit_code == 1
        assert "a half-life applies to --weight evidence only" in result.output


def test_an_invalid_dataset_is_reported_as_validate_reports_it(tangled, monkeypatch):
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    path = tangled / "relations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",bmw,xpeng,", ",bmw,tesla,"),
                    encoding="utf-8")
    runner = CliRunner()
    analyze = runner.invoke(cli, ["analyze", "centrality", "--data", str(tangled)])
    validate = runner.invoke(cli, ["validate", "--data", str(tangled)])
    assert analyze.exit_code == validate.exit_code == 1
    assert "unknown entity id 'tesla'" in analyze.output
    assert analyze.output == validate.output


def test_community_stability_is_the_same_either_way(synthetic, monkeypatch):
    fast, slow = _both(monkeypatch, ["analyze", "communities", "--stability", "3", "--top", "5",
                                     "--format", "json", "--data", str(synthetic)])
    assert json.loads(fast) == json.loads(slow)
    assert "stability" in json.loads(fast)["rows"][0]


def _around_both(monkeypatch, args: list[str]):
    """The result of a --focus command reading only around the focus (forced at any size)
    and of the whole-graph path."""
    from graph import columnar

    runner = CliRunner()
    monkeypatch.setenv("AUTOGRAPH_CACHE", "off")  # a cached read adds a note to one side
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    read = []
    real = columnar.read_around
    monkeypatch.setattr(columnar, "read_around", lambda *a: read.append(a) or real(*a))
    fast = runner.invoke(cli, args)
    assert read, "the part around the focus was not read from the columns"
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)
    slow = runner.invoke(cli, args)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (slow.exit_code, slow.stdout,
                                                          slow.stderr)
    return fast


FOCUS_CASES = [
    # (which data, focus, extra options)
    ("bundled", "catl", ["--hops", "2"]),
    ("bundled", "VW", ["--hops", "1"]),  # an alias
    ("bundled", "deal-vw-catl-battery", ["--hops", "2"]),  # a deal: its parties are near
    ("bundled", "Volkswagen-CATL battery letter of intent", ["--hops", "1"]),  # a deal's name
    ("bundled", "bmw", ["--hops", "3", "--rel-type", "PARTNERS_WITH,JOINT_VENTURE"]),
    ("bundled", "belgium", ["--hops", "2", "--direction", "in", "--as-of", "2024"]),
    ("bundled", "volkswagen-group", ["--hops", "0"]),
    # covestro and neste within reach, their relation's deal (and its third party) not
    ("bundled", "tyre-chemical-recycling", ["--hops", "1"]),
    ("bundled", "catl", ["--hops", "2", "--min-reliability", "B", "--status", "active"]),
    ("tangled", "bmw", ["--hops", "2", "--direction", "out"]),
    ("synthetic", "company-3", ["--hops", "2"]),
    ("synthetic", "company-3", ["--hops", "1", "--label", "Company,Plant"]),
]


@pytest.mark.parametrize("which, focus, options", FOCUS_CASES)
def test_a_focus_read_from_the_columns_gives_the_same_export(which, focus, options, synthetic,
                                                             tangled, monkeypatch, tmp_path):
    folder = {"bundled": bundled_dir("data"), "synthetic": synthetic, "tangled": tangled}[which]
    result = _around_both(monkeypatch, ["export", "--data", str(folder), "--focus", focus,
                                        *options, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["nodes"]
    for fmt in ("graphml", "csv"):  # the other writers see the same graph
        out = tmp_path / f"{which}-{fmt}"
        _around_both(monkeypatch, ["export", "--data", str(folder), "--focus", focus,
                                   *options, "--format", fmt, "-o", str(out), "--force"])


def test_a_focus_read_from_the_columns_fails_as_the_whole_graph_fails(monkeypatch):
    unknown = _around_both(monkeypatch, ["export", "--focus", "catll", "--format", "json"])
    assert unknown.exit_code == 1 and "catl" in unknown.output  # the close match is offered
    excluded = _around_both(monkeypatch, ["export", "--focus", "catl", "--label", "Plant",
                                          "--format", "json"])
    assert excluded.exit_code == 1 and "excluded" in excluded.output
    # an invalid option is reported before an unknown focus, on both paths
    for options, message in [(["--label", "Foo"], "Foo"), (["--since", "20x"], "--since"),
                             (["--source", "zzz"], "unknown source"),
                             (["--hops", "-1"], "hops must be 0 or more"),
                             (["--min-confidence", "2"], "min-confidence")]:
        both = _around_both(monkeypatch, ["export", "--focus", "nosuch", *options,
                                          "--format", "json"])
        assert both.exit_code != 0 and message in both.output, (options, both.output)
    sourced = _around_both(monkeypatch, ["export", "--focus", "catl", "--source", "001",
                                         "--format", "json"])
    assert sourced.exit_code == 0 and '"catl"' in sourced.stdout


def test_map_and_analyze_read_only_around_the_focus(monkeypatch, tmp_path):
    result = _around_both(monkeypatch, ["analyze", "centrality", "--focus", "catl", "--hops",
                                        "2", "--top", "5"])
    assert result.exit_code == 0 and "catl" in result.stdout
    for name in ("a", "b"):
        monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0 if name == "a" else 10 ** 12)
        result = CliRunner().invoke(cli, ["map", "--focus", "catl", "--hops", "2", "-o",
                                          str(tmp_path / f"{name}.html")])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def _snapshot(G):
    """Everything of a graph, in order, with the type of every value."""
    def items(d):
        return [(k, v, type(v)) for k, v in d.items()]
    return (items(G.graph), [(n, items(d)) for n, d in G.nodes(data=True)],
            [(u, v, k, items(d)) for u, v, k, d in G.edges(keys=True, data=True)],
            [(n, list(G._pred[n])) for n in G])


@pytest.mark.parametrize("which", ["bundled", "synthetic", "tangled"])
def test_the_graph_built_from_the_columns_is_the_graph_of_the_records(which, synthetic,
                                                                      tangled):
    from graph.backends.networkx import read_graph, to_networkx

    folder = {"bundled": bundled_dir("data"), "synthetic": synthetic, "tangled": tangled}[which]
    G = read_graph(folder)
    assert _snapshot(G) == _snapshot(to_networkx(graph.load_dataset(folder)))
    if which == "bundled":  # relation properties, deal dates inherited, lists
        assert any(d.get("deal") and d["type"] != "PARTY_TO" for *_, d in G.edges(data=True))
        assert G.edges["catl", "volkswagen-group", "catl-supplies-vw"]["supplyYearsMin"] == 5


def test_load_graph_builds_a_large_dataset_from_its_columns(tangled, monkeypatch):
    from graph.backends import networkx as backend

    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    built = []
    real = backend.read_graph
    monkeypatch.setattr(backend, "read_graph", lambda f: built.append(f) or real(f))
    G = graph.load_graph(tangled)
    assert built and G.has_edge("bmw", "catl", "extra-0")
    broken = tangled / "relations.csv"  # invalid: the reader's message, not a None graph
    broken.write_text(broken.read_text(encoding="utf-8").replace(",bmw,xpeng,", ",bmw,tesla,"),
                      encoding="utf-8")
    with pytest.raises(graph.DataValidationError, match="unknown entity id 'tesla'"):
        graph.load_graph(tangled)


def _floats_close(a, b) -> None:
    """Equal, floats to 1e-9 (igraph's PageRank and ARPACK vary in the last bits run to run,
    and networkx sums Burt's constraint over a set, whose order varies with the hash seed)."""
    if isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-15)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _floats_close(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _floats_close(x, y)
    else:
        assert a == b


@pytest.mark.parametrize("which, entity", [("bundled", "catl"), ("bundled", "VW"),
                                           ("synthetic", "company-3"),
                                           ("tangled", "bmw")])
def test_role_from_the_columns_is_the_role_from_the_graph(which, entity, synthetic, tangled,
                                                          monkeypatch):
    from graph import columnar

    folder = {"bundled": bundled_dir("data"), "synthetic": synthetic, "tangled": tangled}[which]
    args = ["analyze", "role", entity, "--data", str(folder)]
    read = []
    real = columnar.read_around
    monkeypatch.setattr(columnar, "read_around", lambda *a: read.append(a) or real(*a))
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    fast = [CliRunner().invoke(cli, args + ["--format", f]) for f in ("json", "table")]
    assert read, "the role was not computed from the columns"
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)
    slow = [CliRunner().invoke(cli, args + ["--format", f]) for f in ("json", "table")]
    assert all(r.exit_code == 0 for r in fast + slow), [r.output for r in fast + slow]
    _floats_close(json.loads(fast[0].stdout), json.loads(slow[0].stdout))
    assert fast[1].stdout == slow[1].stdout  # the table: ranks and rounded values


def test_role_from_the_columns_fails_as_the_graph_fails(monkeypatch):
    for entity, message in (("catll", "catl"), ("deal-vw-catl-battery", "is a Deal")):
        results = []
        for size in (0, 10 ** 12):
            monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", size)
            results.append(CliRunner().invoke(cli, ["analyze", "role", entity]))
        assert results[0].exit_code == results[1].exit_code == 1
        assert results[0].output == results[1].output and message in results[0].output
