"""Command line: `python -m solver validate DIR`, `python -m solver plan ...`, and the yearly
cycle's `assess` and `pair-plans` (solver.cli_actuals).

Exit codes: 0 success; 1 bad input (every problem printed with file, row and field);
2 no plan (infeasible or time limit; the explanation says which rules conflict);
3 a plan that the independent checker rejects.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import solver
from solver import cli_actuals
from solver.domain.results import DEFAULT_TIME_LIMIT_S, DEFAULT_WORKERS

EXIT_BAD_INPUT, EXIT_NO_PLAN, EXIT_CHECK_FAILED = 1, 2, 3
SHORTFALLS_SHOWN = 20


def _print_problems(exc: solver.InputError, what: str) -> int:
    print(f"{len(exc.problems)} problem(s) in {what}:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        roster = solver.load_roster(args.directory)
        solver.load_rules(args.directory)
    except solver.InputError as exc:
        return _print_problems(exc, f"roster {args.directory}")
    print(f"roster {args.directory}: valid")
    print(solver.summary(roster))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    try:
        roster = solver.load_roster(args.roster)
        rules = solver.load_rules(args.roster)
        base = solver.read_pairs_csv(Path(args.base).read_bytes(), Path(args.base).name) if args.base else []
        pins = solver.read_pins_csv(Path(args.pins).read_bytes(), Path(args.pins).name) if args.pins else []
        options = solver.SolveOptions(time_limit_s=args.time_limit, num_workers=args.workers)
        replanned = cli_actuals.replan(args, roster, rules) if args.actuals or args.from_year else None
        if replanned is None:
            planned = solver.plan_round(solver.PairingRequest(roster, args.round, rules, base, pins, options))
        else:
            planned = replanned.plan
    except solver.InputError as exc:
        return _print_problems(exc, "the input")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if replanned is not None:
        cli_actuals.write_assessment(replanned.assessment, out)
        cli_actuals.print_assessment(replanned.assessment)
    (out / "pairs.csv").write_bytes(planned.pairs_csv())
    (out / "deployments.csv").write_bytes(planned.deployments_csv())
    (out / "costs.csv").write_bytes(planned.costs_csv())
    (out / "report.json").write_text(planned.report_json(), encoding="utf-8")
    _print_result(planned, roster)
    if replanned is None and any(p.round == args.round for p in base):
        _print_changes(solver.change_chains(base, planned.result.pairs), roster)
    result, report = planned.result, planned.report
    if not result.status.has_plan:
        print("no plan: these rules cannot all hold together:", file=sys.stderr)
        for line in result.explanation:
            print(f"  - {line}", file=sys.stderr)
        return EXIT_NO_PLAN
    if not report.passes_checker:
        print(f"the checker found {report.violations} violation(s); see {out / 'report.json'}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    print(
        f"checker: every hard rule passes; wrote {out / 'pairs.csv'}, {out / 'deployments.csv'}, "
        f"{out / 'costs.csv'} and {out / 'report.json'}"
    )
    return 0


def _print_changes(chains: list[solver.Chain], roster: solver.Roster, shown: int = 5) -> None:
    """A re-plan's changes to the structural pairs, chain by chain (largest first)."""
    changed = sum(c.size for c in chains)
    print(f"changes against the base: {changed} structural pair(s) in {len(chains)} chain(s)")
    for number, chain in enumerate(chains[:shown], start=1):
        moves = [f"-{roster.name_of(p.supporter_id)}→{roster.name_of(p.receiver_id)}" for p in chain.removed]
        moves += [f"+{roster.name_of(p.supporter_id)}→{roster.name_of(p.receiver_id)}" for p in chain.added]
        print(f"  chain {number}: " + ", ".join(moves))
    if len(chains) > shown:
        print(f"  … and {len(chains) - shown} more chain(s)")


def _print_result(planned: solver.RoundPlan, roster: solver.Roster) -> None:
    result, report = planned.result, planned.report
    gap = "n/a" if result.gap is None else f"{result.gap:.4%}"
    print(
        f"round {result.round}: {result.status}; objective {result.objective}, bound {result.bound}, "
        f"gap {gap}, {result.runtime_s:.2f} s"
    )
    for part in result.parts:
        print(f"  {part.name}: {part.status}, objective {part.objective}, bound {part.bound}, {part.runtime_s:.2f} s")
    print("  pairs: " + ", ".join(f"{k} {n}" for k, n in report.pairs_by_kind.items()))
    if report.objective_by_kind:
        print("  objective by kind: " + ", ".join(f"{k} {n}" for k, n in report.objective_by_kind.items()))
    if report.supporters:
        print(
            "supporter cities (load ratio = receiving teachers ÷ own teachers, spread "
            f"{report.load_ratio_spread}; against the fair load of R24, spread {report.load_to_fair_spread}):"
        )
        for line in solver.supporter_table(report, roster.name_of):
            print(f"  {line}")
        print(
            "  pairs on an existing tie: "
            + ", ".join(f"{t.kind} {t.following_ties}/{t.pairs} ({t.ties} ties)" for t in report.ties if t.ties)
        )
    for line in report.over_limits:
        print(f"  over a limit: {line}")
    deployment = planned.deployment
    if deployment is None:
        return
    print(f"  deployments: {deployment.status}, {len(deployment.rows)} rows, {deployment.runtime_s:.2f} s")
    if report.deployments is not None:
        for line in solver.budget_lines(report.deployments):
            print(f"  {line}")
    if deployment.status == solver.DeploymentStatus.SHORT:
        print(
            f"deployments: {len(deployment.shortfalls)} shortfall(s), quotas the supporters cannot meet:",
            file=sys.stderr,
        )
        for line in deployment.explanation[:SHORTFALLS_SHOWN]:
            print(f"  - {line}", file=sys.stderr)
        if len(deployment.explanation) > SHORTFALLS_SHOWN:
            print(
                f"  … and {len(deployment.explanation) - SHORTFALLS_SHOWN} more in report.json "
                "(deployments.explanation) and deployments.csv (flow shortfall)",
                file=sys.stderr,
            )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m solver", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a roster directory and print a summary")
    validate.add_argument("directory")
    validate.set_defaults(handler=cmd_validate)
    plan = commands.add_parser("plan", help="pair every kind for one round, plan its yearly deployments, check both")
    plan.add_argument("--roster", required=True, help="roster directory (CSV tables, optional rules.toml)")
    plan.add_argument("--round", required=True, choices=list(_rounds()))
    plan.add_argument("--out", required=True, help="output directory for pairs.csv, deployments.csv and report.json")
    plan.add_argument(
        "--base",
        help="pairs.csv of a previous plan: same round = re-plan with fewest changes, earlier round = continuity",
    )
    plan.add_argument("--pins", help="pins.csv: kind,supporter_id,receiver_id,action (fix|forbid)")
    plan.add_argument(
        "--time-limit",
        type=_seconds,
        default=DEFAULT_TIME_LIMIT_S,
        help=f"seconds per sub-model, 0.1 to 3600 (default {DEFAULT_TIME_LIMIT_S:g})",
    )
    plan.add_argument(
        "--workers", type=_workers, default=DEFAULT_WORKERS, help=f"CP-SAT workers, 1 to 64 (default {DEFAULT_WORKERS})"
    )
    plan.add_argument(
        "--actuals",
        nargs="+",
        help="actuals CSV files of the base plan's years before --from-year: re-plan the years left, pairs kept",
    )
    plan.add_argument("--from-year", type=int, help="the first year to plan again (with --actuals and --base)")
    plan.set_defaults(handler=cmd_plan)
    cli_actuals.add_commands(commands)
    return parser


def _rounds() -> tuple[str, ...]:
    return tuple(solver.ROUNDS)


def _seconds(text: str) -> float:
    value = float(text)
    if not 0.1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text} is not between 0.1 and 3600 seconds")
    return value


def _workers(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"{text} is not between 1 and 64")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = args.handler
    return int(handler(args))
