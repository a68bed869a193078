"""Rotation tables: the agency's policy, recorded close relatives (conflicts of interest),
rounds and their proposed placements."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class RotationPolicy(VersionedMixin, TimestampMixin, Base):
    """One agency's rotation policy; an agency without a row follows ``rules.DEFAULT_POLICY``."""

    __tablename__ = "rotation_policies"
    __table_args__ = (
        CheckConstraint("min_months >= 0 AND min_months <= max_months", name="min_le_max"),
        CheckConstraint("max_months_jpt <= max_months", name="jpt_stricter"),
    )

    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), primary_key=True)
    min_months: Mapped[int] = mapped_column(SmallInteger)
    max_months: Mapped[int] = mapped_column(SmallInteger)
    max_months_jpt: Mapped[int] = mapped_column(SmallInteger)
    retirement_buffer_months: Mapped[int] = mapped_column(SmallInteger)
    first_year_months: Mapped[int] = mapped_column(SmallInteger)
    enforce_grade_range: Mapped[bool]
    weights: Mapped[dict[str, Any]] = mapped_column(JSONB)


class Relative(TimestampMixin, Base):
    """A recorded close relationship between two employees of one agency (stored once per
    pair, lower id first): nobody is placed as the other's supervisor."""

    __tablename__ = "rotation_relatives"
    __table_args__ = (
        UniqueConstraint("employee_id", "relative_id", name="uq_rotation_relatives_pair"),
        CheckConstraint("employee_id < relative_id", name="ordered_pair"),
        Index("ix_rotation_relatives_relative", "relative_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    relative_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    relationship: Mapped[str] = mapped_column(String(16))


class Round(VersionedMixin, TimestampMixin, Base):
    """A rotation round: its inputs (vacancies, pool, minimum fit, pinned and forbidden
    pairs), the exact proposal's and the greedy baseline's objectives, and its workflow
    ``solving → draft → approved → enacted | rejected`` (or ``failed``)."""

    __tablename__ = "rotation_rounds"
    __table_args__ = (
        CheckConstraint(
            "status IN ('solving', 'draft', 'approved', 'enacted', 'rejected', 'failed')",
            name="status_known",
        ),
        Index("ix_rotation_rounds_agency", "agency_code", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    name: Mapped[str] = mapped_column(String(200))
    effective_date: Mapped[date] = mapped_column(Date)
    decree_number: Mapped[str | None] = mapped_column(String(100))
    decree_date: Mapped[date | None] = mapped_column(Date)
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    status: Mapped[str] = mapped_column(String(16), server_default="solving")
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    objective: Mapped[float | None]
    greedy_objective: Mapped[float | None]
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(255))
    enacted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RoundPlacement(Base):
    """One row of a round's proposal: a position with the person placed in it (and where
    they came from, as it stood when the round was solved), or left empty, with why."""

    __tablename__ = "rotation_round_placements"
    __table_args__ = (
        UniqueConstraint("round_id", "position_id", name="uq_rotation_round_positions"),
        Index("ix_rotation_round_placements_round", "round_id", "ordinal"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("rotation_rounds.id", ondelete="CASCADE")
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    position_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("positions.id"))
    employee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employees.id"))
    from_position_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("positions.id"))
    from_assignment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    fit: Mapped[float | None]
    greedy_employee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employees.id"))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
