"""The data model: the one place node labels, relationship types and properties are spelled.

Everything that writes a label or a relationship type into a query, a file or a map takes it
from here. Neo4j conventions: labels CamelCase, relationship types UPPER_SNAKE, properties
camelCase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "DATE_PRECISIONS",
    "VALIDITY_FIELDS",
    "INTERNAL_FIELDS",
    "DATASET_LABEL",
    "DATASET_NODE_FIELDS",
    "NODE_LABELS",
    "LABEL_GROUPS",
    "ACTORS",
    "PLACES",
    "REL_TYPES",
    "REL_GROUPS",
    "symmetric_types",
    "rel_types_in",
    "RELIABILITY",
    "RELIABILITY_WEIGHT",
    "SOURCE_KINDS",
    "FieldSpec",
    "SOURCE_FIELDS",
    "ENTITY_FIELDS",
    "RELATION_FIELDS",
    "DEAL_FIELDS",
    "PROPERTY_FIELDS",
    "DATASET_FILES",
    "LIST_FIELDS",
    "DATE_FIELDS",
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
    "Plant": "a place where something is made or done: factory, distribution centre, "
             "development site (`kind` says which); never a headquarters",
    "Technology": "platforms, drive systems, processes, materials",
    "Programme": "alliances, initiatives, networks, events",
    "VehicleModel": "a vehicle model or series",
    "Deal": "one multi-party agreement as a unit: its parties (PARTY_TO), date, status, sources",
}

# Groups of labels, named once: who acts, where things are, what several actors share.
LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "actor": ("Company", "Organization"),
    "place": ("Region", "Country"),
    "shared": ("Technology", "Programme"),
}
ACTORS = LABEL_GROUPS["actor"]
PLACES = LABEL_GROUPS["place"]

_ACTORS, _PLACES = ACTORS, PLACES

# Groups of relationship types. A type names its own groups (as FollowTheMoney's schema
# files declare their edges); analysis, reports and the Cypher library ask the schema which
# types are in a group instead of spelling lists.
REL_GROUPS: dict[str, str] = {
    "cooperation": "cooperation, supply, ownership and investment between parties",
    "geography": "where something is: containment, membership of a region, headquarters",
    "base": "where an actor is based (its headquarters)",
    "ownership": "ownership and investment",
    "technology": "use and development of technologies and models",
    "production": "running plants and making vehicle models",
    "funding": "money for studies, programmes and sites",
    "deal": "a party's part in a multi-party agreement (a Deal node)",
}


@dataclass(frozen=True)
class RelTypeSpec:
    """What a relationship type means, which labels it may connect and which groups it is in.

    ``symmetric`` types (a partnership) have no meaningful direction: selection, analysis,
    the Cypher library, exports and maps treat them as undirected. ``deal`` says whether a
    relation of this type may carry a deal id (be one pairwise part of a :data:`Deal`).
    """

    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    groups: tuple[str, ...] = ()
    symmetric: bool = False
    deal: bool = False


REL_TYPES: dict[str, RelTypeSpec] = {
    "PARTNERS_WITH": RelTypeSpec(
        "cooperation or co-production between two parties",
        _ACTORS + ("Region", "Plant"), _ACTORS + ("Region", "Plant"),
        groups=("cooperation",), symmetric=True, deal=True),
    "JOINT_VENTURE": RelTypeSpec(
        "the two parties founded or run a joint venture", _ACTORS, _ACTORS,
        groups=("cooperation",), symmetric=True, deal=True),
    "SUPPLIES": RelTypeSpec(
        "source delivers parts, materials or systems to target",
        _ACTORS + ("Plant",), _ACTORS + ("Plant",), groups=("cooperation",), deal=True),
    "SIGNED_MOU": RelTypeSpec(
        "a memorandum of understanding or letter of intent",
        _ACTORS + _PLACES, _ACTORS + _PLACES, groups=("cooperation",), symmetric=True,
        deal=True),
    "OWNS": RelTypeSpec(
        "parent to subsidiary, or a stake (see `sharePct`)", _ACTORS, _ACTORS,
        groups=("cooperation", "ownership"), deal=True),
    "INVESTS_IN": RelTypeSpec(
        "an investment or planned stake", _ACTORS, _ACTORS + ("Plant", "Programme"),
        groups=("cooperation", "ownership"), deal=True),
    "FUNDS": RelTypeSpec(
        "finances a study, programme or site", _ACTORS, ("Programme", "Plant", "Region"),
        groups=("funding",)),
    "OPERATES": RelTypeSpec("a company runs a plant or site", _ACTORS, ("Plant",),
                            groups=("production",)),
    "HEADQUARTERED_IN": RelTypeSpec(
        "where an actor is based: its headquarters (or, with `hqScope`, a regional one)",
        _ACTORS, _PLACES, groups=("geography", "base")),
    "LOCATED_IN": RelTypeSpec(
        "geographic containment",
        ("Plant", "Region", "Programme"), _PLACES, groups=("geography",)),
    "USES_TECHNOLOGY": RelTypeSpec(
        "builds on a platform, process or technology",
        _ACTORS + ("Plant", "VehicleModel"), ("Technology",), groups=("technology",)),
    "DEVELOPS": RelTypeSpec(
        "develops a technology or a vehicle model", _ACTORS + ("Plant",),
        ("Technology", "VehicleModel"), groups=("technology",)),
    "PRODUCES": RelTypeSpec(
        "manufactures a vehicle model", ("Company", "Plant"), ("VehicleModel",),
        groups=("production",)),
    "MEMBER_OF": RelTypeSpec(
        "takes part in a programme, alliance or cluster",
        _ACTORS + ("Plant", "Region", "Country"), ("Programme", "Region"),
        groups=("geography",)),
    "PARTY_TO": RelTypeSpec(
        "a party to a multi-party agreement, with its `role`",
        _ACTORS + _PLACES, ("Deal",), groups=("deal",)),
}


def rel_types_in(group: str) -> tuple[str, ...]:
    """The relationship types in *group*, in schema order.

    >>> rel_types_in("ownership")
    ('OWNS', 'INVESTS_IN')
    """
    if group not in REL_GROUPS:
        raise ValueError(f"unknown relationship group {group!r}; expected one of "
                         f"{', '.join(REL_GROUPS)}")
    return tuple(t for t, spec in REL_TYPES.items() if group in spec.groups)


def symmetric_types() -> tuple[str, ...]:
    """The relationship types without a meaningful direction.

    >>> symmetric_types()
    ('PARTNERS_WITH', 'JOINT_VENTURE', 'SIGNED_MOU')
    """
    return tuple(t for t, spec in REL_TYPES.items() if spec.symmetric)

STATUSES: dict[str, str] = {
    "announced": "made public, not yet in force",
    "planned": "intended, with concrete plans",
    "active": "in force or operating",
    "ended": "terminated, expired or failed (e.g. insolvency)",
}


# How far a source itself can be trusted: the Admiralty (NATO) source-reliability scale.
# A relation's `confidence` says how clearly its source states it; this grade says how far
# the source is to be believed at all. Each graded source gives its reason in
# `reliabilityNote`.
RELIABILITY: dict[str, str] = {
    "A": "completely reliable: no doubt about authenticity, trustworthiness or competency",
    "B": "usually reliable: minor doubts; a history of mostly valid information",
    "C": "fairly reliable: doubts; has provided valid information in the past",
    "D": "not usually reliable: significant doubts",
    "E": "unreliable: lacking authenticity, trustworthiness and competency",
    "F": "reliability cannot be judged: no basis for evaluating it",
}

# What a grade is worth in `analyze --weight evidence` (graph/analysis/evidence.py): a
# relation's weight is scaled by the factor of its best-graded source. A-E fall in equal
# steps from 1.0 to 0.2; F ("cannot be judged") is not evidence against a source, so it sits
# in the middle, at 0.5, between "fairly" (C) and "not usually" (D) reliable.
RELIABILITY_WEIGHT: dict[str, float] = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2,
                                        "F": 0.5}

SOURCE_KINDS: dict[str, str] = {
    "article": "a news, trade-press or analyst text (one of the source articles)",
    "press-release": "a company's or organisation's own announcement",
    "reference": "a citable public reference (encyclopaedia, official register, the company's "
                 "own site) registered to record outside knowledge; needs a `url`",
}


@dataclass(frozen=True)
class FieldSpec:
    """A column of a dataset file."""

    required: bool
    description: str


# The dataset's files and columns, declared once: the reader, the writer, the networkx
# backend and the docs take their field lists from here.
SOURCE_FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec(True, "source id: an article's file name without `.txt`, or a slug"),
    "kind": FieldSpec(True, "one of " + ", ".join(SOURCE_KINDS)),
    "file": FieldSpec(False, "the article's file name in `shared/seeds/`"),
    "title": FieldSpec(True, "a short English title of our own"),
    "publisher": FieldSpec(False, "the outlet or issuer"),
    "date": FieldSpec(False, "publication date; with `dateBasis`"),
    "dateBasis": FieldSpec(False, "`published` (stated) or `inferred` (a lower bound read "
                                  "from the content, explained in `note`)"),
    "url": FieldSpec(False, "the source's address; required for a `reference`"),
    "references": FieldSpec(False, "addresses of reports the source cites, `|`-separated"),
    "language": FieldSpec(False, "ISO 639-1 code"),
    "reliability": FieldSpec(True, "Admiralty grade " + "-".join((min(RELIABILITY),
                                                                  max(RELIABILITY)))),
    "reliabilityNote": FieldSpec(True, "why the source has that grade"),
    "note": FieldSpec(False, "anything a reader of the source should know"),
}
ENTITY_FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec(True, "stable lowercase slug"),
    "label": FieldSpec(True, "one of " + ", ".join(NODE_LABELS)),
    "name": FieldSpec(True, "display name"),
    "aliases": FieldSpec(False, "other names, `|`-separated"),
    "kind": FieldSpec(False, "finer type"),
    "country": FieldSpec(False, "ISO 3166-1 alpha-2 code; must agree with the graph"),
    "description": FieldSpec(False, "one line of context"),
}
RELATION_FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec(True, "stable slug, unique across relations, deals and entities"),
    "type": FieldSpec(True, "one of " + ", ".join(REL_TYPES)),
    "source": FieldSpec(True, "entity id where the relation starts"),
    "target": FieldSpec(True, "entity id where it ends"),
    "deal": FieldSpec(False, "id of the deal (deals.csv) this relation is one pairwise part of"),
    "status": FieldSpec(True, "one of the statuses"),
    "date": FieldSpec(False, "when the relation started or the agreement was signed"),
    "endDate": FieldSpec(False, "when it ended"),
    "asOf": FieldSpec(False, "when the source reported it true"),
    "confidence": FieldSpec(True, "0 to 1: how clearly the sources state it"),
    "sources": FieldSpec(True, "source ids, `|`-separated"),
    "disputedBy": FieldSpec(False, "ids of reference sources that contradict the claim"),
    "evidence": FieldSpec(True, "what the source says, in our own words"),
}
DEAL_FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec(True, "stable slug"),
    "name": FieldSpec(True, "display name"),
    "kind": FieldSpec(False, "`mou`, `joint-venture`, `partnership`, `investment`, ..."),
    "status": FieldSpec(True, "one of the statuses; its pairwise relations share it"),
    "date": FieldSpec(False, "when it was signed or started; its pairwise relations share it"),
    "endDate": FieldSpec(False, "when it ended"),
    "asOf": FieldSpec(False, "when the source reported it true"),
    "confidence": FieldSpec(True, "0 to 1"),
    "sources": FieldSpec(True, "source ids, `|`-separated"),
    "parties": FieldSpec(True, "`entity:role` pairs, `|`-separated (at least two)"),
    "evidence": FieldSpec(True, "what the source says, in our own words"),
}
PROPERTY_FIELDS: dict[str, FieldSpec] = {
    "subject": FieldSpec(True, "an entity, relation or deal id"),
    "key": FieldSpec(True, "a property declared below"),
    "value": FieldSpec(True, "checked against the property's type"),
    "source": FieldSpec(True, "a source id"),
    "note": FieldSpec(False, "our own note"),
}

# Columns that hold `|`-separated lists in the files and lists in the graph.
LIST_FIELDS = ("aliases", "references", "sources", "disputedBy")
# fields holding a date (YYYY, YYYY-MM or YYYY-MM-DD), which Neo4j stores as native dates
DATE_FIELDS = ("date", "endDate", "asOf")
# what Neo4j stores beside each date (`datePrecision`): how much of it the source gave,
# by the number of dashes in YYYY, YYYY-MM, YYYY-MM-DD
DATE_PRECISIONS = ("year", "month", "day")

# What Neo4j holds beyond the dataset's own fields (graph/backends/neo4j.py):
# on every relationship, when it holds (native dates, computed at load by the --as-of rule,
# graph.selection.validity); on every node and relationship, its dataset and the load that
# last wrote it; and one node per loaded dataset, recording where it came from.
VALIDITY_FIELDS = ("validFrom", "validUntil")
INTERNAL_FIELDS = ("_dataset", "_load")
DATASET_LABEL = "AutographDataset"
DATASET_NODE_FIELDS = ("name", "source", "run", "loadedAt")

# file name -> (its columns, whether the file may be absent)
DATASET_FILES: dict[str, tuple[dict[str, FieldSpec], bool]] = {
    "sources.csv": (SOURCE_FIELDS, False),
    "entities.csv": (ENTITY_FIELDS, False),
    "relations.csv": (RELATION_FIELDS, False),
    "deals.csv": (DEAL_FIELDS, True),
    "properties.csv": (PROPERTY_FIELDS, False),
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
    "chargePointsTarget": PropertySpec("int", "charging points a network is to have"),
}

# Figures attached to relations.
RELATION_PROPERTIES: dict[str, PropertySpec] = {
    "sharePct": PropertySpec("float", "ownership stake in percent"),
    "supplyYearsMin": PropertySpec("int", "the supply relation has lasted at least this many years"),
    "scope": PropertySpec("str", "fields the agreement covers, semicolon-separated"),
    "hqScope": PropertySpec("str", "the area a regional headquarters is responsible for "
                                   "(e.g. Europe); absent on the group headquarters"),
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
