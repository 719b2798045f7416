"""The national-scale generator (scripts/generate_national.py): seeded, deterministic, and its roster
plans a whole round that both independent checkers pass (here at a small scale)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import solver
from solver.roster.models import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from generate_national import main as generate

SCALE = "0.03"  # about 5 receiving cities, 25 counties, 3 supporting cities, 45 universities


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national")
    assert generate([str(out), "--scale", SCALE, "--seed", "7"]) == 0
    return out


def test_same_seed_same_bytes(small: Path, tmp_path: Path) -> None:
    assert generate([str(tmp_path / "again"), "--scale", SCALE, "--seed", "7"]) == 0
    for table in Table:
        first = small / table.filename
        if first.exists():
            assert (tmp_path / "again" / table.filename).read_bytes() == first.read_bytes(), table
    assert generate([str(tmp_path / "other"), "--scale", SCALE, "--seed", "8"]) == 0
    assert (tmp_path / "other" / "areas.csv").read_bytes() != (small / "areas.csv").read_bytes()


def test_roster_is_valid_and_national(small: Path) -> None:
    roster = solver.load_roster(small)
    provinces = {city_id[:2] for city_id in roster.cities}
    assert len(provinces) >= 5 and "44" not in provinces
    assert len(roster.receivers()) >= 20 and roster.supporting_cities()
    assert all(s.synthetic for s in roster.schools.values())


def test_round_passes_both_checkers(small: Path) -> None:
    roster = solver.load_roster(small)
    planned = solver.plan_round(solver.PairingRequest(roster, "2021-2025"))
    assert planned.result.status.has_plan, planned.result.explanation
    assert planned.report.passes_checker, [r for r in planned.report.model_dump()["rules"] if r.get("violations")][:3]
    assert planned.deployment is not None and planned.deployment.csv_bytes().count(b"\n") > 1
