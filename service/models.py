"""Database tables (SQLAlchemy 2 ORM). Alembic migrations in service/migrations mirror these."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Ids are 64-bit on PostgreSQL (migration 0003), so any id the API accepts (1..2**63-1) can be
# looked up without "integer out of range". SQLite's INTEGER is already 64-bit, and must stay
# INTEGER for a primary key to be the rowid (autoincrement).
BigId = BigInteger().with_variant(Integer(), "sqlite")
MAX_ID = 2**63 - 1

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class TableBlob(Base):
    """One roster table's canonical CSV text, stored once per distinct content (sha256)."""

    __tablename__ = "table_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32))
    rows: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text, deferred=True)


class RosterVersion(Base):
    """An accepted roster: who made it, when and what changed. Versions are never modified."""

    __tablename__ = "roster_versions"

    version: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[list[Any]] = mapped_column(default=list)
    diff: Mapped[dict[str, Any]] = mapped_column(default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RosterVersionTable(Base):
    __tablename__ = "roster_version_tables"

    version: Mapped[int] = mapped_column(
        BigId, ForeignKey("roster_versions.version", ondelete="CASCADE"), primary_key=True
    )
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("table_blobs.sha256"), index=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    city_id: Mapped[str | None] = mapped_column(String(6))
    """A coordinator's scope: it changes only rows of this city (None: the whole province)."""
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column()


class Plan(Base):
    """A plan request and, once solved, its result. The result columns and files are written in
    the same transaction as the final status, so a plan is either finished or has no result."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round: Mapped[str] = mapped_column(String(9))
    status: Mapped[str] = mapped_column(String(16), index=True)
    roster_version: Mapped[int] = mapped_column(BigId, ForeignKey("roster_versions.version"))
    base_plan_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("plans.id"))
    pins: Mapped[list[Any]] = mapped_column(default=list)
    rule_overrides: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True, nullable=False)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    run_token: Mapped[str | None] = mapped_column(String(36))
    # The lease of the worker solving the plan (service/worker.py): renewed by its heartbeat; once
    # lease_expires_at has passed, any worker may claim the plan again.
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column()
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cancel_requested_at: Mapped[datetime | None] = mapped_column()
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    solve_status: Mapped[str | None] = mapped_column(String(16))
    objective: Mapped[int | None] = mapped_column(BigInteger)
    bound: Mapped[int | None] = mapped_column(BigInteger)
    gap: Mapped[float | None] = mapped_column(Float)
    runtime_s: Mapped[float | None] = mapped_column(Float)
    passes_checker: Mapped[bool | None] = mapped_column(Boolean)
    pairs_by_kind: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    explanation: Mapped[list[Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)


class PlanFile(Base):
    """A plan's downloadable tables (pairs.csv, deployments.csv), in the CLI's exact bytes."""

    __tablename__ = "plan_files"

    plan_id: Mapped[int] = mapped_column(BigId, ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class WebSession(Base):
    """A browser sign-in (the web app): the cookie holds a random secret, stored here only as its
    sha256. Writes through the cookie must echo `csrf`. Revoking the token ends its sessions too."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(BigId, ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class AuditEvent(Base):
    """Who changed what, when, with which token: one row per changed roster row, per plan started
    or cancelled, per token created or revoked. Written in the same transaction as the change."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_table_row", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    token_id: Mapped[int | None] = mapped_column(BigId)
    token_name: Mapped[str] = mapped_column(String(100))
    token_city_id: Mapped[str | None] = mapped_column(String(6))
    action: Mapped[str] = mapped_column(String(40), index=True)
    table_name: Mapped[str | None] = mapped_column(String(32))
    row_id: Mapped[str | None] = mapped_column(String(64))
    roster_version: Mapped[int | None] = mapped_column(BigId)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SolveWorker(Base):
    """A live `python -m service worker` process, for /health and operators: it refreshes seen_at
    with its heartbeat and deletes its row when it stops."""

    __tablename__ = "solve_workers"

    worker_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    slots: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanActuals(Base):
    """What a plan's rows of one year delivered (the actuals CSV, canonical form). `version` counts
    the accepted uploads of that year and names them in the ETag ("actuals-2021-3")."""

    __tablename__ = "plan_actuals"

    plan_id: Mapped[int] = mapped_column(BigId, ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
