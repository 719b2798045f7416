"""Initial schema: content-addressed roster tables, roster versions, tokens, plans.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "roster_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("diff", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_roster_versions")),
    )
    op.create_table(
        "table_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_table_blobs")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=9), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("roster_version", sa.Integer(), nullable=False),
        sa.Column("base_plan_id", sa.Integer(), nullable=True),
        sa.Column("pins", sa.JSON(), nullable=False),
        sa.Column("rule_overrides", sa.JSON(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=True),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column("run_token", sa.String(length=36), nullable=True),
        sa.Column("progress", sa.JSON(), nullable=True),
        sa.Column("solve_status", sa.String(length=16), nullable=True),
        sa.Column("objective", sa.BigInteger(), nullable=True),
        sa.Column("bound", sa.BigInteger(), nullable=True),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("runtime_s", sa.Float(), nullable=True),
        sa.Column("passes_checker", sa.Boolean(), nullable=True),
        sa.Column("pairs_by_kind", sa.JSON(), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["base_plan_id"], ["plans.id"], name=op.f("fk_plans_base_plan_id_plans")),
        sa.ForeignKeyConstraint(["roster_version"], ["roster_versions.version"],
                                name=op.f("fk_plans_roster_version_roster_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index(op.f("ix_plans_status"), "plans", ["status"], unique=False)
    op.create_table(
        "roster_version_tables",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["table_blobs.sha256"],
                                name=op.f("fk_roster_version_tables_sha256_table_blobs")),
        sa.ForeignKeyConstraint(["version"], ["roster_versions.version"],
                                name=op.f("fk_roster_version_tables_version_roster_versions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("version", "table_name", name=op.f("pk_roster_version_tables")),
    )
    op.create_index(op.f("ix_roster_version_tables_sha256"), "roster_version_tables", ["sha256"], unique=False)
    op.create_table(
        "plan_files",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_plan_files_plan_id_plans"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("plan_id", "name", name=op.f("pk_plan_files")),
    )


def downgrade() -> None:
    op.drop_table("plan_files")
    op.drop_index(op.f("ix_roster_version_tables_sha256"), table_name="roster_version_tables")
    op.drop_table("roster_version_tables")
    op.drop_index(op.f("ix_plans_status"), table_name="plans")
    op.drop_table("plans")
    op.drop_table("table_blobs")
    op.drop_table("roster_versions")
    op.drop_table("api_tokens")
