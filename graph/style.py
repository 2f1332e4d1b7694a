"""Colours, shapes and line styles shared by the HTML map, the static images and the GEXF
export (pure data)."""

from __future__ import annotations

import math

__all__ = ["LABEL_COLORS", "LABEL_SHAPES", "REL_COLORS", "PALETTE", "UNKNOWN_COLOR",
           "ENDED_DASHES", "PLANNED_DASHES", "ENDED_OPACITY", "DISPUTED_COLOR", "GRADE_WIDTHS",
           "color_for", "hex_to_rgb", "node_size", "status_dashes"]

LABEL_COLORS: dict[str, str] = {
    "Company": "#1f77b4",
    "Organization": "#9467bd",
    "Country": "#7f7f7f",
    "Region": "#2ca02c",
    "Plant": "#ff7f0e",
    "Technology": "#d62728",
    "Programme": "#e377c2",
    "VehicleModel": "#8c564b",
    "Deal": "#17becf",
}

# vis-network shapes; every other label is a dot. A Deal is a multi-party agreement, not an
# actor: a diamond tells it apart at a glance (matplotlib marker "D" in static images).
LABEL_SHAPES: dict[str, str] = {"Deal": "diamond"}

REL_COLORS: dict[str, str] = {
    "PARTNERS_WITH": "#1f77b4",
    "JOINT_VENTURE": "#17becf",
    "SUPPLIES": "#ff7f0e",
    "SIGNED_MOU": "#e377c2",
    "OWNS": "#2f2f2f",
    "INVESTS_IN": "#bcbd22",
    "FUNDS": "#9467bd",
    "OPERATES": "#8c564b",
    "LOCATED_IN": "#b0b0b0",
    "USES_TECHNOLOGY": "#666600",  # not red: the disputed marker is
    "DEVELOPS": "#ff9896",
    "PRODUCES": "#c49c94",
    "MEMBER_OF": "#2ca02c",
    "HEADQUARTERED_IN": "#7f7f7f",
    "PARTY_TO": "#9edae5",
}

# For categories without a fixed colour (communities, countries): Tableau 20.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
    "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
)

UNKNOWN_COLOR = "#999999"
DISPUTED_COLOR = "#c62828"

# Line width by a relation's best source grade (Admiralty A-F): well-sourced relations draw
# thick, those resting on grade D-F sources (or none graded) thin.
GRADE_WIDTHS: dict[str, float] = {"A": 3.5, "B": 3.5, "C": 2.0, "D": 0.8, "E": 0.8, "F": 0.8}

# Ended relations: faded and dashed; planned or announced ones (not yet in force): dotted.
ENDED_DASHES = [6, 6]
PLANNED_DASHES = [2, 5]
ENDED_OPACITY = 0.45


def status_dashes(status: str) -> list[int] | bool:
    """The dash pattern for a relation status (``False``: a solid line)."""
    if status == "ended":
        return ENDED_DASHES
    if status in ("planned", "announced"):
        return PLANNED_DASHES
    return False


def color_for(index: int) -> str:
    """A palette colour for the *index*-th category."""
    return PALETTE[index % len(PALETTE)]


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """'#1f77b4' -> (31, 119, 180)."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def node_size(value: float, top: float) -> float:
    """Node size from a centrality *value* and the largest one: 10 to 40, by square root."""
    return round(10 + 30 * math.sqrt(value / (top or 1)), 2)
