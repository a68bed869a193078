"""Training: a catalogue of courses, employees' requests, plans under a budget, and the
enrolments that carry a course into a profile's training history."""

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
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class Course(VersionedMixin, TimestampMixin, Base):
    """A course an agency can send staff to: what it lifts (``course_competencies``), its
    length in JP, its form, what it costs (per participant, and once per batch), how many a
    batch takes, when it runs, and who is eligible."""

    __tablename__ = "training_courses"
    __table_args__ = (
        UniqueConstraint("agency_code", "code", name="uq_training_courses_agency_code"),
        CheckConstraint("hours_jp > 0", name="hours_positive"),
        CheckConstraint(
            "cost_per_participant >= 0 AND fixed_cost_per_batch >= 0", name="costs_not_negative"
        ),
        CheckConstraint(
            "min_participants >= 1 AND max_participants >= min_participants",
            name="batch_sizes_ordered",
        ),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
                        name="schedule_ordered"),
        Index("ix_training_courses_agency_title", "agency_code", "title", "id"),
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(24))
    provider: Mapped[str | None] = mapped_column(String(200))
    hours_jp: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    cost_per_participant: Mapped[Decimal] = mapped_column(Numeric(14, 2), server_default="0")
    fixed_cost_per_batch: Mapped[Decimal] = mapped_column(Numeric(14, 2), server_default="0")
    min_participants: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    max_participants: Mapped[int] = mapped_column(SmallInteger, server_default="30")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    eligible_position_kinds: Mapped[list[str]] = mapped_column(
        ARRAY(String(16)), server_default=text("'{}'")
    )
    """Empty: every kind."""
    min_rank: Mapped[str | None] = mapped_column(ForeignKey("ranks.code"))
    max_rank: Mapped[str | None] = mapped_column(ForeignKey("ranks.code"))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    reassess_on_completion: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    """Completing an enrolment marks the course's competencies for reassessment."""


class CourseCompetency(Base):
    """A competency a course develops, and the level it lifts a participant to."""

    __tablename__ = "training_course_competencies"
    __table_args__ = (CheckConstraint("target_level BETWEEN 1 AND 5", name="level_range"),)

    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competencies.id"), primary_key=True, index=True
    )
    target_level: Mapped[int] = mapped_column(SmallInteger)


class TrainingRequest(VersionedMixin, TimestampMixin, Base):
    """What an employee asks for: a catalogue course or a free topic, the competency, why.
    ``submitted → endorsed | rejected`` by the supervisor (or HR), with a reason for a
    rejection; an endorsed request raises the priority of the need it names."""

    __tablename__ = "training_requests"
    __table_args__ = (
        CheckConstraint("course_id IS NOT NULL OR topic IS NOT NULL", name="course_or_topic"),
        CheckConstraint(
            "status IN ('submitted', 'endorsed', 'rejected', 'withdrawn')", name="status_known"
        ),
        CheckConstraint(
            "status <> 'rejected' OR decision_reason IS NOT NULL", name="rejection_reason"
        ),
        Index("ix_training_requests_agency_year", "agency_code", "year", "created_at", "id"),
        Index("ix_training_requests_employee", "employee_id", "year"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(SmallInteger)
    course_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("training_courses.id"))
    topic: Mapped[str | None] = mapped_column(String(300))
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competencies.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), server_default="submitted")
    decided_by: Mapped[str | None] = mapped_column(String(255))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)


class Plan(VersionedMixin, TimestampMixin, Base):
    """A yearly training plan under a budget, solved as an integer program: its options,
    the solver's objective, proven bound and gap, the greedy baseline's objective, and the
    plan's figures (budget used, people reached, JP coverage, equal access)."""

    __tablename__ = "training_plans"
    __table_args__ = (
        CheckConstraint(
            "status IN ('solving', 'proposed', 'approved', 'failed')", name="status_known"
        ),
        CheckConstraint("budget >= 0", name="budget_not_negative"),
        Index("ix_training_plans_agency_year", "agency_code", "year", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    year: Mapped[int] = mapped_column(SmallInteger)
    budget: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    status: Mapped[str] = mapped_column(String(16), server_default="solving")
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    greedy_objective: Mapped[float | None]
    solver_status: Mapped[str | None] = mapped_column(String(32))
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(255))


class PlanItem(Base):
    """One proposed enrolment of a plan, with why: the need it closes, the gap it closes,
    its share of the cost, and its batch of the course."""

    __tablename__ = "training_plan_items"
    __table_args__ = (
        UniqueConstraint("plan_id", "employee_id", "course_id", name="uq_training_plan_items"),
        Index("ix_training_plan_items_plan_course", "plan_id", "course_id", "batch"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_plans.id", ondelete="CASCADE"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_courses.id"))
    batch: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competencies.id"))
    gap_closed: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    priority: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    cost_share: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    reasons: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    approved: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class Enrolment(VersionedMixin, TimestampMixin, Base):
    """A person on a course: ``planned → enrolled → completed | cancelled | no_show``.
    Completing adds the course to the profile's training history (``training_id``) and,
    when the agency wants it, marks the competency for reassessment."""

    __tablename__ = "training_enrolments"
    __table_args__ = (
        CheckConstraint(
            "state IN ('planned', 'enrolled', 'completed', 'cancelled', 'no_show')",
            name="state_known",
        ),
        UniqueConstraint("employee_id", "course_id", "year", name="uq_training_enrolments_once"),
        Index("ix_training_enrolments_agency_year", "agency_code", "year", "created_at", "id"),
        Index("ix_training_enrolments_course", "course_id", "state"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_courses.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[str] = mapped_column(String(16), server_default="planned")
    plan_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("training_plans.id", ondelete="SET NULL")
    )
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("training_requests.id", ondelete="SET NULL")
    )
    completed_on: Mapped[date | None] = mapped_column(Date)
    training_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("trainings.id", ondelete="SET NULL")
    )
    reassessment_due: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
