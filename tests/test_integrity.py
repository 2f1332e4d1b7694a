"""Meta-tests on the bundled data: provenance, sources, and our own words."""

from __future__ import annotations

import re

import pytest

from graph import load_dataset

from conftest import SEEDS


def test_every_relation_cites_registered_sources_and_has_evidence():
    ds = load_dataset()
    for rel in ds.relations.values():
        assert rel.sources, rel.id
        assert set(rel.sources) <= set(ds.sources), rel.id
        assert rel.evidence.strip(), rel.id
        assert 0 < rel.confidence <= 1, rel.id


def test_every_source_is_cited_and_names_a_seed_file():
    ds = load_dataset()
    cited = {s for r in ds.relations.values() for s in r.sources}
    assert cited == set(ds.sources)
    for src in ds.sources.values():
        assert src.file == f"{src.id}.txt"
        if SEEDS.is_dir():
            assert (SEEDS / src.file).is_file(), src.file


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
    notes = [r.evidence for r in ds.relations.values()]
    notes += [s.note for s in ds.sources.values()]
    for note in notes:
        words = _words(note)
        copied = [g for g in zip(*(words[i:] for i in range(6))) if g in grams]
        assert not copied, (note, copied)
