"""A whole round: the structural pairs, the yearly deployments, both checkers and the report."""

from solver.round.plan import RoundPlan, plan_round
from solver.round.report import build_report

__all__ = ["RoundPlan", "build_report", "plan_round"]
