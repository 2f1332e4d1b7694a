"""Bolt load speed: autograph's batched UNWIND loader vs a naive one-statement-per-row loader,
and a reload of the loaded dataset vs its first load.

Loads a synthetic industry network (default 10k nodes / 50k relationships) into a real Bolt
server in the same run, both ways, and prints both rates and their ratio (target: >= 20x).
Then loads the same dataset again (a reload: every node and relationship already there, so
the load snapshots and updates them) and prints its time against the first load's (target:
a reload costs at most 3x a first load, i.e. it scales linearly like the first load).
The server is $NEO4J_URI if set (it is emptied!), else a FalkorDB test server started here
(in the private test network, see tests/bolt_server.py).

    python bench/bench_neo4j_load.py [--nodes 10000] [--edges 50000] [--naive-rows 0]
                                     [--no-naive]

--naive-rows N times the naive loader on the first N rows only (0 = all rows); --no-naive
skips it (reload figures only).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from graph.backends.neo4j import BoltSettings, Neo4jBackend  # noqa: E402
from graph.cypher import load_template, render_template  # noqa: E402
from graph.synthetic import industry_network  # noqa: E402


def naive_load(db: Neo4jBackend, G, dataset: str, limit: int) -> int:
    """One auto-commit statement per node and per relationship."""
    nodes, rels = db._prepare(G)
    node_q = load_template("load/merge_node_single")
    rel_q = load_template("load/merge_relationship_single")
    done = 0
    for label, rows in nodes.items():
        query = render_template(node_q, LABEL=label)
        for row in rows:
            if limit and done >= limit:
                return done
            db._run(query, {"id": row["id"], "props": {**row["props"], "id": row["id"],
                                                       "_dataset": dataset, "_load": "naive"}})
            done += 1
    for (rel_type, start, end), rows in rels.items():
        query = render_template(rel_q, TYPE=rel_type, START=start, END=end)
        for row in rows:
            if limit and done >= limit:
                return done
            db._run(query, {"id": row["id"], "source": row["source"], "target": row["target"],
                            "props": {**row["props"], "id": row["id"], "_dataset": dataset,
                                      "_load": "naive"}})
            done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=50_000)
    parser.add_argument("--naive-rows", type=int, default=0)
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args()

    G = industry_network(args.nodes, args.edges, seed=7)
    rows = G.number_of_nodes() + G.number_of_edges()
    server = None
    network = contextlib.nullcontext()
    if os.environ.get("NEO4J_URI"):
        settings = BoltSettings.from_env(timeout=600)
    else:
        from bolt_server import FalkorServer, in_test_network
        server = FalkorServer().start()
        settings = BoltSettings(uri=server.uri, user="neo4j", password="", timeout=600)
        network = in_test_network()
    try:
        with network, Neo4jBackend(settings) as db:
            wipe = load_template("admin/delete_everything")
            db.query(wipe, write=True)
            db.ensure_schema()
            t = time.perf_counter()
            report = db.load(G, "bench")
            batched = time.perf_counter() - t
            t = time.perf_counter()
            db.load(G, "bench")
            reload = time.perf_counter() - t
            print(f"server: {db.dialect.name} at {settings.uri}")
            print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships")
            print(f"first load: {batched:.2f} s; reload of the same dataset: {reload:.2f} s "
                  f"({reload / batched:.1f}x, target <= 3x) "
                  f"{'OK' if reload <= 3 * batched else 'MISSED'}")
            if args.no_naive:
                return
            db.query(wipe, write=True)
            t = time.perf_counter()
            naive_rows = naive_load(db, G, "bench-naive", args.naive_rows)
            naive = time.perf_counter() - t
            print(f"batched UNWIND load: {rows} rows in {batched:.2f} s = {rows / batched:,.0f} "
                  f"rows/s ({report.batches} batches)")
            print(f"naive per-row load:  {naive_rows} rows in {naive:.2f} s = "
                  f"{naive_rows / naive:,.0f} rows/s")
            ratio = (rows / batched) / (naive_rows / naive)
            print(f"ratio: {ratio:.1f}x (target >= 20x) {'OK' if ratio >= 20 else 'MISSED'}")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
