"""Mentoring: a programme of an agency, its pools (mentors, mentees), matching runs, the
matches they propose and the relationships that follow (sessions, feedback)."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class Program(VersionedMixin, TimestampMixin, Base):
    """A mentoring programme: its period, the weights of a match's parts, the hard rules
    (seniority gap, the reporting line, the unit), the default capacity of a mentor, and
    what a matching optimises (score, or participation then score)."""

    __tablename__ = "mentoring_programs"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_ordered"),
        CheckConstraint("seniority_basis IN ('rank_steps', 'years')", name="basis_known"),
        CheckConstraint(
            "unit_rule IN ('preferred', 'required', 'avoided', 'ignored')", name="unit_rule_known"
        ),
        CheckConstraint("objective IN ('score', 'participation')", name="objective_known"),
        CheckConstraint("min_gap >= 0 AND band_width >= 1", name="band_sound"),
        CheckConstraint("default_capacity BETWEEN 1 AND 20", name="capacity_range"),
        Index("ix_mentoring_programs_agency", "agency_code", "starts_on", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    weights: Mapped[dict[str, Any]] = mapped_column(JSONB)
    seniority_basis: Mapped[str] = mapped_column(String(16), server_default="rank_steps")
    min_gap: Mapped[int] = mapped_column(SmallInteger, server_default="2")
    band_width: Mapped[int] = mapped_column(SmallInteger, server_default="4")
    exclude_reporting_line: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    unit_rule: Mapped[str] = mapped_column(String(16), server_default="preferred")
    default_capacity: Mapped[int] = mapped_column(SmallInteger, server_default="2")
    objective: Mapped[str] = mapped_column(String(16), server_default="score")
    mentees_choose: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class Mentor(VersionedMixin, TimestampMixin, Base):
    """A mentor of a programme: how many mentees they take, their strengths (competency
    ids; by default their current competencies at level 4 or above), when they are free."""

    __tablename__ = "mentoring_mentors"
    __table_args__ = (
        UniqueConstraint("program_id", "employee_id", name="uq_mentoring_mentors_once"),
        CheckConstraint("capacity IS NULL OR capacity BETWEEN 1 AND 20", name="capacity_range"),
        CheckConstraint("added_by IN ('self', 'hr')", name="added_by_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE")
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    capacity: Mapped[int | None] = mapped_column(SmallInteger)
    """None: the programme's default."""
    strengths: Mapped[list[int]] = mapped_column(ARRAY(Integer), server_default=text("'{}'"))
    availability: Mapped[str | None] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class Mentee(VersionedMixin, TimestampMixin, Base):
    """A mentee of a programme: their goals and the competencies they want to grow in (by
    default their largest gaps from training needs and their latest 360° report)."""

    __tablename__ = "mentoring_mentees"
    __table_args__ = (
        UniqueConstraint("program_id", "employee_id", name="uq_mentoring_mentees_once"),
        CheckConstraint("focus_source IN ('given', 'derived')", name="focus_source_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE")
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    goals: Mapped[str | None] = mapped_column(Text)
    focus: Mapped[list[int]] = mapped_column(ARRAY(Integer), server_default=text("'{}'"))
    focus_source: Mapped[str] = mapped_column(String(8))
    focus_reasons: Mapped[list[Any]] = mapped_column(JSONB, server_default="[]")
    """Where a derived focus came from: per competency, the need or the 360° suggestion."""
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class Matching(VersionedMixin, TimestampMixin, Base):
    """A matching run: ``solving → proposed → published``, or ``superseded`` by a newer
    run published, or ``failed``. Its figures: total score, greedy baseline, counts, the
    unmatched mentees and why."""

    __tablename__ = "mentoring_matchings"
    __table_args__ = (
        CheckConstraint(
            "status IN ('solving', 'proposed', 'published', 'superseded', 'failed')",
            name="status_known",
        ),
        Index("ix_mentoring_matchings_program", "program_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE")
    )
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    status: Mapped[str] = mapped_column(String(16), server_default="solving")
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    objective: Mapped[str] = mapped_column(String(16))
    total_score: Mapped[float | None] = mapped_column(Float)
    greedy_score: Mapped[float | None] = mapped_column(Float)
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    unmatched: Mapped[list[Any]] = mapped_column(JSONB, server_default="[]")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(255))


class Match(VersionedMixin, TimestampMixin, Base):
    """A mentor–mentee pair: ``proposed → active → completed | ended``, or ``declined`` by
    either side (never proposed again in the programme), or ``superseded`` when a newer run
    is published. Its score in named parts and why; each side's answer; the mentee's
    competency levels (focus competencies) when it started and when it ended."""

    __tablename__ = "mentoring_matches"
    __table_args__ = (
        CheckConstraint(
            "state IN ('proposed', 'active', 'completed', 'ended', 'declined', 'superseded')",
            name="state_known",
        ),
        CheckConstraint(
            "mentor_response IS NULL OR mentor_response IN ('accepted', 'declined')",
            name="mentor_response_known",
        ),
        CheckConstraint(
            "mentee_response IS NULL OR mentee_response IN ('accepted', 'declined')",
            name="mentee_response_known",
        ),
        Index("ix_mentoring_matches_matching", "matching_id", "id"),
        Index("ix_mentoring_matches_program_state", "program_id", "state"),
        Index("ix_mentoring_matches_mentor", "mentor_id"),
        Index("ix_mentoring_matches_mentee", "mentee_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE")
    )
    matching_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_matchings.id", ondelete="CASCADE")
    )
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    mentor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mentoring_mentors.id"))
    mentee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mentoring_mentees.id"))
    state: Mapped[str] = mapped_column(String(16), server_default="proposed")
    pinned: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    score: Mapped[float] = mapped_column(Float)
    parts: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reasons: Mapped[list[Any]] = mapped_column(JSONB, server_default="[]")
    mentor_response: Mapped[str | None] = mapped_column(String(8))
    mentee_response: Mapped[str | None] = mapped_column(String(8))
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    levels_before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    levels_after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class Session(TimestampMixin, Base):
    """A mentoring session of a pair. The private notes are the pair's alone."""

    __tablename__ = "mentoring_sessions"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 1 AND 1440", name="duration_range"),
        Index("ix_mentoring_sessions_match", "match_id", "held_on", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    match_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_matches.id", ondelete="CASCADE")
    )
    held_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(SmallInteger)
    topic: Mapped[str] = mapped_column(String(300))
    private_notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(8))


class Feedback(TimestampMixin, Base):
    """One side's feedback at the end of a relationship: a rating 1–5 and a comment."""

    __tablename__ = "mentoring_feedback"
    __table_args__ = (
        CheckConstraint("side IN ('mentor', 'mentee')", name="side_known"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        UniqueConstraint("match_id", "side", name="uq_mentoring_feedback_once"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    match_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_matches.id", ondelete="CASCADE")
    )
    side: Mapped[str] = mapped_column(String(8))
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
