"""LP relaxations (HiGHS through SciPy) used for reduced-cost fixing before CP-SAT solves.

For a minimisation with LP bound L and a known plan of cost U, a variable whose LP reduced cost
exceeds U − L cannot take value 1 in any plan cheaper than U; dropping it keeps the optimum.
When the LP optimum is integral it is itself an optimal plan (U = L), and only the variables
with zero reduced cost remain. CP-SAT then gets the LP solution as a hint and the LP bound as
an (implied, so harmless) constraint on the objective, and proves optimality at once.
Assignment models are totally unimodular, so this is the usual case here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

Triples = list[tuple[int, int, float]]  # (row, column, coefficient)


@dataclass
class Relaxation:
    bound: float
    values: np.ndarray
    reduced: np.ndarray
    le_duals: np.ndarray
    eq_duals: np.ndarray

    def integral(self) -> bool:
        return bool(np.all(np.minimum(np.abs(self.values), np.abs(self.values - 1)) < 1e-6))

    def integral_cost(self, costs: np.ndarray) -> int | None:
        """The LP optimum's cost when every variable is 0 or 1 (then it is the integer optimum)."""
        return round(float(costs @ np.round(self.values))) if self.integral() else None

    def lower_bound(self) -> int:
        """The LP bound rounded up: valid for integer costs, so CP-SAT may be told it."""
        return math.ceil(self.bound - 1e-6)

    def without_slack(self, slacks: int) -> Relaxation:
        """The same LP solution over the columns after the first `slacks` (unused slack columns)."""
        return Relaxation(self.bound, self.values[slacks:], self.reduced[slacks:], self.le_duals, self.eq_duals)

    def chosen(self) -> set[int]:
        return {j for j, v in enumerate(self.values) if v > 0.5}

    def keep(self, upper: float) -> list[int]:
        """Variables whose reduced cost leaves them a chance in a plan no worse than `upper`."""
        slack = upper - self.bound + 1e-6
        return [j for j, rc in enumerate(self.reduced) if rc <= slack]


def _matrix(triples: Triples, rows: int, cols: int) -> csr_matrix | None:
    if rows == 0:
        return None
    if not triples:
        return csr_matrix((rows, cols))
    r, c, v = zip(*triples, strict=True)
    return csr_matrix((v, (r, c)), shape=(rows, cols))


def relax(
    costs: np.ndarray,
    le: Triples,
    le_rhs: list[float],
    eq: Triples,
    eq_rhs: list[float],
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
) -> Relaxation | None:
    """Solve min c·x, A_le x ≤ b, A_eq x = b, lower ≤ x ≤ upper (default 0..1); None if infeasible."""
    n = len(costs)
    a_ub, a_eq = _matrix(le, len(le_rhs), n), _matrix(eq, len(eq_rhs), n)
    lower = np.zeros(n) if lower is None else lower
    upper = np.ones(n) if upper is None else upper
    lp = linprog(
        costs,
        A_ub=a_ub,
        b_ub=le_rhs or None,
        A_eq=a_eq,
        b_eq=eq_rhs or None,
        bounds=np.column_stack([lower, upper]),
        method="highs-ds",
    )
    if lp.status != 0:
        return None
    reduced = costs.astype(float).copy()
    le_duals = lp.ineqlin.marginals if a_ub is not None else np.zeros(0)
    eq_duals = lp.eqlin.marginals if a_eq is not None else np.zeros(0)
    if a_ub is not None:
        reduced -= a_ub.T @ le_duals
    if a_eq is not None:
        reduced -= a_eq.T @ eq_duals
    return Relaxation(float(lp.fun), lp.x, reduced, le_duals, eq_duals)
