"""What the dataset's transaction (lock + journal, graph/transaction.py) costs a change.

Times the real ``autograph`` command: a merge of one article's accepted candidates into a
copy of the bundled data (median of 5, for each of two articles), the two merges started
together into one copy (they queue on the lock: both must be kept, within the time of the
two one after the other plus 1 s), and ``format`` rewriting a synthetic dataset
of 20,000 entities and 100,000 relations (every file committed through the journal).
Prints each figure with OK or MISSED against its target.

    python bench/bench_growing.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import graph
from graph.resources import bundled_dir

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from helpers import accepted_candidates as candidates  # noqa: E402

ARTICLE = ("Lumen Motors signs letter of intent with CATL\n"
           "The German carmaker Lumen Motors signed a letter of intent with CATL in March "
           "2025.\n")
OTHER = ("Nordcell to supply Volkswagen\nThe Swedish battery maker Nordcell AB has signed a "
         "letter of intent with Volkswagen.\n")
TARGETS = {"merge": 3.0, "format": 20.0}  # both at once: the two merges one after the other + 1 s
EXE = shutil.which("autograph") or str(Path(sys.executable).parent / "autograph")


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([EXE, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def report(name: str, value: float, target: float) -> None:
    print(f"{name:<58} {value:7.2f} s  (target {target:.1f} s)  "
          f"{'OK' if value <= target else 'MISSED'}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = root / "data"
        shutil.copytree(bundled_dir("data"), base, ignore=shutil.ignore_patterns("*.md"))
        a = candidates(root, base, "lumen", ARTICLE)
        b = candidates(root, base, "nordcell", OTHER)
        medians = []
        for name, cands in (("lumen", a), ("nordcell", b)):
            runs = []
            for i in range(5):
                copy = root / f"{name}{i}"
                shutil.copytree(base, copy)
                runs.append(timed("merge", str(cands), "--data", str(copy)))
            medians.append(statistics.median(runs))
            report(f"merge of one article, {name} (median of 5)", medians[-1],
                   TARGETS["merge"])
        pair = root / "pair"
        shutil.copytree(base, pair)
        start = time.perf_counter()
        procs = [subprocess.Popen([EXE, "merge", str(c), "--data", str(pair)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for c in (a, b)]
        codes = [p.wait() for p in procs]
        both = time.perf_counter() - start
        kept = {"lumen", "nordcell"} <= set(graph.load_dataset(pair).sources)
        report(f"both at once (exit {codes}, both kept: {kept})", both, sum(medians) + 1.0)
        from graph.synthetic import industry_network, write_dataset

        big = root / "big"
        write_dataset(industry_network(20_000, 100_000), big)
        report("format: 20k entities, 100k relations rewritten", timed(
            "format", "--data", str(big)), TARGETS["format"])


if __name__ == "__main__":
    main()
