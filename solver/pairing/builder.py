"""Chosen edges as Pair rows: names, the receiver's city, the distance and every score term."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from solver.domain.ids import city_id_of
from solver.domain.kinds import Kind
from solver.domain.pairs import Edge, Pair
from solver.pairing.derived import SchoolPair
from solver.pairing.pins import PinSet
from solver.pairing.scoring import Scorer
from solver.roster.models import Roster


class PairBuilder:
    def __init__(self, roster: Roster, round_id: str, scorer: Scorer, pins: PinSet):
        self.roster, self.round, self.scorer, self.pins = roster, round_id, scorer, pins
        self.pairs: list[Pair] = []

    def _seat(self, party_id: str) -> str:
        """The party whose seat stands for this one in distances (a school's area, an institute's area)."""
        if party_id in self.roster.schools:
            return self.roster.schools[party_id].area_id
        if party_id in self.roster.institutes:
            area = self.roster.institutes[party_id].area_id
            return area if area in self.roster.areas or area in self.roster.cities else city_id_of(area)
        return party_id

    def _pair(self, kind: Kind, supporter: str, receiver: str, terms: dict[str, int]) -> Pair:
        distance = self.scorer.distance(self._seat(supporter), self._seat(receiver))
        return Pair(
            round=self.round,
            kind=kind,
            supporter_id=supporter,
            supporter_name=self.roster.name_of(supporter),
            receiver_id=receiver,
            receiver_name=self.roster.name_of(receiver),
            receiver_city_id=self.roster.city_of(receiver),
            score_distance_km=round(distance, 1),
            score_terms=terms,
            pinned=self.pins.is_fixed(kind, supporter, receiver),
        )

    def add_scored(self, kind: Kind, edges: Iterable[Edge]) -> None:
        for supporter, receiver in edges:
            self.pairs.append(self._pair(kind, supporter, receiver, self.scorer.terms(kind, supporter, receiver)))

    def add_plain(self, kind: Kind, edges: Iterable[Edge]) -> None:
        """Pairs that carry no score term of their own (institutes follow their county pairs)."""
        for supporter, receiver in edges:
            self.pairs.append(self._pair(kind, supporter, receiver, {}))

    def add_schools(self, kind: Kind, pairs: Sequence[SchoolPair]) -> int:
        """School pairs with their `stage_mismatch` term; returns their points in all."""
        points = self.scorer.weights.stage_mismatch
        total = 0
        for pair in pairs:
            terms = {"stage_mismatch": points} if pair.mismatch and points else {}
            total += sum(terms.values())
            self.pairs.append(self._pair(kind, pair.supporter_id, pair.receiver_id, terms))
        return total
