"""The rules catalogue as data, typed parameters with ranges, and rules.toml overrides: unknown
names and bad values are errors naming the file, the rule and the parameter, never ignored."""

from __future__ import annotations

import subprocess
import sys

import pytest

from solver.domain.problems import InputError
from solver.roster.io import write_roster
from solver.rules import (
    CATALOGUE,
    DEFAULT_RULES,
    CheckedBy,
    Weights,
    apply_overrides,
    from_record,
    load_rules,
)
from solver.rules.params import R07, R09
from tests.factories import tiny_roster


def test_catalogue_has_every_rule_with_its_clause_and_typed_parameters():
    assert [r.id for r in CATALOGUE] == [f"R{i:02d}" for i in range(1, 39)]
    assert all(r.clause and r.title for r in CATALOGUE)
    assert DEFAULT_RULES.of(R07).teams_per_county_min == 3
    assert (DEFAULT_RULES.of(R09).backbone_min, DEFAULT_RULES.of(R09).backbone_max) == (30, 50)
    assert not DEFAULT_RULES.rules["R21"].hard and DEFAULT_RULES.rules["R21"].checked_by is None
    assert {r.checked_by for r in CATALOGUE if r.hard} == {CheckedBy.PAIRS, CheckedBy.DEPLOYMENTS}


def test_weight_names_are_the_score_term_names():
    pair_terms = {"distance", "tie", "home_city", "continuity", "keep", "priority", "balance"}
    column_terms = {"fairness", "institute_load"}
    school_terms = {"stage_mismatch", "family_mismatch", "school_load"}
    assert set(Weights.model_fields) == pair_terms | column_terms | school_terms


def test_overrides_apply_and_leave_the_defaults_alone():
    rules = apply_overrides({"R07": {"teams_per_county_min": 4}, "weights": {"distance": 3}})
    assert rules.of(R07).teams_per_county_min == 4 and rules.weights.distance == 3
    assert DEFAULT_RULES.of(R07).teams_per_county_min == 3
    assert rules.overrides() == {"R07": {"teams_per_county_min": 4}, "weights": {"distance": 3}}


def test_a_recorded_rule_set_reads_back_the_same():
    rules = apply_overrides({"R09": {"backbone_min": 35}, "deployment_weights": {"team_rank_step": 20}})
    assert from_record(rules.record()) == rules
    assert from_record(DEFAULT_RULES.record()) == DEFAULT_RULES


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"R99": {"x": 1}}, "R99"),
        ({"R07": {"teams_a_year": 4}}, "R07.teams_a_year"),
        ({"weights": {"speed": 1}}, "weights.speed"),
        ({"weights": {"distance": 1.5}}, "weights.distance"),
        ({"weights": {"distance": True}}, "weights.distance"),
        ({"R07": {"teams_per_county_min": -1}}, "R07.teams_per_county_min"),
        ({"R07": {"teams_per_county_min": "three"}}, "R07.teams_per_county_min"),
        ({"R07": {"teams_per_county_min": 3.5}}, "R07.teams_per_county_min"),
        ({"R07": {"send_share": 1.5}}, "R07.send_share"),
        ({"R15": {"full_coverage_by": 2040}}, "R15.full_coverage_by"),
        ({"R09": {"backbone_min": 60}}, "R09"),
    ],
)
def test_unknown_or_bad_override_is_an_error_naming_it(overrides, field):
    with pytest.raises(InputError) as info:
        apply_overrides(overrides)
    assert [p.field for p in info.value.problems] == [field]
    assert info.value.problems[0].file == "rules.toml"


def test_rules_toml_in_a_roster_directory(tmp_path):
    write_roster(tiny_roster(), tmp_path)
    (tmp_path / "rules.toml").write_text("[weights]\ndistance = 2\n", encoding="utf-8")
    assert load_rules(tmp_path).weights.distance == 2
    (tmp_path / "rules.toml").write_text("[R01]\nspeed = 2\n[R07]\nteams_per_county_min = 3.5\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "solver", "validate", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "rules.toml, field R01.speed: unknown parameter" in run.stderr
    assert "rules.toml, field R07.teams_per_county_min: Input should be a valid integer (got 3.5)" in run.stderr
