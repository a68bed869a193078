"""Queries on import runs and their errors, always within the caller's agencies."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, exists, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.imports.files.models import ImportRowError, ImportRun
from asn_career.org.models import Agency


class ImportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, run: ImportRun) -> None:
        self.session.add(run)

    async def agency_exists(self, code: str) -> bool:
        return bool(await self.session.scalar(select(exists().where(Agency.code == code))))

    async def get_visible(self, principal: Principal, import_id: uuid.UUID) -> ImportRun | None:
        stmt = select(ImportRun).where(
            ImportRun.id == import_id, principal.agency_clause(ImportRun.agency_code)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def get(self, import_id: uuid.UUID) -> ImportRun | None:
        return await self.session.get(ImportRun, import_id, populate_existing=True)

    async def set_values(self, import_id: uuid.UUID, **values: Any) -> None:
        """Progress and status, bumping the version behind the ETag."""
        await self.session.execute(
            update(ImportRun)
            .where(ImportRun.id == import_id)
            .values(version=ImportRun.version + 1, **values)
        )

    async def clear_errors(self, import_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(ImportRowError).where(ImportRowError.import_id == import_id)
        )

    async def add_errors(
        self,
        import_id: uuid.UUID,
        errors: Iterable[tuple[int | None, str | None, str | None, str, str | None]],
    ) -> None:
        rows = [
            {
                "import_id": import_id,
                "row_number": r or 0,
                "column": c,
                "value": v,
                "message": m,
                "message_id": m_id,
            }
            for r, c, v, m, m_id in errors
        ]
        if rows:
            await self.session.execute(insert(ImportRowError), rows)

    async def errors_page(
        self, import_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[ImportRowError], str | None]:
        stmt = select(ImportRowError).where(ImportRowError.import_id == import_id)
        keys = [SortKey(ImportRowError.row_number), SortKey(ImportRowError.id)]
        return await paginate(self.session, stmt, keys, page, lambda e: (e.row_number, e.id))

    async def errors_after(
        self, import_id: uuid.UUID, after: tuple[int, int], limit: int
    ) -> Sequence[ImportRowError]:
        stmt = (
            select(ImportRowError)
            .where(
                ImportRowError.import_id == import_id,
                tuple_(ImportRowError.row_number, ImportRowError.id) > tuple_(*after),
            )
            .order_by(ImportRowError.row_number, ImportRowError.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def list_page(
        self, principal: Principal, agency: str | None, page: PageRequest
    ) -> tuple[list[ImportRun], str | None]:
        stmt = select(ImportRun).where(principal.agency_clause(ImportRun.agency_code))
        if agency is not None:
            stmt = stmt.where(ImportRun.agency_code == agency)
        keys = [SortKey(ImportRun.created_at, descending=True), SortKey(ImportRun.id, True)]
        return await paginate(self.session, stmt, keys, page, lambda r: (r.created_at, r.id))
