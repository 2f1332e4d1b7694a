"""review (scripted keys in-process, and the real command in tmux), merge of candidates and
of another dataset, and the full ingest -> review -> merge -> validate -> diff round trip."""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

import graph
from graph.cli import cli
from graph.ingest.candidates import ingest, read_candidates, write_candidates
from graph.ingest.merge import merge_candidates, merge_datasets
from graph.ingest.review import render, review
from graph.writer import write_dataset

ARTICLE = ("Lumen Motors signs letter of intent with CATL\n"
           "The German carmaker Lumen Motors signed a letter of intent with CATL in March 2025. "
           "CATL will supply battery cells to the Lumen Motors plant in Leipzig.\n")


@pytest.fixture
def cands(tmp_path, data_copy):
    path = tmp_path / "lumen.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return write_candidates(ingest([path], data_copy), tmp_path / "cands").parent / "cands"


def known(data_dir):
    return {e.id: e.name for e in graph.load_dataset(data_dir).entities.values()}


def keys(seq):
    it = iter(seq)
    return lambda: next(it, "")


def find(rows, **kw):
    return [r for r in rows if all(r.get(k) == v for k, v in kw.items())]


def test_review_in_process_with_scripted_keys(cands, data_copy):
    c = read_candidates(cands)
    first = dict(c.relations[0])
    screens = []
    prompts = iter(["PARTNERS_WITH", "ended", "My own note."])
    result = review(c, known(data_copy), keys("tue" "a" "r" "q"),
                    lambda label, default: next(prompts), screens.append, color=False)
    assert result.quit
    back = read_candidates(cands)
    assert back.relations[0]["type"] == "PARTNERS_WITH"
    assert back.relations[0]["status"] == "ended"
    assert back.relations[0]["evidence"] == "My own note."
    assert back.relations[0]["decision"] == "accept"
    assert back.relations[1]["decision"] == "reject"
    assert all(not r["decision"] for r in back.relations[2:])
    # the screen shows the candidate, its sentence and whether its ends are known
    assert f"{first['type']}  status" in screens[0]
    assert "CATL [catl, known]" in screens[0]
    assert "Lumen Motors [lumen-motors, new Company" in screens[0]
    assert "Lumen Motors signs letter of intent with CATL" in screens[0]
    assert "[a]ccept [r]eject" in screens[0]
    # resume: the next review starts at the first undecided candidate
    screens.clear()
    review(back, known(data_copy), keys("q"), lambda *a: "", screens.append, color=False)
    assert screens[0].startswith("candidate 3/")


def test_review_rejects_bad_edits(cands, data_copy):
    c = read_candidates(cands)
    screens = []
    review(c, known(data_copy), keys("tgq"), lambda label, default: "NOPE", screens.append,
           color=False)
    assert "unknown type 'NOPE'" in screens[1]
    assert "unknown entity id 'NOPE'" in screens[2]


def test_review_highlights_on_a_terminal(cands, data_copy):
    c = read_candidates(cands)
    screen = render(c, 0, known(data_copy), color=True)
    assert "\x1b[7mCATL\x1b[0m" in screen and "\x1b[4;33m" in screen


def test_review_nothing_to_review(tmp_path, data_copy):
    path = tmp_path / "empty.txt"
    path.write_text("Heute scheint die Sonne.", encoding="utf-8")
    folder = write_candidates(ingest([path], data_copy), tmp_path / "c")
    result = CliRunner().invoke(cli, ["review", str(folder), "--data", str(data_copy)])
    assert result.exit_code == 0
    assert "nothing to review" in result.output


def test_merge_accepted_candidates(cands, data_copy):
    c = read_candidates(cands)
    mou = find(c.relations, type="SIGNED_MOU", source="lumen-motors", target="catl")[0]
    mou["decision"] = "accept"
    # a relation that is not the entity's base (rejecting the only base refuses the merge)
    rejected = next(r for r in reversed(c.relations)
                    if r is not mou and r["type"] != "HEADQUARTERED_IN")
    rejected["decision"] = "reject"
    write_candidates(c, cands)
    report = merge_candidates(cands, data_copy, today="2026-01-02")
    added = {(k, i) for k, i, _ in report.added}
    assert {("entity", "lumen-motors"), ("source", "lumen"), ("relation", mou["id"])} <= added
    ds = graph.load_dataset(data_copy)
    rel = ds.relations[mou["id"]]
    assert (rel.type, rel.source, rel.target, rel.date) == ("SIGNED_MOU", "lumen-motors",
                                                            "catl", "2025-03")
    assert rel.evidence.startswith("Lumen Motors – CATL: SIGNED_MOU")
    assert "signed a letter of intent with CATL in March" not in rel.evidence
    assert ds.sources["lumen"].file == "lumen.txt"
    assert ds.sources["lumen"].reliability == "F", "ungraded until someone grades it"
    base = ds.relations["lumen-motors-hq-germany"]
    assert (base.type, base.source, base.target, base.sources) == (
        "HEADQUARTERED_IN", "lumen-motors", "germany", ("lumen",))
    # merging again changes nothing
    again = merge_candidates(cands, data_copy, today="2026-01-02")
    assert again.added == [] and again.files == []
    # the rejection is remembered and not proposed again
    with open(data_copy / "rejections.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["candidate"] == rejected["id"]
    path = cands / "articles" / "lumen.txt"
    other = path.with_name("again.txt")
    shutil.copy(path, other)
    fresh = ingest([other], data_copy)
    assert not find(fresh.relations, type=rejected["type"], source=rejected["source"],
                    target=rejected["target"])


def test_merge_of_an_actor_without_base_is_refused(tmp_path, data_copy):
    path = tmp_path / "nobase.txt"
    path.write_text("The carmaker Lumen Motors signed a letter of intent with CATL.",
                    encoding="utf-8")
    c = ingest([path], data_copy)
    for r in c.relations:
        r["decision"] = "accept" if r["type"] == "SIGNED_MOU" else "reject"
    folder = write_candidates(c, tmp_path / "c")
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    result = CliRunner().invoke(cli, ["merge", str(folder), "--data", str(data_copy)])
    assert result.exit_code == 1
    assert "Company 'lumen-motors' has no base: add a HEADQUARTERED_IN relation" in \
        result.output
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


def test_merge_validates_before_writing(cands, data_copy):
    c = read_candidates(cands)
    c.relations[0]["decision"] = "accept"
    c.relations[0]["confidence"] = "7"
    write_candidates(c, cands)
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    result = CliRunner().invoke(cli, ["merge", str(cands), "--data", str(data_copy)])
    assert result.exit_code == 1
    assert "relations.csv" in result.output and "'7' is not a number from 0 to 1" in \
        result.output
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


def test_merge_from_another_dataset(tmp_path, data_copy):
    other = tmp_path / "partner"
    shutil.copytree(data_copy, other)
    ds = graph.load_dataset(other)
    src = next(iter(ds.sources))
    entities = {k: v for k, v in ds.entities.items() if v.label == "Country"}
    entities["contemporary-amperex"] = graph.Entity(   # same entity: a known alias
        id="contemporary-amperex", label="Company", name="Contemporary Amperex Technology",
        aliases=("CATL Europe",), country="CN")
    entities["volkswagen"] = graph.Entity(             # close, not certain
        id="volkswagen", label="Company", name="Volkswagen Grp", country="DE")
    entities["acme"] = graph.Entity(id="acme", label="Company", name="Acme Batteries",
                                    country="DE")
    base = next(iter(ds.relations.values()))
    rel = lambda rid, s, t, typ: dataclasses.replace(  # noqa: E731
        base, id=rid, type=typ, source=s, target=t, sources=(src,), deal="", properties={})
    relations = {"acme-supplies-catl": rel("acme-supplies-catl", "acme", "contemporary-amperex",
                                           "SUPPLIES"),
                 "acme-supplies-vw": rel("acme-supplies-vw", "acme", "volkswagen", "SUPPLIES")}
    for eid, country in (("contemporary-amperex", "china"), ("volkswagen", "germany"),
                         ("acme", "germany")):
        relations[f"{eid}-hq"] = rel(f"{eid}-hq", eid, country, "HEADQUARTERED_IN")
    deal = graph.dataset.Deal(id="deal-acme-catl", name="Acme-CATL supply", status="active",
                              confidence=0.8, sources=(src,), evidence="A supply deal.",
                              parties=(("acme", "buyer"), ("contemporary-amperex", "seller")))
    relations["acme-supplies-catl"] = dataclasses.replace(relations["acme-supplies-catl"],
                                                          deal="deal-acme-catl")
    write_dataset(dataclasses.replace(ds, entities=entities, relations=relations,
                                      deals={deal.id: deal}), other)
    shutil.rmtree(other / "README.md", ignore_errors=True)
    review_dir = tmp_path / "partner-review"
    report = merge_datasets(other, data_copy, review_dir=review_dir)
    merged = graph.load_dataset(data_copy)
    assert "CATL Europe" in merged.entities["catl"].aliases
    assert merged.entities["acme"].name == "Acme Batteries"
    assert merged.relations["acme-supplies-catl"].target == "catl"
    assert merged.deals["deal-acme-catl"].parties == (("acme", "buyer"), ("catl", "seller"))
    assert "volkswagen" not in merged.entities and "acme-supplies-vw" not in merged.relations
    assert "volkswagen-hq" not in merged.relations, "held back with the uncertain entity"
    assert report.review_dir == review_dir
    pending = read_candidates(review_dir)
    (vw,) = pending.entities
    assert (vw["id"], vw["sameAs"]) == ("volkswagen", "volkswagen-group")
    held = {r["id"]: r for r in pending.relations}
    assert set(held) == {"acme-supplies-vw", "volkswagen-hq"}
    assert (held["acme-supplies-vw"]["source"], held["acme-supplies-vw"]["target"]) == \
        ("acme", "volkswagen")
    # the reviewer accepts the match; merge maps the relation onto the known entity
    vw["decision"] = held["acme-supplies-vw"]["decision"] = "accept"
    write_candidates(pending, review_dir)
    merge_candidates(review_dir, data_copy)
    merged = graph.load_dataset(data_copy)
    assert "Volkswagen Grp" in merged.entities["volkswagen-group"].aliases
    rel = merged.relations["acme-supplies-vw"]
    assert (rel.source, rel.target) == ("acme", "volkswagen-group")


def test_merge_usage(tmp_path):
    result = CliRunner().invoke(cli, ["merge"])
    assert result.exit_code == 2
    assert "give a candidates FOLDER or --from OTHER_DATASET" in result.output
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no such candidates folder" in result.output


def _tmux(*args, check=True):
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check)


def _screen(session, wait_for, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        text = _tmux("capture-pane", "-t", session, "-p").stdout
        if wait_for in text or time.monotonic() > deadline:
            return text
        time.sleep(0.2)


@pytest.mark.slow
def test_round_trip_in_tmux(tmp_path, data_copy, autograph_exe):
    """ingest -> review (keys typed into the real command in tmux) -> merge -> validate ->
    diff, in a temporary copy of the data."""
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is not installed (apt-get install tmux); .ci/run installs it")
        pytest.skip("tmux is not installed (apt-get install tmux)")
    original = tmp_path / "original"
    shutil.copytree(data_copy, original)
    article = tmp_path / "lumen.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "cands"
    subprocess.run([autograph_exe, "ingest", str(article), "--data", str(data_copy), "-o",
                    str(out)], check=True, capture_output=True)
    first = read_candidates(out).relations[0]
    session = f"autograph-review-{tmp_path.name}"[:60]
    _tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40",
          f"{autograph_exe} review {out} --data {data_copy}; sleep 60")
    try:
        screen = _screen(session, "[a]ccept")
        assert "candidate 1/" in screen and first["type"] in screen
        assert "CATL [catl, known]" in screen
        _tmux("send-keys", "-t", session, "a")
        screen = _screen(session, "candidate 2/")
        assert "candidate 2/" in screen
        _tmux("send-keys", "-t", session, "s")  # its base: skipped, merge adds it
        _screen(session, "candidate 3/")
        _tmux("send-keys", "-t", session, "r")
        _screen(session, "candidate 4/")
        _tmux("send-keys", "-t", session, "q")
        screen = _screen(session, "accepted,")
        # the relation and the new entity it needs are accepted
        assert "2 accepted, 1 rejected" in screen.replace("\n", " ")
    finally:
        _tmux("kill-session", "-t", session, check=False)
    rows = read_candidates(out).relations
    assert [r["decision"] for r in rows[:3]] == ["accept", "", "reject"]
    subprocess.run([autograph_exe, "merge", str(out), "--data", str(data_copy)], check=True,
                   capture_output=True)
    ok = subprocess.run([autograph_exe, "validate", "--data", str(data_copy)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    diff = subprocess.run([autograph_exe, "diff", str(original), str(data_copy), "--format",
                           "csv"], capture_output=True, text=True, check=True)
    lines = diff.stdout.splitlines()
    assert f"relation,{first['id']},added,,,{first['type']}" in lines
    assert "source,lumen,added,,,Lumen Motors signs letter of intent with CATL" in lines


def test_review_shows_control_characters_from_an_article_as_text(tmp_path, data_copy):
    article = tmp_path / "esc.txt"
    article.write_text("The carmaker Lumen\x1b]0;pwned\x07 Motors signed a letter of intent "
                       "with CATL in March 2025.\n", encoding="utf-8")
    c = read_candidates(write_candidates(ingest([article], data_copy), tmp_path / "c"))
    screens = [render(c, pos, known(data_copy), color=True)
               for pos in range(len(c.relations) + len(c.entities))]
    assert screens and any("\\x1b]0;pwned\\x07" in s for s in screens)
    for screen in screens:
        assert "\x07" not in screen and "\x1b]" not in screen
        assert set(re.findall("\x1b\\[[0-9;]*m", screen)) <= {
            "\x1b[1m", "\x1b[7m", "\x1b[4;33m", "\x1b[0m"}


def test_review_without_a_terminal_is_a_clear_error(cands, data_copy):
    proc = subprocess.run(
        ["setsid", sys.executable, "-m", "graph", "review", str(cands), "--data", str(data_copy)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "Error: review needs a terminal for its key presses" in proc.stderr


def test_style_placeholders_in_the_data_stay_text(tmp_path):
    from graph.ingest.candidates import Candidates

    text = "Acme signs \ue001\ue002 deal"
    c = Candidates(relations=[dict(id="r1", type="SUPPLIES", source="a", target="b",
                                   status="active", evidence="ev\ue000x", article="x",
                                   start="0", end=str(len(text)), cue="signs", score="0.5")],
                   texts={"x": text})
    for color in (False, True):
        screen = render(c, 0, {}, color=color)
        assert "ev\\ue000x" in screen and "\\ue001\\ue002 deal" in screen
        assert "\x1b[1mx" not in screen and "\x1b[7m\x1b[4;33m" not in screen
    assert "\x1b" not in render(c, 0, {}, color=False)
