"""Settings: one class, read from the environment (and an optional .env file)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, PositiveFloat, PositiveInt
from pydantic_settings import BaseSettings, SettingsConfigDict

from solver import DEFAULT_SEED, DEFAULT_TIME_LIMIT_S, DEFAULT_WORKERS

_REPO_ROSTER = Path(__file__).resolve().parents[2] / "data" / "guangdong"


def _default_roster_dir() -> Path:
    # An editable install finds the bundled roster next to the package; an installed
    # copy (the Docker image) finds it relative to the working directory.
    return _REPO_ROSTER if _REPO_ROSTER.is_dir() else Path("data/guangdong")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    DATABASE_URL: str | None = Field(default=None, description="SQLAlchemy URL; unset means a SQLite file in DATA_DIR")
    DATA_DIR: Path = Path("var")
    ROSTER_DIR: Path = Field(
        default_factory=_default_roster_dir, description="the bundled roster, loaded as version 1 on first start"
    )
    SOLVE_TIME_LIMIT_S: PositiveFloat = Field(DEFAULT_TIME_LIMIT_S, description="CP-SAT time limit per sub-model")
    SOLVE_WORKERS: PositiveInt = Field(DEFAULT_WORKERS, description="CP-SAT search workers per solve")
    SOLVE_SEED: int = DEFAULT_SEED
    MAX_CONCURRENT_SOLVES: PositiveInt = Field(
        1, description="solves one worker process runs at once, each in a child process of its own"
    )
    MAX_QUEUED_PLANS: PositiveInt = Field(20, description="plans waiting or running before POST /plans says 503")
    PROGRESS_INTERVAL_S: float = Field(0.5, ge=0, description="least time between two progress writes")
    # Solve workers (service/worker.py): leases, heartbeats, deadlines.
    SERVE_SOLVE_WORKERS: int = Field(
        1, ge=0, le=64, description="worker processes `python -m service serve` starts beside the API"
    )
    WORKER_POLL_S: PositiveFloat = Field(
        1.0, description="how often a worker looks for queued plans and checks its running ones"
    )
    LEASE_S: PositiveFloat = Field(
        15.0, description="a claim lasts this long unless renewed; a worker renews it at every poll"
    )
    MAX_ATTEMPTS: PositiveInt = Field(
        3, description="claims of one plan before it is failed as a plan that kills workers"
    )
    STOP_GRACE_S: PositiveFloat = Field(
        2.0, description="time a solve has to stop by itself (cancel, overrun, shutdown) before it is killed"
    )
    PLAN_WALL_FACTOR: PositiveFloat = Field(
        8.0, description="a plan's wall-clock limit is this many times its per-sub-model time limit ..."
    )
    PLAN_WALL_MARGIN_S: float = Field(60.0, ge=0, description="... plus this margin; past it the solve is stopped")
    SOLVE_NICE: int = Field(
        19, ge=0, le=19, description="niceness of solve processes, so that the API keeps the CPU it needs"
    )
    MAX_UPLOAD_BYTES: PositiveInt = Field(64 * 1024 * 1024, description="largest roster upload (413 above)")
    MAX_BODY_BYTES: PositiveInt = Field(
        16 * 1024 * 1024, description="largest JSON request body (413 above); 50,000 changes take about 10 MB"
    )
    MAX_CONCURRENT_UPLOADS: PositiveInt = Field(
        1, description="uploads parsed at once per API process; others wait (their bodies spooled to disk)"
    )
    UPLOAD_WAIT_S: PositiveFloat = Field(120.0, description="how long an upload waits for its turn before 503")
    MAX_ERRORS: PositiveInt = Field(500, description="problems listed in one error response")
    ROSTER_CACHE_SIZE: PositiveInt = 4

    @cached_property
    def database_url(self) -> str:
        if not self.DATABASE_URL:
            return f"sqlite:///{(self.DATA_DIR / 'gd-pairing.sqlite3').resolve()}"
        url = self.DATABASE_URL
        # psycopg 3 is the installed driver; plain postgresql:// would ask for psycopg2.
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
