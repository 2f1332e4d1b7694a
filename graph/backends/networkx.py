"""Dataset <-> ``nx.MultiDiGraph``: the embedded default backend.

Nodes are keyed by entity id and carry ``label``, ``name``, ``aliases`` (a list), ``kind``,
``country``, ``description`` and the entity's typed properties. Edges are keyed by relation id
and carry ``id``, ``type``, ``status``, ``confidence``, ``sources`` (a list), ``evidence``,
``deal``, ``date``, ``asOf`` and the relation's typed properties. ``G.graph["sources"]`` holds
the source registry.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import networkx as nx

from ..dataset import Dataset, Entity, Relation, Source

__all__ = ["to_networkx", "from_networkx", "source_registry", "ENTITY_FIELDS",
           "RELATION_FIELDS"]

ENTITY_FIELDS = ("label", "name", "aliases", "kind", "country", "description")
RELATION_FIELDS = ("id", "type", "status", "confidence", "sources", "evidence", "deal", "date",
                   "asOf")


def _source_dict(source: Source) -> dict[str, Any]:
    data = dataclasses.asdict(source)
    data["references"] = list(source.references)
    return data


def source_registry(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """The sources of *dataset* as plain dicts, as ``G.graph["sources"]`` holds them."""
    return {sid: _source_dict(s) for sid, s in dataset.sources.items()}


def to_networkx(dataset: Dataset) -> nx.MultiDiGraph:
    """Build the property graph of *dataset*.

    Examples
    --------
    >>> from graph import load_dataset
    >>> G = to_networkx(load_dataset())
    >>> G.nodes["catl"]["label"], "vw-mou-catl" in G["volkswagen-group"]["catl"]
    ('Company', True)
    """
    G = nx.MultiDiGraph(name="autograph")
    G.graph["sources"] = source_registry(dataset)
    for ent in dataset.entities.values():
        attrs = {f: getattr(ent, f) for f in ENTITY_FIELDS}
        attrs["aliases"] = list(ent.aliases)
        G.add_node(ent.id, **attrs, **ent.properties)
    for rel in dataset.relations.values():
        attrs = {f: getattr(rel, f) for f in RELATION_FIELDS}
        attrs["sources"] = list(rel.sources)
        G.add_edge(rel.source, rel.target, key=rel.id, **attrs, **rel.properties)
    return G


def from_networkx(G: nx.MultiDiGraph) -> Dataset:
    """The reverse of :func:`to_networkx`: rebuild a :class:`Dataset` from a graph.

    Attributes that are not fields of an entity or relation become its properties.
    """
    sources = {}
    for sid, data in G.graph.get("sources", {}).items():
        fields = {f.name for f in dataclasses.fields(Source)}
        values = {k: v for k, v in data.items() if k in fields}
        values["references"] = tuple(values.get("references", ()))
        sources[sid] = Source(**values)
    entities = {}
    for nid, data in G.nodes(data=True):
        props = {k: v for k, v in data.items() if k not in ENTITY_FIELDS}
        entities[nid] = Entity(
            id=nid, label=data["label"], name=data.get("name", nid),
            aliases=tuple(data.get("aliases", ())), kind=data.get("kind", ""),
            country=data.get("country", ""), description=data.get("description", ""),
            properties=props)
    relations = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        props = {k: val for k, val in data.items() if k not in RELATION_FIELDS}
        relations[key] = Relation(
            id=data.get("id", key), type=data["type"], source=u, target=v,
            status=data["status"], confidence=float(data["confidence"]),
            sources=tuple(data["sources"]), evidence=data["evidence"],
            deal=data.get("deal", ""), date=data.get("date", ""), asOf=data.get("asOf", ""),
            properties=props)
    return Dataset(entities=entities, relations=relations, sources=sources)
