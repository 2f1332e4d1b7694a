"""Hostile dataset shapes end in a message in bounded time (issue 26).

Runs the installed ``autograph validate`` on:

* the bundled data plus a LOCATED_IN chain of N regions (default 5,000) and one broken row
  (target: the message, no traceback, within 5 s; it crashed with RecursionError),
* the bundled data with 10^6 extra columns in the header of entities.csv (target: one clear
  message within 5 s; it ran over 300 s at 3 GB),
* a synthetic dataset (graph.synthetic, with its region chains) of 100k entities / 500k
  relations, valid (target: within 1.5 s on a quiet machine, the bench_cli.py target).

Usage::

    python bench/bench_validate_shapes.py [--depth 5000] [--columns 1000000] [--no-synthetic]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.resources import bundled_dir
from graph.schema import DATASET_FILES


def run(folder: Path) -> tuple[float, subprocess.CompletedProcess]:
    exe = shutil.which("autograph") or "autograph"
    start = time.perf_counter()
    result = subprocess.run([exe, "validate", "--data", str(folder)], capture_output=True,
                            text=True, env={**os.environ, "AUTOGRAPH_CACHE": "off"})
    return time.perf_counter() - start, result


def report(name: str, seconds: float, ok: bool, target: float, note: str) -> None:
    verdict = "OK" if ok and seconds <= target else "MISSED"
    print(f"{name:<34} {seconds:7.2f} s  (target <= {target:g} s, {note})  {verdict}")


def deep_chain(folder: Path, depth: int) -> None:
    shutil.copytree(bundled_dir("data"), folder, ignore=shutil.ignore_patterns("*.md"))
    fields = list(DATASET_FILES["relations.csv"][0])
    with open(folder / "entities.csv", "a", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        for i in range(depth):
            out.writerow([f"chain-{i}", "Region", f"Chain region {i}", "", "", "DE", ""])
    rows = [{"id": f"chain-{i}-in", "type": "LOCATED_IN", "source": f"chain-{i}",
             "target": f"chain-{i - 1}" if i else "germany", "status": "active",
             "confidence": "0.9", "sources": "000_a50478846a5075a8", "date": "2024",
             "evidence": "chain"} for i in range(depth)]
    rows.append({**rows[-1], "id": "broken", "target": "nowhere"})
    with open(folder / "relations.csv", "a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fields, lineterminator="\n", restval="").writerows(rows)


def wide_header(folder: Path, columns: int) -> None:
    shutil.copytree(bundled_dir("data"), folder, ignore=shutil.ignore_patterns("*.md"))
    path = folder / "entities.csv"
    head, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(head + "," + ",".join(f"x{i}" for i in range(columns)) + "\n" + rest,
                    encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=5000)
    parser.add_argument("--columns", type=int, default=1_000_000)
    parser.add_argument("--no-synthetic", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        chain = Path(tmp) / "chain"
        deep_chain(chain, args.depth)
        seconds, result = run(chain)
        clean = result.returncode == 1 and "Traceback" not in result.stderr
        report(f"{args.depth}-deep chain + broken row", seconds, clean, 5,
               result.stderr.splitlines()[1] if clean else result.stderr[-200:])
        wide = Path(tmp) / "wide"
        wide_header(wide, args.columns)
        seconds, result = run(wide)
        clean = result.returncode == 1 and "more unknown columns not listed" in result.stderr
        report(f"header of {args.columns:,} columns", seconds, clean, 5,
               f"{len(result.stderr.splitlines())} lines of messages")
        if not args.no_synthetic:
            from graph.synthetic import industry_network, write_dataset
            folder = write_dataset(industry_network(100_000, 500_000, seed=1),
                                   Path(tmp) / "synthetic")
            run(folder)  # warm the file cache
            seconds, result = run(folder)
            report("100k/500k synthetic, valid", seconds, result.returncode == 0, 1.5,
                   result.stdout.strip())
    sys.exit(0)


if __name__ == "__main__":
    main()
