"""A CP-SAT assignment model with one assumption literal per named constraint.

Used for the kinds that are a capacitated assignment on their own (normal university–city,
university–area, the county level of intra-region pairing) and, without an objective, to
explain why the nested city/county pairing is infeasible. When CP-SAT proves the model
infeasible, `SufficientAssumptionsForInfeasibility` names the constraints that conflict, and
each one carries a sentence a coordinator can read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from solver.domain.ids import label
from solver.domain.memo import Memo, digest
from solver.domain.pairs import Edge
from solver.domain.results import PROVEN, PartResult, ProgressCallback, SolveOptions, SolveStatus
from solver.pairing.cpsat import ProgressReporter, new_solver, part_result
from solver.pairing.explain import minimal_conflict
from solver.pairing.lp import relax


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
        return label(self.names.get(party_id), party_id)


@dataclass
class AssignmentResult:
    part: PartResult
    edges: list[Edge]
    explanation: list[str]


class _Rows:
    """Rows of an LP constraint matrix as (row, column, coefficient) triples."""

    def __init__(self) -> None:
        self.triples: list[tuple[int, int, float]] = []
        self.rhs: list[float] = []

    def add(self, columns: list[int], coefficient: float, rhs: float) -> None:
        row = len(self.rhs)
        self.rhs.append(rhs)
        self.triples.extend((row, j, coefficient) for j in columns)


@dataclass
class _Candidates:
    edges: list[Edge]
    lower_bound: int | None = None  # the LP bound, when the LP was solved
    hint: set[Edge] = field(default_factory=set)  # the LP optimum, when it is integral


def candidate_edges(problem: AssignmentProblem) -> _Candidates:
    """The edges that can be in an optimal plan, by LP reduced-cost fixing (solver.pairing.lp).

    Assignment models are totally unimodular, so the LP optimum is normally integral and only
    the edges with zero reduced cost remain. Otherwise (or when the LP is infeasible, which
    CP-SAT must then explain) every edge stays.
    """
    edges = sorted(problem.cost)
    index = {edge: j for j, edge in enumerate(edges)}
    of_receiver: dict[str, list[int]] = {r: [] for r in problem.receivers}
    of_supporter: dict[str, list[int]] = {s: [] for s in problem.supporters}
    for (s, r), j in index.items():
        of_receiver[r].append(j)
        of_supporter[s].append(j)
    le, eq = _Rows(), _Rows()
    for js in of_receiver.values():
        le.add(js, -1.0, -problem.receiver_min)
        if problem.receiver_max is not None:
            le.add(js, 1.0, problem.receiver_max)
    for s, js in of_supporter.items():
        if problem.supporter_exact:
            eq.add(js, 1.0, 1)
        else:
            le.add(js, 1.0, problem.capacity.get(s, 0))
    costs = np.array([problem.cost[e] for e in edges], dtype=float)
    lower, upper = np.zeros(len(edges)), np.ones(len(edges))
    for edge in problem.fixed:
        if edge in index:
            lower[index[edge]] = 1
    for edge in problem.forbidden:
        if edge in index:
            upper[index[edge]] = 0
    relaxation = relax(costs, le.triples, le.rhs, eq.triples, eq.rhs, lower, upper) if edges else None
    if relaxation is None:
        return _Candidates(edges)
    best = relaxation.integral_cost(costs)
    if best is None:
        return _Candidates(edges, relaxation.lower_bound())
    kept = {edges[j] for j in relaxation.keep(best)} | (problem.fixed & set(edges))
    return _Candidates(sorted(kept), relaxation.lower_bound(), {edges[j] for j in relaxation.chosen()})


class _Model:
    """The CP-SAT model of an assignment problem; with `explain`, every constraint is switched
    on by its own assumption literal (which hampers presolve, so only used to explain)."""

    def __init__(self, problem: AssignmentProblem, candidates: _Candidates, explain: bool):
        self.model = cp_model.CpModel()
        self.explain = explain
        self.texts: dict[int, str] = {}
        model = self.model
        self.x = {edge: model.new_bool_var(f"x[{edge[0]},{edge[1]}]") for edge in candidates.edges}
        by_receiver: dict[str, list[cp_model.IntVar]] = {r: [] for r in problem.receivers}
        by_supporter: dict[str, list[cp_model.IntVar]] = {s: [] for s in problem.supporters}
        for (s, r), var in self.x.items():
            by_receiver[r].append(var)
            by_supporter[s].append(var)
        for r, vars_ in by_receiver.items():
            text = f"{problem.rule}: {problem.label(r)} {problem.receiver_rule_text}" + (
                "" if vars_ else " but no supporter may take it"
            )
            self.rule(model.add(sum(vars_) >= problem.receiver_min), text)
            if problem.receiver_max is not None:
                self.rule(model.add(sum(vars_) <= problem.receiver_max), text)
        for s, vars_ in by_supporter.items():
            if problem.supporter_exact:
                self.rule(
                    model.add(sum(vars_) == 1),
                    f"{problem.rule}: {problem.label(s)} must be paired with exactly one receiver",
                )
            else:
                cap = problem.capacity.get(s, 0)
                self.rule(model.add(sum(vars_) <= cap), f"capacity: {problem.label(s)} can take at most {cap}")
        for s, r in sorted(problem.fixed):
            text = f"pin: {problem.label(s)} → {problem.label(r)} is fixed"
            # A fixed pair that is not allowed at all is a false clause.
            self.rule(model.add(self.x[(s, r)] == 1) if (s, r) in self.x else model.add_bool_or([]), text)
        for s, r in sorted(problem.forbidden):
            if (s, r) in self.x:
                self.rule(model.add(self.x[(s, r)] == 0), f"pin: {problem.label(s)} → {problem.label(r)} is forbidden")
        if not explain:
            objective = sum(problem.cost[edge] * var for edge, var in self.x.items())
            model.minimize(objective)
            if candidates.lower_bound is not None:
                model.add(objective >= candidates.lower_bound)
            for edge, var in self.x.items():
                model.add_hint(var, edge in candidates.hint)

    def rule(self, constraint: cp_model.Constraint, text: str) -> None:
        if not self.explain:
            return
        index = next((i for i, t in self.texts.items() if t == text), None)
        if index is None:
            literal = self.model.new_bool_var(text)
            self.texts[literal.index] = text
        else:
            literal = self.model.get_bool_var_from_proto_index(index)
        constraint.only_enforce_if(literal)


LARGE_ASSIGNMENT = 200_000
"""From this many candidate edges (a national roster's universities: ~1.2 million), a problem that is a
plain transportation problem is solved as a min-cost flow, exact and in about a second, instead of
an LP over every edge (a minute) and CP-SAT."""


def solve_by_flow(problem: AssignmentProblem) -> tuple[int, list[Edge]] | None:
    """The optimum as a min-cost flow: source → supporter (its capacity, or exactly one at a prohibitive
    reward), supporter → receiver (each allowed edge), receiver → sink (its minimum at a prohibitive
    reward, the rest up to its maximum free). None when the flow misses a minimum (CP-SAT then proves
    and explains it) or the problem is not of that shape (pins, or receivers that may take more)."""
    exact_receivers = problem.receiver_max == problem.receiver_min
    if problem.fixed or not (problem.supporter_exact or exact_receivers):
        return None
    edges, edge_tails, edge_heads, edge_costs = _sorted_edges(problem)
    s_index = {s: 1 + i for i, s in enumerate(problem.supporters)}
    r_index = {r: 1 + len(s_index) + j for j, r in enumerate(problem.receivers)}
    sink = 1 + len(s_index) + len(r_index)
    reward = 2 * (1 + max((abs(c) for c in problem.cost.values()), default=0)) * (len(s_index) + len(r_index) + 1)
    tails, heads, caps, costs = [], [], [], []
    for s, node in s_index.items():
        tails.append(0)
        heads.append(node)
        caps.append(1 if problem.supporter_exact else problem.capacity.get(s, 0))
        costs.append(-reward if problem.supporter_exact else 0)
    first_edge = len(tails)
    most_flow = sum(caps)
    most = problem.receiver_max if problem.receiver_max is not None else len(s_index)
    last_tails, last_heads, last_caps, last_costs = [], [], [], []
    for node in r_index.values():
        last_tails += [node, node]
        last_heads += [sink, sink]
        last_caps += [problem.receiver_min, max(0, most - problem.receiver_min)]
        last_costs += [-reward, 0]
    all_tails = np.concatenate([np.array(tails, dtype=np.int64), edge_tails, np.array(last_tails, dtype=np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        all_tails,
        np.concatenate([np.array(heads, dtype=np.int64), edge_heads, np.array(last_heads, dtype=np.int64)]),
        np.concatenate(
            [np.array(caps, dtype=np.int64), np.ones(len(edges), dtype=np.int64), np.array(last_caps, dtype=np.int64)]
        ),
        np.concatenate([np.array(costs, dtype=np.int64), edge_costs, np.array(last_costs, dtype=np.int64)]),
    )
    flow.set_node_supply(0, most_flow)
    flow.set_node_supply(sink, -most_flow)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        return None
    used = flow.flows(np.arange(len(all_tails)))
    if problem.supporter_exact and used[:first_edge].sum() != len(s_index):
        return None
    minimum_arcs = np.arange(first_edge + len(edges), len(all_tails), 2)
    if used[minimum_arcs].sum() != problem.receiver_min * len(r_index):
        return None
    chosen = [edges[k] for k in np.flatnonzero(used[first_edge : first_edge + len(edges)])]
    return sum(problem.cost[e] for e in chosen), chosen


def _sorted_edges(problem: AssignmentProblem) -> tuple[list[Edge], np.ndarray, np.ndarray, np.ndarray]:
    """The allowed edges in sorted order (sorting ~1 million string pairs by their ranks, not as
    tuples), with their supporter and receiver nodes of `solve_by_flow`'s network and their costs."""
    allowed = [(e, c) for e, c in problem.cost.items() if e not in problem.forbidden]
    supporters = sorted({s for (s, _), _ in allowed})
    receivers = sorted({r for (_, r), _ in allowed})
    s_rank = {s: i for i, s in enumerate(supporters)}
    r_rank = {r: i for i, r in enumerate(receivers)}
    by_s = np.array([s_rank[s] for (s, _), _ in allowed], dtype=np.int64)
    by_r = np.array([r_rank[r] for (_, r), _ in allowed], dtype=np.int64)
    order = np.lexsort((by_r, by_s))
    edges = [allowed[k][0] for k in order.tolist()]
    s_node = {s: 1 + i for i, s in enumerate(problem.supporters)}
    r_node = {r: 1 + len(s_node) + j for j, r in enumerate(problem.receivers)}
    tails = np.array([s_node[s] for s in supporters], dtype=np.int64)[by_s[order]]
    heads = np.array([r_node[r] for r in receivers], dtype=np.int64)[by_r[order]]
    costs = np.array([c for _, c in allowed], dtype=np.int64)[order]
    return edges, tails, heads, costs


def solve_assignment(
    problem: AssignmentProblem,
    options: SolveOptions,
    on_progress: ProgressCallback | None = None,
    memo: Memo | None = None,
) -> AssignmentResult:
    """The optimal assignment, or why there is none; with a memo, a proven answer to the same
    problem under the same options is reused (a warm re-plan)."""
    if memo is None:
        return _solve_assignment(problem, options, on_progress)
    started = time.perf_counter()
    found = memo.get_or_compute(
        "assignment",
        digest(problem, options.time_limit_s, options.num_workers, options.seed),
        lambda: _solve_assignment(problem, options, on_progress),
        keep=lambda result: result.part.status in PROVEN,
    )
    return replace(found, part=replace(found.part, runtime_s=time.perf_counter() - started))


def _solve_assignment(
    problem: AssignmentProblem, options: SolveOptions, on_progress: ProgressCallback | None
) -> AssignmentResult:
    started = time.perf_counter()
    if len(problem.cost) >= LARGE_ASSIGNMENT and (found := solve_by_flow(problem)) is not None:
        objective, edges = found
        part = PartResult(problem.name, SolveStatus.OPTIMAL, objective, objective, time.perf_counter() - started)
        return AssignmentResult(part, edges, [])
    built = _Model(problem, candidate_edges(problem), explain=False)
    solver = new_solver(options)
    status = solver.solve(built.model, ProgressReporter(problem.name, on_progress, options))
    part = part_result(problem.name, solver, status, time.perf_counter() - started)
    if part.status.has_plan:
        edges = [edge for edge, var in built.x.items() if solver.boolean_value(var)]
        return AssignmentResult(part, sorted(edges), [])
    explanation = explain_assignment(problem, options) if status == cp_model.INFEASIBLE else []
    return AssignmentResult(part, [], explanation)


def explain_assignment(problem: AssignmentProblem, options: SolveOptions, budget_s: float = 10.0) -> list[str]:
    """The rules that conflict: a minimal set of CP-SAT's assumptions that is infeasible."""
    built = _Model(problem, _Candidates(sorted(problem.cost)), explain=True)
    found = minimal_conflict(built.model, built.texts, options, budget_s)
    if found is None:
        return [f"{problem.rule}: no {problem.name} plan was found within the time limit, but no conflict was proven"]
    return found
