"""What a coordinator weighs, each mechanism alone on the tiny roster: existing ties (R23), load in
proportion to strength (R24), universities at home, capacities that follow from strength, the
partner limits of institutes and schools (R26), and school pairs that match stages."""

from __future__ import annotations

from collections import Counter

import solver
from solver import Kind, PairingRequest, SolveOptions, SolveStatus, apply_overrides, plan_pairs
from solver.rules.params import R26
from tests.factories import ROUND, tie, tiny_roster, updated_many, with_rows

OPTIONS = SolveOptions(time_limit_s=10, num_workers=1)
GUANGZHOU, SHENZHEN, DONGGUAN = "440100", "440300", "441900"
MEIZHOU, HEYUAN = "441400", "441600"


def plan(roster: solver.Roster, rules: solver.RuleSet = solver.DEFAULT_RULES, **fields: object) -> solver.PairingResult:
    result = plan_pairs(PairingRequest(roster, ROUND, rules=rules, options=OPTIONS, **fields))  # type: ignore[arg-type]
    assert result.status == SolveStatus.OPTIMAL, result.explanation
    assert sum(p.score_total for p in result.pairs) == result.objective
    assert solver.check_pairs(roster, result.pairs) == []
    return result


def city_partner(result: solver.PairingResult, receiver: str) -> str:
    return next(p.supporter_id for p in result.pairs if p.kind == Kind.CITY_CITY and p.receiver_id == receiver)


def test_a_tie_flips_a_choice():
    roster = tiny_roster(capacity={"440303": 2})  # 罗湖 can take two counties: 深圳 can take 梅州
    assert city_partner(plan(roster), MEIZHOU) == SHENZHEN
    tied = plan(with_rows(roster, tie(Kind.CITY_CITY, GUANGZHOU, MEIZHOU)))
    assert city_partner(tied, MEIZHOU) == GUANGZHOU
    pair = next(p for p in tied.pairs if p.kind == Kind.CITY_CITY and p.receiver_id == MEIZHOU)
    assert pair.score_terms["tie"] == -3 * solver.DEFAULT_RULES.weights.tie


def test_hard_ties_keep_a_tied_receiver_with_one_of_its_tied_supporters():
    roster = with_rows(tiny_roster(capacity={"440303": 2}), tie(Kind.CITY_CITY, GUANGZHOU, MEIZHOU, strength=1))
    soft = apply_overrides({"R23": {"hard_kinds": []}, "weights": {"tie": 0}})
    assert city_partner(plan(roster, soft), MEIZHOU) == SHENZHEN
    assert city_partner(plan(roster, apply_overrides({"weights": {"tie": 0}})), MEIZHOU) == GUANGZHOU  # the default


def test_hard_ties_give_way_to_a_pin_and_are_weighed_when_they_cannot_hold():
    roster = with_rows(tiny_roster(capacity={"440303": 2}), tie(Kind.CITY_CITY, GUANGZHOU, MEIZHOU))
    pin = solver.Pin(kind=Kind.CITY_CITY, supporter_id=SHENZHEN, receiver_id=MEIZHOU)
    assert city_partner(plan(roster, pins=[pin]), MEIZHOU) == SHENZHEN
    # 广州 can take one city only, and 河源 is tied to it too: one tie must go
    both = with_rows(
        updated_many(roster, {"440100": {"capacity": 1}}), tie(Kind.CITY_CITY, GUANGZHOU, HEYUAN, strength=1)
    )
    weighed = plan(both)
    assert city_partner(weighed, MEIZHOU) == GUANGZHOU  # the stronger tie holds
    assert any(line.startswith("R23:") for line in weighed.explanation)


def test_a_fairness_weight_moves_counties_from_a_loaded_supporter_to_a_light_one():
    # 深圳 is made weak (5,000 teachers against 广州's 21,000): its fair load is the smaller city.
    roster = updated_many(
        tiny_roster(capacity={"440303": 2}), {"440303": {"teachers": 2500}, "440304": {"teachers": 2500}}
    )
    without = plan(roster, apply_overrides({"weights": {"fairness": 0}}))
    assert city_partner(without, MEIZHOU) == SHENZHEN  # nearest first: the weak city takes the big one
    fair = plan(roster)
    assert city_partner(fair, MEIZHOU) == GUANGZHOU and city_partner(fair, HEYUAN) == SHENZHEN
    moved = {p.receiver_id for p in fair.pairs if p.kind == Kind.COUNTY_COUNTY and p.supporter_id.startswith("4401")}
    assert moved == {"441402", "441422", "441427"}  # 梅州's three counties moved to 广州's units
    assert all("fairness" in p.score_terms for p in fair.pairs if p.kind == Kind.CITY_CITY)


def test_capacities_follow_strength_when_the_roster_leaves_them_empty():
    from solver.pairing.strength import city_strengths, unit_capacities

    roster = tiny_roster(dongguan=True)
    open_roster = updated_many(
        roster,
        {row: {"capacity": None} for row in ("440100", "440300", "441900", "440103", "440104", "440303", "440304")},
    )
    strengths = city_strengths(open_roster, solver.DEFAULT_RULES)
    assert {c: s.capacity for c, s in strengths.items()} == {GUANGZHOU: 2, SHENZHEN: 2, DONGGUAN: 2}
    assert abs(sum(s.share for s in strengths.values()) - 1) < 1e-9
    units = unit_capacities(open_roster, solver.DEFAULT_RULES, strengths)
    assert all(units[u] >= 1 for u in ("440103", "440104", "440303", "440304", "441900003", "441900121"))
    result = plan(open_roster)
    assert {p.receiver_id for p in result.pairs if p.kind == Kind.COUNTY_COUNTY} == {
        a.area_id for a in roster.receivers()
    }


def test_a_university_is_not_paired_with_its_own_city_unless_it_pays_for_it():
    roster = tiny_roster(non_normal_universities=9)  # with 嘉应学院 (4144010582), which stands in 梅州
    terms = [p.score_terms for p in plan(roster).pairs if p.supporter_id == "4144010582"]
    at_home = [t for t in terms if "home_city" in t]
    assert all(t["home_city"] == solver.DEFAULT_RULES.weights.home_city for t in at_home)
    cheap = plan(roster, apply_overrides({"weights": {"home_city": 0}}))
    assert not any("home_city" in p.score_terms for p in cheap.pairs)


def test_an_institute_limit_holds_where_it_can_and_is_reported_where_it_cannot():
    # 东莞's 镇街 have no institutes: 东莞市教研室 partners every institute its pairs bring.
    roster = tiny_roster(dongguan=True, capacity={"441900": 2, "441900003": 2, "441900121": 2})
    loose = plan(roster, apply_overrides({"weights": {"fairness": 0}, "R26": {"institute_partners_max": 12}}))
    tight_rules = apply_overrides({"weights": {"fairness": 0}, "R26": {"institute_partners_max": 3}})
    tight = plan(roster, tight_rules)

    def partners(result: solver.PairingResult) -> int:
        return sum(p.supporter_id == "jy441900" for p in result.pairs if p.kind == Kind.INSTITUTE_INSTITUTE)

    assert partners(tight) <= 3 or any("institute_load" in p.score_terms for p in tight.pairs)
    assert partners(tight) <= partners(loose)
    one = apply_overrides({"R26": {"institute_partners_max": 1}, "weights": {"fairness": 0}})
    forced = plan(roster, one, pins=[solver.Pin(kind=Kind.CITY_CITY, supporter_id=DONGGUAN, receiver_id=HEYUAN)])
    over = Counter(p.supporter_id for p in forced.pairs if "institute_load" in p.score_terms)
    held = Counter(p.supporter_id for p in forced.pairs if p.kind == Kind.INSTITUTE_INSTITUTE)
    assert over["jy441900"] == partners(forced) - 1 > 0
    assert over == Counter({i: n - 1 for i, n in held.items() if n > 1})  # every pair past the limit, none else
    report = solver.build_report(roster, one, forced, [])
    assert any("东莞市" in line and "beyond R26's limit of 1" in line for line in report.over_limits)


def test_school_pairs_match_stages_within_the_partner_limit():
    roster = tiny_roster(rural_schools=2)
    roomy = plan(roster, apply_overrides({"R26": {"school_partners_max": 12}}))
    pairs = [p for p in roomy.pairs if p.kind == Kind.SCHOOL_SCHOOL]
    stages = [(roster.schools[p.supporter_id].stage.value, roster.schools[p.receiver_id].stage.value) for p in pairs]
    # every supporting unit has a primary and a junior school: with room, only senior receivers change stage
    assert [s for s in stages if s[0] != s[1]] == [("junior", "senior")] * 3
    assert all(
        p.score_terms == {"stage_mismatch": 10}
        for p in pairs
        if "senior" in p.receiver_name or roster.schools[p.receiver_id].stage.value == "senior"
    )
    assert not any("school_load" in p.score_terms for p in pairs)
    # 荔湾 takes two counties of five schools each: its two schools have 2 × 4 places, so two pairs
    # go past the limit, each priced and so reported; every other school stays within it
    default = plan(roster)
    limit = solver.DEFAULT_RULES.of(R26).school_partners_max
    school_pairs = [p for p in default.pairs if p.kind == Kind.SCHOOL_SCHOOL]
    load = Counter(p.supporter_id for p in school_pairs)
    over = Counter(p.supporter_id for p in school_pairs if "school_load" in p.score_terms)
    assert sum(over.values()) == 2 and all(load[s] - over[s] <= limit for s in load)
    crossed = [p for p in default.pairs if p.kind == Kind.SCHOOL_SCHOOL and "family_mismatch" in p.score_terms]
    assert crossed and all(p.supporter_id.startswith("31") for p in crossed)  # a primary taken by a junior school


def test_every_township_and_rural_school_gets_an_urban_partner_within_the_limit():
    roster = tiny_roster(rural_schools=2)
    result = plan(roster)
    intra = {p.receiver_id for p in result.pairs if p.kind == Kind.INTRA_REGION and p.receiver_id in roster.schools}
    wanted = {
        s.school_id
        for s in roster.schools.values()
        if roster.areas[s.area_id].role.value == "receiver" and s.location.value != "urban"
    }
    assert intra == wanted
    load = Counter(
        p.supporter_id for p in result.pairs if p.kind == Kind.INTRA_REGION and p.supporter_id in roster.schools
    )
    assert max(load.values()) <= solver.DEFAULT_RULES.of(R26).intra_partners_max
    tight = plan(roster, apply_overrides({"R26": {"intra_partners_max": 1}}))
    over = [p for p in tight.pairs if "school_load" in p.score_terms]
    intra_over = [p for p in over if p.kind == Kind.INTRA_REGION]
    assert intra_over and not any(p.kind == Kind.INTRA_REGION and "school_load" in p.score_terms for p in result.pairs)
    per_school = Counter(
        p.supporter_id for p in tight.pairs if p.kind == Kind.INTRA_REGION and p.supporter_id in roster.schools
    )
    assert len(intra_over) == sum(n - 1 for n in per_school.values())
    assert {
        p.receiver_id for p in tight.pairs if p.kind == Kind.INTRA_REGION and p.receiver_id in roster.schools
    } == wanted
