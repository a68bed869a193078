"""outbox retention: an index for the purge of dispatched events

Revision ID: 20261125_outbox_retention
Revises: 20261124_webhooks
Create Date: 2026-11-23 03:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261125_outbox_retention"
down_revision: str | None = "20261124_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_events_dispatched_at",
        "outbox_events",
        ["dispatched_at"],
        unique=False,
        postgresql_where="dispatched_at IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_outbox_events_dispatched_at",
        table_name="outbox_events",
        postgresql_where="dispatched_at IS NOT NULL",
    )
