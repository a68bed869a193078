"""360° feedback: questionnaires, cycles, rater requests, answers and frozen reports.

Who answered what is known only through ``feedback_requests.rater_employee_id``; it never
leaves the server (see ``docs/architecture.md`` and the reports package). Public raters
have no row of their own: a public request carries only the hash of its one-time token.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class Questionnaire(VersionedMixin, TimestampMixin, Base):
    """A versioned set of items. ``agency_code`` null: shared by every agency (the seeded
    default). Immutable once a cycle uses it: a change is a new version."""

    __tablename__ = "feedback_questionnaires"
    __table_args__ = (
        UniqueConstraint("agency_code", "code", "revision", name="uq_feedback_questionnaires_key"),
        Index(
            "uq_feedback_questionnaires_shared_key",
            "code",
            "revision",
            unique=True,
            postgresql_where=text("agency_code IS NULL"),
        ),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(SmallInteger)
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class QuestionnaireItem(Base):
    """One question: what it measures (a competency code such as ``M.1``, or a BerAKHLAK
    value), its text in both languages, and the anchor of each point of the 1–5 scale."""

    __tablename__ = "feedback_items"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "code", name="uq_feedback_items_code"),
        UniqueConstraint("questionnaire_id", "ordinal", name="uq_feedback_items_ordinal"),
        CheckConstraint("dimension_kind IN ('competency', 'value')", name="dimension_kind_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    questionnaire_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_questionnaires.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(String(32))
    dimension_kind: Mapped[str] = mapped_column(String(16))
    dimension_code: Mapped[str] = mapped_column(String(32))
    text_id: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    anchors: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """``{"1": {"id": …, "en": …}, …, "5": {…}}``."""
    required: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    comment_allowed: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    not_observed_allowed: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class Cycle(VersionedMixin, TimestampMixin, Base):
    """One round of 360° feedback in an agency: ``draft → open → closed → published``."""

    __tablename__ = "feedback_cycles"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'open', 'closed', 'published')", name="state_known"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        CheckConstraint("min_group_size BETWEEN 3 AND 20", name="min_group_size_range"),
        Index("ix_feedback_cycles_agency_created", "agency_code", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    name: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    questionnaire_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_questionnaires.id"), index=True
    )
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    min_group_size: Mapped[int] = mapped_column(SmallInteger, server_default="3")
    blind_spot_threshold: Mapped[Decimal] = mapped_column(Numeric(3, 2), server_default="1.00")
    max_requests_per_rater: Mapped[int] = mapped_column(SmallInteger, server_default="8")
    state: Mapped[str] = mapped_column(String(16), server_default="draft")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Subject(Base):
    """An employee rated in a cycle, with the unit and position they held when added (the
    summary groups by them, so a later move does not shift a closed cycle's figures)."""

    __tablename__ = "feedback_subjects"

    cycle_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_cycles.id", ondelete="CASCADE"), primary_key=True
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"))
    position_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("positions.id"))
    public_facing: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    added_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()")
    )


class Request(VersionedMixin, TimestampMixin, Base):
    """A rater asked to rate a subject. ``rater_employee_id`` is null for the public, whose
    request is reached only through its one-time token (``token_hash``).

    ``status``: ``nominated`` (proposed by the subject, awaiting HR) → ``pending`` →
    ``draft`` (answers saved) → ``submitted`` (final) | ``declined`` (with a reason).
    ``origin`` and ``reason_code``/``reason`` say why this rater was chosen.
    """

    __tablename__ = "feedback_requests"
    __table_args__ = (
        CheckConstraint(
            "relationship IN ('self', 'supervisor', 'peer', 'subordinate', 'public')",
            name="relationship_known",
        ),
        CheckConstraint(
            "status IN ('nominated', 'pending', 'draft', 'submitted', 'declined')",
            name="status_known",
        ),
        CheckConstraint(
            "origin IN ('generated', 'hr', 'nomination', 'public')", name="origin_known"
        ),
        CheckConstraint(
            "(relationship = 'public') = (rater_employee_id IS NULL)", name="public_has_no_rater"
        ),
        CheckConstraint(
            "(relationship = 'public') = (token_hash IS NOT NULL)", name="public_token"
        ),
        CheckConstraint(
            "status <> 'declined' OR decline_reason IS NOT NULL", name="decline_reason"
        ),
        Index(
            "uq_feedback_requests_rater",
            "cycle_id",
            "subject_employee_id",
            "rater_employee_id",
            unique=True,
            postgresql_where=text("rater_employee_id IS NOT NULL"),
        ),
        Index("ix_feedback_requests_cycle_subject", "cycle_id", "subject_employee_id"),
        Index("ix_feedback_requests_rater_cycle", "rater_employee_id", "cycle_id"),
        Index("uq_feedback_requests_token_hash", "token_hash", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    cycle_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_cycles.id", ondelete="CASCADE")
    )
    subject_employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE")
    )
    rater_employee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE")
    )
    relationship: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), server_default="pending")
    origin: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    token_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Answer(Base):
    """One item's answer in a request's response: a score 1–5, or null when the rater
    marked it "not observed". Drafts and submitted answers share the table; the request's
    status says which."""

    __tablename__ = "feedback_answers"
    __table_args__ = (
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score_range"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_requests.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("feedback_items.id"), primary_key=True)
    score: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)


class Report(Base):
    """A subject's report as published: frozen, so that nothing changed later (a removed
    employee, a corrected record) can be differenced against it."""

    __tablename__ = "feedback_reports"

    cycle_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_cycles.id", ondelete="CASCADE"), primary_key=True
    )
    subject_employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    body: Mapped[dict[str, Any]] = mapped_column(JSONB)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CycleStatistics(Base):
    """The cycle-level statistics of the summary (leniency distribution, reliability,
    straight-lining, heatmap) as published: frozen with the reports, so that a later change
    (a rater's record deleted with their answers) cannot be read by differencing the
    summary before and after."""

    __tablename__ = "feedback_cycle_statistics"

    cycle_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_cycles.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[dict[str, Any]] = mapped_column(JSONB)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
