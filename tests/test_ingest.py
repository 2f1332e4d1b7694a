"""autograph ingest: cues in German and English, inflections, status, dates, figures, HTML,
an article with nothing to find, unreadable files; the candidates folder and its JSON."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import graph
from graph.cli import cli
from graph.errors import IngestError
from graph.ingest.candidates import ingest, read_candidates, write_candidates
from graph.ingest.evaluate import countries_only
from graph.ingest.lexicon import load_lexicon, name_key
from graph.ingest.text import read_article

from conftest import ROOT


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A dataset holding only the bundled Country nodes."""
    return countries_only(graph.load_dataset(), tmp_path_factory.mktemp("base") / "data")


def run(tmp_path, base, text, name="article.txt", **kw):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest([path], base, **kw)


def rels(c):
    return {(r["type"], r["source"], r["target"]) for r in c.relations}


def ent(c, name):
    matches = [e for e in c.entities if e["name"] == name or name in e["aliases"].split("|")]
    # else as the evaluation matches: folded for case, accents and German endings
    matches = matches or [e for e in c.entities if name_key(name) in {
        name_key(f) for f in [e["name"], *e["aliases"].split("|")] if f}]
    assert matches, f"no candidate named {name!r}: {[e['name'] for e in c.entities]}"
    return matches[0]


def best(c, rtype, a, b):
    """The relation candidate of *rtype* between entities named a and b (either way)."""
    ia, ib = ent(c, a)["id"], ent(c, b)["id"]
    found = [r for r in c.relations if r["type"] == rtype and {r["source"], r["target"]} ==
             {ia, ib}]
    assert found, f"no {rtype} between {a} and {b}: {sorted(rels(c))}"
    return max(found, key=lambda r: float(r["score"]))


# -- each cue class, German and English ---------------------------------------------------

@pytest.mark.parametrize("text, rtype, a, b", [
    ("Der Autobauer Lumen Motors hat eine Absichtserklärung mit dem Batteriehersteller "
     "Nordcell unterzeichnet.", "SIGNED_MOU", "Lumen Motors", "Nordcell"),
    ("The carmaker Lumen Motors signed a letter of intent with the supplier Nordcell.",
     "SIGNED_MOU", "Lumen Motors", "Nordcell"),
    ("Der Hersteller Lumen Motors gründet ein Joint Venture mit dem Konzern Nordcell.",
     "JOINT_VENTURE", "Lumen Motors", "Nordcell"),
    ("The automaker Lumen Motors formed a joint venture with the group Nordcell.",
     "JOINT_VENTURE", "Lumen Motors", "Nordcell"),
    ("Der Zulieferer Nordcell beliefert den Autobauer Lumen Motors mit Batteriezellen.",
     "SUPPLIES", "Nordcell", "Lumen Motors"),
    ("The supplier Nordcell supplies the carmaker Lumen Motors with battery cells.",
     "SUPPLIES", "Nordcell", "Lumen Motors"),
    ("Der Konzern Lumen Motors übernimmt 51 Prozent Anteile am Hersteller Nordcell.",
     "OWNS", "Lumen Motors", "Nordcell"),
    ("The group Lumen Motors takes a stake in the maker Nordcell.",
     "INVESTS_IN", "Lumen Motors", "Nordcell"),
    ("Der Hersteller Lumen Motors und der Konzern Nordcell vereinbaren eine Kooperation.",
     "PARTNERS_WITH", "Lumen Motors", "Nordcell"),
    ("The carmaker Lumen Motors announced a partnership with the supplier Nordcell.",
     "PARTNERS_WITH", "Lumen Motors", "Nordcell"),
])
def test_relation_cues(tmp_path, base, text, rtype, a, b):
    c = run(tmp_path, base, text)
    rel = best(c, rtype, a, b)
    if rtype in ("SUPPLIES", "OWNS", "INVESTS_IN"):
        top = max((r for r in c.relations if r["type"] == rtype), key=lambda r: float(
            r["score"]))
        assert top["source"] == ent(c, a)["id"], "the direction follows the sentence"
    assert rel["cue"] and 0 < float(rel["score"]) <= 1
    start, end = int(rel["start"]), int(rel["end"])
    assert c.texts[rel["article"]][start:end] == text.strip()


@pytest.mark.parametrize("text, rtype, a, b", [
    ("Die Weiqiao-Gruppe plant eine Beteiligung an dem Hersteller Nordcell.", "INVESTS_IN",
     "Weiqiao-Gruppe", "Nordcell"),
    ("The group Lumen Motors acquired the supplier Nordcell.", "OWNS", "Lumen Motors",
     "Nordcell"),
    ("Der Autobauer Lumen Motors nutzt die Helix Drive Architecture (HDA).",
     "USES_TECHNOLOGY", "Lumen Motors", "Helix Drive Architecture"),
    ("The carmaker Lumen Motors builds on the Helix Drive Architecture (HDA).",
     "USES_TECHNOLOGY", "Lumen Motors", "Helix Drive Architecture"),
    ("Die Europäische Investitionsagentur (EIA) finanziert die Nordische Batterie-Allianz.",
     "FUNDS", "Europäische Investitionsagentur", "Nordische Batterie-Allianz"),
    ("The European Investment Agency (EIA) funds the Nordic Battery Alliance.",
     "FUNDS", "European Investment Agency", "Nordic Battery Alliance"),
    ("Der Autobauer Lumen Motors ist Mitglied der Nordischen Batterie-Allianz.",
     "MEMBER_OF", "Lumen Motors", "Nordische Batterie-Allianz"),
    ("The carmaker Lumen Motors is a member of the Nordic Battery Alliance.",
     "MEMBER_OF", "Lumen Motors", "Nordic Battery Alliance"),
    ("Der Autobauer Lumen Motors hat seinen Hauptsitz in Leipzig.", "HEADQUARTERED_IN",
     "Lumen Motors", "Leipzig"),
    ("The carmaker Lumen Motors is headquartered in Leipzig.", "HEADQUARTERED_IN",
     "Lumen Motors", "Leipzig"),
])
def test_more_relation_cues(tmp_path, base, text, rtype, a, b):
    c = run(tmp_path, base, text)
    rel = best(c, rtype, a, b)
    assert rel["source"] == ent(c, a)["id"] and rel["cue"] != "co-occurrence"


@pytest.mark.parametrize("text, plant_name, city", [
    ("Der Autobauer Lumen Motors betreibt ein Werk in Leipzig.", "Lumen Motors Leipzig",
     "Leipzig"),
    ("The carmaker Lumen Motors runs a plant in Leipzig.", "Lumen Motors Leipzig", "Leipzig"),
])
def test_plant_cues_give_operates_and_located_in(tmp_path, base, text, plant_name, city):
    c = run(tmp_path, base, text)
    plant = ent(c, plant_name)
    assert plant["label"] == "Plant" and plant["country"] == "DE"
    assert ent(c, city)["label"] == "Region"
    assert ("OPERATES", ent(c, "Lumen Motors")["id"], plant["id"]) in rels(c)
    assert ("LOCATED_IN", plant["id"], ent(c, city)["id"]) in rels(c)


@pytest.mark.parametrize("text", [
    "Der Hersteller Lumen Motors entwickelt die Plattform Helix Drive Architecture (HDA).",
    "The carmaker Lumen Motors develops the Helix Drive Architecture (HDA).",
])
def test_technology_cues(tmp_path, base, text):
    c = run(tmp_path, base, text)
    tech = ent(c, "Helix Drive Architecture")
    assert tech["label"] == "Technology" and "HDA" in tech["aliases"].split("|")
    assert ("DEVELOPS", ent(c, "Lumen Motors")["id"], tech["id"]) in rels(c)


def test_technology_terms_and_models(tmp_path, base):
    c = run(tmp_path, base, "Der Autobauer Lumen Motors baut das Modell LX40 mit "
                            "Batteriezellen und Software-Architekturen.")
    assert ent(c, "LX40")["label"] == "VehicleModel"
    assert ent(c, "Batteriezellen")["label"] == "Technology"
    assert ent(c, "Software-Architekturen")["name"] == "Software architecture"
    assert ("PRODUCES", ent(c, "Lumen Motors")["id"], ent(c, "LX40")["id"]) in rels(c)


def test_programme_and_organisation_names(tmp_path, base):
    c = run(tmp_path, base, "Die Nordische Batterie-Allianz und die Europäische "
                            "Investitionsagentur (EIA) unterzeichneten eine Absichtserklärung.")
    assert ent(c, "Nordische Batterie-Allianz")["label"] == "Programme"
    assert ent(c, "EIA")["label"] == "Organization"


def test_places_from_pycountry_and_geonames(tmp_path, base):
    text = "Der Autobauer Lumen Motors baut ein Werk in München (Bayern) und eines in Brandenburg."
    c = run(tmp_path, base, text)
    munich = ent(c, "Munich")
    assert "München" in munich["aliases"] and munich["country"] == "DE"
    bavaria = ent(c, "Bayern")
    assert bavaria["label"] == "Region" and bavaria["country"] == "DE"
    assert ("LOCATED_IN", munich["id"], bavaria["id"]) in rels(c), "München (Bayern)"
    germany = "germany"
    assert ("LOCATED_IN", bavaria["id"], germany) not in rels(c), \
        "the article does not name Germany: not proposed at the default threshold"
    everything = tmp_path / "all.toml"
    everything.write_text("[ingest]\nmin_score = 0\n", encoding="utf-8")
    c = run(tmp_path, base, text, name="b.txt", cues=everything)
    bavaria = ent(c, "Bayern")
    below = [r for r in c.relations if (r["type"], r["source"], r["target"]) ==
             ("LOCATED_IN", bavaria["id"], germany)]
    assert below and float(below[0]["score"]) < 0.5, "pycountry's country: a low suggestion"


def test_legal_forms_and_country_in_parentheses(tmp_path, base):
    c = run(tmp_path, base, "Die Nordcell Batteries GmbH arbeitet mit Kestrel (Finnland) "
                            "und Orvik Ltd. zusammen.")
    assert ent(c, "Nordcell Batteries GmbH")["label"] == "Company"
    assert "Nordcell Batteries" in ent(c, "Nordcell Batteries GmbH")["aliases"]
    assert ent(c, "Kestrel")["country"] == "FI"
    assert ent(c, "Orvik Ltd")["label"] == "Company"


# -- inflections against known entities --------------------------------------------------

@pytest.mark.parametrize("text", [
    "VWs Partner CATL liefert Batteriezellen.",
    "Der Volkswagen-Konzern arbeitet mit dem CATL-Werk zusammen.",
    "Der Vertrag des Batterieherstellers CATL mit der VW-Gruppe ist unterzeichnet.",
    "Contemporary Amperex Technology beliefert die Volkswagen AG.",
])
def test_inflections_link_known_entities(tmp_path, text):
    c = run(tmp_path, None, text)
    linked = {r["source"] for r in c.relations} | {r["target"] for r in c.relations}
    assert {"volkswagen-group", "catl"} <= linked, sorted(rels(c))
    assert not [e for e in c.entities if e["name"] in ("VWs", "CATL", "VW")], \
        "known entities are linked, not proposed again"


def test_case_of_short_forms(tmp_path):
    c = run(tmp_path, None, "The sea near us is calm, says Volkswagen.")
    linked = {r["target"] for r in c.relations} | {r["source"] for r in c.relations}
    assert "geely-sea" not in linked and "united-states" not in linked


def test_close_name_carries_match(tmp_path):
    c = run(tmp_path, None, "Der Bushersteller Van Hool kooperiert mit dem Konzern "
                            "Toyotta Motor.")
    toyota = [e for e in c.entities if e["name"] == "Toyotta Motor"]
    assert toyota and toyota[0]["sameAs"] == "toyota"


# -- status and dates ----------------------------------------------------------------------

@pytest.mark.parametrize("text, status", [
    ("Der Autobauer Lumen Motors plant eine Kooperation mit dem Konzern Nordcell.", "planned"),
    ("The carmaker Lumen Motors will cooperate with the group Nordcell.", "planned"),
    ("Der Autobauer Lumen Motors hat eine Kooperation mit dem Konzern Nordcell unterzeichnet.",
     "active"),
    ("The carmaker Lumen Motors signed a partnership with the group Nordcell.", "active"),
    ("Nach der Insolvenz des Konzerns Nordcell ist die Kooperation mit dem Hersteller "
     "Lumen Motors beendet.", "ended"),
    ("The partnership of the carmaker Lumen Motors with the group Nordcell was cancelled.",
     "ended"),
])
def test_status(tmp_path, base, text, status):
    c = run(tmp_path, base, text)
    assert best(c, "PARTNERS_WITH", "Lumen Motors", "Nordcell")["status"] == status


@pytest.mark.parametrize("text, date", [
    ("Im November 2024 gründete der Autobauer Lumen Motors ein Joint Venture mit dem "
     "Konzern Nordcell.", "2024-11"),
    ("In March 2025 the carmaker Lumen Motors formed a joint venture with the group "
     "Nordcell.", "2025-03"),
    ("Am 11. April 2023 gründete der Autobauer Lumen Motors ein Joint Venture mit dem "
     "Konzern Nordcell.", "2023-04-11"),
    ("Der Autobauer Lumen Motors gründete am 20.04.2023 ein Joint Venture mit dem Konzern "
     "Nordcell.", "2023-04-20"),
])
def test_dates(tmp_path, base, text, date):
    c = run(tmp_path, base, text)
    assert best(c, "JOINT_VENTURE", "Lumen Motors", "Nordcell")["date"] == date


def test_article_date_and_basis(tmp_path, base):
    c = run(tmp_path, base, "Auto-Portal\nDonnerstag, 28. März 2024\nDer Autobauer Lumen "
                            "Motors kooperiert mit dem Konzern Nordcell.")
    assert (c.sources[0]["date"], c.sources[0]["dateBasis"]) == ("2024-03-28", "published")
    c = run(tmp_path, base, "Der Autobauer Lumen Motors kooperiert seit 2019 mit dem Konzern "
                            "Nordcell.", name="b.txt")
    assert (c.sources[0]["date"], c.sources[0]["dateBasis"]) == ("2019", "inferred")


def test_figures(tmp_path, base):
    c = run(tmp_path, base, "Der Konzern Lumen Motors übernimmt einen Anteil von 49 Prozent am "
                            "Hersteller Nordcell.\nDas Werk in Leipzig des Autobauers Lumen "
                            "Motors soll eine Produktionskapazität von 500.000 Fahrzeugen "
                            "erreichen.")
    figures = {(p["key"], p["value"]) for p in c.properties}
    assert ("sharePct", "49") in figures
    assert ("capacityTarget", "500000") in figures


# -- input formats and errors ------------------------------------------------------------

def test_html_input(tmp_path, base):
    html = ("<!doctype html><html><head><title>Lumen &amp; Nordcell</title>"
            "<script>var x = 'Der Konzern Evil AG';</script><style>p{}</style></head><body>"
            "<h1>Nachrichten</h1><p>Der Autobauer <b>Lumen Motors</b> hat eine "
            "Absichtserklärung mit dem Batteriehersteller Nordcell unterzeichnet.</p>"
            "</body></html>")
    c = run(tmp_path, base, html, name="news.html")
    assert c.sources[0]["title"] == "Lumen & Nordcell"
    best(c, "SIGNED_MOU", "Lumen Motors", "Nordcell")
    assert "Evil" not in c.texts[c.sources[0]["id"]], "scripts are not text"
    assert "<" not in c.texts[c.sources[0]["id"]]


def test_markdown_input(tmp_path, base):
    c = run(tmp_path, base, "# News\n\nThe **carmaker** Lumen Motors signed a letter of intent "
                            "with [Nordcell](https://example.org/nordcell).", name="a.md")
    best(c, "SIGNED_MOU", "Lumen Motors", "Nordcell")
    assert "https://" not in c.texts[c.sources[0]["id"]]


def test_article_with_nothing_to_find(tmp_path, base):
    c = run(tmp_path, base, "Heute scheint die Sonne, und morgen regnet es vielleicht.")
    assert c.entities == [] and c.relations == [] and c.properties == []
    assert len(c.sources) == 1


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe\x00b\x00i\x00n", "not a text file (binary content)"),
    (b"Der Autobauer \xe4 Lumen", "not UTF-8 text (invalid byte at offset 14)"),
    (b"   \n", "the article is empty"),
])
def test_unreadable_article(tmp_path, base, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=re.escape(message)):
        read_article(path)
    result = CliRunner().invoke(cli, ["ingest", str(path), "--data", str(base), "-o",
                                      str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: {message}" + (
        "; save the article as UTF-8\n" if "UTF-8" in message else
        "; ingest reads plain text, Markdown or HTML\n" if "text file" in message else "\n")
    assert not (tmp_path / "out").exists(), "nothing is written"


def test_missing_article_is_a_usage_error(tmp_path, base):
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "nope.txt"), "-o",
                                      str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.output


def test_source_id_taken(tmp_path):
    path = tmp_path / "001_a3af7357bdf967bf.txt"
    path.write_text("Der Autobauer Lumen Motors kooperiert mit dem Konzern Nordcell.",
                    encoding="utf-8")
    with pytest.raises(IngestError, match="already in the dataset"):
        ingest([path])


# -- the candidates folder ---------------------------------------------------------------

def test_candidates_folder_round_trip_and_columns(tmp_path, base):
    c = run(tmp_path, base, "Der Autobauer Lumen Motors hat eine Absichtserklärung mit dem "
                            "Batteriehersteller Nordcell unterzeichnet.")
    folder = write_candidates(c, tmp_path / "cands")
    back = read_candidates(folder)
    assert back.entities == c.entities and back.relations == c.relations
    header = (folder / "relations.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    required, optional = graph.dataset.COLUMNS["relations.csv"]
    assert header[:len(required + optional)] == list(required + optional)
    assert header[-6:] == ["decision", "score", "article", "start", "end", "cue"]
    sid = c.sources[0]["id"]
    assert (folder / "articles" / f"{sid}.txt").read_text(encoding="utf-8") == c.texts[sid]
    for r in c.relations:
        assert r["evidence"].startswith(("Lumen Motors", "Nordcell"))
        assert "Absichtserklärung mit dem" not in r["evidence"], "not the article's sentence"


def test_bad_decision_is_reported(tmp_path, base):
    c = run(tmp_path, base, "Der Autobauer Lumen Motors kooperiert mit dem Konzern Nordcell.")
    c.relations[0]["decision"] = "maybe"
    folder = write_candidates(c, tmp_path / "cands")
    with pytest.raises(IngestError, match=r"relations.csv:2: decision: 'maybe' is not accept"):
        read_candidates(folder)


def test_cli_json_is_node_link(tmp_path, base):
    path = tmp_path / "a.txt"
    path.write_text("The carmaker Lumen Motors signed a letter of intent with the supplier "
                    "Nordcell.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--data", str(base), "-o",
                                      str(tmp_path / "c"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"nodes", "edges", "graph", "directed", "multigraph"} <= set(data)
    names = {n["name"] for n in data["nodes"]}
    assert {"Lumen Motors", "Nordcell"} <= names
    assert any(e["type"] == "SIGNED_MOU" for e in data["edges"])
    assert set(data["graph"]["sources"]) == {"a"}


def test_extra_cue_lexicon(tmp_path, base):
    extra = tmp_path / "my-cues.toml"
    extra.write_text('[[relation]]\ntype = "PARTNERS_WITH"\nscore = 0.9\n'
                     "de = ['schulterschluss']\n", encoding="utf-8")
    text = "Der Autobauer Lumen Motors übt den Schulterschluss mit dem Konzern Nordcell."
    plain = run(tmp_path, base, text)
    more = run(tmp_path, base, text, name="b.txt", cues=extra)
    cue = best(more, "PARTNERS_WITH", "Lumen Motors", "Nordcell")["cue"]
    assert cue == "Schulterschluss"
    assert all(r["cue"] != "Schulterschluss" for r in plain.relations)


def test_bad_lexicon_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[relation]]\ntype = "LIKES"\nde = ["mag"]\n', encoding="utf-8")
    with pytest.raises(IngestError, match="unknown type 'LIKES'"):
        load_lexicon(bad)


# -- issue 28: typing that does not guess, relations from the clause ------------------------

def test_one_direction_per_supply_claim(tmp_path, base):
    c = run(tmp_path, base, "The seat maker Kestrel will supply seats to the carmaker Lumen "
                            "Motors from 2026.")
    kestrel, lumen = ent(c, "Kestrel")["id"], ent(c, "Lumen Motors")["id"]
    supplies = {(r["source"], r["target"]) for r in c.relations if r["type"] == "SUPPLIES"}
    assert supplies == {(kestrel, lumen)}


def test_the_buyer_does_not_develop_what_it_buys(tmp_path, base):
    c = run(tmp_path, base, "Der Zulieferer Nordcell beliefert den Autobauer Lumen Motors "
                            "mit Batteriezellen.")
    lumen = ent(c, "Lumen Motors")["id"]
    assert not [r for r in c.relations if r["source"] == lumen and r["type"] in (
        "DEVELOPS", "USES_TECHNOLOGY", "SUPPLIES")], sorted(rels(c))


def test_stake_with_its_percentage_and_a_named_joint_venture(tmp_path, base):
    c = run(tmp_path, base, "Der Autobauer Lumen Motors übernimmt 26 Prozent der Anteile am "
                            "Batteriehersteller Nordcell. Beide Unternehmen gründen das "
                            "Gemeinschaftsunternehmen Nordlumen Cells, an dem sie je 50 Prozent "
                            "halten.")
    lumen, nordcell = ent(c, "Lumen Motors")["id"], ent(c, "Nordcell")["id"]
    stake = best(c, "OWNS", "Lumen Motors", "Nordcell")
    assert stake["source"] == lumen
    assert ("sharePct", "26") in {(p["key"], p["value"]) for p in c.properties
                                  if p["subject"] == stake["id"]}
    jv = ent(c, "Nordlumen Cells")
    assert jv["label"] == "Company"
    assert ("OWNS", lumen, jv["id"]) in rels(c) and ("OWNS", nordcell, jv["id"]) in rels(c)
    best(c, "JOINT_VENTURE", "Lumen Motors", "Nordcell")


def test_a_carmaker_is_no_region_and_a_place_needs_a_place_cue(tmp_path, base):
    c = run(tmp_path, base, "Der Autobauer Lumen Motors baut ein Werk im polnischen Tychy. "
                            "Lumen Motors arbeitet dabei mit Kestrel zusammen.")
    assert ent(c, "Lumen Motors")["label"] == "Company"
    assert ent(c, "Kestrel")["label"] == "Company"
    tychy = ent(c, "Tychy")
    assert tychy["label"] == "Region" and tychy["country"] == "PL"
    poland = ent(c, "Poland")
    assert ("LOCATED_IN", tychy["id"], poland["id"]) in rels(c)
    plant = ent(c, "Lumen Motors Tychy")
    assert ("OPERATES", ent(c, "Lumen Motors")["id"], plant["id"]) in rels(c)


def test_a_dateline_is_a_dateline(tmp_path, base):
    c = run(tmp_path, base, "LEIPZIG, 3. März 2025 – Der Autobauer Lumen Motors übernimmt den "
                            "Zulieferer Nordcell.")
    assert not [e for e in c.entities if e["name"] in ("Leipzig", "LEIPZIG")]
    assert not [r for r in c.relations if r["type"] == "HEADQUARTERED_IN"]
    best(c, "OWNS", "Lumen Motors", "Nordcell")


def test_unknown_names_are_low_score_and_left_out(tmp_path, base):
    text = "Gestern war Quorvant in der Zeitung."
    c = run(tmp_path, base, text)
    assert c.entities == [] and c.relations == []
    everything = tmp_path / "all.toml"
    everything.write_text("[ingest]\nmin_score = 0\n", encoding="utf-8")
    c = run(tmp_path, base, text, name="b.txt", cues=everything)
    quorvant = ent(c, "Quorvant")
    assert quorvant["label"] != "Region" and float(quorvant["score"]) < 0.5


def test_der_konzern_is_the_company_named_last(tmp_path, base):
    c = run(tmp_path, base, "Der Autobauer Lumen Motors wächst. Der Konzern übernimmt den "
                            "Zulieferer Nordcell.")
    stake = best(c, "OWNS", "Lumen Motors", "Nordcell")
    assert stake["source"] == ent(c, "Lumen Motors")["id"]


def test_candidates_are_ranked_by_score_and_above_the_threshold(tmp_path, base):
    c = run(tmp_path, base, (ROOT / "tests" / "corpus" / "tune" / "05-catl-debrecen.txt")
            .read_text(encoding="utf-8"), name="catl.txt")
    scores = [float(r["score"]) for r in c.relations]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0.5


def test_cli_ingest_in_a_subprocess(tmp_path, base):
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("autograph")
    article = ROOT / "tests" / "corpus" / "tune" / "02-stellantis-leapmotor.txt"
    out = tmp_path / "cands"
    done = subprocess.run([str(exe), "ingest", str(article), "--data", str(base), "-o",
                           str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    back = read_candidates(out)
    names = {e["name"] for e in back.entities}
    assert {"Leapmotor", "Leapmotor International"} <= names
    assert any(r["type"] == "OWNS" for r in back.relations)


# -- property: any text gives well-formed candidates -----------------------------------------

_WORDS = ["Der", "Autobauer", "Lumen", "Motors", "übernimmt", "beliefert", "Nordcell", "mit",
          "Batteriezellen", "in", "Leipzig", "Werk", "the", "carmaker", "Kestrel", "supplies",
          "to", "a", "joint", "venture", "named", "Orvik", "GmbH", "26", "Prozent", "und",
          "beide", "Unternehmen", "Konzern", "plant", "im", "polnischen", "Tychy", ",", ".",
          "(", ")", "–", "der", "gründen", "das", "Gemeinschaftsunternehmen", "said", "CEO",
          # the mechanisms of tests/test_ingest_mechanisms.py
          "its", "brand", "Marken", "&", ":", "Ford", "Münchner", "Korean", "group", "site",
          "called", "AMP-2", "received", "grant", "from", "Fund", "integriert", "des",
          "customers", "run", "by", "den", "Fiat", "600", "baut", "Projekt", "Sitz",
          "Porsche", "911", "für", "\n3."]


@pytest.fixture(scope="module")
def prop_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("prop")


def test_any_text_gives_well_formed_candidates(prop_dir, base):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    dataset = graph.load_dataset(base)
    counter = iter(range(10**6))

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=60),
           st.sampled_from(["\n", " "]))
    def check(words, sep):
        text = " ".join(words).replace(" . ", "." + sep)
        if not text.strip():
            return
        path = prop_dir / f"p{next(counter)}.txt"
        path.write_text(text, encoding="utf-8")
        c = ingest([path], base)
        ids = {e["id"] for e in c.entities} | set(dataset.entities)
        labels = {e["id"]: e["label"] for e in c.entities}
        labels.update({k: v.label for k, v in dataset.entities.items()})
        body = c.texts[c.sources[0]["id"]]
        for r in c.relations:
            spec = graph.schema.REL_TYPES[r["type"]]
            assert r["source"] in ids and r["target"] in ids and r["source"] != r["target"]
            assert labels[r["source"]] in spec.sources and labels[r["target"]] in spec.targets
            assert 0.5 <= float(r["score"]) <= 1
            assert 0 <= int(r["start"]) <= int(r["end"]) <= len(body)
        for e in c.entities:
            assert e["label"] in graph.schema.NODE_LABELS and e["name"].strip()
        assert ingest([path], base).relations == c.relations, "the same text, the same answer"

    check()
