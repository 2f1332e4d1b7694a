"""The Neo4j backend on a real Bolt server, through the official driver.

The server is FalkorDB unless NEO4J_URI names a Neo4j (see bolt_server.py). Nothing here is
mocked, except one test that makes a batch fail on purpose to check the undo path.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

import graph
import nx_answers as nxa
from graph import BackendError, QueryError
from graph.backends.neo4j import BoltSettings
from graph.cli import cli
from graph.cypher import list_queries, load_query, resolve

from helpers import bundled_size

SIZE = bundled_size()
from graph.dataset import date_start

from bolt_server import FalkorServer, free_port
from helpers import assert_same_graph, failing_batch, replace_in, run_cli

pytestmark = pytest.mark.neo4j

HOSTILE = "Hostile \"Co\" it's <script>alert('x')</script> C:\\new\\table\nsecond line"


@pytest.fixture
def loaded(db, G):
    db.load(G, "autograph")
    return db


def _env(settings: BoltSettings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=settings.uri, NEO4J_USERNAME=settings.user,
               NEO4J_PASSWORD=settings.password)
    return env


# -- load --------------------------------------------------------------------------------------

def test_load_counts_and_round_trip(db, G):
    report = db.load(G, "autograph")
    assert (report.nodes, report.relationships) == SIZE
    assert db.counts("autograph") == SIZE
    assert_same_graph(G, db.fetch_graph("autograph"))


def test_load_is_idempotent(db, G):
    db.load(G, "autograph")
    db.load(G, "autograph")
    assert db.counts("autograph") == SIZE
    everything = db.query("MATCH (n) RETURN count(n) AS n").rows[0][0]
    assert everything == SIZE[0]


def test_replace_removes_what_is_gone(db, G, data_copy):
    db.load(G, "mydata")
    lines = (data_copy / "relations.csv").read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("bmw-partners-daimler,")]
    (data_copy / "relations.csv").write_text("".join(kept))
    smaller = graph.load_graph(data_copy)
    report = db.load(smaller, "mydata", replace=True)
    assert (report.removed_nodes, report.removed_relationships) == (0, 1)
    assert db.counts("mydata") == (SIZE[0], SIZE[1] - 1)


@pytest.mark.parametrize("fail_at", [1, 12, 36])
def test_failed_load_on_empty_database_leaves_it_empty(db, G, fail_at):
    """A batch fails part-way (injected: the only stand-in here); nothing is left behind."""
    flaky = failing_batch(db, fail_at)
    with pytest.raises(BackendError, match=f"failed at batch {fail_at} and was undone"):
        db.load(G, "autograph", _run_batch=flaky)
    assert db.query("MATCH (n) RETURN count(n) AS n").rows == [[0]]


def test_failed_reload_restores_the_previous_graph(db, G, data_copy):
    db.load(G, "autograph")
    before = db.fetch_graph("autograph")
    replace_in(data_copy / "entities.csv", "catl,Company,CATL,", "catl,Company,CATL Ltd,")
    changed = graph.load_graph(data_copy)
    changed.add_node("new-co", label="Company", name="New Co", aliases=[], kind="", country="",
                     description="")
    flaky = failing_batch(db, 30)
    with pytest.raises(BackendError, match="was undone"):
        db.load(changed, "autograph", _run_batch=flaky)
    assert_same_graph(before, db.fetch_graph("autograph"))
    assert db.counts("autograph") == SIZE


def test_a_real_server_error_is_undone(db, G):
    """FalkorDB rejects a NaN property (autograph refuses one before loading, so it is slipped
    into the last batch behind the checks): a genuine server error half-way through the
    load, after earlier batches were written; the load is undone."""
    if db.dialect.name != "falkordb":
        pytest.skip("only FalkorDB rejects NaN properties")
    db.load(G, "autograph")
    before = db.fetch_graph("autograph")
    H = G.copy()
    H.nodes["bmw-i3"]["name"] = "i3 II"             # a change that must be undone
    H.add_node("new-co", label="Company", name="New Co")  # a node that must go again

    def nan_in_last_batch(query, params):
        if "MERGE (a)" in query and params["rows"][-1]["id"] == last:
            params["rows"][-1]["props"]["weight"] = float("nan")
        return db._run(query, params)

    last = list(G.edges(keys=True))[-1][2]
    with pytest.raises(BackendError, match="was undone; the database is as it was before "
                       r"\(checked: dataset 'autograph' has its \d+ nodes"):
        db.load(H, "autograph", _run_batch=nan_in_last_batch)
    assert_same_graph(before, db.fetch_graph("autograph"))


def test_dates_are_native_neo4j_dates(loaded):
    if loaded.dialect.name != "neo4j":
        pytest.skip("NEO4J_URI is not set: this run used the FalkorDB test server, which "
                    "stores dates as ISO text (returning a date value crashes it)")
    rows = loaded.query("MATCH ()-[r {id: 'vw-jv-rivian'}]->() "
                        "RETURN r.date.year AS year, r.date.month AS month, r.datePrecision AS p")
    assert rows.rows == [[2024, 11, "month"]]


def test_hostile_names_survive_the_driver(db, G):
    H = G.copy()
    H.nodes["catl"]["name"] = HOSTILE
    H.nodes["catl"]["aliases"] = [HOSTILE, "back\\slash", "it's"]
    db.load(H, "autograph")
    back = db.fetch_graph("autograph")
    assert back.nodes["catl"]["name"] == HOSTILE
    assert back.nodes["catl"]["aliases"] == [HOSTILE, "back\\slash", "it's"]
    found = db.query(load_query("find_entities").text, {"text": "it's"})
    assert ["catl", HOSTILE, "Company", "CN"] in found.rows


# -- CLI ---------------------------------------------------------------------------------------

def test_cli_load_and_query_in_a_subprocess(bolt_settings, autograph_exe, db, tmp_path):
    import subprocess
    env = _env(bolt_settings)
    run = subprocess.run([autograph_exe, "load"], env=env, capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"loaded {SIZE[0]} nodes and {SIZE[1]} relationships as dataset 'autograph'" in run.stdout
    run = subprocess.run([autograph_exe, "query", "ended_relations", "--format", "json"],
                         env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert '"target": "northvolt"' in run.stdout
    if bolt_settings.password:
        assert bolt_settings.password not in run.stdout + run.stderr


def test_query_is_read_only_unless_write(bolt_settings, loaded):
    env = {"NEO4J_URI": bolt_settings.uri, "NEO4J_USERNAME": bolt_settings.user,
           "NEO4J_PASSWORD": bolt_settings.password}
    runner = CliRunner(env=env)
    result = runner.invoke(cli, ["query", "MATCH (n:Company {id: 'catl'}) SET n.name = 'X'"])
    assert result.exit_code == 1
    assert result.output == ("Error: this query writes (SET); run it with --write to allow "
                             "that\n")
    result = runner.invoke(cli, ["query", "--write", "CREATE (n:Company {id: 'tmp-x'}) "
                                 "RETURN n.id AS id"])
    assert result.exit_code == 0, result.output
    assert "tmp-x" in result.output


def test_query_parameters_are_checked(bolt_settings):
    with pytest.raises(QueryError, match="query 'role_of_entity': missing entity; it takes "
                       "entity"):
        resolve("role_of_entity", {})
    with pytest.raises(QueryError, match="no query named 'nope'"):
        resolve("nope", {})


def test_unreachable_server_fails_fast_and_clearly(autograph_exe, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["NEO4J_URI"] = f"bolt://127.0.0.1:{port}"
    result = run_cli(autograph_exe, "load", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot reach the Neo4j server at bolt://127.0.0.1:"
                                    f"{port}: Connection refused.")
    assert "Traceback" not in result.stderr


def test_no_server_configured_says_how_to_start_one(autograph_exe, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    result = run_cli(autograph_exe, "query", "ended_relations", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: this command needs a Neo4j server and none is "
                                    "configured.")
    assert "docker run" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not FalkorServer.available(), reason="needs the FalkorDB test server")
def test_wrong_credentials_fail_clearly_without_the_password(autograph_exe, tmp_path):
    server = FalkorServer(password="right-secret").start()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        env.update(NEO4J_URI=server.uri, NEO4J_USERNAME="falkordb", NEO4J_PASSWORD="wrong-secret")
        result = run_cli(autograph_exe, "load", cwd=tmp_path, env=env)
        assert result.returncode == 1
        assert result.stderr.startswith(f"Error: the server at {server.uri} refused the "
                                        "connection for user 'falkordb'")
        assert "wrong-secret" not in result.stderr + result.stdout
        assert "Traceback" not in result.stderr
        env["NEO4J_PASSWORD"] = "right-secret"
        assert run_cli(autograph_exe, "load", cwd=tmp_path, env=env).returncode == 0
    finally:
        server.stop()


# -- the query library -------------------------------------------------------------------------

def _has_gds(db) -> bool:
    try:
        db.query("RETURN gds.version() AS v")
    except (QueryError, BackendError):
        return False
    return True


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_library_query_runs_with_its_example(loaded, name):
    q = load_query(name)
    if name.startswith("gds_") and not _has_gds(loaded):
        pytest.skip("the server has no Graph Data Science plugin")
    result = loaded.query(*resolve(name, q.example))
    assert result.columns
    if name not in ("gds_pagerank_louvain",):
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
    got = sorted((r["type"], r["party1"], r["party2"],
                  date_start(r["date"]).isoformat() if r["date"] else None, r["status"],
                  r["deal"]) for r in rows)
    assert got == nxa.joint_ventures_and_mous(G)


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


def _dated(G, when, **params):
    from graph.cypher import with_source_dates

    return with_source_dates("role_of_entity", {"asOf": when, **params}, G.graph["sources"])


def _answers(loaded, G, when):
    """(Cypher answer, networkx answer) per query that lists relations, at *when*."""
    from collections import Counter

    H = _at(G, when)
    has = H.__contains__
    for entity in ("catl", "volkswagen-group", "volvo-cars"):
        rows = _run(loaded, "role_of_entity", **_dated(G, when, entity=entity))
        yield (Counter((r["type"], r["direction"], r["counterpart"], r["status"]) for r in rows),
               nxa.role_of_entity(H, entity) if has(entity) else Counter())
        rows = _run(loaded, "partners_of_company", **_dated(G, when, company=entity, types=[]))
        yield ({r["partner"]: (sorted(r["types"]), r["relations"]) for r in rows},
               nxa.partners_of_company(H, entity, []) if has(entity) else {})
        rows = _run(loaded, "countries_linked_by_entity", **_dated(G, when, entity=entity))
        yield ({r["country"]: (r["relations"], sorted(r["entities"])) for r in rows},
               nxa.countries_linked_by_entity(H, entity) if has(entity) else {})
    rows = _run(loaded, "joint_ventures_and_mous", **_dated(G, when))
    yield (sorted((r["type"], r["party1"], r["party2"],
                   date_start(r["date"]).isoformat() if r["date"] else None, r["status"],
                   r["deal"]) for r in rows), nxa.joint_ventures_and_mous(H))
    rows = _run(loaded, "ended_relations", **_dated(G, when))
    yield sorted((r["type"], r["source"], r["target"]) for r in rows), nxa.ended_relations(H)
    rows = _run(loaded, "disputed_claims", **_dated(G, when))
    yield (sorted((r["relation"], tuple(r["disputedBy"])) for r in rows),
           nxa.disputed_claims(H))
    rows = _run(loaded, "companies_by_partner_count", **_dated(G, when, limit=10))
    yield ([(r["company"], r["partners"]) for r in rows],
           nxa.companies_by_partner_count(H, 10))
    rows = _run(loaded, "country_cooperation_counts", **_dated(G, when))
    yield ({(r["country1"], r["country2"]): r["relations"] for r in rows},
           nxa.country_cooperation_counts(H))
    for plant in ("plant-daf-temse", "plant-volvo-gent"):
        rows = _run(loaded, "supplies_into_plant", **_dated(G, when, plant=plant))
        yield (sorted((r["supplier"], r["deliversTo"]) for r in rows),
               nxa.supplies_into_plant(H, plant) if has(plant) else [])
    rows = _run(loaded, "deal_parties", **_dated(G, when, deal=""))
    yield ({r["deal"]: (r["status"], sorted(r["parties"])) for r in rows},
           {k: v for k, v in nxa.deal_parties(H).items() if v[1]})
    for country in ("CN", "DE", "BE"):
        rows = _run(loaded, "companies_based_in_country", **_dated(G, when, country=country))
        home = [n for n, d in H.nodes(data=True)
                if d["label"] == "Country" and d["country"] == country]
        yield (sorted((r["id"], r["base"], r["hqScope"], tuple(r["disputedBy"] or ()) or None)
                      for r in rows), nxa.companies_based_in_country(H, country) if home else [])
    rows = _run(loaded, "shared_technologies", **_dated(G, when))
    yield {r["technology"]: sorted(r["companies"]) for r in rows}, nxa.shared_technologies(H)
    for source, target in (("skoda", "catl"), ("bmw", "jlr"), ("audi", "xpeng")):
        rows = _run(loaded, "shortest_cooperation_path",
                    **_dated(G, when, source=source, target=target))
        yield (rows[0]["hops"] if rows else None,
               nxa.shortest_cooperation_path(H, source, target)
               if has(source) and has(target) else None)
    rows = _run(loaded, "regional_hub", **_dated(G, when, region="flanders"))
    yield ({r["plant"]: (sorted(r["operators"]), sorted(r["technologies"]),
                         sorted(r["suppliers"]), sorted(r["foreignPartners"])) for r in rows},
           nxa.regional_hub(H, "flanders") if has("flanders") else {})
    for source in sorted(G.graph["sources"])[:8]:
        rows = _run(loaded, "relations_by_source", **_dated(G, when, source=source))
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


def test_query_cli_fills_source_dates_for_as_of(bolt_settings, autograph_exe, loaded, G):
    result = run_cli(autograph_exe, "query", "role_of_entity", "-p", "entity", "catl", "-p",
                     "asOf", "2025", "--format", "json", env=_env(bolt_settings))
    assert result.returncode == 0, result.stderr
    import json
    from collections import Counter

    got = Counter((r["type"], r["direction"], r["counterpart"], r["status"])
                  for r in json.loads(result.stdout))
    assert got == nxa.role_of_entity(_at(G, "2025"), "catl") and got
