"""data/ and cypher/ are found from a checkout and from a non-editable wheel install."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from helpers import ok_line

from graph.resources import bundled_dir

from conftest import ROOT


def test_checkout_finds_bundled_folders():
    assert (bundled_dir("data") / "entities.csv").is_file()
    assert bundled_dir("cypher").is_dir()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A wheel of the checkout installed (not editable) into a fresh venv.

    The venv sees the dependencies of the environment running the tests (a ``.pth`` file
    naming its site-packages folders), not the base interpreter's: on a fresh machine those
    are where ``pip install -e ".[test]"`` put them. That environment's editable install of
    autograph stays invisible: a folder named in a ``.pth`` file is added to the path, the
    ``.pth`` files inside it are not run.
    """
    tmp = tmp_path_factory.mktemp("wheel")
    wheels = tmp / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, timeout=600)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=300)
    py = venv / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site) / "_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    wheel = next(wheels.glob("autograph-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q",
                    "--no-deps", "--force-reinstall", str(wheel)], check=True, timeout=300)
    return venv


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.slow
def test_wheel_install_finds_data_and_cypher(installed, tmp_path):
    """Run the installed wheel from a folder outside the checkout."""
    venv = installed
    py = venv / "bin" / "python"
    probe = ("import graph, graph.resources as r; "
             "print(graph.__file__); print(r.bundled_dir('data')); print(r.bundled_dir('cypher'))")
    out = subprocess.run([str(py), "-c", probe], capture_output=True, text=True, check=True,
                         cwd=tmp_path, timeout=120).stdout.split()
    site = str(venv)
    assert all(line.startswith(site) for line in out), out
    assert Path(out[1]).name == "data" and "_bundled" in out[1]
    result = subprocess.run([str(venv / "bin" / "autograph"), "validate"], capture_output=True,
                            text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ok_line()
    # the README's first command, twice in a row: the map replaces its own page
    for _ in range(2):
        for args in (["validate"], ["analyze", "role", "catl"], ["map", "-o", "m.html"]):
            result = subprocess.run([str(venv / "bin" / "autograph"), *args],
                                    capture_output=True, text=True, cwd=tmp_path, timeout=300)
            assert result.returncode == 0, (args, result.stderr)  # the template ships too
    assert (tmp_path / "m.html").stat().st_size > 100_000
    result = subprocess.run([str(venv / "bin" / "autograph"), "query", "--list"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "role_of_entity" in result.stdout  # and so does the Cypher library


@pytest.mark.slow
def test_no_command_writes_into_the_installed_package(installed, tmp_path):
    exe = str(installed / "bin" / "autograph")
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRAPH_DATA"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([exe, *args], capture_output=True, text=True, cwd=tmp_path,
                              env=env, timeout=300)

    package = Path(run("--version").stdout and subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import graph; print(graph.__file__)"],
        capture_output=True, text=True, check=True).stdout.strip()).parent
    before = _files(package)
    assert run("init", "other").returncode == 0
    for args in (["format"], ["upgrade"], ["merge", "--from", "other"]):
        result = run(*args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "is the dataset installed with autograph, which is never written" in \
            result.stderr, args
        assert "run `autograph init my-data`" in result.stderr
    assert _files(package) == before
    # a dataset of one's own is written as usual, and is the default where it lies
    assert run("init", "data").returncode == 0
    assert run("upgrade").returncode == 0
    assert run("format").stdout == "unchanged\n"
