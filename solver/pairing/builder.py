"""Chosen edges as Pair rows: names, the receiver's city, the distance and every score term.

Terms of a whole supporter city (its `fairness`) are shared out over its city pairs in proportion
to their receiving teachers; partners an institute takes beyond R26's limit carry `institute_load`
on the last of its institute pairs. So every point of the objective sits on some pair.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from solver.domain.ids import city_id_of
from solver.domain.kinds import Kind
from solver.domain.memo import Memo
from solver.domain.pairs import Edge, Pair
from solver.pairing.columns import Column
from solver.pairing.derived import SchoolGroup
from solver.pairing.pins import PinSet
from solver.pairing.scoring import Scorer
from solver.roster.models import Roster


def share_out(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """`total` split in proportion to `weights` by largest remainders (ties by key): the parts add up to it."""
    keys = sorted(weights)
    whole = sum(weights.values())
    if not keys:
        return {}
    if whole <= 0:
        weights, whole = dict.fromkeys(keys, 1), len(keys)
    exact = {k: total * weights[k] / whole for k in keys}
    parts = {k: math.floor(exact[k]) for k in keys}  # floor, not int(): totals may be negative
    rest = total - sum(parts.values())
    for k in sorted(keys, key=lambda k: (-(exact[k] - parts[k]), k))[:rest]:
        parts[k] += 1
    return parts


class PairBuilder:
    def __init__(self, roster: Roster, round_id: str, scorer: Scorer, pins: PinSet):
        self.roster, self.round, self.scorer, self.pins = roster, round_id, scorer, pins
        self.pairs: list[Pair] = []
        self._distances: dict[tuple[str, str], float] = {}

    def _seat(self, party_id: str) -> str:
        """The party whose seat stands for this one in distances (a school's area, an institute's area)."""
        if party_id in self.roster.schools:
            return self.roster.schools[party_id].area_id
        if party_id in self.roster.institutes:
            area = self.roster.institutes[party_id].area_id
            return area if area in self.roster.areas or area in self.roster.cities else city_id_of(area)
        return party_id

    def _pair(self, kind: Kind, supporter: str, receiver: str, terms: dict[str, int]) -> Pair:
        # ~200,000 school pairs on a national roster share a few thousand pairs of seats.
        seats = (self._seat(supporter), self._seat(receiver))
        distance = self._distances.get(seats)
        if distance is None:
            distance = self._distances[seats] = round(self.scorer.distance(*seats), 1)
        return Pair(
            round=self.round,
            kind=kind,
            supporter_id=supporter,
            supporter_name=self.roster.name_of(supporter),
            receiver_id=receiver,
            receiver_name=self.roster.name_of(receiver),
            receiver_city_id=self.roster.city_of(receiver),
            score_distance_km=distance,
            score_terms={k: v for k, v in terms.items() if v},
            pinned=self.pins.is_fixed(kind, supporter, receiver),
        )

    def add_scored(self, kind: Kind, edges: Iterable[Edge]) -> int:
        """Pairs scored one by one; returns their points in all."""
        total = 0
        for supporter, receiver in edges:
            terms = self.scorer.terms(kind, supporter, receiver)
            total += sum(terms.values())
            self.pairs.append(self._pair(kind, supporter, receiver, terms))
        return total

    def add_city_pairs(self, columns: Sequence[Column], teachers: Mapping[str, int]) -> int:
        """City pairs of the chosen columns, each column's own terms shared out over its pairs."""
        total = 0
        for column in sorted(columns, key=lambda c: c.city):
            # institute_load is realised on the institute pairs themselves (add_institutes)
            shares = {
                name: share_out(points, {r: teachers.get(r, 0) for r in column.cities})
                for name, points in column.extras.items()
                if name != "institute_load"
            }
            for receiver in column.cities:
                terms = self.scorer.terms(Kind.CITY_CITY, column.city, receiver)
                for name, share in shares.items():
                    terms[name] = terms.get(name, 0) + share[receiver]
                total += sum(terms.values())
                self.pairs.append(self._pair(Kind.CITY_CITY, column.city, receiver, terms))
        return total

    def add_institutes(self, edges: Iterable[Edge], limit: int) -> int:
        """Institute pairs; an institute's partners beyond `limit` carry `institute_load`."""
        by_supporter: dict[str, list[str]] = defaultdict(list)
        for supporter, receiver in sorted(edges):
            by_supporter[supporter].append(receiver)
        points = self.scorer.weights.institute_load
        total = 0
        for supporter, receivers in sorted(by_supporter.items()):
            for index, receiver in enumerate(receivers):
                terms = {"institute_load": points} if index >= limit else {}
                total += sum(terms.values())
                self.pairs.append(self._pair(Kind.INSTITUTE_INSTITUTE, supporter, receiver, terms))
        return total

    def add_schools(self, kind: Kind, groups: Sequence[SchoolGroup], memo: Memo | None = None) -> int:
        """School pairs with their own terms, group by group; returns their points in all. With a
        memo, a group whose key an earlier plan met takes that plan's rows (a warm re-plan)."""
        total = 0
        for key, make in groups:
            full_key = (self.round, kind, key)
            rows: list[Pair] | None = None if memo is None else memo.get("school_rows", full_key)
            if rows is None:
                rows = [self._pair(kind, p.supporter_id, p.receiver_id, dict(p.terms)) for p in make()]
                if memo is not None:
                    memo.put("school_rows", full_key, rows, len(rows))
            self.pairs.extend(rows)
            total += sum(p.score_total for p in rows)
        return total

    def over_limit(self, kind: Kind, term: str) -> Counter[str]:
        """Supporters whose pairs of `kind` carry `term` (partners beyond a limit), and how many."""
        return Counter(p.supporter_id for p in self.pairs if p.kind == kind and term in p.score_terms)
