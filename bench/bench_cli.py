"""End-to-end CLI speed: the installed ``autograph`` commands against a hand-written script.

Writes synthetic datasets in the dataset format (``graph.synthetic.write_dataset``; 10k
entities / 50k relations and 100k / 500k, and 1M / 5M with ``--large``), checks that
``autograph validate`` accepts them, then runs each real command as a subprocess and, in the
same run, a hand-written polars + igraph script doing the same work. For each it prints the
wall time, the child's peak RSS (``os.wait4``: the resource usage of that one child) and
the ratio to the script, and OK/MISSED against the targets of issue 13.

Usage::

    python bench/bench_cli.py                 # 10k/50k and 100k/500k
    python bench/bench_cli.py --sizes 10000:50000
    python bench/bench_cli.py --large         # adds 1M/5M
    python bench/bench_cli.py --only validate,centrality
    python bench/bench_cli.py --properties --only graphml,gexf,json   # typed properties too
    AUTOGRAPH_CACHE=off python bench/bench_cli.py   # every command reads and validates

A command that used the cache of validated datasets is marked "(cache)".

The reference script uses polars, which autograph installs (its columnar ``validate``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GB = 1024 ** 3

# (name, autograph arguments after the command, reference task); {focus}, {out} filled in
COMMANDS = [
    ("validate", ["validate"], "validate"),
    ("stats", ["stats"], "stats"),
    ("centrality", ["analyze", "centrality", "--top", "5"], "centrality"),
    ("communities", ["analyze", "communities", "--method", "leiden", "--top", "5"],
     "communities"),
    ("role", ["analyze", "role", "{focus}"], "role"),
    ("graphml", ["export", "--format", "graphml", "-o", "{out}/g.graphml"], "graphml"),
    ("gexf", ["export", "--format", "gexf", "-o", "{out}/g.gexf"], "graphml"),
    ("json", ["export", "--format", "json", "-o", "{out}/g.json"], "json"),
    ("csv", ["export", "--format", "csv", "-o", "{out}/csv"], "csv"),
    ("2-hop export", ["export", "--focus", "{focus}", "--hops", "2", "--format", "json",
                      "-o", "{out}/focus.json"], "twohop"),
    ("2-hop map", ["map", "--focus", "{focus}", "--hops", "2", "-o", "{out}/focus.html"],
     "twohop"),
]

# targets (seconds) at 100k/500k and 1M/5M; every command also within 2x of the script
TARGETS = {
    100_000: ({"validate": 1.5, "centrality": 5.0, "2-hop export": 2.0, "graphml": 8.0}, 1.5),
    1_000_000: ({"validate": 15.0, "centrality": 60.0}, 8.0),
}


# --- the hand-written reference: polars reads and checks, igraph computes -------------------

def _reference(task: str, folder: str, focus: str, out: str) -> None:
    import polars as pl  # igraph only past validate: importing it is not validate's work

    folder = Path(folder)
    ents = pl.read_csv(folder / "entities.csv", infer_schema=False)
    rels = pl.read_csv(folder / "relations.csv", infer_schema=False)
    # checks: unique ids, dangling ends, known labels and types, confidence in range
    assert ents["id"].n_unique() == len(ents) and rels["id"].n_unique() == len(rels)
    ids = ents.select("id").with_row_index("ix")
    for end in ("source", "target"):
        assert rels.join(ids, left_on=end, right_on="id", how="anti").height == 0
    conf = rels["confidence"].cast(pl.Float64)
    assert conf.is_between(0, 1).all()
    assert rels["date"].str.contains(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$").all()
    if task == "validate":
        print(f"ok: {len(ents)} entities, {len(rels)} relations")
        return
    import igraph as ig

    edges = (rels.join(ids.rename({"ix": "s"}), left_on="source", right_on="id")
             .join(ids.rename({"ix": "t"}), left_on="target", right_on="id"))
    g = ig.Graph(n=len(ents), edges=list(zip(edges["s"].to_list(), edges["t"].to_list())),
                 directed=True)
    if task == "stats":
        print(ents["label"].value_counts(), rels["type"].value_counts())
    elif task == "centrality":
        u = g.as_undirected(mode="collapse")
        pr = g.pagerank()
        import random
        random.seed(42)
        bt = u.betweenness(sources=random.sample(range(u.vcount()), min(100, u.vcount())))
        ev = u.eigenvector_centrality()
        deg = g.degree()
        print(sorted(range(len(pr)), key=pr.__getitem__)[-5:], max(bt), max(ev), max(deg))
    elif task == "communities":
        # what `analyze communities --method leiden` computes: weighted modularity (a pair's
        # relations counted), iterated until no node moves
        import random
        g.es["weight"] = 1.0
        u = g.as_undirected(mode="collapse", combine_edges={"weight": "sum"})
        ig.set_random_number_generator(random.Random(42))
        parts = u.community_leiden(objective_function="modularity", weights="weight",
                                   n_iterations=-1)
        print(len(parts), u.modularity(parts.membership, weights="weight"))
    elif task == "role":
        # what `analyze role` computes: the four measures' ranks, Louvain, Burt's
        # constraint of the entity, its relations
        i = ids.filter(pl.col("id") == focus)["ix"][0]
        u = g.as_undirected(mode="collapse")
        import random
        random.seed(42)
        bt = u.betweenness(sources=random.sample(range(u.vcount()), min(100, u.vcount())))
        pr, ev, deg = g.pagerank(), u.eigenvector_centrality(), u.degree()
        parts = u.community_multilevel(return_levels=False)
        print(sorted(pr, reverse=True).index(pr[i]), bt[i], ev[i], deg[i], parts.membership[i],
              u.constraint([i]), edges.filter((pl.col("s") == i) | (pl.col("t") == i)).height)
    elif task in ("graphml", "json", "csv", "twohop"):
        if task == "twohop":
            i = ids.filter(pl.col("id") == focus)["ix"][0]
            keep = g.neighborhood(i, order=2, mode="all")
            ents = ents[keep]
            keep_ids = set(ents["id"].to_list())
            edges = edges.filter(pl.col("source").is_in(keep_ids)
                                 & pl.col("target").is_in(keep_ids))
            task = "json"
        if task == "graphml":
            for col in ents.columns:
                g.vs[col] = ents[col].to_list()
            for col in rels.columns:
                g.es[col] = edges[col].to_list()
            g.write_graphml(f"{out}/ref.graphml")
        elif task == "json":
            pl.DataFrame({"nodes": [ents.to_dicts()], "links": [edges.drop("s", "t")
                                                                .to_dicts()]}) \
                .write_json(f"{out}/ref.json")
        else:
            ents.write_csv(f"{out}/ref-nodes.csv")
            edges.drop("s", "t").write_csv(f"{out}/ref-edges.csv")


# --- running and measuring ----------------------------------------------------------------

def run(argv: list[str], timeout: float) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in bytes, exit code, stderr tail) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    return seconds, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status), err[-2000:]


def warm(folder: Path) -> None:
    """Read the dataset's files once, untimed, so that the command and the script alike
    start with them in the page cache: otherwise whichever runs first after a large run
    has evicted them pays for the disk (1M: 0.55 GB, 2-3 s here)."""
    for path in folder.glob("*.csv"):
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass


def add_properties(folder: Path) -> int:
    """Give a tenth of the companies a ``foundedYear`` and a fiftieth ``insolvent``
    (seeded): typed properties, which the synthetic generator does not write."""
    import csv
    import random

    with open(folder / "entities.csv", newline="", encoding="utf-8") as f:
        companies = [row["id"] for row in csv.DictReader(f) if row["label"] == "Company"]
    rng = random.Random(1)
    rows = [(c, "foundedYear", rng.randint(1900, 2020)) for c in
            rng.sample(companies, len(companies) // 10)]
    rows += [(c, "insolvent", "false") for c in rng.sample(companies, len(companies) // 50)]
    with open(folder / "properties.csv", "a", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(
            (subject, key, value, "synthetic", "") for subject, key, value in rows)
    return len(rows)


def write_data(n_nodes: int, n_edges: int, folder: Path, properties: bool = False) -> str:
    """Write the dataset once per size (kept in *folder*), with typed properties if asked;
    return a focus Company id."""
    from graph.synthetic import industry_network, write_dataset

    stamp = folder / ".complete"
    if not stamp.exists():
        t = time.perf_counter()
        if os.environ.get("AUTOGRAPH_BENCH_WRITER") != "1":
            # in a child: a parent grown by the generator would lend its size to the peak
            # RSS of every command it then forks (ru_maxrss counts the child before exec)
            subprocess.run([sys.executable, __file__, "--write", str(n_nodes), str(n_edges),
                            str(folder), "1" if properties else "0"], check=True,
                           env={**os.environ, "AUTOGRAPH_BENCH_WRITER": "1"})
            return write_data(n_nodes, n_edges, folder, properties)
        write_dataset(industry_network(n_nodes, n_edges, seed=7), folder)
        if properties:
            print(f"  {add_properties(folder)} properties added")
        stamp.write_text("")
        print(f"  wrote {folder} in {time.perf_counter() - t:.1f} s "
              f"({sum(f.stat().st_size for f in folder.glob('*.csv')) / 1e6:.0f} MB)")
    # a mid-degree company: a 2-hop neighbourhood of realistic size, not the hub
    return "company-1" if "company-1," in (folder / "entities.csv").read_text()[:100_000] \
        else next(line.split(",")[0] for line in open(folder / "entities.csv")
                  if ",Company," in line)


def bench_size(n_nodes: int, n_edges: int, work: Path, only: set[str] | None,
               timeout: float, exe: list[str], properties: bool = False) -> list[dict]:
    folder = work / f"data-{n_nodes}-{n_edges}{'-properties' if properties else ''}"
    focus = write_data(n_nodes, n_edges, folder, properties)
    out = Path(tempfile.mkdtemp(prefix="bench-out-", dir=work))
    rows = []
    ref_cache: dict[str, tuple[float, float]] = {}
    for name, args, task in COMMANDS:
        if only and name not in only:
            continue
        filled = [a.format(focus=focus, out=out) for a in args]
        for f in out.iterdir():
            shutil.rmtree(f) if f.is_dir() else f.unlink()
        cmd_argv = [*exe, filled[0], "--data", str(folder), *filled[1:]] \
            if filled[0] != "analyze" else [*exe, *filled[:2], "--data", str(folder), *filled[2:]]
        warm(folder)
        seconds, rss, code, err = run(cmd_argv, timeout)
        if task not in ref_cache:
            warm(folder)
            r = run([sys.executable, __file__, "--reference", task, str(folder), focus,
                     str(out)], timeout)
            if r[2] != 0:
                print(f"  reference {task} failed: {r[3]}")
            ref_cache[task] = r[:2]
        ref_s, ref_rss = ref_cache[task]
        if "read from the cache" in err:
            name += " (cache)"
        rows.append(dict(size=f"{n_nodes // 1000}k/{n_edges // 1000}k{'+p' if properties else ''}",
                         command=name,
                         seconds=seconds, rss=rss, code=code, err=err, ref_s=ref_s,
                         ref_rss=ref_rss, n_nodes=n_nodes))
        report(rows[-1])
    shutil.rmtree(out, ignore_errors=True)
    return rows


def verdicts(row: dict) -> list[str]:
    out = []
    if row["code"] != 0:
        return [f"FAILED (exit {row['code']}): {row['err'].strip().splitlines()[-1:]}"]
    if row["seconds"] <= 2 * row["ref_s"]:
        out.append("2x OK")
    else:
        out.append("2x MISSED")
    targets = TARGETS.get(row["n_nodes"])
    if targets:
        times, peak_gb = targets
        command = row["command"].replace(" (cache)", "")
        if command in times:
            limit = times[command]
            out.append(f"<= {limit:g} s {'OK' if row['seconds'] <= limit else 'MISSED'}")
        out.append(f"peak <= {peak_gb:g} GB {'OK' if row['rss'] <= peak_gb * GB else 'MISSED'}")
    return out


def report(row: dict) -> None:
    ratio = row["seconds"] / row["ref_s"] if row["ref_s"] else float("inf")
    print(f"  {row['size']:>12} {row['command']:<13} {row['seconds']:7.2f} s "
          f"{row['rss'] / GB:5.2f} GB | script {row['ref_s']:6.2f} s {row['ref_rss'] / GB:5.2f} GB"
          f" | x{ratio:5.1f}  {'; '.join(verdicts(row))}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000:50000,100000:500000",
                        help="entities:relations pairs, comma-separated")
    parser.add_argument("--large", action="store_true", help="add 1M entities / 5M relations")
    parser.add_argument("--only", help="comma-separated command names")
    parser.add_argument("--properties", action="store_true",
                        help="datasets with typed properties on a tenth of the companies "
                        "(the script does not read properties.csv)")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(),
                                                           "autograph-bench-cli"),
                        help="where the datasets are written (kept between runs)")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--autograph", default=None,
                        help="command to time (default: the installed autograph), e.g. "
                        "'python -m graph' with PYTHONPATH set to another checkout")
    parser.add_argument("--reference", nargs=4, metavar=("TASK", "FOLDER", "FOCUS", "OUT"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--write", nargs=4, metavar=("NODES", "EDGES", "FOLDER", "PROPS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        _reference(*args.reference)
        return
    if args.write:
        n_nodes, n_edges, folder, properties = args.write
        write_data(int(n_nodes), int(n_edges), Path(folder), properties == "1")
        return
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",")]
    if args.large:
        sizes.append((1_000_000, 5_000_000))
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(",")) if args.only else None
    print(f"{'size':>12} {'command':<13} {'time':>9} {'peak':>8} | hand-written script | ratio")
    exe = args.autograph.split() if args.autograph else [shutil.which("autograph")]
    if exe[0] is None:
        sys.exit("the autograph command is not installed (pip install -e .)")
    for n_nodes, n_edges in sizes:
        bench_size(n_nodes, n_edges, work, only, args.timeout, exe, args.properties)


if __name__ == "__main__":
    main()
