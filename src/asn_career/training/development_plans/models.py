"""Individual development plans (IDP): one per employee and year, its goals, the needs it
addresses and the activities that close them, and its approval."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class DevelopmentPlan(VersionedMixin, TimestampMixin, Base):
    """An employee's plan for a year: ``draft → approved``; HR may reopen an approved plan
    as a new ``revision`` (a draft again). ``goals`` is a list of ``{text, source}``."""

    __tablename__ = "training_development_plans"
    __table_args__ = (
        UniqueConstraint("employee_id", "year", name="uq_training_development_plans_year"),
        CheckConstraint("status IN ('draft', 'approved')", name="status_known"),
        CheckConstraint(
            "(status = 'approved') = (approved_at IS NOT NULL)", name="approval_matches_status"
        ),
        CheckConstraint("revision >= 1", name="revision_positive"),
        Index("ix_training_development_plans_agency_year", "agency_code", "year", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(16), server_default="draft")
    revision: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    drafted_from: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """What a proposal was drafted from (needs counted, the 360° cycle, interests); null
    for a plan written by hand."""
    approved_by: Mapped[str | None] = mapped_column(String(255))
    approved_by_name: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DevelopmentPlanNeed(Base):
    """A competency the plan addresses: the levels it starts from and must reach."""

    __tablename__ = "training_development_plan_needs"
    __table_args__ = (
        CheckConstraint(
            "current_level IS NULL OR current_level BETWEEN 1 AND 5", name="current_level_range"
        ),
        CheckConstraint("required_level BETWEEN 1 AND 5", name="required_level_range"),
        CheckConstraint(
            "source IN ('position', 'target_position', 'performance', 'feedback_360', 'manual')",
            name="source_known",
        ),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_development_plans.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(SmallInteger)
    current_level: Mapped[int | None] = mapped_column(SmallInteger)
    required_level: Mapped[int] = mapped_column(SmallInteger)
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)


class DevelopmentPlanActivity(Base):
    """One activity of the plan: its kind, what it is, the competency it develops, the
    catalogue course (optional), planned JP, the target quarter, and why."""

    __tablename__ = "training_development_plan_activities"
    __table_args__ = (
        UniqueConstraint("plan_id", "ordinal", name="uq_training_development_plan_activities"),
        CheckConstraint(
            "kind IN ('training', 'mentoring', 'coaching', 'rotation_or_internship', "
            "'further_study')",
            name="kind_known",
        ),
        CheckConstraint("planned_jp >= 0", name="planned_jp_not_negative"),
        CheckConstraint(
            "target_quarter IS NULL OR target_quarter BETWEEN 1 AND 4", name="quarter_range"
        ),
        CheckConstraint(
            "source IN ('need', 'feedback_360', 'career_interest', 'manual')", name="source_known"
        ),
        Index("ix_training_development_plan_activities_course", "course_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_development_plans.id", ondelete="CASCADE")
    )
    ordinal: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(300))
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competencies.id"))
    course_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("training_courses.id"))
    planned_jp: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    target_quarter: Mapped[int | None] = mapped_column(SmallInteger)
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
