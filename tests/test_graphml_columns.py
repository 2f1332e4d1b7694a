"""``export --format graphml``, ``gexf`` and ``json`` of a whole large dataset written straight
from its checked columns (graph.export.graphml_columns, gexf_columns, nodelink_columns):
character for character what the networkx path writes, to a file and to stdout; what they
leave to that path is written there."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph import dataset
from graph.cli import cli
from graph.export import gexf_columns, graphml_columns, nodelink_columns
from graph.synthetic import industry_network, write_dataset

HOSTILE = 'a & b < c > d "e" \'f\' \tg é 中 \U0001F697'


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return write_dataset(industry_network(2000, 10000, seed=7),
                         tmp_path_factory.mktemp("graphml") / "data")


def _rewrite(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(change(rows))


@pytest.fixture(scope="module")
def hostile(synthetic, tmp_path_factory) -> Path:
    """The synthetic data with markup, quotes, tabs and characters outside the BMP in names,
    aliases (spaced and empty items) and evidence, a list of sources and a dispute,
    parallel and reversed relations in an awkward file order, and typed properties of
    entities and relations (each type, values written unusually, a subject's properties
    apart in the file)."""
    folder = tmp_path_factory.mktemp("graphml") / "data"
    shutil.copytree(synthetic, folder)

    def entities(rows):
        for i, row in enumerate(rows[:50]):
            row["name"] = f"{HOSTILE} {i}"
            row["aliases"] = (f" x{i} | {HOSTILE} alias {i} ||y{i}" if i % 2
                              else f"{HOSTILE} other {i}")
            row["description"] = HOSTILE if i % 3 else ""
        return rows

    def relations(rows):
        for i, row in enumerate(rows[:40]):
            row["evidence"] = f"{HOSTILE} {i}"
            row["confidence"] = ["1", "0.5", ".25", "1e-1", "0.99"][i % 5]
        variants = [  # the dates GEXF's start and end come from
            {"date": "", "asOf": "2019-05"}, {"date": "", "asOf": "", "sources": "synthetic|second"},
            {"date": "", "asOf": "", "sources": "second|synthetic"},
            {"status": "ended", "endDate": ""}, {"status": "ended", "endDate": "2023-02-11"},
            {"date": "2021", "endDate": "2021-06", "status": "ended"},
            {"date": "", "asOf": "", "status": "ended", "endDate": ""},
            {"date": "", "asOf": "", "status": "ended", "endDate": "2019"}]  # before 2024
        for row, change in zip(rows[40:], variants):
            row.update(change)
        head = rows[:3]
        extra = [{**head[0], "id": f"extra-{i}", "source": head[i % 3]["target"],
                  "target": head[i % 3]["source"]} for i in range(3)]
        extra += [{**head[1], "id": "extra-twin"}]
        return extra[:2] + rows[:20] + extra[2:] + rows[20:]

    def sources(rows):
        return rows + [{**rows[0], "id": "second", "title": HOSTILE, "date": "2020"}]

    _rewrite(folder / "sources.csv", sources)
    _rewrite(folder / "entities.csv", entities)
    _rewrite(folder / "relations.csv", relations)
    rel = folder / "relations.csv"
    text = rel.read_text(encoding="utf-8").splitlines(keepends=True)
    text[5] = text[5].replace(",synthetic,", ",synthetic|second,", 1)
    rel.write_text("".join(text), encoding="utf-8")
    with open(folder / "relations.csv", newline="", encoding="utf-8") as f:
        relation_ids = [row["id"] for row in csv.DictReader(f)]
    with open(folder / "entities.csv", newline="", encoding="utf-8") as f:
        companies = [row["id"] for row in csv.DictReader(f) if row["label"] == "Company"]
    with open(folder / "properties.csv", "a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        for i in range(0, 600, 7):
            writer.writerow([companies[i], "foundedYear", f"0{1900 + i}", "synthetic", ""])
            writer.writerow([relation_ids[i], "sharePct", ["12.5", "1e2", "0.1", "7"][i % 4],
                             "synthetic", ""])
        for i in range(0, 600, 11):
            writer.writerow([companies[i], "insolvent", ["True", "no", "1", "FALSE"][i % 4],
                             "synthetic", ""])
            writer.writerow([companies[i], "industry", f"{HOSTILE} {i}", "synthetic", ""])
            writer.writerow([relation_ids[i], "scope", f" {HOSTILE} ", "synthetic", ""])
        writer.writerow([companies[3], "employeesMin", "250000", "synthetic", ""])
    assert graph.validate_dataset(folder) == []
    return folder


WRITERS = {"graphml": (graphml_columns, "graphml_from_columns"),
           "gexf": (gexf_columns, "gexf_from_columns"),
           "json": (nodelink_columns, "json_from_columns")}


def _both(monkeypatch, args: list[str], fast_path: bool = True, fmt: str = "graphml"):
    """``(columnar, networkx)`` CLI results of ``export --format FMT`` *args*."""
    runner = CliRunner()
    taken = []
    module, name = WRITERS[fmt]
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda f, **options: taken.append(real(f, **options))
                        or taken[-1])
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    fast = runner.invoke(cli, ["export", "--format", fmt, *args])
    assert taken, ("the columnar writer was not asked", fast.output)
    assert (taken[0] is not None) == fast_path
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)
    slow = runner.invoke(cli, ["export", "--format", fmt, *args])
    assert fast.exit_code == slow.exit_code == 0, (fast.output, slow.output)
    return fast, slow


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
@pytest.mark.parametrize("which", ["synthetic", "hostile"])
def test_a_document_from_the_columns_is_what_the_graph_writes(which, fmt, synthetic, hostile,
                                                              monkeypatch, tmp_path):
    folder = {"synthetic": synthetic, "hostile": hostile}[which]
    fast, slow = _both(monkeypatch, ["--data", str(folder)], fmt=fmt)
    assert fast.stdout == slow.stdout
    if which == "hostile" and fmt == "graphml":
        assert "&amp; b &lt; c &gt; d \"e\"" in fast.stdout  # element text
        assert 'id="extra-twin"' in fast.stdout
    if which == "hostile" and fmt == "json":
        assert '"a & b < c > d \\"e\\" \'f\' \\tg é 中 \U0001F697' in fast.stdout
        assert (graph.export.read_json(fast.stdout).number_of_edges()
                == graph.load_graph(folder).number_of_edges())
    out = tmp_path / f"g.{fmt}"
    fast, slow = _both(monkeypatch, ["--data", str(folder), "-o", str(out), "--force"],
                       fmt=fmt)
    # "wrote N nodes and M relationships to ..." (the networkx path may add a cache note)
    assert fast.stderr.splitlines()[-1] == slow.stderr.splitlines()[-1]
    ds = graph.load_dataset(folder)
    assert f"wrote {len(ds.entities) + len(ds.deals)} nodes" in fast.stderr


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_the_file_written_from_the_columns_is_the_file_the_graph_writes(fmt, hostile,
                                                                       monkeypatch, tmp_path):
    from graph.export import columns

    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setattr(columns, "SLICE_ROWS", 997)  # elements rendered in many slices
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "--format", fmt, "--data", str(hostile),
                               "-o", str(a)]).exit_code == 0
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)
    assert runner.invoke(cli, ["export", "--format", fmt, "--data", str(hostile),
                               "-o", str(b)]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_the_deals_are_written_from_the_columns(fmt, monkeypatch, tmp_path):
    """The bundled data: deals (their nodes, properties and PARTY_TO edges among the
    relations of each party), deal parts taking the deal's dates, and a party named twice."""
    fast, slow = _both(monkeypatch, [], fmt=fmt)
    assert fast.stdout == slow.stdout
    assert "deal-vw-catl-battery-party-catl" in fast.stdout
    assert {"graphml": '<node id="deal-vw-catl-battery">',
            "gexf": '<node id="deal-vw-catl-battery" label=',
            "json": '"id": "deal-vw-catl-battery"\n'}[fmt] in fast.stdout
    out = tmp_path / f"g.{fmt}"
    fast, slow = _both(monkeypatch, ["-o", str(out), "--force"], fmt=fmt)
    assert fast.stderr.splitlines()[-1] == slow.stderr.splitlines()[-1]
    folder = tmp_path / "data"
    shutil.copytree(graph.resources.bundled_dir("data"), folder,
                    ignore=shutil.ignore_patterns("*.md"))
    _rewrite(folder / "deals.csv", lambda rows: [
        {**r, "parties": r["parties"] + "|catl:observer"} if r["id"] == "deal-vw-catl-battery"
        else r for r in rows])
    assert graph.validate_dataset(folder) == []
    fast, slow = _both(monkeypatch, ["--data", str(folder)], fmt=fmt)
    assert fast.stdout == slow.stdout and "observer" in fast.stdout


@pytest.mark.parametrize("options", [["--symmetric", "undirected"], ["--no-viz"],
                                     ["--symmetric", "undirected", "--no-viz"]])
@pytest.mark.parametrize("which", ["bundled", "hostile"])
def test_the_columns_write_every_variant_the_graph_writes(which, options, hostile,
                                                          monkeypatch):
    """``--symmetric undirected`` (GraphML and GEXF) and ``--no-viz`` (GEXF) the same both
    ways; the bundled data has ended relations, deals and sources of every date basis."""
    folder = {"bundled": graph.resources.bundled_dir("data"), "hostile": hostile}[which]
    for fmt in ("graphml", "gexf") if "--no-viz" not in options else ("gexf",):
        fast, slow = _both(monkeypatch, ["--data", str(folder), *options], fmt=fmt)
        assert fast.stdout == slow.stdout
        if "--no-viz" in options:
            assert "viz:" not in fast.stdout
        if "undirected" in options:
            assert ('directed="false"' if fmt == "graphml" else 'type="undirected"') \
                in fast.stdout


def test_characters_xml_cannot_hold_take_the_graph_path(
        synthetic, monkeypatch, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(synthetic, folder)
    ent = folder / "entities.csv"
    ent.write_text(ent.read_text(encoding="utf-8").replace("Company 3,", "Company\x0b3,", 1),
                   encoding="utf-8")
    assert graph.validate_dataset(folder) == []
    fast, slow = _both(monkeypatch, ["--data", str(folder)], fast_path=False)
    assert fast.stdout == slow.stdout and "Company\ufffd3" in fast.stdout
    fast, slow = _both(monkeypatch, ["--data", str(folder)], fast_path=False, fmt="json")
    assert fast.stdout == slow.stdout and "Company\\u000b3" in fast.stdout
    fast, slow = _both(monkeypatch, ["--data", str(folder)], fast_path=False, fmt="gexf")
    assert fast.stdout == slow.stdout and "Company\ufffd3" in fast.stdout
    # a property value XML cannot hold
    shutil.copytree(synthetic, tmp_path / "props")
    with open(tmp_path / "props" / "properties.csv", "a", encoding="utf-8") as f:
        company = next(n for n, d in graph.load_graph(synthetic).nodes(data=True)
                       if d["label"] == "Company")
        f.write(f"{company},industry,steel\x0bcoal,synthetic,\n")
    assert graph.validate_dataset(tmp_path / "props") == []
    for fmt in ("graphml", "gexf", "json"):
        fast, slow = _both(monkeypatch, ["--data", str(tmp_path / "props")], fast_path=False,
                           fmt=fmt)
        assert fast.stdout == slow.stdout


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_properties_come_out_typed_after_the_fields(fmt, hostile, monkeypatch):
    """What the byte-for-byte comparisons above compare: the properties are there, typed."""
    fast, _ = _both(monkeypatch, ["--data", str(hostile)], fmt=fmt)
    read = {"graphml": graph.export.read_graphml, "gexf": graph.export.read_gexf,
            "json": graph.export.read_json}[fmt]
    H = read(fast.stdout if fmt == "json" else io.StringIO(fast.stdout))
    with open(hostile / "properties.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    edges = {k: d for _, _, k, d in H.edges(keys=True, data=True)}
    for row in rows:
        subject, key = row["subject"], row["key"]
        if subject in H:
            spec = graph.schema.ENTITY_PROPERTIES[key]
            value = H.nodes[subject][key]
        else:
            spec = graph.schema.RELATION_PROPERTIES[key]
            value = edges[subject][key]
        expected = dataset._convert(row["value"].strip(), spec.type)
        assert value == expected and type(value) is type(expected), (fmt, row)


def test_an_existing_file_is_kept_without_force(synthetic, monkeypatch, tmp_path):
    out = tmp_path / "g.graphml"
    out.write_text("mine", encoding="utf-8")
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    result = CliRunner().invoke(cli, ["export", "--format", "graphml", "--data",
                                      str(synthetic), "-o", str(out)])
    assert result.exit_code == 1 and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "mine"


def test_csv_without_an_output_is_refused_on_a_large_dataset_too(synthetic, monkeypatch):
    """Not written as JSON to the terminal: the columns' text writers are GraphML, GEXF and
    JSON only."""
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--data", str(synthetic)])
    assert result.exit_code == 1
    assert "--format csv writes two files" in result.output
