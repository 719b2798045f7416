"""Solve workers with leases, cancel, city-scoped tokens, the audit trail, 64-bit ids (issue 11).

- plans: the lease of the worker solving it (lease_owner, lease_expires_at, heartbeat_at),
  attempts (claims), cancel_requested_at and cancelled_by;
- api_tokens.city_id: a coordinator's scope;
- audit_events: who changed what, when, with which token;
- solve_workers: the live worker processes;
- on PostgreSQL every id column becomes BIGINT, so that any id the API accepts (up to 2**63-1)
  can be looked up (SQLite's INTEGER is 64-bit already).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# (table, column, nullable) of every id column made BIGINT on PostgreSQL.
ID_COLUMNS = [
    ("roster_versions", "version", False),
    ("roster_version_tables", "version", False),
    ("api_tokens", "id", False),
    ("web_sessions", "token_id", False),
    ("plans", "id", False),
    ("plans", "roster_version", False),
    ("plans", "base_plan_id", True),
    ("plan_files", "plan_id", False),
]
SEQUENCES = ["api_tokens_id_seq", "plans_id_seq"]


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("lease_expires_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("heartbeat_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("cancel_requested_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("cancelled_by", sa.String(length=100), nullable=True))
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("city_id", sa.String(length=6), nullable=True))
    op.create_table(
        "audit_events",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("token_id", BIG_ID, nullable=True),
        sa.Column("token_name", sa.String(length=100), nullable=False),
        sa.Column("token_city_id", sa.String(length=6), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=True),
        sa.Column("row_id", sa.String(length=64), nullable=True),
        sa.Column("roster_version", BIG_ID, nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"], unique=False)
    op.create_index("ix_audit_events_table_row", "audit_events", ["table_name", "row_id"], unique=False)
    op.create_table(
        "solve_workers",
        sa.Column("worker_id", sa.String(length=100), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("seen_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_solve_workers")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table, column, nullable in ID_COLUMNS:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=nullable)
        for sequence in SEQUENCES:
            op.execute(f"ALTER SEQUENCE {sequence} AS bigint")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for sequence in SEQUENCES:
            op.execute(f"ALTER SEQUENCE {sequence} AS integer")
        for table, column, nullable in ID_COLUMNS:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=nullable)
    op.drop_table("solve_workers")
    op.drop_index("ix_audit_events_table_row", table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_action"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_table("audit_events")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("city_id")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("cancelled_by")
        batch.drop_column("cancel_requested_at")
        batch.drop_column("attempts")
        batch.drop_column("heartbeat_at")
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_owner")
