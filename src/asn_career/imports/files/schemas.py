"""API shapes of imports."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class ImportKind(StrEnum):
    UNITS = "units"
    POSITIONS = "positions"
    EMPLOYEES = "employees"
    EDUCATION = "education"
    ASSIGNMENTS = "assignments"
    TRAININGS = "trainings"
    PERFORMANCE = "performance"
    COMPETENCIES = "competencies"
    SANCTIONS = "sanctions"
    TRAINING_COURSES = "training_courses"


class ImportMapping(StrEnum):
    NATIVE = "native"
    SIASN = "siasn"

    @classmethod
    def _missing_(cls, value: object) -> "ImportMapping | None":
        """``SIASN``, ``Siasn``: offices write the name as they say it."""
        if isinstance(value, str):
            return next((m for m in cls if m.value == value.strip().lower()), None)
        return None


class ImportMode(StrEnum):
    UPSERT = "upsert"
    INSERT = "insert"


class OnError(StrEnum):
    ABORT = "abort"
    SKIP = "skip"


ImportStatus = Literal["queued", "running", "succeeded", "failed"]


class ImportOptions(BaseModel):
    kind: ImportKind
    agency: str
    mapping: ImportMapping = ImportMapping.NATIVE
    mode: ImportMode = ImportMode.UPSERT
    dry_run: bool = False
    on_error: OnError = OnError.ABORT
    sheet: str | None = None


class ImportCounts(BaseModel):
    rows_total: int | None = Field(
        description="Data rows in the file (an estimate from its lines until it is read)."
    )
    rows_done: int = Field(description="Rows read and validated so far.")
    inserted: int
    updated: int
    unchanged: int
    errors: int = Field(description="Problems found so far (a row may have several).")
    invalid_rows: int = Field(description="Rows refused so far.")


class ImportOut(BaseModel):
    id: uuid.UUID
    agency: str
    kind: ImportKind
    mapping: ImportMapping
    mode: ImportMode
    dry_run: bool
    on_error: OnError
    sheet: str | None
    file_name: str
    format: Literal["csv", "xlsx", "ndjson"]
    encoding: str | None = Field(description="Text files: utf-8, utf-8-sig (BOM) or cp1252.")
    delimiter: str | None = Field(description="CSV: the sniffed delimiter.")
    status: ImportStatus
    written: bool = Field(
        description="Whether the import changed the database (succeeded, not a dry run)."
    )
    job_id: uuid.UUID | None = Field(description="The job running it (none for CLI imports).")
    counts: ImportCounts
    columns: list[str] = Field(description="The file's columns that were imported.")
    unknown_columns: list[str] = Field(description="Columns no field of this kind takes.")
    ignored_columns: list[str] = Field(
        description="Known SIASN columns that this kind does not use."
    )
    failure: str | None = Field(description="Why the import failed, when it did.")
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    version: int


class ImportErrorOut(BaseModel):
    row: int | None = Field(
        description="The row as numbered in the file (CSV/NDJSON line, sheet row); the "
        "header is row 1. Null for problems of the whole file."
    )
    column: str | None = Field(description="The file's column (header) at fault.")
    value: str | None = Field(description="The cell as read (NIK masked, long text cut).")
    message: str
