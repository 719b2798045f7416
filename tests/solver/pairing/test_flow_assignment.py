"""The min-cost-flow path for large assignment problems (`solve_by_flow`) reaches the same optimum as
the LP + CP-SAT path, on the bundled roster's assignment problems, and declines what it cannot do."""

from __future__ import annotations

from dataclasses import replace

import pytest

import solver
from solver.domain.results import SolveOptions
from solver.pairing.assign import solve_assignment, solve_by_flow
from solver.pairing.pins import PinSet
from solver.pairing.problems import intra_county_problem, normal_university_problem, university_area_problem
from solver.pairing.scoring import Scorer
from solver.rules.ruleset import DEFAULT_RULES


@pytest.mark.parametrize("build", [normal_university_problem, university_area_problem, intra_county_problem])
def test_flow_matches_cpsat(bundled_roster: solver.Roster, build) -> None:  # type: ignore[no-untyped-def]
    scorer = Scorer.build(bundled_roster, DEFAULT_RULES.weights)
    problem = build(bundled_roster, scorer, PinSet(()), DEFAULT_RULES)
    exact = solve_assignment(problem, SolveOptions(time_limit_s=30))
    found = solve_by_flow(problem)
    assert found is not None and exact.part.objective is not None
    objective, edges = found
    assert objective == exact.part.objective
    assert objective == sum(problem.cost[e] for e in edges)
    assert not set(edges) & problem.forbidden


def test_flow_declines_pins_and_shortfalls(bundled_roster: solver.Roster) -> None:
    scorer = Scorer.build(bundled_roster, DEFAULT_RULES.weights)
    problem = university_area_problem(bundled_roster, scorer, PinSet(()), DEFAULT_RULES)
    assert solve_by_flow(replace(problem, fixed={next(iter(problem.cost))})) is None
    # Every edge of one receiver forbidden: its minimum cannot be met, so CP-SAT must explain it.
    receiver = problem.receivers[0]
    assert solve_by_flow(replace(problem, forbidden={e for e in problem.cost if e[1] == receiver})) is None
