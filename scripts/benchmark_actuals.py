"""Benchmark of the yearly cycle on the bundled plan: actuals in, assessment, re-plan of the years left.

    python scripts/benchmark_actuals.py [--roster data/guangdong] [--round 2021-2025]

Plans the round once (not timed), writes the first year's actuals with one receiving county
sent none of its teams, then times each step as the CLI and the service run them:

  template    the year's rows with empty delivered cells (solver.actuals_template)
  read        reading and validating the filled-in file (solver.read_actuals_csv)
  assess      the assessment (solver.assess) and its CSV and XLSX
  replan      the years left re-planned with the pairs kept, and both checks (solver.replan_round)
  pair xlsx   one city or county pair's own plan (solver.pair_xlsx_bytes), and all of them

and prints each wall time, the sizes, what the re-plan made up, and the process's peak memory.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solver

T = TypeVar("T")


def timed(name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    value = work()
    print(f"{name:<12} {time.perf_counter() - started:7.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roster", default="data/guangdong")
    parser.add_argument("--round", default="2021-2025")
    args = parser.parse_args()
    roster = solver.load_roster(args.roster)
    planned_round = solver.plan_round(solver.PairingRequest(roster, args.round))
    deployments = planned_round.deployments_csv()
    pairs = solver.read_pairs_csv(planned_round.pairs_csv())
    planned = solver.plan_rows(deployments)
    first, *rest = solver.round_years(args.round)
    template = timed("template", lambda: solver.actuals_template(deployments, first))
    rows = list(csv.DictReader(io.StringIO(template.decode("utf-8-sig"))))
    county = next(r["to_id"] for r in rows if r["flow"] == "teaching_team")
    for row in rows:
        if row["flow"] == "teaching_team" and row["to_id"] == county:
            row.update(delivered_teams="0", delivered_people="0")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=solver.ACTUAL_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8-sig")
    actuals = timed("read", lambda: solver.read_actuals_csv(data, "actuals.csv", args.round, planned, first))
    report = timed("assess", lambda: solver.assess(roster, args.round, planned, actuals, [first]))
    timed("assess csv", lambda: solver.assessment_csv_bytes(report))
    timed("assess xlsx", lambda: solver.assessment_xlsx_bytes(report))
    replan = timed(
        "replan",
        lambda: solver.replan_round(solver.ReplanRequest(roster, args.round, pairs, planned, actuals, rest[0])),
    )
    records = solver.table_records(deployments)
    chosen = [p for p in pairs if p.kind in solver.PAIR_PLAN_KINDS]
    years = solver.round_years(args.round)
    timed("pair xlsx", lambda: solver.pair_xlsx_bytes(chosen[0], records, years))
    timed(f"{len(chosen)} pairs", lambda: [solver.pair_xlsx_bytes(p, records, years) for p in chosen])
    deployment = replan.plan.deployment
    shortfalls = len(deployment.shortfalls) if deployment else 0
    print(
        f"{len(data):,} bytes of actuals, {len(actuals):,} rows; {len(report.measures):,} measures; "
        f"{county} scores {report.score_by_county()[county]}; carried {replan.carry}; "
        f"the re-plan passes the checker: {replan.plan.passes_checker}, shortfalls {shortfalls}"
    )
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
