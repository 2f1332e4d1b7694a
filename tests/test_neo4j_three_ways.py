"""One graph, three ways into Neo4j: `autograph load`; the `export --format csv` folder
imported by neo4j-admin (the real bulk importer) into a fresh database; and the
`export --format cypher` script run through the driver. All three must give the same nodes,
relationships, labels, types, properties with their types, dates with their precision,
validFrom/validUntil and _dataset, and `export --from neo4j` must read each back as the
dataset. Differences allowed, as documented: load's run id (`_load`) and its dataset node,
and empty lists (the importer cannot write one; load and the script store `[]`).
"""

from __future__ import annotations

import subprocess

import pytest

from graph.backends.neo4j import BoltSettings, Neo4jBackend

from bolt_server import SERVER_SCRIPT
from conftest import start_test_server
from helpers import assert_same_graph, bolt_env, run_cli

pytestmark = pytest.mark.neo4j


def _dump(db, dataset: str) -> tuple[dict, dict]:
    """Every node and relationship of *dataset* with its stored properties (dates as ISO
    text; :func:`_typed` compares the value types)."""
    nodes = {}
    for labels, props in db.query("MATCH (n) WHERE n._dataset = $d RETURN labels(n), "
                                  "properties(n)", {"d": dataset}).rows:
        nodes[labels[0], props["id"]] = props
    rels = {}
    for rtype, a, b, props in db.query("MATCH (a)-[r]->(b) WHERE r._dataset = $d "
                                       "RETURN type(r), a.id, b.id, properties(r)",
                                       {"d": dataset}).rows:
        rels[rtype, props["id"], a, b] = props
    return nodes, rels


def _typed(db, dataset: str) -> dict:
    """The Cypher type of every property value (valueType), to compare types exactly."""
    rows = db.query("MATCH (n) WHERE n._dataset = $d UNWIND keys(n) AS k "
                    "RETURN n.id, k, valueType(n[k]) UNION ALL "
                    "MATCH ()-[n]->() WHERE n._dataset = $d UNWIND keys(n) AS k "
                    "RETURN n.id, k, valueType(n[k])", {"d": dataset}).rows
    return {(i, k): t for i, k, t in rows if k != "_load"}


def _comparable(dump: tuple[dict, dict]) -> tuple[dict, dict]:
    def clean(props):
        return {k: v for k, v in props.items() if k != "_load" and v != []}
    return tuple({key: clean(p) for key, p in part.items()} for part in dump)


def _script_statements(text: str) -> list[str]:
    return [line.removesuffix(";") for line in text.splitlines()
            if line and not line.startswith("//")]


def test_one_graph_three_ways_in(db, bolt_settings, G, tmp_path, autograph_exe):
    env = bolt_env(bolt_settings)
    # 1. load
    result = run_cli(autograph_exe, "load", env=env)
    assert result.returncode == 0, result.stderr
    loaded, loaded_types = _dump(db, "autograph"), _typed(db, "autograph")
    assert any(p.get("validFrom") for p in loaded[1].values())

    # 2. the Cypher script through the driver, into the emptied database
    script = run_cli(autograph_exe, "export", "--format", "cypher", env=env)
    assert script.returncode == 0, script.stderr
    db.query("MATCH (n) DETACH DELETE n", write=True)
    for statement in _script_statements(script.stdout):
        db.query(statement, write=True)
    scripted, scripted_types = _dump(db, "autograph"), _typed(db, "autograph")
    assert_same_graph(G, db.fetch_graph("autograph"))

    # 3. the CSV folder through neo4j-admin into a fresh database, then a server on it
    folder = tmp_path / "csv"
    csv = run_cli(autograph_exe, "export", "--format", "csv", "--keep-formulas", "-o",
                  str(folder), env=env)
    assert csv.returncode == 0, csv.stderr
    home = tmp_path / "imported"
    imported = subprocess.run(
        [str(SERVER_SCRIPT), "admin", "--home", str(home), "database", "import", "full",
         f"--nodes={folder / 'nodes.csv'}", f"--relationships={folder / 'relationships.csv'}",
         "--multiline-fields=true", "neo4j"], capture_output=True, text=True, timeout=600)
    assert imported.returncode == 0, imported.stdout[-2000:] + imported.stderr[-2000:]
    assert "IMPORT DONE" in imported.stdout
    server = start_test_server(home=str(home))
    try:
        settings = BoltSettings(uri=server.uri, password=server.password)
        with Neo4jBackend(settings) as fresh:
            bulk, bulk_types = _dump(fresh, "autograph"), _typed(fresh, "autograph")
            assert_same_graph(G, fresh.fetch_graph("autograph"))
    finally:
        server.stop()

    assert _comparable(loaded) == _comparable(scripted) == _comparable(bulk)
    assert {k: v for k, v in loaded_types.items()} == scripted_types
    # the importer writes no empty lists: compare the types of what it wrote
    assert {k: v for k, v in loaded_types.items() if k in bulk_types} == bulk_types
    dates = {t for (i, k), t in loaded_types.items()
             if k in ("date", "endDate", "asOf", "validFrom", "validUntil")}
    assert dates == {"DATE NOT NULL"}
    # the precision beside each native date: a month-precision date is its month's first day
    month = [p for p in loaded[1].values() if p.get("datePrecision") == "month"]
    assert month and all(p["date"].endswith("-01") for p in month)
