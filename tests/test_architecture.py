"""Imports point inward: analysis and viz never touch a database; nothing imports the CLI;
Cypher lives in cypher/, not in Python strings of the package."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

PACKAGE = ROOT / "graph"


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def test_analysis_and_viz_never_import_a_database_driver():
    for folder in ("analysis", "viz"):
        for path in (PACKAGE / folder).glob("*.py"):
            for name in _imports(path):
                assert "neo4j" not in name and "backends.neo4j" not in name, (path, name)


def test_nothing_imports_the_cli():
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("cli.py", "__main__.py"):
            continue
        assert not any(name.endswith("cli") for name in _imports(path)), path


def _string_constants(path):
    """String literals of a module, docstrings excluded (their examples may show Cypher)."""
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            yield node.value


def test_no_cypher_statements_in_package_python():
    """Queries are read from cypher/; the package's code holds no MATCH/MERGE/... statement."""
    pattern = re.compile(r"^\s*(?:MATCH|MERGE|UNWIND|CREATE|CALL|RETURN)\b", re.IGNORECASE)
    allowed = {"cypher_script.py"}  # export: the cypher-shell script format, statement by statement
    for path in PACKAGE.rglob("*.py"):
        if path.name in allowed:
            continue
        for text in _string_constants(path):
            assert not pattern.search(text), (path, text)


def test_ruff_finds_no_mistakes():
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "graph", "tests", "bench"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_line_and_validate_start_without_networkx(tmp_path):
    """validate, stats and the measures of a large dataset read its columns only: importing
    networkx (0.12 s) is left to what builds a graph. The package's graph names still
    resolve, to the same objects."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from graph.cli import cli\n"
        "r = CliRunner().invoke(cli, ['validate'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'networkx' not in sys.modules, 'networkx imported'\n"
        "r = CliRunner().invoke(cli, ['export', '--help'])\n"
        "assert '[json|cytoscape|graphml|gexf|cypher|mermaid|dot|csv]' in r.output, r.output\n"
        "import graph\n"
        "from graph import select\n"
        "from graph.backends.networkx import to_networkx\n"
        "from graph.selection import select as select_\n"
        "assert graph.to_networkx is to_networkx and select is select_\n"
        "assert 'to_networkx' in dir(graph)\n"
        "print(len(graph.load_graph()))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 100
    # the submodules importing the package used to load are still its attributes
    fresh = subprocess.run([sys.executable, "-c", (
        "import graph\n"
        "assert graph.selection.select is graph.select\n"
        "assert graph.backends.networkx.to_networkx is graph.to_networkx\n")],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert fresh.returncode == 0, fresh.stderr
    missing = subprocess.run([sys.executable, "-c", "import graph; graph.nothing"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert "AttributeError: module 'graph' has no attribute 'nothing'" in missing.stderr


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_imports(path, name, modules):
    """The modules of the package *path* (module *name*) imports, at module level and inside
    functions, relative imports resolved; ``from . import x`` names the submodule x."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # ``from . import schema`` imports the submodule, ``from .dataset import Entity``
            # the module that defines the name
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module
                       for a in node.names]
        else:
            continue
        yield from targets


def import_graph():
    """Module -> the package modules it imports (only those that exist)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: sorted({t for t in _package_imports(path, name, modules) if t in modules}
                         - {name})
            for name, path in modules.items()}


def _cycle(graph):
    """A cycle of *graph* as a list of modules (first repeated last), or None; iterative."""
    state = {}
    for root in sorted(graph):
        if root in state:
            continue
        path, work = [root], [iter(graph[root])]
        state[root] = "open"
        while work:
            nxt = next(work[-1], None)
            if nxt is None:
                state[path.pop()] = "done"
                work.pop()
            elif state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            elif nxt not in state:
                state[nxt] = "open"
                path.append(nxt)
                work.append(iter(graph[nxt]))
    return None


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == ["a", "b", "c", "a"]
    assert _cycle({"a": ["b", "c"], "b": ["c"], "c": []}) is None


def test_the_package_imports_have_no_cycle():
    """Imports point one way, those inside functions included: a lazy import only delays a
    cycle, it does not cut it."""
    graph = import_graph()
    assert "graph.dataset" in graph["graph.columnar"] or "graph.records" in graph["graph.columnar"]
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_reader_knows_nothing_of_networkx():
    """The reader and the column check import networkx neither themselves nor through any
    package module they import."""
    graph = import_graph()
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    for start in ("graph.records", "graph.dataset", "graph.columnar"):
        seen, todo = {start}, [start]
        while todo:
            name = todo.pop()
            outside = {t.split(".")[0] for t in _imports(modules[name])}
            assert "networkx" not in outside, f"{start} reaches networkx through {name}"
            for nxt in graph[name]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
