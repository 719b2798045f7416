"""An independent checker of the annual deployment plan: roster + pairs + deployments.csv -> violations.

It re-derives every deployment rule (R07–R20, R22, R25, R27–R38 of docs/rules.md) from the roster, the
rules' parameters, the structural pairs and the deployment table alone. It never imports the
planner (solver.deployment): who supports whom, capacities, quotas and training bases are
worked out here again, so a test can catch the planner breaking a rule. The table is read as
its CSV text (or its rows as dicts of cells), exactly as a coordinator downloads it.

Rule ids of a `Violation`: the catalogue's ("R07" … "R22") and "DEPLOY" for a table that cannot
be read as a plan of the round (a missing column, an unknown flow, a number that is not a
whole number, a row of another round or year). Rows of flow `shortfall` are the planner's own
account of what it could not provide; the checker ignores them and judges the quotas itself.
Clauses are quoted from annex 2 of 粤府〔2021〕55号.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from solver.check.common import Violation
from solver.check.deployments.annex import (
    check_r27_principal_training,
    check_r28_principal_degrees,
    check_r29_teacher_degrees,
    check_r30_teaching_practice,
    check_r31_admin_visits,
    check_r33_studio_members,
)
from solver.check.deployments.events import (
    check_r18_education_groups,
    check_r19_institute_visits,
    check_r20_budget,
    check_r22_famous_teachers,
)
from solver.check.deployments.facts import Check, Facts, Table
from solver.check.deployments.money import check_r37_costs, check_r38_provincial_fund
from solver.check.deployments.people import (
    check_r07_teaching_teams,
    check_r08_shadows,
    check_r09_backbone_teachers,
    check_r10_leaders_and_managers,
    check_r11_school_exchanges,
)
from solver.check.deployments.requests import check_r25_avoided_supporters
from solver.check.deployments.rural import (
    check_r32_researcher_stations,
    check_r34_group_batches,
    check_r35_support_in_kind,
    check_r36_silver_teachers,
)
from solver.check.deployments.table import DEPLOY_RULE, read_rows
from solver.check.deployments.training import (
    check_r12_principal_programmes,
    check_r13_backbone_training,
    check_r14_interns,
    check_r15_full_training,
    check_r16_it_training,
    check_r17_universities,
)
from solver.domain.costs import cost_records
from solver.domain.flows import table_records
from solver.domain.pairs import Pair
from solver.roster.models import Roster
from solver.rules.ruleset import DEFAULT_RULES, RuleSet

RULE_CHECKS: dict[str, Check] = {
    "R07": check_r07_teaching_teams,
    "R08": check_r08_shadows,
    "R09": check_r09_backbone_teachers,
    "R10": check_r10_leaders_and_managers,
    "R11": check_r11_school_exchanges,
    "R12": check_r12_principal_programmes,
    "R13": check_r13_backbone_training,
    "R14": check_r14_interns,
    "R15": check_r15_full_training,
    "R16": check_r16_it_training,
    "R17": check_r17_universities,
    "R18": check_r18_education_groups,
    "R19": check_r19_institute_visits,
    "R20": check_r20_budget,
    "R22": check_r22_famous_teachers,
    "R25": check_r25_avoided_supporters,
    "R27": check_r27_principal_training,
    "R28": check_r28_principal_degrees,
    "R29": check_r29_teacher_degrees,
    "R30": check_r30_teaching_practice,
    "R31": check_r31_admin_visits,
    "R32": check_r32_researcher_stations,
    "R33": check_r33_studio_members,
    "R34": check_r34_group_batches,
    "R35": check_r35_support_in_kind,
    "R36": check_r36_silver_teachers,
    "R37": check_r37_costs,
    "R38": check_r38_provincial_fund,
}
CHECKED_RULES: tuple[str, ...] = (*RULE_CHECKS, DEPLOY_RULE)


def check_deployments(
    roster: Roster,
    pairs: Sequence[Pair],
    table: bytes | str | Sequence[Mapping[str, str]],
    round_id: str,
    rules: RuleSet = DEFAULT_RULES,
    *,
    assessment: Mapping[str, float] | None = None,
    costs: bytes | str | Sequence[Mapping[str, str]] | None = None,
    recorded_years: Collection[int] = (),
) -> list[Violation]:
    """Every violation of the deployment rules, sorted by (rule, ids, message), each reported once.

    `table` is deployments.csv (bytes or text) or its rows as dicts of cells; `assessment` the
    one the plan was made with (R38); `costs` its costs.csv, checked against the table (R37).
    Rows of `recorded_years` (a re-plan's years that are history: what was delivered) are not
    judged; they count only towards the round's totals (R15's coverage, R18's groups, …).
    """
    records = table_records(table) if isinstance(table, (bytes, str)) else list(table)
    cost_rows = cost_records(costs) if isinstance(costs, (bytes, str)) else (None if costs is None else list(costs))
    rows, found = read_rows(records, round_id)
    recorded = frozenset(recorded_years)
    facts = Facts(roster, rules, round_id, pairs, assessment, cost_rows, recorded)
    indexed = Table([r for r in rows if r.year not in recorded], [r for r in rows if r.year in recorded])
    result = set(found)
    for check in RULE_CHECKS.values():
        result.update(check(facts, indexed))
    return sorted(result, key=lambda v: v.sort_key)
