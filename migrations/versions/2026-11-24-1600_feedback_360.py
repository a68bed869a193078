"""360° feedback: questionnaires, cycles, subjects, rater requests, answers and frozen
reports.

Revision ID: 20261128_feedback
Revises: 20261127_rate_limits
Create Date: 2026-11-24 15:18:29.061759+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261128_feedback"
down_revision: str | None = "20261127_rate_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_questionnaires",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.SmallInteger(), nullable=False),
        sa.Column("title_id", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
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
            "revision >= 1", name=op.f("ck_feedback_questionnaires_revision_positive")
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_feedback_questionnaires_agency_code_agencies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_questionnaires")),
        sa.UniqueConstraint(
            "agency_code", "code", "revision", name="uq_feedback_questionnaires_key"
        ),
    )
    op.create_index(
        op.f("ix_feedback_questionnaires_agency_code"),
        "feedback_questionnaires",
        ["agency_code"],
        unique=False,
    )
    op.create_index(
        "uq_feedback_questionnaires_shared_key",
        "feedback_questionnaires",
        ["code", "revision"],
        unique=True,
        postgresql_where=sa.text("agency_code IS NULL"),
    )
    op.create_table(
        "feedback_cycles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("questionnaire_id", sa.Uuid(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_group_size", sa.SmallInteger(), server_default="3", nullable=False),
        sa.Column(
            "blind_spot_threshold",
            sa.Numeric(precision=3, scale=2),
            server_default="1.00",
            nullable=False,
        ),
        sa.Column("max_requests_per_rater", sa.SmallInteger(), server_default="8", nullable=False),
        sa.Column("state", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
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
            "state IN ('draft', 'open', 'closed', 'published')",
            name=op.f("ck_feedback_cycles_state_known"),
        ),
        sa.CheckConstraint(
            "min_group_size BETWEEN 3 AND 20", name=op.f("ck_feedback_cycles_min_group_size_range")
        ),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_feedback_cycles_period_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_feedback_cycles_agency_code_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["feedback_questionnaires.id"],
            name=op.f("fk_feedback_cycles_questionnaire_id_feedback_questionnaires"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_cycles")),
    )
    op.create_index(
        "ix_feedback_cycles_agency_created",
        "feedback_cycles",
        ["agency_code", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_feedback_cycles_questionnaire_id"),
        "feedback_cycles",
        ["questionnaire_id"],
        unique=False,
    )
    op.create_table(
        "feedback_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("questionnaire_id", sa.Uuid(), nullable=False),
        sa.Column("ordinal", sa.SmallInteger(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("dimension_kind", sa.String(length=16), nullable=False),
        sa.Column("dimension_code", sa.String(length=32), nullable=False),
        sa.Column("text_id", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("anchors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("required", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("comment_allowed", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "not_observed_allowed", sa.Boolean(), server_default=sa.text("true"), nullable=False
        ),
        sa.CheckConstraint(
            "dimension_kind IN ('competency', 'value')",
            name=op.f("ck_feedback_items_dimension_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["feedback_questionnaires.id"],
            name=op.f("fk_feedback_items_questionnaire_id_feedback_questionnaires"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_items")),
        sa.UniqueConstraint("questionnaire_id", "code", name="uq_feedback_items_code"),
        sa.UniqueConstraint("questionnaire_id", "ordinal", name="uq_feedback_items_ordinal"),
    )
    op.create_index(
        op.f("ix_feedback_items_questionnaire_id"),
        "feedback_items",
        ["questionnaire_id"],
        unique=False,
    )
    op.create_table(
        "feedback_reports",
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("subject_employee_id", sa.Uuid(), nullable=False),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["feedback_cycles.id"],
            name=op.f("fk_feedback_reports_cycle_id_feedback_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_employee_id"],
            ["employees.id"],
            name=op.f("fk_feedback_reports_subject_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "cycle_id", "subject_employee_id", name=op.f("pk_feedback_reports")
        ),
    )
    op.create_index(
        op.f("ix_feedback_reports_subject_employee_id"),
        "feedback_reports",
        ["subject_employee_id"],
        unique=False,
    )
    op.create_table(
        "feedback_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("subject_employee_id", sa.Uuid(), nullable=False),
        sa.Column("rater_employee_id", sa.Uuid(), nullable=True),
        sa.Column("relationship", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
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
            "(relationship = 'public') = (rater_employee_id IS NULL)",
            name=op.f("ck_feedback_requests_public_has_no_rater"),
        ),
        sa.CheckConstraint(
            "(relationship = 'public') = (token_hash IS NOT NULL)",
            name=op.f("ck_feedback_requests_public_token"),
        ),
        sa.CheckConstraint(
            "origin IN ('generated', 'hr', 'nomination', 'public')",
            name=op.f("ck_feedback_requests_origin_known"),
        ),
        sa.CheckConstraint(
            "relationship IN ('self', 'supervisor', 'peer', 'subordinate', 'public')",
            name=op.f("ck_feedback_requests_relationship_known"),
        ),
        sa.CheckConstraint(
            "status <> 'declined' OR decline_reason IS NOT NULL",
            name=op.f("ck_feedback_requests_decline_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('nominated', 'pending', 'draft', 'submitted', 'declined')",
            name=op.f("ck_feedback_requests_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["feedback_cycles.id"],
            name=op.f("fk_feedback_requests_cycle_id_feedback_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rater_employee_id"],
            ["employees.id"],
            name=op.f("fk_feedback_requests_rater_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_employee_id"],
            ["employees.id"],
            name=op.f("fk_feedback_requests_subject_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_requests")),
    )
    op.create_index(
        "ix_feedback_requests_cycle_subject",
        "feedback_requests",
        ["cycle_id", "subject_employee_id"],
        unique=False,
    )
    op.create_index(
        "ix_feedback_requests_rater_cycle",
        "feedback_requests",
        ["rater_employee_id", "cycle_id"],
        unique=False,
    )
    op.create_index(
        "uq_feedback_requests_rater",
        "feedback_requests",
        ["cycle_id", "subject_employee_id", "rater_employee_id"],
        unique=True,
        postgresql_where=sa.text("rater_employee_id IS NOT NULL"),
    )
    op.create_index(
        "uq_feedback_requests_token_hash", "feedback_requests", ["token_hash"], unique=True
    )
    op.create_table(
        "feedback_subjects",
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("position_id", sa.Uuid(), nullable=True),
        sa.Column("public_facing", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["feedback_cycles.id"],
            name=op.f("fk_feedback_subjects_cycle_id_feedback_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_feedback_subjects_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_feedback_subjects_position_id_positions"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_feedback_subjects_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("cycle_id", "employee_id", name=op.f("pk_feedback_subjects")),
    )
    op.create_index(
        op.f("ix_feedback_subjects_employee_id"), "feedback_subjects", ["employee_id"], unique=False
    )
    op.create_table(
        "feedback_answers",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "score IS NULL OR score BETWEEN 1 AND 5", name=op.f("ck_feedback_answers_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["feedback_items.id"],
            name=op.f("fk_feedback_answers_item_id_feedback_items"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["feedback_requests.id"],
            name=op.f("fk_feedback_answers_request_id_feedback_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "item_id", name=op.f("pk_feedback_answers")),
    )


def downgrade() -> None:
    op.drop_table("feedback_answers")
    op.drop_index(op.f("ix_feedback_subjects_employee_id"), table_name="feedback_subjects")
    op.drop_table("feedback_subjects")
    op.drop_index("uq_feedback_requests_token_hash", table_name="feedback_requests")
    op.drop_index(
        "uq_feedback_requests_rater",
        table_name="feedback_requests",
        postgresql_where=sa.text("rater_employee_id IS NOT NULL"),
    )
    op.drop_index("ix_feedback_requests_rater_cycle", table_name="feedback_requests")
    op.drop_index("ix_feedback_requests_cycle_subject", table_name="feedback_requests")
    op.drop_table("feedback_requests")
    op.drop_index(op.f("ix_feedback_reports_subject_employee_id"), table_name="feedback_reports")
    op.drop_table("feedback_reports")
    op.drop_index(op.f("ix_feedback_items_questionnaire_id"), table_name="feedback_items")
    op.drop_table("feedback_items")
    op.drop_index(op.f("ix_feedback_cycles_questionnaire_id"), table_name="feedback_cycles")
    op.drop_index("ix_feedback_cycles_agency_created", table_name="feedback_cycles")
    op.drop_table("feedback_cycles")
    op.drop_index(
        "uq_feedback_questionnaires_shared_key",
        table_name="feedback_questionnaires",
        postgresql_where=sa.text("agency_code IS NULL"),
    )
    op.drop_index(
        op.f("ix_feedback_questionnaires_agency_code"), table_name="feedback_questionnaires"
    )
    op.drop_table("feedback_questionnaires")
