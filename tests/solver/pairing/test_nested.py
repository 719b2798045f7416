"""The nested city/county decomposition on tiny instances whose optimum is worked out by hand."""

from __future__ import annotations

from solver.domain.results import SolveOptions, SolveStatus
from solver.pairing.columns import NestedProblem, relaxation_bound
from solver.pairing.explain import explain_nested
from solver.pairing.nested import solve_nested

OPTIONS = SolveOptions(time_limit_s=10, num_workers=1)

# Supporter city A has units a1, a2 (capacity 1 each); B has b1 (capacity 2); each city takes
# one receiving city. X has counties x1, x2; Y has y1. City pairs cost nothing.
#   A→X, B→Y: x1-a1 1 + x2-a2 2 + y1-b1 10 = 13
#   A→Y, B→X: y1-a1 3 + x1-b1 2 + x2-b1 2 = 7   <- the optimum
UNIT_COST = {
    ("a1", "x1"): 1,
    ("a1", "x2"): 5,
    ("a2", "x1"): 4,
    ("a2", "x2"): 2,
    ("a1", "y1"): 3,
    ("a2", "y1"): 6,
    ("b1", "y1"): 10,
    ("b1", "x1"): 2,
    ("b1", "x2"): 2,
}


def tiny(**changes) -> NestedProblem:
    fields = {
        "supporter_cities": ["A", "B"],
        "city_capacity": {"A": 1, "B": 1},
        "receiving_cities": ["X", "Y"],
        "units_of": {"A": ["a1", "a2"], "B": ["b1"]},
        "unit_capacity": {"a1": 1, "a2": 1, "b1": 2},
        "receivers_of": {"X": ["x1", "x2"], "Y": ["y1"]},
        "city_cost": {(c, r): 0 for c in "AB" for r in "XY"},
        "unit_cost": dict(UNIT_COST),
    }
    fields.update(changes)
    return NestedProblem(**fields)


def test_optimum_by_hand():
    result = solve_nested(tiny(), OPTIONS)
    assert result.part.status == SolveStatus.OPTIMAL
    assert result.part.objective == 7 and result.part.bound == 7
    assert result.city_pairs == [("A", "Y"), ("B", "X")]
    assert result.unit_pairs == [("a1", "y1"), ("b1", "x1"), ("b1", "x2")]


def test_relaxation_is_a_lower_bound():
    # Without nesting: x1-a1 1, x2-b1 2, y1-b1 10 or y1-a2 6 ... best is 1 + 2 + 6 = 9? No:
    # slots a1, a2, b1, b1; x1-a1 1, x2-b1 2, y1-a2 6 = 9 or x1-b1 2, x2-b1 2, y1-a1 3 = 7.
    assert relaxation_bound(tiny()) == 7


def test_fixed_county_pin_forces_its_city_pair():
    result = solve_nested(tiny(fixed_units={("a1", "x1")}), OPTIONS)
    assert result.part.objective == 13
    assert ("A", "X") in result.city_pairs and ("a1", "x1") in result.unit_pairs


def test_forbidden_city_pair():
    costs = {(c, r): 0 for c in "AB" for r in "XY"}
    del costs[("B", "X")]
    result = solve_nested(tiny(city_cost=costs), OPTIONS)
    assert result.part.objective == 13 and ("B", "Y") in result.city_pairs


def test_city_cost_counts():
    costs = {(c, r): 0 for c in "AB" for r in "XY"}
    costs[("B", "X")] = 100
    result = solve_nested(tiny(city_cost=costs), OPTIONS)
    assert result.part.objective == 13


def test_infeasible_is_explained_by_the_conflicting_pins_and_capacities():
    problem = tiny(fixed_cities={("A", "X")}, fixed_units={("b1", "x1")})
    result = solve_nested(problem, OPTIONS)
    assert result.part.status == SolveStatus.INFEASIBLE
    lines = explain_nested(problem, lambda i: i, OPTIONS)
    assert any("pin: city pair A → X" in line for line in lines)
    assert any("pin: county pair b1 → x1" in line for line in lines)


def test_too_little_capacity_is_explained():
    problem = tiny(unit_capacity={"a1": 1, "a2": 0, "b1": 1})
    assert solve_nested(problem, OPTIONS).part.status == SolveStatus.INFEASIBLE
    lines = explain_nested(problem, lambda i: i, OPTIONS)
    # X's 2 counties need one city partner, but A's and B's units can take 1 county each in all.
    assert any(
        line.startswith("R04: X needs exactly one PRD city supporter") and "2 receiving counties" in line
        for line in lines
    )
    assert any(line.startswith("capacity: the 2 supporter units of A can take 1") for line in lines)
    assert any(line.startswith("capacity: the 1 supporter units of B can take 1") for line in lines)
