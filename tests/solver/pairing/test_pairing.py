"""The whole structural plan on tiny rosters, proven by the independent checker."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.check import check_pairs
from solver.domain.pairs import Kind, pairs_csv_bytes, read_pairs_csv
from solver.domain.pins import Pin, PinAction
from solver.domain.results import SolveOptions, SolveStatus
from solver.pairing.solve import PairingRequest, plan_pairs
from solver.round.plan import plan_round
from solver.rules.ruleset import DEFAULT_RULES
from tests.factories import ROUND, tiny_roster, updated_many

OPTIONS = SolveOptions(time_limit_s=10, num_workers=1)


def _plan(roster, **kwargs):
    return plan_pairs(PairingRequest(roster, ROUND, options=OPTIONS, **kwargs))


def test_tiny_plan_is_optimal_and_passes_the_checker():
    roster = tiny_roster(dongguan=True)
    result = _plan(roster)
    assert result.status == SolveStatus.OPTIMAL and result.gap == 0
    assert check_pairs(roster, result.pairs) == []
    kinds = {p.kind for p in result.pairs}
    assert kinds == set(Kind)
    assert sum(p.kind == Kind.COUNTY_COUNTY for p in result.pairs) == len(roster.receivers())


def test_every_pair_explains_its_score_and_the_scores_add_up_to_the_objective():
    result = _plan(tiny_roster(rural_schools=2))
    for pair in result.pairs:
        if pair.kind in (Kind.CITY_CITY, Kind.COUNTY_COUNTY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA):
            assert "distance" in pair.score_terms
    for kind in Kind:
        assert sum(p.score_total for p in result.pairs if p.kind == kind) == result.objective_by_kind[kind], kind
    assert sum(p.score_total for p in result.pairs) == result.objective == sum(p.objective for p in result.parts)


def test_an_existing_tie_is_preferred():
    # 华南师范大学 has a tie with 梅州 (tiny roster's ties table): it is worth a bonus and is chosen.
    result = _plan(tiny_roster())
    (meizhou,) = [p for p in result.pairs if p.kind == Kind.NORMAL_UNIVERSITY_CITY and p.receiver_id == "441400"]
    assert meizhou.supporter_id == "4144010574"
    assert meizhou.score_terms["tie"] == -3 * DEFAULT_RULES.weights.tie


def _dapu_partner_and_another(roster):
    """大埔县's county partner in the free plan, and another unit of the same supporter city."""
    free = _plan(roster)
    (dapu,) = [p for p in free.pairs if p.kind == Kind.COUNTY_COUNTY and p.receiver_id == "441422"]
    other = next(
        a.area_id
        for a in roster.supporter_areas()
        if a.area_id != dapu.supporter_id and a.city_id == dapu.supporter_id[:4] + "00"
    )
    return free, dapu, other


def test_pins_are_honoured():
    roster = tiny_roster()
    free, dapu, other = _dapu_partner_and_another(roster)
    pins = [
        Pin(kind=Kind.COUNTY_COUNTY, supporter_id=other, receiver_id="441422"),
        Pin(kind=Kind.COUNTY_COUNTY, supporter_id=dapu.supporter_id, receiver_id="441422", action=PinAction.FORBID),
    ]
    pinned = _plan(roster, pins=pins)
    assert pinned.status == SolveStatus.OPTIMAL
    assert check_pairs(roster, pinned.pairs, pins) == []
    (now,) = [p for p in pinned.pairs if p.kind == Kind.COUNTY_COUNTY and p.receiver_id == "441422"]
    assert now.supporter_id == other and now.pinned
    assert pinned.objective >= free.objective


def test_pinned_city_pair_too_small_is_explained_in_words():
    # 深圳 pinned to 梅州 (3 receiving counties) but its two units can take only 2 in all.
    roster = tiny_roster()
    result = _plan(roster, pins=[Pin(kind=Kind.CITY_CITY, supporter_id="440300", receiver_id="441400")])
    assert result.status == SolveStatus.INFEASIBLE and result.pairs == []
    text = "\n".join(result.explanation)
    assert (
        "pin: city pair 深圳市（440300） → 梅州市（441400） is fixed (梅州市（441400） has 3 receiving counties)"
        in text
    )
    assert "深圳市（440300） can take 2 receiving counties in all" in text


def test_too_few_universities_is_explained():
    roster = tiny_roster(non_normal_universities=6)  # 7 receivers need at least 7
    result = _plan(roster)
    assert result.status == SolveStatus.INFEASIBLE
    assert any(line.startswith("R03:") for line in result.explanation)


def test_same_input_same_bytes():
    roster = tiny_roster(dongguan=True)
    first = plan_round(PairingRequest(roster, ROUND, options=SolveOptions(time_limit_s=10, num_workers=2)))
    second = plan_round(PairingRequest(roster, ROUND, options=SolveOptions(time_limit_s=10, num_workers=2)))
    assert first.pairs_csv() == second.pairs_csv()
    assert first.report_json() == second.report_json()
    assert first.passes_checker


def test_replan_keeps_base_pairs_when_nothing_changed():
    roster = tiny_roster(dongguan=True)
    base = _plan(roster).pairs
    again = _plan(roster, base=read_pairs_csv(pairs_csv_bytes(base)))
    assert {p.key for p in again.pairs} == {p.key for p in base}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    capacities=st.lists(st.integers(0, 2), min_size=4, max_size=4),
    city_caps=st.lists(st.integers(0, 2), min_size=2, max_size=2),
)
def test_any_plan_found_passes_the_checker(capacities, city_caps):
    roster = tiny_roster()
    units = ["440103", "440104", "440303", "440304"]
    changes = {u: {"capacity": c} for u, c in zip(units, capacities, strict=True)}
    changes.update({c: {"capacity": cap} for c, cap in zip(["440100", "440300"], city_caps, strict=True)})
    roster = updated_many(roster, changes)
    result = _plan(roster)
    if result.status.has_plan:
        assert check_pairs(roster, result.pairs) == []
    else:
        assert result.status == SolveStatus.INFEASIBLE and result.explanation


def test_institute_and_school_pins_pin_the_county_pair_they_follow():
    roster = tiny_roster()
    _, dapu, other = _dapu_partner_and_another(roster)
    pins = [Pin(kind=Kind.INSTITUTE_INSTITUTE, supporter_id=f"jy{other}", receiver_id="jy441422")]
    pinned = _plan(roster, pins=pins)
    assert check_pairs(roster, pinned.pairs, pins) == []
    receiving_school = next(s.school_id for s in roster.schools.values() if s.area_id == "441422")
    supporting_school = next(s.school_id for s in roster.schools.values() if s.area_id == dapu.supporter_id)
    school_pin = [Pin(kind=Kind.SCHOOL_SCHOOL, supporter_id=supporting_school, receiver_id=receiving_school)]
    assert check_pairs(roster, _plan(roster, pins=school_pin).pairs, school_pin) == []
