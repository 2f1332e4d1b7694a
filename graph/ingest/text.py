"""Articles as plain text: reading text, Markdown and HTML files, and splitting sentences.

Offsets everywhere in ingest are character offsets into the plain text this module returns;
the candidates folder keeps that text (``articles/<source id>.txt``) so they stay meaningful.

Sentences are cut line by line (articles put headings, table rows and captions on lines of
their own, without a full stop) at a full stop, question or exclamation mark followed by a
capital, a digit or a quote, except after an abbreviation ("Dr.", "Inc.", "z.B."), an
initial or a day's number ("12. August"). This is the split pysbd makes on the evaluation
corpus and the seed articles (``tests/test_ingest_recall.py`` compares them), in linear time:
pysbd took 16 s per megabyte, and an article of 5 MB must be ingested within 30 s.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import IngestError

__all__ = ["Article", "read_article", "sentences", "detect_language", "Sentence"]

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
               "table", "section", "article", "header", "footer", "blockquote", "title",
               "figcaption", "pre", "hr", "dt", "dd"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


@dataclass
class Article:
    """One article: its plain text and what its file says about it."""

    path: Path
    text: str
    title: str = ""
    language: str = ""


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_title = False
        self.title = ""

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if not self.skip:
            self.parts.append(data)


def _html_to_text(raw: str) -> tuple[str, str]:
    parser = _TextExtractor()
    parser.feed(raw)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    return text, " ".join(parser.title.split())


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")


def _markdown_to_text(raw: str) -> str:
    text = _MD_LINK.sub(r"\1", raw)
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    return text


def _looks_like_html(path: Path, raw: str) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = raw.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(body|p|div|article)[\s>]", head))


def read_article(path: str | Path) -> Article:
    """Read a plain-text, Markdown or HTML article (UTF-8) as plain text.

    Raises :class:`~graph.errors.IngestError` naming the file when it is missing, a folder,
    unreadable, not UTF-8 text, or empty.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise IngestError(f"{path}: no such file") from err
    except IsADirectoryError as err:
        raise IngestError(f"{path}: is a folder, not an article file") from err
    except OSError as err:
        raise IngestError(f"{path}: cannot read the file ({err.strerror})") from err
    if b"\x00" in data[:4096]:
        raise IngestError(f"{path}: not a text file (binary content); ingest reads plain "
                          "text, Markdown or HTML")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(f"{path}: not UTF-8 text (invalid byte at offset {err.start}); "
                          "save the article as UTF-8") from err
    title = ""
    if _looks_like_html(path, raw):
        text, title = _html_to_text(raw)
    elif path.suffix.lower() in (".md", ".markdown"):
        text = _markdown_to_text(raw)
    else:
        text = _MD_LINK.sub(r"\1", raw)
    text = html.unescape(text) if "&" in text and ";" in text else text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(f"{path}: the article is empty")
    return Article(path=path, text=text, title=title)


_DE_WORDS = re.compile(r"\b(der|die|das|und|mit|von|für|ist|sich|nicht|auf|eine?n?|dem|den|"
                       r"des|wird|werden|sind)\b", re.I)
_EN_WORDS = re.compile(r"\b(the|and|with|of|for|is|are|has|have|will|its|from|that|this|"
                       r"which|an?)\b", re.I)


def detect_language(text: str) -> str:
    """``"de"`` or ``"en"``, by counting frequent function words.

    >>> detect_language("Die BMW Group und Jaguar Land Rover werden zusammen entwickeln.")
    'de'
    >>> detect_language("The BMW Group and Jaguar Land Rover will develop drives together.")
    'en'
    """
    return "de" if len(_DE_WORDS.findall(text)) >= len(_EN_WORDS.findall(text)) else "en"


_ABBREVIATIONS = frozenset({
    "dr", "prof", "mr", "mrs", "ms", "st", "nr", "no", "inc", "ltd", "co", "corp", "jr", "sr",
    "vs", "ca", "bzw", "usw", "evtl", "ggf", "inkl", "mio", "mrd", "tsd", "vgl", "gmbh", "mbh",
    "str", "abs", "bsp", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "okt", "nov", "dec", "dez", "fig", "approx", "dept", "est", "resp"})
_SENTENCE_END = re.compile(r"([.!?…]+)([\"”“'’»)\]]*)(\s+)(?=[\"„“'‘»(\[]?[A-ZÄÖÜÉ0-9])")
_LAST_WORD = re.compile(r"([\w.]+)$")


def _split_line(line: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(line):
        if m.group(1) == ".":
            word = _LAST_WORD.search(line, max(start, m.start() - 40), m.start())
            w = word.group(1).lower() if word else ""
            if w in _ABBREVIATIONS or (w.isdigit() and len(w) <= 2) or len(w) == 1 or \
                    re.fullmatch(r"(?:\w\.)+\w", w):
                continue  # "Dr.", "12. August", "J. Smith", "z.B."
        out.append((start, m.end(2)))
        start = m.end()
    if line[start:].strip():
        out.append((start, len(line)))
    return out


def sentences(text: str, language: str) -> list[Sentence]:
    """The sentences of *text*, with character offsets into it (*language* is accepted
    for callers that know it; the rules serve German and English alike).

    >>> [s.text for s in sentences("Dr. Weber sagte am 12. August: Das Werk in Gent. Gut!", "de")]
    ['Dr. Weber sagte am 12. August: Das Werk in Gent.', 'Gut!']
    """
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        for a, b in _split_line(line):
            piece = line[a:b]
            lead = len(piece) - len(piece.lstrip())
            body = piece.strip()
            if body:
                start = pos + a + lead
                out.append(Sentence(start, start + len(body), body))
        pos += len(line) + 1
    return out
