"""Other ways to solve the nested city/county pairing, to measure ours against (benchmark only).

- naive_cp_sat: one boolean per supporter unit × receiving county and per city pair, linked;
- greedy: receiving cities, largest first, take the cheapest supporter city that still fits,
  then each county its nearest unit with capacity left;
- highs_columns: the same column model as solver.pairing.nested, solved as a MIP by HiGHS.
Each returns (objective, bound, status) on the same integer costs as solver.nested.
"""

from __future__ import annotations

import highspy
import numpy as np
from ortools.sat.python import cp_model

from solver.domain.results import Deadline, SolveOptions
from solver.pairing.columns import NestedProblem, enumerate_columns
from solver.pairing.cpsat import new_solver


def slot_costs(problem: NestedProblem) -> dict[tuple[str, str, int], int]:
    """A county pair's cost as the k-th county of its unit: its own terms and what its school pairs
    cost with that slot's room of the unit's schools."""
    return {
        (u, r, k): c + problem.school_points((u, r), k)
        for (u, r), c in problem.unit_cost.items()
        for k in range(problem.unit_capacity.get(u, 0))
    }


def naive_cp_sat(problem: NestedProblem, options: SolveOptions) -> tuple[int | None, int | None, str]:
    model = cp_model.CpModel()
    unit_city = problem.city_of_unit()
    receiver_city = problem.city_of_receiver()
    x = {e: model.new_bool_var(f"x{e}") for e in problem.city_cost}
    cost = slot_costs(problem)
    y = {e: model.new_bool_var(f"y{e}") for e in cost if (unit_city[e[0]], receiver_city[e[1]]) in x}
    for rc in problem.receiving_cities:
        model.add_exactly_one(v for (c, r), v in x.items() if r == rc)
    for c in problem.supporter_cities:
        model.add(sum(v for (s, _), v in x.items() if s == c) <= problem.city_capacity.get(c, 0))
    by_receiver: dict[str, list] = {}
    by_slot: dict[tuple[str, int], list] = {}
    for (u, r, k), v in y.items():
        by_receiver.setdefault(r, []).append(v)
        by_slot.setdefault((u, k), []).append(v)
        model.add_implication(v, x[(unit_city[u], receiver_city[r])])
    for rs in problem.receivers_of.values():
        for r in rs:
            model.add_exactly_one(by_receiver.get(r, []))
    for vars_ in by_slot.values():
        model.add_at_most_one(vars_)
    model.minimize(sum(problem.city_cost[e] * v for e, v in x.items()) + sum(cost[e] * v for e, v in y.items()))
    solver = new_solver(options)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return round(solver.objective_value), round(solver.best_objective_bound), solver.status_name(status)
    return None, None, solver.status_name(status)


def greedy(problem: NestedProblem) -> tuple[int | None, int | None, str]:
    cost_of = slot_costs(problem)
    city_left = dict(problem.city_capacity)
    unit_left = dict(problem.unit_capacity)
    total = 0
    order = sorted(problem.receiving_cities, key=lambda rc: (-len(problem.receivers_of.get(rc, [])), rc))
    for rc in order:
        receivers = problem.receivers_of.get(rc, [])
        options = []
        for c in problem.supporter_cities:
            if city_left.get(c, 0) <= 0 or (c, rc) not in problem.city_cost:
                continue
            room = sum(unit_left[u] for u in problem.units_of.get(c, []))
            if room >= len(receivers):
                options.append((problem.city_cost[(c, rc)], c))
        if not options:
            return None, None, "STUCK"
        cost, city = min(options)
        city_left[city] -= 1
        total += cost
        for r in receivers:
            units = [
                (cost_of[(u, r, taken)], u)
                for u in problem.units_of[city]
                if unit_left[u] > 0 and (u, r, taken := problem.unit_capacity[u] - unit_left[u]) in cost_of
            ]
            if not units:
                return None, None, "STUCK"
            cost_here, unit = min(units)
            unit_left[unit] -= 1
            total += cost_here
    return total, None, "FEASIBLE"


def highs_columns(problem: NestedProblem, time_limit_s: float) -> tuple[int | None, int | None, str]:
    columns, _, _ = enumerate_columns(problem, Deadline(time_limit_s))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", time_limit_s)
    h.setOptionValue("threads", 1)
    n = len(columns)
    inf = highspy.kHighsInf
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array([c.cost for c in columns], dtype=float))
    rows: dict[str, list[int]] = {r: [] for r in problem.receiving_cities}
    per_city: dict[str, list[int]] = {}
    for i, column in enumerate(columns):
        for r in column.cities:
            rows[r].append(i)
        per_city.setdefault(column.city, []).append(i)
    for members in rows.values():
        h.addRow(1, 1, len(members), np.array(members, dtype=np.int32), np.ones(len(members)))
    for members in per_city.values():
        h.addRow(-inf, 1, len(members), np.array(members, dtype=np.int32), np.ones(len(members)))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    if (
        h.getModelStatus() in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit)
        and info.primal_solution_status
    ):
        return round(info.objective_function_value), round(info.mip_dual_bound), status
    return None, None, status


def joint_highs(problem: NestedProblem, time_limit_s: float = 60.0) -> tuple[int | None, int | None, str]:
    """The joint model (a boolean per city pair and per county pair in each slot of its unit, county
    pairs inside city pairs) solved as a MIP by HiGHS: no columns, no CP-SAT, no Hungarian method,
    so an independent reference for small instances."""
    unit_city, receiver_city = problem.city_of_unit(), problem.city_of_receiver()
    slot_cost = {
        e: c for e, c in slot_costs(problem).items() if (unit_city[e[0]], receiver_city[e[1]]) in problem.city_cost
    }
    x_edges, y_edges = sorted(problem.city_cost), sorted(slot_cost)
    if not (problem.fixed_cities <= set(x_edges) and problem.fixed_units <= {(u, r) for u, r, _ in y_edges}):
        return None, None, "Infeasible"  # a pin on a pair that may not be
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", time_limit_s)
    h.setOptionValue("threads", 1)
    n = len(x_edges) + len(y_edges)
    if n == 0:
        return None, None, "Infeasible"
    inf = highspy.kHighsInf
    lower, upper = np.zeros(n), np.ones(n)
    for edge in problem.fixed_cities:
        lower[x_edges.index(edge)] = 1
    h.addVars(n, lower, upper)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger))
    costs = [problem.city_cost[e] for e in x_edges] + [slot_cost[e] for e in y_edges]
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(costs, dtype=float))
    x_index = {e: i for i, e in enumerate(x_edges)}
    y_index = {e: len(x_edges) + i for i, e in enumerate(y_edges)}

    def row(low: float, high: float, members: list[int], coefficients: list[float] | None = None) -> None:
        values = np.array(coefficients if coefficients is not None else [1.0] * len(members))
        h.addRow(low, high, len(members), np.array(members, dtype=np.int32), values)

    for rc in problem.receiving_cities:
        row(1, 1, [i for (c, r), i in x_index.items() if r == rc])
        for r in problem.receivers_of.get(rc, []):
            row(1, 1, [i for (_, rr, _), i in y_index.items() if rr == r])
    for c in problem.supporter_cities:
        row(-inf, problem.city_capacity.get(c, 0), [i for (cc, _), i in x_index.items() if cc == c])
    by_slot: dict[tuple[str, int], list[int]] = {}
    for (u, _, k), i in y_index.items():
        by_slot.setdefault((u, k), []).append(i)
    for members in by_slot.values():  # a slot takes at most one county
        row(-inf, 1, members)
    for u, r in problem.fixed_units:
        row(1, inf, [i for (uu, rr, _), i in y_index.items() if (uu, rr) == (u, r)])
    for (u, r, _), i in y_index.items():  # y(u, r, k) <= x(city of u, city of r)
        row(-inf, 0, [i, x_index[(unit_city[u], receiver_city[r])]], [1.0, -1.0])
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kOptimal:
        return round(info.objective_function_value), round(info.mip_dual_bound), "Optimal"
    return None, None, h.modelStatusToString(status)
