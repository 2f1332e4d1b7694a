"""Shared fixtures: the bundled graph, editable copies of the dataset, the installed CLI."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

import graph
from graph.resources import bundled_dir

ROOT = Path(__file__).resolve().parent.parent
SEEDS = next((p / "shared" / "seeds" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
             ROOT.parent / "shared" / "seeds")


@pytest.fixture(scope="session", autouse=True)
def private_dataset_cache(tmp_path_factory):
    """The cache of validated datasets in a folder of this session, for the tests and the
    commands they run: never the user's ~/.cache, and nothing an earlier run stored (a
    cached read adds a note to a command's output)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("AUTOGRAPH_CACHE_DIR", str(tmp_path_factory.mktemp("autograph-cache")))
    patch.delenv("AUTOGRAPH_CACHE", raising=False)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def columnar_check_flags_every_broken_dataset(monkeypatch):
    """Whenever the Python reader finds a problem in a dataset, in any test, the columnar
    check (graph.columnar, the fast path of `validate`) must not call that dataset clean."""
    from graph import columnar, dataset

    read_all = dataset._read_all

    def read_and_cross_check(data_dir):
        ds, problems = read_all(data_dir)
        if problems:
            verdict = columnar.check(data_dir)
            assert not verdict.clean, (
                f"the columnar check passes {data_dir}, where the Python reader finds "
                f"{len(problems)} problems, first {problems[0]}")
            BROKEN_DATASETS_CHECKED.append(data_dir)
        return ds, problems

    monkeypatch.setattr(dataset, "_read_all", read_and_cross_check)


BROKEN_DATASETS_CHECKED: list[Path] = []


@pytest.fixture(scope="session")
def G():
    """The bundled dataset as a MultiDiGraph (do not mutate: copy first)."""
    return graph.load_graph()


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the bundled dataset; returns its folder."""
    target = tmp_path / "data"
    shutil.copytree(bundled_dir("data"), target, ignore=shutil.ignore_patterns("*.md"))
    return target


@pytest.fixture(scope="session")
def autograph_exe() -> str:
    """The installed console script."""
    exe = shutil.which("autograph") or str(Path(sys.executable).parent / "autograph")
    if not Path(exe).exists():
        pytest.fail("the autograph console script is not installed; run pip install -e .")
    return exe


# -- Bolt server ----------------------------------------------------------------------------

from bolt_server import Neo4jServer, in_test_network, private_network  # noqa: E402


def _private_network_or_skip() -> None:
    import os
    try:
        private_network()
    except OSError as err:
        message = (f"{err}: the Bolt tests run the test server in a private network namespace "
                   "(loopback only). Run the tests as root, or set "
                   "AUTOGRAPH_TEST_SHARED_NETWORK=1 to run it on this machine's network")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _bolt_tests_in_private_network(request):
    """Tests marked neo4j or using the server run in the test server's private network, with
    their subprocesses."""
    if request.node.get_closest_marker("neo4j") is None \
            and "bolt_settings" not in request.fixturenames:
        yield
        return
    _private_network_or_skip()
    with in_test_network():
        yield


def start_test_server(**options) -> Neo4jServer:
    """A fresh Neo4j test server (the caller stops it), or a skip saying what is missing
    (a failure in CI, which installs everything)."""
    import os

    ok, why = Neo4jServer.available()
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    Neo4jServer.prepare()
    _private_network_or_skip()
    return Neo4jServer(**options).start()


@pytest.fixture(scope="session")
def neo4j_server():
    """The session's Neo4j test server (``.ci/neo4j-server``), or None with $NEO4J_URI."""
    import os

    if os.environ.get("NEO4J_URI"):
        yield None
        return
    server = start_test_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def bolt_settings(neo4j_server):
    """Settings for a real, empty Neo4j: the test server, or $NEO4J_URI when set."""
    import os

    from graph.backends.neo4j import BoltSettings

    if neo4j_server is None:
        if os.environ.get("AUTOGRAPH_TEST_RESET") != "1":
            pytest.skip("NEO4J_URI is set but AUTOGRAPH_TEST_RESET is not 1: the Neo4j tests "
                        "empty the database, so they refuse to run on it")
        return BoltSettings.from_env()
    return BoltSettings(uri=neo4j_server.uri, user="neo4j", password=neo4j_server.password)


@pytest.fixture(scope="session")
def neo4j_uri(bolt_settings):
    """The Bolt URI of the test server (with NEO4J_PASSWORD it takes, see bolt_settings)."""
    return bolt_settings.uri


@pytest.fixture
def db(bolt_settings):
    """A connected backend on an emptied database."""
    from graph.backends.neo4j import Neo4jBackend
    from graph.cypher import load_template

    with Neo4jBackend(bolt_settings) as backend:
        backend.query(load_template("admin/delete_everything"), write=True)
        yield backend
