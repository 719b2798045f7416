"""What receivers ask of a year (requests.csv, R25), as the yearly allocation uses it.

'各项资源支援应以受援方的需求、意见为主' (annex 2, clause 13). A request raises a flow's yearly quota
above the policy's floor where capacity allows (never above a policy maximum: R09's 50 backbone
teachers, R10's 10 leaders and 30 managers); `avoid` keeps a supporter from serving that receiver in
that flow (hard, and checked); `prefer` makes a supporter cheaper to choose (a bonus). A request of
a given year replaces the every-year request of the same receiver, flow and subject for that year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from solver.roster.models import Roster
from solver.roster.relations import Request, Wish


@dataclass
class Ask:
    amount: int = 0  # teams for teaching teams, people otherwise
    subjects: list[str] = field(default_factory=list)  # one per requested team that named a subject
    prefer: set[str] = field(default_factory=set)
    avoid: set[str] = field(default_factory=set)


Asks = dict[tuple[Wish, str], Ask]


def asks_of(roster: Roster, year: int) -> Asks:
    """The year's asks by (flow, receiver)."""
    chosen: dict[tuple[str, Wish, str], Request] = {}
    for request in sorted(roster.requests.values(), key=lambda r: r.year is not None):
        if request.year in (None, year):
            chosen[(request.receiver_id, request.what, request.subject)] = request  # a year's replaces every year's
    found: Asks = {}
    for (receiver, what, subject), request in sorted(chosen.items()):
        ask = found.setdefault((what, receiver), Ask())
        ask.amount += request.amount
        if subject:
            ask.subjects += [subject] * request.amount
        if request.prefer_supporter_id:
            ask.prefer.add(request.prefer_supporter_id)
        if request.avoid_supporter_id:
            ask.avoid.add(request.avoid_supporter_id)
    return found


def avoided(asks: Asks, what: Wish, receiver: str) -> set[str]:
    ask = asks.get((what, receiver))
    return ask.avoid if ask else set()


def preferred(asks: Asks) -> frozenset[tuple[str, str]]:
    """(supporter, receiver) pairs some request prefers."""
    return frozenset((s, receiver) for (_, receiver), ask in asks.items() for s in ask.prefer)
