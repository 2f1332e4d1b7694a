"""The CLI in-process (CliRunner) and as the installed console script in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import click
from click.testing import CliRunner

from graph.cli import cli

from helpers import bundled_size, ok_line, run_cli


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


def test_every_command_has_help_with_an_example():
    for path, cmd in _commands(cli):
        assert cmd.help, path
        if not isinstance(cmd, click.Group):
            assert "Example:" in cmd.help, path
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path


def test_stats_table_and_json():
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 0
    assert "Company       22" in result.output
    assert "dates: 1996 .. 2026-12" in result.output
    data = json.loads(CliRunner().invoke(cli, ["stats", "--format", "json"]).output)
    assert data["labels"]["Company"] == 22 and data["types"]["SIGNED_MOU"] == 3
    assert data["statuses"] == {"active": 154, "ended": 2, "planned": 30}
    assert data["labels"]["Deal"] == 5 and data["types"]["PARTY_TO"] == 12


def test_export_json_is_the_node_link_contract(tmp_path):
    out = tmp_path / "g.json"
    result = CliRunner().invoke(cli, ["export", "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {"nodes", "edges", "graph", "directed", "multigraph"} <= set(data)
    node = next(n for n in data["nodes"] if n["id"] == "catl")
    assert {"id", "label", "name", "aliases", "evBatteryRank"} <= set(node)
    edge = next(e for e in data["edges"] if e["key"] == "vw-mou-catl")
    assert (edge["source"], edge["target"], edge["type"]) == ("volkswagen-group", "catl",
                                                              "SIGNED_MOU")
    assert {"sources", "evidence", "status", "confidence", "deal"} <= set(edge)


def test_unknown_entity_names_closest_matches():
    result = CliRunner().invoke(cli, ["export", "--focus", "Volkswagn"])
    assert result.exit_code == 1
    assert result.output == "Error: unknown entity 'Volkswagn'; did you mean volkswagen-group?\n"


def test_usage_errors_exit_2():
    result = CliRunner().invoke(cli, ["stats", "--format", "xml"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_installed_console_script_runs(autograph_exe, tmp_path):
    """A real subprocess of the installed `autograph`, from an unrelated folder."""
    result = run_cli(autograph_exe, "validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ok_line()
    bad = run_cli(autograph_exe, "validate", "--data", str(tmp_path), cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.startswith("Error: 4 problems in the dataset:\n")
    assert f"{tmp_path / 'entities.csv'}: file: file not found" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_python_dash_m_graph_is_the_same_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "graph", "stats", "--format", "json"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["nodes"] == bundled_size()[0]
