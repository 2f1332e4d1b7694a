"""How well `autograph analyze predict` foresees new relations, against baselines.

Temporal split: the relations dated up to year Y predict the cooperation relations dated
after Y between actors already known by then (graph.analysis.predict.evaluate_split), on
synthetic industry networks (graph.synthetic, several seeds) and on the bundled data. The
bundled data cannot be split in time (each source brings its own new actors; see the
message), so it is also evaluated on seeded random hold-outs of 20% of its cooperation
relations (evaluate_holdout), pooled over seeds.

Prints AUC and precision@k for Adamic-Adar, resource allocation, the degree product
(preferential attachment) and a random order; OK when Adamic-Adar beats random by AUC and
the degree product by precision@10 on average.

    python bench/bench_predict.py [--nodes 1000] [--edges 5000] [--graphs 3] [--holdouts 20]
"""

from __future__ import annotations

import argparse
import statistics
import time

import graph
from graph.analysis.measures import AnalysisError
from graph.analysis.predict import evaluate_holdout, evaluate_split, split_year
from graph.synthetic import industry_network

SCORERS = ("adamic-adar", "resource-allocation", "degree-product", "random")
METRICS = ("auc", "precision@10", "precision@50")


def table(title: str, runs: list[dict]) -> dict[str, dict[str, float]]:
    mean = {s: {m: statistics.fmean(r["scores"][s][m] for r in runs) for m in METRICS}
            for s in SCORERS}
    print(f"\n{title}: {len(runs)} run(s), {sum(r['positives'] for r in runs)} positives "
          f"among {sum(r['pairs'] for r in runs)} unconnected pairs")
    print(f"  {'scorer':<22}" + "".join(f"{m:>14}" for m in METRICS))
    for s in SCORERS:
        print(f"  {s:<22}" + "".join(f"{mean[s][m]:>14.3f}" for m in METRICS))
    return mean


def verdict(label: str, mean: dict[str, dict[str, float]]) -> bool:
    aa = mean["adamic-adar"]
    ok = (aa["auc"] > mean["random"]["auc"]
          and aa["precision@10"] > mean["degree-product"]["precision@10"])
    print(f"  {label}: Adamic-Adar AUC {aa['auc']:.3f} vs random "
          f"{mean['random']['auc']:.3f}, precision@10 {aa['precision@10']:.2f} vs degree "
          f"product {mean['degree-product']['precision@10']:.2f}: {'OK' if ok else 'MISSED'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--edges", type=int, default=5000)
    parser.add_argument("--graphs", type=int, default=3, help="synthetic graphs (seeds 1..N)")
    parser.add_argument("--holdouts", type=int, default=20, help="bundled hold-out seeds")
    args = parser.parse_args()

    started = time.perf_counter()
    runs = []
    for seed in range(1, args.graphs + 1):
        S = industry_network(args.nodes, args.edges, seed=seed)
        runs.append(evaluate_split(S, split_year(S), seed=seed))
    synthetic = table(f"synthetic {args.nodes} nodes / {args.edges} relations, temporal split "
                      f"after {runs[0]['year']}", runs)

    G = graph.load_graph()
    year = split_year(G)
    try:
        table(f"bundled data, temporal split after {year}", [evaluate_split(G, year)])
    except AnalysisError as err:
        print(f"\nbundled data, temporal split after {year}: not possible: {err}")
    holdouts = []
    for seed in range(args.holdouts):
        try:
            holdouts.append(evaluate_holdout(G, 0.2, seed=seed))
        except AnalysisError:
            continue  # this draw hid only relations of new actors
    bundled = table("bundled data, random 20% hold-out of cooperation relations", holdouts)
    print()
    ok = verdict("synthetic", synthetic) & verdict("bundled hold-out", bundled)
    print(f"\n{time.perf_counter() - started:.1f} s in all; {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
