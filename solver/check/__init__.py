"""Independent checkers of a plan: they re-derive every hard rule from the roster and the plan alone.

Only data modules are imported here (solver.domain, solver.roster, solver.rules), never the
models that made the plan, so the tests can use the checkers as their oracle.
"""

from solver.check.common import PIN_RULE, ROUND_RULE, Violation
from solver.check.deployments import CHECKED_RULES as DEPLOYMENT_CHECKS
from solver.check.deployments import check_deployments
from solver.check.deployments.table import DEPLOY_RULE
from solver.check.measures import PRIORITY_MEASURES, priority_measures
from solver.check.plan import RULE_CHECKS, check_pairs

__all__ = [
    "DEPLOYMENT_CHECKS",
    "DEPLOY_RULE",
    "PIN_RULE",
    "PRIORITY_MEASURES",
    "ROUND_RULE",
    "RULE_CHECKS",
    "Violation",
    "check_deployments",
    "check_pairs",
    "priority_measures",
]
