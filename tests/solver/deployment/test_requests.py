"""Receivers' requests in the yearly plan (R25): a request raises a quota where capacity allows, its
shortfall is reported apart from the policy floors', `avoid` is never broken, `prefer` is taken
where it costs no more, and teams carry the subjects asked for. The checker is the oracle."""

from __future__ import annotations

from collections import Counter

from solver.check import check_deployments
from solver.deployment.plan import DeploymentRequest, DeploymentStatus, plan_deployments
from tests.factories import ROUND, request, tiny_roster, updated_many, valid_pairs, with_rows

MEIJIANG, DAPU, YUANCHENG = "441402", "441422", "441602"  # 梅江 and 大埔 ← 荔湾 440103; 源城 ← 罗湖 440303
LIWAN = "440103"


def _plan(roster):
    pairs = valid_pairs(roster)
    plan = plan_deployments(DeploymentRequest(roster, ROUND, pairs))
    assert check_deployments(roster, pairs, plan.csv_bytes(), ROUND) == [] or plan.status == DeploymentStatus.SHORT
    return plan, pairs


def _teams(plan, receiver: str) -> Counter[int]:
    found: Counter[int] = Counter()
    for row in plan.rows:
        if row.flow == "teaching_team" and row.to_id == receiver:
            found[row.year] += row.teams
    return found


def test_a_request_raises_a_quota_in_its_year_only():
    roster = tiny_roster()
    base, _ = _plan(roster)
    assert set(_teams(base, MEIJIANG).values()) == {3}  # R07's floor
    asked, _ = _plan(with_rows(roster, request(MEIJIANG, "teaching_team", 5, year=2023)))
    assert _teams(asked, MEIJIANG) == Counter({2021: 3, 2022: 3, 2023: 5, 2024: 3, 2025: 3})
    assert asked.status == DeploymentStatus.COMPLETE and not asked.shortfalls


def test_a_request_beyond_capacity_is_reported_apart_from_the_floors():
    # only the four county partners send teachers: 荔湾 6 teams a year for its two counties, the others
    # 4 each; 罗湖 alone serves 源城
    roster = tiny_roster()
    senders = {p.supporter_id for p in valid_pairs(roster)} - set(roster.schools)
    sends = {"440103": 60, "440104": 40, "440303": 40, "440304": 40}
    changes = {s: {"send_capacity": sends.get(s, 0)} for s in senders}
    roster = with_rows(updated_many(roster, changes), request(YUANCHENG, "teaching_team", 9, year=2022))
    plan, pairs = _plan(roster)
    asked = [s for s in plan.shortfalls if s.against == "request"]
    assert [(s.year, s.receiver_id, s.rule, s.amount) for s in asked] == [(2022, YUANCHENG, "R25", 5)]
    assert "asked for 9" in asked[0].message
    assert not [s for s in plan.shortfalls if s.against == "floor" and s.receiver_id == YUANCHENG]
    assert _teams(plan, YUANCHENG)[2022] == 4
    # short of a request only: the status speaks of the floors, and the checker finds nothing
    assert plan.status == DeploymentStatus.COMPLETE
    assert check_deployments(roster, pairs, plan.csv_bytes(), ROUND) == []


def test_an_avoided_supporter_never_serves_the_receiver():
    roster = with_rows(tiny_roster(), request(DAPU, "teaching_team", 3, avoid_supporter_id=LIWAN))
    plan, pairs = _plan(roster)
    served = {(r.from_id, r.year) for r in plan.rows if r.flow == "teaching_team" and r.to_id == DAPU}
    assert served and all(supporter != LIWAN for supporter, _ in served)
    assert not [v for v in check_deployments(roster, pairs, plan.csv_bytes(), ROUND) if v.rule == "R25"]


def test_teams_carry_the_subjects_asked_for():
    roster = with_rows(tiny_roster(), request(MEIJIANG, "teaching_team", 2, year=2024, subject="信息科技"))
    plan, _ = _plan(roster)
    subjects = Counter(
        s for r in plan.rows if r.flow == "teaching_team" and r.to_id == MEIJIANG and r.year == 2024 for s in r.subjects
    )
    assert subjects["信息科技"] == 2


def test_a_preferred_supporter_is_taken_where_it_can_send():
    base, _ = _plan(tiny_roster())
    assert {r.from_id for r in base.rows if r.flow == "teaching_team" and r.to_id == DAPU} == {LIWAN}
    roster = with_rows(tiny_roster(), request(DAPU, "teaching_team", 3, prefer_supporter_id="440100"))  # 广州
    plan, _ = _plan(roster)
    assert "440100" in {r.from_id for r in plan.rows if r.flow == "teaching_team" and r.to_id == DAPU}
