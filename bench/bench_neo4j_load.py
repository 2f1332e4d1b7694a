"""Neo4j load speed as a user meets it, on a real Neo4j 5.26 (``.ci/neo4j-server``).

For each size (default 10k and 100k entities, five relations per entity) it writes a
synthetic dataset folder and, in the same run against the same server:

1. ``autograph load --data DIR`` (the installed command, end to end, in a subprocess: read,
   check, one transaction of batched ``UNWIND`` statements, commit);
2. the same load again (a reload: every node and relationship already there), then the
   same folder as another dataset (a first load on a server that is now warm);
3. one row per transaction, the way a hand-written loop with ``session.execute_write``
   loads (every node, then the first ``--naive-rows`` relationships, their rate
   extrapolated to all of them): the batched
   load must be at least 20x faster;
4. ``autograph export --format csv`` then ``neo4j-admin database import full`` into a fresh
   database (the bulk importer, end to end).

It prints relationships per second for each and OK/MISSED per target. The server is
started here in the private test network (root), with ``--heap`` (default 2g).

    python bench/bench_neo4j_load.py [--sizes 10000,100000] [--naive-rows 2000] [--heap 2g]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bolt_server import SERVER_SCRIPT, Neo4jServer, in_test_network  # noqa: E402

import graph  # noqa: E402
from graph.backends.neo4j import BoltSettings, Neo4jBackend  # noqa: E402
from graph.cypher import load_template, render_template  # noqa: E402
from graph.synthetic import industry_network, write_dataset  # noqa: E402


class Failed(Exception):
    """A command of the bench failed: printed as MISSED with its message."""


def autograph(*args: str, env: dict[str, str]) -> tuple[float, str]:
    exe = shutil.which("autograph") or str(Path(sys.executable).parent / "autograph")
    start = time.perf_counter()
    done = subprocess.run([exe, *args], env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode:
        raise Failed(done.stderr.strip().splitlines()[-1][:400])
    return took, done.stdout


def one_row_per_transaction(db: Neo4jBackend, G, limit: int) -> tuple[float, int, float]:
    """Each node, then each relationship, MERGEd in a transaction of its own, keyed as load
    keys them: every node (timed), then the first *limit* relationships (timed; their rate
    is extrapolated, since a relationship costs more than a node). Returns the estimated
    seconds for the whole graph, and the relationships timed and their seconds."""
    nodes, rels = db._prepare(G, "naive")
    node_q, rel_q = load_template("load/merge_node_single"), load_template(
        "load/merge_relationship_single")
    node_work = [(render_template(node_q, LABEL=label), {"id": r["id"], "dataset": "naive",
                                                          "props": r["props"]})
                 for label, rows in nodes.items() for r in rows]
    rel_work = [(render_template(rel_q, TYPE=t, START=a, END=b), {
        "id": r["id"], "source": r["source"], "target": r["target"], "dataset": "naive",
        "props": r["props"]}) for (t, a, b), rows in rels.items() for r in rows]
    timed = []
    for work in (node_work, rel_work[:limit]):
        start = time.perf_counter()
        for query, params in work:
            db._run(query, params)
        timed.append(time.perf_counter() - start)
    n_rel = min(limit, len(rel_work))
    return timed[0] + timed[1] * len(rel_work) / n_rel, n_rel, timed[1]


def bench(size: int, server: Neo4jServer, naive_rows: int, tmp: Path) -> list[str]:
    folder = write_dataset(industry_network(size, 5 * size, seed=7), tmp / f"data-{size}")
    G = graph.load_graph(folder)  # what load reads from the folder: the naive loop loads it too
    n_rel = G.number_of_edges()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=server.uri, NEO4J_PASSWORD=server.password)
    settings = BoltSettings(uri=server.uri, password=server.password, timeout=3600)
    lines = [f"== {G.number_of_nodes():,} entities, {n_rel:,} relations"]
    with Neo4jBackend(settings) as db:
        db.query(load_template("admin/delete_everything"), write=True)
    try:
        first, out = autograph("load", "--data", str(folder), "--timeout", "3600", env=env)
        again, _ = autograph("load", "--data", str(folder), "--timeout", "3600", env=env)
        # the first load of another dataset on the same, now warm server (a researcher's
        # server runs for days: the JIT and the plans of the first load are warm)
        warm, _ = autograph("load", "--data", str(folder), "--dataset", "warm-copy",
                            "--timeout", "3600", env=env)
    except Failed as err:
        lines.append(f"autograph load: MISSED, it failed: {err}")
        return lines + _bulk(G, folder, env, tmp, size)
    lines.append(f"autograph load (first):  {first:7.1f} s = {n_rel / first:9,.0f} rel/s "
                 f"({out.strip().splitlines()[-1]})")
    lines.append(f"autograph load (reload): {again:7.1f} s = {n_rel / again:9,.0f} rel/s "
                 f"({again / first:.1f}x the first, target <= 3x) "
                 f"{'OK' if again <= 3 * first else 'MISSED'}")
    with Neo4jBackend(settings) as db:
        naive, rows, took = one_row_per_transaction(db, G, naive_rows)
        db.query("MATCH (n) WHERE n._dataset = 'naive' DETACH DELETE n", write=True)
    lines.append(f"autograph load (first, warm server): {warm:7.1f} s = {n_rel / warm:9,.0f} "
                 f"rel/s (another dataset name)")
    lines.append(f"one row per transaction: {G.number_of_nodes():,} nodes, then {rows:,} "
                 f"relationships at {rows / took:,.0f}/s: about {naive:,.0f} s for the graph")
    for what, seconds in (("on a fresh server", first), ("on a warm server", warm)):
        ratio = naive / seconds
        lines.append(f"  the first load {what} is {ratio:.0f}x faster (target >= 20x) "
                     f"{'OK' if ratio >= 20 else 'MISSED'}")
    return lines + _bulk(G, folder, env, tmp, size)


def _bulk(G, folder: Path, env: dict[str, str], tmp: Path, size: int) -> list[str]:
    """export --format csv, then neo4j-admin import into a fresh database."""
    n_rel = G.number_of_edges()
    csv_dir = tmp / f"csv-{size}"
    export, _ = autograph("export", "--data", str(folder), "--format", "csv", "--keep-formulas",
                          "-o", str(csv_dir), env=env)
    home = tmp / f"import-{size}"
    start = time.perf_counter()
    done = subprocess.run([str(SERVER_SCRIPT), "admin", "--home", str(home), "database",
                           "import", "full", f"--nodes={csv_dir / 'nodes.csv'}",
                           f"--relationships={csv_dir / 'relationships.csv'}",
                           "--multiline-fields=true", "neo4j"], capture_output=True, text=True)
    imported = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"neo4j-admin import failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    shutil.rmtree(home, ignore_errors=True)
    return [f"export csv + neo4j-admin import: {export:.1f} + {imported:.1f} s = "
            f"{n_rel / (export + imported):9,.0f} rel/s (a fresh, offline database)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--naive-rows", type=int, default=2000)
    parser.add_argument("--heap", default="2g")
    args = parser.parse_args()
    os.environ["NEO4J_HEAP"] = args.heap
    Neo4jServer.prepare()
    server = Neo4jServer().start()
    try:
        with in_test_network(), tempfile.TemporaryDirectory() as tmp:
            with Neo4jBackend(BoltSettings(uri=server.uri, password=server.password)) as db:
                version = db.query("CALL dbms.components() YIELD versions "
                                   "RETURN versions[0] AS v").rows[0][0]
            print(f"Neo4j {version} Community, heap {args.heap}, page cache 256 MB, "
                  f"{os.cpu_count()} cores")
            for size in (int(s) for s in args.sizes.split(",")):
                for line in bench(size, server, args.naive_rows, Path(tmp)):
                    print(line, flush=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest child process peak RSS: {peak:,.0f} MB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
