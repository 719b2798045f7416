"""The "why" of a pair: its score terms with their weights, and the best alternatives to its
supporter with what the plan would lose by switching.

`alternatives` is the one place that computes them; it re-scores candidates with the solver's own
Scorer (solver.pairing.scoring) on the plan's roster and weights, one change at a time, every other
pair kept. A candidate with room takes the receiver (a switch); a full one swaps receivers with the
current supporter, the swap that costs least. When the solver offers its own alternatives
(exact re-optimisation), replace the body of `alternatives` and keep its answer's shape.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from scipy.optimize import linear_sum_assignment

from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.pairing.scoring import Scorer
from solver.roster.fields import UniversityKind, UniversityRole
from solver.roster.models import Roster
from solver.rules.params import Weights

SCORED_KINDS = (Kind.CITY_CITY, Kind.COUNTY_COUNTY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA)
ALTERNATIVES_METHOD = (
    "re-scored with the plan's weights: one supporter changed at a time (a swap when it is full), every other pair kept"
)


def term_list(terms: Mapping[str, int], weights: Weights) -> list[dict[str, object]]:
    """Each score term with its weight (weights are named as the terms they weigh)."""
    return [
        {"term": name, "weight": name, "weight_value": getattr(weights, name, None), "value": value}
        for name, value in sorted(terms.items())
    ]


def _candidates(roster: Roster, kind: Kind, pair: Pair, plan_pairs: Sequence[Pair]) -> dict[str, int]:
    """Supporters that could take the receiver under the plan's other pairs, with their capacity."""
    if kind == Kind.CITY_CITY:
        return {c.city_id: c.capacity for c in roster.supporting_cities()}
    if kind == Kind.COUNTY_COUNTY:
        # County pairs nest in city pairs (R04): the units of the city paired with the receiver's city.
        city = next(
            (p.supporter_id for p in plan_pairs if p.kind == Kind.CITY_CITY and p.receiver_id == pair.receiver_city_id),
            None,
        )
        return {a.area_id: a.capacity for a in roster.supporter_areas() if a.city_id == city}
    wanted = UniversityKind.NORMAL if kind == Kind.NORMAL_UNIVERSITY_CITY else UniversityKind.NON_NORMAL
    return {
        u.university_id: u.capacity
        for u in roster.universities.values()
        if u.kind == wanted and u.role == UniversityRole.SUPPORTER
    }


def _reassign(scorer: Scorer, counties: list[str], slots: Mapping[str, int]) -> int | None:
    """The least cost of giving `counties` to supporter units with `slots` free places each
    (an assignment problem, solved exactly); None when there are too few places."""
    columns = [unit for unit, free in sorted(slots.items()) for _ in range(max(free, 0))]
    if len(columns) < len(counties):
        return None
    if not counties:
        return 0
    matrix = [[scorer.cost(Kind.COUNTY_COUNTY, unit, county) for unit in columns] for county in counties]
    rows, cols = linear_sum_assignment(matrix)
    return int(sum(matrix[r][c] for r, c in zip(rows, cols, strict=True)))


def _city_switch(
    roster: Roster, scorer: Scorer, plan_pairs: Sequence[Pair], city: str, old: str, new: str, swap_city: str | None
) -> int | None:
    """What the county pairs cost more when receiving `city` moves from supporter city `old` to `new`
    (and, in a swap, `swap_city` from `new` to `old`): county pairs nest in city pairs (R04), so the
    moved cities' counties are re-assigned optimally to the free places of their new city's units."""
    county_pairs = [p for p in plan_pairs if p.kind == Kind.COUNTY_COUNTY]
    load = Counter(p.supporter_id for p in county_pairs)
    moved = {city: new, **({swap_city: old} if swap_city else {})}
    freed = Counter(p.supporter_id for p in county_pairs if p.receiver_city_id in moved)
    before = sum(
        scorer.cost(p.kind, p.supporter_id, p.receiver_id) for p in county_pairs if p.receiver_city_id in moved
    )
    after = 0
    for receiving, supporter_city in moved.items():
        counties = [p.receiver_id for p in county_pairs if p.receiver_city_id == receiving]
        slots = {
            a.area_id: a.capacity - load[a.area_id] + freed[a.area_id]
            for a in roster.supporter_areas()
            if a.city_id == supporter_city
        }
        cost = _reassign(scorer, counties, slots)
        if cost is None:
            return None
        after += cost
    return after - before


def alternatives(
    roster: Roster,
    weights: Weights,
    plan_pairs: Sequence[Pair],
    base_pairs: Sequence[Pair],
    replan: bool,
    pair: Pair,
    limit: int = 3,
) -> list[dict[str, object]]:
    """The `limit` best other supporters for `pair`'s receiver, cheapest change first.

    `delta` is the plan's objective after the change minus before (positive: the plan gets worse by
    that much). Kinds derived from the county pairs (institutes, schools, intra-region) have none.
    """
    if pair.kind not in SCORED_KINDS:
        return []
    scorer = Scorer.build(roster, weights, base_pairs, replan)
    same_kind = [p for p in plan_pairs if p.kind == pair.kind]
    served: dict[str, list[Pair]] = defaultdict(list)
    for p in same_kind:
        served[p.supporter_id].append(p)
    taken = {p.supporter_id for p in same_kind if p.receiver_id == pair.receiver_id}
    current = scorer.cost(pair.kind, pair.supporter_id, pair.receiver_id)
    found = []
    for candidate, capacity in _candidates(roster, pair.kind, pair, plan_pairs).items():
        if candidate in taken or candidate not in scorer.parties:
            continue
        switch = scorer.cost(pair.kind, candidate, pair.receiver_id) - current
        room = capacity - len(served[candidate])
        # With room the candidate takes the receiver; full, it gives one of its receivers to the
        # current supporter in exchange (the exchange that costs least).
        options: list[tuple[int, Pair | None]] = (
            [(0, None)]
            if room > 0
            else [
                (
                    scorer.cost(pair.kind, pair.supporter_id, other.receiver_id)
                    - scorer.cost(pair.kind, candidate, other.receiver_id),
                    other,
                )
                for other in served[candidate]
                if pair.supporter_id not in {p.supporter_id for p in same_kind if p.receiver_id == other.receiver_id}
            ]
        )
        costed = []
        for change, other in options:
            if pair.kind == Kind.CITY_CITY:
                counties = _city_switch(
                    roster,
                    scorer,
                    plan_pairs,
                    pair.receiver_id,
                    pair.supporter_id,
                    candidate,
                    other.receiver_id if other else None,
                )
                if counties is None:
                    continue  # the units of the cities have too few places for the moved counties
                change += counties
            costed.append((switch + change, other))
        if not costed:
            continue
        gain, other = min(costed, key=lambda o: (o[0], o[1].receiver_id if o[1] else ""))
        swap = None if other is None else {"receiver_id": other.receiver_id, "receiver_name": other.receiver_name}
        terms = scorer.terms(pair.kind, candidate, pair.receiver_id)
        found.append(
            {
                "supporter_id": candidate,
                "supporter_name": roster.name_of(candidate),
                "total": sum(terms.values()),
                "terms": term_list(terms, weights),
                "delta": gain,
                "room": max(room, 0),
                "swap": swap,
            }
        )
    found.sort(key=lambda a: (a["delta"], a["supporter_id"]))
    return found[:limit]
