"""The columnar check (graph.columnar), the fast path of `validate`: clean on valid datasets,
never clean where the Python reader finds a problem, and `validate` says the same either way."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import DataValidationError, columnar, dataset, schema
from graph.cli import cli
from graph.resources import bundled_dir
from graph.synthetic import industry_network, write_dataset

from helpers import ok_line, run_cli


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory) -> Path:
    return write_dataset(industry_network(300, 1200, seed=3),
                         tmp_path_factory.mktemp("synthetic") / "data")


@pytest.fixture(params=["bundled", "synthetic"])
def folder(request, tmp_path, synthetic) -> Path:
    origin = bundled_dir("data") if request.param == "bundled" else synthetic
    target = tmp_path / "data"
    shutil.copytree(origin, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def python_problems(folder: Path) -> list[str]:
    """What the Python reader reports (no cache, no columnar check)."""
    return [str(p) for p in dataset._read_all(folder)[1]]


def test_python_whitespace_is_what_str_strip_removes():
    assert columnar.PY_WHITESPACE == "".join(
        c for c in map(chr, range(0x110000)) if c.isspace())


# --- valid datasets -------------------------------------------------------------------------

def assert_same_records(built: dataset.Dataset, read: dataset.Dataset) -> None:
    """Equal records in the same order, every field (properties too) of the same type."""
    for name in ("sources", "entities", "relations", "deals"):
        ours, theirs = getattr(built, name), getattr(read, name)
        assert list(ours) == list(theirs), name
        for key, record in ours.items():
            other = theirs[key]
            assert record.__dict__ == other.__dict__, (name, key)
            assert ({f: type(v) for f, v in record.__dict__.items()}
                    == {f: type(v) for f, v in other.__dict__.items()}), (name, key)
            for key_, value in getattr(record, "properties", {}).items():
                assert type(value) is type(other.properties[key_]), (name, key, key_)


def test_valid_datasets_are_clean_with_their_counts(folder):
    verdict = columnar.check(folder)
    assert verdict.clean, verdict.doubt
    ds = dataset._read_all(folder)[0]
    assert verdict.counts == {"entities": len(ds.entities), "relations": len(ds.relations),
                              "deals": len(ds.deals), "sources": len(ds.sources)}


def test_the_checked_tables_know_each_relations_ends_by_entity_row(folder):
    """Tables.ends, which the full view is built from, points at the entity each end names
    (in file order, blank rows and padding left out as the reader leaves them)."""
    rows = dataset._read_all(folder)[0]
    tables = columnar.checked_tables(folder)
    ids = list(rows.entities)
    for end in ("source", "target"):
        assert [ids[i] for i in tables.ends[end].to_list()] == [
            getattr(r, end) for r in rows.relations.values()], end


def test_records_built_from_the_columns_are_those_the_python_reader_builds(folder):
    assert_same_records(columnar.read_dataset(folder), dataset._read_all(folder)[0])


def _crlf_with_blank_lines(folder: Path) -> None:
    for path in folder.glob("*.csv"):
        lines = path.read_bytes().split(b"\n")
        lines.insert(2, b"")
        lines.insert(4, b" , ")
        path.write_bytes(b"\r\n".join(lines))


def _whitespace_python_strips(folder: Path) -> None:
    # \x1c is whitespace to str.strip() (not to Unicode); U+2028 and NEL are data in a line
    rows = _rows(folder, "entities.csv")
    rows[0]["id"] = "\x1c" + rows[0]["id"] + "\u2028"
    rows[1]["name"] = " " + rows[1]["name"] + "\x85\t"
    rows[2]["description"] = "one\u2028two\x0cthree"
    _save(folder, "entities.csv", rows)


def _quoted_values(folder: Path) -> None:
    rows = _rows(folder, "relations.csv")
    rows[0]["evidence"] = 'says "yes", twice, "really"'
    _save(folder, "relations.csv", rows, quoting=csv.QUOTE_ALL)


def _without_deals_file(folder: Path) -> None:
    rows = _rows(folder, "relations.csv")
    if any(r["deal"] for r in rows):
        pytest.skip("this dataset has deals")
    (folder / "deals.csv").unlink()


def _columns_reordered_and_optional_ones_left_out(folder: Path) -> None:
    rows = _rows(folder, "entities.csv")
    fields = ["name", "label", "id", "country"]
    _save(folder, "entities.csv", [{f: r[f] for f in fields} for r in rows], fields=fields)
    for r in _rows(folder, "entities.csv"):
        assert "aliases" not in r


@pytest.mark.parametrize("change", [_crlf_with_blank_lines, _whitespace_python_strips,
                                    _quoted_values, _without_deals_file,
                                    _columns_reordered_and_optional_ones_left_out])
def test_valid_variants_the_python_reader_accepts_are_clean(folder, change):
    change(folder)
    assert python_problems(folder) == []
    verdict = columnar.check(folder)
    assert verdict.clean, verdict.doubt
    assert_same_records(columnar.read_dataset(folder), dataset._read_all(folder)[0])


# --- broken datasets: every single-field mutation ---------------------------------------------

def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _save(folder: Path, name: str, rows: list[dict[str, str]], fields=None,
          quoting=csv.QUOTE_MINIMAL) -> None:
    if fields is None:
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            fields = next(csv.reader(fh))
    with (folder / name).open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fields, lineterminator="\n", quoting=quoting)
        out.writeheader()
        out.writerows(rows)


def _first(rows, **where) -> int:
    for i, row in enumerate(rows):
        if all((v(row[k]) if callable(v) else row[k] == v) for k, v in where.items()):
            return i
    pytest.skip(f"no row with {where}")


def edit(name: str, field: str, value, **where):
    """Set *field* of the first row matching *where* (value may be a function of the row)."""
    def change(folder: Path) -> None:
        rows = _rows(folder, name)
        i = _first(rows, **where)
        rows[i][field] = value(rows, rows[i]) if callable(value) else value
        _save(folder, name, rows)
    change.__name__ = f"{name}:{field}={value if not callable(value) else 'f'}"
    return change


def append(name: str, **values):
    """Append a row; a callable value is computed from the folder's entities and relations."""
    def change(folder: Path) -> None:
        ctx = {"entities": _rows(folder, "entities.csv"),
               "relations": _rows(folder, "relations.csv")}
        rows = _rows(folder, name)
        rows.append({k: (v(ctx) if callable(v) else v) for k, v in values.items()})
        _save(folder, name, rows)
    change.__name__ = f"{name}+{values}"
    return change


def raw(name: str, transform, label: str):
    def change(folder: Path) -> None:
        path = folder / name
        path.write_bytes(transform(path.read_bytes()))
    change.__name__ = label
    return change


def _entity(label: str):
    return lambda ctx: ctx["entities"][_first(ctx["entities"], label=label)]["id"]


def _relation(ctx) -> str:
    return ctx["relations"][0]["id"]


def _other_entity(label: str):
    """The id of the second entity with *label*."""
    def pick(rows, row):
        ids = [r["id"] for r in rows if r["label"] == label]
        return ids[1]
    return pick


def _remove_bases(folder: Path) -> None:
    ents = _rows(folder, "entities.csv")
    actor = ents[_first(ents, label="Company")]["id"]
    rows = [r for r in _rows(folder, "relations.csv")
            if not (r["type"] == "HEADQUARTERED_IN" and r["source"] == actor)]
    _save(folder, "relations.csv", rows)


def _country_elsewhere(folder: Path) -> None:
    ents = _rows(folder, "entities.csv")
    codes = sorted({e["country"] for e in ents if e["label"] == "Country"})
    rels = _rows(folder, "relations.csv")
    hq = {r["source"] for r in rels if r["type"] == "HEADQUARTERED_IN" and not r["disputedBy"]}
    i = _first(ents, label="Company", id=lambda v: v in hq, country=lambda v: v != "")
    ents[i]["country"] = next(c for c in codes if c != ents[i]["country"])
    _save(folder, "entities.csv", ents)


def _country_elsewhere_disputed_by_nothing(folder: Path) -> None:
    """A disputedBy of only separators disputes nothing: the relation still places."""
    _country_elsewhere(folder)
    rels = _rows(folder, "relations.csv")
    for rel in rels:
        if rel["type"] == "HEADQUARTERED_IN" and not rel["disputedBy"]:
            rel["disputedBy"] = " | "
    _save(folder, "relations.csv", rels)


def _undated(folder: Path) -> None:
    rels = _rows(folder, "relations.csv")
    i = _first(rels, sources=lambda v: "|" not in v)
    rels[i]["date"] = rels[i]["asOf"] = ""
    _save(folder, "relations.csv", rels)
    srcs = _rows(folder, "sources.csv")
    j = _first(srcs, id=rels[i]["sources"])
    srcs[j]["date"] = srcs[j]["dateBasis"] = ""
    _save(folder, "sources.csv", srcs)


def _casefold_collision(folder: Path) -> None:
    ents = _rows(folder, "entities.csv")
    ents[0]["name"] = "Großwerk"
    ents[1]["aliases"] = "GROSSWERK"  # 'ß'.casefold() == 'ss'; lower() would miss it
    _save(folder, "entities.csv", ents)


def _duplicate(name: str):
    def change(folder: Path) -> None:
        rows = _rows(folder, name)
        _save(folder, name, [*rows, rows[0]])
    change.__name__ = f"{name}: a row twice"
    return change


def _duplicate_property(folder: Path) -> None:
    company = _rows(folder, "entities.csv")[_first(_rows(folder, "entities.csv"),
                                                   label="Company")]["id"]
    row = {"subject": company, "key": "employeesMin", "value": "10", "source": "synthetic"}
    _save(folder, "properties.csv", [*_rows(folder, "properties.csv"), row, row])


def _deal_part(field: str, value):
    return edit("relations.csv", field, value, deal=lambda v: v != "")


MUTATIONS = [
    # required values, ids, enumerations
    edit("entities.csv", "name", "", label="Company"),
    edit("relations.csv", "evidence", "", type="SUPPLIES"),
    edit("relations.csv", "confidence", "", type="SUPPLIES"),
    edit("sources.csv", "title", "", kind="article"),
    edit("sources.csv", "reliabilityNote", "   ", kind="article"),
    edit("properties.csv", "value", ""),
    edit("deals.csv", "parties", ""),
    edit("entities.csv", "id", "Bad_Id", label="Plant"),
    edit("relations.csv", "id", "r 1", type="SUPPLIES"),
    edit("relations.csv", "deal", "Deal X", type="SUPPLIES"),
    edit("sources.csv", "id", "-bad", kind="article"),
    _duplicate("entities.csv"),
    _duplicate("relations.csv"),
    _duplicate("sources.csv"),
    edit("entities.csv", "id", lambda rows, row: rows[-1]["id"], label="Company"),
    edit("relations.csv", "id", lambda rows, row: row["source"], type="SUPPLIES"),
    edit("deals.csv", "id", "catl"),
    edit("entities.csv", "label", "Firm", label="Technology"),
    edit("entities.csv", "label", "Deal", label="Technology"),
    edit("relations.csv", "type", "BUYS", type="SUPPLIES"),
    edit("relations.csv", "type", "PARTY_TO", type="SUPPLIES"),
    edit("relations.csv", "status", "rumoured", type="SUPPLIES"),
    edit("deals.csv", "status", "done"),
    edit("sources.csv", "kind", "blog", kind="article"),
    edit("sources.csv", "reliability", "G", kind="article"),
    edit("sources.csv", "dateBasis", "guessed", date=lambda v: v != ""),
    edit("sources.csv", "dateBasis", "", date=lambda v: v != ""),
    edit("sources.csv", "url", "", kind="reference"),
    edit("entities.csv", "country", "de", label="Company"),
    edit("entities.csv", "country", "DEU", label="Company"),
    edit("entities.csv", "country", "ZZ", label="Technology"),
    edit("entities.csv", "country", "", label="Country"),
    # dates and confidence
    edit("relations.csv", "date", "2024-02-30", type="SUPPLIES"),
    edit("relations.csv", "date", "2023-02-29", type="SUPPLIES"),
    edit("relations.csv", "date", "1900-02-29", type="SUPPLIES"),
    edit("relations.csv", "date", "２０２４", type="SUPPLIES"),
    edit("relations.csv", "date", "٢٠٢٤-01", type="SUPPLIES"),
    edit("relations.csv", "date", "2024-13", type="SUPPLIES"),
    edit("relations.csv", "date", "0000", type="SUPPLIES"),
    edit("relations.csv", "date", "2024-1", type="SUPPLIES"),
    edit("relations.csv", "date", "2024/01", type="SUPPLIES"),
    edit("relations.csv", "date", "2024-04-31", type="SUPPLIES"),
    edit("relations.csv", "date", "2024-00", type="SUPPLIES"),
    edit("relations.csv", "asOf", "2024-06-00", type="SUPPLIES"),
    edit("sources.csv", "date", "2024-02-30", kind="article"),
    edit("deals.csv", "date", "24-01-01"),
    edit("relations.csv", "endDate", "2025", status="active"),
    edit("relations.csv", "endDate", "1999", status="ended",
         date=lambda v: v != "" and v >= "2000"),
    edit("relations.csv", "confidence", "1.5", type="SUPPLIES"),
    edit("relations.csv", "confidence", "-0.1", type="SUPPLIES"),
    edit("relations.csv", "confidence", "nan", type="SUPPLIES"),
    edit("relations.csv", "confidence", "1e400", type="SUPPLIES"),
    edit("relations.csv", "confidence", "0_5", type="SUPPLIES"),
    edit("relations.csv", "confidence", "０.５", type="SUPPLIES"),
    edit("relations.csv", "confidence", "0,5", type="SUPPLIES"),
    edit("deals.csv", "confidence", "2"),
    # references between records
    edit("relations.csv", "target", "tesla-nowhere", type="SUPPLIES"),
    edit("relations.csv", "source", "tesla-nowhere", type="SUPPLIES"),
    edit("relations.csv", "type", "LOCATED_IN", type="SUPPLIES",
         source=lambda v: v.startswith("company") or v in ("catl", "volvo-cars")),
    edit("relations.csv", "type", "PRODUCES", type="PARTNERS_WITH"),
    edit("relations.csv", "target", lambda rows, row: row["source"], type="SUPPLIES"),
    edit("relations.csv", "sources", "no-such-source", type="SUPPLIES"),
    edit("relations.csv", "sources", lambda rows, row: row["sources"] + "|ghost",
         type="SUPPLIES"),
    edit("relations.csv", "sources", " | ", type="SUPPLIES"),
    edit("relations.csv", "disputedBy", "ghost", type="SUPPLIES"),
    edit("relations.csv", "disputedBy", lambda rows, row: row["sources"].split("|")[0],
         type="SUPPLIES"),
    _undated,
    edit("entities.csv", "aliases", lambda rows, row: rows[0]["name"].upper(),
         label="Company"),
    edit("entities.csv", "name", lambda rows, row: rows[0]["id"].upper(), label="Technology"),
    edit("entities.csv", "name", _other_entity("Company"), label="Plant"),
    _casefold_collision,
    # properties
    append("properties.csv", subject=_entity("Company"), key="colour", value="red",
           source="synthetic"),
    append("properties.csv", subject=_entity("Company"), key="foundedYear", value="19x5",
           source="synthetic"),
    append("properties.csv", subject=_entity("Company"), key="foundedYear", value="１９９５",
           source="synthetic"),
    append("properties.csv", subject=_entity("Company"), key="foundedYear", value="1_995",
           source="synthetic"),
    append("properties.csv", subject=_entity("Company"), key="insolvent", value="maybe",
           source="synthetic"),
    append("properties.csv", subject=_entity("Region"), key="productionValueTargetCnyBn",
           value="inf", source="synthetic"),
    append("properties.csv", subject=_entity("Region"), key="productionValueTargetCnyBn",
           value="1e999", source="synthetic"),
    append("properties.csv", subject=_relation, key="foundedYear", value="1995",
           source="synthetic"),
    append("properties.csv", subject="nobody", key="foundedYear", value="1995",
           source="synthetic"),
    append("properties.csv", subject=_entity("Company"), key="foundedYear", value="1995",
           source="ghost"),
    append("properties.csv", subject=_entity("Company"), key="foundedYear",
           value="9" * 5000, source="synthetic"),
    _duplicate_property,
    # deals
    edit("deals.csv", "parties", lambda rows, row: row["parties"] + "|ghost:partner"),
    edit("deals.csv", "parties", lambda rows, row: row["parties"] + "|catl"),
    edit("deals.csv", "parties", "catl:partner|catl:buyer"),
    edit("deals.csv", "parties", lambda rows, row: row["parties"] + "|vw-meb:partner"),
    edit("deals.csv", "sources", "ghost"),
    _deal_part("deal", "no-such-deal"),
    _deal_part("status", lambda rows, row: "announced" if row["status"] != "announced"
               else "planned"),
    _deal_part("date", "1999"),
    _deal_part("type", "OPERATES"),
    _deal_part("source", "flanders"),
    edit("relations.csv", "id", lambda rows, row: f"{row['deal']}-party-{row['source']}",
         deal=lambda v: v != ""),
    # the files themselves
    raw("entities.csv", lambda b: b.replace(b"Country", b"C\xf6untry", 1), "Latin-1 byte"),
    raw("relations.csv", lambda b: b + b"x,y\n", "a row with too few fields"),
    raw("relations.csv", lambda b: b.rstrip(b"\n") + b",extra\n", "a row with a field too many"),
    raw("relations.csv", lambda b: b.replace(b",", b",\"q\"x,", 1).replace(b"\n", b",\n", 1),
        "text after a closing quote"),
    raw("relations.csv", lambda b: b.replace(b"\n", b",note\n", 1), "an unknown column"),
    raw("relations.csv", lambda b: b.replace(b"evidence", b"proof", 1), "missing column"),
    raw("entities.csv", lambda b: b.replace(b"\n", b",name\n", 1), "a column twice"),
    raw("sources.csv", lambda b: b"", "empty file"),
    raw("sources.csv", lambda b: b"\n" + b, "blank first line"),
    raw("relations.csv", lambda b: b + b"a" * 140_000 + b"\n", "a field over the csv limit"),
    lambda folder: (folder / "properties.csv").unlink(),
]


def _name(change) -> str:
    return getattr(change, "__name__", "change")


@pytest.mark.parametrize("change", MUTATIONS, ids=[_name(m) for m in MUTATIONS])
def test_the_columnar_check_flags_what_the_python_reader_reports(folder, change):
    _register_synthetic_source(folder)
    change(folder)  # skips where the dataset has no row to change (no deals in synthetic)
    problems = python_problems(folder)
    assert problems, "the mutation should break the dataset"
    verdict = columnar.check(folder)
    assert not verdict.clean, problems


def _register_synthetic_source(folder: Path) -> None:
    """Appended property rows cite the source 'synthetic': register it in any dataset."""
    rows = _rows(folder, "sources.csv")
    if not any(r["id"] == "synthetic" for r in rows):
        rows.append({**rows[0], "id": "synthetic"})
        _save(folder, "sources.csv", rows)


def test_every_broken_dataset_of_any_test_is_cross_checked(tmp_path, monkeypatch):
    """conftest wraps the Python reader so that every dataset in which any test provokes a
    problem is also put to the columnar check; a check that said clean would fail the test."""
    monkeypatch.setattr(columnar, "check", lambda folder: columnar.Verdict({"entities": 0}))
    with pytest.raises(AssertionError, match="the columnar check passes"):
        dataset._read_all(tmp_path / "no-such-folder")


@pytest.mark.parametrize("change", [
    raw("entities.csv", lambda b: b"\xef\xbb\xbf" + b, "byte order mark"),
    raw("relations.csv", lambda b: b.replace(b"\n", b"\r", 3), "\\r alone"),
    raw("relations.csv", lambda b: b.replace(b"\n", b"\n\"a\nb\",x\n", 1), "a quoted line end"),
    raw("relations.csv", lambda b: b.replace(b",", b", \"q\",", 1).replace(b"\n", b",\n", 1),
        "a quote after a space"),
], ids=_name)
def test_what_the_columnar_check_may_read_differently_goes_to_the_python_reader(folder, change):
    change(folder)
    verdict = columnar.check(folder)
    assert not verdict.clean
    assert verdict.doubt


# --- validate says the same either way ------------------------------------------------------

@pytest.mark.parametrize("change, code", [
    (None, 0), (edit("relations.csv", "date", "2024-02-30", type="SUPPLIES"), 1),
    (_remove_bases, 0), (_country_elsewhere, 0), (_country_elsewhere_disputed_by_nothing, 0)])
@pytest.mark.parametrize("strict", [False, True])
def test_validate_output_and_exit_code_are_those_of_the_python_reader(
        folder, change, code, strict, monkeypatch):
    if change is not None:
        change(folder)
    runner = CliRunner()
    args = ["validate", "--data", str(folder), *(["--strict"] if strict else [])]
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 10 ** 12)  # the Python reader only
    before = runner.invoke(cli, args)
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)  # the columnar check first
    used = []
    check = columnar.checked_tables
    monkeypatch.setattr(columnar, "checked_tables", lambda f: used.append(f) or check(f))
    after = runner.invoke(cli, args)
    assert used
    assert (after.exit_code, after.output) == (before.exit_code, before.output)
    # a curation warning (no base, a contradicted country) is listed; --strict refuses it
    warned = change in (_remove_bases, _country_elsewhere, _country_elsewhere_disputed_by_nothing)
    assert after.exit_code == (1 if strict and warned else code)
    assert ("warning: " in after.output) == (warned and not strict)


def test_the_installed_command_validates_a_large_dataset_through_the_columns(
        tmp_path, autograph_exe, monkeypatch):
    monkeypatch.setenv("AUTOGRAPH_CACHE", "off")
    folder = write_dataset(industry_network(3000, 15000, seed=2), tmp_path / "data")
    assert sum(f.stat().st_size for f in folder.glob("*.csv")) >= dataset.COLUMNAR_MIN_BYTES
    assert columnar.check(folder).clean
    ok = run_cli(autograph_exe, "validate", "--data", str(folder))
    ds = dataset._read_all(folder)[0]
    assert (ok.returncode, ok.stderr) == (0, "")
    assert ok.stdout == (f"ok: {len(ds.entities)} entities, {len(ds.relations)} relations, "
                         f"{len(ds.deals)} deals, {len(ds.sources)} sources\n")
    edit("relations.csv", "confidence", "1.5", type="SUPPLIES")(folder)
    bad = run_cli(autograph_exe, "validate", "--data", str(folder))
    problems = dataset._read_all(folder)[1]
    assert (bad.returncode, bad.stdout) == (1, "")
    assert bad.stderr == f"Error: {DataValidationError(problems)}\n"


def test_the_bundled_dataset_is_still_read_in_python(monkeypatch):
    """Below COLUMNAR_MIN_BYTES importing polars would cost more than it saves."""
    monkeypatch.setattr(columnar, "check", lambda f: pytest.fail("columnar check used"))
    assert CliRunner().invoke(cli, ["validate"]).output == ok_line()
    assert schema.DATASET_FILES  # the files the size is summed over


# --- random single-cell mutations -------------------------------------------------------------

TRICKY = ["", " ", "|", " | ", ":", "x:", ":y", "a:b", "Company", "Deal", "Country", "PARTY_TO",
          "SUPPLIES", "LOCATED_IN", "HEADQUARTERED_IN", "active", "ended", "planned", "A", "F",
          "G", "reference", "article", "published", "2024", "2024-02-29", "2023-02-29",
          "2024-02-30", "２０２４", "1999", "2030-12-31", "0", "1", "0.5", "1.0", "1.5", "-0",
          "1e-400", ".5", "5.", "+0.5", "nan", "inf", "true", "No", "maybe", "DE", "de", "ZZ",
          "x\u2028", "\x1cy", "ß", "SS", "hqScope", "foundedYear", "sharePct", "1_000", "١٢",
          "a,b", 'say "hi"', "catl", "volvo-cars", "flanders", "synthetic"]


def _random_cell_mutations(folder: Path, rng, n: int):
    """*n* mutations: a cell set to a tricky value, to a value from another cell of the
    dataset, or a row deleted."""
    names = [name for name in ("sources.csv", "entities.csv", "relations.csv", "deals.csv",
                               "properties.csv") if _rows(folder, name)]
    pool = [v for name in names for r in _rows(folder, name) for v in r.values()]
    for _ in range(n):
        name = rng.choice(names)
        rows = _rows(folder, name)
        i = rng.randrange(len(rows))
        field = rng.choice(list(rows[i]))
        roll = rng.random()
        if roll < 0.1:
            value = None
        elif roll < 0.55:
            value = rng.choice(TRICKY)
        else:
            value = rng.choice(pool)
        yield name, i, field, value


@pytest.mark.parametrize("seed", range(4))
def test_random_single_cell_mutations(folder, tmp_path, seed):
    import random

    rng = random.Random(seed)
    _register_synthetic_source(folder)
    checked = 0
    for name, i, field, value in _random_cell_mutations(folder, rng, 40):
        copy = tmp_path / f"m{checked}"
        shutil.copytree(folder, copy)
        rows = _rows(copy, name)
        if value is None:
            del rows[i]
        else:
            rows[i][field] = value
        _save(copy, name, rows)
        problems = python_problems(copy)
        verdict = columnar.check(copy)
        assert not (problems and verdict.clean), (name, i, field, value, problems[:2])
        checked += 1
        shutil.rmtree(copy)
    assert checked == 40


def test_validate_dataset_takes_the_columnar_answer_and_load_dataset_still_reads(
        folder, monkeypatch):
    monkeypatch.setattr(dataset, "COLUMNAR_MIN_BYTES", 0)
    monkeypatch.setenv("AUTOGRAPH_CACHE", "off")
    used = []
    check = columnar.checked_tables
    monkeypatch.setattr(columnar, "checked_tables", lambda f: used.append(f) or check(f))
    built = []
    read = columnar.read_dataset
    monkeypatch.setattr(columnar, "read_dataset", lambda f: built.append(f) or read(f))
    # the curation warnings read the checked columns: no records are built ...
    assert dataset.validate_dataset(folder) == [] and used and not built
    assert not dataset._HANDOFF  # ... so none are handed on
    assert_same_records(dataset.load_dataset(folder), dataset._read_all(folder)[0])
    assert built == [folder]  # the records came from the columns
    edit("relations.csv", "confidence", "2", type="SUPPLIES")(folder)
    assert [str(p) for p in dataset.validate_dataset(folder)] == python_problems(folder) != []
