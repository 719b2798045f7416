"""What a roster holds, counted as a coordinator checks it: by table, zone, role, flag and city."""

from __future__ import annotations

from collections import Counter

from solver.domain.ids import city_id_of
from solver.roster.fields import Role, UniversityKind, UniversityRole
from solver.roster.models import Roster, Table


def counts(roster: Roster) -> dict[str, int]:
    unis = roster.universities.values()
    return {
        **{t.value: len(roster.table(t)) for t in Table},
        "receiving_cities": len(roster.receiving_cities()),
        "supporting_cities": len(roster.supporting_cities()),
        "receiving_areas": len(roster.receivers()),
        "supporter_areas": len(roster.supporter_areas()),
        "other_areas": sum(a.role == Role.NONE for a in roster.areas.values()),
        "normal_university_supporters": sum(
            u.kind == UniversityKind.NORMAL and u.role == UniversityRole.SUPPORTER for u in unis
        ),
        "non_normal_university_supporters": sum(
            u.kind == UniversityKind.NON_NORMAL and u.role == UniversityRole.SUPPORTER for u in unis
        ),
        "priority_schools": sum(s.priority for s in roster.schools.values()),
    }


def summary(roster: Roster) -> str:
    """Counts by table, zone, role, flag and city, as lines of text."""
    areas = list(roster.areas.values())
    zones = Counter(c.zone.value for c in roster.cities.values())
    roles = Counter(a.role.value for a in areas)
    lines = [
        f"cities {len(roster.cities)}: "
        + ", ".join(f"{zone} {n}" for zone, n in sorted(zones.items()))
        + f"; receiving {len(roster.receiving_cities())}, supporting {len(roster.supporting_cities())}",
        f"areas {len(areas)}: " + ", ".join(f"{role} {n}" for role, n in sorted(roles.items())),
        "priority receivers: "
        + ", ".join(
            f"{flag} {sum(getattr(a, flag) for a in roster.receivers())}"
            for flag in ("central_soviet", "old_revolutionary", "ethnic")
        ),
    ]
    unis = list(roster.universities.values())
    for kind in UniversityKind:
        of_kind = [u for u in unis if u.kind == kind]
        taking_part = sum(u.role == UniversityRole.SUPPORTER for u in of_kind)
        lines.append(f"universities {kind}: {len(of_kind)} ({taking_part} supporters)")
    lines.append(f"institutes {len(roster.institutes)}")
    schools = list(roster.schools.values())
    lines.append(
        f"schools {len(schools)} ({sum(s.priority for s in schools)} priority receivers, "
        f"{sum(s.synthetic for s in schools)} synthetic)"
    )
    lines.append(
        f"ties {len(roster.ties)}, requests {len(roster.requests)}; degrees {len(roster.degrees)} "
        f"({sum(d.principals_below + d.heads_below for d in roster.degrees.values())} principals and heads, "
        f"{sum(d.teachers_below for d in roster.degrees.values())} teachers below target), "
        f"银龄 participants {sum(s.people for s in roster.silver.values())} in {len(roster.silver)} rows, "
        f"budgets {len(roster.budgets)}"
    )
    lines.append("by city (receivers / supporters / schools):")
    receivers = Counter(a.city_id for a in areas if a.role == Role.RECEIVER)
    supporters = Counter(a.city_id for a in areas if a.role == Role.SUPPORTER)
    school_count = Counter(city_id_of(s.area_id) for s in schools)
    for city in roster.cities.values():
        lines.append(
            f"  {city.city_id} {city.name} [{city.zone}]: "
            f"{receivers[city.city_id]} / {supporters[city.city_id]} / {school_count[city.city_id]}"
        )
    return "\n".join(lines)
