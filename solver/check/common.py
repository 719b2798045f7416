"""What every structural check shares: violations, the plan read by kind, and the shared counts.

The checkers import only data modules (solver.domain, solver.roster, solver.rules), never the
models that made the plan; tests/solver/check/test_independence.py holds them to that.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from solver.domain.ids import city_id_of
from solver.domain.ids import label as party_label
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.roster.models import Roster

PIN_RULE = "PIN"
ROUND_RULE = "ROUND"


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: which rule, a sentence for a coordinator, and the ids involved (sorted)."""

    rule: str
    message: str
    ids: tuple[str, ...]

    @property
    def sort_key(self) -> tuple[str, tuple[str, ...], str]:
        return (self.rule, self.ids, self.message)


def violation(rule: str, message: str, *ids: str) -> Violation:
    return Violation(rule, message, tuple(sorted({i for i in ids if i})))


# --- reading the roster and the plan ---------------------------------------------------------


def label(roster: Roster, party_id: str) -> str:
    """A party as a coordinator reads it: Chinese name and id."""
    try:
        return party_label(roster.name_of(party_id), party_id)
    except KeyError:
        return f"{party_id} (not in the roster)"


def receiver_city(roster: Roster, party_id: str) -> str | None:
    """The city a receiving party belongs to, as `receiver_city_id` must say; None if unknown."""
    if party_id in roster.cities:
        return party_id
    if party_id in roster.areas:
        return roster.areas[party_id].city_id
    if party_id in roster.institutes:
        return roster.institutes[party_id].city_id or None
    if party_id in roster.schools:
        return city_id_of(roster.schools[party_id].area_id)
    return None


def of_kind(pairs: Iterable[Pair], kind: Kind) -> list[Pair]:
    return [p for p in pairs if p.kind == kind]


def distinct(pairs: Iterable[Pair]) -> list[Pair]:
    seen: dict[tuple[str, str, str], Pair] = {}
    for pair in pairs:
        seen.setdefault(pair.key, pair)
    return list(seen.values())


def supporters_by_receiver(pairs: Iterable[Pair]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        found[pair.receiver_id].add(pair.supporter_id)
    return {receiver: sorted(supporters) for receiver, supporters in found.items()}


def receivers_by_supporter(pairs: Iterable[Pair]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        found[pair.supporter_id].add(pair.receiver_id)
    return {supporter: sorted(receivers) for supporter, receivers in found.items()}


def labels(roster: Roster, ids: Iterable[str]) -> str:
    return "、".join(label(roster, i) for i in ids)


# --- checks shared by every kind ------------------------------------------------------------

Reason = Callable[[Roster, str], str | None]
"""Why an id cannot stand on one side of a pair of some kind, or None when it can."""


def duplicates(rule: str, roster: Roster, pairs: Sequence[Pair], clause: str) -> list[Violation]:
    counts = Counter(p.key for p in pairs)
    found = []
    for (kind, receiver, supporter), count in sorted(counts.items()):
        if count > 1:
            found.append(
                violation(
                    rule,
                    f"The {Kind(kind).label()} {label(roster, supporter)} → {label(roster, receiver)} "
                    f"is listed {count} times; a pair is listed once ({clause}).",
                    supporter,
                    receiver,
                )
            )
    return found


def party_problems(
    rule: str, roster: Roster, pair: Pair, supporter: Reason, receiver: Reason, clause: str
) -> list[Violation]:
    """The pair's supporter and receiver have the right type, and `receiver_city_id` is right."""
    found = []

    def head() -> str:  # made only for a problem: most pairs have none
        return f"In the {pair.kind.label()} {label(roster, pair.supporter_id)} → {label(roster, pair.receiver_id)}"

    for side, party_id, reason in (
        ("supporter", pair.supporter_id, supporter),
        ("receiver", pair.receiver_id, receiver),
    ):
        why = reason(roster, party_id)
        if why is not None:
            found.append(
                violation(rule, f"{head()}, the {side} {why} ({clause}).", pair.supporter_id, pair.receiver_id)
            )
    city = receiver_city(roster, pair.receiver_id)
    if city is not None and pair.receiver_city_id != city:
        found.append(
            violation(
                rule,
                f"{head()}, receiver_city_id is {pair.receiver_city_id!r}, but the receiver is in {label(roster, city)}.",
                pair.supporter_id,
                pair.receiver_id,
            )
        )
    return found


def well_typed(roster: Roster, pairs: Iterable[Pair], supporter: Reason, receiver: Reason) -> list[Pair]:
    return [p for p in pairs if supporter(roster, p.supporter_id) is None and receiver(roster, p.receiver_id) is None]


def valid_receiver(roster: Roster, pairs: Iterable[Pair], receiver: Reason) -> list[Pair]:
    """Pairs whose receiver may stand there; a wrong supporter is reported once, as such."""
    return [p for p in pairs if receiver(roster, p.receiver_id) is None]


def count_per_receiver(
    rule: str,
    roster: Roster,
    required: Iterable[str],
    supporters_of: Mapping[str, list[str]],
    kind: Kind,
    clause: str,
    exactly: bool = True,
) -> list[Violation]:
    """Each required receiver has one pair of the kind (or at least one when `exactly` is False)."""
    found = []
    need = "exactly one" if exactly else "at least one"
    for receiver in sorted(required):
        supporters = supporters_of.get(receiver, [])
        if not supporters:
            found.append(
                violation(
                    rule, f"{label(roster, receiver)} has no {kind.label()}; it needs {need} ({clause}).", receiver
                )
            )
        elif exactly and len(supporters) > 1:
            found.append(
                violation(
                    rule,
                    f"{label(roster, receiver)} has {len(supporters)} {kind.label(len(supporters))}, with "
                    f"{labels(roster, supporters)}; it needs exactly one ({clause}).",
                    receiver,
                    *supporters,
                )
            )
    return found


def within_capacity(
    rule: str,
    roster: Roster,
    receivers_of: Mapping[str, list[str]],
    capacity: Mapping[str, int | None],  # None: the roster sets no limit (the planner derives one)
    kind: Kind,
    clause: str,
) -> list[Violation]:
    found = []
    for supporter, receivers in sorted(receivers_of.items()):
        allowed = capacity.get(supporter)
        if allowed is not None and len(receivers) > allowed:
            found.append(
                violation(
                    rule,
                    f"{label(roster, supporter)} supports {len(receivers)} receivers in {kind.label(2)} "
                    f"({labels(roster, receivers)}), but its capacity is {allowed} ({clause}).",
                    supporter,
                    *receivers,
                )
            )
    return found


def unique_partner(pairs: Iterable[Pair]) -> dict[str, str]:
    """receiver -> supporter, for receivers with exactly one (distinct) pair."""
    return {r: s[0] for r, s in supporters_by_receiver(pairs).items() if len(s) == 1}
