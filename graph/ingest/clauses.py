"""Relations from the clause: who does what to whom in one clause of a sentence.

A sentence is cut into clauses at semicolons, dashes and a comma before a relative pronoun or
a conjunction ("…, which …", "…, an dem …", "…, während …"). In each clause with a relation
cue of ``cues.toml``:

* **directed types** (``SUPPLIES``, ``OWNS``, ``INVESTS_IN``, ``FUNDS``, ``DEVELOPS`` …): the
  subject is the nearest fitting mention before the cue, with the names coordinated with it
  ("Hyundai und LG Energy Solution"); the object the first fitting mention after it, with its
  coordinated names ("beliefert BMW, Mercedes-Benz und Ford"). No mention before the cue (a
  German verb-second clause, "Im Gegenzug beteiligt sich Hyundai an …") makes the first one
  after it the subject. An agent after "by"/"von" ("owned by", "von X übernommen") and the
  cues marked ``backward`` swap the two. One claim gives one direction.
* **symmetric types** (``JOINT_VENTURE``, ``PARTNERS_WITH``, ``SIGNED_MOU``): every pair of
  actors of the clause.
* a relative clause ("…, an dem Volkswagen 26 Prozent hält", "…, in which Nissan holds 24
  percent") takes the name before the comma as its object.

"Der Konzern", "the carmaker", "the company" (with no name after them) stand for the last
subject named; "beide Unternehmen", "the two companies", "the partners" for the last two
companies named. A share ("26 Prozent", "a 21% stake", "je 50 Prozent", "owned 50-50 by")
becomes an ``OWNS`` with ``sharePct``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from .. import schema

__all__ = ["Clause", "clauses", "find_clause_relations", "brand_names", "find_brands",
           "find_paired_headings", "outermost", "share_in"]

_CLAUSE_CUT = re.compile(
    r"\s*;\s*|\s+[–—-]\s+|:\s+(?=[„\"“A-ZÄÖÜ])|[„“”\"]|"
    r",\s+(?=(?:which|who|whose|where|while|whereas|although|but|because|after|when|"
    r"während|wobei|nachdem|weil|obwohl|aber|doch|sondern|wo|wie|als|"
    r"(?:an|in|bei|von|mit|für|auf|zu|über|unter|of|in|with|for|at|by)\s+"
    r"(?:dem|der|denen|deren|dessen|which|whom)|der|die|das|dem|den|deren|dessen|"
    r"welche[rsmn]?)\b)")
_ASIDE = re.compile(r",\s+(?:which|who|den|dem|der|die|das)\s[^,;]*,")
_SUPPLY_DEAL = re.compile(r"(?i)(?:supply|liefer)[\s-]*$")
_WITH_WORD = re.compile(r"\b(?:with|mit)\b")
_SUBJECT_RELATIVE = re.compile(r"(?:(?i:which|who|that)|der|die|das)\s+(?-i:[a-zäöü])")
_SECOND_VERB = re.compile(r"\s(?:und|and)\s+(?:hat|ist|wird|will|soll|plant|baut|betreibt|"
                          r"has|is|will|plans|builds|operates|runs)\b")
_WITH = re.compile(r"\b(?:mit|with)\s+(?:dem\s+|der\s+|the\s+)?(?:[\w-]+\s+){0,2}$")
_LISTED = re.compile(r"(der|die|das|den|dem)\s+[A-ZÄÖÜ][\w-]*(?: (?:[A-ZÄÖÜ][\w-]*|\d+\w*))*"
                     r"(?=\s*(?:[,.;]|$|\s(?:und|sowie|oder)\s))")
_APPOSED_JV = re.compile(r"(?i),\s*(?:its|their|the|a|an|das|ein)?\s*(?:[\w-]+\s+)?"
                         r"(?:joint[- ]venture|gemeinschaftsunternehmen)")
_WHERE = re.compile(r"(?i)(?:wo|where|in dem|in der|in which)\b")
_FOR = re.compile(r"\b(?:für|for)\s+(?:den\s+|die\s+|the\s+)?")
_RELATIVE = re.compile(r"(?i:^(?:an|in|bei|von|mit|für|auf|zu|über|of|in|with|for|at|by)\s+"
                       r"(?:dem|der|denen|deren|dessen|which|whom)\b)|"
                       # an object relative: "which Tata bought", "den Tata kaufte"
                       r"^(?:which|whom|den|dem)\s+(?:[\d.]+\s+)?[A-ZÄÖÜ]")
_PASSIVE_AGENT = re.compile(r"(?i)(?:\bby|\bvon|\bvom|\bdurch)\s+(?:the\s+|dem\s+|der\s+|den\s+)?"
                            r"(?:[\w-]+\s+){0,3}$")
_JOINED = re.compile(r"^(?:,\s*|\s+(?:und|and|sowie|as well as|&)\s+|,\s+(?:und|and)\s+)"
                     r"(?:(?:der|die|das|dem|den|des|the)\s+)?(?:[\w-]+\s+){0,2}$")
_PERCENT = re.compile(r"(?i)(?P<each>je(?:weils)?\s+|each\s+)?(?P<value>\d{1,3}(?:[.,]\d+)?)"
                      r"\s*(?:%|prozent|percent|per cent)")
_FIFTY_FIFTY = re.compile(r"(?i)\b(?:50[-:/ ]50|fifty-fifty|zu gleichen teilen|zu je 50|"
                          r"je zur hälfte|equally|in equal shares|je 50|each (?:partner )?"
                          r"(?:owns|holds|hält) 50)")
# "its Lincoln brand", "seine Marke Cupra": one brand after a possessive
_OWN_BRAND = re.compile(r"\b(?:its|their|seine[mnrs]?|ihre[mnrs]?)\s+(?:own\s+|eigene[mnrs]?\s+)?"
                        r"(?:(?:Marken?|brands?)\s+(?=[A-ZÄÖÜ])|(?=[A-ZÄÖÜ][\w-]*\s+brand\b))")
# "der Marken Volkswagen, Skoda und Audi", "brands such as Peugeot, Fiat and Jeep", "the group
# behind Peugeot, Fiat and Jeep": a list of brands
_BRAND_LIST = re.compile(r"(?i:\b(?:marken|brands)(?:\s+(?:wie|such as|like|including))?|"
                         r"\b(?:group|konzern)\s+(?:behind|hinter))\s+(?:the\s+|den\s+)?"
                         r"(?=[A-ZÄÖÜ])")
_GROUP = re.compile(r"(?i)\b(?:group|gruppe|konzern|holdings?)$")


def _is_group(ex, eid: str) -> bool:
    """Whether the entity is a group: by its name ("Stellantis Group") or as the text calls
    it ("Volkswagen-Konzern"); looked up once per entity and article."""
    cache = ex.groups
    if eid not in cache:
        cache[eid] = any(_GROUP.search(f) or re.search(
            rf"{re.escape(f)}[- ](?i:konzerns?|group|gruppe)\b", ex.text) for f in ex.forms(eid))
    return cache[eid]
_SHARE_CUE = re.compile(r"(?i)(?:anteil|beteilig|stake|share|hält|halten|hold|owns?\b|own(?:ed)?|"
                        r"übernimmt|übernehmen|erwirbt|erwerben|kauft|buy|bought|acquir|"
                        r"einstieg|eingestiegen|steigt|"
                        r"takes?|gehört|gehören|controls?)")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str
    relative: bool      # "…, an dem …": its object is the name before it


def clauses(text: str, offset: int = 0) -> list[Clause]:
    """The clauses of one sentence, with offsets into the article.

    >>> [c.text for c in clauses("CATL beliefert BMW, das in Debrecen baut; Tesla nicht.")]
    ['CATL beliefert BMW', 'das in Debrecen baut', 'Tesla nicht.']
    """
    out, pos = [], 0
    for m in _CLAUSE_CUT.finditer(text):
        art = _LISTED.match(text, m.end())
        if art and re.search(rf"\b{art[1]}\s+(?:[a-zäöü-]+\s+)?[A-ZÄÖÜ][^,]*$",
                             text[pos:m.start()]):
            continue  # "baut den Fiat 600, den Jeep Avenger": a list, not a relative clause
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return [Clause(offset + a, offset + b, text[a:b], bool(_RELATIVE.match(text[a:b])))
            for a, b in out if text[a:b].strip()]


def _coordinated(ex, ms, first, forward: bool):
    """*first* and the mentions joined to it by commas or "und"/"and" (same label group)."""
    group = [first]
    i = ms.index(first)
    step = 1 if forward else -1
    j = i + step
    while 0 <= j < len(ms):
        a, b = (group[-1], ms[j]) if forward else (ms[j], group[-1])
        if ms[j].label != first.label and not (ms[j].label in schema.ACTORS and
                                              first.label in schema.ACTORS):
            break
        if not _JOINED.match(ex.text[a.end:b.start]):
            break
        group.append(ms[j])
        j += step
    return group


def share_in(text: str) -> tuple[str, bool]:
    """The percentage a clause gives a stake, and whether it is each party's."""
    m = _PERCENT.search(text)
    if m and _SHARE_CUE.search(text):
        return m["value"].replace(",", "."), bool(m["each"])
    if _FIFTY_FIFTY.search(text):
        return "50", True
    return "", False


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, float("inf")))
    return bool(i) and spans[i - 1][0] <= pos < spans[i - 1][1]


def find_clause_relations(ex) -> None:
    """Relation candidates of every sentence of *ex* (an ``_Extractor``), clause by clause."""
    lex = ex.lex
    for sent in ex.sents:
        ms_sent = outermost(ex._dedupe_spans(ex._in(sent)))
        for clause in clauses(sent.text, sent.start):
            ms = [m for m in ms_sent if clause.start <= m.start < clause.end]
            antecedent = None
            if _WHERE.match(clause.text):
                # "…im schwäbischen Ellwangen, wo Varta seinen Hauptsitz hat": the place
                places = [m for m in ms_sent if m.end <= clause.start and
                          m.label in schema.PLACES]
                antecedent = places[-1] if places else None
            elif clause.relative:
                before_clause = [m for m in ms_sent if m.end <= clause.start and
                                 m.label in schema.ACTORS]
                antecedent = before_clause[-1] if before_clause else None
            elif _SUBJECT_RELATIVE.match(clause.text):
                # "Kia, which is part of the group", "BMW, der in Debrecen ein Werk baut":
                # the name before the comma is the clause's subject
                before_clause = [m for m in ms_sent if m.end <= clause.start and
                                 m.label in schema.ACTORS]
                if before_clause and not ex.text[before_clause[-1].end:clause.start].strip(
                        " ,"):
                    ms = [before_clause[-1]] + ms
            cues = [(c, m) for c in lex.relations for m in c.pattern.finditer(clause.text)
                    if not _inside(ex.anaphor_spans, clause.start + m.start())]
            # a partnership word inside a joint venture's cue ("set up together") or after
            # "supply" ("supply agreements with") is no partnership of its own
            jv_spans = [m.span() for c, m in cues if c.type == "JOINT_VENTURE"]
            cues = [(c, m) for c, m in cues if c.type != "PARTNERS_WITH" or not (
                any(a <= m.start() < b for a, b in jv_spans) or
                _SUPPLY_DEAL.search(clause.text, max(0, m.start() - 12), m.start()))]
            # one claim, one direction: "a subsidiary of" holds "subsidiary"; the longer cue
            # of a type says which way it goes
            cues = [(c, m) for c, m in cues if not any(
                c2.type == c.type and m2.start() <= m.start() and m.end() <= m2.end() and
                m2.end() - m2.start() > m.end() - m.start() for c2, m2 in cues)]
            share, each = share_in(clause.text)
            for cue, cm in cues:
                pos, end = clause.start + cm.start(), clause.start + cm.end()
                spec = schema.REL_TYPES[cue.type]
                if spec.symmetric:
                    jvs = {j for j, _ in ex.joint_ventures}
                    actors = [m for m in ms if m.label in schema.ACTORS and not (
                        cue.type == "JOINT_VENTURE" and (m.entity in jvs or _APPOSED_JV.match(
                            ex.text, m.end)))]
                    if antecedent is not None:
                        actors = [antecedent] + actors
                    elif len({a.entity for a in actors}) == 1 and _WITH.search(
                            ex.text, clause.start, actors[0].start):
                        # "Zudem wurde ein Joint Venture mit Rivian gegründet": with the
                        # company the text is about
                        subject = ex.subject_before(actors[0].start)
                        actors = [subject] + actors if subject is not None else actors
                    with_at = _WITH_WORD.search(ex.text, actors[0].end, end) if actors else None
                    if with_at is None and actors:
                        with_at = _WITH_WORD.search(ex.text, end, actors[-1].start)
                    if with_at is not None and actors[0].start > with_at.start():
                        with_at = None  # "Mit BMW und Daimler kooperiert Bosch"
                    for i, x in enumerate(actors):
                        for y in actors[i + 1:]:
                            if with_at is not None and x.start > with_at.start():
                                continue  # "agreements with Lucid and with Mazda": each
                                # with the subject, not with one another
                            if x.entity != y.entity:
                                ex.relate(cue.type, x.entity, y.entity, cue.score,
                                          (x.start, y.end), cm.group(), sent)
                    continue
                _directed(ex, sent, clause, ms, cue, cm.group(), pos, end, spec, antecedent,
                          share, each)
            if share and not any(c.type in ("OWNS", "INVESTS_IN") for c, _ in cues):
                # "Porsche hält künftig rund 51 Prozent an V4Drive": a share without a cue word
                _share_only(ex, sent, clause, ms, share, each, antecedent)


def _in_parentheses(ex, m) -> bool:
    """"DAF Trucks (Werk Temse) integriert ...": an aside, not the subject."""
    return ex.text.rfind("(", max(0, m.start - 40), m.start) > ex.text.rfind(
        ")", max(0, m.start - 40), m.start) and ")" in ex.text[m.end:m.end + 40]


def outermost(ms):
    """Mentions not inside a longer one: in "the Lansing project" (a plant) the city is part
    of the plant's name; in "the South Korean supplier" the country is part of the company's."""
    return [m for m in ms if not any(x.start <= m.start and m.end <= x.end and
                                     x.end - x.start > m.end - m.start for x in ms)]


def _directed(ex, sent, clause, ms, cue, word, pos, end, spec, antecedent, share, each):
    # a backward cue names the relation's target first ("The project received a grant from
    # the fund"): the first mention takes the target's labels, the second the source's
    first, second = (spec.targets, spec.sources) if cue.direction == "backward" else \
        (spec.sources, spec.targets)
    srcs = [m for m in ms if m.label in first and not (
        m.end <= pos and _in_parentheses(ex, m))]
    possessive = {id(m) for m in ms if re.match(r"['’]s\b", ex.text[m.end:m.end + 2])}
    targets = second + (("Technology",) if cue.type == "PRODUCES" else ())
    tgts = [m for m in ms if m.label in targets and id(m) not in possessive]
    if "Plant" in targets and "Region" in targets:
        # "a grant to PowerCo's plant in St. Thomas": the plant, not its city (one span)
        plants = {(m.start, m.end) for m in tgts if m.label == "Plant"}
        tgts = [m for m in tgts if m.label != "Region" or (m.start, m.end) not in plants]
    before = [m for m in srcs if m.end <= pos]
    after_t = [m for m in tgts if m.start >= end]
    subject = object_ = None
    between = [t for t in tgts if before and before[0].end <= t.start and t.end <= pos
               and t.entity != before[0].entity]
    if before and not after_t and between:
        # a German verb at the end: "CATL wird das BMW-Werk mit Zellen beliefern", "Die
        # Regierung unterstützt das Projekt mit einer Förderung"
        subject = [before[0]]
        object_ = _coordinated(ex, tgts, between[0], forward=True)
    elif before and len(before) >= 2 and ex.text.count(",", before[0].end, pos) >= 2:
        # "The carmaker, majority-owned by China's Geely, builds ...": past the insertion
        subject = [before[0]]
        if after_t:
            object_ = _coordinated(ex, tgts, after_t[0], forward=True)
    elif before and _SECOND_VERB.search(ex.text, before[-1].end, pos):
        # "CATL beliefert VW ... und hat in Arnstadt eine Europazentrale": the second verb
        # shares the clause's subject
        subject = [before[0]]
        if after_t:
            object_ = _coordinated(ex, tgts, after_t[0], forward=True)
    elif before:
        subject = _coordinated(ex, srcs, before[-1], forward=False)
        if after_t:
            object_ = _coordinated(ex, tgts, after_t[0], forward=True)
    else:
        after_s = [m for m in srcs if m.start >= end]
        if after_s and re.fullmatch(r"\s*(?:sich\s+)?(?:\S+\s+){0,2}",
                                    ex.text[end:after_s[0].start]) and not re.search(
                r"\b(?:to|an|für|for)\s", ex.text[end:after_s[0].start]):
            # not "will be supplied exclusively to Ford": the recipient
            subject = [after_s[0]]
            rest = [m for m in tgts if m.start > after_s[0].start]
            if rest:
                object_ = _coordinated(ex, tgts, rest[0], forward=True)
    if antecedent is not None and antecedent.label in spec.targets:
        # "Gotion, an dem der Volkswagen-Konzern 26 Prozent hält": the name before the comma
        subject = subject or ([m for m in srcs] or None)
        object_ = [antecedent]
    if not subject and not before and after_t and cue.type in ("PRODUCES", "SUPPLIES"):
        # "Rund 12.000 Beschäftigte bauen dort das Model Y", "The cells will be supplied
        # to Ford": the company the text is about
        earlier = ex.subject_before(pos)
        if earlier is not None and earlier.label in spec.sources:
            subject = [earlier]
            object_ = _coordinated(ex, tgts, after_t[0], forward=True)
            if any(o.entity == earlier.entity for o in object_):
                subject = None  # "supplied to Ford and its Lincoln brand": Ford is the buyer
    if subject and cue.type == "PRODUCES":
        # "fertigt in Graz Modelle für BMW, Mercedes-Benz und Toyota": made for a customer
        for m in _FOR.finditer(clause.text):
            buyers = [x for x in ms if x.start == clause.start + m.end() and
                      x.label in schema.ACTORS]
            if buyers:
                for b in _coordinated(ex, [x for x in ms if x.label in schema.ACTORS],
                                      buyers[0], forward=True):
                    ex.relate("SUPPLIES", subject[0].entity, b.entity, cue.score,
                              (subject[0].start, b.end), f"{word} {m.group().strip()}", sent)
    if subject and not object_ and cue.type == "SUPPLIES":
        # "liefert Zellen für die Hybridversion des Porsche 911": the model's maker buys
        model = next((m for m in ms if m.start >= end and m.entity in ex.model_brand), None)
        if model is not None:
            object_ = [replace(model, entity=ex.model_brand[model.entity], label="Company",
                               place=None)]
    if not subject or not object_:
        return
    backward = cue.direction == "backward"
    agent = object_[0]
    if _PASSIVE_AGENT.search(ex.text[clause.start:agent.start]) and \
            pos < agent.start and not backward:
        backward = True
    if backward:
        subject, object_ = object_, subject
    # far apart in one sentence: less sure; the company of an earlier sentence is as sure
    far = abs(pos - subject[-1].start) >= 200 and subject[-1].start >= sent.start
    score = cue.score * 0.8 if far else cue.score
    for s in subject:
        for o in object_:
            if s.entity == o.entity:
                continue
            rtype = cue.type
            if rtype == "PRODUCES" and o.label == "Technology":
                rtype = "DEVELOPS"  # "Hersteller von Batteriezellen": a technology is developed
            ex.relate(rtype, s.entity, o.entity, score, (min(s.start, o.start),
                                                            max(s.end, o.end)), word, sent)
            if share and cue.type in ("OWNS", "INVESTS_IN"):
                ex.relate("OWNS", s.entity, o.entity, max(score, 0.7),
                          (min(s.start, o.start), max(s.end, o.end)), word, sent, share=share)


def _share_only(ex, sent, clause, ms, share, each, antecedent):
    actors = [m for m in ms if m.label in schema.ACTORS]
    if antecedent is not None and actors:
        ex.relate("OWNS", actors[0].entity, antecedent.entity, 0.7,
                  (antecedent.start, actors[0].end), f"{share} %", sent, share=share)
        return
    pct = _PERCENT.search(clause.text)
    if len(actors) >= 2 and pct and _SHARE_CUE.search(clause.text):
        before = [m for m in actors if m.start < clause.start + pct.start()]
        after = [m for m in actors if m.start > clause.start + pct.start()]
        if before and after:
            ex.relate("OWNS", before[-1].entity, after[0].entity, 0.65,
                      (before[-1].start, after[0].end), f"{share} %", sent, share=share)


def _listed(ex, ms, first):
    """*first* and the actors listed after it ("Skoda, Cupra und Audi")."""
    out = [first]
    for m in ms[ms.index(first) + 1:]:
        if not re.fullmatch(r",\s*|\s+(?:and|und|sowie|&)\s+|,\s+(?:and|und)\s+",
                            ex.text[out[-1].end:m.start]):
            break
        if m.label in schema.ACTORS:
            out.append(m)
    return out


_BRAND_NAME = re.compile(r"[A-ZÄÖÜ][\w-]*(?: [A-ZÄÖÜ][\w-]*){0,2}")
_BRAND_JOIN = re.compile(r",\s*(?:(?:and|und)\s+)?|\s+(?:and|und|sowie|&)\s+")


def brand_names(text: str) -> list[tuple[str, int]]:
    """The names a brand phrase introduces, with their offsets: "its Lincoln brand" gives
    Lincoln, "der Marken Volkswagen, Skoda, Cupra und Audi" the four names."""
    out = []
    for pattern, single in ((_OWN_BRAND, True), (_BRAND_LIST, False)):
        for m in pattern.finditer(text):
            pos = m.end()
            while True:
                n = _BRAND_NAME.match(text, pos)
                if n is None:
                    break
                name = re.sub(r"\s+brand$", "", n.group())
                out.append((name, n.start()))
                j = _BRAND_JOIN.match(text, n.end())
                if single or j is None:
                    break
                pos = j.end()
    return out


def find_brands(ex) -> None:
    """Brands named as such belong to the company that owns them (``OWNS``): "Ford and its
    Lincoln brand", "seine Marke Cupra", "Elektroautos der Marken Volkswagen, Skoda und
    Audi", "the group behind Peugeot, Fiat and Jeep". The owner is the actor named last
    before the phrase in its sentence (for "its"), else the company the text is about."""
    for pattern, possessive in ((_OWN_BRAND, True), (_BRAND_LIST, False)):
        for m in pattern.finditer(ex.text):
            sent = ex._sentence_at(m.start())
            ms = [x for x in ex._dedupe_spans(ex._in(sent)) if x.label in schema.ACTORS]
            first = next((x for x in ms if x.start == m.end()), None)
            if first is None:
                continue
            brands = _listed(ex, ms, first) if not possessive else [first]
            # not a name inside an insertion: "JLR, which Tata bought from Ford in 2008,
            # plans to switch its Jaguar brand" (JLR's brand)
            asides = [(a.start(), a.end()) for a in _ASIDE.finditer(ex.text, sent.start,
                                                                    m.start())]
            before = [x for x in ms if x.end <= m.start() and not _inside(asides, x.start)]
            # "der Marken Volkswagen, Skoda und Audi": the brand that is the group owns the rest
            group = next((b for b in brands if _is_group(ex, b.entity)), None)
            owner = group or (before[-1] if before and (possessive or re.match(
                r"(?i)group|konzern", m.group())) else ex.subject_before(m.start()))
            if owner is None or owner.label not in schema.REL_TYPES["OWNS"].sources:
                continue
            for brand in brands:
                if brand.entity != owner.entity and brand.label == "Company":
                    ex.relate("OWNS", owner.entity, brand.entity, 0.7,
                              (min(owner.start, brand.start), brand.end),
                              m.group().strip(), sent)


_HEADING = re.compile(r"(?m)^(?:\d{1,2}\.\s*)?(?P<a>[^\n&:]{2,50}?)\s+&\s+(?P<b>[^\n&:]{2,50}?)"
                      r"\s*(?::|$)")


def find_paired_headings(ex) -> None:
    """A heading that pairs two companies ("3. Van Hool & Toyota: Wasserstoffbusse"): a
    list article's way of naming a partnership (``PARTNERS_WITH``). A plant in the heading
    ("Volvo Gent & Geely") stands for the company that runs it."""
    operators = {r.target: r.source for r in ex.relations.values() if r.type == "OPERATES"}
    for m in _HEADING.finditer(ex.text):
        sent = ex._sentence_at(m.start("a"))
        ms = ex._in(sent)
        ends = []
        for g in ("a", "b"):
            hit = next((x for x in ms if x.start == m.start(g) and x.end == m.end(g)), None)
            eid = hit and (operators.get(hit.entity) if hit.label == "Plant" else hit.entity)
            if eid is None or ex._label(eid) not in schema.ACTORS:
                break
            ends.append(eid)
        if len(ends) == 2:
            ex.relate("PARTNERS_WITH", ends[0], ends[1], 0.6, (m.start(), m.end()),
                      "A & B heading", sent)
