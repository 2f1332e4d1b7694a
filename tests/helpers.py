"""Helpers for tests: edit dataset copies, run the installed CLI."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path


def bundled_size() -> tuple[int, int]:
    """Nodes and relationships of the bundled graph."""
    import graph

    G = graph.load_graph()
    return G.number_of_nodes(), G.number_of_edges()


def ok_line() -> str:
    """What `autograph validate` prints for the bundled dataset."""
    from graph import load_dataset

    ds = load_dataset()
    return (f"ok: {len(ds.entities)} entities, {len(ds.relations)} relations, "
            f"{len(ds.deals)} deals, {len(ds.sources)} sources\n")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of *path* containing *needle*."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def append_row(path: Path, **values: str) -> None:
    """Append a row to a dataset CSV file, by column name (missing columns empty)."""
    import csv

    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow([values.get(c, "") for c in header])


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of *old* in *path*; return its line number."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    line = line_of(path, old.splitlines()[0]) if old.strip() else 0
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def assert_same_graph(a, b) -> None:
    """Same nodes, relations and attributes in both graphs, values of the same types."""
    assert set(a.nodes) == set(b.nodes)
    assert set(a.edges(keys=True)) == set(b.edges(keys=True))
    for n in a:
        assert dict(a.nodes[n]) == dict(b.nodes[n]), n
        for key, value in a.nodes[n].items():
            assert type(b.nodes[n][key]) is type(value), (n, key)
    for e in a.edges(keys=True):
        assert dict(a.edges[e]) == dict(b.edges[e]), e
        for key, value in a.edges[e].items():
            assert type(b.edges[e][key]) is type(value), (e, key)


def run_cli(exe: str, *args: str, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)


def accepted_candidates(folder: Path, data: Path, name: str, text: str) -> Path:
    """Ingest *text* against *data* into ``folder/cands-NAME`` with every new entity and
    the relations from it accepted, the other relations rejected (a valid merge)."""
    from graph.ingest.candidates import ingest, write_candidates

    article = folder / f"{name}.txt"
    article.write_text(text, encoding="utf-8")
    c = ingest([article], data)
    new = {e["id"] for e in c.entities}
    for e in c.entities:
        e["decision"] = "accept"
    for r in c.relations:
        r["decision"] = "accept" if r["source"] in new else "reject"
    return write_candidates(c, folder / f"cands-{name}")


def missing_tool(message: str) -> None:
    """A test's external tool cannot be had: skip with the reason, or fail under CI (set
    ``CI=1``), where every tool is installed and a skip would hide a gap."""
    import os

    import pytest

    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def node_packages(folder: Path, probe: str) -> Path:
    """*folder*'s Node packages (``package-lock.json``), installed with ``npm ci`` the first
    time a test needs them; skips (fails under CI) when npm cannot install them."""
    import shutil

    modules = folder / "node_modules"
    if not (modules / probe).exists():
        npm = shutil.which("npm")
        if npm is None:
            missing_tool(f"npm is not installed, so the Node packages of {folder} cannot be "
                         "(install Node.js and npm, or run npm ci there)")
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=folder,
                                capture_output=True, text=True, timeout=900)
        if result.returncode != 0 or not (modules / probe).exists():
            missing_tool(f"npm ci in {folder} failed: {result.stderr.strip()[-500:]}")
    return modules


def bolt_env(settings, **extra: str) -> dict[str, str]:
    """This process's environment with the NEO4J_* variables of *settings* (a
    ``BoltSettings``) only: what a CLI subprocess needs to reach the test server."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=settings.uri, NEO4J_USERNAME=settings.user,
               NEO4J_PASSWORD=settings.password, **extra)
    return env


# A value with non-ASCII text, for server errors that must reach the user whole.
DUPLICATE = "the same text: Zürich, 北京, 🚗"


@contextlib.contextmanager
def late_constraint_violation(db, G):
    """A copy of *G* whose load a real server error stops in a late batch: a uniqueness
    constraint on Technology descriptions (created here, dropped after) that the last
    technology of the copy violates, copying the first one's (:data:`DUPLICATE`)."""
    db.query("CREATE CONSTRAINT tech_description_test IF NOT EXISTS "
             "FOR (t:Technology) REQUIRE t.description IS UNIQUE", write=True)
    try:
        H = G.copy()
        techs = [n for n, d in H.nodes(data=True) if d["label"] == "Technology"]
        H.nodes[techs[0]]["description"] = H.nodes[techs[-1]]["description"] = DUPLICATE
        yield H
    finally:
        db.query("DROP CONSTRAINT tech_description_test IF EXISTS", write=True)


def failing_replace(monkeypatch, at: int) -> None:
    """``os.replace`` fails at its *at*-th call as a full disk (ENOSPC). In a dataset change
    (graph.transaction) the first call is the commit point; the later ones put the committed
    files in place."""
    import os

    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == at:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
