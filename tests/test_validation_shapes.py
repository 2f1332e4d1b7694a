"""Errors and curation warnings on any graph shape: chains of any depth, cycles, huge headers.

The validator's place rules (an actor's base, the country the graph gives an entity) are
compared with a slow, obviously correct reference on shapes hypothesis draws; a deep chain
and a header of a million columns end in a clear message, never a traceback.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import dataset, schema
from graph.dataset import load_dataset, validate_dataset
from graph.resources import bundled_dir

HEADERS = {name: list(fields) for name, (fields, _) in schema.DATASET_FILES.items()}
LABELS = ("Country", "Region", "Plant", "Company")


def write_folder(folder: Path, entities: list[dict], relations: list[dict],
                 properties: list[dict] = (), grade: str = "C") -> Path:
    """A dataset folder from rows (missing columns empty), with two registered sources."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [{"id": sid, "kind": "article", "title": sid, "date": "2024",
                "dateBasis": "inferred", "reliability": grade, "reliabilityNote": "test"}
               for sid in ("s1", "s2")]
    for name, rows in (("sources.csv", sources), ("entities.csv", entities),
                       ("relations.csv", relations), ("deals.csv", []),
                       ("properties.csv", properties)):
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            out = csv.DictWriter(fh, HEADERS[name], lineterminator="\n", restval="")
            out.writeheader()
            out.writerows(rows)
    return folder


def relation(rid: str, rtype: str, source: str, target: str, **more: str) -> dict:
    return {"id": rid, "type": rtype, "source": source, "target": target,
            "status": "active", "confidence": "0.9", "sources": "s1", "evidence": "e",
            **more}


# --- the reference: a breadth-first walk per entity ------------------------------------------

def reference_place_warnings(entities: list[dict], relations: list[dict],
                             scoped: set[str]) -> set[str]:
    """What an obviously correct reading of the rules warns about (messages without paths)."""
    by_id = {e["id"]: e for e in entities}
    line = {e["id"]: i + 2 for i, e in enumerate(entities)}
    out = set()
    for e in entities:
        if e["label"] in schema.ACTORS and not any(
                r["type"] == "HEADQUARTERED_IN" and r["source"] == e["id"] for r in relations):
            out.add(f"{line[e['id']]}: id: {e['label']} {e['id']!r} has no base: add a "
                    "HEADQUARTERED_IN relation to the most precise place known")
        if e["label"] == "Country":
            continue
        found, seen, todo = set(), {e["id"]}, [e["id"]]
        while todo:
            node = todo.pop()
            for r in relations:
                if (r["source"] != node or r.get("disputedBy")
                        or not (r["type"] == "LOCATED_IN" or (r["type"] == "HEADQUARTERED_IN"
                                                              and r["id"] not in scoped))):
                    continue
                nxt = by_id[r["target"]]
                if nxt["label"] == "Country":
                    found.add(nxt["country"])
                elif nxt["id"] not in seen:
                    seen.add(nxt["id"])
                    todo.append(nxt["id"])
        if found and (e["country"] not in found or len(found) > 1):
            out.add(f"{line[e['id']]}: country: {e['country'] or 'empty'!r} disagrees with the "
                    f"graph, which places {e['id']!r} in {', '.join(sorted(found))}")
    return out


@st.composite
def shapes(draw):
    """Entities and place relations: chains, cycles, diamonds, disputes, scoped bases."""
    n = draw(st.integers(2, 14))
    codes = ["AA", "BB", "CC"]
    entities = [{"id": f"c-{c.lower()}", "label": "Country", "name": f"Country {c}",
                 "country": c} for c in codes]
    for i in range(n):
        label = draw(st.sampled_from(LABELS[1:]))
        entities.append({"id": f"n{i}", "label": label, "name": f"Node {i}",
                         "country": draw(st.sampled_from(codes + [""]))})
    ids = [e["id"] for e in entities]
    label_of = {e["id"]: e["label"] for e in entities}
    relations, scoped = [], set()
    # a chain through every non-country node in a drawn order, sometimes closed into a cycle
    order = draw(st.permutations(ids[len(codes):]))
    pairs = list(zip(order, order[1:]))
    if draw(st.booleans()) and len(order) > 2:
        pairs.append((order[-1], order[0]))
    pairs += draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=20))
    for k, (a, b) in enumerate(pairs):
        if a == b or label_of[b] not in schema.PLACES or label_of[a] == "Country":
            continue
        rtype = "HEADQUARTERED_IN" if label_of[a] in schema.ACTORS else "LOCATED_IN"
        if label_of[a] == "Plant" and label_of[b] == "Plant":
            continue
        rel = relation(f"r{k}", rtype, a, b)
        if draw(st.integers(0, 5)) == 0:
            rel["disputedBy"] = "s2"
        if rtype == "HEADQUARTERED_IN" and draw(st.integers(0, 3)) == 0:
            scoped.add(rel["id"])
        relations.append(rel)
    for code in codes:  # every Country named by some relation: no isolated-Country warning
        entities.append({"id": f"anchor-{code.lower()}", "label": "Region",
                         "name": f"Anchor {code}", "country": code})
        relations.append(relation(f"in-{code.lower()}", "LOCATED_IN",
                                  f"anchor-{code.lower()}", f"c-{code.lower()}"))
    return entities, relations, scoped


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(shapes())
def test_place_warnings_match_a_slow_reference_on_any_shape(shape):
    entities, relations, scoped = shape
    props = [{"subject": rid, "key": "hqScope", "value": "Europe", "source": "s1"}
             for rid in sorted(scoped)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(Path(tmp) / "data", entities, relations, props)
        problems = validate_dataset(folder)
        assert not [p for p in problems if not p.warning], problems
        prefix = f"{folder / 'entities.csv'}:"
        found = {str(p)[len(prefix):] for p in problems}
        assert found == reference_place_warnings(entities, relations, scoped)
        # the same warnings when the records come from the columnar check
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
            assert validate_dataset(folder) == problems
        load_dataset(folder)  # warnings never stop a read


def test_countries_reached_shares_one_set_along_a_chain():
    up = {f"r{i}": [f"r{i + 1}"] for i in range(100_000)}
    up["r100000"] = ["de"]
    reached = dataset.countries_reached(up, {"de": "DE"})
    assert reached["r0"] == {"DE"} and reached["r0"] is reached["r99999"]


# --- the cases of issue 26: a deep chain beside a broken row, a huge header -------------------

def deep_chain(folder: Path, depth: int) -> Path:
    """A 'depth'-deep LOCATED_IN chain of Regions ending in a Country, one plant at its foot."""
    entities = [{"id": "germany", "label": "Country", "name": "Germany", "country": "DE"}]
    relations = []
    for i in range(depth):
        entities.append({"id": f"region-{i}", "label": "Region", "name": f"Region {i}",
                         "country": "DE"})
        relations.append(relation(f"region-{i}-in", "LOCATED_IN", f"region-{i}",
                                  f"region-{i - 1}" if i else "germany"))
    entities.append({"id": "plant-x", "label": "Plant", "name": "Plant X", "country": "FR"})
    entities.append({"id": "france", "label": "Country", "name": "France", "country": "FR"})
    relations.append(relation("plant-x-in", "LOCATED_IN", "plant-x", f"region-{depth - 1}"))
    relations.append(relation("plant-x-near", "LOCATED_IN", "plant-x", "france"))
    return write_folder(folder, entities, relations)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True,
                          text=True, timeout=120)


def test_a_deep_chain_beside_a_broken_row_gives_messages_not_a_traceback(tmp_path):
    folder = deep_chain(tmp_path / "data", 5000)
    with open(folder / "relations.csv", "a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, HEADERS["relations.csv"], lineterminator="\n", restval="").writerow(
            relation("broken", "LOCATED_IN", "plant-x", "nowhere"))
    result = run("validate", "--data", str(folder))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    broken = sum(1 for _ in open(folder / "relations.csv", encoding="utf-8"))
    assert lines[0] == "Error: 1 problem in the dataset:"
    assert lines[1].startswith(f"{folder / 'relations.csv'}:{broken}: ")
    # without the broken row: valid, with the plant's two countries as a warning
    text = (folder / "relations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "relations.csv").write_text("".join(text[:-1]), encoding="utf-8")
    result = run("validate", "--data", str(folder))
    assert result.returncode == 0, result.stderr
    assert ("country: 'FR' disagrees with the graph, which places 'plant-x' in DE, FR"
            in result.stderr)
    assert run("validate", "--strict", "--data", str(folder)).returncode == 1


def test_a_header_of_a_million_columns_is_one_clear_message(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(bundled_dir("data"), folder, ignore=shutil.ignore_patterns("*.md"))
    path = folder / "entities.csv"
    head, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(head + "," + ",".join(f"x{i}" for i in range(10 ** 6)) + "\n" + rest,
                    encoding="utf-8")
    result = run("validate", "--data", str(folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert f"{path}:1: x0: unknown column; expected {', '.join(HEADERS['entities.csv'])}" \
        in lines
    assert f"{path}:1: header: 999,980 more unknown columns not listed" in lines
    assert len(lines) < 2000


def test_synthetic_data_keeps_the_shapes_the_checks_find_hard(tmp_path):
    from graph.synthetic import industry_network, write_dataset

    folder = write_dataset(industry_network(2000, 8000, seed=5), tmp_path / "data")
    problems = validate_dataset(folder)
    assert problems == []  # valid and curated: validate --strict passes
    ds = load_dataset(folder)
    up = {r.source: r.target for r in ds.relations.values() if r.type == "LOCATED_IN"
          and ds.entities[r.source].label == ds.entities[r.target].label == "Region"}
    depth = {}
    for region in up:  # the longest Region-to-Region chain
        n, node = 0, region
        while node in up and n <= len(up):
            n, node = n + 1, up[node]
        depth[region] = n
    assert max(depth.values()) >= 3
    touched = {e for r in ds.relations.values() for e in (r.source, r.target)}
    assert any(e not in touched for e in ds.entities)  # isolated entities
    names = {e.name for e in ds.entities.values()}
    assert any(n.endswith(".") and n[:-1] in names for n in names)  # near duplicates
    assert ds.deals and all(len(d.parties) >= 2 for d in ds.deals.values())
    assert any(r.deal for r in ds.relations.values())
    assert any(e.properties for e in ds.entities.values())
    assert any(r.properties for r in ds.relations.values())
