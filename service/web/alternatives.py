"""The "why" of a pair: its score terms with their weights, and the best alternatives to its
supporter with what the plan would lose by switching.

`alternatives` is the one place that computes them; it re-scores candidates with the solver's own
Scorer (solver.scoring) on the plan's roster and weights, one change at a time, every other pair
kept. A candidate with room takes the receiver (a switch); a full one swaps receivers with the
current supporter, the swap that costs least. When the solver offers its own alternatives
(exact re-optimisation), replace the body of `alternatives` and keep its answer's shape.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from solver.plan import Kind, Pair
from solver.roster import Roster, UniversityKind, UniversityRole
from solver.scoring import Scorer

# Each objective term and the weight (rules.toml [weights]) that scales it.
TERM_WEIGHTS = {
    "distance": "distance_per_km",
    "cooperation": "cooperation_bonus",
    "continuity": "continuity_bonus",
    "keep": "change_penalty",
    "priority": "priority_strength",
    "balance": "balance_per_1000",
}
SCORED_KINDS = (Kind.CITY_CITY, Kind.COUNTY_COUNTY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA)
METHOD = ("re-scored with the plan's weights: one supporter changed at a time (a swap when it is full), "
          "every other pair kept")


def term_list(terms: Mapping[str, int], weights: Mapping[str, int]) -> list[dict[str, object]]:
    return [{"term": name, "weight": TERM_WEIGHTS.get(name), "weight_value": weights.get(TERM_WEIGHTS.get(name, "")),
             "value": value} for name, value in sorted(terms.items())]


def _candidates(roster: Roster, kind: Kind, pair: Pair, plan_pairs: Sequence[Pair]) -> dict[str, int]:
    """Supporters that could take the receiver under the plan's other pairs, with their capacity."""
    if kind == Kind.CITY_CITY:
        return {c.city_id: c.capacity for c in roster.supporting_cities()}
    if kind == Kind.COUNTY_COUNTY:
        # County pairs nest in city pairs (R04): the units of the city paired with the receiver's city.
        city = next((p.supporter_id for p in plan_pairs
                     if p.kind == Kind.CITY_CITY and p.receiver_id == pair.receiver_city_id), None)
        return {a.area_id: a.capacity for a in roster.supporter_areas() if a.city_id == city}
    wanted = UniversityKind.NORMAL if kind == Kind.NORMAL_UNIVERSITY_CITY else UniversityKind.NON_NORMAL
    return {u.university_id: u.capacity for u in roster.universities.values()
            if u.kind == wanted and u.role == UniversityRole.SUPPORTER}


def alternatives(roster: Roster, weights: Mapping[str, int], plan_pairs: Sequence[Pair], base_pairs: Sequence[Pair],
                 replan: bool, pair: Pair, limit: int = 3) -> list[dict[str, object]]:
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
        gain = scorer.cost(pair.kind, candidate, pair.receiver_id) - current
        room = capacity - len(served[candidate])
        swap = None
        if room <= 0:
            # Full: the candidate gives one of its receivers to the current supporter in exchange.
            options = []
            for other in served[candidate]:
                if pair.supporter_id in {p.supporter_id for p in same_kind if p.receiver_id == other.receiver_id}:
                    continue
                change = (scorer.cost(pair.kind, pair.supporter_id, other.receiver_id)
                          - scorer.cost(pair.kind, candidate, other.receiver_id))
                options.append((change, other))
            if not options:
                continue
            change, other = min(options, key=lambda o: (o[0], o[1].receiver_id))
            gain += change
            swap = {"receiver_id": other.receiver_id, "receiver_name": other.receiver_name, "delta": change}
        terms = scorer.terms(pair.kind, candidate, pair.receiver_id)
        found.append({"supporter_id": candidate, "supporter_name": roster.name_of(candidate),
                      "total": sum(terms.values()), "terms": term_list(terms, weights),
                      "delta": gain, "room": max(room, 0), "swap": swap})
    found.sort(key=lambda a: (a["delta"], a["supporter_id"]))
    return found[:limit]
