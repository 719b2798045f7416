"""Too little supporter capacity: the plan says who is short of what and by how much, in words,
and the checker finds exactly those receivers short."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.check import check_deployments
from solver.cli import EXIT_CHECK_FAILED, main
from solver.deployment.plan import DeploymentRequest, DeploymentStatus, plan_deployments
from solver.domain.results import SolveOptions
from solver.pairing.solve import PairingRequest
from solver.roster.io import write_roster
from solver.round.plan import plan_round
from tests.factories import ROUND, tiny_roster, updated_many, valid_pairs

# 广州 440100 → 梅州 441400: 荔湾 440103 → 梅江 441402, 大埔 441422 (原中央苏区); 越秀 440104 → 蕉岭 441427
# 深圳 440300 → 河源 441600: 罗湖 440303 → 源城 441602; 福田 440304 → 龙川 441622
UNITS = ("440103", "440104", "440303", "440304")


def _only_units_send(roster, people_per_unit: int):
    """Every supporter but the county partners sends nobody; each unit sends `people_per_unit`."""
    pairs = valid_pairs(roster)
    others = {p.supporter_id for p in pairs} - set(UNITS)
    others = {o for o in others if o in roster.cities or o in roster.universities or o in roster.institutes}
    changes = {party: {"send_capacity": 0} for party in others}
    changes.update({unit: {"send_capacity": people_per_unit} for unit in UNITS})
    return updated_many(roster, changes), pairs


def _shortfall_keys(plan) -> set[tuple[str, str, int]]:
    return {(s.rule, s.receiver_id, s.year) for s in plan.shortfalls}


def _violation_keys(violations) -> set[tuple[str, str, int]]:
    found = set()
    for v in violations:
        year = re.match(r"(\d{4}): ", v.message)
        assert year, v.message
        found.add((v.rule, v.ids[0], int(year.group(1))))
    return found


def test_too_little_send_capacity_is_explained_receiver_by_receiver():
    roster, pairs = _only_units_send(tiny_roster(), 10)  # one team of 10 a unit
    plan = plan_deployments(DeploymentRequest(roster, ROUND, pairs))
    assert plan.status == DeploymentStatus.SHORT
    short_2021 = {s.receiver_id: (s.amount, s.people) for s in plan.shortfalls if s.year == 2021}
    # 荔湾 has one team for 梅江 and 大埔: the 原中央苏区 county 大埔 gets it (R21), 梅江 none.
    assert short_2021 == {"441402": (3, 30), "441422": (2, 20), "441427": (2, 20), "441602": (2, 20), "441622": (2, 20)}
    text = "\n".join(plan.explanation)
    assert (
        "2021: 梅江区（441402） is short of 3 teaching teams (30 people of 10 a team): R07 asks for at least 3 a "
        "year and its supporters can send 0."
    ) in text
    assert (
        "荔湾区（440103） can send 10 people a year (send_capacity in the roster) and sends 大埔县（441422） 10" in text
    )
    assert "广州市（440100） can send 0 people a year (send_capacity in the roster)" in text
    assert len(plan.shortfalls) == 5 * 5
    shortfall_rows = [r for r in plan.rows if r.flow == "shortfall"]
    assert len(shortfall_rows) == 25 and all(r.rule == "R07" and r.note for r in shortfall_rows)
    violations = check_deployments(roster, pairs, plan.csv_bytes(), ROUND)
    assert _violation_keys(violations) == _shortfall_keys(plan)


def test_too_little_host_capacity_is_explained():
    roster = tiny_roster()
    pairs = valid_pairs(roster)
    hosts = {p.supporter_id for p in pairs} & (
        set(roster.areas) | set(roster.cities) | set(roster.universities) | set(roster.institutes)
    )
    roster = updated_many(roster, {h: {"host_capacity": 5} for h in hosts})
    plan = plan_deployments(DeploymentRequest(roster, ROUND, pairs))
    assert plan.status == DeploymentStatus.SHORT
    rules = {s.rule for s in plan.shortfalls}
    assert rules == {"R09", "R10"}
    text = "\n".join(plan.explanation)
    assert "is short of" in text and "backbone-teacher place" in text and "can host 5 people a year" in text
    violations = check_deployments(roster, pairs, plan.csv_bytes(), ROUND)
    assert _violation_keys(violations) == _shortfall_keys(plan)


def test_a_short_plan_is_a_status_in_the_report_and_the_cli(tmp_path, capsys):
    roster, _ = _only_units_send(tiny_roster(), 20)
    planned = plan_round(PairingRequest(roster, ROUND, options=SolveOptions(time_limit_s=10, num_workers=1)))
    assert planned.result.status.has_plan and not planned.passes_checker
    deployments = planned.report.deployments
    assert deployments is not None
    assert deployments.status == "short" and deployments.shortfalls and deployments.explanation
    assert {e.id: e.status for e in planned.report.rules}["R07"] == "fail"

    write_roster(roster, tmp_path / "roster")
    code = main(
        [
            "plan",
            "--roster",
            str(tmp_path / "roster"),
            "--round",
            ROUND,
            "--out",
            str(tmp_path / "out"),
            "--workers",
            "1",
        ]
    )
    assert code == EXIT_CHECK_FAILED
    assert (tmp_path / "out" / "deployments.csv").read_bytes() == planned.deployments_csv()
    err = capsys.readouterr().err
    assert "shortfall(s)" in err and "is short of 1 teaching team (10 people" in err


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    send=st.lists(st.integers(0, 70), min_size=4, max_size=4), host=st.lists(st.integers(0, 90), min_size=4, max_size=4)
)
def test_the_planners_shortfalls_are_exactly_what_the_checker_finds(send, host):
    roster, pairs = _only_units_send(tiny_roster(), 0)
    changes = {u: {"send_capacity": s, "host_capacity": h} for u, s, h in zip(UNITS, send, host, strict=True)}
    roster = updated_many(roster, changes)
    plan = plan_deployments(DeploymentRequest(roster, ROUND, pairs))
    violations = check_deployments(roster, pairs, plan.csv_bytes(), ROUND)
    assert _violation_keys(violations) == _shortfall_keys(plan)
    assert (plan.status == DeploymentStatus.COMPLETE) == (violations == [])
