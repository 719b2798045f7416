"""What the web pages read of a finished plan, parsed once and cached: its pairs, its deployment
rows and every party of its roster version with a place on the map.

A done plan never changes (its files are written once, with its final status), so a cache by
plan id needs no invalidation, only bounding; parties are cached by roster version likewise.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from service.crud import plans as plan_crud
from service.models import Plan
from service.roster_cache import RosterCache, _Lru, version_rows
from service.solving import DEPLOYMENTS_CSV, PAIRS_CSV
from solver import Area, City, Institute, Kind, Pair, Role, School, Table, University, read_pairs_csv

if TYPE_CHECKING:  # the why panel's alternatives are solved on demand; the models load then
    from solver import Alternative

PROVINCE_SEAT = "440100"
# The rules of the annual deployment plan (checked by solver.check_deployments): the yearly floors.
YEARLY_RULES = frozenset(
    {*(f"R{n:02d}" for n in range(7, 21)), "R22"}
)  # the provincial institute is drawn at Guangzhou


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    type: str  # city, area, university, institute, school
    city_id: str
    area_id: str  # the county-level unit it sits in (a city's own id for city-level parties)
    lon: float
    lat: float


@dataclass
class Parties:
    """Every party of a roster version by id, and the city names."""

    by_id: dict[str, Party]
    city_names: dict[str, str]
    receivers: list[str]  # the receiving county-level units

    def city_name(self, party_id: str) -> str:
        party = self.by_id.get(party_id)
        return self.city_names.get(party.city_id, "") if party else ""

    def point(self, party_id: str) -> tuple[float, float] | None:
        party = self.by_id.get(party_id)
        return (party.lon, party.lat) if party else None


def build_parties(rows: dict[Table, dict]) -> Parties:
    by_id: dict[str, Party] = {}
    cities: dict[str, City] = rows[Table.CITIES]
    areas: dict[str, Area] = rows[Table.AREAS]
    for c in cities.values():
        by_id[c.city_id] = Party(c.city_id, c.name, "city", c.city_id, c.city_id, c.lon, c.lat)
    for a in areas.values():
        by_id[a.area_id] = Party(a.area_id, a.name, "area", a.city_id, a.area_id, a.lon, a.lat)
    u: University
    for u in rows[Table.UNIVERSITIES].values():
        by_id[u.university_id] = Party(u.university_id, u.name, "university", u.city_id, u.city_id, u.lon, u.lat)
    i: Institute
    for i in rows[Table.INSTITUTES].values():
        seat = by_id.get(i.area_id) or by_id.get(i.city_id or PROVINCE_SEAT) or by_id.get(PROVINCE_SEAT)
        lon, lat = (seat.lon, seat.lat) if seat else (113.26, 23.13)
        by_id[i.institute_id] = Party(i.institute_id, i.name, "institute", i.city_id, i.area_id, lon, lat)
    s: School
    for s in rows[Table.SCHOOLS].values():
        area = areas.get(s.area_id)
        if area is not None:
            by_id[s.school_id] = Party(s.school_id, s.name, "school", area.city_id, s.area_id, area.lon, area.lat)
    return Parties(
        by_id,
        {c.city_id: c.name for c in cities.values()},
        sorted(a.area_id for a in areas.values() if a.role == Role.RECEIVER),
    )


@dataclass
class PlanData:
    plan_id: int
    round: str
    roster_version: int
    base_plan_id: int | None
    pairs: list[Pair]
    parties: Parties
    deployments_bytes: bytes | None
    _deployments: list[dict[str, str]] | None = field(default=None, repr=False)

    @property
    def deployments(self) -> list[dict[str, str]]:
        if self._deployments is None:
            if self.deployments_bytes is None:
                self._deployments = []
            else:
                text = self.deployments_bytes.decode("utf-8-sig")
                self._deployments = list(csv.DictReader(io.StringIO(text, newline="")))
        return self._deployments

    def of_kind(self, kind: Kind) -> list[Pair]:
        return [p for p in self.pairs if p.kind == kind]

    def supporter_area(self, pair: Pair) -> str:
        party = self.parties.by_id.get(pair.supporter_id)
        return party.area_id if party else ""

    def receiver_area(self, pair: Pair) -> str:
        party = self.parties.by_id.get(pair.receiver_id)
        return party.area_id if party else ""

    def supporter_city(self, pair: Pair) -> str:
        party = self.parties.by_id.get(pair.supporter_id)
        return party.city_id if party else ""

    def short_receivers(self) -> set[str]:
        """Receivers with a shortfall row in any year: they miss some yearly floor."""
        return {row["to_id"] for row in self.deployments if row["flow"] == "shortfall"}

    def figures(self, base: PlanData | None, report: dict | None) -> dict[str, object]:
        """The overview's key figures of this plan. A receiver misses a yearly floor when the plan has
        a shortfall row for it or the independent checker names it in a violated yearly rule."""
        rules = (report or {}).get("rules", [])
        failed = [r for r in rules if r["status"] == "fail"]
        short = self.short_receivers() | {
            i for r in failed if r["id"] in YEARLY_RULES for v in r["violations"] for i in v["ids"]
        }
        receivers = self.parties.receivers
        loads = Counter(p.supporter_id for p in self.of_kind(Kind.COUNTY_COUNTY))
        top = loads.most_common(1)
        kept = None
        if base is not None:
            old = {p.key for p in base.pairs}
            kept = {"kept": sum(p.key in old for p in self.pairs), "of": len(self.pairs), "base_plan_id": base.plan_id}
        distance_by_kind: dict[str, float] = defaultdict(float)
        for p in self.pairs:
            distance_by_kind[p.kind.value] += p.score_distance_km
        structural = [Kind.CITY_CITY, Kind.COUNTY_COUNTY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA]
        return {
            "receivers_meeting_floors": sum(r not in short for r in receivers),
            "receivers": len(receivers),
            "deployments_planned": self.deployments_bytes is not None,
            "kept_from_base": kept,
            "most_loaded": {
                "supporter_id": top[0][0],
                "supporter_name": self.parties.by_id[top[0][0]].name if top[0][0] in self.parties.by_id else top[0][0],
                "receivers": top[0][1],
                "kind": Kind.COUNTY_COUNTY.value,
            }
            if top
            else None,
            "rules_failed": [r["id"] for r in failed],
            "distance_km": round(sum(distance_by_kind[k.value] for k in structural), 1),
            "distance_km_by_kind": {k: round(v, 1) for k, v in distance_by_kind.items()},
        }


class WebCache:
    def __init__(self, plans: int = 4, versions: int = 4, answers: int = 64):
        self.plans: _Lru[int, PlanData] = _Lru(plans)
        self.parties: _Lru[int, Parties] = _Lru(versions)
        # alternatives re-solve the round: each answer is kept, as a done plan never changes
        self.answers: _Lru[tuple[int, tuple[str, str, str], int], list[Alternative]] = _Lru(answers)

    def alternatives(
        self, key: tuple[int, tuple[str, str, str], int], make: Callable[[], list[Alternative]]
    ) -> list[Alternative]:
        return self.answers.get_or_make(key, make)

    def parties_of(self, session: Session, rosters: RosterCache, version: int) -> Parties:
        return self.parties.get_or_make(version, lambda: build_parties(version_rows(session, rosters, version)))

    def plan(self, session: Session, rosters: RosterCache, plan: Plan) -> PlanData:
        """A done plan's data (the caller checks that it is done)."""

        def make() -> PlanData:
            pairs = read_pairs_csv(plan_crud.plan_file(session, plan.id, PAIRS_CSV) or b"")
            return PlanData(
                plan.id,
                plan.round,
                plan.roster_version,
                plan.base_plan_id,
                pairs,
                self.parties_of(session, rosters, plan.roster_version),
                plan_crud.plan_file(session, plan.id, DEPLOYMENTS_CSV),
            )

        return self.plans.get_or_make(plan.id, make)
