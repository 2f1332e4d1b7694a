"""Analysis on small graphs with hand-computed answers, reproducibility, and the reports."""

from __future__ import annotations

import json
import os
import random

import networkx as nx
import pytest
from click.testing import CliRunner
from pytest import approx

import graph
from graph.analysis import (AnalysisError, betweenness_centrality, burt_constraint, centrality,
                            cluster, communities, company_view, degree_centrality,
                            effective_size, eigenvector_centrality, full_view, make_view,
                            modularity, pagerank, role)
from graph.cli import cli
from graph.synthetic import industry_network


def _weighted(G: nx.Graph) -> nx.Graph:
    nx.set_edge_attributes(G, 1, "weight")
    return G


# -- measures on four-node graphs, answers computed by hand -------------------------------------

def test_degree_on_a_star():
    # star: hub linked to all 3 others -> 3/3; leaves -> 1/3
    assert degree_centrality(_weighted(nx.star_graph(3))) == approx({0: 1, 1: 1 / 3, 2: 1 / 3,
                                                                      3: 1 / 3})


def test_betweenness_on_a_path():
    # path 0-1-2-3: node 1 lies on (0,2),(0,3) -> 2 of the 3 pairs not involving it
    P = _weighted(nx.path_graph(4))
    assert betweenness_centrality(P) == approx({0: 0, 1: 2 / 3, 2: 2 / 3, 3: 0})


def test_sampled_betweenness_is_seeded_and_close():
    G = full_view(industry_network(400, 1600, seed=3))
    exact = betweenness_centrality(G)
    a = betweenness_centrality(G, k=200, seed=1)
    b = betweenness_centrality(G, k=200, seed=1)
    assert a == b
    top = sorted(exact, key=exact.get, reverse=True)[:5]
    assert set(top) & set(sorted(a, key=a.get, reverse=True)[:10])


def test_pagerank_on_a_star_matches_networkx():
    S = _weighted(nx.star_graph(3))
    # h = 0.15/4 + 0.85 * 3l and l = 0.15/4 + 0.85 * h/3  ->  h = 0.133125 / 0.2775
    assert pagerank(S) == approx(nx.pagerank(S), abs=1e-6)
    assert pagerank(S)[0] == approx(0.133125 / 0.2775, abs=1e-9)
    assert pagerank(S)[1] == approx((1 - 0.133125 / 0.2775) / 3, abs=1e-9)


def test_eigenvector_on_a_path():
    # path of 4: eigenvector of the largest eigenvalue (golden ratio) is (1, phi, phi, 1)
    phi = (1 + 5 ** 0.5) / 2
    assert eigenvector_centrality(_weighted(nx.path_graph(4))) == approx(
        {0: 1 / phi, 1: 1.0, 2: 1.0, 3: 1 / phi}, abs=1e-6)


def test_eigenvector_undefined_and_disconnected_messages():
    empty = nx.Graph()
    empty.add_nodes_from([1, 2])
    with pytest.raises(AnalysisError, match="undefined on a graph without relations"):
        eigenvector_centrality(empty)
    two = _weighted(nx.Graph([(1, 2), (3, 4), (4, 5)]))
    _, notes = centrality(two, ("eigenvector",))
    assert notes == ["the graph has 2 components: eigenvector centrality is zero outside the "
                     "dominant one"]


def test_burt_constraint_and_effective_size_on_a_star():
    S = _weighted(nx.star_graph(3))
    # hub: three unconnected contacts, each 1/3 of its ties -> constraint 3*(1/3)^2 = 1/3
    assert burt_constraint(S)[0] == approx(1 / 3)
    assert effective_size(S)[0] == approx(3.0)
    T = _weighted(nx.complete_graph(4))
    # in a clique every contact is redundant: effective size n - 1 - 2t/n = 3 - 2 = 1
    assert effective_size(T)[0] == approx(1.0)


def test_communities_on_two_triangles():
    G = _weighted(nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]))
    for method in ("louvain", "leiden"):
        part = communities(G, method, seed=1)
        assert part.communities == [[0, 1, 2], [3, 4, 5]]
        # m = 7; each triangle: 3 inner edges, degree sum 7 -> 2*(3/7 - (7/14)^2) = 0.3571
        assert part.modularity == approx(2 * (3 / 7 - 0.25), abs=1e-9)
        assert modularity(G, part.communities) == approx(part.modularity)


def test_a_graph_without_weight_has_modularity_zero_not_nan():
    G = nx.Graph([(0, 1), (2, 3)])
    nx.set_edge_attributes(G, 0, "weight")
    assert modularity(G, [[0, 1], [2, 3]]) == 0.0
    for method in ("louvain", "leiden"):
        assert communities(G, method).modularity == 0.0


def test_communities_are_reproducible_under_a_seed():
    G = full_view(industry_network(2000, 8000, seed=5))
    for method in ("louvain", "leiden"):
        a, b = communities(G, method, seed=11), communities(G, method, seed=11)
        assert a.communities == b.communities and a.modularity == b.modularity
        assert a.modularity > 0.3


def test_the_igraph_conversion_is_cached():
    from graph.analysis import to_igraph
    G = _weighted(nx.path_graph(4))
    assert to_igraph(G)[0] is to_igraph(G)[0]
    G.add_edge(3, 4, weight=1)
    assert to_igraph(G)[0].vcount() == 5


# -- views ---------------------------------------------------------------------------------------

def test_company_view_folds_plants_and_shared_technologies(G):
    V = company_view(G)
    assert {d["label"] for _, d in V.nodes(data=True)} == {"Company", "Organization"}
    # PACCAR supplies DAF's Temse plant -> PACCAR-DAF link (also OWNS, PARTNERS_WITH)
    assert V["paccar"]["daf-trucks"]["weight"] >= 3
    assert "SUPPLIES" in V["paccar"]["daf-trucks"]["types"]
    # Volvo's Gent plant and Geely share the SEA platform
    assert "shares Technology" in V["volvo-cars"]["geely"]["types"]
    # Audi (through its Brussels plant) and Skoda both use MEB
    assert "shares Technology" in V["audi"]["skoda"]["types"]


def test_views_take_the_shared_filters(G):
    V = make_view(graph.select(G, as_of="2025-03", countries=("DE", "CN")), "company")
    assert "rivian" not in V and ("volkswagen-group", "catl") in V.edges
    # the VW-CATL relations are known from an article of 2025-02 at the earliest
    earlier = make_view(graph.select(G, as_of="2024-12", countries=("DE", "CN")), "company")
    assert ("volkswagen-group", "catl") not in earlier.edges


# -- reports on the bundled data ------------------------------------------------------------------

def test_catl_role(G):
    r = role(G, "Contemporary Amperex Technology")
    assert r["id"] == "catl"
    types_to_vw = {t for t, rows in r["relations"].items() for row in rows
                   if row["counterpart"] == "volkswagen-group"}
    assert {"SUPPLIES", "SIGNED_MOU"} <= types_to_vw
    assert r["relations"]["SUPPLIES"][0]["sources"] == ["001_a3af7357bdf967bf"]
    assert r["ranks"]["degree"]["rank"] <= 4 and r["ranks"]["eigenvector"]["rank"] <= 2
    assert r["countries"]["DE"] >= 4
    assert r["brokerage"]["effectiveSize"] > 1


def test_flemish_hub(G):
    c = cluster(G, "flanders")
    plants = {p["id"]: p for p in c["plants"]}
    # article 000 puts a DAF plant in Temse, in Belgium; the reference's Westerlo is in Flanders
    assert set(plants) == {"plant-volvo-gent", "plant-audi-brussels", "plant-daf-westerlo"}
    assert plants["plant-volvo-gent"]["operators"] == ["volvo-cars"]
    assert plants["plant-volvo-gent"]["technologies"] == ["geely-sea"]
    companies = {x["id"]: x for x in c["companies"]}
    assert companies["volvo-cars"]["partnersOutside"] == ["geely"]
    assert companies["daf-trucks"]["partnersOutside"] == ["paccar"]
    assert c["figures"] == {"supplierCountMin": 300}


def test_role_of_a_plant_in_the_company_view_is_explained(G):
    with pytest.raises(AnalysisError, match="'plant-volvo-gent' is a Plant; the company view"):
        role(G, "plant-volvo-gent", view="company")


# -- CLI -----------------------------------------------------------------------------------------

def test_cli_centrality_table_json_csv():
    table = CliRunner().invoke(cli, ["analyze", "centrality", "--top", "3"])
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[2].split()[:2] == ["1", "volkswagen-group"]
    data = json.loads(CliRunner().invoke(cli, ["analyze", "centrality", "--measure", "pagerank",
                                               "--format", "json", "--view", "company"]).output)
    assert data[0]["id"] == "volkswagen-group" and set(data[0]) >= {"rank", "pagerank"}
    csv_out = CliRunner().invoke(cli, ["analyze", "centrality", "--format", "csv", "--top", "2",
                                       "--measure", "degree"]).output
    assert csv_out.splitlines()[0] == "rank,id,name,label,country,degree"


def test_cli_communities():
    result = CliRunner().invoke(cli, ["analyze", "communities", "--method", "leiden",
                                      "--seed", "3", "--format", "json"])
    data = json.loads(result.output)
    assert data["method"] == "leiden" and data["seed"] == 3 and 0 < data["modularity"] < 1
    again = json.loads(CliRunner().invoke(cli, ["analyze", "communities", "--method", "leiden",
                                                "--seed", "3", "--format", "json"]).output)
    assert again == data


def test_cli_role_and_cluster():
    role_out = CliRunner().invoke(cli, ["analyze", "role", "catl"])
    assert role_out.exit_code == 0
    assert role_out.output.startswith("CATL (catl, Company, CN), full view\n")
    assert ["SUPPLIES", "out", "volkswagen-group"] in [
        line.split()[:3] for line in role_out.output.splitlines()]
    cluster_out = CliRunner().invoke(cli, ["analyze", "cluster", "Flandern", "--format", "json"])
    assert {p["id"] for p in json.loads(cluster_out.output)["plants"]} >= {
        "plant-volvo-gent", "plant-audi-brussels"}


@pytest.mark.parametrize("args,message", [
    (["role", "Volkswagn"], "Error: unknown entity 'Volkswagn'; did you mean volkswagen-group?\n"),
    (["cluster", "Flandres"], "Error: unknown entity 'Flandres'; did you mean flanders, finland?\n"),
    (["cluster", "catl"], "Error: 'catl' is a Company, not a Region or Country\n"),
])
def test_cli_unknown_entities(args, message):
    result = CliRunner().invoke(cli, ["analyze", *args])
    assert (result.exit_code, result.output) == (1, message)


def test_seeded_algorithms_leave_the_global_random_state_alone():
    import random
    random.seed(123)
    expected = random.random()
    random.seed(123)
    communities(full_view(industry_network(300, 900, seed=1)), "louvain", seed=5)
    assert random.random() == expected


def test_summary_date_range_is_that_of_a_stable_sort_by_start():
    """Ties (2024, 2024-01, 2024-01-01 start on one day): the earliest first met, the latest
    last met, as sorting every date by its first day would give."""
    import random

    from graph.analysis.summary import summarize
    from graph.dataset import date_start

    rng = random.Random(1)
    choices = ["", "2024", "2024-01", "2024-01-01", "2023-12-31", "2025", "2025-12",
               "2025-12-31", "2025-12-01"]
    for _ in range(300):
        G = nx.MultiDiGraph()
        for _ in range(rng.randint(0, 12)):
            G.add_edge(rng.randint(0, 5), rng.randint(0, 5), date=rng.choice(choices),
                       type="SUPPLIES", status="active", sources=[])
        dates = [d["date"] for *_, d in G.edges(data=True)]
        dated = sorted((x for x in dates if x), key=date_start)
        summary = summarize(G)
        assert summary["dateRange"] == ([dated[0], dated[-1]] if dated else None)
        assert summary["undated"] == len(dates) - len(dated)


def _forks(monkeypatch):
    """Sampled betweenness split from 1,000 nodes on; the children made, with their pids and
    whether their result came back."""
    from graph.analysis import measures

    if not hasattr(os, "fork"):
        pytest.skip("no os.fork here: both parts run in this process")
    monkeypatch.setattr(measures, "SPLIT_BETWEENNESS_MIN_NODES", 1000)
    monkeypatch.setattr(measures, "_cores", lambda: 2)  # a child even on a one-core runner
    made = []

    class Recorded(measures._Forked):
        def __init__(self, *args):
            super().__init__(*args)
            self.started, self.returned = self.pid, None
            made.append(self)

        def result(self):
            self.returned = super().result()
            return self.returned
    monkeypatch.setattr(measures, "_Forked", Recorded)
    return measures, made


def test_a_large_sampled_betweenness_is_the_same_on_one_core_or_two(monkeypatch):
    measures, made = _forks(monkeypatch)
    G = full_view(industry_network(3000, 12000, seed=3))
    two = betweenness_centrality(G, k=60, seed=5)
    assert len(made) == 1 and made[0].started and made[0].returned is not None
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(made[0].started, os.WNOHANG)
    monkeypatch.setattr(measures, "_cores", lambda: 1)
    assert betweenness_centrality(G, k=60, seed=5) == two and len(made) == 1
    # one igraph call over all the sources adds in another order: equal to the last bits
    monkeypatch.setattr(measures, "SPLIT_BETWEENNESS_MIN_NODES", 10 ** 9)
    whole = betweenness_centrality(G, k=60, seed=5)
    assert list(whole) == list(two) and max(two.values()) > 0
    assert all(two[n] == approx(whole[n], rel=1e-12, abs=1e-15) for n in whole)


def test_a_failing_measure_stops_the_betweenness_child(monkeypatch):
    measures, made = _forks(monkeypatch)
    G = full_view(industry_network(3000, 12000, seed=3))

    def fails(_):
        raise AnalysisError("did not converge")
    monkeypatch.setitem(measures.MEASURES, "eigenvector", fails)
    monkeypatch.setattr(measures, "EXACT_BETWEENNESS_MAX_NODES", 1000)  # sampled
    with pytest.raises(AnalysisError):
        centrality(G, ("betweenness", "eigenvector"))
    assert len(made) == 1 and made[0].pid is None
    with pytest.raises(ChildProcessError):  # killed and reaped: no process left behind
        os.waitpid(made[0].started, os.WNOHANG)


def test_eigenvector_centrality_is_the_same_every_time():
    # ARPACK starts from a random vector: igraph's generator is seeded for it
    from graph.analysis import eigenvector_centrality

    G = full_view(industry_network(3000, 12000, seed=3))
    assert eigenvector_centrality(G) == eigenvector_centrality(G)


def test_a_betweenness_child_whose_result_is_never_asked_for_is_reaped(monkeypatch):
    import gc

    measures, made = _forks(monkeypatch)
    G = full_view(industry_network(3000, 12000, seed=3))
    started = measures._betweenness_started(G, k=60, seed=5)
    pid = made[0].started
    del started, made[:]
    gc.collect()
    with pytest.raises(ChildProcessError):  # killed and reaped, not left blocked on its pipe
        os.waitpid(pid, os.WNOHANG)


def test_betweenness_with_sigchld_ignored(monkeypatch):
    import signal

    measures, made = _forks(monkeypatch)
    G = full_view(industry_network(3000, 12000, seed=3))
    expected = betweenness_centrality(G, k=60, seed=5)
    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the system
    try:
        assert betweenness_centrality(G, k=60, seed=5) == expected
    finally:
        signal.signal(signal.SIGCHLD, old)
    assert made[-1].returned is not None  # the child's part was used


def test_pagerank_is_the_same_every_time():
    # PRPACK sums in OpenMP threads; kept to one thread the answer cannot vary
    G = full_view(industry_network(20000, 80000, seed=3))
    assert pagerank(G) == pagerank(G) == pagerank(G)


def test_the_top_of_a_ranking_is_the_start_of_the_whole_ranking():
    """centrality_table takes its top rows without sorting every node: the same rows, ties
    broken by id, as the first rows of the whole ordering."""
    from graph.analysis.reports import _ordered

    rnd = random.Random(3)
    values = {f"n{i}": rnd.choice([0.0, 0.25, 0.5, 1.0]) for i in range(500)}
    whole = sorted(values, key=lambda n: (-values[n], n))
    assert _ordered(values) == whole
    for top in (0, 1, 7, 100, 499, 500, 900, -3):
        assert _ordered(values, top) == whole[:top], top
