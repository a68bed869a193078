from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base


class RateLimitWindow(Base):
    """Requests of one caller in one calendar minute, summed over every process.

    UNLOGGED: counts that last a minute need no write-ahead log (a crash loses them, which
    at worst forgives a minute's requests)."""

    __tablename__ = "rate_limit_windows"
    __table_args__ = ({"prefixes": ["UNLOGGED"]},)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    minute: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)
