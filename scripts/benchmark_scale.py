"""How the cost of a whole round grows with the roster: time and memory of each phase at 1×, 3× and 10×,
beside the naive model, the greedy baseline and the exact reference, in one run; a plot into docs/.

    python scripts/benchmark_scale.py [--sizes 1,3,10] [--time-limit 30] [--baseline-limit 60]
                                      [--plot docs/speed.png] [--work /tmp/gd-scale]

Sizes, by receiving counties (Guangdong has 84):
  1×   data/guangdong, the bundled roster (84 receiving counties, 23,424 schools);
  3×   scripts/generate_national.py --scale 0.3 (252 receiving counties in 45 cities, 58,394 schools);
  10×  scripts/generate_national.py --scale 1 (840 receiving counties in 150 cities, 191,847
       schools, 1,500 universities): the national-scale roster, seed 20210816.
Each size's round runs in a fresh spawned process, phase after phase, as `python -m solver plan`
does: load (read and validate the CSVs), pairs (the seven kinds), deployments (five years), check
(both independent checkers and the report), csv (pairs.csv, deployments.csv and report.json
written). Time is wall time; memory is the process's resident high-water mark (max RSS) after the
phase, so it never falls: the last is the round's peak.
Then the nested city/county part alone (R01/R04, the hard one) by four methods, each in a forked
process of its own with the problem built by the parent (so each peak includes the problem):
  ours     solver.pairing.nested (exact columns, or column generation with a Lagrangian bound);
  naive    one CP-SAT boolean per supporter unit × receiving county, linked to city pairs
           (memory capped at 3 GiB: beyond, it is reported as out of memory);
  greedy   largest receiving city first, cheapest supporter city that fits, nearest units;
  highs    the initial column set solved as a MIP by HiGHS: exact on 1×, where that set is
           complete; on 3× and 10× only an upper bound (the set is the nearest cities').
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_SCALE = {1: None, 3: 0.3, 10: 1.0}  # size → generate_national.py --scale (None: the bundled roster)
PHASES = ("load", "pairs", "deployments", "check", "csv")
NAIVE_MEMORY = 3 * 1024**3


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _round(roster_dir: str, time_limit: float, queue: mp.Queue) -> None:
    """One whole round, phase by phase, in this (fresh) process."""
    measured: dict[str, tuple[float, float]] = {}
    started = time.perf_counter()
    import solver
    from solver.check import DEPLOYMENT_CHECKS

    measured["import"] = (time.perf_counter() - started, _rss_mb())

    def timed(name: str, work):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        value = work()
        measured[name] = (time.perf_counter() - began, _rss_mb())
        return value

    roster = timed("load", lambda: solver.load_roster(roster_dir))
    request = solver.PairingRequest(roster, "2021-2025", options=solver.SolveOptions(time_limit_s=time_limit))
    result = timed("pairs", lambda: solver.plan_pairs(request))
    plan = timed(
        "deployments",
        lambda: solver.plan_deployments(solver.DeploymentRequest(roster, "2021-2025", result.pairs, request.rules)),
    )

    def check():  # type: ignore[no-untyped-def]
        rows = plan.csv_bytes()
        violations = solver.check_deployments(roster, result.pairs, rows, "2021-2025", request.rules)
        return solver.build_report(roster, request.rules, result, (), violations, DEPLOYMENT_CHECKS, plan.summary())

    report = timed("check", check)

    def write() -> int:
        with tempfile.TemporaryDirectory() as out:
            files = {
                "pairs.csv": solver.pairs_csv_bytes(result.pairs),
                "deployments.csv": plan.csv_bytes(),
                "report.json": report.json_text().encode(),
            }
            for name, data in files.items():
                (Path(out) / name).write_bytes(data)
            return sum(len(data) for data in files.values())

    size = timed("csv", write)
    queue.put(
        {
            "phases": measured,
            "status": str(result.status),
            "objective": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "passes": report.passes_checker,
            "pairs": len(result.pairs),
            "rows": len(plan.rows),
            "bytes": size,
            "counties": len(roster.receivers()),
            "schools": len(roster.schools),
        }
    )


def _method(method: str, problem, time_limit: float, queue: mp.Queue) -> None:  # type: ignore[no-untyped-def]
    from pairing_baselines import greedy, highs_columns, naive_cp_sat

    from solver import SolveOptions
    from solver.pairing.nested import solve_nested

    options = SolveOptions(time_limit_s=time_limit)
    started = time.perf_counter()
    try:
        if method == "ours":
            found = solve_nested(problem, options)
            outcome = (found.part.objective, found.part.bound, f"{found.part.status} ({found.columns} columns)")
        elif method == "naive":
            resource.setrlimit(resource.RLIMIT_AS, (NAIVE_MEMORY, NAIVE_MEMORY))
            outcome = naive_cp_sat(problem, options)
        elif method == "greedy":
            outcome = greedy(problem)
        else:
            outcome = highs_columns(problem, time_limit)
    except MemoryError:
        outcome = (None, None, f"out of memory (cap {NAIVE_MEMORY / 1024**3:.0f} GiB)")
    queue.put((*outcome, time.perf_counter() - started, _rss_mb()))


def _in_process(ctx: mp.context.BaseContext, target, *args) -> object:  # type: ignore[no-untyped-def]
    queue = ctx.Queue()  # type: ignore[attr-defined]
    process = ctx.Process(target=target, args=(*args, queue))  # type: ignore[attr-defined]
    process.start()
    process.join()
    if process.exitcode != 0 and queue.empty():
        return None
    return queue.get()


def roster_for(size: int, work: Path) -> Path:
    scale = NATIONAL_SCALE[size]
    if scale is None:
        return ROOT / "data" / "guangdong"
    from generate_national import main as generate

    out = work / f"national-{scale:g}"
    if not (out / "schools.csv").exists():
        generate([str(out), "--scale", str(scale)])
    return out


def nested_of(roster_dir: Path):  # type: ignore[no-untyped-def]
    from solver import DEFAULT_RULES, load_roster
    from solver.pairing.pins import PinSet
    from solver.pairing.problems import nested_problem
    from solver.pairing.scoring import Scorer

    roster = load_roster(roster_dir)
    return nested_problem(roster, Scorer.build(roster, DEFAULT_RULES.weights), PinSet(()), None, DEFAULT_RULES)


def _gap(objective: int | None, bound: int | None) -> str:
    from solver import relative_gap

    gap = relative_gap(objective, bound)
    return "-" if gap is None else f"{gap:.3%}"


def _ran(by_method: dict[str, tuple], method: str) -> bool:
    """Measured: the method ran to its end (a process that died or was stopped has no figures)."""
    return method in by_method and by_method[method][2] != "process died"


def plot(rounds: dict[int, dict], methods: dict[int, dict[str, tuple]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(rounds)
    counties = [rounds[s]["counties"] for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    bottom = [0.0] * len(sizes)
    for phase in PHASES:
        seconds = [rounds[s]["phases"][phase][0] for s in sizes]
        left.bar([str(c) for c in counties], seconds, bottom=bottom, label=phase)
        bottom = [b + v for b, v in zip(bottom, seconds, strict=True)]
    for method, marker in (("naive", "x"), ("highs", "s"), ("ours", "o")):
        walls = [methods[s][method][3] if _ran(methods.get(s, {}), method) else None for s in sizes]
        points = [(str(c), w) for c, w in zip(counties, walls, strict=True) if w is not None]
        if points:
            left.plot(
                *zip(*points, strict=True), marker=marker, color="black", linestyle=":", label=f"{method} (nested)"
            )
    left.set_xlabel("receiving counties (1×, 3×, 10×)")
    left.set_ylabel("wall time, s")
    left.set_title("A whole round by phase, and the nested part by method")
    left.legend(fontsize=8)
    peaks = [rounds[s]["phases"]["csv"][1] for s in sizes]
    right.plot(counties, peaks, marker="o", label="whole round (max RSS)")
    for method in ("naive", "highs", "ours"):
        points = [
            (c, methods[s][method][4]) for s, c in zip(sizes, counties, strict=True) if _ran(methods.get(s, {}), method)
        ]
        if points:
            right.plot(*zip(*points, strict=True), marker=".", linestyle=":", label=f"{method} (nested)")
    right.set_xscale("log")
    right.set_xlabel("receiving counties")
    right.set_ylabel("peak memory, MB")
    right.set_title("Peak memory")
    right.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,3,10")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per sub-model of the round")
    parser.add_argument("--baseline-limit", type=float, default=60.0, help="seconds for naive and highs")
    parser.add_argument("--methods", default="ours,naive,greedy,highs")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "speed.png")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gd-scale")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--from-json", type=Path, help="print and plot the figures of an earlier --json run")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{mp.cpu_count()} cores; round sub-model limit {args.time_limit:g} s, baselines {args.baseline_limit:g} s")

    rounds: dict[int, dict] = {}
    methods: dict[int, dict[str, tuple]] = {}
    if args.from_json:
        earlier = json.loads(args.from_json.read_text())
        rounds = {int(k): v for k, v in earlier["rounds"].items()}
        methods = {int(k): {m: tuple(v) for m, v in by.items()} for k, by in earlier["methods"].items()}
        sizes = []
    spawn, fork = mp.get_context("spawn"), mp.get_context("fork")
    for size in sizes:
        roster_dir = roster_for(size, args.work)
        found = _in_process(spawn, _round, str(roster_dir), args.time_limit)
        if not isinstance(found, dict):
            print(f"{size}×: the round's process died")
            continue
        rounds[size] = found
        problem = nested_of(roster_dir)
        methods[size] = {}
        for method in args.methods.split(","):
            limit = args.time_limit if method == "ours" else args.baseline_limit
            outcome = _in_process(fork, _method, method, problem, limit)
            methods[size][method] = outcome if isinstance(outcome, tuple) else (None, None, "process died", 0.0, 0.0)
        del problem

    print()
    header = "".join(f"{p:>17}" for p in PHASES)
    print(f"{'size':<5}{'counties':>9}{'schools':>9}{header}{'total s':>9}{'peak MB':>9}  structural part")
    print(f"{'':<23}" + "".join(f"{'s':>9}{'MB':>8}" for _ in PHASES))
    for size, r in rounds.items():
        cells = "".join(f"{r['phases'][p][0]:>9.2f}{r['phases'][p][1]:>8.0f}" for p in PHASES)
        total = sum(r["phases"][p][0] for p in PHASES)
        gap = "-" if r["gap"] is None else f"{r['gap']:.3%}"
        checker = "passes both checkers" if r["passes"] else "REJECTED by the checker"
        print(
            f"{str(size) + '×':<5}{r['counties']:>9}{r['schools']:>9}{cells}{total:>9.2f}{r['phases']['csv'][1]:>9.0f}  "
            f"{r['status']}, gap {gap}; {r['pairs']} pairs, {r['rows']} deployment rows; {checker}"
        )
    print()
    print(f"{'size':<5}{'method':<8}{'objective':>11}{'bound':>11}{'gap':>9}{'wall s':>9}{'peak MB':>9}  status")
    for size, by_method in methods.items():
        for method, (objective, bound, status, wall, peak) in by_method.items():
            print(
                f"{str(size) + '×':<5}{method:<8}{objective if objective is not None else '-':>11}"
                f"{bound if bound is not None else '-':>11}{_gap(objective, bound):>9}{wall:>9.2f}{peak:>9.0f}  {status}"
            )
    if args.json:
        args.json.write_text(json.dumps({"rounds": rounds, "methods": methods}, indent=1, default=str))
    if rounds:
        plot(rounds, methods, args.plot)
        print(f"\nplot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
