"""Command line: `python -m solver validate DIR` (and, as the solver grows, `plan`)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from solver.problems import RosterError
from solver.roster import Role, Roster, UniversityKind, UniversityRole
from solver.roster_io import load_roster


def summary(roster: Roster) -> str:
    """Counts by table, zone, role, flag and city, as a coordinator would check them."""
    areas = list(roster.areas.values())
    lines = [
        f"cities {len(roster.cities)}: "
        + ", ".join(f"{zone} {n}" for zone, n in sorted(Counter(c.zone.value for c in roster.cities.values()).items()))
        + f"; receiving {len(roster.receiving_cities())}, supporting {len(roster.supporting_cities())}",
        f"areas {len(areas)}: "
        + ", ".join(f"{role} {n}" for role, n in sorted(Counter(a.role.value for a in areas).items())),
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
    lines.append("by city (receivers / supporters / schools):")
    receivers = Counter(a.city_id for a in areas if a.role == Role.RECEIVER)
    supporters = Counter(a.city_id for a in areas if a.role == Role.SUPPORTER)
    school_count = Counter(roster.areas[s.area_id].city_id for s in schools)
    for city in roster.cities.values():
        lines.append(
            f"  {city.city_id} {city.name} [{city.zone}]: "
            f"{receivers[city.city_id]} / {supporters[city.city_id]} / {school_count[city.city_id]}"
        )
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        roster = load_roster(args.directory)
    except RosterError as exc:
        print(f"{len(exc.problems)} problem(s) in roster {args.directory}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"roster {args.directory}: valid")
    print(summary(roster))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m solver", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a roster directory and print a summary")
    validate.add_argument("directory")
    validate.set_defaults(handler=cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)
