"""Benchmark of the service as it runs: real processes, real HTTP, a real database.

    python scripts/benchmark_service.py [--database-url URL] [--requests 400] [--plans 3]
                                        [--uploads 6] [--upload-mb 50] [--skip-latency] [--skip-uploads]

1. Latency while solving. An API process (`uvicorn service.app:app`) and a solve worker
   (`python -m service worker`) on a fresh database (SQLite in a temporary directory unless
   --database-url). `GET /rosters/current` is timed back to back while nothing runs (idle), then
   while plans of the bundled roster are being solved by the worker (its solve processes are
   niced, SOLVE_NICE); prints p50/p95/p99 of both and the ratio of the p95s (the aim: within 2×).

2. Memory during concurrent uploads. A fresh API process alone; `--uploads` clients send at the
   same moment a `--upload-mb` MB schools.csv each (the bundled schools repeated with new ids,
   with one bad cell in its last row, so that every upload is parsed and validated in full: the
   worst case). The API process's resident memory (VmRSS of /proc/PID/status) is sampled every
   20 ms: prints it idle, its peak, and after the uploads, against the bound stated in
   service/uploads.py (idle + 21 × MAX_UPLOAD_BYTES).

Figures are printed, never asserted: this is a measurement, not a test (the README quotes it).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.core.config import Settings  # noqa: E402
from service.core.db import make_engine, session_factory, write_session  # noqa: E402
from service.core.security import Role  # noqa: E402
from service.crud import tokens as token_crud  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(data_dir: Path, database_url: str | None, **extra: object) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in Settings.model_fields}
    env.update({"DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "WORKER_POLL_S": "0.5"})
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_api(cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service.app:app", "--port", str(port), "--log-level", "warning"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the API process did not start")


def start_worker(cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "service", "worker", "--log-level", "warning"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def token(env: dict[str, str], role: Role) -> str:
    settings = Settings(_env_file=None, DATA_DIR=Path(env["DATA_DIR"]), DATABASE_URL=env.get("DATABASE_URL"))
    engine = make_engine(settings)
    with write_session(session_factory(engine)) as session:
        _, secret = token_crud.create_token(session, "benchmark", role, "benchmark")
    engine.dispose()
    return secret


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


# --- 1. latency ---------------------------------------------------------------------------


def latency(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="gdp-bench-") as tmp:
        cwd = Path(tmp)
        env = environment(cwd / "var", args.database_url, SOLVE_TIME_LIMIT_S=30, **dict(args.env))
        api, url = start_api(cwd, env)
        worker = start_worker(cwd, env)
        try:
            secret = token(env, Role.COORDINATOR)
            client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=60)

            def timed() -> float:
                started = time.perf_counter()
                response = client.get("/rosters/current")
                assert response.status_code == 200, response.text
                return (time.perf_counter() - started) * 1000

            for _ in range(50):  # warm up: connections, caches
                timed()
            time.sleep(2)
            idle = [timed() for _ in range(args.requests)]
            busy: list[float] = []
            solved = 0
            for index in range(args.plans):
                plan_id = client.post("/plans", json={"round": ["2021-2025", "2026-2030"][index % 2]}).json()["id"]
                while client.get(f"/plans/{plan_id}").json()["status"] == "queued":
                    time.sleep(0.05)
                while True:
                    status = client.get(f"/plans/{plan_id}").json()["status"]
                    if status != "running":
                        break
                    busy += [timed() for _ in range(20)]
                solved += status == "done"
            client.close()
        finally:
            stop(worker)
            stop(api)
    i50, i95, i99 = percentiles(idle)
    b50, b95, b99 = percentiles(busy)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"GET /rosters/current on {backend}, {os.cpu_count()} cores, one API process and one worker process")
    print(f"  idle               {len(idle):5d} requests  p50 {i50:6.1f} ms  p95 {i95:6.1f} ms  p99 {i99:6.1f} ms")
    print(f"  while solving      {len(busy):5d} requests  p50 {b50:6.1f} ms  p95 {b95:6.1f} ms  p99 {b99:6.1f} ms")
    print(f"  p95 while solving / p95 idle = {b95 / i95:.2f}  ({solved} of {args.plans} plans done)")


# --- 2. uploads ---------------------------------------------------------------------------


def big_schools_csv(megabytes: int) -> bytes:
    """The bundled schools.csv repeated with fresh ids up to `megabytes`, its last row's teachers -1."""
    text = (ROOT / "data" / "guangdong" / "schools.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    teachers = header.index("teachers")

    def line(cells: list[str]) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(cells)
        return out.getvalue().encode("utf-8")

    lines, size, sequence, target = [line(header)], 0, 0, megabytes * 1024 * 1024
    while size < target:
        for row in body:
            sequence += 1
            lines.append(line([row[0][:4] + f"{sequence % 1_000_000:06d}", *row[1:]]))
            size += len(lines[-1])
            if size >= target:
                break
    last = next(csv.reader([lines[-1].decode("utf-8")]))
    last[teachers] = "-1"
    lines[-1] = line(last)
    return b"".join(lines)


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def uploads(args: argparse.Namespace) -> None:
    body = big_schools_csv(args.upload_mb)
    with tempfile.TemporaryDirectory(prefix="gdp-bench-") as tmp:
        cwd = Path(tmp)
        env = environment(cwd / "var", args.database_url, **dict(args.env))
        api, url = start_api(cwd, env)
        try:
            secret = token(env, Role.COORDINATOR)
            headers = {"Authorization": f"Bearer {secret}"}
            with httpx.Client(base_url=url, headers=headers, timeout=600) as client:
                etag = client.get("/rosters/current").headers["etag"]
                # Warm up: the current roster's rows parsed and cached, as after any first edit.
                client.get("/web/rosters/current/schools", params={"limit": 1})
            time.sleep(1)
            idle = rss_mb(api.pid)
            samples: list[float] = []
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    samples.append(rss_mb(api.pid))
                    time.sleep(0.02)

            sampler = threading.Thread(target=sample)
            sampler.start()

            def send(_: int) -> tuple[int, float]:
                started = time.monotonic()
                with httpx.Client(base_url=url, headers=headers, timeout=900) as one:
                    response = one.put("/rosters/current/schools.csv", content=body, headers={"If-Match": etag})
                return response.status_code, time.monotonic() - started

            started = time.monotonic()
            with ThreadPoolExecutor(args.uploads) as pool:
                answers = list(pool.map(send, range(args.uploads)))
            took = time.monotonic() - started
            time.sleep(2)
            done.set()
            sampler.join()
            after = rss_mb(api.pid)
        finally:
            stop(api)
    limit_mb = Settings(_env_file=None).MAX_UPLOAD_BYTES / 1024 / 1024
    bound = idle + 21 * limit_mb
    rows = body.count(b"\n") - 1
    print(
        f"{args.uploads} concurrent uploads of a {len(body) / 1024 / 1024:.0f} MB schools.csv "
        f"({rows} rows, each refused in full: one bad cell in its last row)"
    )
    print(f"  answers: {sorted(a for a, _ in answers)} in {took:.1f} s (slowest {max(t for _, t in answers):.1f} s)")
    print(f"  API process RSS: idle {idle:.0f} MB, peak {max(samples):.0f} MB, after {after:.0f} MB")
    print(
        f"  bound: idle + 21 × MAX_UPLOAD_BYTES ({limit_mb:.0f} MB) = {bound:.0f} MB; "
        f"peak {'within' if max(samples) <= bound else 'ABOVE'} it"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL URL (default: SQLite in a temporary directory)"
    )
    parser.add_argument("--requests", type=int, default=400, help="idle requests to time")
    parser.add_argument("--plans", type=int, default=3, help="plans solved while timing")
    parser.add_argument("--uploads", type=int, default=6)
    parser.add_argument("--upload-mb", type=int, default=50)
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        type=lambda text: tuple(text.split("=", 1)),
        help="a setting of the benchmarked processes, NAME=VALUE (e.g. SOLVE_NICE=19); repeatable",
    )
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-uploads", action="store_true")
    args = parser.parse_args()
    if not args.skip_latency:
        latency(args)
    if not args.skip_uploads:
        uploads(args)


if __name__ == "__main__":
    main()
