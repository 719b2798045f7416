"""The 2021-2025 plan of the bundled Guangdong roster: optimal, checked, explained, repeatable."""

from __future__ import annotations

import pytest

from solver import Kind, PairingRequest, Pin, SolveStatus, check_pairs, plan_round
from solver.roster.fields import UniversityKind, UniversityRole
from tests.conftest import BUNDLED_OPTIONS as OPTIONS
from tests.factories import updated_many


@pytest.fixture(scope="session")
def roster(bundled_roster):
    return bundled_roster


@pytest.fixture(scope="session")
def planned(bundled_round):
    return bundled_round


def test_plan_is_proven_optimal_and_passes_the_checker(roster, planned):
    assert planned.result.status == SolveStatus.OPTIMAL and planned.result.gap == 0
    assert check_pairs(roster, planned.result.pairs) == []
    assert planned.passes_checker
    assert all(rule.status in ("pass", "soft", "not_checked") for rule in planned.report.rules)


def test_counts_of_the_policy(roster, planned):
    by_kind = planned.report.pairs_by_kind
    assert by_kind["county_county"] == 84
    assert by_kind["city_city"] == 15
    assert by_kind["normal_university_city"] == 15
    assert by_kind["university_area"] == 140
    county_pairs = [p for p in planned.result.pairs if p.kind == Kind.COUNTY_COUNTY]
    assert {p.receiver_id for p in county_pairs} == {a.area_id for a in roster.receivers()}
    universities = {p.supporter_id for p in planned.result.pairs if p.kind == Kind.UNIVERSITY_AREA}
    assert universities == {
        u.university_id
        for u in roster.universities.values()
        if u.kind == UniversityKind.NON_NORMAL and u.role == UniversityRole.SUPPORTER
    }


def test_each_receiver_is_where_it_belongs(roster, planned):
    city_partner = {p.receiver_id: p.supporter_id for p in planned.result.pairs if p.kind == Kind.CITY_CITY}
    for pair in planned.result.pairs:
        if pair.kind == Kind.COUNTY_COUNTY:
            assert pair.receiver_city_id == roster.areas[pair.receiver_id].city_id
            assert city_partner[pair.receiver_city_id] == roster.areas[pair.supporter_id].city_id


def test_same_input_same_bytes(roster, planned):
    again = plan_round(PairingRequest(roster, "2021-2025", options=OPTIONS))
    assert again.pairs_csv() == planned.pairs_csv()
    assert again.report_json() == planned.report_json()


def test_pinned_city_too_small_is_explained_in_two_sentences(roster):
    # 珠海's districts each set to take two counties: six in all, and 梅州 has eight
    small = updated_many(roster, {unit: {"capacity": 2} for unit in ("440402", "440403", "440404")})
    pin = Pin(kind=Kind.CITY_CITY, supporter_id="440400", receiver_id="441400")  # 珠海 → 梅州
    result = plan_round(PairingRequest(small, "2021-2025", pins=[pin], options=OPTIONS)).result
    assert result.status == SolveStatus.INFEASIBLE
    assert result.explanation == [
        "capacity: the 3 supporter units of 珠海市（440400） can take 6 receiving counties in all",
        "pin: city pair 珠海市（440400） → 梅州市（441400） is fixed (梅州市（441400） has 8 receiving counties)",
    ]
