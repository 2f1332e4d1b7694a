"""Synthetic industry-like networks for tests and benchmarks.

Typed nodes in the shares of a real supplier network, heavy-tailed (Pareto) degrees, and
clusters by country: most relations stay inside a country. Every relation type connects
labels the schema allows, so the result loads, exports and maps like real data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import numpy as np

from . import schema

__all__ = ["industry_network", "write_dataset"]

LABEL_SHARES = {"Company": 0.62, "Plant": 0.18, "Technology": 0.05, "Region": 0.05,
                "Organization": 0.04, "Programme": 0.03, "VehicleModel": 0.03}
TYPE_SHARES = {"SUPPLIES": 0.30, "PARTNERS_WITH": 0.15, "OPERATES": 0.12, "LOCATED_IN": 0.10,
               "USES_TECHNOLOGY": 0.10, "OWNS": 0.05, "MEMBER_OF": 0.05, "PRODUCES": 0.04,
               "SIGNED_MOU": 0.03, "JOINT_VENTURE": 0.02, "DEVELOPS": 0.02, "INVESTS_IN": 0.01,
               "FUNDS": 0.01}
STATUS_SHARES = {"active": 0.85, "planned": 0.07, "announced": 0.03, "ended": 0.05}


def industry_network(n_nodes: int = 1000, n_edges: int = 5000, n_countries: int = 20,
                     home_bias: float = 0.8, seed: int = 42) -> nx.MultiDiGraph:
    """A random MultiDiGraph in autograph's model.

    Parameters
    ----------
    n_nodes, n_edges : int
        Sizes (the countries are added to the nodes).
    n_countries : int
        Countries; each node belongs to one, and ``home_bias`` of the relations stay inside it.
    seed : int
        Same seed, same graph.

    Examples
    --------
    >>> G = industry_network(200, 600, seed=1)
    >>> G.number_of_nodes(), G.number_of_edges() > 500
    (220, True)
    """
    rng = np.random.default_rng(seed)
    labels = rng.choice(list(LABEL_SHARES), size=n_nodes, p=list(LABEL_SHARES.values()))
    country_idx = rng.integers(0, n_countries, size=n_nodes)
    weights = rng.pareto(1.6, size=n_nodes) + 1.0
    codes = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(n_countries)]

    G = nx.MultiDiGraph(name="synthetic")
    G.graph["sources"] = {"synthetic": {"id": "synthetic", "file": "", "title": "Synthetic",
                                        "publisher": "", "date": "2024", "dateBasis":
                                        "inferred", "url": "", "references": [],
                                        "language": "", "note": "generated"}}
    for code in codes:
        G.add_node(f"country-{code.lower()}", label="Country", name=f"Country {code}",
                   aliases=[], kind="country", country=code, description="")
    ids = [f"{label.lower()}-{i}" for i, label in enumerate(labels)]
    for i, (nid, label) in enumerate(zip(ids, labels)):
        G.add_node(nid, label=str(label), name=_name(str(label), i), aliases=[], kind="",
                   country=codes[country_idx[i]], description="")

    by_label = {lab: np.flatnonzero(labels == lab) for lab in LABEL_SHARES}
    statuses = list(STATUS_SHARES)
    edge_no = 0
    for rel_type, share in TYPE_SHARES.items():
        spec = schema.REL_TYPES[rel_type]
        src_pool = np.concatenate([by_label.get(lab, []) for lab in spec.sources]).astype(int)
        tgt_pool = np.concatenate([by_label.get(lab, []) for lab in spec.targets]).astype(int)
        m = int(round(share * n_edges))
        if m == 0 or len(src_pool) == 0 or len(tgt_pool) == 0:
            continue
        src = rng.choice(src_pool, size=m, p=weights[src_pool] / weights[src_pool].sum())
        tgt = rng.choice(tgt_pool, size=m, p=weights[tgt_pool] / weights[tgt_pool].sum())
        # Keep most relations at home: redraw those targets inside the source's country.
        home = rng.random(m) < home_bias
        for c in range(n_countries):
            pool = tgt_pool[country_idx[tgt_pool] == c]
            pick = home & (country_idx[src] == c)
            if len(pool) and pick.any():
                tgt[pick] = rng.choice(pool, size=int(pick.sum()),
                                       p=weights[pool] / weights[pool].sum())
        status = rng.choice(statuses, size=m, p=list(STATUS_SHARES.values()))
        confidence = np.round(rng.uniform(0.5, 1.0, size=m), 2)
        years = rng.integers(2010, 2025, size=m)
        for j in range(m):
            if src[j] == tgt[j]:
                continue
            G.add_edge(ids[src[j]], ids[tgt[j]], key=f"r-{edge_no}", id=f"r-{edge_no}",
                       type=rel_type, status=str(status[j]), confidence=float(confidence[j]),
                       sources=["synthetic"], evidence="synthetic", deal="",
                       date=str(years[j]), asOf="")
            edge_no += 1
    return G


def _name(label: str, i: int) -> str:
    """``Company 12``; every 25th name is a near duplicate of the one before it (a trailing
    dot, an accent, a 'no.': names the alias check must tell apart from a repeat)."""
    if i % 25 == 24:
        return (f"{label} {i - 1}.", f"{label[0]}\u00e9{label[2:]} {i - 1}",
                f"{label} no. {i - 1}")[(i // 25) % 3]
    return f"{label} {i}"


def write_dataset(G: nx.MultiDiGraph, folder: str | Path) -> Path:
    """Write a synthetic network as a dataset folder that ``autograph validate`` accepts.

    The generator draws relations at random, so a few of them would break the dataset's
    rules; this writer makes the output valid instead of relaxing the rules: every
    Company and Organization gets a HEADQUARTERED_IN relation to its own Country, and a
    LOCATED_IN that would place something outside its ``country`` is left out, so each
    node's country agrees with the graph (``validate --strict`` passes).

    It keeps the shapes the checks find hard: the Regions of each country form one
    LOCATED_IN chain down from the Country (as deep as a country has regions), beside the
    random Region-to-Region relations; nodes without any relation stay; every 25th name is
    a near duplicate of the one before; every 40th cooperation between two actors is a
    deal of its own (deals.csv); and typed properties on entities and relations.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A graph from :func:`industry_network`.
    folder : path
        Created if missing; the five CSV files are (over)written.

    Returns
    -------
    Path
        The folder.

    Examples
    --------
    >>> import tempfile
    >>> from graph.dataset import validate_dataset
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     validate_dataset(write_dataset(industry_network(200, 600, seed=1), tmp))
    []
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes = G.nodes
    country_of = {d["country"]: n for n, d in nodes(data=True) if d["label"] == "Country"}

    def write(name: str, rows) -> None:
        fields = list(schema.DATASET_FILES[name][0])
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(fields)
            out.writerows([row.get(f, "") for f in fields] for row in rows)

    write("sources.csv", [{"id": "synthetic", "kind": "article", "title": "Synthetic",
                           "date": "2024", "dateBasis": "inferred", "reliability": "C",
                           "reliabilityNote": "generated, not a real source: graded C so "
                           "that the data passes validate --strict",
                           "note": "generated"}])
    write("entities.csv", ({"id": n, "label": d["label"], "name": d["name"],
                            "kind": d.get("kind", ""), "country": d["country"]}
                           for n, d in nodes(data=True)))
    deals: list[dict[str, str]] = []
    deal_types = {t for t, spec in schema.REL_TYPES.items() if spec.deal}
    supplies: list[str] = []

    def relations():
        cooperations = 0
        for u, v, d in G.edges(data=True):
            if d["type"] == "LOCATED_IN" and nodes[u]["country"] != nodes[v]["country"]:
                continue
            row = {"id": d["id"], "type": d["type"], "source": u, "target": v,
                   "status": d["status"], "date": d["date"],
                   "confidence": repr(d["confidence"]), "sources": "synthetic",
                   "evidence": "synthetic"}
            if (d["type"] in deal_types and nodes[u]["label"] in schema.ACTORS
                    and nodes[v]["label"] in schema.ACTORS):
                cooperations += 1
                if cooperations % 40 == 0:
                    row["deal"] = f"deal-{d['id']}"
                    deals.append({"id": row["deal"], "name": f"Deal {d['id']}",
                                  "status": d["status"], "date": d["date"],
                                  "confidence": row["confidence"], "sources": "synthetic",
                                  "parties": f"{u}:lead|{v}:partner", "evidence": "synthetic"})
            if d["type"] == "SUPPLIES":
                supplies.append(d["id"])
            yield row
        chain_end: dict[str, str] = {}  # each country's deepest region so far
        for n, d in nodes(data=True):
            if d["label"] == "Region":
                yield {"id": f"{n}-in", "type": "LOCATED_IN", "source": n,
                       "target": chain_end.get(d["country"], country_of[d["country"]]),
                       "status": "active", "date": "2010", "confidence": "1.0",
                       "sources": "synthetic", "evidence": "synthetic"}
                chain_end[d["country"]] = n
            if d["label"] in schema.ACTORS:
                yield {"id": f"{n}-hq", "type": "HEADQUARTERED_IN", "source": n,
                       "target": country_of[d["country"]], "status": "active",
                       "date": "2010", "confidence": "1.0", "sources": "synthetic",
                       "evidence": "synthetic"}

    write("relations.csv", relations())
    write("deals.csv", deals)
    plants = [n for n, d in nodes(data=True) if d["label"] == "Plant"]
    write("properties.csv", [
        *({"subject": n, "key": "productionSites", "value": str(1 + i % 7),
           "source": "synthetic"} for i, n in enumerate(plants[::10])),
        *({"subject": rid, "key": "supplyYearsMin", "value": str(1 + i % 30),
           "source": "synthetic"} for i, rid in enumerate(supplies[::25]))])
    return folder
