"""Ingest recall and precision on three sets of articles, and ingest time against length.

* **tune**: the twenty articles of ``tests/corpus/tune`` the rules were tuned on;
* **test**: the ten articles of ``tests/corpus/test`` nobody tuned on (scored only as one
  aggregate; ``--verbose`` never lists them article by article);
* **seeds**: the five seed articles, scored against the bundled dataset.

Each article is ingested on its own against a dataset holding only the bundled Country
nodes, at the default score threshold (``min_score`` in ``graph/ingest/cues.toml``), and
scored by the rules of ``graph/ingest/evaluate.py``. Prints entity and relation recall and
precision per set and OK/MISSED against issue 28's targets on the test part (entities
>= 85 % recall; relations >= 70 % recall at >= 50 % precision).

``--corpus DIR`` scores any folder of articles with keys in the corpus's format (``*.txt``
beside ``*.key.toml``, see ``tests/corpus/README.md``) instead, with OK/MISSED against the
same targets: a hidden set is scored the same way as the test part. ``--tune-only`` scores
the tune part alone, ``--no-test`` the tune part and the seeds (while tuning, the test part
stays unseen).

``--size MB`` (default 5; 0 skips it) also times one article of that size, the corpus
repeated, against issue 24's target: a 5 MB article within 30 s, and the time of 1/4 of
it, so the growth ratio shows whether ingest stays linear in the length.

    python bench/bench_ingest.py [--seeds DIR] [--size MB] [--verbose]
    python bench/bench_ingest.py --corpus DIR [--size 0]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import load_dataset  # noqa: E402
from graph.ingest.candidates import ingest  # noqa: E402
from graph.ingest.evaluate import (MISS_CAUSES, countries_only, ingest_seeds,  # noqa: E402
                                   key_misses, key_of_dataset, miss_causes, score_candidates,
                                   score_corpus)

CORPUS = ROOT / "tests" / "corpus"
TARGETS = {"entity_recall": 0.85, "relation_recall": 0.70, "relation_precision": 0.50}


def line(name: str, s) -> str:
    return (f"{name:6} entities recall {s.entities_found}/{s.entities_total} = "
            f"{s.entity_recall:.1%}, precision {s.entity_candidates_matching}/"
            f"{s.entity_candidates} = {s.entity_precision:.1%} | relations recall "
            f"{s.relations_found}/{s.relations_total} = {s.relation_recall:.1%}, precision "
            f"{s.relation_candidates_matching}/{s.relation_candidates} = "
            f"{s.relation_precision:.1%}")


def long_article(folder: Path, megabytes: float) -> Path:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*/*.txt"))]
    block = "\n".join(texts)
    reps = max(1, int(megabytes * 1e6 / len(block.encode())) + 1)
    path = folder / f"long-{megabytes:g}mb.txt"
    path.write_text("\n".join([block] * reps)[: int(megabytes * 1e6)], encoding="utf-8")
    return path


def causes_table(parts: dict[str, list[dict[str, list[str]]]]) -> str:
    """Missed relations per cause (rows) and set (columns), from :func:`miss_causes`."""
    names = list(parts)
    rows = [f"{'why a relation is missed':34}" + "".join(f"{n:>8}" for n in names)]
    for cause in MISS_CAUSES:
        counts = [sum(len(c[cause]) for c in parts[n]) for n in names]
        rows.append(f"{cause:34}" + "".join(f"{k:>8}" for k in counts))
    totals = [sum(len(v) for c in parts[n] for v in c.values()) for n in names]
    rows.append(f"{'missed in all':34}" + "".join(f"{k:>8}" for k in totals))
    return "\n".join(rows)


def targets_line(name: str, s) -> str:
    ok = all(getattr(s, k) >= v for k, v in TARGETS.items())
    return (f"targets on the {name} part (entities >= 85 % recall, relations >= 70 % recall "
            f"at >= 50 % precision): {'OK' if ok else 'MISSED'}")


def main() -> int:
    ap = argparse.ArgumentParser()
    seeds = next((p / "shared" / "seeds" for p in ROOT.parents
                  if (p / "shared" / "seeds").is_dir()), ROOT.parent / "shared" / "seeds")
    ap.add_argument("--seeds", default=str(seeds))
    ap.add_argument("--size", type=float, default=5.0)
    ap.add_argument("--verbose", action="store_true",
                    help="list the tune part's and the seeds' misses, and a table of why "
                         "relations are missed")
    ap.add_argument("--corpus", action="append", metavar="DIR",
                    help="score this folder of *.txt + *.key.toml instead (repeatable)")
    ap.add_argument("--tune-only", action="store_true",
                    help="score the tune part alone (while tuning: the test part stays unseen)")
    ap.add_argument("--no-test", action="store_true",
                    help="score the tune part and the seeds, not the test part")
    args = ap.parse_args()
    reference = load_dataset()
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = countries_only(reference, Path(tmp) / "base")
        base = load_dataset(base_dir)
        if args.corpus:
            for folder in args.corpus:
                if not sorted(Path(folder).glob("*.key.toml")):
                    print(f"{folder}: no articles with keys (*.txt beside *.key.toml)",
                          file=sys.stderr)
                    return 1
                score, _ = score_corpus(folder, base_dir)
                name = Path(folder).name
                print(line(name, score))
                print(targets_line(name, score))
            return 0
        t0 = time.perf_counter()
        tune, per = score_corpus(CORPUS / "tune", base_dir)
        print(line("tune", tune))
        causes = {"tune": [miss_causes(cands, key, base) for cands, key, _ in per.values()]}
        if args.verbose:
            for name, (cands, key, _) in per.items():
                for miss in key_misses(cands, key, base):
                    print(f"  {name}: {miss}")
                for cause, missed in miss_causes(cands, key, base).items():
                    for rel in missed:
                        print(f"  {name}: {cause}: {rel}")
        if args.tune_only:
            if args.verbose:
                print(causes_table(causes))
            return 0
        test = None
        n_test = 0
        if not args.no_test:
            test, per_test = score_corpus(CORPUS / "test", base_dir)
            n_test = len(per_test)
        _, union = ingest_seeds(sorted(Path(args.seeds).glob("*.txt")), base_dir)
        took = time.perf_counter() - t0
        seed = score_candidates(union, reference, base)
        if args.verbose:
            seed_causes = miss_causes(union, key_of_dataset(reference), base)
            for cause, missed in seed_causes.items():
                for rel in missed:
                    print(f"  seeds: {cause}: {rel}")
            causes["seeds"] = [seed_causes]
            print(causes_table(causes))
        if test is not None:
            print(line("test", test))
        print(line("seeds", seed))
        print(f"ingest time for the {len(per) + n_test + len(union.sources)} "
              f"articles: {took:.1f} s")
        if args.size > 0:
            for mb in (args.size / 4, args.size):
                path = long_article(Path(tmp), mb)
                t0 = time.perf_counter()
                cands = ingest([path], base_dir)
                secs = time.perf_counter() - t0
                print(f"one article of {mb:g} MB: {secs:.1f} s, {len(cands.entities)} "
                      f"entities, {len(cands.relations)} relations")
            print(f"5 MB within 30 s: {'OK' if secs <= 30 * args.size / 5 else 'MISSED'}")
    if test is not None:
        print(targets_line("test", test))
    return 0


if __name__ == "__main__":
    sys.exit(main())
