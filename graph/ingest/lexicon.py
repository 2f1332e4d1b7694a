"""The cue lexicon (``cues.toml`` beside this module, documented there) and name keys."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import IngestError

__all__ = ["Lexicon", "load_lexicon", "name_key", "slug", "DEFAULT_CUES", "common_noun_de",
           "noun_de"]

DEFAULT_CUES = Path(__file__).with_name("cues.toml")

_ENDINGS = ("es", "en", "er", "em", "s", "n", "e")


def _fold(text: str) -> str:
    text = text.replace("ß", "ss").replace("’", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _stem(token: str) -> str:
    if len(token) >= 5 and token.isalpha():
        for end in _ENDINGS:
            if token.endswith(end) and len(token) - len(end) >= 4:
                return token[: -len(end)]
    return token


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """A name folded for comparison: case, accents, punctuation, German endings, possessive.

    >>> name_key("Bergischen Struktur- und Wirtschaftsförderungsgesellschaft") == \\
    ...     name_key("Bergische Struktur und Wirtschaftsfoerderungsgesellschaft".replace("oe", "o"))
    True
    >>> name_key("VW's"), name_key("Audi Brüssel")
    ('vw', 'audi brussel')
    """
    text = _fold(name)
    text = re.sub(r"'s\b", "", text)
    tokens = re.findall(r"[a-z0-9]+", text)
    return " ".join(_stem(t) for t in tokens)


def slug(text: str) -> str:
    """A lowercase slug for ids: ``"Van Hool"`` -> ``"van-hool"``."""
    value = re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")
    return value or "x"


def _compile(terms: list[str], where: str) -> re.Pattern | None:
    if not terms:
        return None
    try:
        return re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{t})" for t in terms) + ")",
                          re.IGNORECASE)
    except re.error as err:
        raise IngestError(f"cue lexicon: bad pattern in {where}: {err}") from err


@dataclass
class RelationCue:
    type: str
    score: float
    direction: str
    pattern: re.Pattern


@dataclass
class Lexicon:
    """Compiled cues; built from one or more TOML files."""

    relations: list[RelationCue] = field(default_factory=list)
    cooccurrence: list[dict[str, Any]] = field(default_factory=list)
    status_order: list[str] = field(default_factory=list)
    status_default: str = "active"
    status: dict[str, re.Pattern] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    company_nouns: re.Pattern | None = None
    company_score: float = 0.7
    legal_forms: list[str] = field(default_factory=list)
    suffixes: list[tuple[str, str, re.Pattern]] = field(default_factory=list)
    technologies: list[tuple[str, str, re.Pattern]] = field(default_factory=list)
    plants: list[tuple[str, re.Pattern]] = field(default_factory=list)
    prepositions: set[str] = field(default_factory=set)
    region_words: str = "provinz|region"
    nationality: list[tuple[str, re.Pattern]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    stopnames: set[str] = field(default_factory=set)
    min_score: float = 0.5
    person_roles: re.Pattern | None = None
    anaphors: re.Pattern | None = None
    pair_anaphors: re.Pattern | None = None
    venture_anaphors: re.Pattern | None = None
    site_anaphors: re.Pattern | None = None
    institutions: re.Pattern | None = None
    country_names: dict[str, str] = field(default_factory=dict)
    organization_words: re.Pattern | None = None
    place_adjectives: dict[str, str] = field(default_factory=dict)
    industry: re.Pattern | None = None
    industry_score: float = 0.75


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Add *extra*'s lists to *base* (see cues.toml's header)."""
    out = dict(base)
    for key, value in extra.items():
        if key not in out:
            out[key] = value
        elif isinstance(value, list) and isinstance(out[key], list):
            out[key] = out[key] + value
        elif isinstance(value, dict) and isinstance(out[key], dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _both(entry: dict[str, Any]) -> list[str]:
    return list(entry.get("de", [])) + list(entry.get("en", [])) + list(entry.get("terms", []))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as err:
        raise IngestError(f"{path}: cannot read the cue lexicon ({err.strerror})") from err
    except tomllib.TOMLDecodeError as err:
        raise IngestError(f"{path}: not a valid cue lexicon: {err}") from err


def load_lexicon(extra: str | Path | None = None) -> Lexicon:
    """The bundled lexicon, plus the lists of an *extra* TOML file of the same shape."""
    return _load(str(extra) if extra else "")


@lru_cache(maxsize=4)
def _load(extra: str) -> Lexicon:
    data = _read_toml(DEFAULT_CUES)
    if extra:
        data = _merge(data, _read_toml(Path(extra)))
    lex = Lexicon()
    for i, entry in enumerate(data.get("relation", [])):
        rtype = entry.get("type")
        if rtype not in schema.REL_TYPES:
            raise IngestError(f"cue lexicon: relation {i + 1}: unknown type {rtype!r}")
        pattern = _compile(_both(entry), f"relation {rtype}")
        if pattern is not None:
            lex.relations.append(RelationCue(rtype, float(entry.get("score", 0.6)),
                                             entry.get("direction", "forward"), pattern))
    for entry in data.get("cooccurrence", []):
        if entry.get("type") not in schema.REL_TYPES:
            raise IngestError(f"cue lexicon: cooccurrence: unknown type {entry.get('type')!r}")
        lex.cooccurrence.append(entry)
    status = data.get("status", {})
    lex.status_default = status.get("default", "active")
    lex.status_order = list(status.get("order", schema.STATUSES))
    for name in lex.status_order:
        if name not in schema.STATUSES:
            raise IngestError(f"cue lexicon: unknown status {name!r}")
        pattern = _compile(_both(status.get(name, {})), f"status {name}")
        if pattern is not None:
            lex.status[name] = pattern
    for lang in ("de", "en"):
        for i, month in enumerate(data.get("months", {}).get(lang, [])):
            lex.months[month.lower()] = i + 1
    ent = data.get("entity", {})
    company = ent.get("company", {})
    lex.company_nouns = _compile(_both(company), "entity.company")
    lex.company_score = float(company.get("score", 0.7))
    lex.legal_forms = list(ent.get("legal", {}).get("forms", []))
    for entry in ent.get("suffix", []):
        lex.suffixes.append((entry["label"], entry.get("kind", ""),
                             re.compile("(?:" + "|".join(entry["terms"]) + r")\w*$", re.I)))
    for entry in data.get("technology", []):
        lex.technologies.append((entry["name"], entry.get("kind", ""),
                                 _compile(_both(entry), f"technology {entry['name']}")))
    for entry in data.get("plant", []):
        lex.plants.append((entry.get("kind", "plant"), _compile(_both(entry), "plant")))
    places = data.get("places", {})
    lex.prepositions = {p.casefold() for p in places.get("prepositions", [])}
    terms = _both(places.get("region_words", {}))
    if terms:
        _compile(terms, "places.region_words")
        lex.region_words = "|".join(f"(?:{t})" for t in terms)
    for code, terms in data.get("nationality", {}).items():
        lex.nationality.append((code, _compile(list(terms), f"nationality {code}")))
    for entry in data.get("figure", []):
        key = entry["key"]
        if key not in schema.ENTITY_PROPERTIES and key not in schema.RELATION_PROPERTIES:
            raise IngestError(f"cue lexicon: figure: unknown property {key!r}")
        lex.figures.append({**entry, "regex": re.compile(entry["pattern"], re.I),
                            "requires_re": _compile(list(entry.get("requires", [])), key)})
    lex.stopnames = set(data.get("stopnames", {}).get("terms", []))
    lex.min_score = float(data.get("ingest", {}).get("min_score", 0.5))
    lex.person_roles = _compile(_both(ent.get("person", {})), "entity.person")
    lex.anaphors = _compile(_both(ent.get("anaphor", {})), "entity.anaphor")
    lex.pair_anaphors = _compile(_both(ent.get("pair", {})), "entity.pair")
    lex.venture_anaphors = _compile(_both(ent.get("venture", {})), "entity.venture")
    lex.site_anaphors = _compile(_both(ent.get("site", {})), "entity.site")
    lex.institutions = _compile(_both(ent.get("institution", {})), "entity.institution")
    for name, code in places.get("countries", {}).items():
        if not re.fullmatch(r"[A-Z]{2}", str(code)):
            raise IngestError(f"cue lexicon: places.countries: {name!r} needs an ISO 3166-1 "
                              f"alpha-2 code, not {code!r}")
        lex.country_names[name] = code
    lex.organization_words = _compile(_both(ent.get("organization", {})), "entity.organization")
    industry = ent.get("industry", {})
    names = sorted({str(n) for n in industry.get("names", []) if str(n).strip()},
                   key=len, reverse=True)
    if names:  # names, not patterns: matched as written, a genitive -s or a hyphen may follow
        lex.industry = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) +
                                  r")(?=s\b|['’]s\b|-|(?![\w]))(?! City\b)")
    lex.industry_score = float(industry.get("score", 0.75))
    return lex


@lru_cache(maxsize=1)
def _tagger():
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


@lru_cache(maxsize=50_000)
def _best_tag(word: str) -> tuple[str, float]:
    tag, score = _tagger().tag_word(word)[0]
    return tag, float(score)


def _known_de(word: str) -> bool:
    # HanTa scores a word its lexicon holds near -10, one it only guesses below -25
    return len(word) >= 3 and _best_tag(word)[1] > -20


_NOUN_SUFFIX = re.compile(r"(?:keit|heit|ung|schaft|ität|ismus|tum)(?:en|e|s)?$")


@lru_cache(maxsize=50_000)
def common_noun_de(word: str) -> bool:
    """Whether a capitalised German word is a common noun ("Zellfabrik", "Sitz"), not a
    name ("Leapmotor", "Tesla", "Varta").

    HanTa's German morphology model (shipped inside its package, nothing is downloaded)
    tags the word: a proper noun (NE) is a name; a word its lexicon holds, or a compound
    of two such words ("Zell" + "Fabrik"), is a common noun; anything else may be a name.

    >>> common_noun_de("Zellfabrik"), common_noun_de("Leapmotor"), common_noun_de("Tesla")
    (True, False, False)
    """
    if "-" in word:  # "Lithium-Ionen-Rundzellen", "Vitesco-Sparte"; not "Mercedes-Benz"
        if _best_tag(word)[0] == "NE":
            return False
        return common_noun_de(word.rsplit("-", 1)[1].capitalize())
    if not word[:1].isupper() or any(c.isupper() or c.isdigit() for c in word[1:]):
        return False
    tag, _ = _best_tag(word)
    if tag == "NE":
        return False
    if _known_de(word) or (len(word) >= 8 and _NOUN_SUFFIX.search(word)):
        return True  # "Skalierbarkeit", "Kooperationen": a noun by its ending
    for ending in ("es", "s", "en", "n", "e"):
        # an inflected form the lexicon lacks: "Ökosystems", "Ladenetzes"
        if word.endswith(ending) and len(word) - len(ending) >= 5 and \
                common_noun_de(word[:-len(ending)]):
            return True
    for i in range(4, len(word) - 3):
        head, tail = word[:i], word[i:].capitalize()
        if len(word) >= 12 and len(tail) >= 6 and _known_de(tail):
            return True  # "Gigawattstunden", "Hochleistungsfahrzeuge": a long compound
        if _known_de(tail) and any(_known_de(h) for h in (head, head.rstrip("s"),
                                                          head + "e", head.capitalize())):
            return True
    return False


_FUNCTION_TAGS = re.compile(r"APPR|APPRART|ART|KO|PD|PI|PP|PR|PW|ADV|PROAV|PTK|ADJD|ADJ\(D\)")


def function_word_de(word: str) -> bool:
    """A German word HanTa knows as a function word or adverb ("Um", "Zudem", "Dort"):
    capitalised only because it opens a sentence."""
    tag, score = _best_tag(word)
    return score > -20 and bool(_FUNCTION_TAGS.match(tag))


def noun_de(word: str) -> bool:
    """A German common noun, not an adjective ("Batteriespezialisten", not "Nordische").

    >>> noun_de("Batteriespezialisten"), noun_de("Nordische")
    (True, False)
    """
    last = word.rsplit("-", 1)[-1]
    if re.search(r"(?:isch|lich|ig|al|är|ent)(?:e|en|er|es|em)$", last):
        return False  # a capitalised adjective: "Nordische", "Europäische"
    return common_noun_de(word) and _best_tag(last.capitalize())[0] == "NN"
