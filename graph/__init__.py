"""autograph: a curated, source-backed property graph of the automotive industry network.

>>> import graph
>>> G = graph.load_graph()
>>> G.nodes["catl"]["name"]
'CATL'
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dataset import Dataset, Entity, Relation, Source, load_dataset, validate_dataset
from .errors import (AutographError, BackendError, DataValidationError, EntityNotFoundError,
                     Problem, QueryError, SelectionError)

if TYPE_CHECKING:
    import networkx as nx

    from .backends.networkx import from_networkx, to_networkx
    from .selection import Selection, find_node, select

__all__ = [
    "AutographError", "BackendError", "DataValidationError", "EntityNotFoundError", "Problem",
    "QueryError", "SelectionError",
    "Dataset", "Entity", "Relation", "Source", "load_dataset", "validate_dataset",
    "to_networkx", "from_networkx", "load_graph",
    "Selection", "select", "find_node",
]

__version__ = "0.1.0"

# Imported on first use: importing networkx takes 0.12 s, which commands that read a large
# dataset's columns (validate, stats, the measures, most exports) never need.
_LAZY = {"to_networkx": ".backends.networkx", "from_networkx": ".backends.networkx",
         "Selection": ".selection", "select": ".selection", "find_node": ".selection"}


# Submodules ``import graph`` loaded before they became lazy, still reachable as attributes
# (``graph.selection.select``, ``graph.backends.networkx.to_networkx``): loaded on first use.
_SUBMODULES = {"selection": ".selection", "backends": ".backends.networkx"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        importlib.import_module(_SUBMODULES[name], __name__)  # binds it on this package
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))


def load_graph(data_dir: str | Path | None = None) -> nx.MultiDiGraph:
    """Load and validate a dataset folder (bundled ``data/`` by default) as a MultiDiGraph.

    ``to_networkx(load_dataset(data_dir))``; a large dataset that the columnar check finds
    valid is built straight from its columns (:func:`graph.backends.networkx.read_graph`,
    the same graph in half the time).
    """
    from .backends.networkx import read_graph, to_networkx
    from .dataset import large_dataset_folder

    folder = large_dataset_folder(data_dir)
    if folder is not None:
        G = read_graph(folder)
        if G is not None:
            return G
    return to_networkx(load_dataset(data_dir))
