"""An import run (one uploaded file of one kind for one agency) and its row errors."""

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, TimestampMixin, new_uuid


class ImportRun(TimestampMixin, Base):
    """What was asked (kind, mapping, mode …), where the file is while it waits, and how
    far the run got. Counters are written by the run in short transactions of their own,
    so ``GET /imports/{id}`` shows them while the import's own transaction is open.
    ``version`` is bumped by every such write (it backs the ETag)."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_agency_created", "agency_code", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    kind: Mapped[str] = mapped_column(String(32))
    mapping: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str] = mapped_column(String(8))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    on_error: Mapped[str] = mapped_column(String(8))
    sheet: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    file_size: Mapped[int] = mapped_column(BigInteger)
    encoding: Mapped[str | None] = mapped_column(String(16))
    delimiter: Mapped[str | None] = mapped_column(String(1))
    stored_path: Mapped[str | None] = mapped_column(
        Text, comment="The uploaded file while the run needs it; cleared when removed."
    )
    keep_file: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    columns: Mapped[list[str]] = mapped_column(ARRAY(String(200)), server_default=text("'{}'"))
    unknown_columns: Mapped[list[str]] = mapped_column(
        ARRAY(String(200)), server_default=text("'{}'")
    )
    ignored_columns: Mapped[list[str]] = mapped_column(
        ARRAY(String(200)), server_default=text("'{}'")
    )
    status: Mapped[str] = mapped_column(String(16), server_default="queued")
    failure: Mapped[str | None] = mapped_column(Text)
    failure_id: Mapped[str | None] = mapped_column(Text, comment="The failure in Indonesian.")
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_by_role: Mapped[str] = mapped_column(String(32))
    api_key_id: Mapped[uuid.UUID | None] = mapped_column()
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, server_default="0")
    inserted: Mapped[int] = mapped_column(Integer, server_default="0")
    updated: Mapped[int] = mapped_column(Integer, server_default="0")
    unchanged: Mapped[int] = mapped_column(Integer, server_default="0")
    error_count: Mapped[int] = mapped_column(Integer, server_default="0")
    invalid_rows: Mapped[int] = mapped_column(Integer, server_default="0")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImportRowError(Base):
    """One problem of one row (or of the whole file when ``row_number`` is 0), listed in
    the file's order; its message in English and in Indonesian, read in the caller's."""

    __tablename__ = "import_errors"
    __table_args__ = (Index("ix_import_errors_import_row_id", "import_id", "row_number", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    import_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"))
    row_number: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(
        Text, comment="The message in Indonesian (null: none was given; the English is shown)."
    )
