"""Why the nested city/county pairing is impossible, in words.

Feasibility-only models in which every rule instance is switched on by its own assumption
literal; CP-SAT's sufficient assumptions for infeasibility name rules that cannot hold together,
and a deletion pass shrinks that set until every rule left is needed for the conflict.

Two tiers: first the city level alone (city pairs, city capacities, the total county capacity of
each supporter city's units, city pins), whose conflicts are the usual ones and read best
("梅州市 has 8 receiving counties, its pinned supporter 珠海市 can take 6"); only when that level
is feasible, the full model with every county pair.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.domain.results import SolveOptions
from solver.pairing.columns import NestedProblem
from solver.pairing.cpsat import new_solver

Label = Callable[[str], str]


def minimal_conflict(
    model: cp_model.CpModel, texts: dict[int, str], options: SolveOptions, budget_s: float
) -> list[str] | None:
    """A set of rules in conflict, none of which can be dropped (within the time budget), as
    sentences; None when the rules can all hold. `texts` maps assumption literals to rules."""
    core = _core(model, list(texts), options)
    if core is None:
        return None
    deadline = time.perf_counter() + budget_s
    for index in list(core):
        if index not in core or time.perf_counter() > deadline:
            continue
        smaller = _core(model, [i for i in core if i != index], options)
        if smaller is not None:
            core = [i for i in core if i in set(smaller)]
    return sorted(texts[i] for i in core)


def _core(model: cp_model.CpModel, indices: list[int], options: SolveOptions) -> list[int] | None:
    model.clear_assumptions()
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in indices])
    solver = new_solver(options)
    solver.parameters.num_workers = 1  # a core is found by one search; more workers only race
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    return list(solver.sufficient_assumptions_for_infeasibility())


class _Explainer:
    def __init__(self) -> None:
        self.model = cp_model.CpModel()
        self.texts: dict[int, str] = {}

    def assume(self, text: str) -> cp_model.IntVar:
        literal = self.model.new_bool_var(text)
        self.texts[literal.index] = text
        return literal

    def conflict(self, options: SolveOptions, budget_s: float) -> list[str] | None:
        return minimal_conflict(self.model, self.texts, options, budget_s)


def _city_level(problem: NestedProblem, label: Label, ex: _Explainer) -> dict[tuple[str, str], cp_model.IntVar]:
    model = ex.model
    x = {edge: model.new_bool_var(f"x{edge}") for edge in problem.city_cost}
    for rc in problem.receiving_cities:
        n = len(problem.receivers_of.get(rc, []))
        model.add_exactly_one([v for (c, r), v in x.items() if r == rc]).only_enforce_if(
            ex.assume(
                f"R04: {label(rc)} needs exactly one PRD city supporter, whose units must take its {n} receiving counties"
            )
        )
    for c in problem.supporter_cities:
        cap = problem.city_capacity.get(c, 0)
        model.add(sum(v for (s, _), v in x.items() if s == c) <= cap).only_enforce_if(
            ex.assume(f"capacity: {label(c)} can partner at most {cap} receiving cities")
        )
        units = problem.units_of.get(c, [])
        total = sum(problem.unit_capacity.get(u, 0) for u in units)
        # Implied by the unit capacities and nesting, but it names the usual conflict directly.
        model.add(
            sum(len(problem.receivers_of.get(r, [])) * v for (s, r), v in x.items() if s == c) <= total
        ).only_enforce_if(
            ex.assume(
                f"capacity: the {len(units)} supporter units of {label(c)} can take {total} receiving counties in all"
            )
        )
    for c, rc in sorted(problem.fixed_cities):
        n = len(problem.receivers_of.get(rc, []))
        literal = ex.assume(
            f"pin: city pair {label(c)} → {label(rc)} is fixed ({label(rc)} has {n} receiving counties)"
        )
        model.add(x[(c, rc)] == 1 if (c, rc) in x else model.new_constant(0) == 1).only_enforce_if(literal)
    unit_city, receiver_city = problem.city_of_unit(), problem.city_of_receiver()
    for u, r in sorted(problem.fixed_units):
        edge = (unit_city.get(u), receiver_city.get(r))
        literal = ex.assume(
            f"pin: county pair {label(u)} → {label(r)} is fixed, so {label(edge[0] or u)} "
            f"must partner {label(edge[1] or r)}"
        )
        model.add(x[edge] == 1 if edge in x else model.new_constant(0) == 1).only_enforce_if(literal)
    return x


def _county_level(
    problem: NestedProblem, label: Label, ex: _Explainer, x: dict[tuple[str, str], cp_model.IntVar]
) -> None:
    model = ex.model
    unit_city, receiver_city = problem.city_of_unit(), problem.city_of_receiver()
    y = {
        edge: model.new_bool_var(f"y{edge}")
        for edge in problem.unit_cost
        if (unit_city[edge[0]], receiver_city[edge[1]]) in x
    }
    for rc, receivers in problem.receivers_of.items():
        for r in receivers:
            model.add_exactly_one([v for (u, rr), v in y.items() if rr == r]).only_enforce_if(
                ex.assume(f"R01/R04: {label(r)} of {label(rc)} needs exactly one county supporter in its city partner")
            )
    for u, cap in problem.unit_capacity.items():
        vars_ = [v for (uu, _), v in y.items() if uu == u]
        if vars_:
            model.add(sum(vars_) <= cap).only_enforce_if(ex.assume(f"capacity: {label(u)} can take at most {cap}"))
    for (u, r), v in y.items():
        model.add_implication(v, x[(unit_city[u], receiver_city[r])])
    for u, r in sorted(problem.fixed_units):
        literal = ex.assume(f"pin: county pair {label(u)} → {label(r)} is fixed")
        model.add(y[(u, r)] == 1 if (u, r) in y else model.new_constant(0) == 1).only_enforce_if(literal)


def explain_nested(problem: NestedProblem, label: Label, options: SolveOptions, budget_s: float = 10.0) -> list[str]:
    city_level = _Explainer()
    _city_level(problem, label, city_level)
    found = city_level.conflict(options, budget_s)
    if found is not None:
        return found
    full = _Explainer()
    x = _city_level(problem, label, full)
    _county_level(problem, label, full, x)
    found = full.conflict(options, budget_s)
    if found is None:
        return ["the city and county pairing found no plan within the time limit, but no conflict was proven"]
    return found
