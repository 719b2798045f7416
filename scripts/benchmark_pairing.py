"""Benchmark of the structural pairing: prints objective, bound, gap, wall time and peak memory.

    python scripts/benchmark_pairing.py [--roster data/guangdong] [--scale 10] [--time-limit 60] [--workers 2]

Instances:
  guangdong   the nested city/county problem of the bundled roster (R01/R04), default rules;
  scaleN      N copies of it laid side by side on a grid (about 84·N receiving counties), each
              supporter city also allowed to take receiving cities of neighbouring copies at the
              extra travel distance. Guangdong's 4-digit city codes cannot hold N times its
              cities, so this instance is generated as the solver's plain indexed input.
Methods, each in its own process so that its peak memory (max RSS) is its own:
  ours        solver.pairing.nested: exact columns (all on guangdong; the nearest K cities on scaleN,
              with the no-nesting relaxation as proven bound) and a CP-SAT master;
  naive       one CP-SAT boolean per supporter unit × receiving county, linked to city pairs;
  greedy      largest receiving city first, cheapest supporter city that fits, nearest units;
  highs       the same column model as ours, solved as a MIP by HiGHS (an exact reference).
Also the whole structural plan (all seven kinds, solver.pairing.plan_pairs) on the bundled roster.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from solver import DEFAULT_RULES, PairingRequest, SolveOptions, load_roster, plan_pairs, relative_gap
from solver.pairing.columns import NestedProblem
from solver.pairing.nested import solve_nested
from solver.pairing.pins import PinSet
from solver.pairing.problems import nested_problem
from solver.pairing.scoring import Scorer

GRID_KM = 250  # spacing of the copies in the scaled instance


def guangdong_problem(roster_dir: Path) -> NestedProblem:
    roster = load_roster(roster_dir)
    scorer = Scorer.build(roster, DEFAULT_RULES.weights)
    return nested_problem(roster, scorer, PinSet(()), None)


def scaled_problem(base: NestedProblem, copies: int, candidate_cities: int) -> NestedProblem:
    """`copies` copies of `base` on a grid; edges within a copy and to neighbouring copies."""
    cols = math.ceil(math.sqrt(copies))
    where = {k: (k // cols, k % cols) for k in range(copies)}

    def extra(k: int, j: int) -> int | None:
        (a, b), (c, d) = where[k], where[j]
        if max(abs(a - c), abs(b - d)) > 1:
            return None
        return round(GRID_KM * math.hypot(a - c, b - d))

    def tag(i: str, k: int) -> str:
        return f"{i}#{k}"

    city_cost, unit_cost, school_cost = {}, {}, {}
    for k in range(copies):
        for j in range(copies):
            add = extra(k, j)
            if add is None:
                continue
            for (c, r), cost in base.city_cost.items():
                city_cost[(tag(c, k), tag(r, j))] = cost + add
            for (u, r), cost in base.unit_cost.items():
                unit_cost[(tag(u, k), tag(r, j))] = cost + add
            for (u, r), cost in base.school_cost.items():
                school_cost[(tag(u, k), tag(r, j))] = cost
    return NestedProblem(
        supporter_cities=[tag(c, k) for k in range(copies) for c in base.supporter_cities],
        city_capacity={tag(c, k): v for k in range(copies) for c, v in base.city_capacity.items()},
        receiving_cities=[tag(r, k) for k in range(copies) for r in base.receiving_cities],
        units_of={tag(c, k): [tag(u, k) for u in us] for k in range(copies) for c, us in base.units_of.items()},
        unit_capacity={tag(u, k): v for k in range(copies) for u, v in base.unit_capacity.items()},
        receivers_of={tag(c, k): [tag(r, k) for r in rs] for k in range(copies) for c, rs in base.receivers_of.items()},
        city_cost=city_cost,
        unit_cost=unit_cost,
        school_cost=school_cost,
        candidate_cities=candidate_cities,
    )


def _run(method: str, problem: NestedProblem, time_limit: float, workers: int, queue: mp.Queue) -> None:
    from pairing_baselines import greedy, highs_columns, naive_cp_sat

    options = SolveOptions(time_limit_s=time_limit, num_workers=workers)
    started = time.perf_counter()
    if method == "ours":
        result = solve_nested(problem, options)
        outcome = (result.part.objective, result.part.bound, f"{result.part.status} ({result.columns} columns)")
    elif method == "naive":
        outcome = naive_cp_sat(problem, options)
    elif method == "greedy":
        outcome = greedy(problem)
    else:
        outcome = highs_columns(problem, time_limit)
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((*outcome, wall, peak_mb))


def measure(method: str, problem: NestedProblem, time_limit: float, workers: int) -> tuple:
    ctx = mp.get_context("fork")
    queue: mp.Queue = ctx.Queue()
    process = ctx.Process(target=_run, args=(method, problem, time_limit, workers, queue))
    process.start()
    outcome = queue.get()
    process.join()
    return outcome


def _fmt(value: object) -> str:
    return "-" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roster", type=Path, default=Path("data/guangdong"))
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument(
        "--candidates", type=int, default=6, help="nearest receiving cities per supporter city (scaled)"
    )
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--methods", default="ours,naive,greedy,highs")
    args = parser.parse_args(argv)

    base = guangdong_problem(args.roster)
    instances = [("guangdong", base), (f"scale{args.scale}", scaled_problem(base, args.scale, args.candidates))]
    print(f"time limit {args.time_limit:g} s, {args.workers} CP-SAT workers, {mp.cpu_count()} cores")
    print(
        f"{'instance':<11} {'method':<7} {'objective':>10} {'bound':>10} {'gap':>9} {'wall s':>8} {'peak MB':>8}  status"
    )
    for name, problem in instances:
        counties = sum(len(v) for v in problem.receivers_of.values())
        print(
            f"# {name}: {len(problem.receiving_cities)} receiving cities, {counties} receiving counties, "
            f"{len(problem.supporter_cities)} supporter cities, {len(problem.unit_capacity)} supporter units"
        )
        for method in args.methods.split(","):
            objective, bound, status, wall, peak = measure(method, problem, args.time_limit, args.workers)
            gap = relative_gap(objective, bound)
            gap_text = "-" if gap is None else f"{gap:.3%}"
            print(
                f"{name:<11} {method:<7} {_fmt(objective):>10} {_fmt(bound):>10} {gap_text:>9} {wall:>8.2f} {peak:>8.0f}  {status}"
            )

    roster = load_roster(args.roster)
    started = time.perf_counter()
    result = plan_pairs(PairingRequest(roster, "2021-2025", options=SolveOptions(args.time_limit, args.workers)))
    wall = time.perf_counter() - started
    gap = "-" if result.gap is None else f"{result.gap:.3%}"
    print(
        f"# whole structural plan (seven kinds) on {args.roster}: {result.status}, objective {result.objective}, "
        f"bound {result.bound}, gap {gap}, {wall:.2f} s wall, {len(result.pairs)} pairs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
