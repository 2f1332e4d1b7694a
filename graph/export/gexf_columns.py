"""The GEXF document of a whole large dataset, straight from its checked columns.

:func:`gexf_from_columns` gives what :func:`graph.export.gexf.to_gexf` gives for
``to_networkx(load_dataset(folder))``, character for character, without building records,
a networkx graph or an element per node and edge: each node and edge is one string made by
polars (its ``attvalue`` elements in the order of the graph's attribute dicts, its
properties after its fields and an edge's ``symmetric`` last, lists in brackets with each
item quoted (:func:`graph.export.gexf.list_text`), ElementTree's escaping, the colours of
its label or type, the node's size from its degree, the edge's ``start`` and ``end`` from
its dates and its sources' dates as :func:`graph.export.gexf.timeline` takes them), in
networkx's order (:func:`.columns.in_edge_order`).
The rest of the document (declarations, description, the markup between and after the
elements) is what ``to_gexf`` writes for the sample graph (:func:`.columns.sample_graph`)
with the deals' nodes and edges. The deals (few) are built by ``to_networkx`` from their
records alone (:func:`.columns.deal_graph`) and written by ``to_gexf``'s own element writer
(:class:`graph.export.gexf._Elements`): their nodes after the entities, each ``PARTY_TO``
edge before its party's relations, every node sized against the largest degree with the
``PARTY_TO`` edges counted.

It answers None, and the caller takes the networkx path, when the columnar check does not
find the dataset valid, and for what it leaves to that path (:func:`.columns.plain_tables`:
an empty dataset, a character XML 1.0 cannot hold).
``tests/test_graphml_columns.py`` compares both ways.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from .. import schema, style
from ..dataset import LIST_SEPARATOR, _split
from .columns import (Rendered, deal_graph, in_edge_order, items, pieces, plain_tables,
                      property_texts, sample_graph, with_deal_dates, with_properties)
from .gexf import _Elements, _skeleton, _text as _value_text, reported, to_gexf
from .graphml_columns import _ILLEGAL, _attribute

__all__ = ["gexf_from_columns"]

c = pl.col
_NODE_FIELDS = ("label", "name", "aliases", "kind", "country", "description")
_EDGE_FIELDS = ("id", "type", "deal", "status", "date", "endDate", "asOf", "confidence",
                "sources", "disputedBy", "evidence")
_RENAMED = {"label": "nodeLabel", "type": "relType"}
_ITEM, _INNER, _CLOSE = "\n          ", "\n        ", "\n      "


def gexf_from_columns(folder: str | Path, undirected: bool = False, viz: bool = True
                      ) -> tuple[Iterator[str], int, int] | None:
    """``(text, nodes, relationships)`` of the whole dataset in *folder*, the text in
    pieces to write one after the other, or None when the networkx path must write it (see
    the module docstring); *undirected* and *viz* as for ``to_gexf``."""
    tables = plain_tables(folder, refused=_ILLEGAL, deals=True)
    if tables is None:
        return None
    deals = deal_graph(tables, folder) if tables["deals.csv"].height else None
    G = sample_graph(tables, folder)
    if deals is not None:  # their attributes declared too
        G.add_nodes_from(deals.nodes(data=True))
        G.add_edges_from(deals.edges(keys=True, data=True))
    text = to_gexf(G, undirected, viz).decode("utf-8")
    first_node, last_node = text.index("<node "), text.rindex("</node>") + len("</node>")
    first_edge, last_edge = text.index("<edge "), text.rindex("</edge>") + len("</edge>")
    *_, node_model, edge_model, _, _ = _skeleton(G, viz)
    models = {"node": node_model, "edge": edge_model}
    texts = property_texts(tables, lambda domain, _, props: _properties(models[domain], props))
    ent = with_properties(tables["entities.csv"], texts)
    rel = with_deal_dates(with_properties(tables["relations.csv"], texts), tables["deals.csv"])
    registry = G.graph["sources"]
    party = _party_edges(deals)
    # a node's size is its degree against the largest: PARTY_TO edges count (a deal's are
    # all its edges)
    ends = pl.concat([rel["source"], rel["target"], party["source"]]).value_counts(
        name="degree")
    ent = (ent.join(ends.rename({ends.columns[0]: "id"}), on="id", how="left",
                    maintain_order="left")
           .with_columns(c("degree").fill_null(0)))
    parties = party.group_by("deal", maintain_order=True).len()
    deal_degree = dict(zip(parties["deal"].to_list(), parties["len"].to_list()))
    top = max(ent["degree"].max() or 0, max(deal_degree.values(), default=0))
    deal_nodes: list[str] = []
    if deals is not None:
        write = _Elements(deals, node_model, edge_model, deal_degree, top, undirected, viz)
        _, _, node_rows, edge_rows, *_ = _skeleton(deals, viz)
        deal_nodes = [write.node(n, row) for n, row in node_rows
                      if row.get("nodeLabel") == "Deal"]
        rows = {k: (u, v, row) for u, v, k, row in edge_rows}
        party = party.with_columns(pl.Series(
            "_pre", [write.edge(*rows[k][:2], k, rows[k][2]) for k in party["key"].to_list()],
            dtype=pl.String))
    return (pieces(text[:first_node], (_nodes(ent, node_model, top, viz), _CLOSE),
                   "".join(_CLOSE + node for node in deal_nodes),
                   text[last_node:first_edge],
                   (_edges(ent, rel, edge_model, registry, party.select("source", "_pre")
                           if deals is not None else None, undirected, viz), _CLOSE),
                   text[last_edge:]),
            ent.height + len(deal_nodes), rel.height + party.height)


def _party_edges(deals) -> pl.DataFrame:
    """The deals' ``PARTY_TO`` edges as ``source`` (the party), ``deal`` and ``key``, in
    the order the graph adds them (deal by deal, party by party)."""
    rows = [] if deals is None else [
        (u, n, k) for n, d in deals.nodes(data=True) if d.get("label") == "Deal"
        for u, _, k in dict.fromkeys(deals.in_edges(n, keys=True))]
    return pl.DataFrame(rows, schema={"source": pl.String, "deal": pl.String, "key": pl.String},
                        orient="row")


def _mapped(e: pl.Expr, values: pl.Series, convert) -> pl.Expr:
    """*e* through *convert*, each distinct value converted once in Python."""
    distinct = values.drop_nulls().unique().to_list()
    return e.replace_strict(distinct, [convert(v) for v in distinct], default=None,
                            return_dtype=pl.String)


def _list_text(e: pl.Expr) -> pl.Expr:
    """A list cell as :func:`graph.export.gexf.list_text` writes the list."""
    quoted = ('"' + pl.element().str.replace_all("\\", "\\\\", literal=True)
              .str.replace_all('"', '\\"', literal=True)
              .str.replace_all("\n", "\\n", literal=True)
              .str.replace_all("\t", "\\t", literal=True)
              .str.replace_all("\r", "\\r", literal=True) + '"')
    return "[" + items(e).list.eval(quoted).list.join(", ") + "]"


def _attvalue(key: str, value: pl.Expr) -> list[pl.Expr]:
    return [pl.lit(f'{_ITEM}<attvalue for="{key}" value="'), _attribute(value), pl.lit('" />')]


def _attvalues(fields: tuple[str, ...], model: dict[str, tuple], values: dict,
               last: list[pl.Expr] = ()) -> pl.Expr:
    """The ``attvalues`` element of *fields*, the row's properties, then *last*."""
    parts: list[pl.Expr] = [pl.lit("<attvalues>")]
    for field in fields:
        key, kind = model[_RENAMED.get(field, field)]
        value = values[field]
        parts += _attvalue(key, _list_text(value) if kind == "liststring" else value)
    return pl.concat_str([*parts, c("properties"), *last, pl.lit(f"{_INNER}</attvalues>")])


def _properties(model: dict[str, tuple], props: dict[str, Any]) -> str:
    """The ``attvalue`` elements of a node's or edge's properties, as ``to_gexf`` writes
    them (characters XML cannot hold are refused before)."""
    esc = ET._escape_attrib  # noqa: SLF001
    return "".join(f'{_ITEM}<attvalue for="{model[name][0]}" '
                   f'value="{esc(_value_text(value, model[name][1]))}" />'
                   for name, value in props.items())


def _nodes(ent: pl.DataFrame, model: dict[str, tuple], top: int, viz: bool) -> Rendered:
    look: list[pl.Expr] = []
    if viz:
        size = _mapped(c("degree").cast(pl.String), ent["degree"].cast(pl.String),
                       lambda d: repr(float(style.node_size(int(d), top))))
        color = _mapped(c("label"), ent["label"], lambda label: _color(
            style.LABEL_COLORS.get(label, style.PALETTE[0])))
        look = [pl.lit(_INNER), color, pl.lit(_INNER + '<viz:size value="'), size,
                pl.lit('" />')]
    return Rendered(ent, pl.concat_str([
        pl.lit('<node id="'), _attribute(c("id")), pl.lit('" label="'), _attribute(c("name")),
        pl.lit('">' + _INNER), _attvalues(_NODE_FIELDS, model, {f: c(f) for f in _NODE_FIELDS}),
        *look, pl.lit(_CLOSE + "</node>")]))


def _color(hex_color: str) -> str:
    r, g, b = style.hex_to_rgb(hex_color)
    return f'<viz:color r="{r}" g="{g}" b="{b}" a="1.0" />'


def _day(e: pl.Expr) -> pl.Expr:
    """A checked date of any precision as its first day (``date_start().isoformat()``)."""
    n = e.str.len_bytes()
    return pl.when(n == 4).then(e + "-01-01").when(n == 7).then(e + "-01").otherwise(e)


def _reported(registry: dict[str, dict], published: bool = False):
    """A relation's ``sources`` cell -> :func:`graph.export.gexf.reported` of its sources."""
    def earliest(cell: str) -> str:
        return reported(registry, _split(cell) if LIST_SEPARATOR in cell else (cell,),
                        published)
    return earliest


def _last(e: pl.Expr) -> pl.Expr:
    """A checked date of any precision as its last day (``date_period()[1].isoformat()``);
    "" stays ""."""
    n = e.str.len_bytes()
    month_end = (e + "-01").str.to_date("%Y-%m-%d", strict=False).dt.month_end()
    return (pl.when(n == 4).then(e + "-12-31")
            .when(n == 7).then(month_end.dt.strftime("%Y-%m-%d")).otherwise(e))


def _edges(ent: pl.DataFrame, rel: pl.DataFrame, model: dict[str, tuple],
           registry: dict[str, dict], party_edges: pl.DataFrame | None, undirected: bool,
           viz: bool) -> Rendered:
    """The relations' elements, with the deals' ``PARTY_TO`` edges (written already) in
    their places."""
    rel = in_edge_order(ent, rel, party_edges)
    if "_pre" not in rel.columns:
        rel = rel.with_columns(pl.lit(None, dtype=pl.String).alias("_pre"))
    relations = rel.filter(c("_pre").is_null())
    symmetric = c("type").is_in(list(schema.symmetric_types()))
    ended = c("status") == "ended"
    own = pl.when(c("date") != "").then(c("date")).otherwise(c("asOf"))
    rel = rel.with_columns(
        _day(pl.when(own != "").then(own).when(ended).then(pl.lit("")).otherwise(
            _mapped(c("sources"), relations["sources"], _reported(registry, True))))
        .alias("_start"),
        pl.when(c("endDate") != "").then(_last(c("endDate")))
        .when(ended).then(pl.max_horizontal(
            _last(_mapped(c("sources"), relations["sources"], _reported(registry))),
            _last(own)))
        .otherwise(pl.lit("")).alias("_end"))
    values = {f: c(f) for f in _EDGE_FIELDS}
    values["confidence"] = _mapped(c("confidence"), relations["confidence"],
                                   lambda v: repr(float(v)))
    color = [pl.lit(_INNER), _mapped(c("type"), relations["type"], lambda t: _color(
        style.REL_COLORS.get(t, "#999999")))] if viz else []
    flag = pl.when(symmetric).then(pl.lit("true")).otherwise(pl.lit("false"))
    return Rendered(rel, pl.when(c("_pre").is_not_null()).then(c("_pre")).otherwise(
        pl.concat_str([
            pl.lit('<edge id="'), _attribute(c("id")), pl.lit('" source="'),
            _attribute(c("source")), pl.lit('" target="'), _attribute(c("target")),
            pl.lit('" label="'), _attribute(c("type")), pl.lit('"'),
            pl.when(symmetric & undirected).then(pl.lit(' type="undirected"'))
            .otherwise(pl.lit("")),
            pl.when(c("_start") != "").then(' start="' + c("_start") + '"')
            .otherwise(pl.lit("")),
            pl.when(c("_end") != "").then(' end="' + pl.max_horizontal(c("_end"), c("_start"))
                                          + '"').otherwise(pl.lit("")),
            pl.lit(">" + _INNER),
            _attvalues(_EDGE_FIELDS, model, values, _attvalue(model["symmetric"][0], flag)),
            *color, pl.lit(_CLOSE + "</edge>")])))
