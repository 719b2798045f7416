"""The independent plan checker: a hand-built valid plan passes, and every clause of every rule
is caught on a plan mutated to break exactly that clause."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from solver.check import (
    PRIORITY_MEASURES,
    RULE_CHECKS,
    Violation,
    check_pairs,
    priority_measures,
)
from solver.domain.pairs import Kind, Pair, pairs_csv_bytes, read_pairs_csv
from solver.domain.pins import Pin, PinAction
from solver.roster.cross import cross_check
from solver.roster.fields import Location, Stage
from solver.roster.models import Roster
from solver.rules import DEFAULT_RULES, CheckedBy
from tests.factories import (
    ROUND,
    make_pair,
    tiny_roster,
    updated,
    valid_pairs,
    without_ids,
)

CC, KK, NU, UA = Kind.CITY_CITY, Kind.COUNTY_COUNTY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA
II, SS, IR = Kind.INSTITUTE_INSTITUTE, Kind.SCHOOL_SCHOOL, Kind.INTRA_REGION

ROSTER = tiny_roster()
PAIRS = valid_pairs(ROSTER)

# 广州 440100 → 梅州 441400: 荔湾 440103 → 梅江 441402, 大埔 441422; 越秀 440104 → 蕉岭 441427
# 深圳 440300 → 河源 441600: 罗湖 440303 → 源城 441602; 福田 440304 → 龙川 441622


def found(roster: Roster, pairs: Sequence[Pair], pins: Sequence[Pin] = ()) -> list[tuple[str, tuple[str, ...]]]:
    return [(v.rule, v.ids) for v in check_pairs(roster, pairs, pins)]


def ids(*party_ids: str) -> tuple[str, ...]:
    return tuple(sorted(party_ids))


def drop(pairs: Sequence[Pair], kind: Kind, supporter: str, receiver: str) -> list[Pair]:
    kept = [p for p in pairs if p.key != (kind.value, receiver, supporter)]
    assert len(kept) == len(pairs) - 1, "the pair to drop is not in the plan"
    return kept


def add(pairs: Sequence[Pair], kind: Kind, supporter: str, receiver: str, roster: Roster = ROSTER) -> list[Pair]:
    return [*pairs, make_pair(roster, kind, supporter, receiver)]


def swap(
    pairs: Sequence[Pair], kind: Kind, supporter: str, receiver: str, new_supporter: str, roster: Roster = ROSTER
) -> list[Pair]:
    return add(drop(pairs, kind, supporter, receiver), kind, new_supporter, receiver, roster)


def supporter_of(pairs: Sequence[Pair], kind: Kind, receiver: str) -> str:
    (supporter,) = [p.supporter_id for p in pairs if p.kind == kind and p.receiver_id == receiver]
    return supporter


def school(roster: Roster, area_id: str, location: Location, stage: Stage = Stage.PRIMARY) -> str:
    return next(
        s.school_id
        for s in roster.schools.values()
        if s.area_id == area_id and s.location == location and s.stage == stage
    )


# --- the valid plan ---------------------------------------------------------------------------


def test_factory_roster_passes_the_roster_cross_checks():
    for roster in (ROSTER, tiny_roster(dongguan=True), tiny_roster(non_normal_universities=12, rural_schools=3)):
        assert cross_check(roster) == []


def test_valid_plan_has_no_violations():
    assert check_pairs(ROSTER, PAIRS) == []
    assert {p.kind for p in PAIRS} == set(Kind)


@pytest.mark.parametrize("kwargs", [{"dongguan": True}, {"non_normal_universities": 12, "rural_schools": 3}])
def test_valid_plans_of_other_sizes_have_no_violations(kwargs):
    roster = tiny_roster(**kwargs)
    assert check_pairs(roster, valid_pairs(roster)) == []


def test_round_trip_through_csv_keeps_the_plan_valid():
    again = read_pairs_csv(pairs_csv_bytes(PAIRS))
    assert [p.key for p in again] == [p.key for p in PAIRS]
    assert check_pairs(ROSTER, again) == []
    broken = read_pairs_csv(pairs_csv_bytes(drop(PAIRS, KK, "440104", "441427")))
    assert found(ROSTER, broken) == [("R01", ("441427",))]


def test_registry_covers_every_hard_rule_with_its_clause_quoted():
    assert {r.id for r in DEFAULT_RULES.hard_rules(CheckedBy.PAIRS)} <= set(RULE_CHECKS)
    for rule in [r.id for r in DEFAULT_RULES.hard_rules(CheckedBy.PAIRS)]:
        doc = RULE_CHECKS[rule].__doc__ or ""
        assert rule in doc and "'" in doc  # the clause is quoted


def test_violations_are_sorted_and_name_parties_by_name_and_id():
    pairs = drop(drop(PAIRS, KK, "440104", "441427"), CC, "440300", "441600")
    violations = check_pairs(ROSTER, pairs)
    assert violations == sorted(violations, key=lambda v: (v.rule, v.ids, v.message))
    assert isinstance(violations[0], Violation)
    assert [(v.rule, v.ids) for v in violations] == [("R01", ("441427",)), ("R04", ("441600",))]
    assert "蕉岭县（441427）" in violations[0].message and "clause 7" in violations[0].message


# --- R01 county_county -------------------------------------------------------------------------


def test_r01_missing_county_pair():
    assert found(ROSTER, drop(PAIRS, KK, "440104", "441427")) == [("R01", ("441427",))]


def test_r01_duplicated_county_pair():
    assert found(ROSTER, add(PAIRS, KK, "440104", "441427")) == [("R01", ("440104", "441427"))]


def test_r01_two_supporters_and_capacity_exceeded():
    got = found(ROSTER, add(PAIRS, KK, "440103", "441427"))
    assert got == [("R01", ("440103", "440104", "441427")), ("R01", ("440103", "441402", "441422", "441427"))]


def test_r01_capacity_exceeded_in_an_otherwise_consistent_plan():
    pairs = valid_pairs(ROSTER, county_partners=dict.fromkeys(("441402", "441422", "441427"), "440103"))
    assert found(ROSTER, pairs) == [("R01", ("440103", "441402", "441422", "441427"))]


def test_r01_capacity_zero_means_none():
    roster = tiny_roster(capacity={"440104": 0, "440103": 3})
    assert found(roster, PAIRS) == [("R01", ("440104", "441427"))]


def test_r01_supporter_must_be_a_supporting_unit():
    pairs = swap(PAIRS, KK, "440104", "441427", "441402")  # a receiving district
    assert found(ROSTER, pairs) == [("R01", ("441402", "441427"))]


def test_r01_unknown_supporter():
    pairs = swap(PAIRS, KK, "440104", "441427", "440199")
    assert found(ROSTER, pairs) == [("R01", ("440199", "441427"))]


def test_r01_receiver_must_be_a_receiving_county():
    assert found(ROSTER, add(PAIRS, KK, "440104", "440303")) == [("R01", ("440104", "440303"))]


def test_r01_receiver_city_id_must_match():
    pairs = drop(PAIRS, KK, "440104", "441427")
    pairs.append(make_pair(ROSTER, KK, "440104", "441427").model_copy(update={"receiver_city_id": "441600"}))
    violations = check_pairs(ROSTER, pairs)
    assert [(v.rule, v.ids) for v in violations] == [("R01", ("440104", "441427"))]
    assert "receiver_city_id" in violations[0].message


# --- R02 normal_university_city -------------------------------------------------------------


def test_r02_missing_and_duplicated():
    assert found(ROSTER, drop(PAIRS, NU, "4144014278", "441600")) == [("R02", ("441600",))]
    assert found(ROSTER, add(PAIRS, NU, "4144014278", "441600")) == [("R02", ("4144014278", "441600"))]


def test_r02_supporter_must_be_a_normal_university():
    pairs = swap(PAIRS, NU, "4144014278", "441600", "4144010558")  # non-normal
    violations = check_pairs(ROSTER, pairs)
    assert [(v.rule, v.ids) for v in violations] == [("R02", ids("4144010558", "441600"))]
    assert "not a normal one" in violations[0].message


def test_r02_receiver_must_be_a_receiving_city():
    assert found(ROSTER, add(PAIRS, NU, "4144014278", "440100")) == [("R02", ids("4144014278", "440100"))]


def test_r02_capacity_exceeded():
    pairs = swap(PAIRS, NU, "4144014278", "441600", "4144010574")
    assert found(ROSTER, pairs) == [("R02", ("4144010574", "441400", "441600"))]


# --- R03 university_area --------------------------------------------------------------------


def test_r03_university_left_without_a_pair():
    roster = tiny_roster(non_normal_universities=8)
    pairs = valid_pairs(roster)
    assert check_pairs(roster, pairs) == []
    # universities go round the 7 receivers in id order: the last one doubles up on the first receiver
    spare = max(p.supporter_id for p in pairs if p.kind == UA)
    receiver = next(p.receiver_id for p in pairs if p.supporter_id == spare)
    assert found(roster, drop(pairs, UA, spare, receiver)) == [("R03", (spare,))]


def test_r03_university_with_two_pairs_and_duplicates():
    assert found(ROSTER, add(PAIRS, UA, "4144010558", "441422")) == [("R03", ("4144010558", "441400", "441422"))]
    assert found(ROSTER, add(PAIRS, UA, "4144010558", "441400")) == [("R03", ("4144010558", "441400"))]


def test_r03_receiver_left_uncovered():
    pairs = add(drop(PAIRS, UA, "4144014325", "441622"), UA, "4144014325", "441602")
    assert found(ROSTER, pairs) == [("R03", ("441622",))]


def test_r03_supporter_must_be_a_taking_part_non_normal_university():
    pairs = swap(PAIRS, UA, "4144014325", "441622", "4144010574")  # normal
    assert found(ROSTER, pairs) == [("R03", ("4144010574", "441622")), ("R03", ("4144014325",))]
    pairs = add(PAIRS, UA, "4144011347", "441622")  # role none
    assert found(ROSTER, pairs) == [("R03", ("4144011347", "441622"))]


def test_r03_receiver_must_be_a_receiving_city_or_county():
    pairs = add(drop(PAIRS, UA, "4144014325", "441622"), UA, "4144014325", "440303")
    assert found(ROSTER, pairs) == [("R03", ids("4144014325", "440303")), ("R03", ("441622",))]


# --- R04 city_city and nesting --------------------------------------------------------------


def test_r04_missing_and_duplicated_city_pair():
    assert found(ROSTER, drop(PAIRS, CC, "440300", "441600")) == [("R04", ("441600",))]
    assert found(ROSTER, add(PAIRS, CC, "440300", "441600")) == [("R04", ("440300", "441600"))]


def test_r04_supporter_must_be_a_supporting_city_never_itself():
    pairs = swap(PAIRS, CC, "440300", "441600", "441600")
    violations = check_pairs(ROSTER, pairs)
    assert {(v.rule, v.ids) for v in violations} == {("R04", ("441600",))}
    assert any("itself" in v.message for v in violations)
    assert any("not a supporting city" in v.message for v in violations)
    pairs = swap(PAIRS, CC, "440300", "441600", "441400")
    assert found(ROSTER, pairs) == [("R04", ("441400", "441600"))]


def test_r04_capacity_exceeded():
    roster = tiny_roster(capacity={"440103": 5})
    pairs = valid_pairs(roster, city_partners={"441400": "440100", "441600": "440100"})
    assert found(roster, pairs) == [("R04", ("440100", "441400", "441600"))]


def test_r04_county_pair_not_nested_in_the_city_pair():
    roster = tiny_roster(capacity={"440103": 3})
    pairs = valid_pairs(roster, county_partners={"441622": "440103"})
    assert found(roster, pairs) == [("R04", ("440103", "440300", "441600", "441622"))]


# --- R05 institutes -------------------------------------------------------------------------


def test_r05_receiving_institute_without_a_pair():
    assert found(ROSTER, drop(PAIRS, II, "jy440103", "jy441422")) == [("R05", ("jy441422",))]


def test_r05_institute_pair_not_following_the_county_pair():
    pairs = swap(PAIRS, II, "jy440103", "jy441422", "jy440104")
    assert found(ROSTER, pairs) == [("R05", ("jy440103", "jy440104", "jy441422"))]


def test_r05_city_institute_follows_the_city_pair():
    pairs = swap(PAIRS, II, "jy440100", "jy441400", "jy440300")
    assert found(ROSTER, pairs) == [("R05", ("jy440100", "jy440300", "jy441400"))]


def test_r05_township_supporter_is_stood_in_for_by_its_city_institute():
    roster = tiny_roster(dongguan=True)
    pairs = valid_pairs(roster, city_partners={"441600": "441900"})
    assert check_pairs(roster, pairs) == []
    assert supporter_of(pairs, II, "jy441622") == "jy441900"
    pairs = swap(pairs, II, "jy441900", "jy441622", "jy440300", roster)
    assert found(roster, pairs) == [("R05", ("jy440300", "jy441622", "jy441900"))]


def test_r05_no_other_institute_pairs_and_no_duplicates():
    assert found(ROSTER, add(PAIRS, II, "jy440000", "jy440100")) == [("R05", ("jy440000", "jy440100"))]
    assert found(ROSTER, add(PAIRS, II, "jy440103", "jy441422")) == [("R05", ("jy440103", "jy441422"))]


def test_r05_unit_without_institute_needs_none():
    roster = without_ids(ROSTER, "jy441427")
    pairs = drop(PAIRS, II, "jy440104", "jy441427")
    assert check_pairs(roster, pairs) == []
    assert found(roster, PAIRS) == [("R05", ("jy440104", "jy441427"))]


# --- R05 schools ----------------------------------------------------------------------------


def test_r05_school_left_unpaired():
    senior = school(ROSTER, "441422", Location.URBAN, Stage.SENIOR)
    supporter = supporter_of(PAIRS, SS, senior)
    assert found(ROSTER, drop(PAIRS, SS, supporter, senior)) == [("R05", (senior,))]


def test_r05_school_paired_outside_its_county_partner():
    rural = school(ROSTER, "441422", Location.RURAL)
    outsider = school(ROSTER, "440104", Location.URBAN)  # 越秀 supports 蕉岭, not 大埔
    pairs = swap(PAIRS, SS, supporter_of(PAIRS, SS, rural), rural, outsider)
    assert found(ROSTER, pairs) == [("R05", ids("440103", outsider, rural))]


def test_r05_school_receiver_must_be_in_a_receiving_county():
    prd_school = school(ROSTER, "440303", Location.URBAN)
    pairs = add(PAIRS, SS, school(ROSTER, "440103", Location.URBAN), prd_school)
    assert found(ROSTER, pairs) == [("R05", (school(ROSTER, "440103", Location.URBAN), prd_school))]


def test_r05_school_with_two_supporters_or_duplicated():
    rural = school(ROSTER, "441422", Location.RURAL)
    first = supporter_of(PAIRS, SS, rural)
    other = school(ROSTER, "440103", Location.URBAN, Stage.JUNIOR)
    assert first != other
    assert found(ROSTER, add(PAIRS, SS, other, rural)) == [("R05", tuple(sorted((first, other, rural))))]
    assert found(ROSTER, add(PAIRS, SS, first, rural)) == [("R05", tuple(sorted((first, rural))))]


# --- R06 intra_region -----------------------------------------------------------------------


def test_r06_county_left_without_an_intra_pair():
    assert found(ROSTER, drop(PAIRS, IR, "441402", "441422")) == [("R06", ("441422",))]


def test_r06_intra_pair_across_cities():
    pairs = swap(PAIRS, IR, "441402", "441422", "441602")
    violations = check_pairs(ROSTER, pairs)
    assert [(v.rule, v.ids) for v in violations] == [("R06", ("441422", "441602"))]
    assert "crosses city lines" in violations[0].message


def test_r06_county_supporter_must_be_a_district_and_receiver_a_county():
    pairs = swap(PAIRS, IR, "441402", "441422", "441427")
    assert found(ROSTER, pairs) == [("R06", ("441422", "441427"))]
    reversed_pair = check_pairs(ROSTER, add(PAIRS, IR, "441422", "441402"))  # a county supporting a district
    assert [(v.rule, v.ids) for v in reversed_pair] == [("R06", ("441402", "441422"))] * 2
    assert {"not a district" in v.message for v in reversed_pair} == {True, False}
    assert found(ROSTER, add(PAIRS, IR, "441402", "441422")) == [("R06", ("441402", "441422"))]


def test_r06_city_without_a_receiving_district_needs_no_county_intra_pairs():
    roster = updated(ROSTER, "441602", type="county", name="源城县")
    pairs = valid_pairs(roster)
    assert check_pairs(roster, pairs) == []
    assert not [p for p in pairs if p.kind == IR and p.receiver_id in roster.areas and p.receiver_city_id == "441600"]


def test_r06_rural_school_left_unpaired():
    rural = school(ROSTER, "441622", Location.RURAL)
    urban = supporter_of(PAIRS, IR, rural)
    assert found(ROSTER, drop(PAIRS, IR, urban, rural)) == [("R06", (rural,))]


def test_r06_rural_school_paired_in_another_county_or_with_a_non_urban_school():
    rural = school(ROSTER, "441622", Location.RURAL)
    urban = supporter_of(PAIRS, IR, rural)
    elsewhere = school(ROSTER, "441602", Location.URBAN)
    assert found(ROSTER, swap(PAIRS, IR, urban, rural, elsewhere)) == [("R06", ids(elsewhere, rural))]
    township = school(ROSTER, "441622", Location.TOWNSHIP)
    assert found(ROSTER, swap(PAIRS, IR, urban, rural, township)) == [("R06", ids(rural, township))]


def test_r06_rural_school_needs_no_pair_where_the_county_has_no_urban_school():
    urban = [s.school_id for s in ROSTER.schools.values() if s.area_id == "441622" and s.location == Location.URBAN]
    roster = without_ids(ROSTER, *urban)
    pairs = valid_pairs(roster)
    assert check_pairs(roster, pairs) == []
    rural = school(roster, "441622", Location.RURAL)
    assert not [p for p in pairs if p.kind == IR and p.receiver_id == rural]


def test_r06_duplicate_and_unknown_receiver():
    rural = school(ROSTER, "441622", Location.RURAL)
    urban = supporter_of(PAIRS, IR, rural)
    assert found(ROSTER, add(PAIRS, IR, urban, rural)) == [("R06", tuple(sorted((rural, urban))))]
    assert found(ROSTER, add(PAIRS, IR, urban, "2144999999")) == [("R06", tuple(sorted(("2144999999", urban))))]


# --- rounds and pins ------------------------------------------------------------------------


def test_round_mixed_or_unknown():
    odd = make_pair(ROSTER, KK, "440104", "441427", round_="2026-2030")
    pairs = [*drop(PAIRS, KK, "440104", "441427"), odd]
    assert found(ROSTER, pairs) == [("ROUND", ("440104", "441427"))]
    bad = [p.model_copy(update={"round": "2020-2024"}) for p in PAIRS]
    assert found(ROSTER, bad) == [("ROUND", ())]


def test_pin_fixed_but_absent_and_forbidden_but_present():
    fixed_absent = Pin(kind=KK, supporter_id="440303", receiver_id="441622", action=PinAction.FIX)
    forbidden_present = Pin(kind=KK, supporter_id="440304", receiver_id="441622", action=PinAction.FORBID)
    fine = [
        Pin(kind=KK, supporter_id="440304", receiver_id="441622"),
        Pin(kind=CC, supporter_id="440100", receiver_id="441600", action=PinAction.FORBID),
    ]
    assert check_pairs(ROSTER, PAIRS, fine) == []
    assert found(ROSTER, PAIRS, [fixed_absent]) == [("PIN", ("440303", "441622"))]
    assert found(ROSTER, PAIRS, [forbidden_present]) == [("PIN", ("440304", "441622"))]


# --- R21 measures ---------------------------------------------------------------------------


def test_priority_measures_by_hand():
    measures = priority_measures(ROSTER, PAIRS)
    assert list(measures) == list(PRIORITY_MEASURES)
    # priority counties: 大埔 ← 荔湾 9000, 蕉岭 ← 越秀 12000, 龙川 ← 福田 11000; others: 梅江 ← 荔湾, 源城 ← 罗湖
    assert measures["county_pairs_priority"] == 3 and measures["county_pairs_other"] == 2
    assert measures["supporter_teachers_priority_mean"] == pytest.approx((9000 + 12000 + 11000) / 3)
    assert measures["supporter_teachers_other_mean"] == pytest.approx((9000 + 8000) / 2)
    # 深圳大学 (1) → 大埔, 广州大学 (2) → 蕉岭, 南方科技大学 (1) → 龙川; 华南农业大学 (1) → 梅江, 广东工业大学 (2) → 源城
    assert measures["university_tier_priority_mean"] == pytest.approx(4 / 3)
    assert measures["university_tier_other_mean"] == pytest.approx(1.5)
    assert measures["priority_schools_paired_share"] == 1.0
    assert measures["priority_schools"] == len([s for s in ROSTER.schools.values() if s.priority])
    senior = school(ROSTER, "441422", Location.URBAN, Stage.SENIOR)
    less = drop(PAIRS, SS, supporter_of(PAIRS, SS, senior), senior)
    assert priority_measures(ROSTER, less)["priority_schools_paired_share"] < 1.0


def test_plan_round_is_a_policy_round():
    assert {p.round for p in PAIRS} == {ROUND}


def test_r05_unknown_supporting_institute_is_reported_once():
    pairs = swap(PAIRS, II, "jy440103", "jy441422", "jy449999")
    violations = check_pairs(ROSTER, pairs)
    assert [(v.rule, v.ids) for v in violations] == [("R05", ("jy441422", "jy449999"))]
    assert "not a research institute" in violations[0].message
