"""data/ and cypher/ are found from a checkout and from a non-editable wheel install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ok_line

from graph.resources import bundled_dir

from conftest import ROOT


def test_checkout_finds_bundled_folders():
    assert (bundled_dir("data") / "entities.csv").is_file()
    assert bundled_dir("cypher").is_dir()


@pytest.mark.slow
def test_wheel_install_finds_data_and_cypher(tmp_path):
    """Build a wheel, install it (no deps: they are on this machine) into a fresh venv that
    sees the system site-packages, and run it from a folder outside the checkout."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, timeout=600)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)
    py = venv / "bin" / "python"
    wheel = next(wheels.glob("autograph-*.whl"))
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
                    str(wheel)], check=True, timeout=300)
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
    result = subprocess.run([str(venv / "bin" / "autograph"), "map", "-o", "m.html"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr  # the page template ships in the wheel
    assert (tmp_path / "m.html").stat().st_size > 100_000
    result = subprocess.run([str(venv / "bin" / "autograph"), "query", "--list"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "role_of_entity" in result.stdout  # and so does the Cypher library
