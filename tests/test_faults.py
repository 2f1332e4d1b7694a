"""Faults a load must survive, injected into a real Neo4j while the real CLI loads: the server
frozen (SIGSTOP) or killed (SIGKILL) mid-load, the CLI killed or interrupted mid-load, and two
loads of one dataset at once.

A load is one Neo4j transaction, so after each fault the database must hold exactly what it
held before (or, for two loads at once, the dataset once). The CLI gets ``--timeout 3`` and
each wait here is bounded. "Mid-load" is seen from outside: the load's transaction, named by
its metadata, is listed by ``SHOW TRANSACTIONS`` and has run for a while.
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

from conftest import start_test_server
from helpers import assert_same_graph, bolt_env

pytestmark = pytest.mark.neo4j

SYNTHETIC = 15000  # extra entities: thousands of batches of 5, several seconds
BUNDLED = "the bundled dataset"


@pytest.fixture
def big_data(data_copy):
    """The bundled dataset plus SYNTHETIC technologies (nodes that need no relation)."""
    path = data_copy / "entities.csv"
    with open(path, newline="", encoding="utf-8") as f:
        fields = next(csv.reader(f))
    with open(path, "a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, fieldnames=fields, restval="").writerows(
            {"id": f"synth-{i}", "label": "Technology", "name": f"Synth {i}"}
            for i in range(SYNTHETIC))
    return data_copy


def _start_load(exe, settings, data, dataset, *extra) -> subprocess.Popen:
    return subprocess.Popen([exe, "load", "--data", str(data), "--dataset", dataset,
                             "--batch-size", "5", "--timeout", "3", *extra],
                            env=bolt_env(settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_until_mid_load(settings: BoltSettings, proc: subprocess.Popen) -> None:
    """Until the load's transaction has been open for half a second (hundreds of batches)."""
    deadline = time.monotonic() + 120
    with Neo4jBackend(BoltSettings(uri=settings.uri, user=settings.user,
                                   password=settings.password, timeout=10)) as watcher:
        while time.monotonic() < deadline and proc.poll() is None:
            rows = watcher.query(
                "SHOW TRANSACTIONS YIELD metaData, elapsedTime "
                "WHERE metaData.app = 'autograph load' "
                "RETURN elapsedTime.milliseconds AS ms").rows
            if rows and rows[0][0] > 500:
                return
            time.sleep(0.05)
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


def _eventually(check, seconds: float = 30) -> None:
    """The server notices a dead client's connection (and rolls back) within seconds."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            assert check()
        time.sleep(0.2)


def test_a_killed_cli_leaves_the_database_as_it_was(db, bolt_settings, big_data, G,
                                                     autograph_exe):
    db.load(G, "autograph", BUNDLED)
    proc = _start_load(autograph_exe, bolt_settings, big_data, "autograph", "--take-over",
                       "--replace")
    _wait_until_mid_load(bolt_settings, proc)
    proc.kill()
    proc.wait()
    _eventually(lambda: not db.query("SHOW TRANSACTIONS YIELD metaData "
                                     "WHERE metaData.app = 'autograph load' RETURN 1").rows)
    assert_same_graph(G, db.fetch_graph("autograph"))
    assert db.datasets()[0]["source"] == BUNDLED


def test_an_interrupted_load_is_rolled_back(db, bolt_settings, big_data, G, autograph_exe):
    db.load(G, "autograph", BUNDLED)
    proc = _start_load(autograph_exe, bolt_settings, big_data, "big")
    _wait_until_mid_load(bolt_settings, proc)
    os.kill(proc.pid, signal.SIGINT)
    code, out, err = _finish(proc)
    assert code == 1
    _assert_quiet(err)
    assert "Error: interrupted (Ctrl-C): the load was rolled back; the database is as it was" in err
    assert db.counts("big") == (0, 0)
    assert_same_graph(G, db.fetch_graph("autograph"))


def test_two_loads_of_one_dataset_at_once_both_apply_once(db, bolt_settings, big_data,
                                                          autograph_exe):
    first = _start_load(autograph_exe, bolt_settings, big_data, "big")
    _wait_until_mid_load(bolt_settings, first)
    # the second waits for the first's lock: its --timeout must cover the first's load
    second = _start_load(autograph_exe, bolt_settings, big_data, "big", "--timeout", "300")
    for proc in (first, second):
        code, out, err = _finish(proc)
        assert code == 0, err
    expected = graph.load_graph(big_data)
    assert db.counts("big") == (expected.number_of_nodes(), expected.number_of_edges())


def test_a_frozen_server_fails_the_load_in_bounded_time(db, neo4j_server, bolt_settings,
                                                         big_data, G, autograph_exe):
    if neo4j_server is None:
        pytest.skip("freezes the test server's process: not with $NEO4J_URI")
    db.load(G, "autograph", BUNDLED)
    proc = _start_load(autograph_exe, bolt_settings, big_data, "big")
    _wait_until_mid_load(bolt_settings, proc)
    jvm = neo4j_server.jvm_pid()
    os.kill(jvm, signal.SIGSTOP)
    try:
        code, out, err = _finish(proc)
    finally:
        os.kill(jvm, signal.SIGCONT)
    assert code == 1
    _assert_quiet(err)
    assert "did not answer within 3 s" in err
    assert "rolled back; the database is as it was" in err
    _eventually(lambda: db.counts("big") == (0, 0))
    assert_same_graph(G, db.fetch_graph("autograph"))


def test_a_killed_server_keeps_the_last_committed_load(tmp_path, big_data, G, autograph_exe):
    """SIGKILL the whole server (as a power loss) mid-load; restarted on the same store, it
    holds the earlier load and nothing of the interrupted one."""
    server = start_test_server(home=str(tmp_path / "home"))
    try:
        settings = BoltSettings(uri=server.uri, password=server.password, timeout=10)
        with Neo4jBackend(settings) as db:
            db.load(G, "autograph", BUNDLED)
        proc = _start_load(autograph_exe, settings, big_data, "autograph", "--take-over")
        _wait_until_mid_load(settings, proc)
        server.kill()
        code, out, err = _finish(proc)
        assert code == 1
        _assert_quiet(err)
        assert "lost the connection" in err or "did not answer" in err or \
            "cannot reach" in err, err
        server.start()
        settings = BoltSettings(uri=server.uri, password=server.password, timeout=10)
        with Neo4jBackend(settings) as db:
            assert_same_graph(G, db.fetch_graph("autograph"))
            assert db.datasets()[0]["source"] == BUNDLED
    finally:
        server.stop()
