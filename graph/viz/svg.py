"""Static SVG maps written directly, without matplotlib.

The same layout, colours, sizes, widths by grade, line styles, disputed rings, legends,
title and caption as the PNG (:mod:`graph.viz.static`) and the HTML map, on an A4 landscape
page measured in points. Text from data goes through :func:`graph.viz.model.clean_text`
(no control characters, which XML cannot hold) and is escaped for XML; text stays text
(selectable, searchable). Label boxes are estimated from the number of characters (no font
metrics without a renderer): the most central entities are labelled where their estimated
boxes do not overlap.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from .. import style
from .maps import _layout_graph, map_data
from .model import MAX_LABELS, MAX_LEGEND, clean_text, layout

__all__ = ["PAGE", "render_svg"]

PAGE = (841.68, 595.44)  # A4 landscape in points
_MAP = (12.6, 68.6, 622.8, 505.9)  # x, y, width, height of the drawing
_LEGEND_X = 648.1
_CHAR = 0.55  # estimated width of a character, in ems


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, size: float, **attrs: Any) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items())
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}"{extra}>'
            f"{escape(clean_text(text))}</text>")


def render_svg(G: nx.MultiDiGraph, title: str = "autograph network", color_by: str = "label",
               size_by: str = "degree", seed: int = 42, subtitle: str = "") -> bytes:
    """A static map of *G* as SVG bytes (A4 landscape), without matplotlib.

    Examples
    --------
    >>> import graph
    >>> svg = render_svg(graph.select(graph.load_graph(), focus="catl"), title="CATL")
    >>> svg.startswith(b"<?xml") and b"CATL" in svg
    True
    """
    positions = layout(_layout_graph(G), seed)[0]
    data = map_data(G, color_by, size_by, seed, positions=positions)
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    mx, my, mw, mh = _MAP
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0) * 1.08
    scale = min(mw, mh) / span
    ox = mx + (mw - (max(xs) - min(xs)) * scale) / 2 - min(xs) * scale
    oy = my + (mh - (max(ys) - min(ys)) * scale) / 2 - min(ys) * scale
    pos = {n["id"]: (ox + n["x"] * scale, oy + n["y"] * scale) for n in data["nodes"]}
    radius = {n["id"]: n["size"] * 0.225 for n in data["nodes"]}  # as the PNG: points

    out = ['<?xml version="1.0" encoding="utf-8" standalone="no"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(PAGE[0])}pt" '
           f'height="{_num(PAGE[1])}pt" viewBox="0 0 {_num(PAGE[0])} {_num(PAGE[1])}" '
           'font-family="DejaVu Sans, sans-serif">',
           f'<rect width="{_num(PAGE[0])}" height="{_num(PAGE[1])}" fill="#ffffff"/>']
    colours = sorted({e["color"]["color"] for e in data["edges"] if e["arrows"]})
    out.append("<defs>" + "".join(
        f'<marker id="arrow-{c[1:]}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" '
        f'markerHeight="5" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{c}"/>'
        "</marker>" for c in colours) + "</defs>")
    for e in data["edges"]:
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        dist = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
        cut = (radius[e["to"]] + 1) / dist if e["arrows"] else 0  # the arrowhead at the rim
        x2, y2 = x2 - (x2 - x1) * cut, y2 - (y2 - y1) * cut
        dash = (f' stroke-dasharray="{" ".join(str(d / 3) for d in e["dashes"])}"'
                if e["dashes"] else "")
        arrow = f' marker-end="url(#arrow-{e["color"]["color"][1:]})"' if e["arrows"] else ""
        out.append(f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
                   f'stroke="{e["color"]["color"]}" stroke-width="{_num(e["width"] / 2)}" '
                   f'stroke-opacity="{e["color"]["opacity"]}"{dash}{arrow}/>')
    for e in data["edges"]:
        if e.get("disputedBy"):
            (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
            out.append(f'<circle class="disputed" cx="{_num((x1 + x2) / 2)}" '
                       f'cy="{_num((y1 + y2) / 2)}" r="3" fill="#ffffff" '
                       f'stroke="{style.DISPUTED_COLOR}" stroke-width="1.2"/>')
    for n in data["nodes"]:
        (x, y), r = pos[n["id"]], radius[n["id"]]
        if n["shape"] == "diamond":
            out.append(f'<rect x="{_num(x - r * 0.7)}" y="{_num(y - r * 0.7)}" '
                       f'width="{_num(r * 1.4)}" height="{_num(r * 1.4)}" fill="{n["color"]}" '
                       f'stroke="#ffffff" stroke-width="0.4" '
                       f'transform="rotate(45 {_num(x)} {_num(y)})"/>')
        else:
            out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" '
                       f'fill="{n["color"]}" stroke="#ffffff" stroke-width="0.4"/>')
    taken: list[tuple[float, float, float, float]] = []
    for n in sorted(data["nodes"], key=lambda n: (-n["size"], n["key"]))[:MAX_LABELS * 4]:
        if len(taken) >= MAX_LABELS:
            break
        (x, y), r = pos[n["id"]], radius[n["id"]]
        w, top = len(n["label"]) * 7 * _CHAR, y + r + 2
        box = (x - w / 2, top, x + w / 2, top + 8.5)
        if any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3]
               for o in taken):
            continue
        taken.append(box)
        out.append(_text(x, top + 7, n["label"], 7, text_anchor="middle"))

    n_nodes, n_edges = G.number_of_nodes(), G.number_of_edges()
    counts = f"{n_nodes} entities · {n_edges} relations · colour: {color_by} · size: {size_by}"
    out.append(_text(12.6, 32, title, 16, font_weight="bold"))
    out.append(_text(12.6, 50, f"{subtitle} · {counts}" if subtitle else counts, 9,
                     fill="#555555"))
    out += _legend(data, color_by)
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _legend(data: dict, color_by: str) -> list[str]:
    out = [_text(_LEGEND_X, 70, f"Colour: {color_by}", 8)]
    y = 84.0
    shapes = {n["category"]: n["shape"] for n in data["nodes"]}
    for item in data["legend"][:MAX_LEGEND]:
        if shapes.get(item["name"]) == "diamond":
            out.append(f'<rect x="{_num(_LEGEND_X + 1)}" y="{_num(y - 6)}" width="5" height="5" '
                       f'fill="{item["color"]}" transform="rotate(45 {_num(_LEGEND_X + 3.5)} '
                       f'{_num(y - 3.5)})"/>')
        else:
            out.append(f'<circle cx="{_num(_LEGEND_X + 3.5)}" cy="{_num(y - 3)}" r="3.2" '
                       f'fill="{item["color"]}"/>')
        out.append(_text(_LEGEND_X + 12, y, f"{item['name']} ({item['count']})", 7))
        y += 11
    if len(data["legend"]) > MAX_LEGEND:
        out.append(_text(_LEGEND_X + 12, y, f"… {len(data['legend']) - MAX_LEGEND} more", 7))
        y += 11
    y += 8
    out.append(_text(_LEGEND_X, y, "Relationship types (↔ symmetric)", 8))
    y += 14
    lines = [(item["color"], 2.0, "", f"{item['name']}{' ↔' if item['symmetric'] else ''} "
              f"({item['count']})") for item in data["rel_legend"][:MAX_LEGEND]]
    lines += [("#777777", 1.0, "0.67 1.67", "planned / announced"),
              ("#777777", 1.0, "2 2", "ended"),
              ("#777777", style.GRADE_WIDTHS["A"] / 2, "", "best source A or B"),
              ("#777777", style.GRADE_WIDTHS["D"] / 2, "", "best source D, E or none graded")]
    for colour, width, dash, label in lines:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{_num(_LEGEND_X)}" y1="{_num(y - 3)}" x2="{_num(_LEGEND_X + 9)}" '
                   f'y2="{_num(y - 3)}" stroke="{colour}" stroke-width="{_num(width)}"{dashes}/>')
        out.append(_text(_LEGEND_X + 12, y, label, 7))
        y += 11
    out.append(f'<circle cx="{_num(_LEGEND_X + 4.5)}" cy="{_num(y - 3)}" r="3" fill="#ffffff" '
               f'stroke="{style.DISPUTED_COLOR}" stroke-width="1.2"/>')
    out.append(_text(_LEGEND_X + 12, y, "disputed claim", 7))
    return out
