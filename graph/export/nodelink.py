"""networkx node-link JSON, readable with the defaults of every networkx 3.x.

networkx 3.4 renamed the edge list from ``links`` to ``edges``; the file carries the same
list under both keys, so ``nx.node_link_graph(data)`` reads it in networkx before 3.4 and
``nx.node_link_graph(data, edges="edges")`` from 3.4 on. Every edge also carries
``symmetric`` (true for the schema's symmetric types, which have no direction).
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from ..dataset import no_gc
from .common import Exporter, is_symmetric

__all__ = ["node_link", "to_json", "read_json", "EXPORTER"]


def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link form with both ``edges`` and ``links``, and ``symmetric`` per edge."""
    data = nx.node_link_data(G, edges="edges")
    for edge in data["edges"]:
        edge["symmetric"] = is_symmetric(edge.get("type", ""))
    data["links"] = data["edges"]
    return data


@no_gc()  # millions of acyclic objects: see graph.dataset.no_gc
def to_json(G: nx.MultiDiGraph) -> str:
    """The JSON text; UTF-8 as is, unless a value holds a lone surrogate (not encodable as
    UTF-8), in which case the whole file uses ``\\u`` escapes."""
    text = json.dumps(node_link(G), indent=2, ensure_ascii=False, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(node_link(G), indent=2, default=str)
    return text + "\n"


def read_json(text: str) -> nx.MultiDiGraph:
    """Read :func:`to_json` output back into the model (``symmetric`` dropped)."""
    data = json.loads(text)
    data.pop("links", None)
    G = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    for *_, d in G.edges(data=True):
        d.pop("symmetric", None)
    return G


EXPORTER = Exporter("json", ".json", "networkx node-link JSON", render=to_json)
