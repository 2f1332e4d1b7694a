"""Find the bundled ``data/`` and ``cypher/`` folders, in a checkout and in an installed wheel.

In a checkout they sit beside the package (``graph/../data``). A wheel carries copies inside
the package as ``graph/_bundled/data`` and ``graph/_bundled/cypher`` (see ``pyproject.toml``).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import AutographError

__all__ = ["bundled_dir", "data_dir", "cypher_dir", "is_installed", "check_writable",
           "DATA_ENV"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The bundled folder *name* (``"data"`` or ``"cypher"``), wherever it was installed."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


DATA_ENV = "AUTOGRAPH_DATA"


def data_dir(path: str | Path | None = None) -> Path:
    """The dataset folder a command works on.

    *path* when given; else the folder named by ``$AUTOGRAPH_DATA``; else ``./data`` when it
    holds a dataset (an ``entities.csv``); else the dataset bundled with autograph. A change
    to it that was killed is finished or undone first (:func:`graph.transaction.settle`).
    """
    from .transaction import settle

    if path is not None:
        folder = Path(path)
    elif os.environ.get(DATA_ENV):
        folder = Path(os.environ[DATA_ENV])
    elif (Path("data") / "entities.csv").is_file():
        folder = Path("data")
    else:
        folder = bundled_dir("data")
    settle(folder)
    return folder


def is_installed(folder: str | Path) -> bool:
    """Whether *folder* lies inside the installed package (site-packages), which no command
    may write: an upgrade of autograph would replace it, and the user would not find it."""
    try:
        Path(folder).resolve().relative_to(_PACKAGE)
    except ValueError:
        return False
    return True


def check_writable(folder: str | Path, action: str) -> None:
    """Refuse to *action* a dataset inside the installed package; say what to do instead."""
    if is_installed(folder):
        raise AutographError(
            f"{folder} is the dataset installed with autograph, which is never written; "
            f"{action} works on a dataset of your own: run `autograph init my-data` (a copy "
            f"to start from), then pass --data my-data or set {DATA_ENV}=my-data")


def cypher_dir() -> Path:
    """The folder of the Cypher query library."""
    return bundled_dir("cypher")
