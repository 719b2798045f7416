"""Who may stand on each side of a pair of each kind, and the partners a plan gives."""

from __future__ import annotations

from collections.abc import Sequence

from solver.check.common import Reason, label, of_kind, unique_partner, well_typed
from solver.domain.ids import INSTITUTE_PREFIX, area_of_institute, institute_id
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.roster.fields import Role, UniversityKind, UniversityRole
from solver.roster.models import Roster

# --- who may stand where --------------------------------------------------------------------


def supporter_area(roster: Roster, party_id: str) -> str | None:
    area = roster.areas.get(party_id)
    if area is None:
        return "is not a county-level unit of the roster"
    if area.role != Role.SUPPORTER:
        return f"is not a supporting county-level unit (its role is {area.role.value})"
    return None


def receiver_area(roster: Roster, party_id: str) -> str | None:
    area = roster.areas.get(party_id)
    if area is None:
        return "is not a county-level unit of the roster"
    if area.role != Role.RECEIVER:
        return f"is not one of the receiving counties (its role is {area.role.value})"
    return None


def receiving_city(roster: Roster, party_id: str) -> str | None:
    city = roster.cities.get(party_id)
    if city is None:
        return "is not a city of the roster"
    if not city.receives:
        return "is not a receiving city"
    return None


def supporting_city(roster: Roster, party_id: str) -> str | None:
    city = roster.cities.get(party_id)
    if city is None:
        return "is not a city of the roster"
    if not city.supports:
        return "is not a supporting city"
    return None


def university(kind: UniversityKind) -> Reason:
    def reason(roster: Roster, party_id: str) -> str | None:
        uni = roster.universities.get(party_id)
        if uni is None:
            return "is not a university of the roster"
        if uni.kind != kind:
            return f"is a {uni.kind.value} university, not a {kind.value} one"
        if uni.role != UniversityRole.SUPPORTER:
            return "does not take part (its role is none)"
        return None

    return reason


def receiving_city_or_area(roster: Roster, party_id: str) -> str | None:
    if party_id in roster.cities:
        return receiving_city(roster, party_id)
    if party_id in roster.areas:
        return receiver_area(roster, party_id)
    return "is neither a receiving city nor a receiving county of the roster"


def any_institute(roster: Roster, party_id: str) -> str | None:
    return None if party_id in roster.institutes else "is not a research institute of the roster"


def receiving_institute(roster: Roster, party_id: str) -> str | None:
    if party_id not in roster.institutes:
        return "is not a research institute of the roster"
    if not (party_id.startswith(INSTITUTE_PREFIX) and _receives(roster, area_of_institute(party_id))):
        return "is not a receiving institute (only those of receiving cities and receiving counties receive)"
    return None


def any_school(roster: Roster, party_id: str) -> str | None:
    return None if party_id in roster.schools else "is not a school of the roster"


def receiving_school(roster: Roster, party_id: str) -> str | None:
    school = roster.schools.get(party_id)
    if school is None:
        return "is not a school of the roster"
    area = roster.areas.get(school.area_id)
    if area is None or area.role != Role.RECEIVER:
        return f"is a school of {label(roster, school.area_id)}, which is not a receiving county"
    return None


def county_partners(roster: Roster, pairs: Sequence[Pair]) -> dict[str, str]:
    """Receiving county -> its county supporter, from well-formed county pairs, where it is unique."""
    county = well_typed(roster, of_kind(pairs, Kind.COUNTY_COUNTY), supporter_area, receiver_area)
    return unique_partner(county)


def city_partners(roster: Roster, pairs: Sequence[Pair]) -> dict[str, str]:
    """Receiving city -> its city supporter, from well-formed city pairs, where it is unique."""
    cities = well_typed(roster, of_kind(pairs, Kind.CITY_CITY), supporting_city, receiving_city)
    return unique_partner(p for p in cities if p.supporter_id != p.receiver_id)


def _receives(roster: Roster, unit: str) -> bool:
    """A receiving city or a receiving county (what receiving_institutes is made of)."""
    area, city = roster.areas.get(unit), roster.cities.get(unit)
    return (area is not None and area.role == Role.RECEIVER) or (city is not None and city.receives)


def receiving_institutes(roster: Roster) -> set[str]:
    """The institutes of receiving cities and of receiving counties that the roster holds."""
    units = [c.city_id for c in roster.receiving_cities()] + [a.area_id for a in roster.receivers()]
    return {institute_id(unit) for unit in units if institute_id(unit) in roster.institutes}
