"""Talent: the agency's talent policy (performance source, potential cut points and
weights, calibrated competency sources), read by the 9-box.

Why: PermenPANRB 3/2020 leaves these to each agency; the 9-box and the succession pool
follow the stored policy, and the defaults until an agency stores one.

Revision ID: 20261206_talent
Revises: 20261205_mentoring
Create Date: 2026-11-24 21:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_talent"
down_revision: str | None = "20261205_mentoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "talent_policies",
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("performance_source", sa.String(length=16), nullable=False),
        sa.Column("potential_medium_from", sa.SmallInteger(), nullable=False),
        sa.Column("potential_high_from", sa.SmallInteger(), nullable=False),
        sa.Column("competency_weight", sa.SmallInteger(), nullable=False),
        sa.Column("feedback_weight", sa.SmallInteger(), nullable=False),
        sa.Column("calibrated_sources", sa.ARRAY(sa.String(length=24)), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "performance_source IN ('latest', 'two_year_average')",
            name=op.f("ck_talent_policies_performance_source_known"),
        ),
        sa.CheckConstraint(
            "competency_weight >= 0 AND feedback_weight >= 0 "
            "AND competency_weight + feedback_weight > 0",
            name=op.f("ck_talent_policies_weights_positive"),
        ),
        sa.CheckConstraint(
            "potential_medium_from > 0 AND potential_medium_from < potential_high_from "
            "AND potential_high_from <= 100",
            name=op.f("ck_talent_policies_cut_points_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_talent_policies_agency_code_agencies")
        ),
        sa.PrimaryKeyConstraint("agency_code", name=op.f("pk_talent_policies")),
    )


def downgrade() -> None:
    op.drop_table("talent_policies")
