"""A warm re-plan (solver.Memo kept from the plans before it) gives exactly the cold plan of the same
roster and base: the same pairs, objective, bound and status, after each kind of single change a
coordinator makes, on the bundled roster. The memo's counters show that it did reuse earlier work."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import solver
from solver import Kind, Memo, PairingRequest, PairingResult, Pin, Roster, plan_pairs
from solver.domain.ids import institute_id
from tests.conftest import BUNDLED_ROUND
from tests.factories import updated, without_ids

OPTIONS = solver.SolveOptions(time_limit_s=60, num_workers=2)
UNIT = "440105"  # 广州市海珠区, a supporter unit whose capacity follows from its strength


def _plan(
    roster: Roster, base: list[solver.Pair], memo: Memo | None = None, pins: list[Pin] | None = None
) -> PairingResult:
    return plan_pairs(PairingRequest(roster, BUNDLED_ROUND, base=base, pins=pins or [], options=OPTIONS, memo=memo))


def _without_unit(roster: Roster) -> Roster:
    schools = [s.school_id for s in roster.schools.values() if s.area_id == UNIT]
    return without_ids(roster, UNIT, institute_id(UNIT), *schools)


def _assert_same(warm: PairingResult, cold: PairingResult) -> None:
    assert warm.status == cold.status == solver.SolveStatus.OPTIMAL
    assert (warm.objective, warm.bound) == (cold.objective, cold.bound)
    assert warm.pairs == cold.pairs
    assert warm.objective_by_kind == cold.objective_by_kind


@pytest.fixture(scope="module")
def base(bundled_round: solver.RoundPlan) -> list[solver.Pair]:
    return bundled_round.result.pairs


CHANGES: dict[str, Callable[[Roster], Roster]] = {
    "capacity lowered": lambda r: updated(r, UNIT, capacity=1),
    "capacity raised": lambda r: updated(r, UNIT, capacity=6),
    "unit removed": _without_unit,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_warm_replan_after_a_roster_change_is_the_cold_plan(
    change: str, bundled_roster: Roster, base: list[solver.Pair]
) -> None:
    memo = Memo()
    _plan(bundled_roster, base, memo)  # the plan the service made before the change
    changed = CHANGES[change](bundled_roster)
    warm = _plan(changed, base, memo)
    _assert_same(warm, _plan(changed, base))
    stats = memo.stats()
    assert stats["school_rows"].hits > 0
    if change.startswith("capacity"):  # other cities' shares stay; removing a unit moves every city's share
        assert stats["columns"].hits > 0


def test_a_warm_replan_with_a_new_pin_is_the_cold_plan(bundled_roster: Roster, base: list[solver.Pair]) -> None:
    county = next(p for p in base if p.kind == Kind.COUNTY_COUNTY and p.supporter_id != UNIT)
    pin = Pin(kind=Kind.COUNTY_COUNTY, supporter_id=UNIT, receiver_id=county.receiver_id)
    memo = Memo()
    _plan(bundled_roster, base, memo)
    warm = _plan(bundled_roster, base, memo, [pin])
    _assert_same(warm, _plan(bundled_roster, base, pins=[pin]))
    assert any(p.pinned and p.key == (Kind.COUNTY_COUNTY.value, county.receiver_id, UNIT) for p in warm.pairs)


def test_a_warm_replan_after_a_unit_is_added_is_the_cold_plan(bundled_roster: Roster) -> None:
    before = _without_unit(bundled_roster)
    memo = Memo()
    base = _plan(before, []).pairs
    _plan(before, base, memo)
    warm = _plan(bundled_roster, base, memo)
    _assert_same(warm, _plan(bundled_roster, base))
    assert memo.stats()["school_rows"].hits > 0


def test_the_same_plan_again_is_taken_whole_from_the_memo(bundled_roster: Roster, base: list[solver.Pair]) -> None:
    memo = Memo()
    first = _plan(bundled_roster, base, memo)
    again = _plan(bundled_roster, base, memo)
    _assert_same(again, first)
    stats = memo.stats()
    assert stats["nested"].hits == 1 and stats["assignment"].hits == 3
