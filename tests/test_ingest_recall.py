"""Issue 12's acceptance figures: ingesting each seed article against a dataset that holds
only the Country nodes finds >= 80 % of the bundled entities and >= 60 % of its relations
among the candidates (matching rule: graph/ingest/evaluate.py). The recall floors are the
issue's targets; the counts of what is found pin the figures measured when this test was
written (bench/bench_ingest.py prints them: 64 of 80 entities, 83 of 130 relations), so any
fall of the extractor fails, even one that stays above the targets. Raise them when the
extractor finds more."""

from __future__ import annotations

import pytest

import graph
from graph.ingest.evaluate import countries_only, ingest_seeds, score_candidates

from conftest import SEEDS
from helpers import missing_tool

ENTITY_RECALL_FLOOR = 0.80
RELATION_RECALL_FLOOR = 0.60
ENTITIES_FOUND, RELATIONS_FOUND = 64, 83
# precision is reported, not a target; these floors catch a flood of junk candidates
ENTITY_PRECISION_FLOOR = 0.65
RELATION_PRECISION_FLOOR = 0.12


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    paths = sorted(SEEDS.glob("*.txt"))
    if len(paths) < 5:
        missing_tool(f"the five seed articles are missing from {SEEDS}")
    reference = graph.load_dataset()
    base_dir = countries_only(reference, tmp_path_factory.mktemp("base") / "data")
    base = graph.load_dataset(base_dir)
    per, union = ingest_seeds(paths, base_dir)
    return reference, base, per, union


def test_recall_and_precision_on_the_seed_articles(scored):
    reference, base, _, union = scored
    s = score_candidates(union, reference, base)
    print(s.as_dict())
    assert s.entities_total > 0 and s.relations_total > 0
    assert s.entities_found >= ENTITIES_FOUND, s.as_dict()
    assert s.relations_found >= RELATIONS_FOUND, s.as_dict()
    assert s.entity_recall >= ENTITY_RECALL_FLOOR, s.as_dict()
    assert s.relation_recall >= RELATION_RECALL_FLOOR, s.as_dict()
    assert s.entity_precision >= ENTITY_PRECISION_FLOOR, s.as_dict()
    assert s.relation_precision >= RELATION_PRECISION_FLOOR, s.as_dict()


def test_every_article_yields_candidates(scored):
    reference, base, per, _ = scored
    for sid, cands in per.items():
        s = score_candidates(cands, reference, base, {sid})
        assert s.entities_found > 0 and s.relations_found > 0, (sid, s.as_dict())


def test_reference_only_relations_are_left_out(scored):
    import dataclasses

    reference, base, _, union = scored
    if "kind" not in {f.name for f in dataclasses.fields(graph.Source)}:
        pytest.skip("this data model has no source kinds yet")
    total = score_candidates(union, reference, base).relations_total
    only_ref = [r for r in reference.relations.values()
                if all(reference.sources[s].kind == "reference" for s in r.sources)]
    assert total == len(reference.relations) - len(only_ref)
