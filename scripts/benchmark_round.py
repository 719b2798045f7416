"""Benchmark of a whole round: the structural pairs and five years of deployments, phase by phase.

    python scripts/benchmark_round.py [--roster data/guangdong] [--round 2021-2025] [--time-limit 30] [--workers 2]

Runs in a fresh process of its own (so that its peak memory is the round's) what
`python -m solver plan` does, timing each phase with the same functions plan_round calls:

  load        read and validate the roster CSVs (solver.load_roster)
  pairs       the seven kinds of structural pair (solver.pairing.plan_pairs)
  deployments the annual plan, every year of the round (solver.deployment.plan_deployments)
  csv         deployments.csv and pairs.csv as bytes
  check       the independent checkers: pairs (solver.check.check_pairs, via build_report) and
              deployments (solver.check.deployments)
  report      report.json as text

then `plan_round` end to end on the loaded roster, as the CLI and the service call it. Prints the
wall time of each phase, their total against the 10 s budget, the deployments' size and status,
and the peak resident memory (max RSS) of the process.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUDGET_S = 10.0
T = TypeVar("T")


def _timed(phases: list[tuple[str, float]], name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    value = work()
    phases.append((name, time.perf_counter() - started))
    return value


def run(roster_dir: Path, round_id: str, time_limit: float, workers: int) -> int:
    phases: list[tuple[str, float]] = []
    started = time.perf_counter()
    from solver import (
        DeploymentRequest,
        PairingRequest,
        SolveOptions,
        build_report,
        check_deployments,
        load_roster,
        pairs_csv_bytes,
        plan_deployments,
        plan_pairs,
        plan_round,
    )
    from solver.check import DEPLOYMENT_CHECKS

    phases.append(("import", time.perf_counter() - started))

    roster = _timed(phases, "load", lambda: load_roster(roster_dir))
    request = PairingRequest(roster, round_id, options=SolveOptions(time_limit_s=time_limit, num_workers=workers))
    result = _timed(phases, "pairs", lambda: plan_pairs(request))
    plan = _timed(
        phases,
        "deployments",
        lambda: plan_deployments(DeploymentRequest(roster, round_id, result.pairs, request.rules)),
    )
    data = _timed(phases, "csv", lambda: (plan.csv_bytes(), pairs_csv_bytes(result.pairs)))[0]
    report = _timed(
        phases,
        "check",
        lambda: build_report(
            roster,
            request.rules,
            result,
            (),
            check_deployments(roster, result.pairs, data, round_id, request.rules),
            DEPLOYMENT_CHECKS,
            plan.summary(),
        ),
    )
    _timed(phases, "report", lambda: report.json_text())

    total = sum(seconds for _, seconds in phases)
    print(
        f"roster {roster_dir}, round {round_id}: {len(roster.schools)} schools, {len(roster.receivers())} "
        f"receiving counties; {mp.cpu_count()} cores, {workers} CP-SAT workers"
    )
    for name, seconds in phases:
        print(f"  {name:<12} {seconds:7.2f} s")
    print(f"  {'total':<12} {total:7.2f} s  ({'within' if total <= BUDGET_S else 'OVER'} the {BUDGET_S:g} s budget)")
    print(
        f"  pairs: {result.status}, {len(result.pairs)}; deployments: {plan.status}, {len(plan.rows)} rows, "
        f"{len(data) / 1e6:.1f} MB, {len(plan.shortfalls)} shortfalls; checker: "
        f"{'passes' if report.passes_checker else str(report.violations) + ' violation(s)'}"
    )
    print(
        "  deployment flows per year: "
        + ", ".join(f"{p.name.split()[-1]} {p.runtime_s * 1000:.0f} ms" for p in plan.parts)
    )

    started = time.perf_counter()
    planned = plan_round(request)
    planned.pairs_csv(), planned.deployments_csv(), planned.report_json()
    end_to_end = time.perf_counter() - started
    print(f"  plan_round end to end (roster loaded, files as bytes): {end_to_end:.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (max RSS): {peak_mb:.0f} MB")
    return 0 if total <= BUDGET_S else 1


def _child(roster_dir: Path, round_id: str, time_limit: float, workers: int, queue: mp.Queue) -> None:
    queue.put(run(roster_dir, round_id, time_limit, workers))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roster", type=Path, default=Path("data/guangdong"))
    parser.add_argument("--round", default="2021-2025")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per CP-SAT sub-model")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    # A spawned process imports nothing of the parent's, so imports and memory are the round's own.
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(args.roster, args.round, args.time_limit, args.workers, queue))
    process.start()
    code = queue.get()
    process.join()
    return code


if __name__ == "__main__":
    sys.exit(main())
