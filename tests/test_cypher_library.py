"""Meta-tests on cypher/: headers, parameters, use, and Neo4j 5 lint with Neo4j's own linter."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graph import schema
from graph.backends.networkx import ENTITY_FIELDS, RELATION_FIELDS
from graph.cypher import (list_queries, load_template, parameters_of, render_template,
                          strip_comments)
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
    keys |= {"id", "_dataset", "_load", "_created"}
    keys |= {f"{d}Precision" for d in ("date", "endDate", "asOf")}
    keys |= {"_lockDataset", "_lockRun", "_lockExpires"}  # the load lock (load/lock_*.cypher)
    keys |= {"source", "target", "props"}  # keys of the $rows maps the load templates unwind
    return {"labels": list(schema.NODE_LABELS), "relationshipTypes": list(schema.REL_TYPES),
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
