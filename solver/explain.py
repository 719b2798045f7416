"""Why the nested city/county pairing is impossible, in words.

A feasibility-only joint model (city pairs x, county pairs y, y ≤ x of their cities) in which
every rule instance is switched on by its own assumption literal. CP-SAT's sufficient
assumptions for infeasibility then name a small set of rules that cannot hold together.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.nested import NestedProblem
from solver.result import SolveOptions


def explain_nested(problem: NestedProblem, label: Callable[[str], str], options: SolveOptions) -> list[str]:
    model = cp_model.CpModel()
    texts: dict[int, str] = {}

    def assume(text: str) -> cp_model.IntVar:
        literal = model.new_bool_var(text)
        texts[literal.index] = text
        return literal

    unit_city = problem.city_of_unit()
    receiver_city = problem.city_of_receiver()
    x = {edge: model.new_bool_var(f"x{edge}") for edge in problem.city_cost}
    y = {edge: model.new_bool_var(f"y{edge}") for edge in problem.unit_cost
         if (unit_city[edge[0]], receiver_city[edge[1]]) in x}
    for rc in problem.receiving_cities:
        vars_ = [v for (c, r), v in x.items() if r == rc]
        n = len(problem.receivers_of.get(rc, []))
        model.add_exactly_one(vars_).only_enforce_if(assume(
            f"R04: {label(rc)} needs exactly one PRD city supporter, whose units must take its {n} receiving counties"))
    for c in problem.supporter_cities:
        cap = problem.city_capacity.get(c, 0)
        vars_ = [v for (s, _), v in x.items() if s == c]
        model.add(sum(vars_) <= cap).only_enforce_if(
            assume(f"capacity: {label(c)} can partner at most {cap} receiving cities"))
        units = problem.units_of.get(c, [])
        total = sum(problem.unit_capacity.get(u, 0) for u in units)
        # Implied by unit capacities and nesting, but it names the usual conflict directly.
        model.add(sum(len(problem.receivers_of.get(r, [])) * v for (s, r), v in x.items() if s == c) <= total
                  ).only_enforce_if(assume(f"capacity: the {len(units)} supporter units of {label(c)} "
                                           f"can take {total} receiving counties in all"))
    for rc, receivers in problem.receivers_of.items():
        for r in receivers:
            vars_ = [v for (u, rr), v in y.items() if rr == r]
            model.add_exactly_one(vars_).only_enforce_if(assume(
                f"R01/R04: {label(r)} of {label(rc)} needs exactly one county supporter in its city partner"))
    for u, cap in problem.unit_capacity.items():
        vars_ = [v for (uu, _), v in y.items() if uu == u]
        if vars_:
            model.add(sum(vars_) <= cap).only_enforce_if(assume(f"capacity: {label(u)} can take at most {cap}"))
    for (u, r), v in y.items():
        model.add_implication(v, x[(unit_city[u], receiver_city[r])])
    for c, rc in sorted(problem.fixed_cities):
        n = len(problem.receivers_of.get(rc, []))
        literal = assume(f"pin: city pair {label(c)} → {label(rc)} is fixed ({label(rc)} has {n} receiving counties)")
        if (c, rc) in x:
            model.add(x[(c, rc)] == 1).only_enforce_if(literal)
        else:
            model.add_bool_or([]).only_enforce_if(literal)
    for u, r in sorted(problem.fixed_units):
        literal = assume(f"pin: county pair {label(u)} → {label(r)} is fixed")
        if (u, r) in y:
            model.add(y[(u, r)] == 1).only_enforce_if(literal)
        else:
            model.add_bool_or([]).only_enforce_if(literal)
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in texts])
    solver = cp_model.CpSolver()
    options.apply(solver)
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return ["the city and county pairing found no plan within the time limit, but no conflict was proven"]
    core = solver.sufficient_assumptions_for_infeasibility()
    return sorted(texts[i] for i in core if i in texts)
