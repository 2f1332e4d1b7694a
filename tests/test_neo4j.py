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
    db.load(G, "autograph", "the bundled dataset")
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


