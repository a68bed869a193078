"""webhooks: subscriptions, the event outbox and the delivery log

Revision ID: 20261124_webhooks
Revises: 20261124_imports
Create Date: 2026-11-23 00:21:00+00:00
"""

from collections.abc import Sequence

revision: str = "20261124_webhooks"
down_revision: str | None = "20261124_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
