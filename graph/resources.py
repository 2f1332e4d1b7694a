"""Find the bundled ``data/`` and ``cypher/`` folders, in a checkout and in an installed wheel.

In a checkout they sit beside the package (``graph/../data``). A wheel carries copies inside
the package as ``graph/_bundled/data`` and ``graph/_bundled/cypher`` (see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_dir", "data_dir", "cypher_dir"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The bundled folder *name* (``"data"`` or ``"cypher"``), wherever it was installed."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


def data_dir(path: str | Path | None = None) -> Path:
    """*path* as a Path, or the bundled dataset when it is None; a change to it that was
    killed is finished or undone first (:func:`graph.transaction.settle`)."""
    from .transaction import settle

    folder = Path(path) if path is not None else bundled_dir("data")
    settle(folder)
    return folder


def cypher_dir() -> Path:
    """The folder of the Cypher query library."""
    return bundled_dir("cypher")
