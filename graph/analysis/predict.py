"""Likely next partners: link prediction as hypotheses, never mixed with facts.

The prediction graph is undirected: companies and organisations, linked by their relations
of the chosen types (default: the ``cooperation`` group), and joined to the technologies and
programmes (``shared`` labels) they use, develop or join. A pair of actors with no relation
at all between them is scored by networkx's Adamic–Adar index (shared neighbours, each
counted 1/log(degree): a shared partner with few partners says more than a hub) and resource
allocation (1/degree) as the tie-breaker. Each suggestion is explained by its shared
partners, shared technologies and programmes, and whether both are based in the same
country.

:func:`predicted_candidates` turns suggestions into a candidates folder for
``autograph review``: undecided rows citing a ``prediction`` pseudo-source, which is not a
source kind of the schema, so a predicted relation can never be validated or merged as a
fact until an analyst cites a real source for it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .. import schema
from ..errors import AutographError
from .measures import AnalysisError

__all__ = ["prediction_graph", "score_pairs", "predict_links", "predicted_candidates",
           "PREDICTED_KIND", "unconnected_pairs", "roc_auc", "degree_product",
           "split_year", "evaluate_split", "evaluate_holdout"]

PREDICTED_KIND = "prediction"


def _types(types: Iterable[str] | None) -> tuple[str, ...]:
    chosen = tuple(types or schema.rel_types_in("cooperation"))
    unknown = [t for t in chosen if t not in schema.REL_TYPES]
    if unknown:
        raise AnalysisError(f"unknown relationship type(s) {', '.join(unknown)}; expected "
                            f"some of {', '.join(schema.REL_TYPES)}")
    return chosen


def prediction_graph(G: nx.MultiDiGraph, types: Iterable[str] | None = None) -> nx.Graph:
    """Actors linked by relations of *types*, plus shared items linked to their actors."""
    chosen = set(_types(types))
    label = nx.get_node_attributes(G, "label")
    P = nx.Graph()
    P.add_nodes_from(n for n in G if label.get(n) in schema.ACTORS)
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        ends = (label.get(u), label.get(v))
        if ends[0] in schema.ACTORS and ends[1] in schema.ACTORS:
            if d.get("type") in chosen:
                P.add_edge(u, v)
        elif ends[0] in schema.ACTORS and ends[1] in schema.LABEL_GROUPS["shared"]:
            P.add_edge(u, v)
        elif ends[1] in schema.ACTORS and ends[0] in schema.LABEL_GROUPS["shared"]:
            P.add_edge(v, u)
    return P


def unconnected_pairs(G: nx.MultiDiGraph, P: nx.Graph) -> set[tuple[str, str]]:
    """Actor pairs (sorted) with no relation of any type between them in *G*."""
    linked = {tuple(sorted((u, v))) for u, v in G.edges() if u != v}
    actors = sorted(n for n in P if G.nodes[n].get("label") in schema.ACTORS)
    return {(a, b) for i, a in enumerate(actors) for b in actors[i + 1:]
            if (a, b) not in linked}


def score_pairs(P: nx.Graph, pairs: Iterable[tuple[str, str]]) -> dict[tuple, tuple[float, float]]:
    """``{pair: (adamic_adar, resource_allocation)}`` for each pair of nodes of *P*."""
    pairs = [p for p in pairs if p[0] in P and p[1] in P]
    aa = {(u, v): s for u, v, s in nx.adamic_adar_index(P, pairs)}
    ra = {(u, v): s for u, v, s in nx.resource_allocation_index(P, pairs)}
    return {p: (aa[p], ra[p]) for p in pairs}


def predict_links(G: nx.MultiDiGraph, types: Iterable[str] | None = None,
                  top: int | None = 20) -> list[dict[str, Any]]:
    """The best-scored unconnected actor pairs, explained.

    Examples
    --------
    Two carmakers that share three suppliers but have no relation yet:

    >>> G = nx.MultiDiGraph()
    >>> for n in ("a", "b", "s1", "s2", "s3", "x"):
    ...     G.add_node(n, label="Company", name=n.upper(), country="DE")
    >>> for car in ("a", "b"):
    ...     for s in ("s1", "s2", "s3"):
    ...         _ = G.add_edge(s, car, type="SUPPLIES")
    >>> _ = G.add_edge("x", "s1", type="SUPPLIES")
    >>> best = predict_links(G, top=1)[0]
    >>> best["source"], best["target"], best["sharedPartners"]
    ('a', 'b', ['s1', 's2', 's3'])
    """
    P = prediction_graph(G, types)
    scored = score_pairs(P, unconnected_pairs(G, P))
    ranked = sorted(((p, s) for p, s in scored.items() if s[0] > 0),
                    key=lambda ps: (-ps[1][0], -ps[1][1], ps[0]))[:top]
    shared_labels = schema.LABEL_GROUPS["shared"]
    rows = []
    for rank, ((a, b), (aa, ra)) in enumerate(ranked, start=1):
        common = sorted(nx.common_neighbors(P, a, b))
        partners = [n for n in common if G.nodes[n].get("label") in schema.ACTORS]
        items = [n for n in common if G.nodes[n].get("label") in shared_labels]
        ca, cb = G.nodes[a].get("country", ""), G.nodes[b].get("country", "")
        why = [f"{len(partners)} shared partner(s): {', '.join(partners)}" if partners else "",
               f"shared {'/'.join(shared_labels).lower()}: {', '.join(items)}" if items else "",
               f"both based in {ca}" if ca and ca == cb else ""]
        rows.append({"rank": rank, "source": a, "target": b,
                     "sourceName": G.nodes[a].get("name", a),
                     "targetName": G.nodes[b].get("name", b),
                     "adamicAdar": aa, "resourceAllocation": ra,
                     "sharedPartners": partners, "sharedItems": items,
                     "sameCountry": bool(ca and ca == cb),
                     "explanation": "; ".join(w for w in why if w)})
    return rows


def predicted_candidates(rows: list[dict[str, Any]], rel_type: str = "PARTNERS_WITH",
                         today: str | None = None):
    """Suggestions as a :class:`graph.ingest.candidates.Candidates` folder in memory.

    Every relation row is undecided, has no status or confidence (an analyst sets them from
    the source that confirms it), cites the pseudo-source ``predicted-DATE`` of kind
    ``prediction``, and carries ``cue`` ``predicted: adamic-adar`` with its score scaled to 0-1.
    """
    from ..ingest.candidates import Candidates, _columns

    if rel_type not in schema.REL_TYPES:
        raise AnalysisError(f"unknown relationship type {rel_type!r}")
    today = today or dt.date.today().isoformat()
    sid = f"predicted-{today}"
    best = max((r["adamicAdar"] for r in rows), default=1.0) or 1.0
    out = Candidates()
    out.sources = [{"id": sid, "kind": PREDICTED_KIND, "title": "autograph analyze predict: "
                    "link-prediction hypotheses from the network's structure, not evidence",
                    "date": today, "dateBasis": "published", "reliability": "F",
                    "reliabilityNote": "Not a source: a structural guess. Cite the article that "
                    "confirms the relation before accepting it.", "decision": ""}]
    for r in rows:
        out.relations.append({
            "id": f"predicted-{r['source']}-{r['target']}", "type": rel_type,
            "source": r["source"], "target": r["target"], "sources": sid,
            "evidence": f"PREDICTED, not reported: {r['explanation']}",
            "decision": "", "score": f"{min(r['adamicAdar'] / best, 1.0):.2f}",
            "cue": f"predicted: adamic-adar {r['adamicAdar']:.3f}"})
    for name in ("sources.csv", "relations.csv"):
        cols = _columns(name)
        out.rows(name)[:] = [{c: row.get(c, "") for c in cols} for row in out.rows(name)]
    return out


def roc_auc(scores_pos: list[float], scores_neg: list[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    if not scores_pos or not scores_neg:
        raise AutographError("AUC needs positives and negatives")
    neg = sorted(scores_neg)
    total = 0.0
    for s in scores_pos:
        lo, hi = bisect.bisect_left(neg, s), bisect.bisect_right(neg, s)
        total += lo + (hi - lo) / 2
    return total / (len(scores_pos) * len(neg))


def degree_product(P: nx.Graph, pairs: Iterable[tuple[str, str]]) -> dict[tuple, float]:
    """Preferential attachment (degree product), the baseline a predictor must beat."""
    return {(u, v): float(P.degree(u) * P.degree(v)) for u, v in pairs if u in P and v in P}



def _year(G: nx.Graph, data: dict[str, Any]) -> int | None:
    from ..selection import edge_date

    when = edge_date(G, data)
    return int(when[:4]) if when else None


def split_year(G: nx.MultiDiGraph, share_after: float = 0.3,
               types: Iterable[str] | None = None) -> int:
    """The year after which about *share_after* of the dated relations of *types* fall."""
    chosen = set(_types(types))
    years = sorted(y for _, _, d in G.edges(data=True) if d.get("type") in chosen
                   for y in [_year(G, d)] if y is not None)
    if not years:
        raise AnalysisError("no dated relations of these types to split in time")
    return years[min(int(len(years) * (1 - share_after)), len(years) - 1)]


def evaluate_split(G: nx.MultiDiGraph, year: int, types: Iterable[str] | None = None,
                   ks: tuple[int, ...] = (10, 50), seed: int = 42) -> dict[str, Any]:
    """Predict from the relations dated up to *year* those of *types* dated after it.

    Training graph: every relation dated up to *year* (undated relations are left out, since
    nobody can say on which side they fall). Positives: pairs of actors known by then (with
    some relation up to *year*), with no relation between them up to *year* and a relation
    of *types* after it; negatives: every other unconnected pair of known actors. Each
    scorer (Adamic-Adar, resource allocation, degree product, a seeded random order) is
    reported with its AUC and precision@k.
    """
    def side(d: dict[str, Any]) -> bool | None:
        y = _year(G, d)
        return None if y is None else y <= year

    return {"year": year, **_evaluate(G, side, types, ks, seed)}


def evaluate_holdout(G: nx.MultiDiGraph, share: float = 0.2,
                     types: Iterable[str] | None = None, ks: tuple[int, ...] = (10, 50),
                     seed: int = 42) -> dict[str, Any]:
    """As :func:`evaluate_split`, but hiding a seeded random *share* of the relations of
    *types* instead of the later ones: for data whose dates cannot split it (each source
    brings new actors, so nothing new happens between actors known before)."""
    import random

    chosen = set(_types(types))
    rng = random.Random(seed)
    hidden = {id(d) for _, _, d in sorted(G.edges(data=True), key=lambda e: (
        str(e[0]), str(e[1]), e[2].get("id", ""))) if d.get("type") in chosen
        and rng.random() < share}
    return {"share": share, **_evaluate(G, lambda d: id(d) not in hidden, types, ks, seed)}


def _evaluate(G: nx.MultiDiGraph, in_train, types, ks: tuple[int, ...], seed: int
              ) -> dict[str, Any]:
    import random

    chosen = set(_types(types))
    train = nx.MultiDiGraph(G.graph)
    train.add_nodes_from(G.nodes(data=True))
    later: set[tuple[str, str]] = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        side = in_train(d)
        if side is None:
            continue
        if side:
            train.add_edge(u, v, k, **d)
        elif d.get("type") in chosen:
            later.add(tuple(sorted((u, v))))
    P = prediction_graph(train, chosen)
    P.remove_nodes_from([n for n in list(P) if train.degree(n) == 0])  # unknown by then
    pairs = sorted(unconnected_pairs(train, P))
    positives = {p for p in pairs if p in later}
    if not positives:
        raise AnalysisError("no new relations to predict between actors known in training "
                            f"({len(later)} held-out pairs, all with a new actor or "
                            "already linked)")
    scored = score_pairs(P, pairs)
    rng = random.Random(seed)
    scorers = {"adamic-adar": {p: s[0] for p, s in scored.items()},
               "resource-allocation": {p: s[1] for p, s in scored.items()},
               "degree-product": degree_product(P, pairs),
               "random": {p: rng.random() for p in pairs}}
    results = {}
    for name, scores in scorers.items():
        tiebreak = {p: rng.random() for p in pairs}   # ties in random order, not by id
        order = sorted(pairs, key=lambda p: (-scores[p], tiebreak[p]))
        results[name] = {
            "auc": roc_auc([scores[p] for p in positives],
                           [scores[p] for p in pairs if p not in positives]),
            **{f"precision@{k}": sum(p in positives for p in order[:k]) / k for k in ks}}
    return {"pairs": len(pairs), "positives": len(positives),
            "trainRelations": train.number_of_edges(), "scores": results}
