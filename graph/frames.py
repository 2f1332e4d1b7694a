"""The one representation the writers and the summary work from: a graph as typed columns.

A :class:`Frames` holds a graph's nodes and edges as polars frames, in the order networkx
walks them (``G.nodes``, ``G.edges``), with each node's and edge's attributes in the order
its attribute dict holds them. Elements whose fields have the same names and value types
in the same order share one frame (a *group*: entities, deals, relations, ``PARTY_TO``
edges, ...); ``_order`` is each element's place in the walk. Attributes after the fields
(typed properties, a notebook's own measures) are few and kept as Python values in
:attr:`Frames.extra`.

Two ways in, one way out:

- :func:`from_tables` builds it straight from a dataset's checked columns
  (:func:`graph.columnar.checked_tables`) without records or a networkx graph: a whole
  dataset of millions of rows in seconds;
- :func:`from_graph` from any ``nx.MultiDiGraph`` (a selection, a graph fetched from Neo4j,
  a notebook's graph), element by element.

Both give the same frames for the same graph (``tests/test_export_golden.py``), so each
format is written once, from the frames (:mod:`graph.export`), and the summary is
computed once (:mod:`graph.analysis.summary`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from . import schema
from .columnar import PY_WHITESPACE
from .dataset import LIST_SEPARATOR, _convert, current_tables

__all__ = ["Frames", "from_graph", "from_tables", "from_dataset", "read_frames", "items", "ordered_texts",
           "float_texts", "NODE_FIELDS", "EDGE_FIELDS"]

c = pl.col
SLICE_ROWS = 250_000  # elements rendered at a time (:func:`ordered_texts`)

# The attributes networkx's backend gives as fields (the rest are properties), with the
# entity's, deal's and relation's own order (graph.backends.networkx).
ENTITY_ATTRS = tuple(f for f in schema.ENTITY_FIELDS if f != "id")
DEAL_ATTRS = ("label",) + tuple(f for f in schema.DEAL_FIELDS if f not in ("id", "parties"))
RELATION_ATTRS = tuple(f for f in schema.RELATION_FIELDS if f not in ("source", "target"))
PARTY_ATTRS = ("id", "type", "role", "status", "date", "endDate", "asOf", "confidence",
               "sources", "deal", "disputedBy", "evidence")
NODE_FIELDS = frozenset(ENTITY_ATTRS + DEAL_ATTRS)
EDGE_FIELDS = frozenset(RELATION_ATTRS + PARTY_ATTRS)
_SURROGATE = re.compile("[\ud800-\udfff]")
_INT64 = range(-(2 ** 63), 2 ** 63)
_DTYPES = {"s": pl.String, "b": pl.Boolean, "i": pl.Int64, "f": pl.Float64, "n": pl.String,
           "l": pl.List(pl.String)}


@dataclass
class Frames:
    """A graph as typed columns (see the module docstring).

    ``nodes``: frames of ``_order``, ``_id`` and the group's attribute columns; ``edges``:
    of ``_order``, ``_source``, ``_target``, ``_key`` and its attribute columns. A null in
    an attribute column is a ``None`` value (an absent attribute has no column). ``extra``:
    ``("node" | "edge", _order)`` -> the attributes after the columns, in order.
    """

    graph: dict[str, Any]
    nodes: list[pl.DataFrame]
    edges: list[pl.DataFrame]
    n_nodes: int
    n_edges: int
    extra: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    def columns(self, domain: str) -> list[pl.DataFrame]:
        return self.nodes if domain == "node" else self.edges

    def attribute_types(self, domain: str) -> dict[str, set[type]]:
        """Each attribute name of *domain* with the Python types of its values (``None``
        left out), as a writer declares them."""
        found: dict[str, set[type]] = {}
        kinds = {pl.String: str, pl.Boolean: bool, pl.Int64: int, pl.Float64: float}
        for frame in self.columns(domain):
            for name, dtype in frame.schema.items():
                if name.startswith("_") or not frame[name].null_count() < frame.height:
                    continue
                found.setdefault(name, set()).add(list if dtype == pl.List else kinds[dtype])
        for (d, _), attrs in self.extra.items():
            if d == domain:
                for name, value in attrs.items():
                    if value is not None:
                        found.setdefault(name, set()).add(type(value))
        return found

    def element(self, domain: str, order: int) -> dict[str, Any]:
        """The columns of the node or edge at *order* (``_id``, ``_source``, ... and its
        attributes in columns), as Python values."""
        for frame in self.columns(domain):
            at = frame["_order"].search_sorted(order)
            if at < frame.height and frame["_order"][at] == order:
                return frame.row(at, named=True)
        raise KeyError(order)

    def table(self, domain: str, defaults: dict[str, Any], ordered: bool = True
              ) -> pl.DataFrame:
        """``_order`` and the attributes named in *defaults* of every element of *domain*,
        in the graph's order unless not *ordered*, an absent or ``None`` one as its
        default (a list default: a list of strings); one kept in ``extra`` too."""
        parts = []
        for frame in self.columns(domain):
            if not frame.height:
                continue
            parts.append(frame.select("_order", *[
                (c(n).fill_null(pl.lit(d, dtype=_dtype(d))) if n in frame.columns
                 and frame.schema[n] == _dtype(d) else pl.lit(d, dtype=_dtype(d))).alias(n)
                for n, d in defaults.items()]))
        if not parts:
            return pl.DataFrame(schema={"_order": pl.Int64,
                                        **{n: _dtype(d) for n, d in defaults.items()}})
        both = pl.concat(parts)
        return both.sort("_order") if ordered else both

    def elements(self, domain: str, orders: list[int]) -> dict[int, dict[str, Any]]:
        """:meth:`element` of each of *orders*, looked up together."""
        wanted = pl.Series(orders, dtype=pl.Int64).implode()
        out = {}
        for frame in self.columns(domain):
            for row in frame.filter(c("_order").is_in(wanted)).iter_rows(named=True):
                out[row["_order"]] = row
        return out

    def column(self, domain: str, name: str, default: Any = "") -> pl.DataFrame:
        """``_order`` and *name* of every element of *domain* (*default* where a group has
        no such column), in the graph's order; attributes in ``extra`` are not looked at."""
        parts = [f.select("_order", (c(name) if name in f.columns else pl.lit(default))
                          .alias(name)) for f in self.columns(domain)]
        parts = [p for p in parts if p.height]
        if not parts:
            return pl.DataFrame(schema={"_order": pl.Int64, name: pl.String})
        return pl.concat(parts, how="vertical_relaxed").sort("_order")


def _dtype(default: Any) -> pl.DataType:
    return pl.List(pl.String) if isinstance(default, list) else pl.String


def items(e: pl.Expr) -> pl.Expr:
    """A ``|``-separated cell as the list the graph holds (stripped items, empty ones
    dropped; a value without a separator, already stripped, is a list of itself)."""
    split = (e.str.split(LIST_SEPARATOR)
             .list.eval(pl.element().str.strip_chars(PY_WHITESPACE))
             .list.eval(pl.element().filter(pl.element() != "")))
    single = pl.when(e == "").then(pl.lit([], dtype=pl.List(pl.String))).otherwise(
        pl.concat_list(e))
    return pl.when(e.str.contains(LIST_SEPARATOR, literal=True)).then(split).otherwise(single)


def float_texts(frame: pl.DataFrame, e: pl.Expr, text: Callable[[float], str]) -> pl.Expr:
    """*e* (a float column of *frame*) as *text* writes each value: made in Python once per
    distinct value (polars writes floats otherwise than Python: ``1e16``, ``NaN``), with
    ``-0.0`` and NaN apart (polars takes ``-0.0`` for ``0.0`` when it matches values)."""
    values = frame.select(e.alias("v"))["v"].drop_nulls().drop_nans().unique().to_list()
    distinct = [v for v in values if v != 0]
    mapped = (e.replace_strict(distinct, [text(v) for v in distinct], default=None,
                               return_dtype=pl.String)
              if distinct else pl.lit(None, dtype=pl.String))
    return (pl.when(e.is_nan()).then(pl.lit(text(float("nan"))))
            .when(e == 0).then(pl.when(pl.lit(1.0) / e < 0).then(pl.lit(text(-0.0)))
                               .otherwise(pl.lit(text(0.0))))
            .otherwise(mapped))


def ordered_texts(groups: list[pl.DataFrame],
                  text: Callable[[pl.DataFrame], tuple[pl.DataFrame, pl.Expr]],
                  total: int, rows: int = SLICE_ROWS) -> Iterator[pl.Series]:
    """The elements of *groups* as strings, in ``_order``: *text(group)* gives the group
    (with columns the format adds) and the expression of its elements' text. Made a slice
    of *rows* elements at a time: the text of millions of elements is never held at once
    (1M entities / 5.5M relations as GEXF: 8.75 GB peak when made whole)."""
    made = [text(g) for g in groups if g.height]
    for start in range(0, total, rows):
        parts = []
        for group, expr in made:
            order = group["_order"]
            lo, hi = order.search_sorted(start), order.search_sorted(start + rows)
            if hi > lo:
                parts.append(group.slice(lo, hi - lo).select("_order", expr.alias("_text")))
        if len(parts) == 1:
            yield parts[0]["_text"]
        elif parts:
            yield pl.concat(parts).sort("_order")["_text"]


# --- from a graph ---------------------------------------------------------------------------

def _tag(value: Any) -> str | None:
    """The column type a value can go in, or None (then it is kept in ``extra``)."""
    kind = type(value)
    if kind is str:
        return "s"
    if kind is float:
        return "f"
    if kind is bool:
        return "b"
    if kind is int:
        return "i" if value in _INT64 else None
    if value is None:
        return "n"
    if kind in (list, tuple) and all(type(x) is str for x in value):
        return "l"
    return None


def _id_tag(value: Any) -> str:
    tag = _tag(value)
    return tag if tag in ("s", "i", "f", "b") else "s"


def _series(name: str, values: list[Any], tag: str) -> pl.Series:
    if tag == "s":
        values = [v if type(v) is str else str(v) for v in values]
    elif tag == "l":
        values = [list(v) for v in values]
    try:
        return pl.Series(name, values, dtype=_DTYPES[tag])
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot hold: U+FFFD
        return _series(name, [[_clean(x) for x in v] if tag == "l" else
                              _clean(v) for v in values], tag)


def _clean(value: Any) -> Any:
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


class _Groups:
    """Elements sorted into groups by the names and value types of their leading fields."""

    def __init__(self, ends: tuple[str, ...], fields: frozenset[str], domain: str,
                 extra: dict) -> None:
        self.ends, self.fields, self.domain, self.extra = ends, fields, domain, extra
        self.groups: dict[tuple, tuple[list, list[list], list[list]]] = {}

    def add(self, order: int, ends: tuple, attrs: dict[str, Any]) -> None:
        names: list[str] = []
        tags: list[str] = []
        for name, value in attrs.items():
            tag = _tag(value) if name in self.fields else None
            if tag is None:
                break
            names.append(name)
            tags.append(tag)
        if len(names) < len(attrs):
            rest = list(attrs.items())[len(names):]
            self.extra[self.domain, order] = dict(rest)
        key = (tuple(_id_tag(e) for e in ends), tuple(names), tuple(tags))
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = ([], [[] for _ in ends], [[] for _ in names])
        group[0].append(order)
        for column, value in zip(group[1], ends):
            column.append(value)
        values = iter(attrs.values())
        for column in group[2]:
            column.append(next(values))

    def frames(self) -> list[pl.DataFrame]:
        out = []
        for (end_tags, names, tags), (orders, ends, columns) in self.groups.items():
            out.append(pl.DataFrame(
                [pl.Series("_order", orders, dtype=pl.Int64),
                 *[_series(n, v, t) for n, v, t in zip(self.ends, ends, end_tags)],
                 *[_series(n, v, t) for n, v, t in zip(names, columns, tags)]]))
        return out


def from_graph(G: Any) -> Frames:
    """The frames of *G* (an ``nx.MultiDiGraph``), in its order."""
    extra: dict[tuple[str, int], dict[str, Any]] = {}
    nodes = _Groups(("_id",), NODE_FIELDS, "node", extra)
    for i, (n, d) in enumerate(G.nodes(data=True)):
        nodes.add(i, (n,), d)
    edges = _Groups(("_source", "_target", "_key"), EDGE_FIELDS, "edge", extra)
    for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
        edges.add(i, (u, v, k), d)
    return Frames(dict(G.graph), nodes.frames(), edges.frames(), G.number_of_nodes(),
                  G.number_of_edges(), extra)


# --- from a dataset's checked columns -------------------------------------------------------

def from_dataset(data_dir: str | Path | None,
                 attributes: frozenset[str] | None = None) -> Frames | None:
    """The frames of the whole dataset in *data_dir* (default: as the commands find it)
    from its checked columns, or None when the columnar check does not find it valid (the
    caller then reads it as a graph, which words every problem)."""
    from .resources import data_dir as resolve

    tables = current_tables(resolve(data_dir))  # resolve settles a change that was killed
    return None if tables is None else from_tables(tables, attributes)


def read_frames(data_dir: str | Path | None = None,
                attributes: frozenset[str] | None = None) -> Frames:
    """The frames of the whole dataset in *data_dir*: from its checked columns, or, when the
    columnar check does not find it valid (or leaves it to the reader: a value across
    lines), from the graph :func:`graph.load_graph` builds, which words every problem.
    *attributes*: as for :func:`from_tables` (a graph's frames have all)."""
    frames = from_dataset(data_dir, attributes)
    if frames is not None:
        return frames
    from . import load_graph

    return from_graph(load_graph(data_dir))


def from_tables(tables: dict[str, pl.DataFrame],
                attributes: frozenset[str] | None = None) -> Frames:
    """The frames of ``to_networkx(load_dataset(folder))`` from the dataset's checked
    columns (see :mod:`graph.backends.networkx` for the graph: the entities, then each deal
    as a ``Deal`` node; each deal's ``PARTY_TO`` edges before the relations, which take
    their deal's dates where they leave them empty; typed properties after the fields).
    *attributes*: only these fields, and no properties (what the summary reads); the edges
    then stay in file order, ``_order`` giving their place in the walk (only the summary
    takes such frames: the writers need them in order)."""
    def keep(names: tuple[str, ...]) -> list[str]:
        return [n for n in names if attributes is None or n in attributes]

    ent, rel = tables["entities.csv"], tables["relations.csv"]
    deals, props = tables["deals.csv"], tables["properties.csv"]
    lists = {f: items(c(f)) for f in schema.LIST_FIELDS}
    entity_group = ent.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_order"), c("id").alias("_id"),
        *[lists.get(f, c(f)).alias(f) for f in keep(ENTITY_ATTRS)])
    deal_group = deals.select(
        (pl.int_range(pl.len(), dtype=pl.Int64) + ent.height).alias("_order"),
        c("id").alias("_id"), *([pl.lit("Deal").alias("label")] if keep(("label",)) else []),
        *[_field(f, lists) for f in keep(DEAL_ATTRS[1:])])
    parties = _party_edges(deals).select("source", "target", "_key", *keep(PARTY_ATTRS))
    relations = _with_deal_dates(rel, deals).select(
        "source", "target", c("id").alias("_key"),
        *[_field(f, lists) for f in keep(RELATION_ATTRS)])
    ordered = _in_edge_order(ent, relations, parties, gather=attributes is None)
    ends = ("_order", c("source").alias("_source"), c("target").alias("_target"), "_key")
    party_group = ordered.filter(c("_party")).select(*ends, *keep(PARTY_ATTRS))
    relation_group = ordered.filter(~c("_party")).select(*ends, *keep(RELATION_ATTRS))
    extra = _properties(props, entity_group, deal_group, relation_group) \
        if attributes is None else {}
    graph = {"name": "autograph", "sources": _registry(tables["sources.csv"])}
    return Frames(graph, [g for g in (entity_group, deal_group) if g.height],
                  [g for g in (party_group, relation_group) if g.height],
                  ent.height + deals.height, ordered.height, extra)


def _field(name: str, lists: dict[str, pl.Expr]) -> pl.Expr:
    if name == "confidence":
        return c(name).cast(pl.Float64)
    return lists.get(name, c(name)).alias(name)


def _registry(src: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """The source registry as ``G.graph["sources"]`` holds it (graph.backends.networkx)."""
    from .dataset import Source

    names = [f.name for f in dataclasses.fields(Source)]
    out = {}
    for row in src.iter_rows(named=True):
        out[row["id"]] = {
            n: [x.strip() for x in (row.get(n) or "").split(LIST_SEPARATOR) if x.strip()]
            if n in schema.LIST_FIELDS else (row.get(n) or "")
            for n in names}
    return out


def _party_edges(deals: pl.DataFrame) -> pl.DataFrame:
    """Each deal's ``PARTY_TO`` edges (party -> deal), deal by deal, party by party (a party
    named twice is one edge, in its first place, with its last role)."""
    names = ["source", "target", "_key", *PARTY_ATTRS]
    if not deals.height:
        return pl.DataFrame(schema={n: pl.String for n in names})
    pairs = (deals.with_columns(c("parties").str.split(LIST_SEPARATOR).alias("_item"))
             .explode("_item")
             .with_columns(c("_item").str.strip_chars(PY_WHITESPACE))
             .filter(c("_item") != "")
             .with_columns(c("_item").str.splitn(":", 2).alias("_pair"))
             .with_columns(c("_pair").struct.field("field_0").str.strip_chars(PY_WHITESPACE)
                           .alias("source"),
                           c("_pair").struct.field("field_1").str.strip_chars(PY_WHITESPACE)
                           .alias("role"))
             .group_by("id", "source", maintain_order=True)
             .agg(pl.all().exclude("role").first(), c("role").last()))
    key = c("id") + "-party-" + c("source")
    return pairs.select(
        "source", c("id").alias("target"), key.alias("_key"), key.alias("id"),
        pl.lit("PARTY_TO").alias("type"), "role", "status", "date", "endDate", "asOf",
        c("confidence").cast(pl.Float64), items(c("sources")).alias("sources"),
        c("id").alias("deal"), pl.lit([], dtype=pl.List(pl.String)).alias("disputedBy"),
        (c("source") + " is a party (" + c("role") + ") to " + c("name") + ".")
        .alias("evidence"))


def _with_deal_dates(rel: pl.DataFrame, deals: pl.DataFrame) -> pl.DataFrame:
    """A deal's part takes the deal's date, endDate and asOf where it leaves them empty."""
    dates = ("date", "endDate", "asOf")
    if not deals.height:
        return rel
    found = rel.select("deal").join(
        deals.select(c("id").alias("deal"), *[c(f).alias(f"_{f}") for f in dates]),
        on="deal", how="left", maintain_order="left")
    return rel.with_columns(
        pl.when((c(f) == "") & (c("deal") != "")).then(found[f"_{f}"]).otherwise(c(f))
        .alias(f) for f in dates)


def _in_edge_order(ent: pl.DataFrame, rel: pl.DataFrame, first: pl.DataFrame,
                   gather: bool = True) -> pl.DataFrame:
    """*first* (the ``PARTY_TO`` edges, added to the graph before any relation) and the
    relations, with ``_order``, their place in the walk of ``G.edges()``: by source in node
    (entity) order, then by target in the order of the pair's first edge, then in
    insertion order. ``_party`` marks the edges of *first*. With *gather*, the rows are put
    in that order; else they stay in insertion order (moving every column costs more than
    the rest: the summary needs only the places)."""
    both = pl.concat([first.with_columns(pl.lit(True).alias("_party")),
                      rel.with_columns(pl.lit(False).alias("_party"))], how="diagonal_relaxed")
    index = ent.select(c("id").alias("source")).with_row_index("_u")
    walk = (both.select("source", "target").with_row_index("_seq")
            .join(index, on="source", how="left", maintain_order="left")
            .with_columns(c("_seq").min().over("_u", "target").alias("_first"))
            .select(pl.arg_sort_by("_u", "_first", "_seq").alias("_perm")))["_perm"]
    if gather:
        return both[walk].with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_order"))
    return both.with_columns(walk.arg_sort().cast(pl.Int64).alias("_order"))


def _properties(props: pl.DataFrame, entities: pl.DataFrame, deals: pl.DataFrame,
                relations: pl.DataFrame) -> dict[tuple[str, int], dict[str, Any]]:
    """The typed properties of each entity, deal and relation that has any, by element,
    typed by their key, in the order of properties.csv. Few elements have properties: each
    is converted in Python."""
    out: dict[tuple[str, int], dict[str, Any]] = {}
    if not props.height:
        return out
    subjects = props["subject"].unique().implode()
    where: dict[str, tuple[str, int, Any]] = {}
    for group, domain, specs in ((entities, "node", schema.ENTITY_PROPERTIES),
                                 (deals, "node", schema.RELATION_PROPERTIES),
                                 (relations, "edge", schema.RELATION_PROPERTIES)):
        ids = "_id" if domain == "node" else "_key"
        found = group.filter(c(ids).is_in(subjects)).select(ids, "_order")
        for subject, order in found.iter_rows():
            where[subject] = (domain, order, specs)
    for subject, key, value in props.select("subject", "key", "value").iter_rows():
        domain, order, specs = where[subject]
        out.setdefault((domain, order), {})[key] = _convert(value, specs[key].type)
    return out
