"""Static map images for reports and slides: PNG drawn with matplotlib, SVG written directly
(:mod:`graph.viz.svg`, no matplotlib needed).

The same selection, colours, sizes, line styles and legend as the HTML map, on A4 landscape
(PNG at 300 dpi). The layout is igraph's Fruchterman-Reingold, as the HTML map uses for
large graphs. Labels go to the most central entities whose labels do not overlap.

Text from data is made safe for every format: control characters (not allowed in XML, even
escaped) are dropped (:func:`clean_text`, used by the SVG writer too), and matplotlib's
``$...$`` mathtext is switched off for every text.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx

from .. import style
from ..errors import MissingDependencyError
from .maps import _layout_graph, map_data
# the text rules the SVG writer shares, in graph.viz.model so that svg need not import this
from .model import MAX_LABELS, MAX_LEGEND, clean_text, layout

__all__ = ["IMAGE_FORMATS", "A4_LANDSCAPE", "DPI", "render_image", "write_image"]

IMAGE_FORMATS = ("svg", "png")
A4_LANDSCAPE = (11.69, 8.27)  # inches
DPI = 300
ARROWS_UP_TO = 1500  # edges; above, plain lines (one collection) keep large drawings fast
def _matplotlib():
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as err:
        raise MissingDependencyError("matplotlib", "images") from err
    return matplotlib, Figure, FigureCanvasAgg


def _dash(status: str) -> Any:
    dashes = style.status_dashes(status)
    return (0, tuple(d / 3 for d in dashes)) if dashes else "solid"


def _text(artist: Any) -> Any:
    artist.set_parse_math(False)
    return artist


def render_image(G: nx.MultiDiGraph, fmt: str = "svg", title: str = "autograph network",
                 color_by: str = "label", size_by: str = "degree", seed: int = 42,
                 subtitle: str = "") -> bytes:
    """A static map of *G* as SVG or PNG bytes (A4 landscape; PNG at 300 dpi).

    *subtitle* (say :func:`graph.viz.model.caption`: the focus and the date) goes on the line
    under the title, before the counts.

    Raises
    ------
    MissingDependencyError
        For PNG when matplotlib is not installed (``pip install "autograph[images]"``).

    Examples
    --------
    >>> import graph
    >>> svg = render_image(graph.select(graph.load_graph(), focus="catl"), "svg", title="CATL")
    >>> svg.startswith(b"<?xml")
    True
    """
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(IMAGE_FORMATS)}")
    if fmt == "svg":  # written directly: no matplotlib needed
        from .svg import render_svg

        return render_svg(G, title, color_by, size_by, seed, subtitle)
    matplotlib, Figure, FigureCanvasAgg = _matplotlib()
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    positions = _positions(G, seed)
    data = map_data(G, color_by, size_by, seed, positions=positions)
    rc = {"svg.fonttype": "none", "svg.hashsalt": "autograph", "font.family": "DejaVu Sans"}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=A4_LANDSCAPE)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.015, 0.03, 0.74, 0.86))
        ax.set_axis_off()
        ax.set_aspect("equal")
        pos = {n["id"]: (n["x"], -n["y"]) for n in data["nodes"]}  # screen y points down
        xs = [p[0] for p in pos.values()] or [0]
        ys = [p[1] for p in pos.values()] or [0]
        margin = max(max(xs) - min(xs), max(ys) - min(ys), 1) * 0.06
        ax.set_xlim(min(xs) - margin, max(xs) + margin)
        ax.set_ylim(min(ys) - margin, max(ys) + margin)
        ax.apply_aspect()  # final data-to-page transform, before labels are measured
        radius = {n["id"]: n["size"] * 0.45 for n in data["nodes"]}  # points

        edges = data["edges"]
        if len(edges) <= ARROWS_UP_TO:
            seen: dict = {}
            for e in edges:
                pair = frozenset((e["from"], e["to"]))
                bend = 0.12 * seen.get(pair, 0)
                seen[pair] = seen.get(pair, 0) + 1
                color = e["color"]["color"]
                ax.add_patch(FancyArrowPatch(
                    pos[e["from"]], pos[e["to"]], connectionstyle=f"arc3,rad={bend}",
                    arrowstyle="-|>" if e["arrows"] else "-", mutation_scale=7,
                    shrinkA=radius[e["from"]] / 2, shrinkB=radius[e["to"]] / 2 + 1,
                    color=color, alpha=e["color"]["opacity"], linestyle=_dash(e["status"]),
                    linewidth=e["width"] / 2, zorder=1))
        else:
            ax.add_collection(LineCollection(
                [(pos[e["from"]], pos[e["to"]]) for e in edges],
                colors=[e["color"]["color"] for e in edges],
                linestyles=[_dash(e["status"]) for e in edges],
                linewidths=[e["width"] / 6 for e in edges], alpha=0.6, zorder=1))
        disputed = [e for e in edges if e.get("disputedBy")]
        if disputed:  # the page's marker: a ring in the disputed colour on the relation
            ax.scatter([(pos[e["from"]][0] + pos[e["to"]][0]) / 2 for e in disputed],
                       [(pos[e["from"]][1] + pos[e["to"]][1]) / 2 for e in disputed],
                       s=30, c="white", edgecolors=style.DISPUTED_COLOR, linewidths=1.2, zorder=2)

        for shape, marker in (("dot", "o"), ("diamond", "D")):
            group = [n for n in data["nodes"] if n["shape"] == shape]
            if group:
                ax.scatter([pos[n["id"]][0] for n in group], [pos[n["id"]][1] for n in group],
                           s=[(2 * radius[n["id"]]) ** 2 / 4 for n in group],
                           c=[n["color"] for n in group], marker=marker, edgecolors="white",
                           linewidths=0.4, zorder=3)

        _labels(fig, ax, data["nodes"], pos, radius)

        n_nodes, n_edges = G.number_of_nodes(), G.number_of_edges()
        _text(fig.text(0.015, 0.955, clean_text(title), fontsize=16, weight="bold"))
        counts = f"{n_nodes} entities · {n_edges} relations · colour: {color_by} · size: {size_by}"
        _text(fig.text(0.015, 0.925, clean_text(f"{subtitle} · {counts}" if subtitle else counts),
                       fontsize=9, color="#555555"))

        shapes = {n["category"]: n["shape"] for n in data["nodes"]}
        cat_handles = [Line2D([], [], marker="D" if shapes.get(item["name"]) == "diamond" else "o",
                              linestyle="", markersize=7,
                              markerfacecolor=item["color"], markeredgecolor="white",
                              label=clean_text(f"{item['name']} ({item['count']})"))
                       for item in data["legend"][:MAX_LEGEND]]
        if len(data["legend"]) > MAX_LEGEND:
            cat_handles.append(Line2D([], [], linestyle="", label=f"… {len(data['legend']) - MAX_LEGEND} more"))
        if color_by != "label" and any(n["shape"] == "diamond" for n in data["nodes"]):
            cat_handles.append(Line2D([], [], marker="D", linestyle="", markersize=6,
                                      markerfacecolor=style.LABEL_COLORS["Deal"],
                                      markeredgecolor="white", label="Deal (multi-party)"))
        rel_handles = [Line2D([], [], color=item["color"], linewidth=2,
                              label=clean_text(f"{item['name']}{' ↔' if item['symmetric'] else ''}"
                                               f" ({item['count']})"))
                       for item in data["rel_legend"][:MAX_LEGEND]]
        rel_handles += [
            Line2D([], [], color="#777777", linestyle=_dash("planned"), label="planned / announced"),
            Line2D([], [], color="#777777", alpha=style.ENDED_OPACITY, linestyle=_dash("ended"),
                   label="ended"),
            Line2D([], [], color="#777777", linewidth=style.GRADE_WIDTHS["A"] / 2,
                   label="best source A or B"),
            Line2D([], [], color="#777777", linewidth=style.GRADE_WIDTHS["D"] / 2,
                   label="best source D, E or none graded"),
            Line2D([], [], color=style.DISPUTED_COLOR, marker="o", markerfacecolor="white",
                   linestyle="", markersize=7, markeredgewidth=1.5, label="disputed claim")]
        for handles, heading, top in ((cat_handles, f"Colour: {color_by}", 0.9),
                                      (rel_handles, "Relationship types (↔ symmetric)", 0.47)):
            legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.77, top),
                                fontsize=7, title=heading, title_fontsize=8, frameon=False,
                                alignment="left")
            for t in legend.get_texts():
                _text(t)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=DPI, facecolor="white",
                    metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def _positions(G: nx.MultiDiGraph, seed: int) -> dict:
    """The HTML map's layout: the connected part, small components and isolates set aside."""
    return layout(_layout_graph(G), seed)[0]


def _labels(fig: Any, ax: Any, nodes: list[dict], pos: dict, radius: dict) -> None:
    """Label the most central entities, skipping any label that would overlap another."""
    renderer = fig.canvas.get_renderer()
    taken: list = []
    for n in sorted(nodes, key=lambda n: (-n["size"], n["key"]))[:MAX_LABELS * 4]:
        if len(taken) >= MAX_LABELS:
            break
        text = _text(ax.annotate(
            clean_text(n["label"]), pos[n["id"]], xytext=(0, -radius[n["id"]] / 2 - 2),
            textcoords="offset points", ha="center", va="top", fontsize=7, zorder=4,
            bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none",
                  "alpha": 0.75}))
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in taken):
            text.remove()
        else:
            taken.append(box)


def write_image(G: nx.MultiDiGraph, path: str | Path, fmt: str | None = None,
                **options: Any) -> Path:
    """Write :func:`render_image` to *path*; the format defaults to the file's suffix."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    path.write_bytes(render_image(G, fmt, **options))
    return path
