"""autograph: a curated, source-backed property graph of the automotive industry network.

>>> import graph
>>> G = graph.load_graph()
>>> G.nodes["catl"]["name"]
'CATL'
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .backends.networkx import from_networkx, to_networkx
from .dataset import Dataset, Entity, Relation, Source, load_dataset, validate_dataset
from .errors import (AutographError, BackendError, DataValidationError, EntityNotFoundError,
                     Problem, QueryError, SelectionError)
from .selection import Selection, find_node, select

__all__ = [
    "AutographError", "BackendError", "DataValidationError", "EntityNotFoundError", "Problem",
    "QueryError", "SelectionError",
    "Dataset", "Entity", "Relation", "Source", "load_dataset", "validate_dataset",
    "to_networkx", "from_networkx", "load_graph",
    "Selection", "select", "find_node",
]

__version__ = "0.1.0"


def load_graph(data_dir: str | Path | None = None) -> nx.MultiDiGraph:
    """Load and validate a dataset folder (bundled ``data/`` by default) as a MultiDiGraph.

    ``to_networkx(load_dataset(data_dir))``; a large dataset that the columnar check finds
    valid is built straight from its columns (:func:`graph.columnar.read_graph`, the same
    graph in half the time).
    """
    from .dataset import large_dataset_folder

    folder = large_dataset_folder(data_dir)
    if folder is not None:
        from . import columnar

        G = columnar.read_graph(folder)
        if G is not None:
            return G
    return to_networkx(load_dataset(data_dir))
