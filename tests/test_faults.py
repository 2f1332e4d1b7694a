"""Faults the Neo4j path must survive (issue 17, finding 6), injected into a real FalkorDB
server while the real CLI loads: the server frozen (SIGSTOP) or killed (SIGKILL) mid-load,
killed and restarted empty before the undo, and two loads of one dataset at once.

Each test starts its own server in the private test network (loopback only) and bounds every
wait: the CLI gets ``--timeout 3`` and the test waits for it at most 120 s. The final state
of the database is read back after each fault, and the CLI's message must say what holds.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import time

import pytest

import graph
from graph.backends.neo4j import BoltSettings, Neo4jBackend

from bolt_server import FalkorServer
from helpers import assert_same_graph, run_cli

pytestmark = [pytest.mark.neo4j,
              pytest.mark.skipif(not FalkorServer.available() or bool(os.environ.get("NEO4J_URI")),
                                 reason="fault injection needs the FalkorDB test server")]

SYNTHETIC = 2000  # extra entities: a few hundred batches of 5


@pytest.fixture
def server():
    s = FalkorServer().start()
    yield s
    if s.process is not None:
        os.kill(s.process.pid, signal.SIGCONT)
    s.stop()


@pytest.fixture
def big_data(data_copy):
    """The bundled dataset plus SYNTHETIC technologies (nodes that need no relation)."""
    def append(name, rows):
        path = data_copy / name
        with open(path, newline="", encoding="utf-8") as f:
            fields = next(csv.reader(f))
        with open(path, "a", newline="", encoding="utf-8") as f:
            csv.DictWriter(f, fieldnames=fields, restval="").writerows(rows)

    append("entities.csv", [{"id": f"synth-{i}", "label": "Technology", "name": f"Synth {i}"}
                            for i in range(SYNTHETIC)])
    return data_copy


def _settings(server: FalkorServer) -> BoltSettings:
    return BoltSettings(uri=server.uri, timeout=10)


def _env(server: FalkorServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["NEO4J_URI"] = server.uri
    return env


def _start_load(exe, server, data, dataset) -> subprocess.Popen:
    return subprocess.Popen([exe, "load", "--data", str(data), "--dataset", dataset,
                             "--batch-size", "5", "--timeout", "3"], env=_env(server),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_until_mid_load(server: FalkorServer, proc: subprocess.Popen) -> None:
    """Until the load has written some synthetic nodes (read over the Redis port)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            rows = server.graph_query(
                "MATCH (n) WHERE n.id STARTS WITH 'synth-' RETURN count(n)", timeout=1)
        except OSError:  # FalkorDB can stall a while after a Bolt client leaves
            continue
        if rows and rows[0][0] > 0:
            return
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"the load did not start writing: {proc.communicate()}")


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"the load hangs: {proc.communicate()}")
    return proc.returncode, out, err


def _assert_quiet(err: str) -> None:
    """One clear message: no traceback, no driver retry log."""
    assert "Traceback" not in err
    assert "retried" not in err and "Transaction failed" not in err
    assert err.count("Error: ") == 1, err


def test_a_frozen_server_fails_the_load_in_bounded_time(server, big_data, G, autograph_exe):
    with Neo4jBackend(_settings(server)) as db:
        db.load(G, "autograph")
    proc = _start_load(autograph_exe, server, big_data, "big")
    _wait_until_mid_load(server, proc)
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        code, out, err = _finish(proc)
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    assert code == 1
    _assert_quiet(err)
    assert "did not answer within 3 s" in err
    assert "could not be undone" in err
    assert "autograph load --dataset big --remove-run " in err
    run = err.split("--remove-run ")[1].split()[0]
    # The server runs again: the frozen batch lands, the other dataset is untouched, and the
    # advised cleanup removes what the failed run created and nothing else.
    result = run_cli(autograph_exe, "load", "--dataset", "big", "--remove-run", run,
                     env=_env(server))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("removed ")
    with Neo4jBackend(_settings(server)) as db:
        assert db.counts("big") == (0, 0)
        assert_same_graph(G, db.fetch_graph("autograph"))
    # the cleanup also released the failed run's lock: the dataset loads again at once
    again = run_cli(autograph_exe, "load", "--data", str(big_data), "--dataset", "big",
                    env=_env(server))
    assert again.returncode == 0, again.stderr


def test_a_killed_server_fails_the_load_fast_and_says_so(server, big_data, G, autograph_exe):
    with Neo4jBackend(_settings(server)) as db:
        db.load(G, "autograph")
    proc = _start_load(autograph_exe, server, big_data, "big")
    _wait_until_mid_load(server, proc)
    server.kill()
    killed = time.monotonic()
    code, out, err = _finish(proc)
    # no minute of driver retries (the issue saw 40-135 s): the connection loss ends the load
    assert time.monotonic() - killed < 30, err
    assert code == 1
    _assert_quiet(err)
    assert "lost the connection to bolt://127.0.0.1:" in err
    assert "could not be undone (cannot reach the Neo4j server" in err
    assert "--remove-run " in err
    assert "as it was before" not in err
    # The final state: the test server keeps nothing on disk, so it comes back empty; the
    # advised cleanup then finds nothing of the failed run and says so, without an error.
    server.start()
    with Neo4jBackend(_settings(server)) as db:
        assert db.counts("big") == (0, 0) and db.counts("autograph") == (0, 0)
    run = err.split("--remove-run ")[1].split()[0]
    cleanup = run_cli(autograph_exe, "load", "--dataset", "big", "--remove-run", run,
                      env=_env(server))
    assert cleanup.returncode == 0, cleanup.stderr
    assert cleanup.stdout.startswith("removed 0 nodes")


def test_an_undo_after_a_restart_does_not_claim_what_it_cannot_check(server, big_data, G,
                                                                     autograph_exe):
    """The server dies mid-load and comes back empty before the undo: the message must not
    say the database is as it was."""
    with Neo4jBackend(_settings(server)) as db:
        db.load(G, "autograph")
    proc = _start_load(autograph_exe, server, big_data, "autograph")
    _wait_until_mid_load(server, proc)
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        server.kill()
        server.start()  # same ports, no data
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    code, out, err = _finish(proc)
    assert code == 1
    _assert_quiet(err)
    assert "as it was before" not in err
    assert (f"the undo did not bring the database back: dataset 'autograph' now has 0 nodes "
            f"and 0 relationships, before the load it had {G.number_of_nodes()} and "
            f"{G.number_of_edges()}") in err
    with Neo4jBackend(_settings(server)) as db:
        assert db.counts("autograph") == (0, 0)


def test_an_interrupted_load_is_undone(server, big_data, G, autograph_exe):
    with Neo4jBackend(_settings(server)) as db:
        db.load(G, "autograph")
    proc = _start_load(autograph_exe, server, big_data, "big")
    _wait_until_mid_load(server, proc)
    os.kill(proc.pid, signal.SIGINT)
    code, out, err = _finish(proc)
    assert code == 1
    _assert_quiet(err)
    assert "and was undone; the database is as it was before (checked: dataset 'big' has its " \
           "0 nodes and 0 relationships, none from this load). Cause: interrupted (Ctrl-C)" in err
    with Neo4jBackend(_settings(server)) as db:
        assert db.counts("big") == (0, 0)
        assert_same_graph(G, db.fetch_graph("autograph"))


def test_a_second_load_of_the_same_dataset_is_refused_while_one_runs(server, big_data, G,
                                                                      autograph_exe):
    proc = _start_load(autograph_exe, server, big_data, "big")
    _wait_until_mid_load(server, proc)
    os.kill(proc.pid, signal.SIGSTOP)  # the first load holds the lock while the others try
    try:
        second = run_cli(autograph_exe, "load", "--data", str(big_data), "--dataset", "big",
                         env=_env(server))
        other = run_cli(autograph_exe, "load", "--dataset", "autograph", env=_env(server))
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    code, out, err = _finish(proc)
    assert code == 0, err
    assert second.returncode == 1
    _assert_quiet(second.stderr)
    assert "Error: another load of dataset 'big' is running (run " in second.stderr
    assert other.returncode == 0, other.stderr
    expected = graph.load_graph(big_data)
    with Neo4jBackend(_settings(server)) as db:
        assert db.counts("big") == (expected.number_of_nodes(), expected.number_of_edges())
        assert_same_graph(G, db.fetch_graph("autograph"))
    again = run_cli(autograph_exe, "load", "--data", str(big_data), "--dataset", "big",
                    env=_env(server))
    assert again.returncode == 0, again.stderr
