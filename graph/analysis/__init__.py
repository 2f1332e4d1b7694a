"""Analysis on networkx graphs: plain data in, plain data out; no database code here.

>>> import graph
>>> from graph.analysis import make_view, pagerank
>>> V = make_view(graph.load_graph(), "company")
>>> max(pagerank(V).items(), key=lambda kv: kv[1])[0]
'volkswagen-group'
"""

from .measures import (MEASURES, AnalysisError, Partition, betweenness_centrality,
                       burt_constraint, centrality, communities, degree_centrality,
                       effective_size, eigenvector_centrality, leiden_communities,
                       louvain_communities, modularity, pagerank, to_igraph)
from .reports import centrality_table, cluster, community_table, role
from .summary import summarize
from .views import VIEWS, company_view, full_view, make_view

__all__ = [
    "MEASURES", "AnalysisError", "Partition", "betweenness_centrality", "burt_constraint",
    "centrality", "communities", "degree_centrality", "effective_size",
    "eigenvector_centrality", "leiden_communities", "louvain_communities", "modularity",
    "pagerank", "to_igraph", "centrality_table", "cluster", "community_table", "role",
    "summarize", "VIEWS", "company_view", "full_view", "make_view",
]
