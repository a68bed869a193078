import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
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
from sqlalchemy.dialects.postgresql import ARRAY, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class Employee(VersionedMixin, TimestampMixin, Base):
    """An ASN (PNS or PPPK). ``position_id`` mirrors the open primary assignment so the
    search can filter on it without a join."""

    __tablename__ = "employees"
    __table_args__ = (
        CheckConstraint("nip ~ '^[0-9]{18}$'", name="nip_digits"),
        CheckConstraint("nik IS NULL OR nik ~ '^[0-9]{16}$'", name="nik_digits"),
        Index("ix_employees_agency_name_id", "agency_code", "name", "id"),
        Index("ix_employees_name_id", "name", "id"),
        Index("ix_employees_unit_name_id", "unit_id", "name", "id"),
        Index("ix_employees_rank_code", "rank_code"),
        Index("ix_employees_status", "status"),
        Index("ix_employees_position_id", "position_id"),
        Index("ix_employees_nip_prefix", "nip", postgresql_ops={"nip": "varchar_pattern_ops"}),
        Index(
            "ix_employees_name_trgm",
            text("asn_unaccent(lower(name)) gin_trgm_ops"),
            postgresql_using="gin",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    front_title: Mapped[str | None] = mapped_column(String(50))
    back_title: Mapped[str | None] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    birth_place: Mapped[str | None] = mapped_column(String(100))
    employment_type: Mapped[str] = mapped_column(String(4))
    appointment_date: Mapped[date] = mapped_column(
        Date, comment="TMT CPNS (PNS: first of the month in the NIP) or PPPK appointment year"
    )
    rank_code: Mapped[str | None] = mapped_column(ForeignKey("ranks.code"))
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"))
    position_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("positions.id"))
    nik: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(200))


class _History(TimestampMixin):
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )


class Education(VersionedMixin, _History, Base):
    __tablename__ = "employee_education"

    level_code: Mapped[str] = mapped_column(ForeignKey("education_levels.code"))
    field: Mapped[str | None] = mapped_column(String(200))
    institution: Mapped[str | None] = mapped_column(String(200))
    graduation_year: Mapped[int | None] = mapped_column(SmallInteger)


class Assignment(VersionedMixin, _History, Base):
    """A position held from ``start_date`` to ``end_date`` (open when null). Primary
    assignments of one person never overlap: an exclusion constraint guards it."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        ExcludeConstraint(
            ("employee_id", "="),
            (text("daterange(start_date, end_date, '[]')"), "&&"),
            where=text("is_primary"),
            using="gist",
            name="ex_assignments_primary_overlap",
        ),
        Index(
            "ix_assignments_position_open", "position_id", postgresql_where=text("end_date IS NULL")
        ),
    )

    position_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("positions.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    decree_number: Mapped[str | None] = mapped_column(String(100))
    decree_date: Mapped[date | None] = mapped_column(Date)
    is_primary: Mapped[bool] = mapped_column(server_default=text("true"))


class CompetencyAssessment(VersionedMixin, _History, Base):
    __tablename__ = "competency_assessments"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint(
            "source IN ('assessment_center', 'feedback_360', 'supervisor', 'self')",
            name="source_known",
        ),
        Index("ix_competency_assessments_employee_competency", "employee_id", "competency_id"),
    )

    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    level: Mapped[int] = mapped_column(SmallInteger)
    source: Mapped[str] = mapped_column(String(24))
    assessed_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class CurrentCompetency(Base):
    """The current level per employee and competency (latest by source precedence),
    kept by the service on every assessment change so search filters stay indexed."""

    __tablename__ = "employee_competency_levels"
    __table_args__ = (Index("ix_employee_competency_levels_lookup", "competency_id", "level"),)

    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    source: Mapped[str] = mapped_column(String(24))
    assessed_on: Mapped[date] = mapped_column(Date)


class Training(VersionedMixin, _History, Base):
    __tablename__ = "trainings"
    __table_args__ = (
        CheckConstraint("hours_jp > 0", name="hours_positive"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint(
            "form IN ('training', 'seminar', 'workshop', 'technical_guidance', 'coaching', "
            "'mentoring', 'e_learning', 'internship', 'secondment', 'benchmarking', "
            "'self_study', 'degree_study')",
            name="form_known",
        ),
    )

    title: Mapped[str] = mapped_column(String(300))
    hours_jp: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    provider: Mapped[str | None] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(24))
    competency_ids: Mapped[list[int]] = mapped_column(ARRAY(Integer), server_default=text("'{}'"))
    certificate_number: Mapped[str | None] = mapped_column(String(100))


class Performance(VersionedMixin, _History, Base):
    """SKP: results and behaviour, each below / as expected / above; the predicate
    follows the PermenPANRB 6/2022 matrix."""

    __tablename__ = "performance_ratings"
    __table_args__ = (
        UniqueConstraint("employee_id", "year", "period"),
        CheckConstraint("period IN ('annual', 'q1', 'q2', 'q3', 'q4')", name="period_known"),
        CheckConstraint(
            "results IN ('below', 'as_expected', 'above') "
            "AND behaviour IN ('below', 'as_expected', 'above')",
            name="ratings_known",
        ),
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="score_range"),
    )

    year: Mapped[int] = mapped_column(SmallInteger)
    period: Mapped[str] = mapped_column(String(8))
    results: Mapped[str] = mapped_column(String(12))
    behaviour: Mapped[str] = mapped_column(String(12))
    predicate: Mapped[str] = mapped_column(String(32))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    rated_by: Mapped[str | None] = mapped_column(String(200))
    """Who recorded the rating (the caller's subject; unknown for ratings before 2026-11)."""
    rated_by_role: Mapped[str] = mapped_column(String(32), server_default="hr_officer")
    """``supervisor`` when the line manager rated; otherwise HR's (imports included)."""


class CareerInterest(VersionedMixin, _History, Base):
    __tablename__ = "career_interests"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('position', 'unit', 'training', 'field', 'rotation')", name="kind_known"
        ),
        CheckConstraint("priority BETWEEN 1 AND 10", name="priority_range"),
    )

    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    target_position_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("positions.id"))
    target_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"))
    priority: Mapped[int] = mapped_column(SmallInteger, server_default="1")


class Sanction(VersionedMixin, _History, Base):
    __tablename__ = "sanctions"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("severity IN ('light', 'medium', 'severe')", name="severity_known"),
    )

    severity: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(200))
    decree_number: Mapped[str | None] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
