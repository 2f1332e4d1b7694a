"""Shared fixtures: the bundled graph, editable copies of the dataset, the installed CLI."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

import graph
from graph.resources import bundled_dir

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


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
