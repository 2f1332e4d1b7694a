"""What autograph promises about the Neo4j path and the terminal, tried as a hostile or an
unlucky user would (issue 17): the write guard of ``query``, dataset isolation, all-or-nothing
loads, secrets kept out of messages, clear errors for edited data on the server, escaped
terminal output, and a test server nobody beyond this machine can reach.

Everything runs against the real Neo4j test server (see bolt_server.py) and the real CLI;
the fault-injection tests (frozen and killed servers, concurrent loads) are in test_faults.py.
"""

from __future__ import annotations

import csv
import os
import socket

import pytest
from click.testing import CliRunner

import graph
from graph import BackendError
from graph.cli import cli
from graph.cypher import check_params, check_read_only, tokenize
from graph.errors import DataValidationError, QueryError
from graph.output import render

from bolt_server import free_port, ipv4_addresses, private_network
from helpers import assert_same_graph, bolt_env, late_constraint_violation, run_cli

neo4j = pytest.mark.neo4j


BUNDLED = "the bundled dataset"


def _census(db) -> tuple[int, int, set]:
    """Every node and relationship on the server, and every index and constraint."""
    nodes = db.query("MATCH (n) RETURN count(n) AS n").rows[0][0]
    rels = db.query("MATCH ()-[r]->() RETURN count(r) AS n").rows[0][0]
    indexes = {(row[0], row[1][0] if row[1] else None, tuple(row[2] or ())) for row in db.query(
        "SHOW INDEXES YIELD name, labelsOrTypes, properties RETURN name, labelsOrTypes, "
        "properties").rows}
    return nodes, rels, indexes


# -- 1. the write guard ------------------------------------------------------------------------

# The commands of issue 17 that wrote through `autograph query` without --write, and variants.
HOSTILE_QUERIES = [
    ["WITH 'a\\' // ' AS x CREATE (:Pwn) RETURN x"],
    ["MATCH (n) WHERE n.id='catl' /* ' */ CREATE (:Pwn) /* ' */ RETURN 1"],
    ["WITH 'x\n// ' AS y CREATE (:Pwn) RETURN y"],
    ["WITH \"it's\" AS x CREATE (:Pwn) RETURN x"],
    ["MATCH (n) WHERE n.id = 'catl' // '\nCREATE (:Pwn) RETURN 1"],
    ["RETURN 1 AS one", "-p", "a=1 CREATE (:Pwn) RETURN 2 AS two //", "1"],
    ["role_of_entity", "-p", "entity", '{"a: 1} CREATE (:Pwn) RETURN 1 AS b //": 1}'],
    ["CALL db.idx.fulltext.createNodeIndex('Pwn2', 'name')"],
    ["CALL /* read */ `db`.idx.fulltext.createNodeIndex('Pwn2', 'name')"],
    ["CALL { CREATE (:Pwn) } RETURN 1 AS one"],
    ["UNWIND [1] AS i foreach (x IN [1] | create (:Pwn)) RETURN i"],
    ["MATCH (n:Company) WITH n LIMIT 1 MeRgE (:Pwn {id: n.id}) RETURN 1"],
    ["CREATE INDEX FOR (n:Pwn2) ON (n.name)"],
    ["RETURN 'unterminated"],
]


@neo4j
@pytest.mark.parametrize("args", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_query_never_writes_without_write(bolt_settings, db, args):
    db.query("CREATE (:Company {id: 'catl', name: 'CATL', _dataset: 'autograph'})", write=True)
    before = _census(db)
    result = CliRunner(env=bolt_env(bolt_settings)).invoke(cli, ["query", *args])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: "), result.output
    assert "Traceback" not in result.output
    assert _census(db) == before
    assert db.query("MATCH (n:Pwn) RETURN count(n) AS n").rows == [[0]]


@neo4j
def test_read_queries_with_keywords_in_strings_and_comments_still_run(bolt_settings, db, G):
    db.load(G, "autograph", BUNDLED)
    text = ("MATCH (n:Company) /* CREATE */ WHERE n.name <> 'SET; DELETE \\' CREATE' "
            "AND n.id <> \"MERGE\" // DROP\nRETURN count(n) AS `create`")
    result = CliRunner(env=bolt_env(bolt_settings)).invoke(cli, ["query", text, "--format", "json"])
    assert result.exit_code == 0, result.output
    companies = sum(1 for _, d in G.nodes(data=True) if d["label"] == "Company")
    assert f'"create": {companies}' in result.output
    result = CliRunner(env=bolt_env(bolt_settings)).invoke(
        cli, ["query", "CALL db.labels() YIELD label RETURN label"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("query", [
    "RETURN apoc.cypher.runFirstColumnSingle('CREATE (:Pwn) RETURN 1', {}) AS x",
    "RETURN `apoc`.cypher.runFirstColumnSingle('CREATE (:Pwn) RETURN 1', {}) AS x",
    "MATCH (n) WITH n /* x */ RETURN apoc . do . when(true, 'CREATE (:Pwn)', '', {})",
    "RETURN `apoc.cypher.runFirstColumnSingle`('CREATE (:Pwn) RETURN 1', {}) AS x",
])
def test_functions_of_unknown_namespaces_are_refused(query):
    # a plugin function can run Cypher text of its own; only Neo4j's READ mode would stop it
    with pytest.raises(QueryError, match="calls the function 'apoc[.]"):
        check_read_only(query)


def test_cypher_functions_and_properties_still_read():
    check_read_only("MATCH (n) WHERE n.id = 'a' AND (n.x > 1) RETURN n.a, `n`.b, "
                    "date.truncate('month', date()), duration.between(date(), date()), "
                    "toUpper(n.id), gds.util.asNode(1)")
    # the server's own namespaces: FalkorDB's string, list and vector functions, Neo4j's graph
    check_read_only("RETURN string.join(['a', 'b'], ','), list.dedup([1, 1]), "
                    "vec.euclideanDistance(vecf32([1.0]), vecf32([2.0])), graph.names(), "
                    "`string.join`(['a'], ','), n.`a.b`")


def test_tokenizer_follows_cypher_strings_and_comments():
    kinds = [(t.kind, t.text) for t in tokenize("RETURN 'a\\' // b' /* c\n */ AS `x``y`")
             if t.kind != "space"]
    assert kinds == [("word", "RETURN"), ("string", "'a\\' // b'"),
                     ("comment", "/* c\n */"), ("word", "AS"), ("quoted", "`x``y`")]
    with pytest.raises(QueryError, match="unterminated comment"):
        check_read_only("RETURN 1 /* CREATE (:X)")
    with pytest.raises(QueryError, match=r"procedure 'dbms\.security\.createUser'"):
        check_read_only("CALL dbms.security.createUser('x', 'y')")
    check_read_only("CALL gds.louvain.stream('g') YIELD nodeId RETURN nodeId")
    with pytest.raises(QueryError, match="gds.louvain.write"):
        check_read_only("CALL gds.louvain.write('g', {}) YIELD nodePropertiesWritten RETURN 1")


@neo4j
@pytest.mark.parametrize("args,message", [
    (["-p", "a=1 CREATE (:Pwn) RETURN 2 AS two //", "1"],
     "Error: parameter name 'a=1 CREATE (:Pwn) RETURN 2 AS two //' is not a plain name"),
    (["-p", "m", "99999999999999999999999"],
     "Error: parameter 'm': the integer 99999999999999999999999 is outside the 64-bit range"),
    (["-p", "m", '{"k": {"x y": 1}}'],
     "Error: parameter 'm': k: map key 'x y' is not a plain name"),
    (["-p", "m", '"nul\\u0000byte"'],
     "Error: parameter 'm': the text contains a NUL character"),
])
def test_query_parameters_are_validated_before_anything_is_sent(bolt_settings, args, message):
    result = CliRunner(env=bolt_env(bolt_settings)).invoke(cli, ["query", "RETURN 1 AS one", *args])
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output


def test_check_params_accepts_what_the_library_passes():
    check_params({"entity": "catl", "types": ["SUPPLIES"], "limit": 10, "flag": True,
                  "nothing": None, "ratio": 0.5, "nested": {"plainKey": [1, 2]}})


# -- 2, 3. dataset isolation -----------------------------------------------------------------

def _subset(data_dir, tmp_path, name, keep: set[str]):
    """A dataset folder with the entities *keep* of *data_dir* and the relations among them."""
    target = tmp_path / name
    target.mkdir()
    for file in ("sources.csv", "entities.csv", "relations.csv", "properties.csv"):
        with open(data_dir / file, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
            fields = list(rows[0]) if rows else []
        if file == "entities.csv":
            rows = [r for r in rows if r["id"] in keep]
        elif file == "relations.csv":
            rows = [r for r in rows if r["source"] in keep and r["target"] in keep]
        elif file == "properties.csv":
            rows = [r for r in rows if r["subject"] in keep]
        with open(target / file, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return target


@neo4j
def test_datasets_own_their_nodes_and_replace_touches_only_its_own(
        bolt_settings, db, G, data_copy, tmp_path, autograph_exe):
    """Issue 17, finding 2: a dataset B holding china and catl, loaded and then replaced."""
    db.load(G, "autograph", BUNDLED)
    env = bolt_env(bolt_settings)
    b = _subset(data_copy, tmp_path, "B", {"china", "catl"})
    result = run_cli(autograph_exe, "load", "--data", str(b), "--dataset", "B", env=env)
    assert result.returncode == 0, result.stderr
    assert db.counts("B") == (2, graph.load_graph(b).number_of_edges())
    assert_same_graph(G, db.fetch_graph("autograph"))
    b2 = _subset(data_copy, tmp_path, "B2", {"china"})
    refused = run_cli(autograph_exe, "load", "--data", str(b2), "--dataset", "B", "--replace",
                      env=env)
    assert refused.returncode == 1 and "pass --take-over" in refused.stderr
    assert db.counts("B") == (2, graph.load_graph(b).number_of_edges())
    result = run_cli(autograph_exe, "load", "--data", str(b2), "--dataset", "B", "--replace",
                     "--take-over", env=env)
    assert result.returncode == 0, result.stderr
    removed_rels = graph.load_graph(b).number_of_edges()
    assert f"removed 1 nodes and {removed_rels} relationships left from earlier loads" \
        in result.stdout
    assert db.counts("B") == (1, 0)
    assert db.counts("autograph") == (G.number_of_nodes(), G.number_of_edges())
    assert_same_graph(G, db.fetch_graph("autograph"))


@neo4j
def test_a_copy_under_another_name_leaves_the_original_exportable(
        bolt_settings, db, G, autograph_exe, tmp_path):
    db.load(G, "autograph", BUNDLED)
    db.load(G, "copy", "a copy")
    assert db.counts("copy") == db.counts("autograph") == (G.number_of_nodes(),
                                                           G.number_of_edges())
    result = run_cli(autograph_exe, "export", "--from", "neo4j", "--dataset", "autograph",
                     "-o", str(tmp_path / "g.json"), env=bolt_env(bolt_settings))
    assert result.returncode == 0, result.stderr
    assert_same_graph(G, db.fetch_graph("autograph"))
    assert_same_graph(G, db.fetch_graph("copy"))


@neo4j
def test_a_failed_load_of_one_dataset_leaves_the_others_alone(db, G):
    """A real server error (a constraint the new dataset violates in a late batch)."""
    db.load(G, "autograph", BUNDLED)
    with late_constraint_violation(db, G) as H, pytest.raises(BackendError, match="rolled back"):
        db.load(H, "other", "another folder", batch_size=3)
    assert db.counts("other") == (0, 0)
    assert_same_graph(G, db.fetch_graph("autograph"))


# -- 4. all or nothing for data that validates -------------------------------------------------

@neo4j
def test_values_the_server_cannot_store_are_refused_before_anything_is_written(db, G):
    H = G.copy()
    H.nodes["catl"]["employeesMin"] = 2**64
    H.nodes["china"]["name"] = "nul\x00byte"
    H.edges[next(iter(H.edges(keys=True)))]["sources"] = ["fine", "bad\x00"]
    with pytest.raises(DataValidationError) as err:
        db.load(H, "autograph", BUNDLED)
    text = str(err.value)
    assert text.startswith("3 problems in the data to load as dataset 'autograph' (nothing "
                           "was written):")
    assert "node catl: employeesMin: the integer 18446744073709551616 is outside the 64-bit " \
           "range the server can store" in text
    assert "node china: name: the text contains a NUL character" in text
    assert db.query("MATCH (n) RETURN count(n) AS n").rows == [[0]]


@neo4j
def test_cli_load_of_a_huge_integer_is_refused_cleanly(bolt_settings, db, data_copy,
                                                         autograph_exe):
    with open(data_copy / "properties.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    subject = next(r for r in rows if r["key"] == "supplierCountMin")
    with open(data_copy / "properties.csv", "a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow(["catl", "employeesMin", "99999999999999999999999",
                                subject["source"]] + [""] * (len(rows[0]) - 4))
    result = run_cli(autograph_exe, "load", "--data", str(data_copy), env=bolt_env(bolt_settings))
    assert result.returncode == 1
    assert "99999999999999999999999" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.query("MATCH (n) RETURN count(n) AS n").rows == [[0]]


# -- 5. secrets and clear errors ---------------------------------------------------------------

@pytest.mark.parametrize("uri,message", [
    ("bolt://neo4j:SECRET@127.0.0.1:7687", "NEO4J_URI must not contain a user name or password"),
    ("bolt://neo4j:SECRET", "NEO4J_URI has an invalid port"),
    ("bolt://127.0.0.1:abc", "NEO4J_URI has an invalid port"),
    ("bolt://127.0.0.1:99999", "NEO4J_URI has an invalid port"),
    ("http://127.0.0.1:7687", "NEO4J_URI must start with bolt:// or neo4j://"),
])
def test_bad_uris_give_clear_errors_without_secrets(uri, message):
    env = {"NEO4J_URI": uri, "NEO4J_PASSWORD": "SECRET"}
    for command in (["load"], ["query", "RETURN 1 AS one"], ["export", "--from", "neo4j"],
                    ["query", "--uri", uri, "RETURN 1 AS one"]):
        result = CliRunner(env=env).invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"Error: {message}"), result.output
        assert "SECRET" not in result.output


def test_a_uri_with_credentials_is_refused_by_the_installed_command(autograph_exe, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI="bolt://neo4j:SECRET@127.0.0.1:7687", NEO4J_PASSWORD="SECRET")
    result = run_cli(autograph_exe, "load", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr == ("Error: NEO4J_URI must not contain a user name or password: set "
                             "NEO4J_USERNAME and NEO4J_PASSWORD instead\n")


# -- 9. terminal output ------------------------------------------------------------------------

OSC = "\x1b]0;pwned\x07"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_rendered_output_carries_no_control_characters(fmt):
    text = render([{"name": f"CATL{OSC}\x9b31m\u202eevil\r", "n": 1}], fmt)
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e\r"), repr(text)
    assert "pwned" in text


def test_analyze_role_does_not_pass_an_osc_sequence_to_the_terminal(data_copy, autograph_exe):
    from helpers import replace_in
    replace_in(data_copy / "entities.csv", "catl,Company,CATL,", f"catl,Company,CATL{OSC},")
    for fmt in ("json", "csv"):
        result = CliRunner().invoke(cli, ["analyze", "role", "catl", "--data", str(data_copy),
                                          "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
    result = run_cli(autograph_exe, "analyze", "role", "catl", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "CATL\\x1b]0;pwned\\x07" in result.stdout
    result = CliRunner().invoke(cli, ["analyze", "role", f"nobody{OSC}", "--data",
                                      str(data_copy)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "nobody\\x1b]0;pwned\\x07" in result.output


# -- 10. export --from neo4j of nodes edited on the server -------------------------------------

@neo4j
def test_export_from_neo4j_reports_edited_nodes_like_validation(bolt_settings, db, G,
                                                                  autograph_exe, tmp_path):
    db.load(G, "autograph", BUNDLED)
    for edit in ["MATCH (n {id: 'catl'}) REMOVE n.id",
                 "MATCH (n {id: 'china'}) SET n.supplierCount = 'many'",
                 "MATCH ()-[r {id: 'vw-jv-rivian'}]->() SET r.date = 'soon'",
                 "CREATE (:Company {_dataset: 'autograph', name: 'no id'})",
                 "MATCH (n {id: 'belgium'}) SET n.aliases = 5"]:
        db.query(edit, write=True)
    db.query("CREATE (:Company {id: 'foreign', name: 'not ours'})", write=True)
    result = run_cli(autograph_exe, "export", "--from", "neo4j", "-o",
                     str(tmp_path / "g.json"), env=bolt_env(bolt_settings))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")
    assert "problems in neo4j dataset 'autograph' on the server" in result.stderr
    assert "node 'china' supplierCount: 'many' is not of type int" in result.stderr
    assert "relationship 'vw-jv-rivian' date: 'soon' is not a date" in result.stderr
    assert "a Company node id: missing" in result.stderr
    assert "foreign" not in result.stderr
    assert not (tmp_path / "g.json").exists()


# -- 11. the test server is reachable from this machine only ----------------------------------

@neo4j
def test_the_bolt_port_is_unreachable_beyond_loopback(bolt_settings):
    if os.environ.get("NEO4J_URI") or private_network() is None:
        pytest.skip("the Bolt server is not the private Neo4j test server in this run")
    port = int(bolt_settings.uri.rsplit(":", 1)[1])
    assert [name for _, name in socket.if_nameindex()] == ["lo"]
    socket.create_connection(("127.0.0.1", port), timeout=5).close()
    with private_network().left():
        addresses = [a for name, a in ipv4_addresses().items() if name != "lo"]
        assert addresses, "this machine has no non-loopback IPv4 address to try"
        for address in [*addresses, "127.0.0.1"]:
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=5).close()


def test_an_unused_port_is_refused(tmp_path, autograph_exe):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["NEO4J_URI"] = f"bolt://127.0.0.1:{free_port()}"
    result = run_cli(autograph_exe, "query", "RETURN 1 AS one", cwd=tmp_path, env=env)
    assert result.returncode == 1 and "cannot reach" in result.stderr
