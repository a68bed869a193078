"""Career-management surveys. Who answered and what was answered live in two tables with
nothing in common but the survey:

- ``survey_respondents`` holds one keyed hash per (survey, employee) (``rules.
  respondent_hash``): it refuses a second response and says nothing about the answers;
- ``survey_responses`` holds the answers with the respondent's unit, gender and rank group
  as they were, under a random id, without a timestamp or a sequence.

So answers cannot be joined back to a person through the API or through the tables'
columns. Within the database the two rows of one response are written by one transaction
(same ``xmin``, neighbouring places in the heap): closing a survey rewrites its responses
in random order (``repository.reshuffle``), after which even that trace is gone.
Results are computed once, at closing, and frozen in ``surveys.results`` (as the 360°
reports are), so nothing later can be differenced against them.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class Survey(VersionedMixin, TimestampMixin, Base):
    """A survey of an agency's employees about a year: ``draft`` → ``open`` → ``closed``."""

    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'open', 'closed')", name="state_known"),
        CheckConstraint("min_group_size BETWEEN 5 AND 20", name="min_group_size_range"),
        Index("ix_surveys_agency_year", "agency_code", "year", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(SmallInteger)
    question_set: Mapped[str] = mapped_column(String(32))
    question_set_version: Mapped[int] = mapped_column(SmallInteger)
    min_group_size: Mapped[int] = mapped_column(SmallInteger, server_default="5")
    state: Mapped[str] = mapped_column(String(16), server_default="draft")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    results: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class SurveyRespondent(Base):
    """That someone responded: a keyed hash of (survey, employee), nothing else."""

    __tablename__ = "survey_respondents"

    survey_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    respondent_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)


class SurveyResponse(Base):
    """One response's answers, with the groups it is counted under, and no link to a
    person: a random id, no timestamp."""

    __tablename__ = "survey_responses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    survey_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    gender: Mapped[str] = mapped_column(String(8))
    rank_group: Mapped[str] = mapped_column(String(8))
    scores: Mapped[dict[str, Any]] = mapped_column(JSONB)
    comment: Mapped[str | None] = mapped_column(Text)
