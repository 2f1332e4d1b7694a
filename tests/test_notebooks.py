"""The notebooks run top to bottom (executed with a real kernel) and are stored stripped."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FACTS = {
    "catl_role.ipynb": ["SIGNED_MOU", "SUPPLIES", "volkswagen-group", "Burt's constraint",
                        "rank by evidence", "CATL drops from", "community stability",
                        "suggested partners of CATL", "shared partner(s)"],
    "flemish_hub.ipynb": ["plant-volvo-gent", "plant-audi-brussels", "geely-sea", "geely"],
}


def test_there_are_two_notebooks_importing_graph():
    assert {p.name for p in NOTEBOOKS} == set(FACTS)
    for path in NOTEBOOKS:
        sources = [c.source for c in nbformat.read(path, as_version=4).cells
                   if c.cell_type == "code"]
        assert "import graph" in sources[0]
        assert not any("read_csv" in s or "csv.reader" in s for s in sources)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_are_stored_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "\n".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                     for out in cell.outputs)
    for fact in FACTS[path.name]:
        assert fact in text, fact
    images = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
              if "image/png" in out.get("data", {})]
    assert images, "the notebook shows no figure"
