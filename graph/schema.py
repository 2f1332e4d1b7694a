"""The data model: the one place node labels, relationship types and properties are spelled.

Everything that writes a label or a relationship type into a query, a file or a map takes it
from here. Neo4j conventions: labels CamelCase, relationship types UPPER_SNAKE, properties
camelCase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "NODE_LABELS",
    "REL_TYPES",
    "STATUSES",
    "ENTITY_PROPERTIES",
    "RELATION_PROPERTIES",
    "PropertySpec",
    "RelTypeSpec",
    "SLUG_RE",
    "COUNTRY_RE",
    "check_label",
    "check_rel_type",
]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

NODE_LABELS: dict[str, str] = {
    "Company": "OEMs, suppliers, battery makers, recyclers; `kind` says which",
    "Organization": "agencies, development companies, ministries, associations",
    "Country": "a sovereign state; its `country` is its own ISO 3166-1 alpha-2 code",
    "Region": "states, provinces, cities and clusters such as Flanders",
    "Plant": "factories, headquarters, distribution centres, development sites",
    "Technology": "platforms, drive systems, processes, materials",
    "Programme": "alliances, initiatives, networks, events",
    "VehicleModel": "a vehicle model or series",
}

_ACTORS = ("Company", "Organization")
_PLACES = ("Region", "Country")


@dataclass(frozen=True)
class RelTypeSpec:
    """What a relationship type means and which labels it may connect."""

    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    symmetric: bool = False


REL_TYPES: dict[str, RelTypeSpec] = {
    "PARTNERS_WITH": RelTypeSpec(
        "cooperation or co-production between two parties",
        _ACTORS + ("Region", "Plant"), _ACTORS + ("Region", "Plant"), symmetric=True),
    "JOINT_VENTURE": RelTypeSpec(
        "the two parties founded or run a joint venture", _ACTORS, _ACTORS, symmetric=True),
    "SUPPLIES": RelTypeSpec(
        "source delivers parts, materials or systems to target",
        _ACTORS + ("Plant",), _ACTORS + ("Plant",)),
    "SIGNED_MOU": RelTypeSpec(
        "a memorandum of understanding or letter of intent",
        _ACTORS + _PLACES, _ACTORS + _PLACES, symmetric=True),
    "OWNS": RelTypeSpec(
        "parent to subsidiary, or a stake (see `sharePct`)", _ACTORS, _ACTORS),
    "INVESTS_IN": RelTypeSpec(
        "an investment or planned stake", _ACTORS, _ACTORS + ("Plant", "Programme")),
    "FUNDS": RelTypeSpec(
        "finances a study, programme or site", _ACTORS, ("Programme", "Plant", "Region")),
    "OPERATES": RelTypeSpec("a company runs a plant or site", _ACTORS, ("Plant",)),
    "LOCATED_IN": RelTypeSpec(
        "geographic containment",
        _ACTORS + ("Plant", "Region", "Programme"), _PLACES),
    "USES_TECHNOLOGY": RelTypeSpec(
        "builds on a platform, process or technology",
        _ACTORS + ("Plant", "VehicleModel"), ("Technology",)),
    "DEVELOPS": RelTypeSpec(
        "develops a technology or a vehicle model", _ACTORS + ("Plant",),
        ("Technology", "VehicleModel")),
    "PRODUCES": RelTypeSpec(
        "manufactures a vehicle model", ("Company", "Plant"), ("VehicleModel",)),
    "MEMBER_OF": RelTypeSpec(
        "takes part in a programme, alliance or cluster",
        _ACTORS + ("Plant", "Region", "Country"), ("Programme", "Region")),
}

STATUSES: dict[str, str] = {
    "announced": "made public, not yet in force",
    "planned": "intended, with concrete plans",
    "active": "in force or operating",
    "ended": "terminated, expired or failed (e.g. insolvency)",
}


@dataclass(frozen=True)
class PropertySpec:
    """A typed property that `data/properties.csv` may set."""

    type: str  # "int", "float", "bool" or "str"
    description: str


# Figures the articles give, attached to entities.
ENTITY_PROPERTIES: dict[str, PropertySpec] = {
    "supplierCount": PropertySpec("int", "suppliers based in a region or cluster"),
    "supplierCountMin": PropertySpec("int", "lower bound on suppliers and service providers"),
    "foundedYear": PropertySpec("int", "year the entity was founded"),
    "employeesMin": PropertySpec("int", "lower bound on employees worldwide"),
    "productionSites": PropertySpec("int", "number of production sites"),
    "listedCompanies": PropertySpec("int", "stock-listed companies in the group"),
    "capacityTarget": PropertySpec("int", "near-term production capacity target, vehicles"),
    "capacityTargetLongTerm": PropertySpec("int", "long-term production target, vehicles per year"),
    "productionValueTargetCnyBn": PropertySpec("float", "target production value, billion CNY"),
    "devCostSavingMaxPct": PropertySpec("float", "development-cost saving, up to this percent"),
    "co2SavingMaxPct": PropertySpec("float", "CO2 saving versus virgin material, up to this percent"),
    "evBatteryRank": PropertySpec("int", "world rank among EV lithium-ion battery makers"),
    "automotiveSupplierRankMax": PropertySpec("int", "among the top N automotive suppliers"),
    "allElectric": PropertySpec("bool", "the plant builds only battery-electric vehicles"),
    "insolvent": PropertySpec("bool", "the company has filed for insolvency"),
    "industry": PropertySpec("str", "main industries of a non-automotive group"),
}

# Figures attached to relations.
RELATION_PROPERTIES: dict[str, PropertySpec] = {
    "sharePct": PropertySpec("float", "ownership stake in percent"),
    "supplyYearsMin": PropertySpec("int", "the supply relation has lasted at least this many years"),
    "chargePointsTarget": PropertySpec("int", "charging points the cooperation plans to build"),
    "scope": PropertySpec("str", "fields the agreement covers, semicolon-separated"),
}


def check_label(label: str) -> str:
    """Return *label* if the schema knows it, else raise ``ValueError``.

    Labels cannot be Cypher parameters, so every label that reaches a query passes here.
    """
    if label not in NODE_LABELS:
        raise ValueError(f"unknown node label {label!r}; expected one of {', '.join(NODE_LABELS)}")
    return label


def check_rel_type(rel_type: str) -> str:
    """Return *rel_type* if the schema knows it, else raise ``ValueError``."""
    if rel_type not in REL_TYPES:
        raise ValueError(
            f"unknown relationship type {rel_type!r}; expected one of {', '.join(REL_TYPES)}")
    return rel_type
