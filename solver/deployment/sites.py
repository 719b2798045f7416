"""Where people go: receiving schools that host teams, the teams' home schools, 乡镇 schools.

Teams are stationed at receiving schools, priority receivers first ('以…乡镇中小学校（含幼儿园）、
县域普通高中为重点帮扶对象', clause 1; R05/R21), schools before kindergartens, larger first, one team
per school, moving on to the next schools in that order each year so that a round reaches as
many schools as it can. A team's home site is the school whose posts its shadows take over
(R08, '在接受指导后接替组团支教教师的工作'): for a county partner, the receiving school's own partner
school (school_school) when it is in that unit, else the unit's largest school of the same
stage family; for a city partner, the largest such school of its supporting units; a university
or institute hosts the shadows itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from solver.deployment.parties import Network, SupporterKind
from solver.roster.fields import STAGE_FAMILY, Location, Stage
from solver.roster.models import Roster
from solver.roster.parties import School

CENTRAL_SCHOOL_STAGES = frozenset({Stage.PRIMARY, Stage.NINE_YEAR})


def landing_order(school: School) -> tuple[bool, bool, int, str]:
    return (not school.priority, school.stage == Stage.KINDERGARTEN, -school.teachers, school.school_id)


@dataclass
class Sites:
    roster: Roster
    network: Network

    def __post_init__(self) -> None:
        self.by_area: dict[str, list[School]] = defaultdict(list)
        for school in self.roster.schools.values():
            self.by_area[school.area_id].append(school)
        self.landing: dict[str, list[School]] = {a: sorted(s, key=landing_order) for a, s in self.by_area.items()}
        self._best: dict[tuple[str, str], str] = {}
        self._best_any: dict[str, str] = {}
        self._township: dict[str, list[School]] = {}  # county -> its 乡镇 schools for tours, largest first
        for area_id, schools in self.by_area.items():
            self._rank(area_id, schools)
        units_of_city: dict[str, list[School]] = defaultdict(list)
        for area in self.roster.supporter_areas():
            units_of_city[area.city_id].extend(self.by_area.get(area.area_id, []))
        for city_id, schools in units_of_city.items():
            self._rank(city_id, schools)

    def _rank(self, party: str, schools: list[School]) -> None:
        for school in sorted(schools, key=lambda s: (-s.teachers, s.school_id)):
            self._best.setdefault((party, STAGE_FAMILY[school.stage]), school.school_id)
            self._best_any.setdefault(party, school.school_id)

    def landing_schools(self, county: str, teams: int, year_index: int) -> list[str]:
        """The receiving schools of this year's teams: the next `teams` in landing order, cycling."""
        order = self.landing.get(county, [])
        if not order:
            return []
        start = year_index * teams
        return [order[(start + j) % len(order)].school_id for j in range(min(teams, len(order)))]

    def home_site(self, kind: SupporterKind, supporter: str, landing_school: str | None) -> str:
        """The site (a school, or the supporter itself) whose posts the shadows take over."""
        if kind not in (SupporterKind.COUNTY_PARTNER, SupporterKind.CITY_PARTNER):
            return supporter
        school = self.roster.schools.get(landing_school or "")
        if school is None:
            return self._best_any.get(supporter, supporter)
        partner = self.network.school_partner.get(school.school_id)
        if kind == SupporterKind.COUNTY_PARTNER and partner and self.roster.schools[partner].area_id == supporter:
            return partner
        family = STAGE_FAMILY[school.stage]
        return self._best.get((supporter, family)) or self._best_any.get(supporter, supporter)

    def group_member(self, county: str) -> str:
        """The receiving school that joins the county pair's education group (R18): the first priority school."""
        order = self.landing.get(county, [])
        return order[0].school_id if order else ""

    def township_school(self, county: str, year_index: int) -> str:
        """A 乡镇 school for a lecture tour (R22, '乡镇中心学校'), a different one each year where there are several."""
        if county not in self._township:
            schools = self.by_area.get(county, [])
            central = [s for s in schools if s.location == Location.TOWNSHIP and s.stage in CENTRAL_SCHOOL_STAGES]
            pool = central or [s for s in schools if s.location == Location.TOWNSHIP]
            self._township[county] = sorted(pool, key=lambda s: (-s.teachers, s.school_id))
        pool = self._township[county]
        return pool[year_index % len(pool)].school_id if pool else ""

    def principals(self, county: str) -> int:
        """Principals of a receiving county: one per school of the roster (the areas.csv estimate if none)."""
        return len(self.by_area.get(county, [])) or self.roster.areas[county].schools
