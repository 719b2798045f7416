"""The checkers are the tests' oracle only while they stay independent of what they check: every
module of solver/check imports only data modules (solver.domain, solver.roster, solver.rules, the
checkers themselves) and the standard library, never the pairing or deployment models, the round,
or an optimisation library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parents[3] / "solver" / "check"
ALLOWED = ("solver.domain", "solver.roster", "solver.rules", "solver.check", "pydantic")


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_both_checkers_import_only_data_modules():
    modules = sorted(CHECK.rglob("*.py"))
    assert {p.name for p in modules} >= {"plan.py", "structure.py", "derived.py", "__init__.py"}
    assert any(p.parent.name == "deployments" for p in modules)
    for path in modules:
        for name in imports_of(path):
            top = name.split(".")[0]
            allowed = name.startswith(ALLOWED) or top in sys.stdlib_module_names or name == "__future__"
            assert allowed, f"{path.relative_to(CHECK.parent.parent)} imports {name}"


def test_the_data_modules_do_not_import_the_models():
    for room in ("domain", "roster", "rules"):
        for path in sorted((CHECK.parent / room).rglob("*.py")):
            for name in imports_of(path):
                assert not name.startswith(
                    ("solver.pairing", "solver.deployment", "solver.round", "solver.check", "ortools", "scipy", "numpy")
                ), f"{path.name} imports {name}"
