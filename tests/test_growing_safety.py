"""Issue 24, "nothing lost while the graph grows": the red team's attacks on ingest, review
and merge as regression tests, one group per numbered finding (7 and 10 are elsewhere), plus
a property-based fuzz test of hand-edited candidates files.

Each test runs the real ``autograph`` command where the finding was seen through it.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import graph
from helpers import accepted_candidates
from graph import transaction
from graph.cli import cli
from graph.errors import AutographError
from graph.ingest.candidates import read_candidates, write_candidates
from graph.ingest.merge import merge_candidates, merge_datasets
from graph.writer import write_dataset

LUMEN = ("Lumen Motors signs letter of intent with CATL\n"
         "The German carmaker Lumen Motors signed a letter of intent with CATL in March 2025.\n")
NORDCELL = ("Nordcell to supply Volkswagen from Skelleftea\nStockholm, 12 March 2025\n"
            "The Swedish battery maker Nordcell AB has signed a letter of intent with "
            "Volkswagen. Nordcell will supply battery cells to the Volkswagen Group from 2026.\n")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry of *folder* (hidden ones too: a left-over journal or lock shows)."""
    return {p.name: p.read_bytes() if p.is_file() else b"<dir>" for p in folder.iterdir()}


accepted = accepted_candidates


def reject_one(c) -> None:
    """Reject one relation candidate that is not a base, so that rejections.csv is written."""
    next(r for r in c.relations if r["type"] != "HEADQUARTERED_IN")["decision"] = "reject"


def run(exe: str, *args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, **kw)


def ingest_cli(exe: str, tmp_path: Path, data: Path, out: Path, *extra: str):
    """`autograph ingest` of the Lumen article into *out*."""
    article = tmp_path / "lumen.txt"
    article.write_text(LUMEN, encoding="utf-8")
    return run(exe, "ingest", str(article), "--data", str(data), "-o", str(out), *extra)


def error_line(result) -> str:
    """The one error line of a failed command, which must not be a traceback."""
    out = result.stderr if hasattr(result, "stderr") and result.stderr is not None else ""
    out = out or result.output
    assert "Traceback" not in out, out
    return out.strip()


# -- 1. concurrent merges --------------------------------------------------------------------

def test_ten_runs_of_two_concurrent_merges_lose_nothing(tmp_path, data_copy, autograph_exe):
    a = accepted(tmp_path, data_copy, "lumen", LUMEN)
    b = accepted(tmp_path, data_copy, "nordcell", NORDCELL)
    for i in range(10):
        data = tmp_path / f"run{i}"
        shutil.copytree(data_copy, data)
        procs = [subprocess.Popen([autograph_exe, "merge", str(c), "--data", str(data)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for c in (a, b)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
        assert [r[0] for r in results] == [0, 0], results
        ds = graph.load_dataset(data)
        assert {"lumen", "nordcell"} <= set(ds.sources), f"run {i} lost a merge"
        assert {"lumen-motors", "nordcell-ab"} <= set(ds.entities)
        assert run(autograph_exe, "validate", "--data", str(data)).returncode == 0
        assert not [n for n in os.listdir(data) if n.startswith(".")], "no journal or lock left"


def _hold_lock(folder: Path) -> subprocess.Popen:
    code = ("import sys, time\nfrom graph import transaction\n"
            "with transaction.locked(sys.argv[1], 'autograph merge (the test holder)'):\n"
            "    print('held', flush=True)\n    time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_held_lock_names_its_holder_and_dies_with_it(tmp_path, data_copy, autograph_exe):
    a = accepted(tmp_path, data_copy, "lumen", LUMEN)
    before = snapshot(data_copy)
    holder = _hold_lock(data_copy)
    try:
        result = run(autograph_exe, "merge", str(a), "--data", str(data_copy),
                     env={"AUTOGRAPH_LOCK_WAIT": "0.5"})
        assert result.returncode == 1
        message = error_line(result)
        assert f"Error: {data_copy}: the dataset is being changed by autograph merge (the " \
               f"test holder) (process {holder.pid} on " in message
        assert "AUTOGRAPH_LOCK_WAIT" in message
        before.pop(transaction.LOCK_FILE, None)
        assert {k: v for k, v in snapshot(data_copy).items() if k != transaction.LOCK_FILE} \
            == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # the kernel released the dead holder's lock: the merge goes through
    assert run(autograph_exe, "merge", str(a), "--data", str(data_copy),
               env={"AUTOGRAPH_LOCK_WAIT": "5"}).returncode == 0
    assert "lumen" in graph.load_dataset(data_copy).sources


def test_a_reader_waits_for_a_change_and_names_it(tmp_path, data_copy, autograph_exe):
    holder = _hold_lock(data_copy)
    try:
        result = run(autograph_exe, "validate", "--data", str(data_copy),
                     env={"AUTOGRAPH_LOCK_WAIT": "0.3"})
        assert result.returncode == 1
        assert "the dataset is being changed by autograph merge (the test holder)" in \
            error_line(result)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert run(autograph_exe, "validate", "--data", str(data_copy)).returncode == 0
    assert not (data_copy / transaction.LOCK_FILE).exists(), "the dead holder's file removed"


def test_a_candidate_source_never_borrows_a_dataset_source_id(tmp_path, data_copy):
    c = read_candidates(accepted(tmp_path, data_copy, "lumen", LUMEN))
    ours = next(iter(graph.load_dataset(data_copy).sources.values()))
    c.sources[0]["id"] = ours.id
    for r in c.relations:
        r["sources"] = ours.id
    cands = write_candidates(c, tmp_path / "c")
    before = snapshot(data_copy)
    with pytest.raises(AutographError, match=rf"sources.csv:2: id: '{ours.id}' is already the "
                                             "source"):
        merge_candidates(cands, data_copy)
    assert snapshot(data_copy) == before


# -- 2. kill -9 at each step of the commit ----------------------------------------------------

def _steps(new: dict[str, bytes], old: dict[str, bytes], files: list[str]) -> list[str]:
    changed = [n for n in files if new.get(n) != old.get(n)]
    return (["locked"] + [f"staged:{n}" for n in files] + ["committed"]
            + [f"replaced:{n}" for n in changed] + ["cleaned"])


def test_kill_at_each_step_of_the_commit_leaves_old_or_new(tmp_path, data_copy, autograph_exe):
    c = read_candidates(accepted(tmp_path, data_copy, "lumen", LUMEN))
    reject_one(c)  # so that rejections.csv is part of the change
    cands = write_candidates(c, tmp_path / "cands")
    old = snapshot(data_copy)
    reference = tmp_path / "reference"
    shutil.copytree(data_copy, reference)
    assert run(autograph_exe, "merge", str(cands), "--data", str(reference)).returncode == 0
    new = snapshot(reference)
    assert new != old and "rejections.csv" in new
    files = [*graph.dataset.COLUMNS, "rejections.csv"]
    steps = _steps(new, old, files)
    assert len(steps) >= 10
    outcomes = {}
    for step in steps:
        data = tmp_path / step.replace(":", "-")
        shutil.copytree(data_copy, data)
        killed = run(autograph_exe, "merge", str(cands), "--data", str(data),
                     env={"AUTOGRAPH_FAULT": f"kill-at:{step}"})
        assert killed.returncode == -signal.SIGKILL, (step, killed.stderr)
        # any reader now: `validate` finishes or undoes the change first
        check = run(autograph_exe, "validate", "--data", str(data))
        assert check.returncode == 0, (step, check.stderr)
        now = snapshot(data)
        assert now in (old, new), step
        outcomes[step] = "new" if now == new else "old"
    assert outcomes["staged:relations.csv"] == "old" and outcomes["committed"] == "new"
    assert outcomes["cleaned"] == "new"


def test_a_reader_never_sees_a_change_half_in_place(tmp_path, data_copy, autograph_exe):
    """A merge stopped between two renames holds the lock: a reader waits for it (here
    gives up, naming it) instead of reading old entities with new relations."""
    cands = accepted(tmp_path, data_copy, "lumen", LUMEN)
    old = snapshot(data_copy)
    merge = subprocess.Popen([autograph_exe, "merge", str(cands), "--data", str(data_copy)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "AUTOGRAPH_FAULT": "stop-at:replaced:entities.csv"})
    try:
        deadline = time.monotonic() + 60
        while not (data_copy / transaction.JOURNAL / "COMMIT").exists() or \
                (data_copy / "entities.csv").read_bytes() == old["entities.csv"]:
            assert merge.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.2)  # stopped now, half in place
        assert (data_copy / "relations.csv").read_bytes() == old["relations.csv"]
        reader = run(autograph_exe, "export", "--data", str(data_copy), "--format", "json",
                     env={"AUTOGRAPH_LOCK_WAIT": "1"})
        assert reader.returncode == 1
        assert "the dataset is being changed by autograph merge (process " \
               f"{merge.pid} on " in error_line(reader)
    finally:
        merge.send_signal(signal.SIGCONT)
    assert merge.wait(timeout=60) == 0, merge.stderr.read()
    assert "lumen" in graph.load_dataset(data_copy).sources


def test_a_killed_change_is_completed_by_the_next_reader_in_process(tmp_path, data_copy,
                                                                    autograph_exe):
    cands = accepted(tmp_path, data_copy, "lumen", LUMEN)
    killed = run(autograph_exe, "merge", str(cands), "--data", str(data_copy),
                 env={"AUTOGRAPH_FAULT": "kill-at:replaced:entities.csv"})
    assert killed.returncode == -signal.SIGKILL
    assert (data_copy / transaction.JOURNAL / "COMMIT").is_file()
    assert "lumen" in graph.load_dataset(data_copy).sources
    assert not (data_copy / transaction.JOURNAL).exists()


# -- a full disk ------------------------------------------------------------------------------

@contextlib.contextmanager
def _tmpfs(path: Path, size_kb: int, readonly: bool = False, fill_from: Path | None = None):
    path.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the injected ENOSPC test covers it")
    try:
        if fill_from is not None:
            shutil.copytree(fill_from, path / "data")
        if readonly:
            subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_leaves_the_dataset_as_it_was(tmp_path, data_copy, autograph_exe):
    cands = accepted(tmp_path, data_copy, "lumen", LUMEN)
    used = sum(p.stat().st_size for p in data_copy.iterdir()) // 1024
    with _tmpfs(tmp_path / "disk", used + 48, fill_from=data_copy) as disk:
        data = disk / "data"
        before = snapshot(data)
        result = run(autograph_exe, "merge", str(cands), "--data", str(data))
        assert result.returncode == 1
        assert f"Error: {data}: cannot write the dataset: no space left on the device; it " \
               "is unchanged" in error_line(result)
        assert snapshot(data) == before


def test_an_injected_full_disk_leaves_the_dataset_as_it_was(tmp_path, data_copy,
                                                            autograph_exe):
    cands = accepted(tmp_path, data_copy, "lumen", LUMEN)
    before = snapshot(data_copy)
    result = run(autograph_exe, "merge", str(cands), "--data", str(data_copy),
                 env={"AUTOGRAPH_FAULT": "enospc-at:staged:relations.csv"})
    assert result.returncode == 1
    assert "no space left on the device; it is unchanged" in error_line(result)
    assert snapshot(data_copy) == before


# -- 3. outputs pointed at the dataset ---------------------------------------------------------

@pytest.mark.parametrize("where", ["same", "inside", "link", "parent"])
def test_ingest_output_never_replaces_the_dataset(tmp_path, data_copy, autograph_exe, where):
    out = {"same": data_copy, "inside": data_copy / "cands", "link": tmp_path / "link",
           "parent": tmp_path}[where]
    if where == "link":
        out.symlink_to(data_copy)
    before = snapshot(data_copy)
    result = ingest_cli(autograph_exe, tmp_path, data_copy, out)
    assert result.returncode == 1
    assert f"{out}: the candidates folder {'holds' if where == 'parent' else 'is'} " in \
        error_line(result)
    assert "; give a folder outside it" in result.stderr
    assert snapshot(data_copy) == before


def test_merge_review_dir_never_replaces_the_dataset(tmp_path, data_copy, autograph_exe):
    other = tmp_path / "other"
    shutil.copytree(data_copy, other)
    before = snapshot(data_copy)
    result = run(autograph_exe, "merge", "--from", str(other), "--data", str(data_copy),
                 "--review-dir", str(data_copy))
    assert result.returncode == 1
    assert f"Error: {data_copy}: the review folder is the dataset folder; give a folder " \
           "outside it" in error_line(result)
    assert snapshot(data_copy) == before


# -- 4. ids that would name files elsewhere ----------------------------------------------------

@pytest.mark.parametrize("sid", ["../../x", "ABSOLUTE", ".hidden", "a/b"])
def test_ingest_id_never_becomes_a_path(tmp_path, data_copy, autograph_exe, sid):
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("keep me", encoding="utf-8")
    victim.chmod(0o644)
    sid = str(victim.with_suffix("")) if sid == "ABSOLUTE" else sid
    out = tmp_path / "deep" / "cands"
    out.parent.mkdir()
    result = ingest_cli(autograph_exe, tmp_path, data_copy, out, "--id", sid)
    assert result.returncode == 1
    assert f"Error: --id: {sid!r} is not a valid source id" in error_line(result)
    assert not out.exists() and not (tmp_path / "x.txt").exists()
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644


def test_candidates_files_keep_their_mode(tmp_path, data_copy, autograph_exe):
    out = tmp_path / "cands"
    assert ingest_cli(autograph_exe, tmp_path, data_copy, out).returncode == 0
    assert stat.S_IMODE((out / "relations.csv").stat().st_mode) == 0o644, "umask 022, not 0600"
    (out / "relations.csv").chmod(0o640)
    assert ingest_cli(autograph_exe, tmp_path, data_copy, out).returncode == 0
    assert stat.S_IMODE((out / "relations.csv").stat().st_mode) == 0o640


# -- 5. review decisions are data --------------------------------------------------------------

def test_re_ingest_keeps_every_decision(tmp_path, data_copy, autograph_exe):
    out = tmp_path / "cands"
    assert ingest_cli(autograph_exe, tmp_path, data_copy, out).returncode == 0
    c = read_candidates(out)
    decided = {}
    for i, r in enumerate(c.relations):
        r["decision"] = "accept" if i % 2 else "reject"
        decided[r["id"]] = r["decision"]
    c.relations[0]["evidence"] = "the reviewer's own note"
    c.relations.append({**c.relations[0], "id": "hand-made", "decision": "accept"})
    decided["hand-made"] = "accept"
    write_candidates(c, out)
    assert ingest_cli(autograph_exe, tmp_path, data_copy, out).returncode == 0
    again = read_candidates(out)
    assert {r["id"]: r["decision"] for r in again.relations} == decided
    assert again.relations[0]["evidence"] == "the reviewer's own note"


def test_ingest_into_a_folder_of_other_files_is_refused(tmp_path, data_copy, autograph_exe):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "entities.csv").write_text("my own table\n", encoding="utf-8")
    result = ingest_cli(autograph_exe, tmp_path, data_copy, out)
    assert result.returncode == 1
    assert "not a candidates folder" in error_line(result)
    assert (out / "entities.csv").read_text(encoding="utf-8") == "my own table\n"


def _partner(tmp_path: Path, data: Path) -> Path:
    """Another dataset: the Country nodes, one close-but-uncertain company and a new one."""
    other = tmp_path / "partner"
    shutil.copytree(data, other)
    ds = graph.load_dataset(other)
    src = next(iter(ds.sources))
    entities = {k: v for k, v in ds.entities.items() if v.label == "Country"}
    entities["volkswagen"] = graph.Entity(id="volkswagen", label="Company",
                                          name="Volkswagen Grp", country="DE")
    base = next(iter(ds.relations.values()))
    relations = {"volkswagen-hq": dataclasses.replace(
        base, id="volkswagen-hq", type="HEADQUARTERED_IN", source="volkswagen",
        target="germany", sources=(src,), deal="", disputedBy=(), properties={})}
    write_dataset(dataclasses.replace(ds, entities=entities, relations=relations, deals={}),
                  other)
    return other


def test_merge_from_twice_keeps_the_review_decisions(tmp_path, data_copy):
    other = _partner(tmp_path, data_copy)
    review = tmp_path / "review"
    merge_datasets(other, data_copy, review_dir=review)
    c = read_candidates(review)
    c.entities[0]["decision"] = "accept"
    c.relations[0]["decision"] = "reject"
    write_candidates(c, review)
    merge_datasets(other, data_copy, review_dir=review)
    again = read_candidates(review)
    assert again.entities[0]["decision"] == "accept"
    assert again.relations[0]["decision"] == "reject"


# -- 6. merge --from: every id clash reported, nothing re-attributed ---------------------------

def test_merge_from_reports_and_maps_every_id_clash(tmp_path, data_copy):
    ours = graph.load_dataset(data_copy)
    other, pristine = tmp_path / "evil", tmp_path / "pristine"
    shutil.copytree(data_copy, other)
    shutil.copytree(data_copy, pristine)
    sid = next(iter(ours.sources))
    rel = next(r for r in ours.relations.values() if not r.deal)
    deal = next(iter(ours.deals.values()))
    theirs = graph.load_dataset(other)
    sources = dict(theirs.sources)
    sources[sid] = dataclasses.replace(ours.sources[sid], title="Evil Corp annual report",
                                       reliability="A", reliabilityNote="Graded by Evil Corp.")
    entities = dict(theirs.entities)
    catl = entities.pop("catl")  # their 'catl' id is another company
    entities["catl"] = graph.Entity(id="catl", label="Company", name="Cattle Logistics",
                                    country=catl.country)
    relations = {k: v for k, v in theirs.relations.items()
                 if "catl" not in (v.source, v.target) and not v.deal}
    relations["catl-hq"] = dataclasses.replace(
        rel, id="catl-hq", type="HEADQUARTERED_IN", source="catl", target="china",
        sources=(sid,), disputedBy=(), properties={})
    # a relation under our relation's id, between other entities, citing the clashing source
    a, b = sorted(e for e in entities if entities[e].label == "Company" and e != "catl")[:2]
    relations[rel.id] = dataclasses.replace(rel, type="PARTNERS_WITH", source=a, target=b,
                                            sources=(sid,), disputedBy=(), properties={})
    deals = {deal.id: dataclasses.replace(deal, name="Evil deal", sources=(sid,))}
    write_dataset(dataclasses.replace(theirs, sources=sources, entities=entities,
                                      relations=relations, deals=deals), other)
    report = merge_datasets(other, data_copy, review_dir=tmp_path / "review")
    clashes = {(k, i) for k, i, _ in report.clashes}
    assert {("source", sid), ("entity", "catl"), ("relation", rel.id), ("deal", deal.id)} \
        <= clashes
    merged = graph.load_dataset(data_copy)
    assert merged.sources[sid] == ours.sources[sid], "our source untouched"
    new_sid = next(s for k, i, s in report.clashes if (k, i) == ("source", sid))
    new_sid = new_sid.rsplit(" added as ", 1)[1]
    assert merged.sources[new_sid].title == "Evil Corp annual report"
    assert merged.relations[rel.id] == ours.relations[rel.id]
    moved = [r for r in merged.relations.values() if r.type == "PARTNERS_WITH" and
             {r.source, r.target} == {a, b} and new_sid in r.sources]
    assert moved, "their relation cites their source under its new id"
    for r in merged.relations.values():
        if r.id not in ours.relations:
            assert sid not in r.sources, f"{r.id} re-attributed to our source {sid}"
    assert merged.deals[deal.id] == ours.deals[deal.id]
    assert any(d.name == "Evil deal" and new_sid in d.sources for d in merged.deals.values())
    assert merged.entities["catl"] == ours.entities["catl"]
    fresh = tmp_path / "fresh"
    shutil.copytree(pristine, fresh)
    result = CliRunner().invoke(cli, ["merge", "--from", str(other), "--data", str(fresh),
                                      "--review-dir", str(tmp_path / "review2"), "--format",
                                      "csv"])
    assert result.exit_code == 0, result.output
    assert f"id clash,source,{sid},id clash: ours is {ours.sources[sid].title!r}" in \
        result.output


# -- 8. file modes, private caches, symlinks ---------------------------------------------------

def test_merge_keeps_file_modes_and_symlinks(tmp_path, data_copy, autograph_exe):
    cands = accepted(tmp_path, data_copy, "lumen", LUMEN)
    (data_copy / "entities.csv").chmod(0o600)
    (data_copy / "relations.csv").chmod(0o640)
    real = tmp_path / "shared" / "sources-real.csv"
    real.parent.mkdir()
    shutil.move(data_copy / "sources.csv", real)
    real.chmod(0o604)
    (data_copy / "sources.csv").symlink_to(real)
    assert run(autograph_exe, "merge", str(cands), "--data", str(data_copy)).returncode == 0
    assert stat.S_IMODE((data_copy / "entities.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE((data_copy / "relations.csv").stat().st_mode) == 0o640
    assert (data_copy / "sources.csv").is_symlink(), "the link stays a link"
    assert "lumen," in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o604
    assert not [p for p in real.parent.iterdir() if p.name.startswith(".")]


def test_the_validation_cache_is_private(tmp_path, data_copy, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("AUTOGRAPH_CACHE_DIR", str(cache))
    monkeypatch.setattr(graph.dataset, "CACHE_MIN_BYTES", 0)
    monkeypatch.setattr(graph.dataset, "COLUMNAR_MIN_BYTES", 10**12)
    os.umask(old := os.umask(0o022))
    try:
        graph.dataset.validate_dataset(data_copy)
    finally:
        os.umask(old)
    (entry,) = cache.glob("dataset-*.marshal")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


# -- 9. spreadsheet formulas in the CLI's own CSV -----------------------------------------------

def test_csv_the_cli_prints_escapes_formulas(tmp_path, data_copy, autograph_exe):
    ds = graph.load_dataset(data_copy)
    rel = next(r for r in ds.relations.values() if r.disputedBy)
    ds.relations[rel.id] = dataclasses.replace(rel, evidence='=HYPERLINK("http://x","y")')
    write_dataset(ds, data_copy)
    out = run(autograph_exe, "disputed", "--data", str(data_copy), "--format", "csv").stdout
    rows = list(csv.DictReader(out.splitlines()))
    (row,) = [r for r in rows if r["relation"] == rel.id]
    assert row["evidence"] == "'=HYPERLINK(\"http://x\",\"y\")"
    old = tmp_path / "old"
    shutil.copytree(data_copy, old)
    ent = next(iter(ds.entities.values()))
    ds.entities[ent.id] = dataclasses.replace(ent, description="@SUM(1+1)")
    write_dataset(ds, data_copy)
    out = run(autograph_exe, "diff", str(old), str(data_copy), "--format", "csv").stdout
    assert f"entity,{ent.id},changed,description,{ent.description},'@SUM(1+1)" in out
    for cell in (c for line in csv.reader(out.splitlines()) for c in line):
        assert not cell.startswith(("=", "+", "@")), cell


def test_formula_escaping_is_one_reversible_function():
    from graph.output import formula_safe, formula_text, render

    for value in ["=1", "+1", "-1", "@x", "\tx", "'=1", "''-2", "plain", "'quoted'", ""]:
        assert formula_text(formula_safe(value)) == value
    assert render([{"a": "=1", "b": -1.5}], "csv") == "a,b\n'=1,-1.5"


# -- 11. tracebacks become file:line: field: message -------------------------------------------

def test_merge_and_format_into_a_read_only_folder(tmp_path, data_copy, autograph_exe):
    cands = accepted(tmp_path, data_copy, "lumen", LUMEN)
    with _tmpfs(tmp_path / "ro", 4096, readonly=True, fill_from=data_copy) as disk:
        data = disk / "data"
        for args in (["merge", str(cands)], ["format"]):
            result = run(autograph_exe, *args, "--data", str(data))
            assert result.returncode == 1, result.stderr
            assert f"Error: {data}: cannot change the dataset: permission denied (a " \
                   "read-only location?)" in error_line(result)


def _edit(folder: Path, name: str, column: str, value: str | None) -> int:
    """Set *column* of the first data row of *name* (None: drop the column); its line."""
    path = folder / name
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    i = rows[0].index(column)
    if value is None:
        rows = [r[:i] + r[i + 1:] for r in rows]
        line = 1
    else:
        rows[1][i] = value
        line = 2
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return line


@pytest.mark.parametrize("name, column, value, message", [
    ("relations.csv", "type", "FRIENDS_WITH", "type: unknown relation type 'FRIENDS_WITH'"),
    ("relations.csv", "confidence", "high", "confidence: 'high' is not a number from 0 to 1"),
    ("relations.csv", "confidence", "nan", "confidence: 'nan' is not a number from 0 to 1"),
    ("entities.csv", "label", "Spaceship", "label: unknown label 'Spaceship'"),
    ("relations.csv", "source", None, "source: missing required column"),
    ("entities.csv", "name", None, "name: missing required column"),
])
def test_hand_edited_candidates_errors(tmp_path, data_copy, autograph_exe, name, column, value,
                                       message):
    cands = accepted(tmp_path, data_copy, "lumen", LUMEN)
    line = _edit(cands, name, column, value)
    before = snapshot(data_copy)
    result = run(autograph_exe, "merge", str(cands), "--data", str(data_copy))
    assert result.returncode == 1
    assert error_line(result) == f"Error: {cands / name}:{line}: {message}" or \
        error_line(result).startswith(f"Error: {cands / name}:{line}: {message}")
    assert snapshot(data_copy) == before


def test_a_latin1_rejections_file_is_reported_before_anything_is_written(
        tmp_path, data_copy, autograph_exe):
    c = read_candidates(accepted(tmp_path, data_copy, "lumen", LUMEN))
    reject_one(c)
    cands = write_candidates(c, tmp_path / "cands")
    (data_copy / "rejections.csv").write_bytes(
        "kind,key,candidate,source,date\nentity,Company|m\xfcller,x,y,2024\n".encode("latin-1"))
    before = snapshot(data_copy)
    result = run(autograph_exe, "merge", str(cands), "--data", str(data_copy))
    assert result.returncode == 1
    assert error_line(result).startswith(
        f"Error: {data_copy / 'rejections.csv'}:2: file: not valid UTF-8")
    assert snapshot(data_copy) == before, "told it failed: so nothing was written"


def _git_repo(tmp_path: Path, data: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(data, repo / "data")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "data" / "entities.csv").write_bytes(
        (repo / "data" / "entities.csv").read_bytes().replace(b"CATL", b"C\xc4TL"))
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "latin-1"], check=True)
    shutil.copy(data / "entities.csv", repo / "data" / "entities.csv")
    return repo


def test_diff_rev_of_a_file_that_is_not_utf8_in_that_revision(tmp_path, data_copy,
                                                              autograph_exe):
    repo = _git_repo(tmp_path, data_copy)
    result = run(autograph_exe, "diff", "--rev", "HEAD", "--data", str(repo / "data"))
    assert result.returncode == 1
    message = error_line(result)
    assert "HEAD:data/entities.csv: file: not valid UTF-8" in message
    assert "autograph-rev-" not in message, "no deleted temporary folder named"


@pytest.mark.parametrize("content, message", [
    (b"[[relation]]\ntype = 'SUPPLIES'\nscore = 'high'\nen = ['deliver']\n",
     ":3: relation[1].score: expected a number, found text 'high'"),
    (b"[[relation]]\ntype = 'SUPPLIES'\nen = 'deliver'\n",
     ":3: relation[1].en: expected a list, found text 'deliver'"),
    (b"stopnames = 5\n", ":1: stopnames: expected a table, found a number 5"),
    ("[[relation]]\ntype = 'SUPPLIES'\nde = ['lief\xe9r']\n".encode("latin-1"),
     ":3: file: not valid UTF-8"),
])
def test_bad_cues_files(tmp_path, data_copy, autograph_exe, content, message):
    cues = tmp_path / "cues.toml"
    cues.write_bytes(content)
    result = ingest_cli(autograph_exe, tmp_path, data_copy, tmp_path / "c", "--cues", str(cues))
    assert result.returncode == 1
    assert error_line(result).startswith(f"Error: {cues}{message}")
    assert not (tmp_path / "c").exists()


# -- 12. Unicode-normalised duplicates -------------------------------------------------------------

@pytest.mark.parametrize("field", ["name", "aliases"])
def test_nfc_and_nfd_spellings_of_one_name_are_duplicates(tmp_path, data_copy, autograph_exe,
                                                         field):
    ds = graph.load_dataset(data_copy)
    nfc, nfd = "Škoda Ženy", unicodedata.normalize("NFD", "Škoda Ženy")
    assert nfc != nfd
    a, b = [e for e in ds.entities.values() if e.label == "Technology"][:2]
    ds.entities[a.id] = dataclasses.replace(a, aliases=a.aliases + (nfc,))
    ds.entities[b.id] = dataclasses.replace(b, **({"name": nfd} if field == "name" else
                                                  {"aliases": b.aliases + (nfd,)}))
    from graph.writer import render_dataset

    for name, text in render_dataset(ds, data_copy).items():
        (data_copy / name).write_text(text, encoding="utf-8")
    result = run(autograph_exe, "validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert f"{field}: 'škoda ženy' already names entity" in error_line(result)


# -- 13. a lone carriage return in --title ------------------------------------------------------

def test_lone_carriage_return_in_title(tmp_path, data_copy, autograph_exe):
    out = tmp_path / "c"
    result = ingest_cli(autograph_exe, tmp_path, data_copy, out,
                 "--title", "Lumen\rsigns\r\nwith CATL")
    assert result.returncode == 0, result.stderr
    c = read_candidates(out)
    assert c.sources[0]["title"] == "Lumen signs with CATL"
    assert len(c.relations) == len((out / "relations.csv").read_text(
        encoding="utf-8").splitlines()) - 1


def test_a_carriage_return_in_a_value_is_quoted(tmp_path, data_copy):
    c = read_candidates(accepted(tmp_path, data_copy, "lumen", LUMEN))
    c.relations[0]["evidence"] = "first\rsecond"
    folder = write_candidates(c, tmp_path / "cr")
    assert read_candidates(folder).relations[0]["evidence"] == "first\rsecond"


# -- 14. the smaller findings ------------------------------------------------------------------

def test_diff_rev_errors_name_the_revision(tmp_path, data_copy, autograph_exe):
    repo = _git_repo(tmp_path, data_copy)
    result = run(autograph_exe, "diff", "--rev", "HEAD", "--data", str(repo / "data"))
    assert "/tmp/autograph-rev-" not in result.stderr and "HEAD:data/" in result.stderr


def test_escape_sequences_in_paths_are_shown_as_text(tmp_path, data_copy, autograph_exe):
    out = tmp_path / "c\x1b]0;pwned\x07"
    result = ingest_cli(autograph_exe, tmp_path, data_copy, out)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "c\\x1b]0;pwned\\x07" in result.stdout


@pytest.mark.parametrize("command", [["export", "--format", "json"], ["map"]])
def test_a_dangling_symlink_output_needs_force(tmp_path, data_copy, autograph_exe, command):
    link = tmp_path / "out.html"
    link.symlink_to(tmp_path / "nowhere" / "target")
    result = run(autograph_exe, *command, "--data", str(data_copy), "-o", str(link))
    assert result.returncode == 1
    assert f"{link} is a symbolic link to {tmp_path / 'nowhere' / 'target'}, which does " \
           "not exist; pass --force" in error_line(result)
    assert link.is_symlink()


def test_a_rejected_base_does_not_come_back(tmp_path, data_copy, autograph_exe):
    c = read_candidates(accepted(tmp_path, data_copy, "lumen", LUMEN))
    for r in c.relations:
        if r["type"] == "HEADQUARTERED_IN":
            r["decision"] = "reject"
    cands = write_candidates(c, tmp_path / "c")
    before = snapshot(data_copy)
    result = run(autograph_exe, "merge", str(cands), "--data", str(data_copy))
    assert result.returncode == 1
    assert "the base of 'lumen-motors' (HEADQUARTERED_IN germany) was rejected" in \
        error_line(result)
    assert snapshot(data_copy) == before


# -- fuzz: hand-edited candidates files ------------------------------------------------------------

_HOSTILE = st.sampled_from(["", "accept", "reject", "maybe", "=1+1", "-5", "1e999", "nan",
                            "0.5", "2", "SUPPLIES", "HEADQUARTERED_IN", "Company", "Plant",
                            "catl", "germany", "lumen", "lumen-motors", "../x", "a|b", "\r",
                            "x\ny", '"', "Škoda", "S\u030ckoda", "\x1b[31m", "2025-13", "2024"])


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory):
    from graph.resources import bundled_dir

    root = tmp_path_factory.mktemp("fuzz")
    data = root / "data"
    shutil.copytree(bundled_dir("data"), data, ignore=shutil.ignore_patterns("*.md"))
    return data, accepted(root, data, "lumen", LUMEN)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(["entities.csv", "relations.csv",
                                                 "sources.csv", "properties.csv"]),
                                st.integers(0, 30), st.integers(0, 30),
                                st.one_of(_HOSTILE, st.text(max_size=12))),
                      min_size=1, max_size=6),
       drop=st.sampled_from([None, "relations.csv", "entities.csv"]),
       raw=st.one_of(st.none(), st.tuples(st.sampled_from(["entities.csv", "relations.csv",
                                                           "sources.csv"]),
                                          st.integers(0, 10**6), st.binary(max_size=4))))
def test_fuzz_hand_edited_candidates(tmp_path_factory, fuzz_base, edits, drop, raw):
    """Any hand edit (cells, a dropped column, stray bytes): merge succeeds into a valid
    dataset, or fails with autograph's own error and changes nothing."""
    data, cands = fuzz_base
    root = tmp_path_factory.mktemp("case")
    folder, target = root / "cands", root / "data"
    shutil.copytree(cands, folder)
    shutil.copytree(data, target)
    for name, row, col, value in edits:
        path = folder / name
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        if len(rows) > 1 and rows[1 + row % (len(rows) - 1)]:
            r = rows[1 + row % (len(rows) - 1)]
            r[col % len(r)] = value
        if drop == name:
            rows = [r[1:] for r in rows]
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    if raw is not None:  # bytes an editor or a bad encoding leaves (stray quotes, Latin-1)
        name, at, junk = raw
        data = (folder / name).read_bytes()
        at %= len(data) + 1
        (folder / name).write_bytes(data[:at] + junk + data[at:])
    before = snapshot(target)
    try:
        merge_candidates(folder, target)
    except AutographError as err:
        assert "\n" not in str(err).split(":", 1)[0]
        assert snapshot(target) == before
    else:
        # errors only: curation warnings (an ungraded source) do not block a merge
        assert [p for p in graph.dataset.validate_dataset(target) if not p.warning] == []
    assert not [n for n in os.listdir(target) if n.startswith(".")]


def test_lock_is_released_and_reentrant(tmp_path, data_copy):
    with transaction.locked(data_copy):
        with transaction.locked(data_copy):
            assert (data_copy / transaction.LOCK_FILE).exists()
        graph.load_dataset(data_copy)  # a read inside our own change does not wait for it
    assert not (data_copy / transaction.LOCK_FILE).exists()
    start = time.monotonic()
    with transaction.locked(data_copy):
        pass
    assert time.monotonic() - start < 5


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(st.text(max_size=8).filter(lambda v: v == v.strip()),
                              min_size=3, max_size=3), max_size=5))
def test_candidates_csv_round_trips_any_text(tmp_path_factory, rows):
    """What the candidates writer writes (formula prefixes, quoted carriage returns), the
    candidates reader reads back exactly."""
    from graph.ingest.candidates import read_csv_rows
    from graph.output import csv_text

    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_text(csv_text(["a", "b", "c"], rows, formulas=True), encoding="utf-8",
                    newline="")
    back = [[row["a"], row["b"], row["c"]] for _, row in read_csv_rows(path, ("a", "b", "c"))]
    assert back == [r for r in rows if any(r)]
