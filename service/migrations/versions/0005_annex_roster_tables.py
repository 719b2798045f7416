"""Every stored roster version gets the optional tables degrees.csv, silver.csv and budgets.csv (issue 12).

Versions stored before the tables existed had none: they get the empty table (the header only),
which is what a roster without the files means, so every version reads back whole and nothing a
coordinator stored changes. The headers are written here as they were when the tables came.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY = {
    "degrees": "area_id,principals_below,heads_below,teachers_below,source\n",
    "silver": "area_id,year,people,source\n",
    "budgets": "party_id,year,amount,purpose,source\n",
}


def upgrade() -> None:
    bind = op.get_bind()
    versions = [row[0] for row in bind.execute(sa.text("SELECT version FROM roster_versions"))]
    for table, text in EMPTY.items():
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        missing = [
            v
            for v in versions
            if bind.execute(
                sa.text("SELECT 1 FROM roster_version_tables WHERE version = :v AND table_name = :t"),
                {"v": v, "t": table},
            ).first()
            is None
        ]
        if not missing:
            continue
        if bind.execute(sa.text("SELECT 1 FROM table_blobs WHERE sha256 = :s"), {"s": sha}).first() is None:
            bind.execute(
                sa.text("INSERT INTO table_blobs (sha256, table_name, rows, content) VALUES (:s, :t, 0, :c)"),
                {"s": sha, "t": table, "c": text},
            )
        for v in missing:
            bind.execute(
                sa.text("INSERT INTO roster_version_tables (version, table_name, sha256) VALUES (:v, :t, :s)"),
                {"v": v, "t": table, "s": sha},
            )


def downgrade() -> None:
    """Nothing to undo: an empty table says what its absence said."""
