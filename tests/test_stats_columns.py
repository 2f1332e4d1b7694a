"""`autograph stats` of a large dataset from its checked columns
(graph.analysis.summary_columns): the same bytes as the networkx path in every format,
including the date range's ties, which follow the order networkx walks the edges in."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph import dataset
from graph.analysis import summary_columns
from graph.cli import cli
from graph.resources import bundled_dir
from graph.synthetic import industry_network, write_dataset


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return write_dataset(industry_network(2000, 10000, seed=7),
                         tmp_path_factory.mktemp("stats") / "data")


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# Relations put before the bundled ones, (source, target, date, asOf, deal, sources), and
# deals added after the bundled ones, (id, date, parties).
# Entity order in data/entities.csv: volvo-cars, geely, audi, skoda, van-hool, toyota,
# paccar, catl, xpeng, bmw. Each case's range ends at the date given with it; a walk in file
# order, or without grouping by target, or other mutations, would give the other one.
TIES = {
    # the earliest start (1990-01-01) is first met at audi's edges, though bmw's is first
    # in the file; audi -> toyota is dated by its earliest source, the first listed of two
    # equally early ones; volvo-cars' asOf does not count where it has a date
    "walk": ([("bmw", "catl", "", "1990", "", "ref-2020"),
              ("volvo-cars", "geely", "2001", "1990-01-01", "", "ref-2020"),
              ("audi", "toyota", "", "", "", "ref-2020|ref-1990-01|ref-1990"),
              ("audi", "skoda", "1990-01-01", "", "", "ref-2020")],
             [], ["1990-01", "2026-12"]),
    # the latest start (2030-01-01) is last met at toyota -> xpeng: toyota's edges to catl
    # come first in the walk, both of them; audi's edge, last in the file, comes before
    "pairs": ([("toyota", "catl", "2030-01", "", "", "ref-2020"),
               ("toyota", "xpeng", "2030", "", "", "ref-2020"),
               ("toyota", "catl", "2030-01-01", "", "", "ref-2020"),
               ("audi", "bmw", "2030-01", "", "", "ref-2020")],
              [], ["1996", "2030"]),
    # geely's PARTY_TO edge to deal-early (1989-01) comes before its relations; toyota's
    # relation of deal-late inherits the deal's 2032 and is the last of that start; geely,
    # named twice in deal-early, has one PARTY_TO edge to it, as networkx keeps one per key
    "deal": ([("geely", "paccar", "1989", "", "", "ref-2020"),
              ("toyota", "catl", "2032-01", "", "", "ref-2020"),
              ("toyota", "van-hool", "", "", "deal-late", "ref-2020")],
             [("deal-early", "1989-01", "geely:partner|skoda:partner|geely:lead"),
              ("deal-late", "2032", "van-hool:partner|toyota:partner")],
             ["1989-01", "2032"]),
}


@pytest.fixture(params=list(TIES))
def ties(request, tmp_path) -> tuple[Path, list[str], int]:
    """The bundled data with relations, sources and deals that tie at the range's ends."""
    extra, new_deals, expected = TIES[request.param]
    folder = tmp_path / "data"
    shutil.copytree(bundled_dir("data"), folder, ignore=shutil.ignore_patterns("*.md"))
    fields, sources = _rows(folder / "sources.csv")
    reference = next(s for s in sources if s["kind"] == "reference")
    sources += [{**reference, "id": f"ref-{date}", "date": date, "dateBasis": "published"}
                for date in ("2020", "1990-01", "1990")]
    _write(folder / "sources.csv", fields, sources)
    fields, deals = _rows(folder / "deals.csv")
    deals += [{**deals[1], "id": did, "name": did, "date": date, "sources": "ref-2020",
               "parties": parties} for did, date, parties in new_deals]
    _write(folder / "deals.csv", fields, deals)
    fields, relations = _rows(folder / "relations.csv")
    added = [{**relations[0], "id": f"tie-{i}", "type": "PARTNERS_WITH", "source": u,
              "target": v, "date": date, "asOf": as_of, "deal": deal, "sources": cited,
              "status": "active", "endDate": "", "disputedBy": ""}
             for i, (u, v, date, as_of, deal, cited) in enumerate(extra)]
    _write(folder / "relations.csv", fields, added + relations)
    assert graph.validate_dataset(folder) == []
    return folder, expected, 12 + 2 * len(new_deals)  # each new deal has two parties


def _stats_both(monkeypatch, folder: Path, fmt: str) -> tuple[str, str]:
    """`stats` from the columns (forced at any size) and from the networkx graph."""
    runner = CliRunner()
    monkeypatch.setenv("AUTOGRAPH_CACHE", "off")  # a cached read adds a note to one side
    args = ["stats", "--data", str(folder), "--format", fmt]
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    made = []
    real = summary_columns.summarize_columns
    monkeypatch.setattr(summary_columns, "summarize_columns",
                        lambda f: made.append(real(f)) or made[-1])
    fast = runner.invoke(cli, args)
    assert fast.exit_code == 0, fast.output
    assert made and made[0] is not None, "the summary did not come from the columns"
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)
    slow = runner.invoke(cli, args)
    assert slow.exit_code == 0, slow.output
    assert len(made) == 1
    assert fast.stderr == slow.stderr
    return fast.stdout, slow.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_stats_from_the_columns_are_the_same_bytes(which, fmt, synthetic, monkeypatch):
    folder = bundled_dir("data") if which == "bundled" else synthetic
    fast, slow = _stats_both(monkeypatch, folder, fmt)
    assert fast == slow


def test_the_bundled_summary_counts_deals_and_their_parties(monkeypatch):
    fast, _ = _stats_both(monkeypatch, bundled_dir("data"), "json")
    summary = json.loads(fast)
    assert summary["labels"]["Deal"] == 5
    assert summary["types"]["PARTY_TO"] == 12
    assert summary["disputed"] > 0


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_the_date_range_breaks_ties_as_networkx_walks_the_edges(ties, fmt, monkeypatch):
    folder, expected, party_edges = ties
    fast, slow = _stats_both(monkeypatch, folder, fmt)
    assert fast == slow
    if fmt == "json":
        summary = json.loads(fast)
        assert summary["dateRange"] == expected
        assert summary["types"]["PARTY_TO"] == party_edges


def test_an_invalid_dataset_is_reported_as_validate_reports_it(data_copy, monkeypatch):
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    path = data_copy / "relations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",geely,volvo-cars,", ",geely,tesla,", 1), encoding="utf-8")
    runner = CliRunner()
    stats = runner.invoke(cli, ["stats", "--data", str(data_copy)])
    validate = runner.invoke(cli, ["validate", "--data", str(data_copy)])
    assert stats.exit_code == validate.exit_code == 1
    assert "unknown entity id 'tesla'" in stats.output
    assert stats.output == validate.output
