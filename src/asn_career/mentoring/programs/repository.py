"""Every query of mentoring programmes, scoped to the caller's agencies in its WHERE."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.mentoring.models import Program
from asn_career.org.models import Agency


class ProgramRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Program) -> None:
        self.session.add(row)

    async def get(
        self, principal: Principal, program_id: uuid.UUID, *, lock: bool = False
    ) -> Program | None:
        stmt = select(Program).where(
            Program.id == program_id, principal.agency_clause(Program.agency_code)
        )
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, agency: str | None, page: PageRequest
    ) -> tuple[list[Program], str | None]:
        stmt = select(Program).where(principal.agency_clause(Program.agency_code))
        if agency is not None:
            stmt = stmt.where(Program.agency_code == agency)
        keys = [SortKey(Program.starts_on, descending=True), SortKey(Program.id)]
        return await paginate(self.session, stmt, keys, page, lambda p: (p.starts_on, p.id))

    async def agency_exists(self, code: str) -> bool:
        found = await self.session.scalar(select(Agency.code).where(Agency.code == code))
        return found is not None
