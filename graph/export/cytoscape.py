"""Cytoscape.js elements JSON, which Cytoscape (desktop, *File > Import > Network from
File*, ``.cyjs``) and cytoscape.js (``cytoscape({elements})`` or ``cy.json(doc)``) open
as they are.

- ``elements.nodes``: ``{"data": {"id": ..., "value": <the id again>, <the node's
  attributes>}}``; ``elements.edges``: ``{"data": {"id": <relation id>, "source": ...,
  "target": ..., "key": <the relation id again>, <its attributes>, "symmetric": <true for
  the schema's symmetric types>}}``. ``value``, ``key`` and the document's ``directed`` and
  ``multigraph`` are what ``nx.cytoscape_graph`` needs to read the file as the
  ``MultiDiGraph`` it is (``nx.cytoscape_data`` writes them too). Cytoscape has no direction per
  edge: an edge goes from ``source`` to ``target``, and ``symmetric`` says when that
  direction means nothing.
- Lists stay JSON arrays (Cytoscape makes list columns of them).
- ``data`` holds the graph's own attributes, each a scalar as Cytoscape's network table
  takes it: ``name``, and ``sources``, the source registry as JSON text.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .common import Exporter, is_symmetric
from .nodelink import json_text

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["cytoscape_elements", "to_cytoscape", "read_cytoscape", "EXPORTER"]


def cytoscape_elements(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The cytoscape.js document of *G* (see the module docstring).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="g")
    >>> G.add_edge("a", "b", key="a-partners-b", type="PARTNERS_WITH")
    'a-partners-b'
    >>> cytoscape_elements(G)["elements"]["edges"][0]["data"]
    {'id': 'a-partners-b', 'source': 'a', 'target': 'b', 'key': 'a-partners-b', \
'type': 'PARTNERS_WITH', 'symmetric': True}
    """
    graph_data = {k: v if isinstance(v, (str, int, float, bool)) else json.dumps(
        v, ensure_ascii=False, sort_keys=True, default=str) for k, v in G.graph.items()}
    nodes = [{"data": {"id": n, "value": n,
                       **{k: v for k, v in d.items() if v is not None and k not in _OURS}}}
             for n, d in G.nodes(data=True)]
    edges = [{"data": {"id": k, "source": u, "target": v, "key": k,
                       **{a: x for a, x in d.items() if x is not None and a not in _OURS},
                       "symmetric": is_symmetric(d.get("type", ""))}}
             for u, v, k, d in G.edges(keys=True, data=True)]
    return {"format_version": "1.0", "generated_by": "autograph",
            "target_cytoscapejs_version": "~3.0", "directed": True, "multigraph": True,
            "data": graph_data, "elements": {"nodes": nodes, "edges": edges}}


# data keys the document sets itself (cytoscape.js reads id, source, target and parent)
_OURS = ("id", "value", "source", "target", "key", "parent")


def to_cytoscape(G: nx.MultiDiGraph) -> str:
    """The document as JSON text (as :func:`graph.export.nodelink.to_json` writes JSON)."""
    return json_text(cytoscape_elements(G))


def read_cytoscape(text: str) -> nx.MultiDiGraph:
    """Read :func:`to_cytoscape` output back into the model (``symmetric`` dropped, the
    source registry parsed)."""
    doc = json.loads(text)
    import networkx as nx

    G = nx.MultiDiGraph()
    G.graph.update(doc.get("data", {}))
    if isinstance(G.graph.get("sources"), str):
        G.graph["sources"] = json.loads(G.graph["sources"])
    for node in doc["elements"]["nodes"]:
        data = dict(node["data"])
        data.pop("value", None)
        G.add_node(data.pop("id"), **data)
    for edge in doc["elements"]["edges"]:
        data = dict(edge["data"])
        for key in ("symmetric", "key"):
            data.pop(key, None)
        u, v = data.pop("source"), data.pop("target")
        G.add_edge(u, v, key=data["id"], **data)
    return G


EXPORTER = Exporter("cytoscape", ".cyjs", "Cytoscape / cytoscape.js elements JSON",
                    render=to_cytoscape)
