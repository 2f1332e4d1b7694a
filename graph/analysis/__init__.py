"""Analysis on networkx graphs: plain data in, plain data out; no database code here.

Names load lazily, so that commands which need no measure do not pay for importing igraph.

>>> import graph
>>> from graph.analysis import make_view, pagerank
>>> V = make_view(graph.load_graph(), "company")
>>> max(pagerank(V).items(), key=lambda kv: kv[1])[0]
'volkswagen-group'
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    ".measures": ["MEASURES", "AnalysisError", "Partition", "betweenness_centrality",
                  "burt_constraint", "centrality", "communities", "degree_centrality",
                  "effective_size", "eigenvector_centrality", "leiden_communities",
                  "louvain_communities", "modularity", "pagerank", "to_igraph"],
    ".evidence": ["WEIGHTS", "evidence_weight", "weighted"],
    ".predict": ["evaluate_split", "predict_links", "predicted_candidates"],
    ".reports": ["centrality_table", "cluster", "community_table", "role"],
    ".robustness": ["co_assignment", "community_stability", "robustness", "weighted_view"],
    ".summary": ["summarize"],
    ".views": ["VIEWS", "company_view", "full_view", "make_view"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name], __name__), name)


def __dir__() -> list[str]:
    return __all__
