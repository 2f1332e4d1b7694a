"""The loader and every class of validation error, through the library and the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph import DataValidationError, load_dataset, validate_dataset
from graph.cli import cli
from graph.dataset import parse_date

from helpers import line_of, replace_in


def test_bundled_dataset_loads_with_typed_records():
    ds = load_dataset()
    catl = ds.entities["catl"]
    assert catl.label == "Company" and catl.country == "CN"
    assert "Contemporary Amperex Technology" in catl.aliases
    assert catl.properties == {"evBatteryRank": 1, "automotiveSupplierRankMax": 10}
    mou = ds.relations["vw-mou-catl"]
    assert (mou.type, mou.source, mou.target, mou.status) == (
        "SIGNED_MOU", "volkswagen-group", "catl", "active")
    assert mou.sources == ("001_a3af7357bdf967bf",) and mou.deal == "deal-vw-catl-battery"
    assert ds.relations["vw-jv-rivian"].date == "2024-11"
    assert ds.relations["vw-partners-northvolt"].status == "ended"
    assert ds.entities["northvolt"].properties["insolvent"] is True
    assert ds.entities["site-qingdao-nev-base"].properties["capacityTarget"] == 500_000
    assert isinstance(ds.entities["site-qingdao-nev-base"].properties[
        "productionValueTargetCnyBn"], float)


def test_multi_party_deal_shares_one_id():
    ds = load_dataset()
    deal = {r.id for r in ds.relations.values()
            if r.deal == "deal-tyre-recycling" and r.type == "PARTNERS_WITH"}
    assert deal == {"covestro-partners-neste", "covestro-partners-borealis",
                    "neste-partners-borealis"}


def test_ownership_facts_are_present():
    ds = load_dataset()
    owns = {(r.source, r.target) for r in ds.relations.values() if r.type == "OWNS"}
    assert {("geely", "volvo-cars"), ("volkswagen-group", "audi"),
            ("paccar", "daf-trucks")} <= owns


def test_bundled_validate_exits_zero():
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output == "ok: 88 entities, 113 relations, 5 sources\n"


@pytest.mark.parametrize("value", ["2024", "2024-02", "2024-02-29"])
def test_parse_date_accepts_partial_dates(value):
    assert parse_date(value) == value


@pytest.mark.parametrize("value", ["2023-02-29", "24-01", "2024/01/01", "2024-1"])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(value)


# One broken fixture per class of error: (file, old text, new text, field, message).
BREAKS = [
    ("entities.csv", "catl,Company,CATL,", "catl,Firm,CATL,", "label",
     "unknown label 'Firm'; expected one of Company, Organization, Country, Region, Plant, "
     "Technology, Programme, VehicleModel"),
    ("entities.csv", "bmw,Company,BMW Group,", "rivian,Company,BMW Group,", "id",
     "duplicate entity id 'rivian' (first on line {rivian})"),
    ("entities.csv", "xpeng,Company,Xpeng,XPeng|", "xpeng,Company,Xpeng,CATL|", "aliases",
     "'catl' already names entity 'catl' (line {catl})"),
    ("entities.csv", "xpeng,Company,Xpeng,", "Xpeng Motors,Company,Xpeng,", "id",
     "'Xpeng Motors' is not a slug (lowercase letters, digits, hyphens)"),
    ("entities.csv", "Chinese electric-car maker", "Chinese electric-car maker,extra", "row",
     "has 8 fields, the header has 7"),
    ("entities.csv", "oem,CN,Chinese electric-car maker", "oem,CHN,Chinese electric-car maker",
     "country", "'CHN' is not an ISO 3166-1 alpha-2 code"),
    ("entities.csv", "oem,CN,Chinese electric-car maker", "oem,XX,Chinese electric-car maker",
     "country", "no Country entity has the code 'XX'"),
    ("relations.csv", "vw-mou-catl,SIGNED_MOU,", "vw-mou-catl,SIGNED_LOI,", "type",
     "unknown relationship type 'SIGNED_LOI'; expected one of PARTNERS_WITH, JOINT_VENTURE, "
     "SUPPLIES, SIGNED_MOU, OWNS, INVESTS_IN, FUNDS, OPERATES, LOCATED_IN, USES_TECHNOLOGY, "
     "DEVELOPS, PRODUCES, MEMBER_OF"),
    ("relations.csv", "catl-supplies-vw,SUPPLIES,catl,volkswagen-group",
     "catl-supplies-vw,SUPPLIES,catl,tesla", "target", "unknown entity id 'tesla'"),
    ("relations.csv", "catl-supplies-vw,SUPPLIES,catl,volkswagen-group",
     "catl-supplies-vw,SUPPLIES,catl,li-ion-battery-cells", "target",
     "SUPPLIES cannot end at Technology 'li-ion-battery-cells'; allowed: Company, "
     "Organization, Plant"),
    ("relations.csv", "volkswagen-group,rivian,,active,2024-11,",
     "volkswagen-group,rivian,,active,2024-13,", "date",
     "'2024-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("relations.csv", "vw-partners-northvolt,PARTNERS_WITH,volkswagen-group,northvolt,,ended,",
     "vw-partners-northvolt,PARTNERS_WITH,volkswagen-group,northvolt,,insolvent,", "status",
     "'insolvent' is not one of announced, planned, active, ended"),
    ("relations.csv", "active,,,0.9,001_a3af7357bdf967bf,CATL has delivered",
     "active,,,high,001_a3af7357bdf967bf,CATL has delivered", "confidence",
     "'high' is not a number from 0 to 1"),
    ("relations.csv", "active,,,0.9,001_a3af7357bdf967bf,CATL has delivered",
     "active,,,0.9,,CATL has delivered", "sources", "required value is empty"),
    ("relations.csv", "active,,,0.9,001_a3af7357bdf967bf,CATL has delivered",
     "active,,,0.9,999_missing,CATL has delivered", "sources", "unknown source id '999_missing'"),
    ("relations.csv", "CATL has delivered battery cells to VW for more than five years.", "",
     "evidence", "required value is empty"),
    ("properties.csv", "catl,evBatteryRank,1,", "catl,evBatteryRank,first,", "value",
     "'first' is not a valid int for 'evBatteryRank'"),
    ("properties.csv", "vw-meb,devCostSavingMaxPct,30,", "vw-meb,devCostSavingMaxPct,nan,",
     "value", "'nan' is not a valid float for 'devCostSavingMaxPct'"),
    ("properties.csv", "catl,evBatteryRank,1,", "catl,marketCap,1,", "key",
     "unknown entity property 'marketCap'; expected one of " + ", ".join(
         __import__("graph.schema", fromlist=["x"]).ENTITY_PROPERTIES)),
    ("properties.csv", "catl,evBatteryRank,1,", "tesla,evBatteryRank,1,", "subject",
     "unknown entity or relation id 'tesla'"),
    ("sources.csv", "2024-03-28,published", "28.03.2024,published", "date",
     "'28.03.2024' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
]


@pytest.mark.parametrize("name,old,new,field,message", BREAKS,
                         ids=[f"{b[0]}:{b[3]}:{i}" for i, b in enumerate(BREAKS)])
def test_each_validation_error(data_copy, name, old, new, field, message):
    path = data_copy / name
    entities = data_copy / "entities.csv"
    message = message.format(rivian=line_of(entities, "rivian,Company"),
                             catl=line_of(entities, "catl,Company"))
    line = replace_in(path, old, new)
    expected = f"{path}:{line}: {field}: {message}"
    assert expected in [str(p) for p in validate_dataset(data_copy)]
    result = CliRunner().invoke(cli, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 1
    assert expected in result.output.splitlines()


def test_undated_relation_is_reported(data_copy):
    sources = data_copy / "sources.csv"
    replace_in(sources, ",2023,inferred,", ",,,")
    problems = [str(p) for p in validate_dataset(data_copy)]
    line = line_of(data_copy / "relations.csv", "geely-owns-volvo-cars")
    assert (f"{data_copy / 'relations.csv'}:{line}: asOf: undated: give date or asOf, "
            "or date its source") in problems


def test_missing_file_and_column(data_copy):
    (data_copy / "properties.csv").unlink()
    text = (data_copy / "sources.csv").read_text().replace("id,file,title,", "id,file,titel,", 1)
    (data_copy / "sources.csv").write_text(text)
    problems = [str(p) for p in validate_dataset(data_copy)]
    assert f"{data_copy / 'properties.csv'}: file: file not found" in problems
    assert f"{data_copy / 'sources.csv'}:1: title: missing required column" in problems
    assert any(p.startswith(f"{data_copy / 'sources.csv'}:1: titel: unknown column") for p in problems)


def test_malformed_quoting_is_reported(data_copy):
    path = data_copy / "relations.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write('x,"OWNS\n')
    problems = [str(p) for p in validate_dataset(data_copy)]
    assert any(p.startswith(f"{path}:") and ": row: malformed CSV" in p for p in problems)


def test_all_problems_are_reported_at_once_and_nothing_loads(data_copy):
    replace_in(data_copy / "entities.csv", "catl,Company,CATL,", "catl,Firm,CATL,")
    replace_in(data_copy / "relations.csv", "vw-mou-catl,SIGNED_MOU,", "vw-mou-catl,SIGNED_LOI,")
    replace_in(data_copy / "properties.csv", "catl,evBatteryRank,1,", "catl,evBatteryRank,x,")
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_copy)
    fields = [p.field for p in info.value.problems]
    assert {"label", "type"} <= set(fields)
    # every command refuses invalid data, not only validate
    for command in (["stats"], ["export"]):
        result = CliRunner().invoke(cli, [*command, "--data", str(data_copy)])
        assert result.exit_code == 1
        assert result.output.startswith("Error: ")
        assert "problems in the dataset:" in result.output.splitlines()[0]
