"""who recorded each SKP rating; the NIP an audit entry concerns

Revision ID: 20261126_rating_recorders
Revises: 20261125_outbox_retention
Create Date: 2026-11-24 14:00:00+00:00

Ratings recorded before this revision were HR's (the API let supervisors write only since
the profiles landed, and imports are HR's): they are marked so, with an unknown recorder.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261126_rating_recorders"
down_revision: str | None = "20261125_outbox_retention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("performance_ratings", sa.Column("rated_by", sa.String(200), nullable=True))
    op.add_column(
        "performance_ratings",
        sa.Column("rated_by_role", sa.String(32), server_default="hr_officer", nullable=False),
    )
    op.add_column("audit_log", sa.Column("nip", sa.String(18), nullable=True))
    op.create_index(
        "ix_audit_log_nip_id", "audit_log", ["nip", "id"], postgresql_where="nip IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_nip_id", table_name="audit_log", postgresql_where="nip IS NOT NULL")
    op.drop_column("audit_log", "nip")
    op.drop_column("performance_ratings", "rated_by_role")
    op.drop_column("performance_ratings", "rated_by")
