import uuid
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class Agency(VersionedMixin, TimestampMixin, Base):
    """An instansi, e.g. ``36.74`` Pemerintah Kota Tangerang Selatan."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(String(32))


class Unit(VersionedMixin, TimestampMixin, Base):
    """An organisational unit; ``path`` holds the ids from the root down to this unit,
    so "this unit and its sub-units" is one indexed ``path @> ARRAY[id]``."""

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("agency_code", "code"),
        Index("ix_units_path", "path", postgresql_using="gin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))


class Rank(Base):
    """Pangkat/golongan: PNS ``I/a`` … ``IV/e`` and PPPK ``I`` … ``XVII``, ordered per scale."""

    __tablename__ = "ranks"
    __table_args__ = (UniqueConstraint("scale", "ordinal"),)

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    scale: Mapped[str] = mapped_column(String(8))
    ordinal: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(100))


class EducationLevel(Base):
    __tablename__ = "education_levels"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    ordinal: Mapped[int] = mapped_column(SmallInteger, unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Competency(TimestampMixin, Base):
    """Dictionary entry: managerial ``M.1``–``M.8`` and ``SK.1`` are national (no agency);
    technical ``T.n`` belong to one agency."""

    __tablename__ = "competencies"
    __table_args__ = (
        Index(
            "uq_competencies_code_agency",
            "code",
            text("coalesce(agency_code, '')"),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    descriptors: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")


class Position(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "positions"
    __table_args__ = (
        UniqueConstraint("agency_code", "code"),
        CheckConstraint("reports_to_position_id IS DISTINCT FROM id", name="not_own_superior"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    functional_level: Mapped[str | None] = mapped_column(String(32))
    min_rank: Mapped[str | None] = mapped_column(ForeignKey("ranks.code"))
    max_rank: Mapped[str | None] = mapped_column(ForeignKey("ranks.code"))
    reports_to_position_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("positions.id"), index=True
    )
    preferred_education_fields: Mapped[list[str]] = mapped_column(
        ARRAY(String(100)), server_default=text("'{}'")
    )
    is_shared: Mapped[bool] = mapped_column(server_default=text("false"))


class PositionCompetency(Base):
    """A competency a position requires, at a level 1–5."""

    __tablename__ = "position_competencies"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),)

    position_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
