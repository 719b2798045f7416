"""Fixtures shared by every tier: the bundled roster, and its 2021-2025 round solved once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import solver

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "guangdong"
BUNDLED_ROUND = "2021-2025"
BUNDLED_OPTIONS = solver.SolveOptions(time_limit_s=30, num_workers=2)


@pytest.fixture(scope="session")
def bundled_roster() -> solver.Roster:
    return solver.load_roster(BUNDLED)


@pytest.fixture(scope="session")
def bundled_round(bundled_roster: solver.Roster) -> solver.RoundPlan:
    """The bundled roster's 2021-2025 round (pairs, deployments, checks), solved once for the session."""
    return solver.plan_round(solver.PairingRequest(bundled_roster, BUNDLED_ROUND, options=BUNDLED_OPTIONS))
