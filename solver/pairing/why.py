"""The "why" of a pair: its score terms with their weights, and the best alternatives to its
supporter, each found by solving the whole round again.

The first alternative is the best plan in which the receiver does not take this supporter; the next
also forbids the first alternative's supporter, and so on. Each is solved by `plan_pairs` on the
plan's own roster, rules, base and pins, so `delta` (its objective minus the plan's) is exact when
both are proven optimal, and every pair the switch moves elsewhere is counted in `changed`. A pair
that follows a tie R23 keeps as a rule is the one case where an alternative may cost less: forbidding
the pair sets the tie aside (see `follows_hard_tie`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.domain.pins import Pin, PinAction
from solver.domain.results import SolveStatus
from solver.rules.params import R23, Weights

if TYPE_CHECKING:
    from solver.pairing.solve import PairingRequest

SCORED_KINDS = (Kind.CITY_CITY, Kind.COUNTY_COUNTY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA)
ALTERNATIVES_METHOD = (
    "each alternative is the whole round solved again without this pair "
    "(and without the alternatives before it), with the plan's roster, rules, base and pins"
)


@dataclass(frozen=True)
class Alternative:
    supporter_id: str
    supporter_name: str
    terms: dict[str, int]  # the alternative pair's own score terms
    delta: int  # the alternative plan's objective minus the plan's (positive: worse)
    exact: bool  # both plans proven optimal, so no plan with this switch does better
    changed: int  # pairs of the round that differ from the plan (the switch itself included)
    status: SolveStatus = SolveStatus.OPTIMAL
    forbidden: list[str] = field(default_factory=list)  # supporters excluded for the receiver

    @property
    def total(self) -> int:
        return sum(self.terms.values())


def term_list(terms: Mapping[str, int], weights: Weights) -> list[dict[str, object]]:
    """Each score term with its weight (weights are named as the terms they weigh)."""
    return [
        {"term": name, "weight": name, "weight_value": getattr(weights, name, None), "value": value}
        for name, value in sorted(terms.items())
    ]


def follows_hard_tie(request: PairingRequest, pair: Pair) -> bool:
    """The pair follows a tie that R23 keeps as a rule: its alternatives set that tie aside, so they
    may cost less than the plan (what keeping the tie costs)."""
    return pair.kind in request.rules.of(R23).hard_kinds and any(
        (t.kind, t.supporter_id, t.receiver_id) == (pair.kind, pair.supporter_id, pair.receiver_id)
        for t in request.roster.ties.values()
    )


def alternatives(
    request: PairingRequest, plan: Sequence[Pair], pair: Pair, limit: int = 3, plan_status: SolveStatus | None = None
) -> list[Alternative]:
    """Up to `limit` best other supporters for `pair`'s receiver, best first (each a re-solved round).

    `plan` is the plan's pairs, solved from `request`; `plan_status` its status (exact deltas need
    it optimal). Kinds derived from the county pairs (institutes, schools, intra-region) have none.
    """
    if pair.kind not in SCORED_KINDS or pair.pinned:  # a pinned pair is the coordinator's choice
        return []
    objective = sum(p.score_total for p in plan)
    keys = {p.key for p in plan}
    excluded = [pair.supporter_id]
    others = {p.supporter_id for p in plan if p.kind == pair.kind and p.receiver_id == pair.receiver_id}
    from solver.pairing.solve import plan_pairs  # the models load when an alternative is solved

    found: list[Alternative] = []
    while len(found) < limit:
        if request.options.stopped():
            break
        forbid = [
            Pin(kind=pair.kind, supporter_id=s, receiver_id=pair.receiver_id, action=PinAction.FORBID) for s in excluded
        ]
        result = plan_pairs(replace(request, pins=[*request.pins, *forbid], on_progress=None))
        if not result.status.has_plan:
            break
        new = next(
            (
                p
                for p in result.pairs
                if p.kind == pair.kind and p.receiver_id == pair.receiver_id and p.supporter_id not in others
            ),
            None,
        )
        if new is None:
            break
        found.append(
            Alternative(
                supporter_id=new.supporter_id,
                supporter_name=new.supporter_name,
                terms=dict(new.score_terms),
                delta=sum(p.score_total for p in result.pairs) - objective,
                exact=result.status == SolveStatus.OPTIMAL and plan_status == SolveStatus.OPTIMAL,
                changed=sum(p.key not in keys for p in result.pairs),
                status=result.status,
                forbidden=list(excluded),
            )
        )
        excluded.append(new.supporter_id)
    return found
