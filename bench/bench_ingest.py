"""Ingest recall and precision on the five seed articles (see graph/ingest/evaluate.py).

Each article is ingested on its own against a dataset that holds only the bundled Country
nodes; the candidates are then scored against the bundled dataset, per article and for all
five together (the union of the candidates). Prints the figures and OK/MISSED against the
targets of issue 12 (entities >= 80 %, relations >= 60 %).

    python bench/bench_ingest.py [--seeds DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.ingest.evaluate import countries_only, ingest_seeds, score_candidates  # noqa: E402
from graph import load_dataset  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    seeds = next((p / "shared" / "seeds" for p in ROOT.parents
                  if (p / "shared" / "seeds").is_dir()), ROOT.parent / "shared" / "seeds")
    ap.add_argument("--seeds", default=str(seeds))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    reference = load_dataset()
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = countries_only(reference, Path(tmp) / "base")
        base = load_dataset(base_dir)
        t0 = time.perf_counter()
        per, union = ingest_seeds(sorted(Path(args.seeds).glob("*.txt")), base_dir)
        took = time.perf_counter() - t0
    for sid, cands in per.items():
        s = score_candidates(cands, reference, base, {sid})
        print(f"{sid}: entities {s.entities_found}/{s.entities_total} "
              f"({s.entity_recall:.0%}), relations {s.relations_found}/{s.relations_total} "
              f"({s.relation_recall:.0%}); candidates {s.entity_candidates} entities, "
              f"{s.relation_candidates} relations")
    s = score_candidates(union, reference, base)
    print(f"all five: entity recall {s.entities_found}/{s.entities_total} = "
          f"{s.entity_recall:.1%}, precision {s.entity_precision:.1%} "
          f"({s.entity_candidates_matching}/{s.entity_candidates})")
    print(f"all five: relation recall {s.relations_found}/{s.relations_total} = "
          f"{s.relation_recall:.1%}, precision {s.relation_precision:.1%} "
          f"({s.relation_candidates_matching}/{s.relation_candidates})")
    print(f"ingest time for five articles: {took:.1f} s")
    if args.verbose:
        from graph.ingest.evaluate import missing
        for line in missing(union, reference, base):
            print("  missing:", line)
    ok = s.entity_recall >= 0.8 and s.relation_recall >= 0.6
    print("OK" if ok else "MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
