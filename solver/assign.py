"""A CP-SAT assignment model with one assumption literal per named constraint.

Used for the kinds that are a capacitated assignment on their own (normal university–city,
university–area, the county level of intra-region pairing) and, without an objective, to
explain why the nested city/county pairing is infeasible. When CP-SAT proves the model
infeasible, `SufficientAssumptionsForInfeasibility` names the constraints that conflict, and
each one carries a sentence a coordinator can read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.result import PartResult, ProgressCallback, ProgressReporter, SolveOptions, SolveStatus

Edge = tuple[str, str]


@dataclass
class AssignmentProblem:
    """Pick edges (supporter, receiver): every receiver gets between min and max supporters,
    every supporter at most `capacity` receivers (exactly one when `supporter_exact`)."""

    name: str
    rule: str
    supporters: list[str]
    receivers: list[str]
    capacity: dict[str, int]
    cost: dict[Edge, int]  # the allowed edges and their integer cost
    receiver_min: int = 1
    receiver_max: int | None = 1
    supporter_exact: bool = False
    fixed: set[Edge] = field(default_factory=set)
    forbidden: set[Edge] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)
    receiver_rule_text: str = "needs a supporter"

    def label(self, party_id: str) -> str:
        name = self.names.get(party_id)
        return f"{name} ({party_id})" if name else party_id


@dataclass
class AssignmentResult:
    part: PartResult
    edges: list[Edge]
    explanation: list[str]


def solve_assignment(problem: AssignmentProblem, options: SolveOptions,
                     on_progress: ProgressCallback | None = None) -> AssignmentResult:
    started = time.perf_counter()
    model = cp_model.CpModel()
    x = {edge: model.new_bool_var(f"x[{edge[0]},{edge[1]}]") for edge in sorted(problem.cost)}
    assumptions: dict[int, str] = {}

    def assume(text: str) -> cp_model.IntVar:
        literal = model.new_bool_var(text)
        assumptions[literal.index] = text
        return literal

    by_receiver: dict[str, list[cp_model.IntVar]] = {r: [] for r in problem.receivers}
    by_supporter: dict[str, list[cp_model.IntVar]] = {s: [] for s in problem.supporters}
    for (s, r), var in x.items():
        by_receiver[r].append(var)
        by_supporter[s].append(var)
    for r, vars_ in by_receiver.items():
        literal = assume(f"{problem.rule}: {problem.label(r)} {problem.receiver_rule_text}"
                         + ("" if vars_ else " but no supporter may take it"))
        model.add(sum(vars_) >= problem.receiver_min).only_enforce_if(literal)
        if problem.receiver_max is not None:
            model.add(sum(vars_) <= problem.receiver_max).only_enforce_if(literal)
    for s, vars_ in by_supporter.items():
        cap = problem.capacity.get(s, 0)
        if problem.supporter_exact:
            literal = assume(f"{problem.rule}: {problem.label(s)} must be paired with exactly one receiver")
            model.add(sum(vars_) == 1).only_enforce_if(literal)
        else:
            literal = assume(f"capacity: {problem.label(s)} can take at most {cap}")
            model.add(sum(vars_) <= cap).only_enforce_if(literal)
    for s, r in sorted(problem.fixed):
        literal = assume(f"pin: {problem.label(s)} → {problem.label(r)} is fixed")
        if (s, r) in x:
            model.add(x[(s, r)] == 1).only_enforce_if(literal)
        else:
            model.add_bool_or([]).only_enforce_if(literal)  # a fixed pair that is not allowed at all
    for s, r in sorted(problem.forbidden):
        if (s, r) in x:
            literal = assume(f"pin: {problem.label(s)} → {problem.label(r)} is forbidden")
            model.add(x[(s, r)] == 0).only_enforce_if(literal)
    model.minimize(sum(cost * x[edge] for edge, cost in problem.cost.items()))
    model.add_assumptions(list(_literals(model, assumptions)))

    solver = cp_model.CpSolver()
    options.apply(solver)
    status = solver.solve(model, ProgressReporter(problem.name, on_progress))
    runtime = time.perf_counter() - started
    part = PartResult.from_cp_sat(problem.name, solver, status, runtime)
    if part.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        edges = [edge for edge, var in x.items() if solver.boolean_value(var)]
        return AssignmentResult(part, sorted(edges), [])
    explanation = []
    if status == cp_model.INFEASIBLE:
        core = solver.sufficient_assumptions_for_infeasibility()
        explanation = sorted(assumptions[index] for index in core if index in assumptions)
    return AssignmentResult(part, [], explanation)


def _literals(model: cp_model.CpModel, assumptions: dict[int, str]):
    for index in assumptions:
        yield model.get_bool_var_from_proto_index(index)
