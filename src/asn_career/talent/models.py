"""Talent tables: the agency's talent policy (the 9-box inputs and cut points)."""

from sqlalchemy import ARRAY, CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin


class TalentPolicy(VersionedMixin, TimestampMixin, Base):
    """One agency's talent policy; an agency without a row follows ``rules.DEFAULT_POLICY``."""

    __tablename__ = "talent_policies"
    __table_args__ = (
        CheckConstraint(
            "performance_source IN ('latest', 'two_year_average')", name="performance_source_known"
        ),
        CheckConstraint(
            "potential_medium_from > 0 AND potential_medium_from < potential_high_from "
            "AND potential_high_from <= 100",
            name="cut_points_ordered",
        ),
        CheckConstraint(
            "competency_weight >= 0 AND feedback_weight >= 0 "
            "AND competency_weight + feedback_weight > 0",
            name="weights_positive",
        ),
    )

    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), primary_key=True)
    performance_source: Mapped[str] = mapped_column(String(16))
    potential_medium_from: Mapped[int] = mapped_column(SmallInteger)
    potential_high_from: Mapped[int] = mapped_column(SmallInteger)
    competency_weight: Mapped[int] = mapped_column(SmallInteger)
    feedback_weight: Mapped[int] = mapped_column(SmallInteger)
    calibrated_sources: Mapped[list[str]] = mapped_column(ARRAY(String(24)))
