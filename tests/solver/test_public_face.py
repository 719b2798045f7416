"""The library's public face: every name it lists resolves, and importing it (or validating a
roster) loads no optimisation library, so the CLI starts quickly."""

from __future__ import annotations

import subprocess
import sys

import solver


def test_every_public_name_resolves():
    assert sorted(solver.__all__) == sorted(solver._EXPORTS)
    for name in solver.__all__:
        assert getattr(solver, name) is not None, name


def test_validating_a_roster_loads_no_optimisation_library():
    code = (
        "import sys, solver; solver.load_roster('data/guangdong'); solver.summary; "
        "print(sorted(m for m in ('ortools', 'scipy', 'numpy', 'highspy', 'openpyxl') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=solver.__file__.rsplit("/solver/", 1)[0],
    )
    assert run.stdout.strip() == "[]"
