"""The alternatives to a pair are whole rounds solved again: exact, ordered, and honest about ties."""

from __future__ import annotations

from solver import (
    DEFAULT_RULES,
    Kind,
    PairingRequest,
    RuleSet,
    SolveOptions,
    SolveStatus,
    alternatives,
    apply_overrides,
    follows_hard_tie,
    plan_pairs,
)
from tests.factories import ROUND, tie, tiny_roster, with_rows

OPTIONS = SolveOptions(time_limit_s=10, num_workers=1)


def _solved(roster, rules: RuleSet = DEFAULT_RULES):
    request = PairingRequest(roster, ROUND, rules=rules, options=OPTIONS)
    result = plan_pairs(request)
    assert result.status == SolveStatus.OPTIMAL
    return request, result


def test_alternatives_never_beat_an_optimal_plan_and_get_no_better():
    request, result = _solved(tiny_roster(capacity={"440303": 2}))  # 深圳 may take 梅州 too
    pair = next(p for p in result.pairs if p.kind == Kind.COUNTY_COUNTY and p.receiver_id == "441422")
    found = alternatives(request, result.pairs, pair, 3, result.status)
    assert len(found) == 3 and all(a.exact for a in found)
    assert [a.delta for a in found] == sorted(a.delta for a in found) and found[0].delta >= 0
    assert len({pair.supporter_id, *(a.supporter_id for a in found)}) == 4
    # the first alternative is exactly the round without the pair
    assert found[0].forbidden == [pair.supporter_id] and found[0].changed >= 1


def test_derived_and_pinned_pairs_have_none():
    request, result = _solved(tiny_roster())
    school = next(p for p in result.pairs if p.kind == Kind.SCHOOL_SCHOOL)
    assert alternatives(request, result.pairs, school) == []


def test_a_hard_tie_is_set_aside_by_its_alternatives():
    roster = with_rows(tiny_roster(capacity={"440303": 2}), tie(Kind.CITY_CITY, "440100", "441400", strength=1))
    request, result = _solved(roster, apply_overrides({"weights": {"tie": 0}}))  # kept, but worth nothing
    pair = next(p for p in result.pairs if p.kind == Kind.CITY_CITY and p.receiver_id == "441400")
    assert pair.supporter_id == "440100" and follows_hard_tie(request, pair)
    (alternative,) = alternatives(request, result.pairs, pair, 1, result.status)
    assert alternative.supporter_id == "440300"
    assert alternative.delta < 0  # without the tie 深圳 is the better partner: keeping it costs that much
