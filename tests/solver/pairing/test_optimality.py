"""Optimality, checked against an independent reference: on small random instances the nested
column model (ours) and the joint MIP solved by HiGHS (scripts/pairing_baselines.py: one boolean
per city pair and per county pair, no columns, no CP-SAT) agree on the optimum, or both find none.
Instances have negative costs, school costs that grow in a unit's later slots, and pins, as real
ones do."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver import SolveOptions, SolveStatus
from solver.pairing.columns import NestedProblem
from solver.pairing.nested import solve_nested

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from pairing_baselines import joint_highs

OPTIONS = SolveOptions(time_limit_s=20, num_workers=1)


@st.composite
def nested_problems(draw: st.DrawFn) -> NestedProblem:
    supporters = [f"S{i}" for i in range(draw(st.integers(1, 4)))]
    receiving = [f"R{i}" for i in range(draw(st.integers(1, 4)))]
    units_of = {c: [f"{c}u{j}" for j in range(draw(st.integers(1, 3)))] for c in supporters}
    receivers_of = {r: [f"{r}c{j}" for j in range(draw(st.integers(1, 3)))] for r in receiving}
    cost = st.integers(-50, 400)
    city_cost = {(c, r): draw(cost) for c in supporters for r in receiving if draw(st.integers(0, 5))}
    unit_cost, school_cost = {}, {}
    for units in units_of.values():
        for u in units:
            for counties in receivers_of.values():
                for r in counties:
                    if draw(st.integers(0, 6)):
                        unit_cost[(u, r)] = draw(cost)
                        if draw(st.booleans()):  # less room in later slots costs more, as with slot_rooms
                            first = 50 * draw(st.integers(0, 3))
                            school_cost[(u, r)] = (first, first + 50 * draw(st.integers(0, 2)))
    fixed_cities = {e for e in city_cost if draw(st.integers(0, 12)) == 0}
    fixed_units = {e for e in unit_cost if draw(st.integers(0, 15)) == 0}
    return NestedProblem(
        supporter_cities=supporters,
        city_capacity={c: draw(st.integers(0, len(receiving))) for c in supporters},
        receiving_cities=receiving,
        units_of=units_of,
        unit_capacity={u: draw(st.integers(0, 3)) for units in units_of.values() for u in units},
        receivers_of=receivers_of,
        city_cost=city_cost,
        unit_cost=unit_cost,
        school_cost=school_cost,
        fixed_units=fixed_units,
        fixed_cities=fixed_cities,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested_problems())
def test_the_nested_model_matches_the_joint_mip(problem: NestedProblem):
    ours = solve_nested(problem, OPTIONS)
    objective, bound, status = joint_highs(problem)
    if status == "Optimal":
        assert ours.part.status == SolveStatus.OPTIMAL
        assert ours.part.objective == ours.part.bound == objective == bound
    else:
        assert status == "Infeasible", status
        assert ours.part.status == SolveStatus.INFEASIBLE


@st.composite
def weighed_problems(draw: st.DrawFn) -> NestedProblem:
    """`nested_problems` with the terms of a whole column too: a load against a fair load (R24) and an
    institute's partners beyond a limit (R26)."""
    problem = draw(nested_problems())
    supporters, receiving = problem.supporter_cities, problem.receiving_cities
    # Mostly feasible: room in every city and unit, and pins only now and then.
    problem.city_capacity = {c: max(1, k) for c, k in problem.city_capacity.items()}
    problem.unit_capacity = {u: max(1, k) for u, k in problem.unit_capacity.items()}
    if draw(st.integers(0, 3)):
        problem.fixed_units, problem.fixed_cities = set(), set()
    units = [u for us in problem.units_of.values() for u in us]
    problem.fairness_points = draw(st.sampled_from([0, 20, 500]))
    problem.fair_load = {c: float(draw(st.integers(0, 3000))) for c in supporters}
    problem.receiving_teachers = {r: draw(st.integers(0, 2000)) for r in receiving}
    problem.institute_limit = draw(st.integers(0, 2))
    problem.institute_points = draw(st.sampled_from([0, 300]))
    problem.city_institutes = {c for c in supporters if draw(st.booleans())}
    problem.shared_cities = {c for c in problem.city_institutes if draw(st.booleans())}
    problem.unit_institutes = {u for u in units if draw(st.booleans())}
    problem.receiving_institutes = {r: (draw(st.integers(0, 1)), draw(st.integers(0, 3))) for r in receiving}
    return problem


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weighed_problems(), st.integers(0, 1))
def test_generated_columns_bound_the_exact_optimum(problem: NestedProblem, nearest: int):
    """Column generation (as for national rosters) from `nearest` cities per supporter city: its
    Lagrangian bound never exceeds the exact optimum, nor its plan falls below it."""
    exact = solve_nested(problem, OPTIONS)
    problem.candidate_cities = nearest
    generated = solve_nested(problem, OPTIONS)
    if exact.part.status != SolveStatus.OPTIMAL or not generated.part.status.has_plan:
        return
    optimum = exact.part.objective
    assert generated.part.objective is not None and generated.part.objective >= optimum
    assert generated.part.bound is None or generated.part.bound <= optimum
    if generated.part.status == SolveStatus.OPTIMAL:
        assert generated.part.objective == optimum
    assert sorted(r for _, r in generated.city_pairs) == sorted(problem.receiving_cities)
