"""The canonical writer (round trip, byte-identical bundled data, validated and atomic
writes), autograph format, and autograph diff (folders and git revisions)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

import graph
from graph.cli import cli
from graph.dataset import COLUMNS
from graph.diff import diff_datasets, diff_folders, diff_rev
from graph.errors import AutographError, DataValidationError
from graph.resources import bundled_dir
from graph.writer import is_canonical, render_dataset, write_dataset

from helpers import failing_replace


def test_bundled_data_is_written_byte_for_byte(tmp_path):
    ds = graph.load_dataset()
    write_dataset(ds, tmp_path)
    for name in COLUMNS:
        if (bundled_dir("data") / name).exists():
            assert (tmp_path / name).read_bytes() == (bundled_dir("data") / name).read_bytes(), \
                f"{name} differs: run autograph format to canonicalise the bundled data"
    assert is_canonical() == []


def test_write_then_read_is_equal(tmp_path):
    ds = graph.load_dataset()
    write_dataset(ds, tmp_path)
    back = graph.load_dataset(tmp_path)
    for attr in ("entities", "relations", "sources"):
        assert getattr(back, attr) == getattr(ds, attr)
    for eid, ent in ds.entities.items():
        assert back.entities[eid].properties == ent.properties
    for rid, rel in ds.relations.items():
        assert back.relations[rid].properties == rel.properties


def test_unchanged_write_touches_nothing(data_copy):
    before = {p.name: p.stat().st_mtime_ns for p in data_copy.iterdir()}
    assert write_dataset(graph.load_dataset(data_copy), data_copy) == []
    assert {p.name: p.stat().st_mtime_ns for p in data_copy.iterdir()} == before


def test_new_rows_follow_existing_ones_and_quoting(data_copy):
    ds = graph.load_dataset(data_copy)
    ent = graph.Entity(id="acme", label="Technology", name='Acme, "the" Co',
                       kind="process", country="DE", description="line one\nline two")
    ds.entities["acme"] = ent
    write_dataset(ds, data_copy)
    text = (data_copy / "entities.csv").read_text(encoding="utf-8")
    assert text.endswith('acme,Technology,"Acme, ""the"" Co",,process,DE,"line one\nline two"\n')
    assert graph.load_dataset(data_copy).entities["acme"] == ent


def test_invalid_result_writes_nothing(data_copy):
    ds = graph.load_dataset(data_copy)
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    rel = next(iter(ds.relations.values()))
    ds.relations["bad"] = dataclasses.replace(rel, id="bad", target="tesla")
    with pytest.raises(DataValidationError) as err:
        write_dataset(ds, data_copy)
    assert f"{data_copy}/relations.csv" in str(err.value)
    assert "unknown entity id 'tesla'" in str(err.value)
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before, "no temp files left"


@pytest.mark.parametrize("fail_at", [1, 2])
def test_interrupted_write_leaves_old_or_new_files(data_copy, monkeypatch, fail_at):
    """A failed rename before the commit (the first) leaves the old dataset; one after it
    leaves a committed journal that the next read completes: the new dataset."""
    ds = graph.load_dataset(data_copy)
    ds.entities["acme"] = graph.Entity(id="acme", label="Technology", name="Acme")
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    failing_replace(monkeypatch, fail_at)
    with pytest.raises(AutographError, match="no space left on the device"):
        write_dataset(ds, data_copy)
    monkeypatch.undo()
    if fail_at == 1:
        assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before
    else:
        assert "acme" in graph.load_dataset(data_copy).entities
        assert sorted(p.name for p in data_copy.iterdir()) == sorted(before)


def test_properties_keep_source_note_and_spelling(data_copy):
    ds = graph.load_dataset(data_copy)
    texts = render_dataset(ds, data_copy)
    assert texts["properties.csv"] == (data_copy / "properties.csv").read_text(encoding="utf-8")
    ds.entities["catl"].properties["employeesMin"] = 100000
    write_dataset(ds, data_copy, property_meta={("catl", "employeesMin"): {
        "source": "001_a3af7357bdf967bf", "note": "A new figure."}})
    last = (data_copy / "properties.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert last == "catl,employeesMin,100000,001_a3af7357bdf967bf,A new figure."


def test_format_command(data_copy):
    runner = CliRunner()
    assert runner.invoke(cli, ["format", "--check", "--data", str(data_copy)]).output == \
        "canonical\n"
    path = data_copy / "entities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "belgium,Country,Belgium,", '"belgium",Country,"Belgium",'), encoding="utf-8")
    result = runner.invoke(cli, ["format", "--check", "--data", str(data_copy)])
    assert result.exit_code == 1
    assert result.output == "Error: not canonical: entities.csv; run autograph format\n"
    assert runner.invoke(cli, ["format", "--data", str(data_copy)]).output == \
        "rewrote entities.csv\n"
    assert path.read_bytes() == (bundled_dir("data") / "entities.csv").read_bytes()


# -- diff ------------------------------------------------------------------------------

def test_diff_field_by_field(data_copy, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(data_copy, old)
    ds = graph.load_dataset(data_copy)
    ds.entities["catl"] = dataclasses.replace(ds.entities["catl"], name="CATL Ltd")
    ds.entities["acme"] = graph.Entity(id="acme", label="Technology", name="Acme")
    gone = next(r for r in ds.relations if not ds.relations[r].properties)
    del ds.relations[gone]
    write_dataset(ds, data_copy)
    changes = {(c.kind, c.id, c.change): c.fields for c in diff_folders(old, data_copy)}
    assert changes[("entity", "catl", "changed")] == {"name": ("CATL", "CATL Ltd")}
    assert changes[("entity", "acme", "added")]["name"] == ("", "Acme")
    assert ("relation", gone, "removed") in changes
    assert len(changes) == 3
    result = CliRunner().invoke(cli, ["diff", str(old), str(data_copy), "--format", "json"])
    rows = json.loads(result.output)
    assert {"kind": "entity", "id": "catl", "change": "changed", "field": "name",
            "old": "CATL", "new": "CATL Ltd"} in rows


def test_diff_properties(data_copy):
    old = graph.load_dataset(data_copy)
    new = dataclasses.replace(old, entities=dict(old.entities))
    new.entities["catl"] = dataclasses.replace(old.entities["catl"],
                                               properties={"evBatteryRank": 2})
    (change,) = diff_datasets(old, new)
    assert change.fields == {"properties.evBatteryRank": ("1", "2"),
                             "properties.automotiveSupplierRankMax": ("10", "")}


def test_diff_no_changes_and_usage(data_copy):
    runner = CliRunner()
    assert runner.invoke(cli, ["diff", str(data_copy), str(data_copy)]).output == "no changes\n"
    result = runner.invoke(cli, ["diff", str(data_copy)])
    assert result.exit_code == 2 and "give OLD and NEW folders, or --rev REV" in result.output


def _git(repo, *args):
    subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
                   cwd=repo, check=True, capture_output=True)


def test_diff_against_a_git_revision(tmp_path, data_copy):
    repo = tmp_path / "repo"
    shutil.copytree(data_copy, repo / "data")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "data")
    ds = graph.load_dataset(repo / "data")
    ds.entities["catl"] = dataclasses.replace(ds.entities["catl"], kind="cell-maker")
    write_dataset(ds, repo / "data")
    (change,) = diff_rev("HEAD", repo / "data")
    assert (change.id, change.fields) == ("catl", {"kind": ("battery-maker", "cell-maker")})
    result = CliRunner().invoke(cli, ["diff", "--rev", "HEAD", "--data", str(repo / "data")])
    assert result.exit_code == 0
    assert "catl" in result.output and "cell-maker" in result.output
    result = CliRunner().invoke(cli, ["diff", "--rev", "nope", "--data", str(repo / "data")])
    assert result.exit_code == 1
    assert result.output == f"Error: unknown git revision 'nope' in {repo}\n"
