"""The Cypher library on a real Neo4j: every query runs with its example, and each answers
what the networkx oracle (tests/nx_answers.py) answers on the same graph, at every as-of date."""

from __future__ import annotations


import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import nx_answers as nxa
from graph.cypher import list_queries, load_query, load_template, resolve
from graph.errors import SelectionError
from helpers import bolt_env, run_cli

pytestmark = pytest.mark.neo4j


@pytest.fixture
def loaded(db, G):
    db.load(G, "autograph", "the bundled dataset")
    return db


# -- the query library -------------------------------------------------------------------------

@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_library_query_runs_with_its_example(loaded, name):
    q = load_query(name)
    result = loaded.query(*resolve(name, q.example))
    assert result.columns
    assert result.rows, f"{name} returned nothing on the bundled data"


def _run(db, name, **params):
    return db.query(*resolve(name, params)).records()


def test_partners_of_company_matches_networkx(loaded, G):
    rows = _run(loaded, "partners_of_company", company="volkswagen-group", types=[])
    got = {r["partner"]: (sorted(r["types"]), r["relations"]) for r in rows}
    assert got == nxa.partners_of_company(G, "volkswagen-group", [])
    rows = _run(loaded, "partners_of_company", company="catl", types=["SUPPLIES"])
    assert {r["partner"] for r in rows} == {"volkswagen-group"}


def test_role_of_catl_matches_networkx(loaded, G):
    from collections import Counter
    rows = _run(loaded, "role_of_entity", entity="catl")
    got = Counter((r["type"], r["direction"], r["counterpart"], r["status"]) for r in rows)
    assert got == nxa.role_of_entity(G, "catl")
    assert ("SUPPLIES", "out", "volkswagen-group", "active") in got
    assert ("SIGNED_MOU", "both", "volkswagen-group", "active") in got


def test_countries_linked_by_catl_match_networkx(loaded, G):
    rows = _run(loaded, "countries_linked_by_entity", entity="catl")
    got = {r["country"]: (r["relations"], sorted(r["entities"])) for r in rows}
    assert got == nxa.countries_linked_by_entity(G, "catl")


def test_flemish_hub_matches_networkx(loaded, G):
    rows = _run(loaded, "regional_hub", region="flanders")
    got = {r["plant"]: (sorted(r["operators"]), sorted(r["technologies"]),
                        sorted(r["suppliers"]), sorted(r["foreignPartners"])) for r in rows}
    assert got == nxa.regional_hub(G, "flanders")
    assert {"plant-volvo-gent", "plant-audi-brussels", "plant-daf-westerlo"} <= set(got)
    assert "geely" in got["plant-volvo-gent"][3]


def test_joint_ventures_and_mous_match_networkx(loaded, G):
    rows = _run(loaded, "joint_ventures_and_mous")
    # dates come back as the native date's day (the first of its period), with its precision
    got = sorted((r["type"], r["party1"], r["party2"], r["date"], r["status"], r["deal"])
                 for r in rows)
    assert got == nxa.joint_ventures_and_mous(G)
    precision = {"year": 4, "month": 7, "day": 10}
    assert sorted((r["party1"], r["party2"], precision[r["datePrecision"]]) for r in rows
                  if r["date"]) == sorted((u, v, len(d["date"])) for u, v, d in G.edges(data=True)
                                          if d["type"] in ("JOINT_VENTURE", "SIGNED_MOU")
                                          and d["date"])


def test_supplies_into_plant_matches_networkx(loaded, G):
    for plant in ("plant-daf-temse", "plant-volvo-gent"):
        rows = _run(loaded, "supplies_into_plant", plant=plant)
        assert sorted((r["supplier"], r["deliversTo"]) for r in rows) == \
            nxa.supplies_into_plant(G, plant)


@pytest.mark.parametrize("source,target", [("skoda", "catl"), ("bmw", "jlr"), ("audi", "xpeng"),
                                           ("covestro", "catl")])
def test_shortest_cooperation_path_matches_networkx(loaded, G, source, target):
    rows = _run(loaded, "shortest_cooperation_path", source=source, target=target)
    expected = nxa.shortest_cooperation_path(G, source, target)
    hops = rows[0]["hops"] if rows else None
    assert hops == expected
    if hops:
        assert rows[0]["path"][0] == source and rows[0]["path"][-1] == target


def test_country_cooperation_counts_match_networkx(loaded, G):
    rows = _run(loaded, "country_cooperation_counts")
    got = {(r["country1"], r["country2"]): r["relations"] for r in rows}
    assert got == nxa.country_cooperation_counts(G)


def test_shared_technologies_match_networkx(loaded, G):
    rows = _run(loaded, "shared_technologies")
    got = {r["technology"]: sorted(r["companies"]) for r in rows}
    assert got == nxa.shared_technologies(G)
    assert got["vw-meb"] == ["audi", "skoda", "volkswagen-group"]


def test_companies_by_partner_count_match_networkx(loaded, G):
    rows = _run(loaded, "companies_by_partner_count", limit=10)
    assert [(r["company"], r["partners"]) for r in rows] == nxa.companies_by_partner_count(G, 10)


def test_ended_relations_and_sources_match_networkx(loaded, G):
    rows = _run(loaded, "ended_relations")
    assert sorted((r["type"], r["source"], r["target"]) for r in rows) == nxa.ended_relations(G)
    for source in G.graph["sources"]:
        rows = _run(loaded, "relations_by_source", source=source)
        assert sorted(r["relation"] for r in rows) == nxa.relations_by_source(G, source)


def test_find_entities_matches_networkx(loaded, G):
    for text in ("volks", "CATL", "gent"):
        rows = _run(loaded, "find_entities", text=text)
        assert sorted(r["id"] for r in rows) == nxa.find_entities(G, text)


def test_companies_based_in_a_country_match_networkx(loaded, G):
    for country in ("CN", "DE", "BE"):
        rows = _run(loaded, "companies_based_in_country", country=country)
        got = sorted((r["id"], r["base"], r["hqScope"], tuple(r["disputedBy"] or ()) or None)
                     for r in rows)
        assert got == nxa.companies_based_in_country(G, country)
    # CATL is based in China and has its European headquarters in Germany
    de = {r["id"]: r for r in _run(loaded, "companies_based_in_country", country="DE")}
    assert de["catl"]["hqScope"] == "Europe" and "covestro" in de


def test_deal_parties_match_networkx(loaded, G):
    rows = _run(loaded, "deal_parties", deal="")
    assert {r["deal"]: (r["status"], sorted(r["parties"])) for r in rows} == nxa.deal_parties(G)
    tyres = _run(loaded, "deal_parties", deal="deal-tyre-recycling")[0]
    assert dict(zip(tyres["parties"], tyres["roles"])) == {
        "borealis": "partner", "covestro": "lead", "neste": "partner"}


def test_disputed_claims_match_networkx(loaded, G):
    rows = _run(loaded, "disputed_claims")
    assert sorted((r["relation"], tuple(r["disputedBy"])) for r in rows) == nxa.disputed_claims(G)


# -- time travel: $asOf in the library, against --as-of on networkx ----------------------------

AS_OF = [None, "2018", "2019-06", "2023", "2023-12-31", "2025", "2026"]


def _at(G, when):
    from graph.selection import Selection, select

    return G if when is None else select(G, Selection(as_of=when))


def _answers(loaded, G, when):
    """(Cypher answer, networkx answer) per query that lists relations, at *when*."""
    from collections import Counter

    H = _at(G, when)
    has = H.__contains__
    for entity in ("catl", "volkswagen-group", "volvo-cars"):
        rows = _run(loaded, "role_of_entity", asOf=when, entity=entity)
        yield (Counter((r["type"], r["direction"], r["counterpart"], r["status"]) for r in rows),
               nxa.role_of_entity(H, entity) if has(entity) else Counter())
        rows = _run(loaded, "partners_of_company", asOf=when, company=entity, types=[])
        yield ({r["partner"]: (sorted(r["types"]), r["relations"]) for r in rows},
               nxa.partners_of_company(H, entity, []) if has(entity) else {})
        rows = _run(loaded, "countries_linked_by_entity", asOf=when, entity=entity)
        yield ({r["country"]: (r["relations"], sorted(r["entities"])) for r in rows},
               nxa.countries_linked_by_entity(H, entity) if has(entity) else {})
    rows = _run(loaded, "joint_ventures_and_mous", asOf=when)
    yield (sorted((r["type"], r["party1"], r["party2"], r["date"], r["status"], r["deal"])
                  for r in rows), nxa.joint_ventures_and_mous(H))
    rows = _run(loaded, "ended_relations", asOf=when)
    yield sorted((r["type"], r["source"], r["target"]) for r in rows), nxa.ended_relations(H)
    rows = _run(loaded, "disputed_claims", asOf=when)
    yield (sorted((r["relation"], tuple(r["disputedBy"])) for r in rows),
           nxa.disputed_claims(H))
    rows = _run(loaded, "companies_by_partner_count", asOf=when, limit=10)
    yield ([(r["company"], r["partners"]) for r in rows],
           nxa.companies_by_partner_count(H, 10))
    rows = _run(loaded, "country_cooperation_counts", asOf=when)
    yield ({(r["country1"], r["country2"]): r["relations"] for r in rows},
           nxa.country_cooperation_counts(H))
    for plant in ("plant-daf-temse", "plant-volvo-gent"):
        rows = _run(loaded, "supplies_into_plant", asOf=when, plant=plant)
        yield (sorted((r["supplier"], r["deliversTo"]) for r in rows),
               nxa.supplies_into_plant(H, plant) if has(plant) else [])
    rows = _run(loaded, "deal_parties", asOf=when, deal="")
    yield ({r["deal"]: (r["status"], sorted(r["parties"])) for r in rows},
           {k: v for k, v in nxa.deal_parties(H).items() if v[1]})
    for country in ("CN", "DE", "BE"):
        rows = _run(loaded, "companies_based_in_country", asOf=when, country=country)
        home = [n for n, d in H.nodes(data=True)
                if d["label"] == "Country" and d["country"] == country]
        yield (sorted((r["id"], r["base"], r["hqScope"], tuple(r["disputedBy"] or ()) or None)
                      for r in rows), nxa.companies_based_in_country(H, country) if home else [])
    rows = _run(loaded, "shared_technologies", asOf=when)
    yield {r["technology"]: sorted(r["companies"]) for r in rows}, nxa.shared_technologies(H)
    for source, target in (("skoda", "catl"), ("bmw", "jlr"), ("audi", "xpeng")):
        rows = _run(loaded, "shortest_cooperation_path",
                    asOf=when, source=source, target=target)
        yield (rows[0]["hops"] if rows else None,
               nxa.shortest_cooperation_path(H, source, target)
               if has(source) and has(target) else None)
    rows = _run(loaded, "regional_hub", asOf=when, region="flanders")
    yield ({r["plant"]: (sorted(r["operators"]), sorted(r["technologies"]),
                         sorted(r["suppliers"]), sorted(r["foreignPartners"])) for r in rows},
           nxa.regional_hub(H, "flanders") if has("flanders") else {})
    for source in sorted(G.graph["sources"])[:8]:
        rows = _run(loaded, "relations_by_source", asOf=when, source=source)
        yield sorted(r["relation"] for r in rows), nxa.relations_by_source(H, source)


@pytest.mark.parametrize("when", AS_OF)
def test_library_as_of_matches_networkx(loaded, G, when):
    answers = list(_answers(loaded, G, when))
    for got, expected in answers:
        assert got == expected
    if when == "2023":   # not vacuous: the date keeps some relations and drops others
        everything = list(_answers(loaded, G, None))
        assert any(a[0] != b[0] for a, b in zip(answers, everything))
        assert any(a[0] for a in answers)


def test_query_cli_takes_as_of_as_the_last_day_of_a_year(bolt_settings, autograph_exe, loaded,
                                                         G):
    result = run_cli(autograph_exe, "query", "role_of_entity", "-p", "entity", "catl", "-p",
                     "asOf", "2025", "--format", "json", env=bolt_env(bolt_settings))
    assert result.returncode == 0, result.stderr
    import json
    from collections import Counter

    got = Counter((r["type"], r["direction"], r["counterpart"], r["status"])
                  for r in json.loads(result.stdout))
    assert got == nxa.role_of_entity(_at(G, "2025"), "catl") and got


# -- Graph Data Science ------------------------------------------------------------------------

def test_gds_pagerank_and_louvain_match_networkx(loaded, G):
    """GDS 2.13 runs on the test server: PageRank as networkx computes it on the same
    undirected cooperation network, and a Louvain partition of it as good as networkx's."""
    rows = _run(loaded, "gds_pagerank_louvain", graphName="test-cooperation")
    H = nxa.cooperation_network(G)
    assert sorted(r["id"] for r in rows) == sorted(H)
    got = {r["id"]: r["pagerank"] for r in rows}
    assert got == pytest.approx(nxa.pagerank(G), rel=1e-5)
    # and, scaled to sum 1, close to networkx's PageRank run to convergence
    converged = nx.pagerank(H, weight="weight")
    assert {n: v / sum(got.values()) for n, v in got.items()} == pytest.approx(converged, abs=0.01)
    assert rows[0]["id"] == max(converged, key=converged.get)
    assert [r["pagerank"] for r in rows] == sorted((r["pagerank"] for r in rows), reverse=True)
    communities: dict[int, set[str]] = {}
    for r in rows:
        communities.setdefault(r["community"], set()).add(r["id"])
    ours = nx.community.modularity(H, communities.values(), weight="weight")
    theirs = nx.community.modularity(
        H, nx.community.louvain_communities(H, weight="weight", seed=1), weight="weight")
    assert 1 < len(communities) < H.number_of_nodes()
    assert ours >= 0.95 * theirs > 0.3
    # the projection is dropped: the query can run again under the same name
    assert _run(loaded, "gds_pagerank_louvain", graphName="test-cooperation")


# -- random graphs: the library's as-of test against --as-of on networkx -----------------------

DAYS = st.one_of(st.just(""), st.integers(2018, 2026).map(str),
                 st.builds("{}-{:02d}".format, st.integers(2018, 2026), st.integers(1, 12)),
                 st.builds("{}-{:02d}-{:02d}".format, st.integers(2018, 2026),
                           st.integers(1, 12), st.integers(1, 28)))


@st.composite
def dated_graphs(draw):
    """Small cooperation networks whose relations are dated every way the data allows: a
    date, an as-of date, only dated sources, an end date, ended without one, or not at all."""
    sources = {f"s{i}": {"date": draw(DAYS)} for i in range(draw(st.integers(0, 3)))}
    G = nx.MultiDiGraph(sources=sources)
    n = draw(st.integers(2, 6))
    for i in range(n):
        G.add_node(f"n{i}", label="Company", name=f"Company {i}",
                   country=draw(st.sampled_from(["", "BE", "CN", "DE"])))
    for k in range(draw(st.integers(0, 9))):
        u, v = draw(st.lists(st.sampled_from(sorted(G)), min_size=2, max_size=2, unique=True))
        G.add_edge(u, v, key=f"r{k}", type=draw(st.sampled_from(sorted(nxa.COOP))),
                   status=draw(st.sampled_from(["active", "planned", "ended"])),
                   date=draw(DAYS), asOf=draw(DAYS), endDate=draw(DAYS), deal="",
                   disputedBy=[], sources=draw(st.lists(st.sampled_from(sorted(sources)),
                                                        unique=True)) if sources else [])
    return G, draw(st.one_of(st.none(), DAYS.filter(bool)))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=dated_graphs())
def test_library_as_of_matches_networkx_on_random_graphs(db, case):
    G, when = case
    db.query(load_template("admin/delete_everything"), write=True)
    db.load(G, "random", "hypothesis")
    try:
        H = _at(G, when)
    except SelectionError:  # nothing held then
        H = nx.MultiDiGraph()
    from collections import Counter

    for entity in G:
        rows = _run(db, "role_of_entity", asOf=when, entity=entity)
        assert Counter((r["type"], r["direction"], r["counterpart"], r["status"])
                       for r in rows) == (nxa.role_of_entity(H, entity) if entity in H
                                          else Counter())
        rows = _run(db, "countries_linked_by_entity", asOf=when, entity=entity)
        assert {r["country"]: (r["relations"], sorted(r["entities"])) for r in rows} == (
            nxa.countries_linked_by_entity(H, entity) if entity in H else {})
    rows = _run(db, "country_cooperation_counts", asOf=when)
    assert {(r["country1"], r["country2"]): r["relations"] for r in rows} == \
        nxa.country_cooperation_counts(H)
    rows = _run(db, "companies_by_partner_count", asOf=when, limit=10)
    assert [(r["company"], r["partners"]) for r in rows] == nxa.companies_by_partner_count(H, 10)
    rows = _run(db, "shortest_cooperation_path", asOf=when, source="n0", target="n1")
    assert (rows[0]["hops"] if rows else None) == (
        nxa.shortest_cooperation_path(H, "n0", "n1") if "n0" in H and "n1" in H else None)
