"""Diagrams for reports: a Mermaid flowchart and a Graphviz digraph.

Text from the data is escaped for each: in Mermaid every label is a quoted string in
which ``#``, ``"``, ``<``, ``>``, ``&``, ``|`` and the backtick are Mermaid entity codes
(``#35;`` for ``#``, so a name like ``#lt;b#gt;`` stays that text and never becomes
markup); in DOT every id and label is a quoted string with ``\\`` and ``"`` escaped, so
Graphviz's ``\\N``/``\\G`` substitutions and HTML labels cannot be triggered. Control
characters become U+FFFD in both; newlines are kept in DOT and become spaces in Mermaid.

Symmetric relationship types have no arrow head (Mermaid ``---``, DOT ``dir=none``);
ended relations are dotted (Mermaid) or dashed (DOT).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import style
from .common import Exporter, flat, is_symmetric, plain_text

if TYPE_CHECKING:  # imported where a graph is read or built: a whole dataset's
    import networkx as nx  # frames never need it

__all__ = ["to_mermaid", "to_dot", "MERMAID", "DOT"]

_MERMAID_CODES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;",
                  "|": "#124;", "`": "#96;"}


def mermaid_text(text: Any) -> str:
    """*text* for a quoted Mermaid label.

    >>> mermaid_text('#lt;b#gt; "x" | <i>')
    '#35;lt;b#35;gt; #quot;x#quot; #124; #lt;i#gt;'
    """
    out = "".join(_MERMAID_CODES.get(ch, ch) for ch in plain_text(text))
    return " ".join(out.split())


def to_mermaid(G: nx.MultiDiGraph) -> str:
    """A Mermaid flowchart: nodes by display name, edges labelled with their type."""
    ids = {n: f"n{i}" for i, n in enumerate(G.nodes)}
    lines = ["flowchart LR"]
    for n, d in G.nodes(data=True):
        lines.append(f'    {ids[n]}["{mermaid_text(d.get("name", n))}"]')
    for u, v, d in G.edges(data=True):
        ended = d.get("status") == "ended"
        if is_symmetric(d.get("type", "")):
            arrow = "-.-" if ended else "---"
        else:
            arrow = "-.->" if ended else "-->"
        lines.append(f'    {ids[u]} {arrow}|"{mermaid_text(d.get("type", ""))}"| {ids[v]}')
    return "\n".join(lines) + "\n"


def dot_text(text: Any) -> str:
    """*text* as a quoted DOT string (a newline stays a line break in the label).

    >>> print(dot_text('a "b" \\\\N\\nc'))
    "a \\"b\\" \\\\N\\nc"
    """
    out = plain_text(flat(text)).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + out.replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(G: nx.MultiDiGraph) -> str:
    """A Graphviz digraph; nodes coloured by label."""
    lines = ["digraph autograph {", "    rankdir=LR;",
             "    node [style=filled, fontcolor=white];"]
    for n, d in G.nodes(data=True):
        color = style.LABEL_COLORS.get(d.get("label", ""), "#999999")
        lines.append(f"    {dot_text(n)} [label={dot_text(d.get('name', n))}, "
                     f"fillcolor={dot_text(color)}];")
    for u, v, d in G.edges(data=True):
        extra = ", style=dashed" if d.get("status") == "ended" else ""
        if is_symmetric(d.get("type", "")):
            extra += ", dir=none"
        lines.append(f"    {dot_text(u)} -> {dot_text(v)} "
                     f"[label={dot_text(d.get('type', ''))}{extra}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


MERMAID = Exporter("mermaid", ".mmd", "Mermaid flowchart", render=to_mermaid)
DOT = Exporter("dot", ".dot", "Graphviz digraph", render=to_dot)
