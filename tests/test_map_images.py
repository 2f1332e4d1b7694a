"""Static map images (`autograph map --format svg|png`): A4, legend, title, escaped text."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

import graph
from graph.cli import cli
from graph.errors import MissingDependencyError
from graph.viz import render_image, write_image

from helpers import run_cli
from map_graphs import model_graph

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", "a & b ]]> c -- d", "$x^2$ and $", "nul\x00byte",
           "vt\x0bff\x0cesc\x1b[31mred", "line\u2028sep", "<!-- x -->"]


def _texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)  # raises on XML that is not well-formed
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_svg_has_the_title_legend_and_a4_size(G):
    svg = render_image(G, "svg", title="Automotive network")
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("841.68pt", "595.44pt")  # A4 landscape
    texts = _texts(svg)
    assert "Automotive network" in texts
    assert f"{G.number_of_nodes()} entities · {G.number_of_edges()} relations · colour: label · size: degree" in texts
    labels = {}
    for _, d in G.nodes(data=True):
        labels[d["label"]] = labels.get(d["label"], 0) + 1
    for label, count in labels.items():
        assert f"{label} ({count})" in texts  # the colour legend
    types = {d["type"] for *_, d in G.edges(data=True)}
    assert all(any(t.startswith(rel) for t in texts) for rel in types)  # the relation legend
    central = max(graph.analysis.views.full_view(G).degree(), key=lambda kv: kv[1])[0]
    assert G.nodes[central]["name"] in texts  # the most central entity is labelled
    assert render_image(G, "svg", title="Automotive network") == svg  # reproducible


def test_png_is_a4_at_300_dpi_and_not_blank(G):
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(render_image(G, "png")))
    assert image.size == (round(11.69 * 300), round(8.27 * 300))
    assert round(image.info["dpi"][0]) == 300
    assert len(image.convert("RGB").getcolors(maxcolors=1_000_000)) > 50


def test_hostile_names_stay_text_in_well_formed_svg():
    G = model_graph()
    for node, name in zip(["acme", "beta", "gamma", "delta", "deal-x"], HOSTILE):
        G.nodes[node]["name"] = name
    svg = render_image(G, "svg", title=HOSTILE[0] + HOSTILE[4] + HOSTILE[5])
    texts = _texts(svg)
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    # the title: control characters dropped, line separators become spaces
    assert "<script>alert(1)</script>vtffesc[31mredline sep" in texts
    assert "$x^2$ and $" in texts  # literal, not mathtext
    assert "a & b ]]> c -- d" in texts
    assert "nulbyte" in texts
    assert b"\x00" not in svg and b"\x1b" not in svg and b"\x0b" not in svg


def test_cli_writes_svg_and_png(G, tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    if True:
        result = runner.invoke(cli, ["map", "--focus", "catl", "--format", "svg", "-o", "c.svg"])
        assert result.exit_code == 0, result.output
        H = graph.select(G, focus="catl")
        assert result.output == (f"wrote c.svg ({H.number_of_nodes()} entities, "
                                 f"{H.number_of_edges()} relations)\n")
        ET.parse("c.svg")
        result = runner.invoke(cli, ["map", "--focus", "catl", "-o", "c.png"])  # from the suffix
        assert result.exit_code == 0, result.output
        with open("c.png", "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
        result = runner.invoke(cli, ["map", "--focus", "catl", "--format", "png"])
        assert result.exit_code == 0 and "wrote autograph-map.png" in result.output
        bad = runner.invoke(cli, ["map", "--format", "pdf"])
        assert bad.exit_code == 2 and "Invalid value for '--format'" in bad.output


def test_cli_svg_in_a_subprocess(autograph_exe, tmp_path):
    out = tmp_path / "be.svg"
    result = run_cli(autograph_exe, "map", "--country", "BE", "--title", "Belgium & <co>",
                     "--format", "svg", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Belgium & <co>" in _texts(out.read_bytes())


def test_missing_matplotlib_names_the_extra_for_png_and_svg_needs_none(G, tmp_path,
                                                                       monkeypatch):
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingDependencyError,
                       match=r'matplotlib is not installed; run: pip install "autograph\[images\]"'):
        write_image(G, tmp_path / "x.png")
    result = CliRunner().invoke(cli, ["map", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert result.output == 'Error: matplotlib is not installed; run: pip install "autograph[images]"\n'
    assert not (tmp_path / "x.png").exists()
    # SVG is written directly
    result = CliRunner().invoke(cli, ["map", "--focus", "catl", "-o", str(tmp_path / "x.svg")])
    assert result.exit_code == 0, result.output
    assert G.nodes["catl"]["name"] in _texts((tmp_path / "x.svg").read_bytes())


def test_titles_name_the_focus_and_the_as_of_date(G, autograph_exe, tmp_path):
    out = tmp_path / "catl.svg"
    result = run_cli(autograph_exe, "map", "--focus", "Contemporary Amperex Technology",
                     "--hops", "2", "--as-of", "2025-06-30", "--format", "svg", "-o", str(out),
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    texts = _texts(out.read_bytes())
    name = G.nodes["catl"]["name"]
    assert f"{name}: 2 hops" in texts  # not "autograph network"
    H = graph.select(G, focus="catl", hops=2, as_of="2025-06-30")
    assert H.number_of_nodes() > 1  # a real neighbourhood, not the focus alone
    assert (f"focus {name}, 2 hops · as of 2025-06-30 · {H.number_of_nodes()} entities · "
            f"{H.number_of_edges()} relations · colour: label · size: degree") in texts
    # a title given is kept; the line under it still names the focus; without --as-of the
    # date is the latest relation's
    result = CliRunner().invoke(cli, ["map", "--focus", "catl", "--title", "Cells",
                                      "--format", "svg", "-o", str(tmp_path / "c.svg")])
    assert result.exit_code == 0, result.output
    texts = _texts((tmp_path / "c.svg").read_bytes())
    H = graph.select(G, focus="catl")
    latest = max(d for *_, e in H.edges(data=True) if (d := graph.selection.edge_date(H, e)))
    assert "Cells" in texts
    assert any(t.startswith(f"focus {name}, 1 hop · all dates (to {latest}) · ") for t in texts)


def test_disputed_relations_carry_a_marker_and_keep_their_type_colour():
    from graph import style
    G = model_graph()
    svg = render_image(G, "svg").decode()
    del G.edges["gamma", "beta", "gamma-owns-beta"]["disputedBy"]
    undisputed = render_image(G, "svg").decode()
    rings = [e for e in ET.fromstring(svg).iter(f"{SVG}circle") if e.get("class") == "disputed"]
    assert len(rings) == 1 and rings[0].get("stroke") == style.DISPUTED_COLOR
    assert not [e for e in ET.fromstring(undisputed).iter(f"{SVG}circle")
                if e.get("class") == "disputed"]
    assert "disputed claim" in _texts(svg.encode()) and "disputed claim" in _texts(undisputed.encode())
    assert svg.count(style.REL_COLORS["OWNS"]) == undisputed.count(style.REL_COLORS["OWNS"])
