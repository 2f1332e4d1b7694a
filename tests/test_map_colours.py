"""Legend colours far enough apart to tell apart: CIEDE2000 (Sharma, Wu and Dalal 2005),
written here independently of graph.style, checked against the paper's test pairs."""

from __future__ import annotations

import itertools
import math

import pytest

from graph import style

MIN_DELTA_E = 10.0  # CIEDE2000; about 2.3 is "just noticeable", 10 tells lines apart


def _lab(color: str) -> tuple[float, float, float]:
    """sRGB hex -> CIELAB (D65)."""
    rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def ciede2000(lab1, lab2) -> float:
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dL, dC = L2 - L1, c2p - c1p
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    L_bar, C_bar = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6))
         - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(C_bar ** 7 / (C_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (L_bar - 50) ** 2 / math.sqrt(20 + (L_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * C_bar, 1 + 0.015 * C_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dL / s_l) ** 2 + (dC / s_c) ** 2 + (dH / s_h) ** 2
                     + r_t * (dC / s_c) * (dH / s_h))


@pytest.mark.parametrize("lab1, lab2, expected", [
    # pairs 1, 7, 13, 17 and 25 of Sharma, Wu and Dalal's table 1
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0011), 7.2195),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
])
def test_ciede2000_matches_the_published_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def _closest(colors: dict[str, str]) -> tuple[float, str, str]:
    return min((ciede2000(_lab(c1), _lab(c2)), n1, n2)
               for (n1, c1), (n2, c2) in itertools.combinations(colors.items(), 2))


def test_relationship_colours_and_the_disputed_marker_are_far_apart():
    colors = {**style.REL_COLORS, "disputed": style.DISPUTED_COLOR}
    assert _closest(colors)[0] >= MIN_DELTA_E, _closest(colors)


def test_node_label_colours_are_far_apart():
    assert _closest(style.LABEL_COLORS)[0] >= MIN_DELTA_E, _closest(style.LABEL_COLORS)


def test_category_palette_colours_are_far_apart():
    colors = {str(i): c for i, c in enumerate(style.PALETTE)}
    assert _closest(colors)[0] >= MIN_DELTA_E, _closest(colors)
