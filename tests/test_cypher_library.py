"""Meta-tests on cypher/: headers, parameters, use, and Neo4j 5 lint with Neo4j's own linter."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest

from graph import schema
from graph.backends.networkx import ENTITY_FIELDS, RELATION_FIELDS
from graph.cypher import (list_queries, load_template, parameters_of, render_template,
                          resolve, strip_comments)
from graph.errors import QueryError
from graph.resources import cypher_dir

from conftest import ROOT
from helpers import node_packages

LINT_DIR = Path(__file__).parent / "lint"
TEMPLATE_DIRS = ("load", "schema", "admin")


def _templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in (cypher_dir() / d).glob("*.cypher"))


def test_the_library_has_at_least_twelve_documented_queries():
    queries = list_queries()
    assert len(queries) >= 12
    for q in queries:
        assert q.description.endswith("."), q.name
        assert set(q.params) | set(q.type_params) == parameters_of(q.text), q.name
        assert not set(q.params) & set(q.type_params), q.name
        # parameters declared with a default (`@param asOf = null: ...`) may be left out
        assert set(q.example) | set(q.defaults) == set(q.params), q.name
        assert set(q.defaults) <= set(q.params), q.name
        assert all(q.params.values()), f"{q.name}: every @param needs a description"


# The one test every library query asks of a relationship r when $asOf is given: it held on
# that day (graph.selection.holds_at, the rule of --as-of, on the validFrom/validUntil that
# load stores).
AS_OF_TEST = re.compile(r"\$asOf IS NULL OR (\w+)\.validFrom <= \$asOf "
                        r"AND coalesce\(\1\.validUntil > \$asOf, true\)")


def test_library_queries_are_short_and_ask_as_of_in_one_predicate():
    """Issue 23's targets: median body (the text without its header) at most 300 characters,
    none over 1,000, and no date arithmetic: $asOf is only ever used in AS_OF_TEST."""
    sizes = {q.name: len(q.text) for q in list_queries()}
    assert statistics.median(sizes.values()) <= 300, sorted(sizes.items(), key=lambda x: x[1])
    assert max(sizes.values()) <= 1000, max(sizes, key=sizes.get)
    for q in list_queries():
        if "asOf" not in q.params:
            continue
        assert q.defaults["asOf"] is None, q.name
        tests = AS_OF_TEST.findall(q.text)
        assert tests, f"{q.name} never tests $asOf"
        rest = AS_OF_TEST.sub("", q.text)
        assert "$asOf" not in rest, f"{q.name} uses $asOf outside the as-of test"
        for pasted in ("datedSources", "sourceDates", "toString(", "'~'", "duration(", "date("):
            assert pasted not in q.text, f"{q.name} computes dates: {pasted}"


def test_the_size_test_can_fail():
    """The as-of pattern does not match the old pasted expressions or a half-written test."""
    assert not AS_OF_TEST.search("$asOf IS NULL OR r.validFrom <= $asOf")
    assert not AS_OF_TEST.search("$asOf IS NULL OR r.validFrom <= $asOf AND "
                                 "coalesce(x.validUntil > $asOf, true)")
    assert AS_OF_TEST.search("$asOf IS NULL OR r.validFrom <= $asOf AND "
                             "coalesce(r.validUntil > $asOf, true)")


def test_as_of_is_sent_as_the_last_day_of_its_period():
    """`-p asOf 2024` arrives as the JSON number 2024: the year, as `--as-of 2024` reads it."""
    for given, day in ((2024, dt.date(2024, 12, 31)), ("2024", dt.date(2024, 12, 31)),
                       ("2024-02", dt.date(2024, 2, 29)), ("2023-06-15", dt.date(2023, 6, 15)),
                       (None, None)):
        _, params = resolve("role_of_entity", {"entity": "catl", "asOf": given})
        assert params["asOf"] == day, given
    _, params = resolve("role_of_entity", {"entity": "catl"})
    assert params["asOf"] is None
    with pytest.raises(QueryError, match="asOf must be a date YYYY, YYYY-MM or YYYY-MM-DD, "
                                         "not '2024-13'"):
        resolve("role_of_entity", {"entity": "catl", "asOf": "2024-13"})


def test_every_template_is_used_by_the_package_tests_or_benchmarks():
    sources = "\n".join(p.read_text() for p in [*ROOT.glob("graph/**/*.py"),
                                                 *ROOT.glob("tests/*.py"),
                                                 *ROOT.glob("bench/*.py")])
    for path in _templates():
        ref = f"{path.parent.name}/{path.stem}"
        assert f'"{ref}"' in sources, f"{ref} is not used"


def test_templates_take_names_only_from_the_whitelist():
    text = load_template("load/merge_nodes")
    with pytest.raises(Exception, match="unknown node label"):
        render_template(text, LABEL="Company) DETACH DELETE (m")
    with pytest.raises(Exception, match="unfilled"):
        render_template(text)


def _lint_inputs() -> list[dict]:
    queries = [{"name": q.name, "text": q.text,
                "parameters": {**q.defaults, **q.example, **q.schema_parameters()}}
               for q in list_queries()]
    for path in _templates():
        text = strip_comments(path.read_text())
        params = {p: [] if p in ("rows", "ids", "keep") else 1 if p == "lease" else "x"
                  for p in parameters_of(text)}
        names = {"LABEL": "Company", "START": "Company", "END": "Plant", "TYPE": "SUPPLIES"}
        used = {k: v for k, v in names.items() if f"__{k}__" in text}
        queries.append({"name": f"{path.parent.name}/{path.stem}",
                        "text": render_template(text, **used), "parameters": params})
    return queries


def _lint_schema() -> dict:
    keys = set(ENTITY_FIELDS) | set(RELATION_FIELDS) | set(schema.ENTITY_PROPERTIES)
    keys |= set(schema.RELATION_PROPERTIES) | set(schema.DEAL_FIELDS) | {"role"}
    keys |= {"id", *schema.INTERNAL_FIELDS, *schema.VALIDITY_FIELDS}
    keys |= {f"{d}Precision" for d in schema.DATE_FIELDS}
    keys |= set(schema.DATASET_NODE_FIELDS)  # the datasets' own nodes
    keys |= {"source", "target", "props"}  # keys of the $rows maps the load templates unwind
    return {"labels": [*schema.NODE_LABELS, schema.DATASET_LABEL],
            "relationshipTypes": list(schema.REL_TYPES),
            "propertyKeys": sorted(keys)}


def test_every_cypher_file_lints_clean_with_neo4j_language_support():
    node_packages(LINT_DIR, "@neo4j-cypher/language-support")
    node = shutil.which("node")
    assert node, "node is needed to run the Neo4j Cypher linter"
    payload = json.dumps({"schema": _lint_schema(), "queries": _lint_inputs()})
    result = subprocess.run([node, "lint_cypher.mjs"], input=payload, capture_output=True,
                            text=True, cwd=LINT_DIR, timeout=300, check=True)
    diagnostics = {k: v for k, v in json.loads(result.stdout).items() if v}
    assert diagnostics == {}


def test_the_linter_does_catch_mistakes():
    """The harness is not a no-op: a misspelt label and a syntax error are reported."""
    payload = json.dumps({"schema": _lint_schema(), "queries": [
        {"name": "typo", "text": "MATCH (n:Compny) RETURN n.id", "parameters": {}},
        {"name": "syntax", "text": "MATCH (n RETURN n", "parameters": {}}]})
    result = subprocess.run([shutil.which("node") or "node", "lint_cypher.mjs"], input=payload,
                            capture_output=True, text=True, cwd=LINT_DIR, timeout=300, check=True)
    out = json.loads(result.stdout)
    assert "Label Compny is not present" in out["typo"][0]["message"]
    assert out["syntax"] and out["syntax"][0]["severity"] == 1
