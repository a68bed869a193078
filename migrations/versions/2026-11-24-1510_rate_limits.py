"""rate limit windows shared by every process

Revision ID: 20261127_rate_limits
Revises: 20261127_import_errors_id
Create Date: 2026-11-24 15:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261127_rate_limits"
down_revision: str | None = "20261127_import_errors_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # UNLOGGED: a minute's counts need no write-ahead log; a crash only empties the table.
    op.create_table(
        "rate_limit_windows",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "minute", name="pk_rate_limit_windows"),
        prefixes=["UNLOGGED"],
    )


def downgrade() -> None:
    op.drop_table("rate_limit_windows")
