"""The cache of validated datasets: used for unchanged files (and said so on stderr), never
for edited ones, and never in place of a validation that would fail.

A large dataset the columnar check reads is built from its columns, about as fast as from
the cache, and is not cached; the cache keeps those the Python reader has to read. The
fixture's entities.csv starts with a byte order mark (as a spreadsheet saves it), which the
Python reader accepts and the columnar check leaves to it."""

from __future__ import annotations

import os
import subprocess

import pytest

from graph import DataValidationError, columnar, load_dataset, validate_dataset
from graph.dataset import CACHE_MIN_BYTES
from graph.synthetic import industry_network, write_dataset

from helpers import replace_in

NOTE = "read from the cache"


@pytest.fixture
def big(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AUTOGRAPH_CACHE", raising=False)
    folder = write_dataset(industry_network(3000, 15000, seed=2), tmp_path / "data")
    assert sum(f.stat().st_size for f in folder.glob("*.csv")) >= CACHE_MIN_BYTES
    entities = folder / "entities.csv"
    entities.write_bytes(b"\xef\xbb\xbf" + entities.read_bytes())
    assert not columnar.check(folder).clean
    return folder


def test_a_dataset_the_columns_read_is_built_from_them_not_cached(big, capsys):
    entities = big / "entities.csv"
    entities.write_bytes(entities.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    first = load_dataset(big)
    assert not list((big.parent / "cache").glob("dataset-*.marshal"))
    assert load_dataset(big).relations == first.relations
    assert NOTE not in capsys.readouterr().err


def test_a_second_read_of_unchanged_files_comes_from_the_cache(big, capsys):
    first = load_dataset(big)
    assert NOTE not in capsys.readouterr().err
    assert list((big.parent / "cache").glob("dataset-*.marshal"))
    second = load_dataset(big)
    assert NOTE in capsys.readouterr().err
    assert second.relations == first.relations and second.entities == first.entities
    assert second.sources == first.sources and second.path == big
    assert [e.properties for e in second.entities.values()] == [
        e.properties for e in first.entities.values()]


def test_an_edit_is_never_served_stale(big, capsys):
    load_dataset(big)
    # same length, so size alone would not tell
    replace_in(big / "entities.csv", ",Company 1,", ",Company X,")
    assert load_dataset(big).entities["company-1"].name == "Company X"
    assert NOTE not in capsys.readouterr().err
    replace_in(big / "entities.csv", "company-1,Company,", "company-1,Firmaa,")
    with pytest.raises(DataValidationError, match="unknown label 'Firmaa'"):
        load_dataset(big)
    assert validate_dataset(big) != []


def test_the_cli_says_when_it_used_the_cache_and_can_bypass_it(big, autograph_exe):
    # the Python reader reads this dataset (a byte order mark): every command uses the cache
    env = {**os.environ}
    runs = [subprocess.run([autograph_exe, "stats", "--data", str(big)], env=env,
                           capture_output=True, text=True) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout and "Company" in runs[0].stdout
    assert NOTE not in runs[0].stderr and NOTE in runs[1].stderr
    off = subprocess.run([autograph_exe, "stats", "--data", str(big)],
                         env={**env, "AUTOGRAPH_CACHE": "off"}, capture_output=True, text=True)
    assert off.returncode == 0 and NOTE not in off.stderr
    valid = subprocess.run([autograph_exe, "validate", "--data", str(big)], env=env,
                           capture_output=True, text=True)
    assert valid.returncode == 0 and NOTE in valid.stderr  # the columns left it to Python
    ds = load_dataset(big)
    assert valid.stdout == (f"ok: {len(ds.entities)} entities, {len(ds.relations)} relations, "
                            f"{len(ds.deals)} deals, {len(ds.sources)} sources\n")


def test_a_damaged_cache_file_is_ignored(big, capsys):
    first = load_dataset(big)
    (cache,) = (big.parent / "cache").glob("dataset-*.marshal")
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])
    assert load_dataset(big).relations == first.relations
    assert NOTE not in capsys.readouterr().err
