"""The data model end to end: a new relationship type is a schema change, disputed claims are
listed, symmetric types have no direction, deals are one fact."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import graph
from graph import schema
from graph.cli import cli
from graph.cypher import resolve
from graph.schema import RelTypeSpec
from graph.viz import build_map

from helpers import append_row


@pytest.fixture
def licenses(monkeypatch, data_copy):
    """A schema with one more cooperation type, and a dataset that uses it."""
    monkeypatch.setitem(schema.REL_TYPES, "LICENSES", RelTypeSpec(
        "grants a licence to a technology or design", schema.ACTORS, schema.ACTORS,
        groups=("cooperation",), deal=True))
    append_row(data_copy / "relations.csv", id="geely-licenses-volvo", type="LICENSES",
               source="geely", target="volvo-cars", status="active", date="2024",
               confidence="0.5", sources="000_a50478846a5075a8", evidence="A test licence.")
    return data_copy


def test_a_new_relationship_type_is_only_a_schema_change(licenses, db):
    result = CliRunner().invoke(cli, ["validate", "--data", str(licenses)])
    assert result.exit_code == 0, result.output
    out = CliRunner().invoke(cli, ["export", "--data", str(licenses), "--rel-type", "LICENSES"])
    assert [e["type"] for e in json.loads(out.output)["edges"]] == ["LICENSES"]
    G = graph.load_graph(licenses)
    assert '"relType":"LICENSES"' in build_map(graph.select(G, focus="geely"))
    # the library's cooperation queries pick it up through $cooperationTypes
    text, params = resolve("partners_of_company", {"company": "geely", "types": []})
    assert "LICENSES" in params["cooperationTypes"] and "LICENSES" not in text
    db.load(G, "autograph", "the bundled dataset")
    rows = db.query(text, params).records()
    assert "LICENSES" in {t for r in rows if r["partner"] == "volvo-cars" for t in r["types"]}
    partners = graph.analysis.cluster(G, "gent")["companies"]
    assert {"id": "volvo-cars", "partnersOutside": ["geely"]}.items() <= next(
        c for c in partners if c["id"] == "volvo-cars").items()


def test_disputed_lists_every_contradicted_claim_with_its_grades():
    G = graph.load_graph()
    expected = sorted(k for *_, k, d in G.edges(keys=True, data=True) if d["disputedBy"])
    result = CliRunner().invoke(cli, ["disputed", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["relation"] for r in rows] == expected and len(expected) >= 6
    daf = next(r for r in rows if r["relation"] == "daf-operates-temse")
    assert daf["claimedBy"] == ["000_a50478846a5075a8 (D)"]
    assert daf["disputedBy"] == [
        "ref-wikipedia-daf-trucks (B): DAF Trucks https://en.wikipedia.org/wiki/DAF_Trucks"]
    stats = json.loads(CliRunner().invoke(cli, ["stats", "--format", "json"]).output)
    assert stats["disputed"] == len(expected) and stats["reliability"]["D"] == 1


def test_symmetric_types_are_declared_and_have_no_direction_in_reports():
    assert schema.symmetric_types() == ("PARTNERS_WITH", "JOINT_VENTURE", "SIGNED_MOU")
    G = graph.load_graph()
    # VW -> Rivian is stored one way; from Rivian the partnership is found all the same
    assert "volkswagen-group" in graph.select(G, focus="rivian", direction="out", hops=1)
    assert "volkswagen-group" not in graph.select(G, focus="rivian", direction="out", hops=1,
                                                  rel_types=("PRODUCES",))


def test_a_deal_is_one_node_with_its_parties_and_still_pairwise_for_analysis():
    G = graph.load_graph()
    deal = "deal-german-chinese-alliance"
    assert G.nodes[deal]["label"] == "Deal" and G.nodes[deal]["date"] == "2018-04"
    roles = {u: d["role"] for u, _, d in G.in_edges(deal, data=True)}
    assert roles == {"bsw": "signatory", "cipa": "signatory",
                     "bergisches-staedtedreieck": "represented-region"}
    V = graph.analysis.make_view(G, "full")
    assert deal not in V and V.has_edge("bsw", "cipa")
    # the pairwise MoUs share the deal's date and status
    assert {(d["date"], d["status"]) for _, _, d in G.edges(data=True)
            if d.get("deal") == deal and d["type"] == "SIGNED_MOU"} == {("2018-04", "active")}
