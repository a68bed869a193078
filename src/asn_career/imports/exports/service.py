"""Exports: an agency's data as a streamed CSV or XLSX file in the ``native`` mapping.

Rows are read in keyset batches of ``BATCH_SIZE``, each batch in its own short
transaction (no connection is held while a slow client downloads). CSV goes out batch by
batch; XLSX is written in constant memory (xlsxwriter) to a temporary file, then streamed.

The request's unit of work commits before a streamed body is sent, so the audit entry
``export.created`` (kind, format, agency, row count, whether the file was complete) is
written in its own transaction when the rows have been read — also when the download
was cut short.
"""

import os
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.core.audit.service import AuditTrail
from asn_career.core.auth import Principal
from asn_career.core.db import unit_of_work
from asn_career.core.errors import NotFound, field_problem
from asn_career.core.sheets import Download, csv_body, file_chunks, spool_xlsx
from asn_career.imports.exports.columns import (
    AGENCY_COLUMN,
    MEDIA_TYPES,
    NATIVE_COLUMNS,
    ExportFormat,
    ExportKind,
    filename,
)
from asn_career.imports.exports.repository import ExportRepository
from asn_career.profiles.nip import mask_nik
from asn_career.profiles.scope import may_see_nik

BATCH_SIZE = 1000


@dataclass
class _Export:
    kind: ExportKind
    fmt: ExportFormat
    agency: str | None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    rows: int = 0
    complete: bool = False


class ExportService:
    def __init__(
        self,
        session: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        principal: Principal,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.session = session
        self.sessionmaker = sessionmaker
        self.principal = principal
        self.repository = ExportRepository(session)
        self.batch_size = batch_size

    async def open(self, kind: ExportKind, fmt: ExportFormat, agency: str | None) -> Download:
        """Check who may export what, then the file: CSV lazily, XLSX spooled first. An
        officer of one agency need not name it."""
        if agency is None and not self.principal.is_admin and len(self.principal.agencies) == 1:
            [agency] = self.principal.agencies
        await self._check_agency(agency)
        export = _Export(kind=kind, fmt=fmt, agency=agency)
        name = filename(kind, agency, fmt, datetime.now(UTC).date())
        if fmt is ExportFormat.CSV:
            return Download(name, MEDIA_TYPES[fmt], csv_body(_columns(export), self._rows(export)))
        spooled = await spool_xlsx(
            export.kind.value, _columns(export), self._rows(export), lambda: export.rows
        )
        size = os.fstat(spooled.fileno()).st_size
        return Download(name, MEDIA_TYPES[fmt], file_chunks(spooled), size)

    async def _check_agency(self, agency: str | None) -> None:
        if agency is None:
            if self.principal.is_admin:
                return
            raise field_problem(
                ["query", "agency"],
                "agency is required: name the agency to export",
                "agency wajib diisi: sebutkan instansi yang diekspor",
                "missing",
                each=["field required"],
                each_id=["wajib diisi"],
            )
        self.principal.require_agency(agency)
        if not await self.repository.agency_exists(agency):
            raise NotFound()

    async def _rows(self, export: _Export) -> AsyncGenerator[list[tuple[Any, ...]]]:
        """The rows batch by batch, shaped as ``_columns`` says (NIK masked for callers
        who may not see it); the audit entry is written when the reading ends, however it
        ends."""
        native = NATIVE_COLUMNS[export.kind]
        nik_at = native.index("nik") if "nik" in native else None
        after: tuple[Any, ...] | None = None
        try:
            while True:
                async with self.sessionmaker() as session:
                    batch = await ExportRepository(session).batch(
                        self.principal, export.kind, export.agency, after, self.batch_size
                    )
                rows = [self._shape(row, nik_at, export.agency is None) for row in batch.rows]
                export.rows += len(rows)
                if rows:
                    yield rows
                if batch.last_key is None:
                    break
                after = batch.last_key
            export.complete = True
        finally:
            with anyio.CancelScope(shield=True):
                await self._audit(export)

    def _shape(
        self, row: tuple[Any, ...], nik_at: int | None, with_agency: bool
    ) -> tuple[Any, ...]:
        *values, agency = row
        if (
            nik_at is not None
            and values[nik_at] is not None
            and not may_see_nik(self.principal, agency)
        ):
            values[nik_at] = mask_nik(values[nik_at])
        return (agency, *values) if with_agency else tuple(values)

    async def _audit(self, export: _Export) -> None:
        async with unit_of_work(self.sessionmaker) as session:
            await AuditTrail(session).record(
                self.principal,
                "export.created",
                entity_type="export",
                entity_id=export.id,
                agency_code=export.agency,
                after={
                    "kind": export.kind.value,
                    "format": export.fmt.value,
                    "agency": export.agency,
                    "rows": export.rows,
                    "complete": export.complete,
                },
            )


def _columns(export: _Export) -> tuple[str, ...]:
    """The kind's native columns; ``agency`` first when every agency is exported."""
    native = NATIVE_COLUMNS[export.kind]
    return (AGENCY_COLUMN, *native) if export.agency is None else native
