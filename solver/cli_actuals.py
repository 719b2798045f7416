"""Command line of the yearly cycle: `assess`, `pair-plans`, and `plan --actuals … --from-year`.

- `python -m solver assess --plan OUT --actuals FILE [FILE …]` assesses the recorded years of the
  plan in OUT (its deployments.csv and pairs.csv) and writes assessment.json, .csv and .xlsx.
- `python -m solver pair-plans --plan OUT [--pair SUPPORTER_RECEIVER …]` writes each city and
  county pair's own plan (结对帮扶工作方案) as OUT/pair_plans/SUPPORTER_RECEIVER.xlsx.
- `python -m solver plan --roster DIR --round R --out NEW --base OUT/pairs.csv --actuals FILE …
  --from-year 2022` re-plans the years from 2022 on with the structural pairs of OUT kept.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import solver

EXIT_BAD_INPUT = 1
SHOWN = 20


def _problems(exc: solver.InputError, what: str) -> int:
    print(f"{len(exc.problems)} problem(s) in {what}:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _round_of(pairs: list[solver.Pair], plan_dir: Path) -> str:
    rounds = {p.round for p in pairs}
    if len(rounds) != 1:
        raise solver.InputError([solver.Problem(str(plan_dir / "pairs.csv"), None, "round", "no single round")])
    return rounds.pop()


def read_actuals(files: list[str], round_id: str, planned: solver.PlanRows) -> list[solver.Actual]:
    """Every file's actuals; InputError with the problems of all of them."""
    found: list[solver.Actual] = []
    problems: list[solver.Problem] = []
    for name in files:
        path = Path(name)
        try:
            found += solver.read_actuals_csv(path.read_bytes(), path.name, round_id, planned)
        except solver.InputError as exc:
            problems += exc.problems
    if problems:
        raise solver.InputError(problems)
    keys = [solver.row_key(a.planned) for a in found]
    if len(set(keys)) != len(keys):
        raise solver.InputError([solver.Problem("actuals", None, None, "two files record the same row")])
    return found


def write_assessment(assessment: solver.AssessmentReport, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "assessment.json").write_text(assessment.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (out / "assessment.csv").write_bytes(solver.assessment_csv_bytes(assessment))
    (out / "assessment.xlsx").write_bytes(solver.assessment_xlsx_bytes(assessment))


def print_assessment(assessment: solver.AssessmentReport) -> None:
    years = ", ".join(map(str, assessment.years))
    low = [s for s in assessment.scores if s.score < 100]
    print(f"assessment of {years}: {len(assessment.scores)} receiving counties, {len(low)} below 100")
    for score in sorted(low, key=lambda s: (s.score, s.county_id))[:SHOWN]:
        print(f"  {score.name}（{score.county_id}） {score.score:g}")
    if assessment.behind:
        print(f"behind ({len(assessment.behind)}):")
        for line in assessment.behind[:SHOWN]:
            print(f"  - {line}")


def cmd_assess(args: argparse.Namespace) -> int:
    plan = Path(args.plan)
    try:
        pairs = solver.read_pairs_csv((plan / "pairs.csv").read_bytes(), "pairs.csv")
        round_id = _round_of(pairs, plan)
        planned = solver.plan_rows((plan / "deployments.csv").read_bytes())
        actuals = read_actuals(args.actuals, round_id, planned)
        source: solver.Roster | list[solver.Pair] = solver.load_roster(args.roster) if args.roster else pairs
        rules = solver.load_rules(args.roster) if args.roster else solver.DEFAULT_RULES
    except solver.InputError as exc:
        return _problems(exc, "the input")
    except FileNotFoundError as exc:
        print(f"{exc.filename}: not found (--plan names a folder written by python -m solver plan)", file=sys.stderr)
        return EXIT_BAD_INPUT
    assessment = solver.assess(source, round_id, planned, actuals, sorted({a.year for a in actuals}), rules)
    out = Path(args.out) if args.out else plan
    write_assessment(assessment, out)
    print_assessment(assessment)
    print(f"wrote {out / 'assessment.json'}, {out / 'assessment.csv'} and {out / 'assessment.xlsx'}")
    return 0


def cmd_pair_plans(args: argparse.Namespace) -> int:
    plan = Path(args.plan)
    try:
        pairs = solver.read_pairs_csv((plan / "pairs.csv").read_bytes(), "pairs.csv")
        records = solver.table_records((plan / "deployments.csv").read_bytes())
    except solver.InputError as exc:
        return _problems(exc, "the plan")
    except FileNotFoundError as exc:
        print(f"{exc.filename}: not found", file=sys.stderr)
        return EXIT_BAD_INPUT
    chosen = [p for p in pairs if p.kind in solver.PAIR_PLAN_KINDS]
    if args.pair:
        wanted = set(args.pair)
        chosen = [p for p in chosen if f"{p.supporter_id}_{p.receiver_id}" in wanted]
        missing = wanted - {f"{p.supporter_id}_{p.receiver_id}" for p in chosen}
        if missing:
            print(f"no city or county pair {', '.join(sorted(missing))} in {plan / 'pairs.csv'}", file=sys.stderr)
            return EXIT_BAD_INPUT
    out = plan / "pair_plans"
    out.mkdir(parents=True, exist_ok=True)
    years = solver.round_years(_round_of(pairs, plan))
    for pair in chosen:
        (out / solver.pair_file_name(pair)).write_bytes(solver.pair_xlsx_bytes(pair, records, years))
    print(f"wrote {len(chosen)} pair plan(s) to {out}")
    return 0


def replan(args: argparse.Namespace, roster: solver.Roster, rules: solver.RuleSet) -> solver.Replan:
    """`plan --actuals … --from-year Y`: InputError for bad actuals or a base without deployments."""
    if args.pins:
        raise solver.InputError(
            [solver.Problem("--pins", None, None, "a re-plan of the years left keeps the base's pairs: no pins")]
        )
    if not args.base or args.from_year is None or not args.actuals:
        raise solver.InputError(
            [solver.Problem("--actuals", None, None, "a re-plan needs --base OUT/pairs.csv, --actuals and --from-year")]
        )
    base = Path(args.base)
    pairs = solver.read_pairs_csv(base.read_bytes(), base.name)
    deployments = base.parent / "deployments.csv"
    if not deployments.exists():
        raise solver.InputError([solver.Problem(str(deployments), None, None, "the base plan's deployments.csv")])
    planned = solver.plan_rows(deployments.read_bytes())
    actuals = read_actuals(args.actuals, args.round, planned)
    return solver.replan_round(solver.ReplanRequest(roster, args.round, pairs, planned, actuals, args.from_year, rules))


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    assess = commands.add_parser("assess", help="assess a plan's recorded years from actuals files")
    assess.add_argument("--plan", required=True, help="a plan's output folder (pairs.csv, deployments.csv)")
    assess.add_argument("--actuals", required=True, nargs="+", help="actuals CSV files (docs/csv.md)")
    assess.add_argument("--roster", help="roster directory (names, receivers, rules.toml); else the plan's pairs")
    assess.add_argument("--out", help="where to write assessment.json/.csv/.xlsx (default: the plan's folder)")
    assess.set_defaults(handler=cmd_assess)
    pair_plans = commands.add_parser("pair-plans", help="write each city and county pair's own plan as XLSX")
    pair_plans.add_argument("--plan", required=True, help="a plan's output folder")
    pair_plans.add_argument("--pair", nargs="*", help="SUPPORTER_RECEIVER ids (default: every city and county pair)")
    pair_plans.set_defaults(handler=cmd_pair_plans)
