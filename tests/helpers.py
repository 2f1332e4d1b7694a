"""Helpers for tests: edit dataset copies, run the installed CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of *path* containing *needle*."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of *old* in *path*; return its line number."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    line = line_of(path, old.splitlines()[0]) if old.strip() else 0
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def run_cli(exe: str, *args: str, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)
