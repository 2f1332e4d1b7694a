"""Every command example in the documentation runs.

Each ``sh`` block line that starts with ``autograph`` in ``README.md``, ``data/README.md``
and ``docs/*.md`` (except the README's two install blocks at the top) runs as the installed
command, in a temporary folder that holds a copy of the bundled data as ``./data``, one
folder per page and the lines in page order (a page may build on its earlier lines, as a
reader following it would), and must exit 0. Lines of blocks fenced ``sh neo4j`` run against
the Neo4j test server (``bolt_settings``; emptied for the page, then ``autograph load`` of its
``./data``), in the server's private network. Anything else (output, sketches) belongs in
``text`` blocks.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from bolt_server import in_test_network
from conftest import ROOT
from graph.backends.neo4j import Neo4jBackend
from graph.resources import bundled_dir

FENCE = re.compile(r"^(```+|~~~+)\s*(.*)$")
SHELL = {"|", "||", "&&", ";", ">", ">>", "<", "&"}


def pages() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "data" / "README.md",
             *sorted((ROOT / "docs").glob("*.md"))]
    return [p for p in found if p.is_file()]


def blocks(path: Path) -> list[tuple[str, int, list[str]]]:
    """``(info string, line of the fence, lines)`` of each fenced block of a Markdown file."""
    out, current = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = FENCE.match(line.strip())
        if current is None and match:
            current = (match.group(1), match.group(2).strip(), number, [])
        elif current is not None and match and match.group(1) == current[0] \
                and not match.group(2):
            out.append((current[1], current[2], current[3]))
            current = None
        elif current is not None:
            current[3].append(line)
    return out


def examples(path: Path) -> list[tuple[int, str, bool]]:
    """``(line, command, needs Neo4j)`` of every runnable example of a page, in order."""
    found = []
    sh_blocks = [b for b in blocks(path) if b[0].split()[:1] == ["sh"]]
    if path == ROOT / "README.md":
        sh_blocks = sh_blocks[2:]  # the two install commands: run by .ci/run, not here
    for info, fence, lines in sh_blocks:
        for offset, line in enumerate(lines, 1):
            if line.strip().startswith("autograph"):
                found.append((fence + offset, line.strip(), "neo4j" in info.split()[1:]))
    return found


def test_the_readme_keeps_its_shape():
    """`.ci/run` runs the README's second sh block; users read the first two."""
    readme = ROOT / "README.md"
    sh_blocks = [b for b in blocks(readme) if b[0] == "sh"]
    assert sh_blocks[0][2][0].startswith("pip install . && autograph ")
    assert sh_blocks[1][2] == ['pip install -e ".[test]" && python -m pytest']
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 400
    assert "docs/map-inspector.png" in readme.read_text(encoding="utf-8")


def test_the_examples_are_found():
    """A parser that found nothing would pass every page: it must find the README's tour and
    skip what is not a runnable example."""
    commands = [c for p in pages() for _, c, _ in examples(p)]
    assert "autograph analyze role catl" in commands
    assert not any(c.startswith("pip") for c in commands)
    assert all(c.startswith("autograph") for c in commands)


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_command_example_runs(page, tmp_path, autograph_exe, request):
    todo = examples(page)
    if not todo:
        pytest.skip(f"{page.relative_to(ROOT)} has no command examples")
    shutil.copytree(bundled_dir("data"), tmp_path / "data",
                    ignore=shutil.ignore_patterns("*.md"))
    env = {k: v for k, v in os.environ.items() if k not in ("AUTOGRAPH_DATA", "NEO4J_URI")}
    neo4j_env = None
    if any(needs for _, _, needs in todo):
        # the test server (a fresh database for this page, holding ./data as a reader's first
        # `autograph load` leaves it), reached in its private network
        settings = request.getfixturevalue("bolt_settings")
        neo4j_env = {**env, "NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.user,
                     "NEO4J_PASSWORD": settings.password}
        with in_test_network(), Neo4jBackend(settings) as db:
            db.query("MATCH (n) DETACH DELETE n", write=True)
            loaded = subprocess.run([autograph_exe, "load"], cwd=tmp_path, env=neo4j_env,
                                    capture_output=True, text=True, timeout=600)
        assert loaded.returncode == 0, loaded.stderr
    failures = []
    for line, command, needs_neo4j in todo:
        where = f"{page.relative_to(ROOT)}:{line}"
        words = shlex.split(command, comments=True)
        assert not SHELL & set(words), f"{where}: one command per line, no shell: {command}"
        with in_test_network() if needs_neo4j else contextlib.nullcontext():
            result = subprocess.run([autograph_exe, *words[1:]], cwd=tmp_path,
                                    capture_output=True, text=True, timeout=600,
                                    env=neo4j_env if needs_neo4j else env)
        if result.returncode != 0:
            failures.append(f"{where}: {command}\n  exit {result.returncode}: "
                            f"{result.stderr.strip()[-800:]}")
    assert not failures, "\n".join(failures)
