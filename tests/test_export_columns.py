"""``export --format csv`` of a whole large dataset written straight from its checked columns
(graph.export.neo4j_csv_columns): byte for byte the files the networkx path writes, folder
and zip, with and without the formula guard, under any --dataset name."""

from __future__ import annotations

import csv
import shutil
import time
import types
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph import dataset
from graph.cli import cli
from graph.export import neo4j_csv_columns
from graph.resources import bundled_dir
from graph.synthetic import industry_network, write_dataset


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return write_dataset(industry_network(2000, 10000, seed=7),
                         tmp_path_factory.mktemp("columns") / "data")


def _rewrite(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    rows = change(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


NAMES = {  # entity id -> a hostile name
    "catl": '=HYPERLINK("http://x.example","click")',
    "xpeng": "+49 Motors, Inc.",
    "bmw": "-BMW \U0001F697 Group",
    "volkswagen-group": "@SUM(A1:A2)",
    "jlr": '\t=tab first, "quoted"',  # the reader strips the tab
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The bundled data with formula-looking names, aliases and evidence, quotes, commas,
    characters outside the BMP, and parallel and reversed relations in an awkward order."""
    folder = tmp_path_factory.mktemp("columns") / "data"
    shutil.copytree(bundled_dir("data"), folder, ignore=shutil.ignore_patterns("*.md"))

    def entities(rows):
        for row in rows:
            row["name"] = NAMES.get(row["id"], row["name"])
            if row["id"] == "catl":
                row["aliases"] = "=Ningde | +CATL Co., Ltd.|  -Times  |@catl|\"Ningde\" \U0001D538"
        return rows

    def relations(rows):
        evidence = ["=1+2", "+cmd|' /C calc'!A0", "-2, or \"minus\"", "@SUM(1)",
                    "\U0001F50B battery, \"quoted\"", "plain"]
        pairs = [("bmw", "catl"), ("bmw", "xpeng"), ("catl", "bmw"), ("bmw", "catl"),
                 ("volkswagen-group", "bmw"), ("bmw", "xpeng"), ("catl", "volkswagen-group")]
        extra = [{**rows[0], "id": f"extra-{i}", "type": "PARTNERS_WITH", "source": u,
                  "target": v, "deal": "", "disputedBy": "", "status": "active",
                  "endDate": "", "evidence": evidence[i % len(evidence)]}
                 for i, (u, v) in enumerate(pairs)]
        return extra[:2] + rows[:30] + extra[2:4] + rows[30:90] + extra[4:] + rows[90:]

    def properties(rows):
        source = rows[0]["source"]
        extra = [("extra-0", "sharePct", "-0.0"), ("extra-1", "supplyYearsMin", "+007"),
                 ("extra-2", "scope", "=cells; \"modules\", packs"),
                 ("catl", "foundedYear", "02011"), ("catl", "insolvent", "No"),
                 ("bmw", "industry", "@cars, \U0001F697"), ("bmw", "allElectric", "YES")]
        return rows + [{"subject": s, "key": k, "value": v, "source": source, "note": ""}
                       for s, k, v in extra]

    _rewrite(folder / "entities.csv", entities)
    _rewrite(folder / "relations.csv", relations)
    _rewrite(folder / "properties.csv", properties)
    assert graph.validate_dataset(folder) == []
    return folder


def _frozen_zip_time(monkeypatch) -> None:
    """Zip entries carry the time they were written: the same for both runs."""
    fixed = time.mktime((2026, 1, 2, 3, 4, 5, 0, 0, -1))
    monkeypatch.setattr(zipfile, "time", types.SimpleNamespace(
        time=lambda: fixed, localtime=time.localtime))


def _read(out: Path) -> dict[str, bytes]:
    if out.suffix == ".zip":
        with zipfile.ZipFile(out) as zf:
            files = {info.filename: zf.read(info) for info in zf.infolist()}
        return {**files, "(zip)": out.read_bytes()}
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _both(monkeypatch, args: list[str], out: Path, fast_path: bool = True):
    """``(columnar, networkx)``: the CLI result and the files written either way."""
    _frozen_zip_time(monkeypatch)
    monkeypatch.setenv("AUTOGRAPH_CACHE", "off")  # a cached read adds a note to one side
    runner = CliRunner()
    taken = []
    real = neo4j_csv_columns.write_neo4j_csv_columns
    monkeypatch.setattr(neo4j_csv_columns, "write_neo4j_csv_columns",
                        lambda *a, **k: taken.append(real(*a, **k)) or taken[-1])
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    fast = runner.invoke(cli, ["export", "--format", "csv", "-o", str(out), *args])
    fast_files = _read(out) if fast.exit_code == 0 else {}
    assert taken, ("the columnar writer was not asked", fast.output)
    assert (taken[0] is not None) == fast_path, taken
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)
    slow = runner.invoke(cli, ["export", "--format", "csv", "-o", str(out), "--force", *args])
    slow_files = _read(out) if slow.exit_code == 0 else {}
    assert len(taken) == 1, "the columnar writer was asked for a small dataset"
    assert (fast.exit_code, fast.stdout, fast.stderr) == (slow.exit_code, slow.stdout,
                                                          slow.stderr)
    return fast, fast_files, slow_files


def _same(fast: dict[str, bytes], slow: dict[str, bytes]) -> None:
    assert fast.keys() == slow.keys()
    for name in fast:
        if fast[name] != slow[name] and name != "(zip)":  # show the first row that differs
            a, b = fast[name].split(b"\r\n"), slow[name].split(b"\r\n")
            row = next(i for i, (x, y) in enumerate(zip(a + [b""], b + [b""])) if x != y)
            assert (name, row, a[row:row + 1]) == (name, row, b[row:row + 1])
        assert fast[name] == slow[name], name


OPTIONS = [[], ["--keep-formulas"], ["--dataset", 'other, "with"\r\nbreaks'],
           ["--dataset", "=cmd", "--keep-formulas"]]


@pytest.mark.parametrize("options", OPTIONS, ids=["guard", "keep", "dataset", "both"])
@pytest.mark.parametrize("suffix", ["", ".zip"], ids=["folder", "zip"])
@pytest.mark.parametrize("which", ["synthetic", "bundled", "hostile"])
def test_the_columns_write_the_files_the_graph_path_writes(which, suffix, options, synthetic,
                                                           hostile, monkeypatch, tmp_path):
    folder = {"synthetic": synthetic, "bundled": bundled_dir("data"), "hostile": hostile}[which]
    out = tmp_path / f"out{suffix}"
    result, fast, slow = _both(monkeypatch, ["--data", str(folder), *options], out)
    assert result.exit_code == 0, result.output
    _same(fast, slow)
    nodes = fast["nodes.csv"].decode()
    if which == "hostile":
        guarded = "--keep-formulas" not in options
        for name in NAMES.values():
            name = name.strip()
            assert ("'" + name if guarded else name).replace('"', '""') in nodes
        assert "\U0001F697" in nodes and "\U0001D538" in nodes
        assert (";'+CATL Co., Ltd.;'-Times;" if guarded else ";+CATL Co., Ltd.;-Times;") in nodes
        rels = fast["relationships.csv"].decode()
        assert ('"\'=cells; ""modules"", packs"' if guarded else '"=cells;') in rels


def test_the_deals_and_properties_come_out_as_the_graph_path_writes_them(monkeypatch, tmp_path):
    result, fast, _ = _both(monkeypatch, [], tmp_path / "out")
    nodes, rels = (fast[name].decode().split("\r\n") for name in ("nodes.csv", "relationships.csv"))
    assert nodes[0].startswith("id:ID,:LABEL,aliases:string[],allElectric:boolean,asOf:date,")
    assert any(row.startswith("deal-vw-catl-battery,Deal,") for row in nodes)
    assert "role" in rels[0].split(",")
    assert any(",PARTY_TO," in row for row in rels)


def test_a_multiline_value_takes_the_graph_path(data_copy, monkeypatch, tmp_path):
    # the columnar check leaves a value across lines to the Python reader
    path = data_copy / "entities.csv"
    _rewrite(path, lambda rows: [{**r, "description": "two\r\nlines, \"one\" value"}
                                 if r["id"] == "catl" else r for r in rows])
    result, fast, slow = _both(monkeypatch, ["--data", str(data_copy)], tmp_path / "x.zip",
                               fast_path=False)
    assert result.exit_code == 0, result.output
    _same(fast, slow)


def test_a_deal_naming_a_party_twice_takes_the_graph_path(data_copy, monkeypatch, tmp_path):
    _rewrite(data_copy / "deals.csv", lambda rows: [
        {**r, "parties": r["parties"] + "|catl:observer"} if r["id"] == "deal-vw-catl-battery"
        else r for r in rows])
    assert graph.validate_dataset(data_copy) == []
    result, fast, slow = _both(monkeypatch, ["--data", str(data_copy)], tmp_path / "out",
                               fast_path=False)
    assert result.exit_code == 0, result.output
    _same(fast, slow)


def test_the_errors_are_the_graph_paths(data_copy, monkeypatch, tmp_path):
    # an alias holding the array delimiter: the graph path refuses it, the columns too
    _rewrite(data_copy / "entities.csv", lambda rows: [
        {**r, "aliases": "CATL; Ningde"} if r["id"] == "catl" else r for r in rows])
    result, _, _ = _both(monkeypatch, ["--data", str(data_copy)], tmp_path / "out",
                         fast_path=False)
    assert result.exit_code == 1
    assert "contains the array delimiter ';'" in result.output
    # an existing output without --force, before anything is written
    out = tmp_path / "taken.zip"
    out.write_bytes(b"precious")
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "-o", str(out)])
    assert (result.exit_code, result.output) == (1, f"Error: {out} exists; pass --force to "
                                                    "replace it\n")
    assert out.read_bytes() == b"precious"
    # csv needs an output, whatever the size
    result = CliRunner().invoke(cli, ["export", "--format", "csv"])
    assert result.exit_code == 1
    assert "--format csv writes two files" in result.output


def test_selections_and_other_formats_take_the_graph_path(monkeypatch, tmp_path):
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    monkeypatch.setattr(neo4j_csv_columns, "write_neo4j_csv_columns",
                        lambda *a, **k: pytest.fail("the columnar writer was used"))
    runner = CliRunner()
    for i, args in enumerate((["--format", "csv", "--label", "Company"],
                              ["--format", "csv", "--as-of", "2024"],
                              ["--format", "csv", "--focus", "catl"], ["--format", "json"])):
        result = runner.invoke(cli, ["export", *args, "-o", str(tmp_path / f"x{i}")])
        assert result.exit_code == 0, (args, result.output)


def test_a_dataset_without_relations(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(bundled_dir("data") / "sources.csv", folder)
    (folder / "entities.csv").write_text("id,label,name,aliases,kind,country,description\n"
                                         "aa,Country,=Aa,+A|-a,country,AA,\n", encoding="utf-8")
    (folder / "relations.csv").write_text(",".join(graph.schema.RELATION_FIELDS) + "\n",
                                          encoding="utf-8")
    (folder / "properties.csv").write_text("subject,key,value,source,note\n", encoding="utf-8")
    # valid: a Country no relation names is only a curation warning
    assert [p.message for p in graph.validate_dataset(folder)] == [
        "Country 'aa' is isolated: no relation names it"]
    result, fast, slow = _both(monkeypatch, ["--data", str(folder)], tmp_path / "out")
    assert result.exit_code == 0, result.output
    _same(fast, slow)
    assert fast["relationships.csv"] == b":START_ID,:END_ID,:TYPE,_dataset,symmetric:IGNORE\r\n"


def test_the_installed_command_writes_the_same_zip(autograph_exe, tmp_path, monkeypatch):
    from helpers import run_cli

    folder = write_dataset(industry_network(2500, 12500, seed=3), tmp_path / "data")
    assert dataset.large_dataset_folder(folder) == folder  # the columns, by default
    out = tmp_path / "out.zip"
    done = run_cli(autograph_exe, "export", "--data", str(folder), "--format", "csv",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr
    fast = _read(out)
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)
    slow = CliRunner().invoke(cli, ["export", "--data", str(folder), "--format", "csv",
                                    "-o", str(out), "--force"])
    assert slow.exit_code == 0, slow.output
    assert done.stderr == slow.stderr
    del fast["(zip)"]  # written at another time
    _same(fast, {k: v for k, v in _read(out).items() if k != "(zip)"})
