import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, VersionedMixin, new_uuid


class ApiKey(VersionedMixin, TimestampMixin, Base):
    """An integration client's key; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    lookup: Mapped[str] = mapped_column(String(24), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    agencies: Mapped[list[str]] = mapped_column(ARRAY(String(32)), server_default=text("'{}'"))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default=text("'{}'"))
    created_by: Mapped[str] = mapped_column(String(200))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def prefix(self) -> str:
        return f"asnk_{self.lookup}"
