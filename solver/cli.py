"""Command line: `python -m solver validate DIR` and `python -m solver plan ...`.

Exit codes: 0 success; 1 bad input (every problem printed with file, row and field);
2 no plan (infeasible or time limit; the explanation says which rules conflict);
3 a plan that the independent checker rejects.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from solver.deployment.plan import DeploymentPlan, DeploymentStatus
from solver.pairing.solve import PairingRequest
from solver.domain.pins import read_pins_csv
from solver.domain.pairs import read_pairs_csv
from solver.domain.policy import ROUNDS
from solver.domain.problems import RosterError
from solver.domain.results import SolveOptions
from solver.roster.models import Role, Roster, UniversityKind, UniversityRole
from solver.roster.io import load_roster
from solver.round.plan import plan_round
from solver.rules.catalogue import load_rules

EXIT_BAD_INPUT, EXIT_NO_PLAN, EXIT_CHECK_FAILED = 1, 2, 3


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


def _print_problems(exc: RosterError, what: str) -> int:
    print(f"{len(exc.problems)} problem(s) in {what}:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        roster = load_roster(args.directory)
        load_rules(args.directory)
    except RosterError as exc:
        return _print_problems(exc, f"roster {args.directory}")
    print(f"roster {args.directory}: valid")
    print(summary(roster))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    try:
        roster = load_roster(args.roster)
        rules = load_rules(args.roster)
        base = read_pairs_csv(Path(args.base).read_bytes(), Path(args.base).name) if args.base else []
        pins = read_pins_csv(Path(args.pins).read_bytes(), Path(args.pins).name) if args.pins else []
        request = PairingRequest(roster, args.round, rules, base, pins,
                                 SolveOptions(time_limit_s=args.time_limit, num_workers=args.workers))
        planned = plan_round(request)
    except RosterError as exc:
        return _print_problems(exc, "the input")
    result, report = planned.result, planned.report
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "pairs.csv").write_bytes(planned.pairs_csv())
    (out / "deployments.csv").write_bytes(planned.deployments_csv())
    (out / "report.json").write_text(planned.report_json(), encoding="utf-8")
    gap = "n/a" if result.gap is None else f"{result.gap:.4%}"
    print(f"round {result.round}: {result.status}; objective {result.objective}, bound {result.bound}, "
          f"gap {gap}, {result.runtime_s:.2f} s")
    for part in result.parts:
        print(f"  {part.name}: {part.status}, objective {part.objective}, bound {part.bound}, {part.runtime_s:.2f} s")
    print("  pairs: " + ", ".join(f"{k} {n}" for k, n in report["pairs_by_kind"].items()))
    _print_deployments(planned.deployment)
    if not result.status.has_plan:
        print("no plan: these rules cannot all hold together:", file=sys.stderr)
        for line in result.explanation:
            print(f"  - {line}", file=sys.stderr)
        return EXIT_NO_PLAN
    if not report["passes_checker"]:
        print(f"the checker found {report['violations']} violation(s); see {out / 'report.json'}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    print(f"checker: every hard rule passes; wrote {out / 'pairs.csv'}, {out / 'deployments.csv'} "
          f"and {out / 'report.json'}")
    return 0


SHORTFALLS_SHOWN = 20


def _print_deployments(deployment: DeploymentPlan | None) -> None:
    if deployment is None:
        return
    print(f"  deployments: {deployment.status}, {len(deployment.rows)} rows, {deployment.runtime_s:.2f} s")
    if deployment.status == DeploymentStatus.SHORT:
        print(f"deployments: {len(deployment.shortfalls)} shortfall(s), quotas the supporters cannot meet:",
              file=sys.stderr)
        for line in deployment.explanation[:SHORTFALLS_SHOWN]:
            print(f"  - {line}", file=sys.stderr)
        if len(deployment.explanation) > SHORTFALLS_SHOWN:
            print(f"  … and {len(deployment.explanation) - SHORTFALLS_SHOWN} more in report.json "
                  "(deployments.explanation) and deployments.csv (flow shortfall)", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m solver", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a roster directory and print a summary")
    validate.add_argument("directory")
    validate.set_defaults(handler=cmd_validate)
    plan = commands.add_parser("plan", help="pair every kind for one round, plan its yearly deployments, check both")
    plan.add_argument("--roster", required=True, help="roster directory (CSV tables, optional rules.toml)")
    plan.add_argument("--round", required=True, choices=ROUNDS)
    plan.add_argument("--out", required=True, help="output directory for pairs.csv, deployments.csv and report.json")
    plan.add_argument("--base", help="pairs.csv of a previous plan: same round = re-plan with fewest changes, "
                                     "earlier round = continuity")
    plan.add_argument("--pins", help="pins.csv: kind,supporter_id,receiver_id,action (fix|forbid)")
    plan.add_argument("--time-limit", type=float, default=30.0, help="seconds per sub-model (default 30)")
    plan.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    plan.set_defaults(handler=cmd_plan)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)
