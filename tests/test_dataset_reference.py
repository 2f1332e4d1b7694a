"""The validator against the slow, obviously correct reference (tests/reference_validator.py)
on hostile datasets hypothesis draws: bad dates and numbers, duplicate and colliding ids,
unknown ends, deals and their parts, properties, LOCATED_IN chains and cycles, odd quoting,
byte order marks, CRLF, blank and ragged rows, broken headers, bytes that are not UTF-8.

The problems must be equal, exactly: every ``file:line: field: message``, in order, warnings
included; on the Python path and on the column path (forced by a zero size threshold).
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph import dataset, schema
from graph.resources import bundled_dir
from reference_validator import reference_problems

HEADERS = {name: list(fields) for name, (fields, _) in schema.DATASET_FILES.items()}

# each pool: (values that pass, values that break a rule)
ENTITY_IDS = (["a", "b", "c", "d", "e", "de", "fr", "x-1"], ["A", "a b", "", "zz"])
SOURCE_IDS = (["s1", "s2", "s3", "s.4"], ["bad id", "", "s1"])
RELATION_IDS = (["r1", "r2", "r3", "r4"], ["a", "d1", "d1-party-a", "R", "", "r1"])
DEAL_IDS = (["d1", "d2"], ["a", "r1", "D", "", "d1"])
LABELS = (["Company", "Company", "Country", "Region", "Plant", "Organization"],
          ["Technology", "Deal", "Nope", ""])
COUNTRIES = (["", "DE", "FR", "DE"], ["de", "XX", "D"])
DATES = (["", "", "2024", "2024-02", "2024-02-29", "2020"],
         ["2023-02-29", "2024-13", "２０２４", "99", "0000", "2030-12-31"])
STATUSES = (["active", "active", "ended", "planned", "announced"], ["", "gone"])
CONFIDENCES = (["0.5", "1", "0", "1.0", ".5", "-0"], ["1.5", "nan", "", "x", "١"])
CITED = (["s1", "s2", "s1|s2", "s3"], ["s9", "", " | ", "s1 | s9"])
TYPES = (["SUPPLIES", "LOCATED_IN", "LOCATED_IN", "HEADQUARTERED_IN", "HEADQUARTERED_IN",
          "PARTNERS_WITH", "JOINT_VENTURE", "OWNS"], ["PARTY_TO", "NOPE", ""])
PARTIES = (["a:buyer|b:seller", "a:x|c:y", "b:x | c:y | e:z"],
           ["a:x|a:y", "a", ":y", "a:", "a:x", "", "zz:x|a:y", "de:x|b:y"])
KEYS = (["foundedYear", "allElectric", "industry", "sharePct", "supplyYearsMin", "hqScope"],
        ["nope", ""])
VALUES = (["1990", "1.5", "true", "No", "x", "1e3", "-0"], ["", "inf", "٣"])
NONE = ([""], [])


def _row(draw, name: str) -> dict[str, str]:
    # most rows break a rule now and then, some break many (the order of the messages of
    # one line), some none
    odds = draw(st.sampled_from([8, 8, 8, 2, 0]))

    def one(pool, *more: str) -> str:
        good, bad = pool
        good = good + list(more)
        if "" in bad and draw(st.integers(0, 29)) == 0:  # an empty value drops the row
            return ""
        bad = [value for value in bad if value]
        broken = bad and odds and draw(st.integers(0, odds - 1)) == 0
        return draw(st.sampled_from(bad if broken else good))

    if name == "sources.csv":
        return {"id": one(SOURCE_IDS), "kind": one((["article", "reference"], ["x", ""])),
                "title": one((["t"], [""])), "date": one(DATES),
                "dateBasis": one((["", "published", "inferred"], ["x"])),
                "url": one((["http://x"], [""])), "reliability": one((["A", "C", "F"], ["G", ""])),
                "reliabilityNote": one((["n"], [""])), "references": one((["", "s1|s2"], []))}
    if name == "entities.csv":
        return {"id": one(ENTITY_IDS), "label": one(LABELS),
                "name": one((["Alpha", "Beta", "Gamma", "Delta", "Strasse"],
                             ["alpha", "A", "", "STRASSE", "b"])),
                "aliases": one((["", "", "x|y"], ["B", "Straße", " | ", "c"])),
                "country": one(COUNTRIES)}
    common = {"status": one(STATUSES), "date": one(DATES), "endDate": one(NONE, "2025"),
              "asOf": one(DATES), "confidence": one(CONFIDENCES), "sources": one(CITED),
              "evidence": one((["e"], [""]))}
    if common["status"] == "ended":
        common["endDate"] = one((["", "2025", "2024-03"], ["2019", "2024-01"]))
    if name == "relations.csv":
        return {"id": one(RELATION_IDS), "type": one(TYPES), "source": one(ENTITY_IDS),
                "target": one(ENTITY_IDS), "deal": one((["", "", "d1"], ["d2", "D", "zz"])),
                "disputedBy": one((["", "", "s2"], ["s1", "s9", "s2|s3"])), **common}
    if name == "deals.csv":
        return {"id": one(DEAL_IDS), "name": one((["Deal"], [""])), "parties": one(PARTIES),
                **common}
    return {"subject": one((ENTITY_IDS[0][:5] + RELATION_IDS[0][:3] + DEAL_IDS[0],
                            ["zz", "", "b"])),
            "key": one(KEYS), "value": one(VALUES), "source": one((["s1"], ["s9", ""]))}


def _text(draw, name: str, rows: list[dict[str, str]]) -> bytes:
    """*rows* as CSV, damaged as hypothesis decides."""
    header = list(HEADERS[name])
    damage = draw(st.sets(st.sampled_from(
        ["bom", "crlf", "blank", "ragged", "quoted", "newline", "padded", "header", "latin1",
         "cr", "unclosed"]), max_size=3))
    if "header" in damage:
        header = draw(st.sampled_from([header[1:], header + ["extra"], header + header[:1],
                                       header[::-1], [h.upper() for h in header]]))
    lines = []
    for row in [dict(zip(header, header))] + rows:
        values = [row.get(h, "") for h in header]
        if "padded" in damage and draw(st.booleans()):
            values = [f" {v}\t" for v in values]
        if "ragged" in damage and draw(st.integers(0, 3)) == 0:
            values = values[:-1] if draw(st.booleans()) else values + ["x"]
        out = io.StringIO()
        quoting = csv.QUOTE_ALL if "quoted" in damage and draw(st.booleans()) \
            else csv.QUOTE_MINIMAL
        csv.writer(out, lineterminator="", quoting=quoting).writerow(values)
        lines.append(out.getvalue())
        if "blank" in damage and draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(["", ",,", " "])))
    if "newline" in damage and len(lines) > 1:
        at = draw(st.integers(1, len(lines) - 1))
        lines[at] = '"multi\nline",' + lines[at].partition(",")[2]
    if "unclosed" in damage and len(lines) > 1:
        lines[-1] = '"' + lines[-1]
    end = "\r\n" if "crlf" in damage else "\n"
    text = end.join(lines) + draw(st.sampled_from([end, ""]))
    if "cr" in damage:
        text = text.replace("\n", "\r", 1)
    data = text.encode("utf-8")
    if "bom" in damage:
        data = b"\xef\xbb\xbf" + data
    if "latin1" in damage:
        data = data + "é,".encode("latin-1")
    return data


@st.composite
def hostile(draw) -> dict[str, bytes | None]:
    """The files of a dataset folder (None: the file is left out)."""
    files: dict[str, bytes | None] = {}
    for name in HEADERS:
        size = {"sources.csv": 5, "entities.csv": 9, "relations.csv": 12}.get(name, 4)
        rows = draw(st.lists(st.builds(dict), max_size=size))
        rows = [_row(draw, name) for _ in rows]
        clean = draw(st.integers(0, 5)) > 0  # most files undamaged, so rules beyond the
        files[name] = (_plain_text(name, rows) if clean  # reading stage are met
                       else _text(draw, name, rows))
    if draw(st.integers(0, 19)) == 0:
        files[draw(st.sampled_from(list(HEADERS)))] = None
    return files


def _plain_text(name: str, rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADERS[name], lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _write(folder: Path, files: dict[str, bytes | None]) -> Path:
    for name, data in files.items():
        if data is not None:
            (folder / name).write_bytes(data)
    return folder


def assert_same_as_reference(folder: Path) -> None:
    expected = reference_problems(folder)
    assert dataset.validate_dataset(folder) == expected
    with mock.patch.object(dataset, "COLUMNAR_MIN_BYTES", 0):
        assert dataset.validate_dataset(folder) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(hostile())
@example({name: _plain_text(name, []) for name in HEADERS})
def test_the_validator_gives_the_references_problems_on_hostile_datasets(files):
    with tempfile.TemporaryDirectory() as tmp:
        assert_same_as_reference(_write(Path(tmp), files))


def test_the_reference_agrees_on_the_bundled_data():
    assert reference_problems(bundled_dir("data")) == [] == dataset.validate_dataset()


def test_the_reference_is_not_the_validator():
    """The reference must be able to disagree: it is its own code, not a call into it."""
    import reference_validator

    assert reference_validator._Reader is not getattr(dataset, "_Reader", None)
    assert reference_validator.reference_warnings is not dataset.curation_warnings


def test_a_relation_id_taken_by_a_deal_is_worded_a_deal_id(tmp_path):
    """The reader said 'is also an deal id'; both the validator and the reference now say
    'a deal id' (and 'an entity id')."""
    files = {name: _plain_text(name, []) for name in HEADERS}
    files["sources.csv"] = _plain_text("sources.csv", [
        {"id": "s1", "kind": "article", "title": "t", "date": "2024", "dateBasis": "inferred",
         "reliability": "C", "reliabilityNote": "n"}])
    files["entities.csv"] = _plain_text("entities.csv", [
        {"id": eid, "label": "Company", "name": eid.upper()} for eid in ("a", "b")])
    prov = {"status": "active", "confidence": "1", "sources": "s1", "evidence": "e"}
    files["deals.csv"] = _plain_text("deals.csv", [
        {"id": "d1", "name": "Deal", "parties": "a:x|b:y", **prov}])
    files["relations.csv"] = _plain_text("relations.csv", [
        {"id": rid, "type": "SUPPLIES", "source": "a", "target": "b", **prov}
        for rid in ("d1", "b")])
    folder = _write(tmp_path, files)
    messages = [p.message for p in dataset.validate_dataset(folder) if not p.warning]
    assert messages == ["relation id 'd1' is also a deal id",
                        "relation id 'b' is also an entity id"]
    assert_same_as_reference(folder)
