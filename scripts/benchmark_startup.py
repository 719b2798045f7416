"""Cold start: how long a fresh `python -m solver validate` takes, and what the CLI and the service import.

    python scripts/benchmark_startup.py [--roster data/guangdong] [--runs 7]

Each run is a new process (nothing cached in memory but the OS's file cache): the wall time of
`python -m solver validate ROSTER` (median and fastest of the runs), the time to import the service's
app (`service.api.main`), and which heavy libraries each loads (OR-Tools, SciPy, NumPy, HiGHS,
openpyxl, networkx: a validate should load none of them).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("ortools", "scipy", "numpy", "highspy", "openpyxl", "networkx")


def _wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def _loaded(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True)
    last = (run.stdout.strip().splitlines() or [""])[-1]
    return [m for m in last.split(",") if m]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roster", default="data/guangdong")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    validate = [sys.executable, "-m", "solver", "validate", args.roster]
    service = [sys.executable, "-c", "import service.api.main"]
    for name, command in (("python -m solver validate " + args.roster, validate), ("import service.api.main", service)):
        times = [_wall(command) for _ in range(args.runs)]
        print(f"{name}: median {statistics.median(times):.2f} s, fastest {min(times):.2f} s ({args.runs} runs)")
    validate_code = (
        f"import solver.cli, contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        f"    solver.cli.main(['validate', {args.roster!r}])"
    )
    print(f"  loaded by validate: {', '.join(_loaded(validate_code)) or 'none of ' + ', '.join(HEAVY)}")
    print(f"  loaded by the service's import: {', '.join(_loaded('import service.api.main')) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
