"""Mentoring: programmes (weights, rules, default capacity, objective), their pools of
mentors and mentees, matching runs, matches with their parts and reasons, sessions and
feedback.

Why: offices pair senior staff with juniors by hand today; these tables hold a programme's
pools, each run of the optimal matching for HR's review before publishing, and the
relationships that follow, so the summary can measure coverage, load and growth.

Revision ID: 20261205_mentoring
Revises: 20261204_rotations
Create Date: 2026-11-24 19:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261205_mentoring"
down_revision: str | None = "20261204_rotations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mentoring_programs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "seniority_basis", sa.String(length=16), server_default="rank_steps", nullable=False
        ),
        sa.Column("min_gap", sa.SmallInteger(), server_default="2", nullable=False),
        sa.Column("band_width", sa.SmallInteger(), server_default="4", nullable=False),
        sa.Column(
            "exclude_reporting_line", sa.Boolean(), server_default=sa.text("true"), nullable=False
        ),
        sa.Column("unit_rule", sa.String(length=16), server_default="preferred", nullable=False),
        sa.Column("default_capacity", sa.SmallInteger(), server_default="2", nullable=False),
        sa.Column("objective", sa.String(length=16), server_default="score", nullable=False),
        sa.Column("mentees_choose", sa.Boolean(), server_default=sa.text("false"), nullable=False),
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
            "objective IN ('score', 'participation')",
            name=op.f("ck_mentoring_programs_objective_known"),
        ),
        sa.CheckConstraint(
            "seniority_basis IN ('rank_steps', 'years')",
            name=op.f("ck_mentoring_programs_basis_known"),
        ),
        sa.CheckConstraint(
            "unit_rule IN ('preferred', 'required', 'avoided', 'ignored')",
            name=op.f("ck_mentoring_programs_unit_rule_known"),
        ),
        sa.CheckConstraint(
            "default_capacity BETWEEN 1 AND 20", name=op.f("ck_mentoring_programs_capacity_range")
        ),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_mentoring_programs_period_ordered")
        ),
        sa.CheckConstraint(
            "min_gap >= 0 AND band_width >= 1", name=op.f("ck_mentoring_programs_band_sound")
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_mentoring_programs_agency_code_agencies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_programs")),
    )
    op.create_index(
        "ix_mentoring_programs_agency",
        "mentoring_programs",
        ["agency_code", "starts_on", "id"],
        unique=False,
    )
    op.create_table(
        "mentoring_matchings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="solving", nullable=False),
        sa.Column(
            "options", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("objective", sa.String(length=16), nullable=False),
        sa.Column("total_score", sa.Float(), nullable=True),
        sa.Column("greedy_score", sa.Float(), nullable=True),
        sa.Column(
            "figures", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column(
            "unmatched",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=255), nullable=True),
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
            "status IN ('solving', 'proposed', 'published', 'superseded', 'failed')",
            name=op.f("ck_mentoring_matchings_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_mentoring_matchings_agency_code_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_mentoring_matchings_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["mentoring_programs.id"],
            name=op.f("fk_mentoring_matchings_program_id_mentoring_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_matchings")),
    )
    op.create_index(
        "ix_mentoring_matchings_program",
        "mentoring_matchings",
        ["program_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "mentoring_mentees",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=True),
        sa.Column(
            "focus", postgresql.ARRAY(sa.Integer()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("focus_source", sa.String(length=8), nullable=False),
        sa.Column(
            "focus_reasons",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
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
            "focus_source IN ('given', 'derived')",
            name=op.f("ck_mentoring_mentees_focus_source_known"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_mentoring_mentees_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["mentoring_programs.id"],
            name=op.f("fk_mentoring_mentees_program_id_mentoring_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_mentees")),
        sa.UniqueConstraint("program_id", "employee_id", name="uq_mentoring_mentees_once"),
    )
    op.create_index(
        op.f("ix_mentoring_mentees_employee_id"), "mentoring_mentees", ["employee_id"], unique=False
    )
    op.create_table(
        "mentoring_mentors",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("capacity", sa.SmallInteger(), nullable=True),
        sa.Column(
            "strengths",
            postgresql.ARRAY(sa.Integer()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("availability", sa.Text(), nullable=True),
        sa.Column("added_by", sa.String(length=8), nullable=False),
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
            "added_by IN ('self', 'hr')", name=op.f("ck_mentoring_mentors_added_by_known")
        ),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity BETWEEN 1 AND 20",
            name=op.f("ck_mentoring_mentors_capacity_range"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_mentoring_mentors_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["mentoring_programs.id"],
            name=op.f("fk_mentoring_mentors_program_id_mentoring_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_mentors")),
        sa.UniqueConstraint("program_id", "employee_id", name="uq_mentoring_mentors_once"),
    )
    op.create_index(
        op.f("ix_mentoring_mentors_employee_id"), "mentoring_mentors", ["employee_id"], unique=False
    )
    op.create_table(
        "mentoring_matches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("matching_id", sa.Uuid(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("mentor_id", sa.Uuid(), nullable=False),
        sa.Column("mentee_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="proposed", nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("parts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "reasons", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
        sa.Column("mentor_response", sa.String(length=8), nullable=True),
        sa.Column("mentee_response", sa.String(length=8), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("levels_before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("levels_after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
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
            "mentee_response IS NULL OR mentee_response IN ('accepted', 'declined')",
            name=op.f("ck_mentoring_matches_mentee_response_known"),
        ),
        sa.CheckConstraint(
            "mentor_response IS NULL OR mentor_response IN ('accepted', 'declined')",
            name=op.f("ck_mentoring_matches_mentor_response_known"),
        ),
        sa.CheckConstraint(
            "state IN ('proposed', 'active', 'completed', 'ended', 'declined', 'superseded')",
            name=op.f("ck_mentoring_matches_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f("fk_mentoring_matches_agency_code_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["matching_id"],
            ["mentoring_matchings.id"],
            name=op.f("fk_mentoring_matches_matching_id_mentoring_matchings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentoring_mentees.id"],
            name=op.f("fk_mentoring_matches_mentee_id_mentoring_mentees"),
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["mentoring_mentors.id"],
            name=op.f("fk_mentoring_matches_mentor_id_mentoring_mentors"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["mentoring_programs.id"],
            name=op.f("fk_mentoring_matches_program_id_mentoring_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_matches")),
    )
    op.create_index(
        "ix_mentoring_matches_matching", "mentoring_matches", ["matching_id", "id"], unique=False
    )
    op.create_index("ix_mentoring_matches_mentee", "mentoring_matches", ["mentee_id"], unique=False)
    op.create_index("ix_mentoring_matches_mentor", "mentoring_matches", ["mentor_id"], unique=False)
    op.create_index(
        "ix_mentoring_matches_program_state",
        "mentoring_matches",
        ["program_id", "state"],
        unique=False,
    )
    op.create_table(
        "mentoring_feedback",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
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
            "side IN ('mentor', 'mentee')", name=op.f("ck_mentoring_feedback_side_known")
        ),
        sa.CheckConstraint(
            "rating BETWEEN 1 AND 5", name=op.f("ck_mentoring_feedback_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentoring_matches.id"],
            name=op.f("fk_mentoring_feedback_match_id_mentoring_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_feedback")),
        sa.UniqueConstraint("match_id", "side", name="uq_mentoring_feedback_once"),
    )
    op.create_table(
        "mentoring_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("private_notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=8), nullable=False),
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
            "duration_minutes BETWEEN 1 AND 1440", name=op.f("ck_mentoring_sessions_duration_range")
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentoring_matches.id"],
            name=op.f("fk_mentoring_sessions_match_id_mentoring_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_sessions")),
    )
    op.create_index(
        "ix_mentoring_sessions_match",
        "mentoring_sessions",
        ["match_id", "held_on", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_mentoring_sessions_match", table_name="mentoring_sessions")
    op.drop_table("mentoring_sessions")
    op.drop_table("mentoring_feedback")
    op.drop_index("ix_mentoring_matches_program_state", table_name="mentoring_matches")
    op.drop_index("ix_mentoring_matches_mentor", table_name="mentoring_matches")
    op.drop_index("ix_mentoring_matches_mentee", table_name="mentoring_matches")
    op.drop_index("ix_mentoring_matches_matching", table_name="mentoring_matches")
    op.drop_table("mentoring_matches")
    op.drop_index(op.f("ix_mentoring_mentors_employee_id"), table_name="mentoring_mentors")
    op.drop_table("mentoring_mentors")
    op.drop_index(op.f("ix_mentoring_mentees_employee_id"), table_name="mentoring_mentees")
    op.drop_table("mentoring_mentees")
    op.drop_index("ix_mentoring_matchings_program", table_name="mentoring_matchings")
    op.drop_table("mentoring_matchings")
    op.drop_index("ix_mentoring_programs_agency", table_name="mentoring_programs")
    op.drop_table("mentoring_programs")
