"""Dataset <-> ``nx.MultiDiGraph``: the embedded default backend.

Nodes are keyed by entity id and carry the entity fields of :data:`graph.schema.ENTITY_FIELDS`
(``aliases`` as a list) and the entity's typed properties. Edges are keyed by relation id and
carry the relation fields of :data:`graph.schema.RELATION_FIELDS` (``sources`` and
``disputedBy`` as lists) and the relation's typed properties. Each deal is a node labelled
``Deal`` with its parties as ``PARTY_TO`` edges (party -> deal, with ``role``); the pairwise
relations of a deal keep its id in ``deal`` and inherit the dates they leave empty. ``G.graph["sources"]``
holds the source registry.
"""

from __future__ import annotations

import dataclasses
import operator
from pathlib import Path
from typing import Any

import networkx as nx

from .. import schema
from ..records import (Dataset, Deal, Entity, Relation, Source, _convert, _split, no_gc,
                       party_id)

__all__ = ["to_networkx", "from_networkx", "read_graph", "source_registry", "ENTITY_FIELDS",
           "RELATION_FIELDS", "DEAL_FIELDS"]

# Attributes that are fields, not typed properties (the ends of an edge are its nodes).
ENTITY_FIELDS = tuple(f for f in schema.ENTITY_FIELDS if f != "id")
RELATION_FIELDS = tuple(f for f in schema.RELATION_FIELDS if f not in ("source", "target"))
DEAL_FIELDS = ("label",) + tuple(f for f in schema.DEAL_FIELDS if f not in ("id", "parties"))
_LISTS = schema.LIST_FIELDS
_DEAL_DATES = ("date", "endDate", "asOf")


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _source_dict(source: Source) -> dict[str, Any]:
    return {k: _plain(v) for k, v in dataclasses.asdict(source).items()}


def source_registry(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """The sources of *dataset* as plain dicts, as ``G.graph["sources"]`` holds them."""
    return {sid: _source_dict(s) for sid, s in dataset.sources.items()}


def _deal_edges(deal: Deal) -> list[tuple[str, str, str, dict[str, Any]]]:
    shared = {f: _plain(getattr(deal, f)) for f in
              ("status", "date", "endDate", "asOf", "confidence", "sources")}
    return [(eid, deal.id, party_id(deal.id, eid),
             {"id": party_id(deal.id, eid), "type": "PARTY_TO", "role": role, **shared,
              "deal": deal.id, "disputedBy": [],
              "evidence": f"{eid} is a party ({role}) to {deal.name}."})
            for eid, role in deal.parties]


def to_networkx(dataset: Dataset) -> nx.MultiDiGraph:
    """Build the property graph of *dataset*.

    Examples
    --------
    >>> from graph import load_dataset
    >>> G = to_networkx(load_dataset())
    >>> G.nodes["catl"]["label"], "vw-mou-catl" in G["volkswagen-group"]["catl"]
    ('Company', True)
    """
    with no_gc():
        return _build(dataset)


def _build(dataset: Dataset, relation_edges=None) -> nx.MultiDiGraph:
    """The graph of *dataset*; *relation_edges* (``(source, target, id, attrs)`` in file
    order, as :func:`_relation_edges` yields them) replace its relation records."""
    G = nx.MultiDiGraph(name="autograph")
    G.graph["sources"] = source_registry(dataset)
    G.add_nodes_from((ent.id, {**{f: _plain(getattr(ent, f)) for f in ENTITY_FIELDS},
                               **ent.properties}) for ent in dataset.entities.values())
    for deal in dataset.deals.values():
        attrs = {f: _plain(getattr(deal, f)) for f in DEAL_FIELDS if f != "label"}
        G.add_node(deal.id, label="Deal", **attrs, **deal.properties)
        for u, v, key, data in _deal_edges(deal):
            G.add_edge(u, v, key=key, **data)
    _add_edges(G, _relation_edges(dataset) if relation_edges is None else relation_edges)
    return G


def _add_edges(G: nx.MultiDiGraph, edges) -> None:
    """``G.add_edges_from(edges)`` for keyed edges between nodes *G* has, each with a fresh
    attribute dict: the same adjacency, written straight into networkx's dicts (a key dict
    shared by ``_succ[u][v]`` and ``_pred[v][u]``, the attribute dict as the edge's own),
    without add_edges_from's per-edge copies and checks (5.4 s -> 1.5 s at 548k relations).
    Anything else (an unknown node, a key already used) goes through ``add_edge``."""
    succ, pred, new_keys = G._succ, G._pred, G.edge_key_dict_factory
    for u, v, key, attrs in edges:
        out = succ.get(u)
        if out is None or v not in succ:
            G.add_edge(u, v, key=key, **attrs)
            continue
        keys = out.get(v)
        if keys is None:
            keys = out[v] = pred[v][u] = new_keys()
        elif key in keys:
            G.add_edge(u, v, key=key, **attrs)
            continue
        keys[key] = attrs
    clear = getattr(nx, "_clear_cache", None)  # networkx >= 3.3 caches derived views
    if clear is not None:
        clear(G)


_REL_VALUES = operator.attrgetter(*RELATION_FIELDS)
_REL_LISTS = tuple(f for f in RELATION_FIELDS if f in _LISTS)


def _relation_edges(dataset: Dataset):
    for rel in dataset.relations.values():
        attrs = dict(zip(RELATION_FIELDS, _REL_VALUES(rel)))
        for name in _REL_LISTS:
            attrs[name] = list(attrs[name])
        if rel.deal:  # the deal's dates, where the relation leaves them empty
            deal = dataset.deals[rel.deal]
            for name in _DEAL_DATES:
                attrs[name] = attrs[name] or getattr(deal, name)
        if rel.properties:
            attrs.update(rel.properties)
        yield rel.source, rel.target, rel.id, attrs


def read_graph(folder: str | Path):
    """The ``nx.MultiDiGraph`` of the dataset when the columnar check finds it valid, else
    None: what ``to_networkx(load_dataset(folder))`` gives (node, edge and attribute order
    and types included), with each relation's attributes made straight from the columns
    instead of through a record (``tests/test_arrays.py`` compares both)."""
    import polars as pl

    from ..columnar import _records, checked_tables

    tables = checked_tables(folder)
    if tables is None:
        return None
    c = pl.col
    rel = tables["relations.csv"]
    props = tables["properties.csv"]
    on_relations = props.filter(c("subject").is_in(rel["id"].to_list()))
    rest = {**tables, "relations.csv": rel.clear(),
            "properties.csv": props.filter(~c("subject").is_in(rel["id"].to_list()))}
    with no_gc():
        dataset = _records(rest, Path(folder))
        return _build(dataset, _column_edges(rel, on_relations, dataset.deals))


def _column_edges(rel, props, deals: dict[str, Deal]):
    """``(source, target, id, attrs)`` per relation of the checked columns *rel* (with the
    properties *props* on relations), in file order, as :func:`_relation_edges` makes them
    from records."""
    from ..columnar import _columns

    properties: dict[str, dict[str, Any]] = {}
    specs = schema.RELATION_PROPERTIES
    for subject, key, value in zip(*_columns(props, ("subject", "key", "value"))):
        properties.setdefault(subject, {})[key] = _convert(value, specs[key].type)
    confidences: dict[str, float] = {}
    fields = ("id", "type", "deal", "status", "date", "endDate", "asOf", "confidence",
              "sources", "disputedBy", "evidence", "source", "target")
    for (rid, rtype, deal, status, date, end, as_of, confidence, cited, disputed, evidence,
         source, target) in zip(*_columns(rel, fields)):
        number = confidences.get(confidence)
        if number is None:
            number = confidences[confidence] = float(confidence)
        if deal:  # the deal's dates, where the relation leaves them empty
            record = deals[deal]
            date, end, as_of = date or record.date, end or record.endDate, as_of or record.asOf
        attrs = {"id": rid, "type": rtype, "deal": deal, "status": status, "date": date,
                 "endDate": end, "asOf": as_of, "confidence": number,
                 # values are stripped: one without a separator is a list of itself
                 "sources": list(_split(cited)) if "|" in cited else [cited],
                 "disputedBy": (list(_split(disputed)) if "|" in disputed
                                else [disputed] if disputed else []),
                 "evidence": evidence}
        extra = properties.get(rid)
        if extra:
            attrs.update(extra)
        yield source, target, rid, attrs


def from_networkx(G: nx.MultiDiGraph) -> Dataset:
    """The reverse of :func:`to_networkx`: rebuild a :class:`Dataset` from a graph.

    Attributes that are not fields of an entity, deal or relation become its properties.
    """
    source_fields = {f.name for f in dataclasses.fields(Source)}
    sources = {}
    for sid, data in G.graph.get("sources", {}).items():
        values = {k: tuple(v) if k in _LISTS else v for k, v in data.items()
                  if k in source_fields}
        sources[sid] = Source(**values)
    parties = {n: [(u, d.get("role", "")) for u, _, d in G.in_edges(n, data=True)
                   if d.get("type") == "PARTY_TO"]
               for n, label in G.nodes(data="label") if label == "Deal"}
    entities, deals = {}, {}
    for nid, data in G.nodes(data=True):
        if data.get("label") == "Deal":
            props = {k: v for k, v in data.items() if k not in DEAL_FIELDS}
            deals[nid] = Deal(
                id=nid, name=data.get("name", nid), kind=data.get("kind", ""),
                status=data["status"], confidence=float(data["confidence"]),
                sources=tuple(data.get("sources", ())), parties=tuple(parties.get(nid, ())),
                evidence=data.get("evidence", ""), date=data.get("date", ""),
                endDate=data.get("endDate", ""), asOf=data.get("asOf", ""), properties=props)
            continue
        props = {k: v for k, v in data.items() if k not in ENTITY_FIELDS}
        entities[nid] = Entity(
            id=nid, label=data["label"], name=data.get("name", nid),
            aliases=tuple(data.get("aliases", ())), kind=data.get("kind", ""),
            country=data.get("country", ""), description=data.get("description", ""),
            properties=props)
    relations = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        if data.get("type") == "PARTY_TO":
            continue
        props = {k: val for k, val in data.items() if k not in RELATION_FIELDS}
        deal = data.get("deal", "")
        dates = {name: data.get(name, "") for name in _DEAL_DATES}
        if deal in deals:  # inherited from the deal, as to_networkx filled them in
            dates = {k: "" if v == getattr(deals[deal], k) else v for k, v in dates.items()}
        relations[key] = Relation(
            id=data.get("id", key), type=data["type"], source=u, target=v,
            status=data["status"], confidence=float(data["confidence"]),
            sources=tuple(data["sources"]), evidence=data["evidence"],
            deal=deal, disputedBy=tuple(data.get("disputedBy", ())), **dates,
            properties=props)
    return Dataset(entities=entities, relations=relations, sources=sources, deals=deals)
