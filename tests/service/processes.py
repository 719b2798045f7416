"""Real processes of the service for the tests: `python -m service serve`, `uvicorn`, and
`python -m service worker`, each with its output collected by a thread (so its pipe never fills)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from service.core.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def settings_env(settings: Settings | None = None, **extra: object) -> dict[str, str]:
    """This process's environment without any service setting, then `settings` and `extra` as variables."""
    env = {k: v for k, v in os.environ.items() if k not in Settings.model_fields}
    if settings is not None:
        for name in Settings.model_fields:
            value = getattr(settings, name)
            if value is not None:
                env[name] = str(value)
    env.update({k: str(v) for k, v in extra.items() if v is not None})
    env["PYTHONPATH"] = str(ROOT)
    return env


class Process:
    """A process of the service; `output` is everything it printed so far."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], port: int | None = None):
        self.url = f"http://127.0.0.1:{port}" if port else ""
        self.proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.proc.poll() is None, f"the process exited:\n{self.output}"
            assert time.monotonic() < deadline, f"{text!r} not seen in {timeout} s:\n{self.output}"
            time.sleep(0.05)

    def wait_ready(self, timeout: float = 180) -> None:
        """An API process: until GET /health answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the service exited:\n{self.output}"
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the service did not start:\n{self.output}")

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM, then wait; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=10)
        return self.proc.returncode

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


def worker(settings: Settings, cwd: Path, **extra: object) -> Process:
    """A `python -m service worker` process, returned once it is ready."""
    process = Process([sys.executable, "-m", "service", "worker"], cwd, settings_env(settings, **extra))
    process.wait_for(" ready: ")
    return process
