"""Where autograph may write: an output folder is never the dataset, inside it or around it.

Paths are compared after resolving symbolic links, so a link to the dataset folder counts
as the dataset folder.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OutputError

__all__ = ["check_outside"]


def check_outside(output: str | Path, dataset: str | Path, what: str = "the output") -> None:
    """Refuse *output* when it is the *dataset* folder, lies inside it or holds it.

    >>> check_outside("data/cands", "data")
    Traceback (most recent call last):
    ...
    graph.errors.OutputError: data/cands: the output is inside the dataset folder data; give a folder outside it
    """
    out, data = Path(output).resolve(), Path(dataset).resolve()
    if out == data:
        why = "is the dataset folder"
    elif data in out.parents:
        why = f"is inside the dataset folder {dataset}"
    elif out in data.parents:
        why = f"holds the dataset folder {dataset}"
    else:
        return
    raise OutputError(f"{output}: {what} {why}; give a folder outside it")
