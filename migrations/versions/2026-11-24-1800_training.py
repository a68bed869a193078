"""Training: courses and what they lift, requests, plans under a budget with their items,
and enrolments.

Revision ID: 20261201_training
Revises: 20261130_feedback_statistics
Create Date: 2026-11-24 16:26:09.867931+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261201_training"
down_revision: str | None = "20261130_feedback_statistics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_courses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("form", sa.String(length=24), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=True),
        sa.Column("hours_jp", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column(
            "cost_per_participant",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
        ),
        sa.Column(
            "fixed_cost_per_batch",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
        ),
        sa.Column("min_participants", sa.SmallInteger(), server_default="1", nullable=False),
        sa.Column("max_participants", sa.SmallInteger(), server_default="30", nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column(
            "eligible_position_kinds",
            postgresql.ARRAY(sa.String(length=16)),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("min_rank", sa.String(length=8), nullable=True),
        sa.Column("max_rank", sa.String(length=8), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
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
            "cost_per_participant >= 0 AND fixed_cost_per_batch >= 0",
            name=op.f("ck_training_courses_costs_not_negative"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_training_courses_schedule_ordered"),
        ),
        sa.CheckConstraint("hours_jp > 0", name=op.f("ck_training_courses_hours_positive")),
        sa.CheckConstraint(
            "min_participants >= 1 AND max_participants >= min_participants",
            name=op.f("ck_training_courses_batch_sizes_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_training_courses_agency_code_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["max_rank"], ["ranks.code"], name=op.f("fk_training_courses_max_rank_ranks")
        ),
        sa.ForeignKeyConstraint(
            ["min_rank"], ["ranks.code"], name=op.f("fk_training_courses_min_rank_ranks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_courses")),
        sa.UniqueConstraint("agency_code", "code", name="uq_training_courses_agency_code"),
    )
    op.create_index(
        "ix_training_courses_agency_title",
        "training_courses",
        ["agency_code", "title", "id"],
        unique=False,
    )
    op.create_table(
        "training_plans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("budget", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column(
            "options", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("status", sa.String(length=16), server_default="solving", nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("objective", sa.Double(), nullable=True),
        sa.Column("bound", sa.Double(), nullable=True),
        sa.Column("greedy_objective", sa.Double(), nullable=True),
        sa.Column("solver_status", sa.String(length=32), nullable=True),
        sa.Column(
            "figures", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=255), nullable=True),
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
            "status IN ('solving', 'proposed', 'approved', 'failed')",
            name=op.f("ck_training_plans_status_known"),
        ),
        sa.CheckConstraint("budget >= 0", name=op.f("ck_training_plans_budget_not_negative")),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_training_plans_agency_code_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_training_plans_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_plans")),
    )
    op.create_index(
        "ix_training_plans_agency_year",
        "training_plans",
        ["agency_code", "year", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "training_course_competencies",
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("target_level", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint(
            "target_level BETWEEN 1 AND 5", name=op.f("ck_training_course_competencies_level_range")
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_training_course_competencies_competency_id_competencies"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_course_competencies_course_id_training_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "course_id", "competency_id", name=op.f("pk_training_course_competencies")
        ),
    )
    op.create_index(
        op.f("ix_training_course_competencies_competency_id"),
        "training_course_competencies",
        ["competency_id"],
        unique=False,
    )
    op.create_table(
        "training_plan_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("batch", sa.SmallInteger(), server_default="1", nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=True),
        sa.Column("gap_closed", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("priority", sa.Numeric(precision=8, scale=3), nullable=False),
        sa.Column("cost_share", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "reasons", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("approved", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_training_plan_items_competency_id_competencies"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_plan_items_course_id_training_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_training_plan_items_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["training_plans.id"],
            name=op.f("fk_training_plan_items_plan_id_training_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_plan_items")),
        sa.UniqueConstraint("plan_id", "employee_id", "course_id", name="uq_training_plan_items"),
    )
    op.create_index(
        "ix_training_plan_items_plan_course",
        "training_plan_items",
        ["plan_id", "course_id", "batch"],
        unique=False,
    )
    op.create_table(
        "training_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=True),
        sa.Column("topic", sa.String(length=300), nullable=True),
        sa.Column("competency_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="submitted", nullable=False),
        sa.Column("decided_by", sa.String(length=255), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
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
            "status <> 'rejected' OR decision_reason IS NOT NULL",
            name=op.f("ck_training_requests_rejection_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'endorsed', 'rejected', 'withdrawn')",
            name=op.f("ck_training_requests_status_known"),
        ),
        sa.CheckConstraint(
            "course_id IS NOT NULL OR topic IS NOT NULL",
            name=op.f("ck_training_requests_course_or_topic"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_training_requests_agency_code_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_training_requests_competency_id_competencies"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_requests_course_id_training_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_training_requests_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_requests")),
    )
    op.create_index(
        "ix_training_requests_agency_year",
        "training_requests",
        ["agency_code", "year", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_training_requests_employee", "training_requests", ["employee_id", "year"], unique=False
    )
    op.create_table(
        "training_enrolments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="planned", nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("training_id", sa.Uuid(), nullable=True),
        sa.Column(
            "reassessment_due", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
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
            "state IN ('planned', 'enrolled', 'completed', 'cancelled', 'no_show')",
            name=op.f("ck_training_enrolments_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_training_enrolments_agency_code_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_enrolments_course_id_training_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_training_enrolments_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["training_plans.id"],
            name=op.f("fk_training_enrolments_plan_id_training_plans"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["training_requests.id"],
            name=op.f("fk_training_enrolments_request_id_training_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["trainings.id"],
            name=op.f("fk_training_enrolments_training_id_trainings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_enrolments")),
        sa.UniqueConstraint("employee_id", "course_id", "year", name="uq_training_enrolments_once"),
    )
    op.create_index(
        "ix_training_enrolments_agency_year",
        "training_enrolments",
        ["agency_code", "year", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_training_enrolments_course", "training_enrolments", ["course_id", "state"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_training_enrolments_course", table_name="training_enrolments")
    op.drop_index("ix_training_enrolments_agency_year", table_name="training_enrolments")
    op.drop_table("training_enrolments")
    op.drop_index("ix_training_requests_employee", table_name="training_requests")
    op.drop_index("ix_training_requests_agency_year", table_name="training_requests")
    op.drop_table("training_requests")
    op.drop_index("ix_training_plan_items_plan_course", table_name="training_plan_items")
    op.drop_table("training_plan_items")
    op.drop_index(
        op.f("ix_training_course_competencies_competency_id"),
        table_name="training_course_competencies",
    )
    op.drop_table("training_course_competencies")
    op.drop_index("ix_training_plans_agency_year", table_name="training_plans")
    op.drop_table("training_plans")
    op.drop_index("ix_training_courses_agency_title", table_name="training_courses")
    op.drop_table("training_courses")
