"""Evidence weights and robustness (issue 16) on small hand-computed graphs."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner
from pytest import approx

import graph
from graph import schema
from graph.analysis import make_view
from graph.analysis.evidence import (evidence_weight, independence, recency, relation_sources,
                                     weighted)
from graph.analysis.measures import AnalysisError
from graph.analysis.robustness import co_assignment, finding, robustness, weighted_view
from graph.cli import cli

REGISTRY = {"s1": {"reliability": "A"}, "s2": {"reliability": "D"}, "s3": {"reliability": "F"},
            "s4": {"reliability": "B", "date": "2019-12-31"}}


def _graph(edges) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(sources=REGISTRY)
    for u, v, data in edges:
        for n in (u, v):
            G.add_node(n, label="Company", name=n.upper())
        G.add_edge(u, v, **{"type": "PARTNERS_WITH", "confidence": 1.0, **data})
    return G


def test_reliability_weights_cover_every_grade_in_order():
    assert set(schema.RELIABILITY_WEIGHT) == set(schema.RELIABILITY)
    graded = [schema.RELIABILITY_WEIGHT[g] for g in "ABCDE"]
    assert graded == sorted(graded, reverse=True)


@pytest.mark.parametrize("data, expected", [
    ({"confidence": 1.0, "sources": ("s1",)}, 1.0 * 1.0 * 0.5),          # one A source
    ({"confidence": 0.8, "sources": ("s1", "s2")}, 0.8 * 1.0 * 0.75),    # best grade, two
    ({"confidence": 1.0, "sources": ("s2", "s2")}, 0.4 * 0.5),           # distinct sources
    ({"confidence": 1.0, "sources": ("s3",)}, 0.5 * 0.5),                # F: cannot be judged
    ({"confidence": 1.0, "sources": ("s2", "s3")}, 0.5 * 0.75),          # F is worth more than D
    ({"confidence": 1.0, "sources": ("nowhere",)}, 0.5 * 0.5),           # ungraded as F
    ({"confidence": 1.0, "sources": ("s1",), "disputedBy": ("s2",)}, 0.5 * 0.5),
    ({"confidence": 1.0, "sources": ("s1",), "disputedBy": ("s2", "s3")}, 0.5 * 0.25),
    ({"confidence": 0.9, "sources": ()}, 0.0),
])
def test_evidence_weight_components(data, expected):
    assert evidence_weight(_graph([]), data) == approx(expected)


def test_a_further_source_never_lowers_the_weight():
    for graded in REGISTRY:
        for extra in REGISTRY:
            if extra != graded:
                one = {"confidence": 1.0, "sources": (graded,)}
                two = {"confidence": 1.0, "sources": (graded, extra)}
                assert evidence_weight(_graph([]), two) > evidence_weight(_graph([]), one)


def test_independence_and_recency():
    assert [independence(n) for n in range(4)] == [0.0, 0.5, 0.75, 0.875]
    assert recency(0, 5) == 1.0 and recency(5, 5) == 0.5 and recency(-3, 5) == 1.0
    with pytest.raises(AnalysisError, match="half-life must be positive"):
        recency(1, 0)


def test_recency_against_as_of_and_source_dates():
    G = _graph([])
    dated = {"confidence": 1.0, "sources": ("s1",), "date": "2014-12-31"}
    # 2014-12-31 to the end of 2024: ten years (and two leap days) -> a quarter
    assert evidence_weight(G, dated, half_life=5, as_of="2024") == approx(0.5 * 0.25, rel=1e-3)
    # undated relation: dated by its source s4 (2019-12-31), five years before 2024-12-31
    by_source = {"confidence": 1.0, "sources": ("s4",)}
    assert evidence_weight(G, by_source, half_life=5, as_of="2024-12-31") == approx(
        0.8 * 0.5 * 0.5, rel=1e-3)
    undated = {"confidence": 1.0, "sources": ("s1",)}
    assert evidence_weight(G, undated, half_life=5, as_of="2024") == 0.5
    # a relation after the reference is not decayed (nor boosted)
    assert evidence_weight(G, dated, half_life=5, as_of="2010") == 0.5


def test_leaving_a_source_out_reweights_and_drops_relations():
    data = {"confidence": 1.0, "sources": ("s2", "s1")}
    G = _graph([("a", "b", data), ("a", "c", {"sources": ("s1",)})])
    assert evidence_weight(G, data, without=("s1",)) == approx(0.4 * 0.5)
    H = weighted(G, "evidence", without=("s1",))
    assert list(H.edges(data="weight")) == [("a", "b", approx(0.2))]
    assert set(weighted(G, "count", without=("s1",)).edges()) == {("a", "b")}
    assert relation_sources(G) == ["s1", "s2"]


def test_views_sum_evidence_weights_per_pair():
    G = _graph([("a", "b", {"sources": ("s1",)}),
                ("b", "a", {"confidence": 0.8, "sources": ("s1", "s2"), "type": "SUPPLIES"})])
    assert make_view(weighted(G, "evidence"), "full")["a"]["b"]["weight"] == approx(0.5 + 0.6)
    assert make_view(weighted(G, "count"), "full")["a"]["b"]["weight"] == 2


def test_company_view_shared_item_takes_the_weaker_link():
    G = _graph([])
    G.add_nodes_from(["a", "b"], label="Company")
    G.add_node("t", label="Technology", name="T")
    G.add_edge("a", "t", type="DEVELOPS", confidence=1.0, sources=("s1",))    # 0.5
    G.add_edge("b", "t", type="USES_TECHNOLOGY", confidence=1.0, sources=("s2",))  # 0.2
    V = make_view(weighted(G, "evidence"), "company")
    assert V["a"]["b"]["weight"] == approx(0.2)
    assert make_view(G, "company")["a"]["b"]["weight"] == 1


def test_count_weight_changes_nothing():
    G = graph.load_graph()
    for view in ("full", "company"):
        plain, counted = make_view(G, view), weighted_view(G, view, "count")
        assert sorted(plain.edges(data="weight")) == sorted(counted.edges(data="weight"))
        explicit = make_view(weighted(G, "count"), view)
        assert sorted(plain.edges(data="weight")) == sorted(explicit.edges(data="weight"))


def test_half_life_needs_evidence_and_weight_must_be_known():
    with pytest.raises(AnalysisError, match="half-life applies to --weight evidence only"):
        weighted(_graph([]), "count", half_life=5)
    with pytest.raises(AnalysisError, match="unknown weight 'votes'"):
        weighted(_graph([]), "votes")


# Leave-one-source-out on a hand-ranked graph (degree, ties by id):
#   s1: h-a, h-b, h-c        s2: x-a, x-b
# degrees h 3, a 2, b 2, x 2, c 1        -> h 1st, a 2nd, b 3rd, x 4th, c 5th
# without s1: x 2, a 1, b 1, c 0, h 0    -> x 1st, h 5th
# without s2: h 3, a 1, b 1, c 1, x 0    -> h 1st, x 5th
ROBUST = [("h", "a", {"sources": ("s1",)}), ("h", "b", {"sources": ("s1",)}),
          ("h", "c", {"sources": ("s1",)}), ("x", "a", {"sources": ("s2",)}),
          ("x", "b", {"sources": ("s2",)})]


def test_leave_one_source_out_ranges_and_attribution():
    result = robustness(_graph(ROBUST), "degree")
    x, h = result["x"], result["h"]
    assert x["rank"] == 4 and x["withoutSource"] == {"s1": 1, "s2": 5}
    assert x["dependsOn"] == "s1" and x["rankWithout"] == 1 and x["range"] == [1, 5]
    assert h["rank"] == 1 and h["withoutSource"] == {"s1": 5, "s2": 1}
    assert h["dependsOn"] == "s1" and h["rankWithout"] == 5 and h["range"] == [1, 5]
    assert x["perturbed"] == [4, 4]   # degree ignores weights
    assert finding("X", "degree", x) == "without s1, X rises from 4th to 1st by degree"
    assert finding("H", "degree", h) == "without s1, H drops from 1st to 5th by degree"


def test_a_rank_no_source_moves_is_said_so():
    G = _graph([("a", "b", {"sources": ("s1", "s2")}), ("a", "c", {"sources": ("s1", "s2")})])
    a = robustness(G, "degree")["a"]
    assert a["dependsOn"] is None and a["range"] == [1, 1]
    assert finding("A", "degree", a) == ("A ranks 1st by degree; leaving out any one source "
                                         "does not change that")


def test_weight_and_perturbation_ranges():
    # a-b by two A sources (0.75), c-d by one D source (0.2): equal by count, a/b ahead by
    # evidence. PageRank is equal within each pair, so ranks go by id.
    G = _graph([("a", "b", {"sources": ("s1", "s4")}), ("c", "d", {"sources": ("s2",)}),
                ("a", "e", {"sources": ("s2",)}), ("c", "f", {"sources": ("s1", "s4")})])
    result = robustness(G, "pagerank", weight="evidence", perturbations=0)
    assert result["a"]["byWeight"]["count"] == result["c"]["byWeight"]["count"] - 1
    unperturbed = robustness(G, "pagerank", weight="evidence", epsilon=0.0, perturbations=5)
    assert all(e["perturbed"] == [e["rank"], e["rank"]] for e in unperturbed.values())
    again = robustness(G, "pagerank", weight="evidence", perturbations=5, seed=3)
    assert again == robustness(G, "pagerank", weight="evidence", perturbations=5, seed=3)
    assert all(e["range"][0] <= e["perturbed"][0] <= e["perturbed"][1] <= e["range"][1]
               for e in again.values())


def test_count_and_evidence_ranks_differ_where_the_weights_do():
    # c has three links, each from one D source (0.2 each); b has two, each from an A and a
    # B source (0.75 each). By count c leads PageRank; by evidence b does and c falls to 3rd.
    weak, strong = {"sources": ("s2",)}, {"sources": ("s1", "s4")}
    G = _graph([("a", "b", strong), ("b", "f", strong), ("a", "c", weak), ("c", "d", weak),
                ("c", "e", weak)])
    by_evidence = robustness(G, "pagerank", weight="evidence", perturbations=0)
    by_count = robustness(G, "pagerank", weight="count", perturbations=0)
    assert by_count["c"]["rank"] == 1 and by_evidence["c"]["rank"] == 3
    assert by_evidence["b"]["rank"] == 1
    for n in G:  # each report's other-weight column is the other report's rank
        assert by_evidence[n]["byWeight"] == {"count": by_count[n]["rank"],
                                              "evidence": by_evidence[n]["rank"]}
        assert by_count[n]["byWeight"] == by_evidence[n]["byWeight"]
    assert by_evidence["c"]["range"][0] <= 1 and by_evidence["c"]["range"][1] >= 3


def test_co_assignment_of_two_triangles_is_stable():
    V = nx.Graph()
    V.add_weighted_edges_from([("a", "b", 1), ("b", "c", 1), ("a", "c", 1),
                               ("x", "y", 1), ("y", "z", 1), ("x", "z", 1), ("c", "x", 0.1)])
    result = co_assignment(V, "a", seeds=5)
    assert result["stability"] == 1.0
    assert result["coAssigned"] == {"b": 1.0, "c": 1.0}


def test_cli_weight_count_is_the_default():
    runner = CliRunner()
    plain = runner.invoke(cli, ["analyze", "centrality", "--format", "json"])
    counted = runner.invoke(cli, ["analyze", "centrality", "--format", "json", "--weight", "count"])
    assert plain.exit_code == counted.exit_code == 0
    # eigenvector centrality (ARPACK, random start) varies in the last digits between runs
    rows, again = json.loads(plain.output), json.loads(counted.output)
    assert [r["id"] for r in rows] == [r["id"] for r in again]
    assert [{k: approx(v, rel=1e-9) if isinstance(v, float) else v for k, v in r.items()}
            for r in rows] == again
    evidence = runner.invoke(cli, ["analyze", "centrality", "--format", "json", "--weight",
                                   "evidence"])
    assert evidence.exit_code == 0 and evidence.output != plain.output
    com = runner.invoke(cli, ["analyze", "communities", "--weight", "evidence", "--half-life",
                              "5", "--as-of", "2025"])
    assert com.exit_code == 0, com.output and "modularity" in com.output


def test_cli_half_life_with_count_is_an_error():
    result = CliRunner().invoke(cli, ["analyze", "centrality", "--half-life", "5"])
    assert result.exit_code == 1
    assert "Error: a half-life applies to --weight evidence only" in result.output


def test_cli_role_robustness_matches_the_library():
    G = graph.load_graph()
    expected = robustness(G, "pagerank", weight="evidence", nodes=["catl"])["catl"]
    result = CliRunner().invoke(cli, ["analyze", "role", "catl", "--weight", "evidence",
                                      "--robustness"])
    assert result.exit_code == 0, result.output
    assert finding("CATL", "pagerank", expected) in result.output
    assert "community stability" in result.output
    as_json = CliRunner().invoke(cli, ["analyze", "role", "catl", "--weight", "evidence",
                                       "--robustness", "--format", "json"])
    report = json.loads(as_json.output)
    assert report["robustness"]["pagerank"]["range"] == expected["range"]
    assert report["weight"] == "evidence"


def test_cli_centrality_robustness_column():
    G = graph.load_graph()
    expected = robustness(G, "degree")
    result = CliRunner().invoke(cli, ["analyze", "centrality", "--measure", "degree", "--top",
                                      "3", "--robustness", "--format", "json"])
    assert result.exit_code == 0, result.output
    for row in json.loads(result.output):
        entry = expected[row["id"]]
        assert row["robustness"] == "{}-{}".format(*entry["range"])
        assert row["dependsOn"].startswith(entry["dependsOn"] or "")


def test_community_stability_by_hand():
    from graph.analysis.robustness import community_stability

    V = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"),
                  ("c", "x")])
    V.add_node("q")
    # the two triangles are always found; a "community" split across them is not
    assert community_stability(V, [["a", "b", "c"], ["c", "x"], ["q"]], seeds=4) == [
        1.0, 0.0, 1.0]


def test_cli_communities_stability_column():
    result = CliRunner().invoke(cli, ["analyze", "communities", "--stability", "3", "--format",
                                      "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert rows and all(0.0 <= r["stability"] <= 1.0 for r in rows)
    plain = CliRunner().invoke(cli, ["analyze", "communities"])
    assert "stability" not in plain.output


def test_map_size_by_evidence_follows_the_evidence_weights():
    from graph.viz.maps import map_data

    # a: two strong relations (A and B sources); b: two weak ones (D); c: one of each side
    G = _graph([("a", "x", {"sources": ("s1", "s4")}), ("a", "y", {"sources": ("s1", "s4")}),
                ("b", "x", {"sources": ("s2",)}), ("b", "y", {"sources": ("s2",)})])
    sizes = {n["key"]: n["size"] for n in map_data(G, size_by="evidence")["nodes"]}
    by_degree = {n["key"]: n["size"] for n in map_data(G, size_by="degree")["nodes"]}
    assert by_degree["a"] == by_degree["b"]
    assert sizes["a"] > sizes["b"]


def test_cli_map_size_by_evidence(tmp_path):
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli, ["map", "--size-by", "evidence", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_cli_role_as_of_and_half_life():
    runner = CliRunner()
    old = runner.invoke(cli, ["analyze", "role", "volkswagen-group", "--as-of", "2023-06",
                              "--format", "json"])
    now = runner.invoke(cli, ["analyze", "role", "volkswagen-group", "--format", "json"])
    assert old.exit_code == now.exit_code == 0, old.output
    count = lambda out: sum(len(v) for v in json.loads(out)["relations"].values())  # noqa: E731
    assert count(old.output) < count(now.output)
    decayed = runner.invoke(cli, ["analyze", "role", "volkswagen-group", "--weight", "evidence",
                                  "--half-life", "2", "--as-of", "2026", "--format", "json"])
    assert decayed.exit_code == 0, decayed.output
    assert json.loads(decayed.output)["weight"] == "evidence"
