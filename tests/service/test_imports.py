"""The service uses the solver only through its public face (solver/__init__.py), never its rooms."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[2] / "service"


def test_the_service_imports_only_the_solver_public_face():
    for path in sorted(SERVICE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                assert not name.startswith("solver."), f"{path.relative_to(SERVICE.parent)} imports {name}"


def test_the_api_process_starts_without_the_models():
    """The API only queues plans (workers solve them), so its import loads no optimisation library
    and no spreadsheet library: they load on the first request that needs them."""
    code = (
        "import sys, service.api.main; "
        "print(sorted(m for m in ('ortools', 'scipy', 'numpy', 'highspy', 'openpyxl', 'networkx') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=SERVICE.parent)
    assert run.stdout.strip() == "[]"
