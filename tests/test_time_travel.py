"""$asOf in the Cypher library without a server: an optional date, the last day of its period.

The answers themselves are checked against ``--as-of`` on networkx on the Neo4j test server
(tests/test_library_on_neo4j.py, ``test_library_as_of_matches_networkx``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

import graph
from graph.cli import cli
from graph.cypher import list_queries, load_query, resolve
from graph.errors import QueryError


def test_as_of_parameters_default_to_every_relation():
    q = load_query("role_of_entity")
    assert q.defaults == {"asOf": None}
    _, params = resolve("role_of_entity", {"entity": "catl"})
    assert params["asOf"] is None
    _, params = resolve("role_of_entity", {"entity": "catl", "asOf": "2024"})
    assert params["asOf"] == dt.date(2024, 12, 31)
    with pytest.raises(QueryError, match="missing entity"):
        resolve("role_of_entity", {"asOf": "2024"})


def test_every_query_that_lists_relations_takes_as_of():
    takers = {q.name for q in list_queries() if "asOf" in q.params}
    assert len(takers) >= 12
    assert {q.name for q in list_queries()} - takers == {
        "find_entities", "gds_pagerank_louvain", "fetch_nodes", "fetch_relationships"}
    assert all(load_query(name).defaults == {"asOf": None} for name in takers)


def test_predict_as_of_uses_only_what_held_then():
    G = graph.load_graph()
    then = graph.select(G, as_of="2019")
    result = CliRunner().invoke(cli, ["analyze", "predict", "--as-of", "2019", "--top", "50",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows, "something to suggest in 2019"
    assert all(r["source"] in then and r["target"] in then for r in rows)
    now = json.loads(CliRunner().invoke(cli, ["analyze", "predict", "--top", "50", "--format",
                                              "json"]).output)
    assert {(r["source"], r["target"]) for r in rows} != {(r["source"], r["target"])
                                                          for r in now}
