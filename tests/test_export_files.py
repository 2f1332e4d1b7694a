"""Output files (issue 17, findings 8, 9 and 10): atomic writes, no silent overwrite, clear
errors for bad paths, escaping of hostile values, no empty exports."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import signal
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph import atomic
from graph.cli import cli
from graph.errors import OutputError
from graph.export import neo4j_tables, select, to_mermaid, to_text

from helpers import run_cli


def _export(*args: str):
    return CliRunner().invoke(cli, ["export", *args])


# -- refuse to overwrite, --force replaces ---------------------------------------------------

def test_an_existing_file_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "g.json"
    out.write_text("precious")
    result = _export("--focus", "catl", "-o", str(out))
    assert (result.exit_code, result.output) == (1, f"Error: {out} exists; pass --force to "
                                                    "replace it\n")
    assert out.read_text() == "precious"
    forced = _export("--focus", "catl", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert json.loads(out.read_text())["nodes"]
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]  # no temporary file left


def test_replaced_file_keeps_its_permissions(tmp_path):
    out = tmp_path / "g.dot"
    out.write_text("old")
    out.chmod(0o640)
    assert _export("--format", "dot", "-o", str(out), "--force").exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("target,message", [
    ("", "Error: the output path is empty; give a file name, e.g. -o graph.json\n"),
    ("missing/dir/x.json", "Error: cannot write the file missing/dir/x.json: the folder "
     "{cwd}/missing/dir does not exist; create it first\n"),
    ("somedir", "Error: somedir is a folder; give a file name, e.g. -o somedir/graph.json\n"),
    ("/dev/full", "Error: cannot write /dev/full: No space left on device\n"),
    ("/sys/autograph.json", "Error: cannot write /sys/autograph.json: permission denied "
     "(a read-only location?)\n"),
])
def test_bad_output_paths_give_one_clear_error(tmp_path, monkeypatch, target, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "somedir").mkdir()
    result = _export("--focus", "catl", "-o", target)
    assert (result.exit_code, result.output) == (1, message.format(cwd=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["somedir"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_gives_a_clear_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o555)
    result = _export("-o", str(folder / "g.json"))
    assert result.output == (f"Error: cannot write {folder / 'g.json'}: permission denied "
                             "(a read-only location?)\n")


def test_a_special_file_is_written_directly(tmp_path):
    """A pipe or /dev/stdout cannot be renamed over: it is written as it is."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = _export("--focus", "catl", "--format", "dot", "-o", str(fifo))
    out = reader.communicate(timeout=60)[0].decode()
    assert result.exit_code == 0, result.output
    assert out.startswith("digraph autograph {")


# -- nothing half-written ----------------------------------------------------------------------

def _limited(max_bytes: int):
    """Run a child with a file-size limit: a write past *max_bytes* fails (EFBIG), as a full
    disk or quota would, half-way through the file."""
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return preexec


def test_a_failed_write_leaves_the_old_file_intact(autograph_exe, tmp_path):
    out = tmp_path / "good.json"
    assert run_cli(autograph_exe, "export", "--focus", "catl", "-o", str(out)).returncode == 0
    good = out.read_text()
    result = subprocess.run([autograph_exe, "export", "-o", str(out), "--force"],
                            capture_output=True, text=True, timeout=300,
                            preexec_fn=_limited(len(good.encode()) + 10))
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot write {out}: File too large\n"
    assert out.read_text() == good
    assert [p.name for p in tmp_path.iterdir()] == ["good.json"]


def test_a_failed_csv_folder_export_is_never_half_old_half_new(autograph_exe, tmp_path):
    G = graph.load_graph()
    old, new = select(G, rel_types=("SUPPLIES",)), G
    folder = tmp_path / "csv"
    assert run_cli(autograph_exe, "export", "--rel-type", "SUPPLIES", "--format", "csv",
                   "-o", str(folder)).returncode == 0
    before = {p.name: p.read_text() for p in folder.iterdir()}
    tables = neo4j_tables(new)
    limit = len(tables["nodes.csv"].encode()) + 100  # nodes.csv fits, relationships.csv not
    assert len(tables["relationships.csv"].encode()) > limit > max(
        len(t.encode()) for t in neo4j_tables(old).values())
    result = subprocess.run([autograph_exe, "export", "--format", "csv", "-o", str(folder),
                             "--force"], capture_output=True, text=True, timeout=300,
                            preexec_fn=_limited(limit))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot write {folder}: File too large")
    assert {p.name: p.read_text() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]


def test_a_csv_folder_is_replaced_whole_and_foreign_files_are_kept(tmp_path):
    folder = tmp_path / "out"
    assert _export("--format", "csv", "-o", str(folder)).exit_code == 0
    again = _export("--format", "csv", "-o", str(folder))
    assert again.output == f"Error: {folder} exists; pass --force to replace it\n"
    forced = _export("--rel-type", "SUPPLIES", "--format", "csv", "-o", str(folder), "--force")
    assert forced.exit_code == 0, forced.output
    rows = list(csv.reader((folder / "relationships.csv").open()))
    assert {r[2] for r in rows[1:]} == {"SUPPLIES"}
    (folder / "notes.txt").write_text("mine")
    refused = _export("--format", "csv", "-o", str(folder), "--force")
    assert refused.output == (f"Error: {folder} holds files autograph did not write "
                              "(notes.txt); choose a new folder\n")
    assert (folder / "notes.txt").read_text() == "mine"


def test_interrupted_write_leaves_nothing(tmp_path):
    target = tmp_path / "x.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic.atomic_file(target, force=True) as f:
            f.write("half")
            raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]
    with pytest.raises(OutputError, match="exists; pass --force"):
        atomic.write_bytes(target, b"new")


def test_map_output_is_atomic_and_not_overwritten_without_force(tmp_path):
    out = tmp_path / "m.html"
    out.write_text("precious")
    refused = CliRunner().invoke(cli, ["map", "--country", "BE", "-o", str(out)])
    assert (refused.exit_code, refused.output) == (
        1, f"Error: {out} exists; pass --force to replace it\n")
    assert out.read_text() == "precious"
    missing = CliRunner().invoke(cli, ["map", "-o", str(tmp_path / "no" / "m.html")])
    assert missing.output.startswith("Error: cannot write the file ")
    forced = CliRunner().invoke(cli, ["map", "--country", "BE", "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert out.read_text().startswith("<!DOCTYPE html>") or "<html" in out.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["m.html"]


# -- empty graphs ---------------------------------------------------------------------------

@pytest.fixture
def empty_data(data_copy):
    for path in data_copy.glob("*.csv"):
        header = path.read_text(encoding="utf-8").splitlines()[0]
        path.write_text(header + "\n", encoding="utf-8")
    return data_copy


@pytest.mark.parametrize("fmt", ["json", "csv", "graphml"])
def test_an_empty_dataset_is_an_error_not_an_empty_file(empty_data, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    result = _export("--data", str(empty_data), "--format", fmt, "-o", str(out))
    assert (result.exit_code, result.output) == (
        1, "Error: nothing to export: the graph has no entities (is the dataset empty? see "
           "autograph stats)\n")
    assert not out.exists()


# -- hostile values ---------------------------------------------------------------------------

CONTROL = "ctl\x0b\x0c\x1b\x00end"


def _with_control_characters():
    G = select(graph.load_graph(), focus="catl", hops=1).copy()
    G.nodes["catl"]["name"] = CONTROL
    G.edges["catl", "volkswagen-group", "catl-supplies-vw"]["evidence"] = CONTROL
    return G


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_are_well_formed_whatever_the_values_hold(fmt):
    text = to_text(_with_control_characters(), fmt)
    root = ET.fromstring(text.encode("utf-8"))
    values = {e.text for e in root.iter() if e.text} | {
        v for e in root.iter() for v in e.attrib.values()}
    assert "ctl\ufffd\ufffd\ufffd\ufffdend" in values


def test_csv_cells_cannot_start_a_spreadsheet_formula():
    G = select(graph.load_graph(), focus="catl", hops=1).copy()
    G.nodes["catl"]["name"] = "=HYPERLINK(\"http://x\",\"y\")"
    G.nodes["catl"]["aliases"] = ["+1+1", "@SUM(A1)", "-2", "\tTab", "\rCR", "fine"]
    G.nodes["catl"]["foundedYear"] = -5  # a number stays a number
    tables = neo4j_tables(G)
    rows = list(csv.DictReader(io.StringIO(tables["nodes.csv"], newline="")))
    catl = next(r for r in rows if r["id:ID"] == "catl")
    assert catl["name"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert catl["aliases:string[]"] == "'+1+1;'@SUM(A1);'-2;'\tTab;'\rCR;fine"
    assert catl["foundedYear:long"] == "-5"
    raw = neo4j_tables(G, escape_formulas=False)["nodes.csv"]
    assert '"=HYPERLINK(' in raw


def test_cli_keep_formulas(tmp_path):
    out = tmp_path / "csv"
    assert _export("--format", "csv", "-o", str(out), "--keep-formulas").exit_code == 0
    assert (out / "nodes.csv").exists()


def test_mermaid_does_not_turn_entity_codes_into_markup():
    G = select(graph.load_graph(), focus="catl", hops=1).copy()
    G.nodes["catl"]["name"] = "#lt;b#gt;bold#lt;/b#gt; #quot; `md` #35;"
    line = next(x for x in to_mermaid(G).splitlines() if '["' in x and "bold" in x)
    assert line.endswith('["#35;lt;b#35;gt;bold#35;lt;/b#35;gt; #35;quot; #96;md#96; '
                         '#35;35;"]')


def test_dot_keeps_graphviz_escapes_as_text():
    G = select(graph.load_graph(), focus="catl", hops=1).copy()
    G.nodes["catl"]["name"] = 'a \\N \\G "q" <b>x</b>\x00'
    dot = to_text(G, "dot")
    assert '[label="a \\\\N \\\\G \\"q\\" <b>x</b>\ufffd"' in dot


def test_symmetric_types_have_no_arrow_in_diagrams():
    G = select(graph.load_graph(), focus="volkswagen-group", hops=1)
    dot = to_text(G, "dot")
    assert '"volkswagen-group" -> "catl" [label="SIGNED_MOU", dir=none];' in dot
    assert '---|"SIGNED_MOU"|' in to_mermaid(G)


def test_the_output_module_is_importable_from_graph_export():
    """graph.export stays the import path after the split into one module per format."""
    import graph.export as export

    assert set(export.FORMATS) == {"json", "cytoscape", "graphml", "gexf", "cypher", "mermaid",
                                   "dot", "csv"}
    assert Path(export.__file__).parent.name == "export"
