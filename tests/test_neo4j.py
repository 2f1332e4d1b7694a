"""The Neo4j backend on a real Neo4j 5.26 (``.ci/neo4j-server``), through the official driver.

Nothing here is mocked: failures are real server errors (a constraint the load violates in a
late batch), and the faults in tests/test_faults.py are real kills and freezes.
"""

from __future__ import annotations

import os
import threading

import pytest
from click.testing import CliRunner

import graph
from graph import BackendError, QueryError
from graph.backends.neo4j import Neo4jBackend
from graph.cli import cli
from graph.cypher import load_query, resolve
from graph.selection import validity

from bolt_server import free_port
from helpers import DUPLICATE, late_constraint_violation, assert_same_graph, bolt_env, bundled_size, replace_in, run_cli

SIZE = bundled_size()
BUNDLED = "the bundled dataset"

pytestmark = pytest.mark.neo4j

HOSTILE = "Hostile \"Co\" it's <script>alert('x')</script> C:\\new\\table\nsecond line"


@pytest.fixture
def loaded(db, G):
    db.load(G, "autograph", BUNDLED)
    return db


def _entities(db) -> int:
    return db.query("MATCH (n) WHERE NOT n:AutographDataset RETURN count(n) AS n").rows[0][0]


# -- load --------------------------------------------------------------------------------------

def test_load_counts_and_round_trip(db, G):
    report = db.load(G, "autograph", BUNDLED)
    assert (report.nodes, report.relationships) == SIZE
    assert db.counts("autograph") == SIZE
    assert_same_graph(G, db.fetch_graph("autograph"))


def test_the_server_is_neo4j_with_gds(db):
    components = db.query("CALL dbms.components() YIELD name, versions RETURN name, versions")
    assert components.rows[0][0] == "Neo4j Kernel"
    assert components.rows[0][1][0].startswith("5.26")
    assert db.query("RETURN gds.version() AS v").rows[0][0].startswith("2.13")


def test_load_is_idempotent(db, G):
    db.load(G, "autograph", BUNDLED)
    db.load(G, "autograph", BUNDLED)
    assert db.counts("autograph") == SIZE
    assert _entities(db) == SIZE[0]


def test_ids_are_unique_per_dataset_by_constraint(loaded, G):
    constraints = loaded.query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
                               "RETURN labelsOrTypes[0] AS name, properties, type").rows
    unique = {(name, tuple(props)) for name, props, kind in constraints if "UNIQUENESS" in kind}
    for name in (*graph.schema.NODE_LABELS, *graph.schema.REL_TYPES):
        assert (name, ("id", "_dataset")) in unique, name
    with pytest.raises(QueryError, match="already exists"):
        loaded.query("CREATE (:Company {id: 'catl', _dataset: 'autograph'})", write=True)
    # another dataset may hold the same id: it is another node
    loaded.load(G, "copy", "another folder")
    assert loaded.counts("copy") == SIZE and loaded.counts("autograph") == SIZE


def test_the_schema_is_created_once_and_mended(loaded):
    """load creates the constraints and indexes that are missing, found in one read: none
    the second time, and exactly one after one is dropped."""
    assert loaded.ensure_schema() == 0
    name = loaded.query("SHOW CONSTRAINTS YIELD name, labelsOrTypes WHERE labelsOrTypes = "
                        "['Plant'] RETURN name").rows[0][0]
    loaded.query(f"DROP CONSTRAINT `{name}`", write=True)
    assert loaded.ensure_schema() == 1
    assert loaded.ensure_schema() == 0


def test_replace_removes_what_is_gone(db, G, data_copy):
    db.load(G, "mydata", str(data_copy))
    lines = (data_copy / "relations.csv").read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("bmw-partners-daimler,")]
    (data_copy / "relations.csv").write_text("".join(kept))
    smaller = graph.load_graph(data_copy)
    report = db.load(smaller, "mydata", str(data_copy), replace=True)
    assert (report.removed_nodes, report.removed_relationships) == (0, 1)
    assert db.counts("mydata") == (SIZE[0], SIZE[1] - 1)


def test_a_relation_moved_to_other_ends_is_moved_on_reload(db, G):
    db.load(G, "autograph", BUNDLED)
    H = G.copy()
    u, v, k, d = next((u, v, k, d) for u, v, k, d in H.edges(keys=True, data=True)
                      if d["type"] == "SUPPLIES")
    other = next(n for n, x in H.nodes(data=True)
                 if x["label"] == H.nodes[v]["label"] and n not in (u, v))
    H.remove_edge(u, v, key=k)
    H.add_edge(u, other, key=k, **d)
    db.load(H, "autograph", BUNDLED)
    assert db.counts("autograph") == SIZE
    assert_same_graph(H, db.fetch_graph("autograph"))


def test_a_load_over_nodes_no_load_recorded_merges_them(db, G):
    """A first load creates (no MERGE); when the dataset's record was deleted by hand but its
    nodes and relationships were not, the constraint refuses the creation and the load is
    made again, merging: the same graph, nothing twice, the dataset recorded again."""
    db.load(G, "autograph", BUNDLED)
    db.query("MATCH (d:AutographDataset) DELETE d", write=True)
    H = G.copy()
    u, v, k = next(iter(H.edges(keys=True)))
    H.remove_edge(u, v, key=k)
    db.load(H, "autograph", BUNDLED, replace=True)
    assert db.counts("autograph") == (SIZE[0], SIZE[1] - 1)
    assert _entities(db) == SIZE[0]
    assert_same_graph(H, db.fetch_graph("autograph"))
    assert [d["name"] for d in db.datasets()] == ["autograph"]

def test_dates_are_native_with_their_precision(loaded, G):
    rows = loaded.query("MATCH ()-[r {id: 'vw-jv-rivian'}]->() "
                        "RETURN r.date.year AS year, r.date.month AS month, r.datePrecision AS p")
    assert rows.rows == [[2024, 11, "month"]]
    rows = loaded.query("MATCH ()-[r]->() WHERE r.date IS NOT NULL "
                        "RETURN count(r) AS dated, all(x IN collect(r.date) WHERE "
                        "x = date(x)) AS native")
    assert rows.rows[0][0] > 0 and rows.rows[0][1] is True


def test_valid_from_and_until_follow_the_as_of_rule(loaded, G):
    """validFrom/validUntil on every relationship are what graph.selection.validity says,
    and a relation holds at a date in Cypher exactly when --as-of keeps it."""
    got = {r[0]: (r[1], r[2]) for r in loaded.query(
        "MATCH ()-[r]->() WHERE r._dataset = 'autograph' "
        "RETURN r.id, toString(r.validFrom), toString(r.validUntil)").rows}
    expected = {}
    for _, _, k, d in G.edges(keys=True, data=True):
        since, until = validity(G, d)
        expected[k] = (since and since.isoformat(), until and until.isoformat())
    assert got == expected
    assert any(until for _, until in got.values())  # ended relations have an end
    from graph.selection import Selection, select
    for when in ("2019", "2023-06", "2025-02-01"):
        params = {"asOf": graph.cypher.as_of_day(when)}
        held = {r[0] for r in loaded.query(
            "MATCH ()-[r]->() WHERE r._dataset = 'autograph' AND r.validFrom <= $asOf "
            "AND (r.validUntil IS NULL OR r.validUntil > $asOf) RETURN r.id", params).rows}
        kept = {k for _, _, k in select(G, Selection(as_of=when)).edges(keys=True)}
        assert held == kept, when


def test_a_failed_load_on_an_empty_database_leaves_it_empty(db, G):
    with late_constraint_violation(db, G) as H, pytest.raises(
            BackendError, match="failed and was rolled back; the database is as it was. Cause: "
            "the server rejected the query: .*already exists") as err:
        db.load(H, "autograph", BUNDLED, batch_size=5)
    # Non-ASCII in the server's error text reaches the user whole (issue 24, finding 11: an
    # error text was cut in the middle of a character)
    assert DUPLICATE in str(err.value)
    assert db.query("MATCH (n) RETURN count(n) AS n").rows == [[0]]


def test_a_failed_reload_leaves_the_previous_graph(db, G, data_copy):
    db.load(G, "autograph", BUNDLED)
    before = db.fetch_graph("autograph")
    replace_in(data_copy / "entities.csv", "catl,Company,CATL,", "catl,Company,CATL Ltd,")
    changed = graph.load_graph(data_copy)
    changed.add_node("new-co", label="Company", name="New Co", aliases=[], kind="", country="",
                     description="")
    with late_constraint_violation(db, changed) as H, pytest.raises(BackendError,
                                                                     match="rolled back"):
        db.load(H, "autograph", BUNDLED, batch_size=5, replace=True)
    assert_same_graph(before, db.fetch_graph("autograph"))
    assert db.counts("autograph") == SIZE


def test_two_folders_of_the_same_name_are_two_datasets_unless_taken_over(db, G, tmp_path):
    """Issue 24, finding 7: `load --data p2/data --replace` removed p1/data's graph."""
    db.load(G, "data", str(tmp_path / "p1" / "data"))
    smaller = G.copy()
    smaller.remove_node("catl")
    with pytest.raises(BackendError, match=r"dataset 'data' in the database was loaded from "
                       r".*p1/data, not from .*p2/data: name this one with --dataset NAME, or "
                       r"pass --take-over"):
        db.load(smaller, "data", str(tmp_path / "p2" / "data"), replace=True)
    assert db.counts("data") == SIZE
    db.load(smaller, "data", str(tmp_path / "p2" / "data"), replace=True, take_over=True)
    assert db.counts("data")[0] == SIZE[0] - 1
    assert db.datasets()[0]["source"] == str(tmp_path / "p2" / "data")


def test_concurrent_loads_of_one_dataset_wait_for_each_other(db, G, bolt_settings):
    """Two loads of one dataset at once: the second waits for the first's lock on the
    dataset node and then applies; nothing is duplicated or lost."""
    errors = []

    def one_load():
        try:
            with Neo4jBackend(bolt_settings) as other:
                other.load(G, "autograph", BUNDLED, batch_size=7)
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=one_load) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert db.counts("autograph") == SIZE and _entities(db) == SIZE[0]


def test_hostile_names_survive_the_driver(db, G):
    H = G.copy()
    H.nodes["catl"]["name"] = HOSTILE
    H.nodes["catl"]["aliases"] = [HOSTILE, "back\\slash", "it's"]
    db.load(H, "autograph", BUNDLED)
    back = db.fetch_graph("autograph")
    assert back.nodes["catl"]["name"] == HOSTILE
    assert back.nodes["catl"]["aliases"] == [HOSTILE, "back\\slash", "it's"]
    found = db.query(load_query("find_entities").text, {"text": "it's"})
    assert any(row[0] == "catl" for row in found.rows)


# -- CLI ---------------------------------------------------------------------------------------

def test_cli_load_and_query_in_a_subprocess(bolt_settings, autograph_exe, db, tmp_path):
    import subprocess
    env = bolt_env(bolt_settings)
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
    assert ".ci/neo4j-server" in result.stderr and "Traceback" not in result.stderr


def test_wrong_credentials_fail_clearly_without_the_password(bolt_settings, autograph_exe,
                                                             tmp_path, db):
    env = bolt_env(bolt_settings)
    env["NEO4J_PASSWORD"] = "wrong-secret-123"
    result = run_cli(autograph_exe, "load", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: the server at {bolt_settings.uri} refused the "
                                    "credentials of user 'neo4j'")
    assert "wrong-secret-123" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert run_cli(autograph_exe, "load", cwd=tmp_path, env=bolt_env(bolt_settings)).returncode == 0


