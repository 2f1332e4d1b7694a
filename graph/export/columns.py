"""What the writers that work straight from a large dataset's checked columns share
(:mod:`.graphml_columns`, :mod:`.gexf_columns`, :mod:`.nodelink_columns`): when they apply,
networkx's edge order, lists as the graph holds them, the typed properties each node and
edge carries after its fields, and a sample graph that gives the document's header."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl

from .. import schema
from ..columnar import PY_WHITESPACE, _records, checked_tables
from ..dataset import LIST_SEPARATOR, _convert, no_gc

__all__ = ["plain_tables", "in_edge_order", "items", "sample_graph", "property_texts",
           "with_properties", "Rendered", "pieces"]

c = pl.col
SLICE_ROWS = 250_000  # rows rendered at a time (:class:`Rendered`)


def plain_tables(folder: str | Path, refused: str = "", deals: bool = False
                 ) -> dict[str, pl.DataFrame] | None:
    """The checked columns of a dataset these writers handle: valid by the columnar check,
    with entities and relations, without deals (nodes and edges of their own) unless
    *deals*, and without a character matching the pattern *refused* (in polars' syntax) in
    any entity, relation, deal or property value. Else None."""
    tables = checked_tables(folder)
    if tables is None:
        return None
    ent, rel = tables["entities.csv"], tables["relations.csv"]
    if (tables["deals.csv"].height and not deals) or not ent.height or not rel.height:
        return None
    if refused and any(
            frame.select(pl.any_horizontal(pl.all().str.contains(refused).any())).item()
            for frame in (ent, rel, tables["deals.csv"], tables["properties.csv"])
            if frame.height):
        return None
    return tables


def in_edge_order(ent: pl.DataFrame, rel: pl.DataFrame,
                  first: pl.DataFrame | None = None) -> pl.DataFrame:
    """The relations in the order ``G.edges()`` walks them: by source in node (entity)
    order, then by target in the order of the pair's first relation, then in file order.
    *first*: rows with a ``source`` that come before its relations, in their order (the
    ``PARTY_TO`` edges, added to the graph before any relation)."""
    index = ent.select(c("id").alias("source")).with_row_index("_u")
    ordered = (rel.with_row_index("_seq")
               .join(index, on="source", how="left", maintain_order="left")
               .with_columns(c("_seq").min().over("source", "target").alias("_first")))
    if first is not None and first.height:
        before = (first.with_row_index("_seq")
                  .with_columns((c("_seq").cast(pl.Int64) - first.height).alias("_seq"))
                  .with_columns(c("_seq").alias("_first"))
                  .join(index, on="source", how="left", maintain_order="left"))
        ordered = pl.concat([ordered.with_columns(c("_seq").cast(pl.Int64),
                                                  c("_first").cast(pl.Int64)), before],
                            how="diagonal_relaxed")
    return ordered.sort("_u", "_first", "_seq")


def deal_graph(tables: dict[str, pl.DataFrame], folder: str | Path) -> nx.MultiDiGraph:
    """The deals as the whole graph holds them, built by ``to_networkx`` from their records
    alone: each deal's node (fields, then properties) and its ``PARTY_TO`` edges, in the
    graph's order (the parties are bare nodes here)."""
    from ..backends.networkx import to_networkx

    deals = tables["deals.csv"]
    props = tables["properties.csv"]
    sample = {**tables, "entities.csv": tables["entities.csv"].head(0),
              "relations.csv": tables["relations.csv"].head(0),
              "properties.csv": props.filter(c("subject").is_in(deals["id"].implode()))}
    with no_gc():
        return to_networkx(_records(sample, Path(folder)))


def with_deal_dates(rel: pl.DataFrame, deals: pl.DataFrame) -> pl.DataFrame:
    """A deal's part takes the deal's date, endDate and asOf where it leaves them empty (as
    the graph holds it)."""
    dates = ("date", "endDate", "asOf")
    if not deals.height:
        return rel
    found = rel.select("deal").join(
        deals.select(c("id").alias("deal"), *[c(f).alias(f"_{f}") for f in dates]),
        on="deal", how="left", maintain_order="left")
    return rel.with_columns(
        pl.when((c(f) == "") & (c("deal") != "")).then(found[f"_{f}"]).otherwise(c(f))
        .alias(f) for f in dates)


def items(e: pl.Expr) -> pl.Expr:
    """A ``|``-separated cell as the list the graph holds (stripped items, empty ones
    dropped; a value without a separator, already stripped, is a list of itself)."""
    split = (e.str.split(LIST_SEPARATOR)
             .list.eval(pl.element().str.strip_chars(PY_WHITESPACE))
             .list.eval(pl.element().filter(pl.element() != "")))
    single = pl.when(e == "").then(pl.lit([], dtype=pl.List(pl.String))).otherwise(
        pl.concat_list(e))
    return pl.when(e.str.contains(LIST_SEPARATOR, literal=True)).then(split).otherwise(single)


def _not_of_deals(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The rows of properties.csv about entities and relations (a deal's are its node's:
    :func:`deal_graph`)."""
    props = tables["properties.csv"]
    if not tables["deals.csv"].height:
        return props
    return props.filter(~c("subject").is_in(tables["deals.csv"]["id"].implode()))


def _subject_is_entity(tables: dict[str, pl.DataFrame], props: pl.DataFrame) -> pl.Series:
    """For each row of *props*, whether its subject is an entity (else a relation)."""
    return props["subject"].is_in(tables["entities.csv"]["id"].implode())


def sample_graph(tables: dict[str, pl.DataFrame], folder: str | Path) -> nx.MultiDiGraph:
    """The graph of the first relation between two entities that carry the first entity's
    fields, with the dataset's source registry, and one value of each property key the
    dataset's entities and relations have: without deals, every node has the same fields,
    every edge too, and a property's type is its key's, so this graph declares the keys,
    attributes and types the whole graph declares (they are listed by name)."""
    from ..backends.networkx import to_networkx

    ent, rel = tables["entities.csv"].head(1), tables["relations.csv"].head(1)
    props = _not_of_deals(tables)
    if props.height:
        props = (props.with_columns(_subject_is_entity(tables, props).alias("_entity"))
                 .unique(subset=["key", "_entity"], keep="first", maintain_order=True)
                 .with_columns(pl.when(c("_entity")).then(pl.lit(ent["id"][0]))
                               .otherwise(pl.lit(rel["id"][0])).alias("subject"))
                 .drop("_entity"))
    sample = {**tables, "entities.csv": ent, "relations.csv": rel, "properties.csv": props}
    with no_gc():
        dataset = _records(sample, Path(folder))
    rel = next(iter(dataset.relations.values()))
    ent = next(iter(dataset.entities.values()))
    dataset.entities.clear()
    for end in (rel.source, rel.target):
        dataset.entities[end] = type(ent)(**{**ent.__dict__, "id": end})
    return to_networkx(dataset)


def property_texts(tables: dict[str, pl.DataFrame],
                   render: Callable[[str, str, dict[str, Any]], str]) -> pl.DataFrame:
    """``id`` and ``properties``: for each subject with properties, the text *render* makes
    of ``(domain, id, properties)``, the domain ``node`` or ``edge``, the properties as the
    graph holds them (typed by their key, in the order of properties.csv). Few subjects
    have properties: each is rendered in Python, by the format's own writer."""
    props = _not_of_deals(tables)
    if not props.height:
        return pl.DataFrame(schema={"id": pl.String, "properties": pl.String})
    grouped: dict[str, dict[str, Any]] = {}
    domain: dict[str, str] = {}
    for subject, key, value, entity in zip(props["subject"].to_list(), props["key"].to_list(),
                                           props["value"].to_list(),
                                           _subject_is_entity(tables, props).to_list()):
        specs = schema.ENTITY_PROPERTIES if entity else schema.RELATION_PROPERTIES
        grouped.setdefault(subject, {})[key] = _convert(value, specs[key].type)
        domain[subject] = "node" if entity else "edge"
    return pl.DataFrame({"id": list(grouped),
                         "properties": [render(domain[s], s, p) for s, p in grouped.items()]},
                        schema={"id": pl.String, "properties": pl.String})


def with_properties(frame: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """*frame* (entities or relations) with its rows' ``properties`` text, "" for none
    (looked up by id alone: joining the whole frame would copy every column)."""
    if not texts.height:
        return frame.with_columns(pl.lit("").alias("properties"))
    found = frame.select("id").join(texts, on="id", how="left", maintain_order="left")
    return frame.with_columns(found["properties"].fill_null(""))


class Rendered:
    """The rows of *frame* as the strings *text* makes of them, made a slice of *rows* at a
    time as they are iterated: the text of millions of elements is never held at once
    (1M entities / 5.5M relations as GEXF: 8.75 GB peak when made whole)."""

    def __init__(self, frame: pl.DataFrame, text: pl.Expr, rows: int | None = None):
        self.frame, self.text, self.rows = frame, text.alias("text"), rows or SLICE_ROWS

    def __iter__(self) -> Iterator[pl.Series]:
        for start in range(0, self.frame.height, self.rows):
            yield self.frame.slice(start, self.rows).select(self.text)["text"]


def pieces(*parts: str | tuple[pl.Series | Rendered, str], rows: int = 20_000
           ) -> Iterator[str]:
    """Each part in turn: a string as it is; a ``(strings, between)`` pair as its strings
    with *between* between two, joined a few thousand rows at a time (a document of
    hundreds of megabytes is never one string)."""
    for part in parts:
        if isinstance(part, str):
            yield part
            continue
        strings, between = part
        first = True
        for series in [strings] if isinstance(strings, pl.Series) else strings:
            for start in range(0, series.len(), rows):
                yield ("" if first else between) + series.slice(start, rows).str.join(
                    between).item()
                first = False
