"""Results of a published cycle as a streamed CSV or XLSX file.

The cycle is looked up in the caller's agencies (another agency's is a 404) and must be
published (409 ``cycle_not_published``: before that there are no frozen reports, and HR's
preview is a per-subject view, not an export). The frozen reports are then read in keyset
batches of ``BATCH_SIZE``, each in its own short transaction, like the data exports of
``imports.exports``: CSV goes out batch by batch, XLSX is written in constant memory to a
temporary file and streamed. When the reading ends, however it ends, the audit entry
``feedback_results.exported`` (format, rows, whether the file was complete) is written in
its own transaction.
"""

import os
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.core.audit.service import AuditTrail
from asn_career.core.auth import Principal
from asn_career.core.db import unit_of_work
from asn_career.core.errors import Conflict, NotFound
from asn_career.core.sheets import Download, csv_body, file_chunks, spool_xlsx
from asn_career.feedback.models import Cycle
from asn_career.feedback.results.columns import (
    COLUMNS,
    MEDIA_TYPES,
    ResultsFormat,
    filename,
    result_rows,
)
from asn_career.feedback.results.repository import PUBLISHED, ResultsRepository

BATCH_SIZE = 500
"""Reports per batch (a report gives about a hundred rows)."""


@dataclass
class _Export:
    cycle_id: uuid.UUID
    agency: str
    fmt: ResultsFormat
    rows: int = 0
    complete: bool = False


class ResultsService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        sessionmaker: async_sessionmaker[AsyncSession] | None = None,
        batch_size: int | None = None,
    ) -> None:
        self.session = session
        self.principal = principal
        self.sessionmaker = sessionmaker
        self.repository = ResultsRepository(session)
        self.batch_size = batch_size or BATCH_SIZE

    async def visible_cycle(self, cycle_id: uuid.UUID) -> Cycle:
        cycle = await self.repository.cycle(self.principal, cycle_id)
        if cycle is None:
            raise NotFound()
        return cycle

    async def open(self, cycle: Cycle, fmt: ResultsFormat) -> Download:
        """The file of a published cycle: CSV lazily, XLSX spooled first (so that a file
        too large for one sheet is a 422, not a cut download)."""
        if cycle.state != PUBLISHED:
            raise Conflict(
                f"The cycle's results can be exported once it is published (it is {cycle.state}).",
                detail_id="Hasil siklus baru dapat diekspor setelah siklus diterbitkan "
                f"(saat ini: {cycle.state}).",
                code="cycle_not_published",
            )
        export = _Export(cycle.id, cycle.agency_code, fmt)
        name = filename(cycle.agency_code, cycle.id, fmt)
        if fmt is ResultsFormat.CSV:
            return Download(name, MEDIA_TYPES[fmt], csv_body(COLUMNS, self._rows(export)))
        spooled = await spool_xlsx("results", COLUMNS, self._rows(export), lambda: export.rows)
        size = os.fstat(spooled.fileno()).st_size
        return Download(name, MEDIA_TYPES[fmt], file_chunks(spooled), size)

    async def _rows(self, export: _Export) -> AsyncGenerator[list[tuple[Any, ...]]]:
        """The rows batch by batch; the audit entry is written when the reading ends."""
        assert self.sessionmaker is not None
        after: tuple[str, uuid.UUID] | None = None
        try:
            while True:
                async with self.sessionmaker() as session:
                    batch = await ResultsRepository(session).batch(
                        self.principal, export.cycle_id, after, self.batch_size
                    )
                rows = [
                    row for subject, dimensions in batch.rows
                    for row in result_rows(subject, dimensions)
                ]  # fmt: skip
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

    async def _audit(self, export: _Export) -> None:
        assert self.sessionmaker is not None
        async with unit_of_work(self.sessionmaker) as session:
            await AuditTrail(session).record(
                self.principal,
                "feedback_results.exported",
                entity_type="feedback_cycle",
                entity_id=export.cycle_id,
                agency_code=export.agency,
                after={
                    "format": export.fmt.value,
                    "rows": export.rows,
                    "complete": export.complete,
                },
            )
