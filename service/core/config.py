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
    MAX_CONCURRENT_SOLVES: PositiveInt = Field(1, description="solves running at once (worker threads)")
    MAX_QUEUED_PLANS: PositiveInt = Field(20, description="plans waiting or running before POST /plans says 503")
    PROGRESS_INTERVAL_S: float = Field(0.5, ge=0, description="least time between two progress writes")
    MAX_UPLOAD_BYTES: PositiveInt = 64 * 1024 * 1024
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
