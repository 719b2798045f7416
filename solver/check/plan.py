"""An independent checker: any pair plan + roster (+ pins) -> every hard rule it breaks.

The checker re-derives each structural rule (R01–R06, docs/rules.md) from the roster and
the plan alone; it never imports the solver's model code, so a test can catch the solver
breaking a rule. Clauses are quoted from annex 2 of 粤府〔2021〕55号 unless they say otherwise.

Rule ids of a `Violation`: "R01" … "R06" (the pair rules), "PIN" (a coordinator's fix/forbid
pin) and "ROUND" (a plan is for one round of the three; '结对帮扶工作期限为2021—2035年，分三轮实施',
clause 2). A pair whose kind belongs to a rule is judged by that rule alone: an unknown id, a
party of the wrong type, a duplicated row or a wrong `receiver_city_id` are violations of the
kind's rule. Pairs that are malformed are left out when other rules derive partners from them,
so that one mistake is reported once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from solver.check.common import PIN_RULE, ROUND_RULE, Violation, label, violation
from solver.check.derived import (
    check_r05_institute_and_school_pairs,
    check_r06_intra_region_pairs,
)
from solver.check.structure import (
    check_r01_county_pairs,
    check_r02_normal_university_pairs,
    check_r03_university_area_pairs,
    check_r04_city_pairs,
)
from solver.domain.pairs import Pair
from solver.domain.pins import Pin, PinAction
from solver.domain.policy import ROUNDS
from solver.roster.models import Roster

# --- rounds and pins ------------------------------------------------------------------------


def check_round(roster: Roster, pairs: Sequence[Pair]) -> list[Violation]:
    """Every pair is of the same round, one of '2021-2025', '2026-2030', '2031-2035'.

    '结对帮扶工作期限为2021—2035年，分三轮实施' (annex 2, clause 2). The plan's round is its
    most common one (the earliest on a tie); each pair of another round is a violation.
    """
    counts = Counter(p.round for p in pairs)
    found = [
        violation(ROUND_RULE, f"Round {value!r} is not one of {', '.join(ROUNDS)} (annex 2, clause 2).")
        for value in sorted(counts)
        if value not in ROUNDS
    ]
    if len(counts) > 1:
        plan_round = min(counts, key=lambda value: (-counts[value], value))
        for pair in sorted(pairs, key=lambda p: p.key):
            if pair.round != plan_round:
                found.append(
                    violation(
                        ROUND_RULE,
                        f"The {pair.kind.label()} {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)} "
                        f"is of round {pair.round}, but the plan is for round {plan_round}; a plan holds one round.",
                        pair.supporter_id,
                        pair.receiver_id,
                    )
                )
    return found


def check_pins(roster: Roster, pairs: Sequence[Pair], pins: Sequence[Pin]) -> list[Violation]:
    """Every fixed pin is a pair of the plan; no forbidden pin is."""
    present = {(p.kind, p.supporter_id, p.receiver_id) for p in pairs}
    found = []
    for pin in pins:
        there = (pin.kind, pin.supporter_id, pin.receiver_id) in present
        what = f"{pin.kind.label()} {label(roster, pin.supporter_id)} → {label(roster, pin.receiver_id)}"
        if pin.action == PinAction.FIX and not there:
            found.append(
                violation(
                    PIN_RULE, f"The {what} is pinned (fixed) but is not in the plan.", pin.supporter_id, pin.receiver_id
                )
            )
        elif pin.action == PinAction.FORBID and there:
            found.append(
                violation(
                    PIN_RULE, f"The {what} is forbidden by a pin but is in the plan.", pin.supporter_id, pin.receiver_id
                )
            )
    return found


PairCheck = Callable[[Roster, Sequence[Pair]], list[Violation]]

RULE_CHECKS: dict[str, PairCheck] = {
    "R01": check_r01_county_pairs,
    "R02": check_r02_normal_university_pairs,
    "R03": check_r03_university_area_pairs,
    "R04": check_r04_city_pairs,
    "R05": check_r05_institute_and_school_pairs,
    "R06": check_r06_intra_region_pairs,
    ROUND_RULE: check_round,
}


def check_pairs(roster: Roster, pairs: Sequence[Pair], pins: Sequence[Pin] = ()) -> list[Violation]:
    """Every hard violation of the plan, sorted by (rule, ids, message), each reported once."""
    found: set[Violation] = set()
    for check in RULE_CHECKS.values():
        found.update(check(roster, pairs))
    found.update(check_pins(roster, pairs, pins))
    return sorted(found, key=lambda v: v.sort_key)
