"""import row errors and failures keep their message in Indonesian too

Revision ID: 20261127_import_errors_id
Revises: 20261126_rating_recorders
Create Date: 2026-11-24 15:00:00+00:00

``GET /imports/{id}/errors`` and an import's ``failure`` answer in the caller's language
(``Accept-Language``); those stored before this revision have only their English text,
which is shown to everyone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261127_import_errors_id"
down_revision: str | None = "20261126_rating_recorders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "imports",
        sa.Column("failure_id", sa.Text(), nullable=True, comment="The failure in Indonesian."),
    )
    op.add_column(
        "import_errors",
        sa.Column(
            "message_id",
            sa.Text(),
            nullable=True,
            comment="The message in Indonesian (null: none was given; the English is shown).",
        ),
    )


def downgrade() -> None:
    op.drop_column("import_errors", "message_id")
    op.drop_column("imports", "failure_id")
