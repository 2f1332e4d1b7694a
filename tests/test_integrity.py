"""Meta-tests on the bundled data: provenance, sources, and our own words."""

from __future__ import annotations

import csv
import re

import pytest

import networkx as nx

import graph
from graph import load_dataset, schema
from graph.resources import data_dir

from conftest import SEEDS


def test_every_relation_cites_registered_sources_and_has_evidence():
    ds = load_dataset()
    for rel in ds.relations.values():
        assert rel.sources, rel.id
        assert set(rel.sources) <= set(ds.sources), rel.id
        assert rel.evidence.strip(), rel.id
        assert 0 < rel.confidence <= 1, rel.id


def test_every_source_is_cited_graded_and_names_a_seed_file_or_url():
    ds = load_dataset()
    cited = {s for r in [*ds.relations.values(), *ds.deals.values()] for s in r.sources}
    cited |= {s for r in ds.relations.values() for s in r.disputedBy}
    assert cited == set(ds.sources)
    for src in ds.sources.values():
        assert src.reliability in "ABCDEF" and len(src.reliabilityNote) > 40, src.id
        if src.kind == "reference":
            assert src.url.startswith("https://") and not src.file, src.id
            continue
        assert src.file == f"{src.id}.txt"
        if SEEDS.is_dir():
            assert (SEEDS / src.file).is_file(), src.file


def test_no_isolated_country_and_every_actor_reaches_its_country():
    G = graph.load_graph()
    places = nx.DiGraph((u, v) for u, v, d in G.edges(data=True)
                        if d["type"] in ("HEADQUARTERED_IN", "LOCATED_IN") and not d["disputedBy"]
                        and "hqScope" not in d)
    for n, d in G.nodes(data=True):
        if d["label"] == "Country":
            assert G.degree(n) > 0, n
        if d["label"] in schema.ACTORS:
            reached = {G.nodes[c]["country"] for c in nx.descendants(places, n)
                       if G.nodes[c]["label"] == "Country"}
            assert reached == {d["country"]}, (n, reached)


def test_disputed_claims_stay_and_name_references_that_carry_the_correction():
    ds = load_dataset()
    disputed = [r for r in ds.relations.values() if r.disputedBy]
    assert {r.id for r in disputed} >= {"daf-operates-temse", "audi-brussels-uses-meb",
                                        "exquicity-uses-toyota-fc", "covestro-hq-flanders",
                                        "volvo-gent-produces-ex90", "ex90-uses-sea",
                                        "volvo-gent-produces-ex30"}
    for rel in disputed:
        for sid in rel.disputedBy:
            assert ds.sources[sid].kind == "reference", rel.id
            # the reference records its own version of the fact
            assert any(sid in r.sources for r in ds.relations.values()), (rel.id, sid)
        assert all(ds.sources[s].kind != "reference" for s in rel.sources), rel.id


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not beside this checkout")
def test_evidence_notes_are_our_own_words():
    """No evidence note or property note repeats six consecutive words of an article."""
    grams = set()
    for path in SEEDS.glob("*.txt"):
        words = _words(path.read_text(encoding="utf-8"))
        grams |= {tuple(words[i:i + 6]) for i in range(len(words) - 5)}
    ds = load_dataset()
    notes = [r.evidence for r in [*ds.relations.values(), *ds.deals.values()]]
    notes += [text for s in ds.sources.values() for text in (s.title, s.note, s.reliabilityNote)]
    notes += [e.description for e in ds.entities.values()]
    with (data_dir() / "properties.csv").open(encoding="utf-8", newline="") as f:
        notes += [row["note"] for row in csv.DictReader(f)]
    for note in notes:
        words = _words(note)
        copied = [g for g in zip(*(words[i:] for i in range(6))) if g in grams]
        assert not copied, (note, copied)


# What an article must say for a PRODUCES it supports: a word of making or building.
_PRODUCTION_STEMS = ("produ", "fertig", "herstell", "baut", "gebaut", "montage", "assembl",
                     "build", "built", "manufactur")


def _listed_production_claims() -> dict[str, tuple[str, str]]:
    """The table of data/README.md's "Production claims from articles" section:
    relation id -> (source id, the source's words)."""
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    section = text.split("## Production claims from articles", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in section.splitlines() if line.startswith("| `")]
    assert rows, "the section has no table rows"
    return {rel.strip("`"): (src.strip("`"), words) for rel, src, words in rows}


def test_every_production_claim_from_an_article_is_listed_with_its_source():
    """A PRODUCES that cites an article or press release appears in data/README.md's list of
    production claims, under a source it cites."""
    ds = load_dataset()
    listed = _listed_production_claims()
    from_articles = {r.id for r in ds.relations.values() if r.type == "PRODUCES"
                     and any(ds.sources[s].kind != "reference" for s in r.sources)}
    assert from_articles == set(listed)
    for rid, (sid, _) in listed.items():
        assert sid in ds.relations[rid].sources and ds.sources[sid].kind != "reference", rid


def _names(entity) -> list[list[str]]:
    return [_words(n) for n in (entity.name, *entity.aliases)]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not beside this checkout")
def test_listed_production_claims_quote_an_article_that_says_who_builds_the_model():
    """The listed words are in the article and name the maker, the model and the making."""
    ds = load_dataset()
    for rid, (sid, quote) in _listed_production_claims().items():
        rel = ds.relations[rid]
        article = " ".join((SEEDS / ds.sources[sid].file).read_text(encoding="utf-8").split())
        for fragment in quote.split("…"):
            assert " ".join(fragment.split()) in article, (rid, fragment)
        words = _words(quote)

        def named(entity, words=words):
            return any(name and all(any(w.startswith(n) for w in words) for n in name)
                       for name in _names(entity))

        assert named(ds.entities[rel.source]) and named(ds.entities[rel.target]), rid
        assert any(w.startswith(_PRODUCTION_STEMS) for w in words), rid
