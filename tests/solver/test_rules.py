"""The rules catalogue as data, and rules.toml overrides: unknown names are errors, never ignored."""

from __future__ import annotations

import subprocess
import sys

import pytest

from solver.domain.problems import RosterError
from solver.roster.io import write_roster
from solver.rules.catalogue import CATALOGUE, DEFAULT_RULES, apply_overrides, load_rules
from tests.factories import tiny_roster


def test_catalogue_has_every_rule_with_its_clause():
    assert [r.id for r in CATALOGUE] == [f"R{i:02d}" for i in range(1, 23)]
    assert all(r.clause and r.title for r in CATALOGUE)
    assert DEFAULT_RULES.param("R07", "teams_per_county_min") == 3
    assert (DEFAULT_RULES.param("R09", "backbone_min"), DEFAULT_RULES.param("R09", "backbone_max")) == (30, 50)
    assert not DEFAULT_RULES.rules["R21"].hard


def test_overrides_apply_and_leave_the_defaults_alone():
    rules = apply_overrides({"R07": {"teams_per_county_min": 4}, "weights": {"distance_per_km": 3}})
    assert rules.param("R07", "teams_per_county_min") == 4 and rules.weights["distance_per_km"] == 3
    assert DEFAULT_RULES.param("R07", "teams_per_county_min") == 3


@pytest.mark.parametrize("overrides,field", [
    ({"R99": {"x": 1}}, "R99"),
    ({"R07": {"teams_a_year": 4}}, "R07.teams_a_year"),
    ({"weights": {"speed": 1}}, "weights.speed"),
    ({"weights": {"distance_per_km": 1.5}}, "weights.distance_per_km"),
    ({"R07": {"teams_per_county_min": -1}}, "R07.teams_per_county_min"),
    ({"R07": {"teams_per_county_min": "three"}}, "R07.teams_per_county_min"),
])
def test_unknown_or_bad_override_is_an_error_naming_it(overrides, field):
    with pytest.raises(RosterError) as info:
        apply_overrides(overrides)
    assert [p.field for p in info.value.problems] == [field]
    assert info.value.problems[0].file == "rules.toml"


def test_rules_toml_in_a_roster_directory(tmp_path):
    write_roster(tiny_roster(), tmp_path)
    (tmp_path / "rules.toml").write_text("[weights]\ndistance_per_km = 2\n", encoding="utf-8")
    assert load_rules(tmp_path).weights["distance_per_km"] == 2
    (tmp_path / "rules.toml").write_text("[R01]\nspeed = 2\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "solver", "validate", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 1 and "rules.toml, field R01.speed: unknown parameter" in run.stderr
