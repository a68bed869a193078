"""360° feedback: a published cycle's summary statistics, frozen with its reports.

Revision ID: 20261130_feedback_statistics
Revises: 20261129_feedback_default_q
Create Date: 2026-11-24 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261130_feedback_statistics"
down_revision: str | None = "20261129_feedback_default_q"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_cycle_statistics",
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["feedback_cycles.id"],
            name=op.f("fk_feedback_cycle_statistics_cycle_id_feedback_cycles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cycle_id", name=op.f("pk_feedback_cycle_statistics")),
    )


def downgrade() -> None:
    op.drop_table("feedback_cycle_statistics")
