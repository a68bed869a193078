"""Rotations: the agency's rotation policy (months in a position, retirement buffer, grade
range, fit weights), recorded close relatives between employees (conflicts of interest for
placements), and rotation rounds with their proposed placements.

Why: placement and rotation (issue 12) keep their rules and decisions in the database:
the policy drives eligibility and fit, a round's proposal must be reviewed, approved and
enacted, and the relatives table is what the conflict-of-interest rule reads.

Revision ID: 20261204_rotations
Revises: 20261203_training_idp
Create Date: 2026-11-24 17:56:19.462266+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261204_rotations"
down_revision: str | None = "20261203_training_idp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rotation_policies",
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("min_months", sa.SmallInteger(), nullable=False),
        sa.Column("max_months", sa.SmallInteger(), nullable=False),
        sa.Column("max_months_jpt", sa.SmallInteger(), nullable=False),
        sa.Column("retirement_buffer_months", sa.SmallInteger(), nullable=False),
        sa.Column("first_year_months", sa.SmallInteger(), nullable=False),
        sa.Column("enforce_grade_range", sa.Boolean(), nullable=False),
        sa.Column("weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            "max_months_jpt <= max_months", name=op.f("ck_rotation_policies_jpt_stricter")
        ),
        sa.CheckConstraint(
            "min_months >= 0 AND min_months <= max_months",
            name=op.f("ck_rotation_policies_min_le_max"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_rotation_policies_agency_code_agencies"),
        ),
        sa.PrimaryKeyConstraint("agency_code", name=op.f("pk_rotation_policies")),
    )
    op.create_table(
        "rotation_rounds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("decree_number", sa.String(length=100), nullable=True),
        sa.Column("decree_date", sa.Date(), nullable=True),
        sa.Column(
            "options", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("status", sa.String(length=16), server_default="solving", nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("objective", sa.Double(), nullable=True),
        sa.Column("greedy_objective", sa.Double(), nullable=True),
        sa.Column(
            "figures", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=255), nullable=True),
        sa.Column("enacted_at", sa.DateTime(timezone=True), nullable=True),
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
            "status IN ('solving', 'draft', 'approved', 'enacted', 'rejected', 'failed')",
            name=op.f("ck_rotation_rounds_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_rotation_rounds_agency_code_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_rotation_rounds_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_rounds")),
    )
    op.create_index(
        "ix_rotation_rounds_agency",
        "rotation_rounds",
        ["agency_code", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "rotation_relatives",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("relative_id", sa.Uuid(), nullable=False),
        sa.Column("relationship", sa.String(length=16), nullable=False),
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
            "employee_id < relative_id", name=op.f("ck_rotation_relatives_ordered_pair")
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_rotation_relatives_agency_code_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_rotation_relatives_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relative_id"],
            ["employees.id"],
            name=op.f("fk_rotation_relatives_relative_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_relatives")),
        sa.UniqueConstraint("employee_id", "relative_id", name="uq_rotation_relatives_pair"),
    )
    op.create_index(
        op.f("ix_rotation_relatives_agency_code"),
        "rotation_relatives",
        ["agency_code"],
        unique=False,
    )
    op.create_index(
        "ix_rotation_relatives_relative", "rotation_relatives", ["relative_id"], unique=False
    )
    op.create_table(
        "rotation_round_placements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=True),
        sa.Column("from_position_id", sa.Uuid(), nullable=True),
        sa.Column("from_assignment_id", sa.Uuid(), nullable=True),
        sa.Column("fit", sa.Double(), nullable=True),
        sa.Column("greedy_employee_id", sa.Uuid(), nullable=True),
        sa.Column(
            "explanation",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_rotation_round_placements_employee_id_employees"),
        ),
        sa.ForeignKeyConstraint(
            ["from_assignment_id"],
            ["assignments.id"],
            name=op.f("fk_rotation_round_placements_from_assignment_id_assignments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_position_id"],
            ["positions.id"],
            name=op.f("fk_rotation_round_placements_from_position_id_positions"),
        ),
        sa.ForeignKeyConstraint(
            ["greedy_employee_id"],
            ["employees.id"],
            name=op.f("fk_rotation_round_placements_greedy_employee_id_employees"),
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_rotation_round_placements_position_id_positions"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rotation_rounds.id"],
            name=op.f("fk_rotation_round_placements_round_id_rotation_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_round_placements")),
        sa.UniqueConstraint("round_id", "position_id", name="uq_rotation_round_positions"),
    )
    op.create_index(
        "ix_rotation_round_placements_round",
        "rotation_round_placements",
        ["round_id", "ordinal"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_rotation_round_placements_round", table_name="rotation_round_placements")
    op.drop_table("rotation_round_placements")
    op.drop_index("ix_rotation_relatives_relative", table_name="rotation_relatives")
    op.drop_index(op.f("ix_rotation_relatives_agency_code"), table_name="rotation_relatives")
    op.drop_table("rotation_relatives")
    op.drop_index("ix_rotation_rounds_agency", table_name="rotation_rounds")
    op.drop_table("rotation_rounds")
    op.drop_table("rotation_policies")
