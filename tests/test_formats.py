"""Dataset formats, `autograph upgrade` and `autograph init`, on the real first-release data.

``tests/fixtures/format-1`` is the dataset of the first release, as git history holds it
(``git show d4bca32:data/``): sources without grades, deal ids without a deals.csv, bases as
LOCATED_IN.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import formats, resources
from graph.cli import cli
from graph.dataset import load_dataset, validate_dataset
from graph.errors import AutographError
from helpers import failing_replace, run_cli

FIRST_RELEASE = Path(__file__).parent / "fixtures" / "format-1"
NOTE = "is in dataset format 1"


@pytest.fixture
def old(tmp_path) -> Path:
    folder = tmp_path / "old"
    shutil.copytree(FIRST_RELEASE, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_first_release_is_format_1_and_the_bundled_data_is_current():
    assert formats.dataset_format(FIRST_RELEASE) == 1
    from graph.resources import bundled_dir
    assert formats.dataset_format(bundled_dir("data")) == formats.CURRENT


def test_read_only_commands_work_on_the_first_release_with_one_note(old, autograph_exe):
    before = {p.name: p.read_bytes() for p in old.iterdir()}
    valid = run_cli(autograph_exe, "validate", "--data", str(old))
    assert valid.returncode == 0, valid.stderr
    assert valid.stderr.count(NOTE) == 1
    assert f"`autograph upgrade {old}` brings it up to date" in valid.stderr
    assert valid.stdout.startswith(f"ok: {len(rows(old, 'entities.csv'))} entities, "
                                   f"{len(rows(old, 'relations.csv'))} relations")
    assert "warning: " in valid.stderr  # ungraded sources, actors without a base
    for args in (["stats"], ["analyze", "centrality", "--top", "3"], ["disputed"]):
        result = run_cli(autograph_exe, *args, "--data", str(old))
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr.count(NOTE) == 1, args
    strict = run_cli(autograph_exe, "validate", "--strict", "--data", str(old))
    assert strict.returncode == 1 and "has no base" in strict.stderr
    assert {p.name: p.read_bytes() for p in old.iterdir()} == before  # nothing written


def test_upgrade_fills_honest_defaults_keeps_every_row_and_validates(old):
    before = {name: rows(old, name) for name in
              ("sources.csv", "entities.csv", "relations.csv", "properties.csv")}
    result = CliRunner().invoke(cli, ["upgrade", str(old)])
    assert result.exit_code == 0, result.output
    assert "graded F (cannot be judged) with the note 'not graded'" in result.output
    assert "became HEADQUARTERED_IN" in result.output
    assert "deal 'deal-tyre-recycling' declared" in result.output
    assert formats.dataset_format(old) == formats.CURRENT
    assert (old / "dataset.toml").read_text(encoding="utf-8") == formats.manifest_text()
    # no row lost: the same ids, and every property row kept somewhere
    for name in ("sources.csv", "entities.csv", "relations.csv"):
        assert [r["id"] for r in rows(old, name)] == [r["id"] for r in before[name]]
    unplaced = rows(old, formats.UNPLACED)
    assert len(rows(old, "properties.csv")) + len(unplaced) == len(before["properties.csv"])
    assert all(s["reliability"] == "F" and "not graded" in s["reliabilityNote"]
               for s in rows(old, "sources.csv"))
    # a file the upgrade has nothing to change in stays byte for byte
    assert (old / "entities.csv").read_bytes() == (FIRST_RELEASE / "entities.csv").read_bytes()
    problems = validate_dataset(old)
    assert [p for p in problems if not p.warning] == []
    assert {p.warning for p in problems} <= {"base", "country", "isolated", "ungraded"}
    deals = load_dataset(old).deals
    assert {d for r in before["relations.csv"] if (d := r["deal"])} == set(deals)
    # a second upgrade changes nothing
    files = {p.name: p.read_bytes() for p in old.iterdir()}
    again = CliRunner().invoke(cli, ["upgrade", str(old)])
    assert again.exit_code == 0 and "already up to date" in again.output
    assert {p.name: p.read_bytes() for p in old.iterdir()} == files


def _files(folder: Path) -> dict[str, bytes]:
    """The dataset's files and their bytes (not the lock file or a journal)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def test_a_failed_upgrade_leaves_the_folder_as_it_was(old, monkeypatch):
    before = _files(old)
    failing_replace(monkeypatch, 1)
    with pytest.raises(AutographError, match="no space left on the device; it is unchanged"):
        formats.upgrade(old)
    monkeypatch.undo()
    resources.data_dir(old)  # what the next command does first
    assert _files(old) == before


def test_an_upgrade_that_fails_after_its_commit_is_completed_by_the_next_command(
        old, tmp_path, monkeypatch):
    clean = tmp_path / "clean"
    shutil.copytree(old, clean)
    formats.upgrade(clean)
    failing_replace(monkeypatch, 3)
    with pytest.raises(AutographError, match="committed but not yet in place"):
        formats.upgrade(old)
    monkeypatch.undo()
    resources.data_dir(old)  # what the next command does first
    assert _files(old) == _files(clean)


def test_a_manifest_names_its_format_or_is_refused(tmp_path, data_copy):
    (data_copy / "dataset.toml").write_text("format = 9\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["stats", "--data", str(data_copy)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {data_copy / 'dataset.toml'}:1: format: 9 is not a "
                             "dataset format (1, 2); a newer autograph wrote it: upgrade "
                             "autograph\n")


def test_init_copies_the_bundled_data_or_starts_empty_and_is_the_default(tmp_path,
                                                                         autograph_exe):
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRAPH_DATA"}
    made = run_cli(autograph_exe, "init", cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "data" / "dataset.toml").is_file()
    again = run_cli(autograph_exe, "init", cwd=tmp_path, env=env)
    assert again.returncode == 1
    assert again.stderr.startswith("Error: data exists and is not empty")
    # commands run there use ./data: an entity added there is seen without --data
    with open(tmp_path / "data" / "entities.csv", "a", encoding="utf-8") as fh:
        fh.write("atlantis,Country,Atlantis,,country,AQ,\n")
    stats = run_cli(autograph_exe, "validate", cwd=tmp_path, env=env)
    assert "Country 'atlantis' is isolated" in stats.stderr
    empty = run_cli(autograph_exe, "init", "mine", "--empty", cwd=tmp_path, env=env)
    assert empty.returncode == 0
    valid = run_cli(autograph_exe, "validate", cwd=tmp_path,
                    env={**env, "AUTOGRAPH_DATA": str(tmp_path / "mine")})
    assert valid.stdout == "ok: 0 entities, 0 relations, 0 deals, 0 sources\n"


def test_upgrade_refuses_a_row_it_would_have_to_guess_about(old):
    path = old / "relations.csv"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text[3] = text[3].rstrip("\n") + ",stray\n"
    path.write_text("".join(text), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in old.iterdir()}
    result = CliRunner().invoke(cli, ["upgrade", str(old)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:4: row: has 12 fields, the header has 11; fix it, "
                             "then run the upgrade again\n")
    assert {p.name: p.read_bytes() for p in old.iterdir()} == before
