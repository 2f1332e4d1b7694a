"""networkx node-link JSON, readable with the defaults of every networkx 3.x.

networkx 3.4 renamed the edge list from ``links`` to ``edges``; the file carries the same
list under both keys, so ``nx.node_link_graph(data)`` reads it in networkx before 3.4 and
``nx.node_link_graph(data, edges="edges")`` from 3.4 on. Every edge also carries
``symmetric`` (true for the schema's symmetric types, which have no direction).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

import networkx as nx

from ..dataset import no_gc
from .common import Exporter, is_symmetric

__all__ = ["node_link", "to_json", "json_text", "dumps", "read_json", "EXPORTER"]


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
    return json_text(node_link(G))


def json_text(data: Any) -> str:
    """*data* as indented JSON text ending in a newline (:func:`dumps`), UTF-8 as is unless
    a value holds a lone surrogate, in which case the whole text uses ``\\u`` escapes."""
    text = dumps(data)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = dumps(data, ensure_ascii=True)
    return text + "\n"


class _Unusual(Exception):
    """A key that is not a string: left to the json module."""


_FLOATS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def dumps(obj: Any, ensure_ascii: bool = False) -> str:
    """``json.dumps(obj, indent=2, ensure_ascii=ensure_ascii, default=str)``, the same text
    2-3x faster: the json module writes indented JSON token by token in Python, this joins
    each container's items once, with the C string encoder, and writes a long list met
    twice (``edges`` and ``links``) once. ``tests/test_export_streaming.py`` compares both."""
    enc = encode_basestring_ascii if ensure_ascii else encode_basestring
    keys: dict[str, str] = {}
    done: dict[tuple[int, str], tuple[Any, str]] = {}

    def value(o: Any, pad: str) -> str:
        if type(o) is str:
            return enc(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, int):
            return int.__repr__(o)
        if isinstance(o, float):
            return "NaN" if o != o else _FLOATS.get(o) or float.__repr__(o)
        if isinstance(o, (list, tuple)):
            if not o:
                return "[]"
            memo = (id(o), pad)
            if memo in done:
                return done[memo][1]
            inner = pad + "  "
            text = ("[\n" + inner + (",\n" + inner).join([value(x, inner) for x in o])
                    + "\n" + pad + "]")
            if len(o) > 1000:  # kept with the list, so its id cannot be reused meanwhile
                done[memo] = (o, text)
            return text
        if isinstance(o, dict):
            if not o:
                return "{}"
            inner = pad + "  "
            items = []
            for k, v in o.items():
                key = keys.get(k) if type(k) is str else None
                if key is None:
                    if type(k) is not str:
                        raise _Unusual
                    key = keys[k] = enc(k) + ": "
                items.append(key + (enc(v) if type(v) is str else value(v, inner)))
            return "{\n" + inner + (",\n" + inner).join(items) + "\n" + pad + "}"
        if isinstance(o, str):
            return enc(o)
        return value(str(o), pad)

    try:
        return value(obj, "")
    except _Unusual:
        return json.dumps(obj, indent=2, ensure_ascii=ensure_ascii, default=str)


def read_json(text: str) -> nx.MultiDiGraph:
    """Read :func:`to_json` output back into the model (``symmetric`` dropped)."""
    data = json.loads(text)
    data.pop("links", None)
    G = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    for *_, d in G.edges(data=True):
        d.pop("symmetric", None)
    return G


EXPORTER = Exporter("json", ".json", "networkx node-link JSON", render=to_json)
