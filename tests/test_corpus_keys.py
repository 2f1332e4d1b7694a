"""Every key of the ingest evaluation corpus (tests/corpus/*/) agrees with graph/schema.py.

The keys are read here by a reader of our own, written from the format in
tests/corpus/README.md, not by ingest's (graph/ingest/evaluate.py): a key error that both
readers share would otherwise pass unseen. A key is sound when every entity has a label of
the schema and a name the article gives (a region by the stem of a name, as "Münchner" gives
Munich; a plant by its name or by the words of `<operator> <city>`; a country is exempt, the
articles mostly give it by an adjective such as "polnischen"), no name stands for two
entities of one label, every relation has a type of the schema, the arrow of its symmetry
(`--` or `->`), ends that are entities of the key with labels its type takes, at most one
`sharePct` (0-100, ownership types only), and no relation is keyed twice.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.schema import NODE_LABELS, REL_TYPES, rel_types_in

CORPUS = Path(__file__).resolve().parent / "corpus"
PARTS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
KEYS = sorted(CORPUS.glob("*/*.key.toml"))

ENTITY_RE = re.compile(r"(?P<label>\w+): (?P<names>\S.*)")
RELATION_RE = re.compile(r"(?P<type>[A-Z_]+): (?P<source>\S.*?) (?P<arrow>->|--) "
                         r"(?P<target>\S.*?)(?:; (?P<prop>\w+)=(?P<value>\S+))?")
REGION_STEM = 4  # a region is named by the first letters of a name: "Münc" in "Münchner"


def _line_of(lines: list[str], item: str, start: int) -> int:
    """The 1-based line of the list item *item* at or after line *start* (0-based)."""
    quoted = '"' + item + '"'
    for i in range(start, len(lines)):
        if quoted in lines[i]:
            return i + 1
    return start + 1


def key_problems(key_text: str, article: str | None = None) -> list[tuple[int, str, str]]:
    """The problems of one key as ``(line, field, message)``, in file order.

    *article* is the article's text; without it the names are not looked up in it.
    """
    try:
        doc = tomllib.loads(key_text)
    except tomllib.TOMLDecodeError as err:
        return [(getattr(err, "lineno", 1) or 1, "toml", str(err))]
    problems: list[tuple[int, str, str]] = []
    for field in sorted(set(doc) ^ {"entities", "relations"}):
        problems.append((1, field, "a key holds exactly 'entities' and 'relations'"))
    lines = key_text.splitlines()
    text = (article or "").casefold()

    labels: dict[str, str] = {}        # first name -> label
    names: dict[str, list[str]] = {}   # first name -> all its names
    owner: dict[tuple[str, str], int] = {}  # (label, casefolded name) -> its entity's line
    at = 0
    for item in doc.get("entities", []):
        at = _line_of(lines, item, at) - 1
        m = ENTITY_RE.fullmatch(item) if isinstance(item, str) else None
        if not m or m["label"] not in NODE_LABELS:
            problems.append((at + 1, "entities", f"{item!r} is not 'Label: name | alias' "
                                                  "with a label of graph/schema.py"))
            continue
        all_names = [n.strip() for n in m["names"].split("|")]
        first = all_names[0]
        if not all(all_names):
            problems.append((at + 1, "entities", f"{item!r} has an empty name"))
            continue
        for name in dict.fromkeys(n.casefold() for n in all_names):
            if owner.setdefault((m["label"], name), at + 1) != at + 1:
                problems.append((at + 1, "entities", f"{name!r} already names the "
                                                      f"{m['label']} of line "
                                                      f"{owner[m['label'], name]}"))
        labels[first], names[first] = m["label"], all_names

    seen: dict[tuple[str, str, str], int] = {}
    at = 0
    for item in doc.get("relations", []):
        at = _line_of(lines, item, at) - 1
        line = at + 1
        m = RELATION_RE.fullmatch(item) if isinstance(item, str) else None
        if not m or m["type"] not in REL_TYPES:
            problems.append((line, "relations", f"{item!r} is not 'TYPE: source -> target' "
                                                "with a type of graph/schema.py"))
            continue
        rtype, spec = m["type"], REL_TYPES[m["type"]]
        source, target = m["source"], m["target"]
        arrow = "--" if spec.symmetric else "->"
        if m["arrow"] != arrow:
            problems.append((line, "relations", f"{rtype} is {'' if spec.symmetric else 'not '}"
                                                f"symmetric: write {source} {arrow} {target}"))
        missing = [end for end in (source, target) if end not in labels]
        for end in missing:
            problems.append((line, "relations", f"{end!r} is not the first name of an entity "
                                                "of this key"))
        if missing:
            continue
        if labels[source] not in spec.sources:
            problems.append((line, "relations", f"{rtype} does not start at a "
                                                f"{labels[source]} ({source!r})"))
        if labels[target] not in spec.targets:
            problems.append((line, "relations", f"{rtype} does not end at a "
                                                f"{labels[target]} ({target!r})"))
        if source == target:
            problems.append((line, "relations", f"{item!r} joins {source!r} to itself"))
        if m["prop"] is not None:
            problems.extend((line, "relations", msg)
                            for msg in _share_problems(rtype, m["prop"], m["value"]))
        ends = tuple(sorted((source, target))) if spec.symmetric else (source, target)
        if (rtype, *ends) in seen:
            problems.append((line, "relations", f"{item!r} repeats line {seen[rtype, *ends]}"))
        seen.setdefault((rtype, *ends), line)

    if article is not None:
        at = 0
        for item in doc.get("entities", []):
            at = _line_of(lines, item, at) - 1
            m = ENTITY_RE.fullmatch(item) if isinstance(item, str) else None
            if m and m["label"] in NODE_LABELS and all(n.strip() for n in m["names"].split("|")):
                first = m["names"].split("|")[0].strip()
                if not _named_in(text, labels[first], names[first]):
                    problems.append((at + 1, "entities", f"the article does not name {item!r}"))
    return sorted(problems)


def _share_problems(rtype: str, prop: str, value: str) -> list[str]:
    if prop != "sharePct":
        return [f"{prop!r} is not a property of a key: only sharePct"]
    if rtype not in rel_types_in("ownership"):
        return [f"sharePct on {rtype}: only on {', '.join(rel_types_in('ownership'))}"]
    try:
        pct = float(value)
    except ValueError:
        return [f"sharePct={value} is not a number"]
    return [] if 0 < pct <= 100 else [f"sharePct={value} is not in (0, 100]"]


def _named_in(text: str, label: str, names: list[str]) -> bool:
    """Whether the (casefolded) article names an entity of *label* by one of *names*."""
    folded = [n.casefold() for n in names]
    if label == "Country":
        return True
    if label == "Region":
        return any(n[:REGION_STEM] in text for n in folded)
    if any(n in text for n in folded):
        return True
    # a plant with no name of its own is keyed `<operator> <city>`
    return label == "Plant" and any(all(w in text for w in n.split()) for n in folded)


def check_key(path: Path) -> list[str]:
    """The problems of the key at *path*, each ``path:line: field: message``."""
    article = path.with_name(path.name.removesuffix(".key.toml") + ".txt")
    text = article.read_text(encoding="utf-8") if article.exists() else None
    problems = key_problems(path.read_text(encoding="utf-8"), text)
    if text is None:
        problems.insert(0, (1, "article", f"no article {article.name} beside the key"))
    return [f"{path}:{line}: {field}: {msg}" for line, field, msg in problems]


# -- the corpus ------------------------------------------------------------------------------

def test_the_corpus_has_its_three_parts():
    assert {"tune", "test", "holdout"} <= set(PARTS)
    assert len(KEYS) >= 42


@pytest.mark.parametrize("path", KEYS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_key_agrees_with_the_schema_and_its_article(path):
    assert check_key(path) == []


@pytest.mark.parametrize("part", PARTS)
def test_every_article_has_a_key(part):
    articles = {p.stem for p in (CORPUS / part).glob("*.txt")}
    keys = {p.name.removesuffix(".key.toml") for p in (CORPUS / part).glob("*.key.toml")}
    assert articles == keys


def test_the_holdout_part():
    """Twelve articles 31-42, German on odd numbers and English on even ones, 150-400 words,
    each a title line and a body opening with a dateline; no number shared with another part."""
    articles = sorted((CORPUS / "holdout").glob("*.txt"))
    assert [int(p.name[:2]) for p in articles] == list(range(31, 43))
    for path in articles:
        title, body = path.read_text(encoding="utf-8").split("\n", 1)
        assert 150 <= len(f"{title} {body}".split()) <= 400, path.name
        assert re.match(r"[A-ZÄÖÜ][A-ZÄÖÜ .'/-]+, .{4,40}? – ", body), path.name
        words = body.casefold().split()
        german = words.count("und") + words.count("der") > words.count("and") + words.count("the")
        assert german == (int(path.name[:2]) % 2 == 1), path.name
    others = {p.name[:2] for p in CORPUS.glob("*/*.txt") if p.parent.name != "holdout"}
    assert not others & {p.name[:2] for p in articles}


# -- the checker itself ----------------------------------------------------------------------

GOOD = ['"Company: Kestrel | Kestrel AG"', '"Company: Lumen Motors"', '"Region: Gent"',
        '"Plant: Kestrel Gent"', '"Country: Belgium"']
ARTICLE = ("GENT, 1. März 2024 – Der Zulieferer Kestrel AG beliefert Lumen Motors aus "
           "seinem Werk im belgischen Gent.")


def _key(entities: list[str], relations: list[str]) -> str:
    return ("entities = [\n" + "".join(f"  {e},\n" for e in entities) + "]\n"
            "relations = [\n" + "".join(f"  {r},\n" for r in relations) + "]\n")


def test_a_sound_key_has_no_problem(tmp_path):
    rels = ['"SUPPLIES: Kestrel -> Lumen Motors"', '"OPERATES: Kestrel -> Kestrel Gent"',
            '"LOCATED_IN: Kestrel Gent -> Gent"', '"LOCATED_IN: Gent -> Belgium"',
            '"OWNS: Lumen Motors -> Kestrel; sharePct=4.99"']
    path = tmp_path / "01-x.key.toml"
    path.write_text(_key(GOOD, rels), encoding="utf-8")
    path.with_name("01-x.txt").write_text(ARTICLE, encoding="utf-8")
    assert check_key(path) == []


@pytest.mark.parametrize("entity, relation, message", [
    ('"Firm: Acme"', None,
     "entities: 'Firm: Acme' is not 'Label: name | alias' with a label of graph/schema.py"),
    ('"Region: Gent | Ghent"', None, "entities: 'gent' already names the Region of line 4"),
    ('"Company: Nordcell"', None, "entities: the article does not name 'Company: Nordcell'"),
    ('"Plant: Nordcell Gent"', None, "entities: the article does not name 'Plant: Nordcell Gent'"),
    ('"Region: Brussels"', None, "entities: the article does not name 'Region: Brussels'"),
    (None, '"LIKES: Kestrel -> Gent"',
     "relations: 'LIKES: Kestrel -> Gent' is not 'TYPE: source -> target' with a type of "
     "graph/schema.py"),
    (None, '"OWNS: Kestrel -> Nobody"',
     "relations: 'Nobody' is not the first name of an entity of this key"),
    (None, '"OWNS: Kestrel AG -> Lumen Motors"',
     "relations: 'Kestrel AG' is not the first name of an entity of this key"),
    (None, '"OWNS: Kestrel -> Gent"', "relations: OWNS does not end at a Region ('Gent')"),
    (None, '"LOCATED_IN: Belgium -> Gent"',
     "relations: LOCATED_IN does not start at a Country ('Belgium')"),
    (None, '"JOINT_VENTURE: Kestrel -> Lumen Motors"',
     "relations: JOINT_VENTURE is symmetric: write Kestrel -- Lumen Motors"),
    (None, '"SUPPLIES: Kestrel -- Lumen Motors"',
     "relations: SUPPLIES is not symmetric: write Kestrel -> Lumen Motors"),
    (None, '"SUPPLIES: Kestrel -> Kestrel"', "relations: 'SUPPLIES: Kestrel -> Kestrel' joins "
                                             "'Kestrel' to itself"),
    (None, '"SUPPLIES: Kestrel -> Lumen Motors; sharePct=5"',
     "relations: sharePct on SUPPLIES: only on OWNS, INVESTS_IN"),
    (None, '"OWNS: Kestrel -> Lumen Motors; sharePct=120"',
     "relations: sharePct=120 is not in (0, 100]"),
    (None, '"OWNS: Kestrel -> Lumen Motors; sharePct=half"',
     "relations: sharePct=half is not a number"),
    (None, '"OWNS: Kestrel -> Lumen Motors; stake=5"',
     "relations: 'stake' is not a property of a key: only sharePct"),
])
def test_a_bad_key_names_file_line_and_field(tmp_path, entity, relation, message):
    entities = GOOD + ([entity] if entity else [])
    relations = ['"OPERATES: Kestrel -> Kestrel Gent"', '"LOCATED_IN: Kestrel Gent -> Gent"']
    relations += [relation] if relation else []
    body = _key(entities, relations)
    path = tmp_path / "01-x.key.toml"
    path.write_text(body, encoding="utf-8")
    path.with_name("01-x.txt").write_text(ARTICLE, encoding="utf-8")
    lineno = body.splitlines().index(f"  {entity or relation},") + 1
    assert check_key(path) == [f"{path}:{lineno}: {message}"]


def test_a_repeated_relation_and_a_missing_article(tmp_path):
    rels = ['"JOINT_VENTURE: Kestrel -- Lumen Motors"', '"JOINT_VENTURE: Lumen Motors -- Kestrel"']
    path = tmp_path / "01-x.key.toml"
    path.write_text(_key(GOOD, rels), encoding="utf-8")
    assert check_key(path) == [
        f"{path}:1: article: no article 01-x.txt beside the key",
        f"{path}:10: relations: 'JOINT_VENTURE: Lumen Motors -- Kestrel' repeats line 9"]


def test_a_key_with_other_fields_or_bad_toml(tmp_path):
    path = tmp_path / "01-x.key.toml"
    path.write_text('entities = []\nrelation = []\n', encoding="utf-8")
    assert key_problems(path.read_text()) == [
        (1, "relation", "a key holds exactly 'entities' and 'relations'"),
        (1, "relations", "a key holds exactly 'entities' and 'relations'")]
    assert key_problems('entities = ["a"\n')[0][1] == "toml"


# -- property: the checker accepts what the schema allows and nothing else -------------------

def _pairs():
    """(type, source label, target label) for every combination the schema allows."""
    return [(t, s, g) for t, spec in REL_TYPES.items() for s in spec.sources
            for g in spec.targets]


@st.composite
def schema_keys(draw):
    """A key of entities E0..En with random labels and relations drawn from what the schema
    allows between them; returns the key's text and its relations."""
    labels = draw(st.lists(st.sampled_from(sorted(NODE_LABELS)), min_size=2, max_size=6))
    allowed = [(t, i, j) for t, s, g in _pairs()
               for i, a in enumerate(labels) for j, b in enumerate(labels)
               if i != j and (a, b) == (s, g)]
    rels = draw(st.lists(st.sampled_from(allowed), unique_by=lambda r: (
        r[0], *(sorted(r[1:]) if REL_TYPES[r[0]].symmetric else r[1:])), max_size=8)
        if allowed else st.just([]))
    entities = [f'"{label}: E{i} | Alias {i}"' for i, label in enumerate(labels)]
    lines = [f'"{t}: E{i} {"--" if REL_TYPES[t].symmetric else "->"} E{j}"' for t, i, j in rels]
    return labels, rels, _key(entities, lines)


@settings(max_examples=150, deadline=None)
@given(schema_keys())
def test_the_checker_accepts_every_key_the_schema_allows(drawn):
    _, _, text = drawn
    assert key_problems(text) == []


@settings(max_examples=150, deadline=None)
@given(schema_keys(), st.data())
def test_the_checker_flags_a_relation_turned_round_against_the_schema(drawn, data):
    """Turning a directed relation round is flagged exactly when the schema does not allow
    the reversed labels; a symmetric one never is."""
    labels, rels, text = drawn
    if not rels:
        return
    t, i, j = data.draw(st.sampled_from(rels))
    arrow = "--" if REL_TYPES[t].symmetric else "->"
    flipped = text.replace(f'"{t}: E{i} {arrow} E{j}"', f'"{t}: E{j} {arrow} E{i}"')
    allowed = (labels[j] in REL_TYPES[t].sources and labels[i] in REL_TYPES[t].targets)
    repeated = (t, j, i) in rels or REL_TYPES[t].symmetric
    problems = key_problems(flipped)
    if REL_TYPES[t].symmetric:
        assert problems == []
    elif allowed and not repeated:
        assert problems == []
    else:
        assert problems, flipped
