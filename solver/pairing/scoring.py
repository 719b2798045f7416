"""The soft goals of the pairing objective, as named integer terms per candidate pair.

Every structural pair's score is the sum of its terms (lower is better), so the objective is
fully explained pair by pair. Each term is named as its weight in solver.rules.params.Weights.
Terms of one pair, here: `distance` (travel), `tie` (an existing tie the pair follows, R23),
`home_city` (a university with its own city), `continuity` (the previous round's pair kept),
`keep` (re-planning: a base pair kept), `priority` (R21: stronger supporters for
原中央苏区/革命老区/民族地区 receivers) and `balance` (support per receiving teacher). Terms of a
whole supporter city (`fairness`, `institute_load`) are in solver.pairing.columns; those of
school pairs (`stage_mismatch`, `family_mismatch`, `school_load`) in solver.pairing.schools.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from solver.domain.kinds import Kind
from solver.domain.pairs import Pair, PairKey
from solver.roster.fields import Role
from solver.roster.models import Roster
from solver.roster.parties import Area, City, University
from solver.rules.params import Weights

EARTH_RADIUS_KM = 6371.0
TIER_STRENGTH = {1: 1.0, 2: 0.6, 3: 0.3}  # R21 strength of a university by tier (planning default)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two seats."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


Party = City | Area | University


class Scorer:
    """Scores candidate pairs of a roster; `base` holds the pairs of a previous plan.

    The indexes it needs (parties by id, teachers per city, priority cities, the strongest
    supporters) are built once, so scoring the ~22,000 candidate pairs stays cheap.
    """

    def __init__(self, roster: Roster, weights: Weights, base: frozenset[PairKey] = frozenset(), replan: bool = False):
        self.roster = roster
        self.weights = weights
        self.base = base
        self.replan = replan  # base is the same round: minimise changes rather than reward continuity
        self.ties = {(tie.kind.value, tie.supporter_id, tie.receiver_id): tie.strength for tie in roster.ties.values()}
        self.parties: dict[str, Party] = {**roster.cities, **roster.areas, **roster.universities}
        self.city_teachers: dict[str, int] = {}
        flagged: dict[str, list[bool]] = {}
        for area in roster.areas.values():
            self.city_teachers[area.city_id] = self.city_teachers.get(area.city_id, 0) + area.teachers
            if area.role == Role.RECEIVER:
                flagged.setdefault(area.city_id, []).append(area.is_priority)
        self.priority_cities = {city for city, flags in flagged.items() if 2 * sum(flags) >= len(flags)}
        self.strongest = {
            "city": max((self.teachers(c.city_id) for c in roster.supporting_cities()), default=0),
            "area": max((a.teachers for a in roster.supporter_areas()), default=0),
        }

    @classmethod
    def build(cls, roster: Roster, weights: Weights, base: Iterable[Pair] = (), replan: bool = False) -> Scorer:
        return cls(roster, weights, frozenset(p.key for p in base), replan)

    def party(self, party_id: str) -> Party:
        return self.parties[party_id]

    def distance(self, supporter_id: str, receiver_id: str) -> float:
        s, r = self.parties[supporter_id], self.parties[receiver_id]
        return distance_km(s.lat, s.lon, r.lat, r.lon)

    def terms(self, kind: Kind, supporter_id: str, receiver_id: str) -> dict[str, int]:
        w = self.weights
        terms = {"distance": round(self.distance(supporter_id, receiver_id) * w.distance)}
        supporter = self.parties[supporter_id]
        strength = self.ties.get((kind.value, supporter_id, receiver_id))
        if strength:
            terms["tie"] = -w.tie * strength
        if isinstance(supporter, University) and supporter.city_id == self.roster.city_of(receiver_id):
            terms["home_city"] = w.home_city
        if (kind.value, receiver_id, supporter_id) in self.base:
            if self.replan:
                terms["keep"] = -w.keep
            else:
                terms["continuity"] = -w.continuity
        if self._priority(receiver_id):
            terms["priority"] = -round(w.priority * self._strength(supporter))
        shortfall = self.teachers(receiver_id) - self.teachers(supporter_id)
        if shortfall > 0 and not isinstance(supporter, University):
            terms["balance"] = round(w.balance * shortfall / 1000)
        return {name: value for name, value in terms.items() if value}

    def cost(self, kind: Kind, supporter_id: str, receiver_id: str) -> int:
        return sum(self.terms(kind, supporter_id, receiver_id).values())

    def costs(self, kind: Kind, supporters: Sequence[str], receivers: Sequence[str]) -> np.ndarray:
        """`cost` of every supporter × receiver at once (rows: supporters), the same terms rounded the
        same way: a national roster has ~740,000 candidate county pairs and ~1.2 million university ones."""
        w = self.weights
        s_parties = [self.parties[s] for s in supporters]
        r_parties = [self.parties[r] for r in receivers]
        s_lat, r_lat = np.radians([p.lat for p in s_parties]), np.radians([p.lat for p in r_parties])
        s_lon, r_lon = np.array([p.lon for p in s_parties]), np.array([p.lon for p in r_parties])
        dp = r_lat[None, :] - s_lat[:, None]
        dl = np.radians(r_lon[None, :] - s_lon[:, None])  # as distance_km: the difference, then radians
        a = np.sin(dp / 2) ** 2 + np.cos(s_lat)[:, None] * np.cos(r_lat)[None, :] * np.sin(dl / 2) ** 2
        total: np.ndarray = np.rint(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)) * w.distance).astype(np.int64)
        universities = np.array([isinstance(p, University) for p in s_parties])
        strength = np.array([-round(w.priority * self._strength(p)) for p in s_parties], dtype=np.int64)
        priority = np.array([self._priority(r) for r in receivers])
        total += np.where(priority[None, :], strength[:, None], 0)
        shortfall = (
            np.array([self.teachers(r) for r in receivers], dtype=np.int64)[None, :]
            - np.array([self.teachers(s) for s in supporters], dtype=np.int64)[:, None]
        )
        balance = np.rint(w.balance * shortfall / 1000).astype(np.int64)
        total += np.where((shortfall > 0) & ~universities[:, None], balance, 0)
        if universities.any():
            s_city = np.array([p.city_id if isinstance(p, University) else "" for p in s_parties])
            r_city = np.array([self.roster.city_of(r) for r in receivers])
            total += np.where(universities[:, None] & (s_city[:, None] == r_city[None, :]), w.home_city, 0)
        row = {s: i for i, s in enumerate(supporters)}
        col = {r: j for j, r in enumerate(receivers)}
        for (tie_kind, s, r), strength_of_tie in self.ties.items():
            if tie_kind == kind.value and s in row and r in col:
                total[row[s], col[r]] += -w.tie * strength_of_tie
        for base_kind, r, s in self.base:
            if base_kind == kind.value and s in row and r in col:
                total[row[s], col[r]] += -w.keep if self.replan else -w.continuity
        return total

    def teachers(self, party_id: str) -> int:
        party = self.parties[party_id]
        if isinstance(party, Area):
            return party.teachers
        if isinstance(party, City):
            return self.city_teachers.get(party.city_id, 0)
        return 0

    def _priority(self, receiver_id: str) -> bool:
        """A priority (R21) receiver: a flagged area, or a city most of whose receivers are flagged."""
        area = self.roster.areas.get(receiver_id)
        if area is not None:
            return area.is_priority
        return receiver_id in self.priority_cities

    def _strength(self, supporter: Party) -> float:
        """R21 strength in [0, 1]: teachers relative to the strongest supporter of its type, or tier."""
        if isinstance(supporter, University):
            return TIER_STRENGTH[supporter.tier]
        key = "city" if isinstance(supporter, City) else "area"
        return self.teachers(supporter.id) / self.strongest[key] if self.strongest[key] else 0.0
