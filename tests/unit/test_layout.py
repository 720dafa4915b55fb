"""The house by stage: geo/ reads as text -> places -> events -> store/ingest -> maps/export.

A module imports only its own stage and those below it; no two modules import each other,
directly or round a longer loop; no module grows past ~600 lines (two concerns in one file).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[2] / "geo"
# What every stage shares sits at 0; filters and the geoparse alias sit with places.
STAGE = {"errors": 0, "models": 0, "text": 1, "places": 2, "filters": 2, "geoparse": 2,
         "events": 3, "store": 4, "ingest": 4, "analyst": 4, "maps": 5, "export": 5}
MAX_LINES = 600


def _name(path: Path) -> str:
    parts = list(path.relative_to(GEO.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in GEO.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """Every geo module a file imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geo"):
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("geo."))
    return {m for m in out if m in MODULES}


GRAPH = {m: _imports(p) - {m} for m, p in MODULES.items()}


def _stage(module: str) -> int:
    return STAGE[module.split(".")[1]]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "geo"))
def test_a_module_imports_no_stage_above_its_own(module):
    above = sorted(t for t in GRAPH[module] if t != "geo" and _stage(t) > _stage(module))
    assert not above, f"{module} imports {above}"


def test_text_imports_nothing_of_geo_but_models_and_errors():
    for module, targets in GRAPH.items():
        if module.startswith("geo.text"):
            assert targets <= {t for t in MODULES if t.startswith("geo.text")} | {"geo.models", "geo.errors"}, module


def test_no_import_circle():
    # A package's __init__ re-exporting its own submodules is not a circle.
    edges = defaultdict(set)
    for a, targets in GRAPH.items():
        for b in targets:
            if not b.startswith(a + ".") and not (a.startswith(b + ".") and MODULES[b].name == "__init__.py"):
                edges[a].add(b)
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for nxt in edges[module]:
            assert state.get(nxt) != 1, " -> ".join(path[path.index(nxt):] + [module, nxt]) if nxt in path else nxt
            if nxt not in state:
                visit(nxt, path + [module])
        state[module] = 2

    for module in MODULES:
        if module not in state:
            visit(module, [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_holds_two_concerns(module):
    assert len(MODULES[module].read_text(encoding="utf-8").splitlines()) <= MAX_LINES
