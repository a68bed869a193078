"""imports: uploaded files, import runs and their row errors

Revision ID: 20261124_imports
Revises: 20261123_profiles
Create Date: 2026-11-23 00:20:00+00:00
"""

from collections.abc import Sequence

revision: str = "20261124_imports"
down_revision: str | None = "20261123_profiles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
