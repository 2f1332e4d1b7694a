"""$asOf in the Cypher library without a server: optional parameters and source dates.

The answers themselves are checked against ``--as-of`` on networkx on the Bolt test server
(tests/test_neo4j.py, ``test_library_as_of_matches_networkx``)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import graph
from graph.cli import cli
from graph.cypher import list_queries, load_query, resolve, with_source_dates
from graph.errors import QueryError

REGISTRY = {"b": {"date": "2024-05"}, "a": {"date": "2019"}, "c": {"date": ""}, "d": {}}


def test_as_of_parameters_default_to_every_relation():
    q = load_query("role_of_entity")
    assert q.defaults == {"asOf": None, "datedSources": [], "sourceDates": []}
    _, params = resolve("role_of_entity", {"entity": "catl"})
    assert params["asOf"] is None and params["datedSources"] == []
    with pytest.raises(QueryError, match="missing entity"):
        resolve("role_of_entity", {"asOf": "2024"})


def test_every_query_that_takes_as_of_takes_the_source_dates_too():
    takers = [q for q in list_queries() if "asOf" in q.params]
    assert len(takers) >= 12
    for q in takers:
        assert {"datedSources", "sourceDates"} <= set(q.defaults), q.name


def test_source_dates_are_filled_only_when_needed():
    filled = with_source_dates("role_of_entity", {"entity": "x", "asOf": "2024"}, REGISTRY)
    assert filled["datedSources"] == ["a", "b"] and filled["sourceDates"] == ["2019", "2024-05"]
    assert with_source_dates("role_of_entity", {"entity": "x"}, REGISTRY) == {"entity": "x"}
    given = {"entity": "x", "asOf": "2024", "datedSources": [], "sourceDates": []}
    assert with_source_dates("role_of_entity", given, REGISTRY) == given
    assert with_source_dates("find_entities", {"text": "x", "asOf": "2024"}, REGISTRY) == {
        "text": "x", "asOf": "2024"}
    assert with_source_dates("MATCH (n) RETURN n", {"asOf": "2024"}, REGISTRY) == {
        "asOf": "2024"}


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
