"""Recorded relatives, scoped to the caller's agencies."""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest
from asn_career.profiles.models import Employee
from asn_career.rotations.models import Relative


class RelativeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Relative) -> None:
        self.session.add(row)

    async def delete(self, row: Relative) -> None:
        await self.session.delete(row)

    async def employees(self, agency: str, nips: list[str]) -> dict[str, Employee]:
        stmt = select(Employee).where(Employee.agency_code == agency, Employee.nip.in_(nips))
        return {e.nip: e for e in (await self.session.scalars(stmt)).all()}

    async def pair(self, a: uuid.UUID, b: uuid.UUID) -> Relative | None:
        stmt = select(Relative).where(Relative.employee_id == a, Relative.relative_id == b)
        return (await self.session.scalars(stmt)).first()

    async def get_visible(self, principal: Principal, relative_id: uuid.UUID) -> Relative | None:
        stmt = select(Relative).where(
            Relative.id == relative_id, principal.agency_clause(Relative.agency_code)
        )
        return (await self.session.scalars(stmt)).first()

    def _listed(self, nip: str | None = None) -> Any:
        one, other = aliased(Employee), aliased(Employee)
        stmt = (
            select(Relative, one.nip, one.name, other.nip, other.name)
            .join(one, one.id == Relative.employee_id)
            .join(other, other.id == Relative.relative_id)
        )
        if nip is not None:
            stmt = stmt.where((one.nip == nip) | (other.nip == nip))
        return stmt

    async def row(self, relative_id: uuid.UUID) -> Any:
        return (await self.session.execute(self._listed().where(Relative.id == relative_id))).one()

    async def page(
        self, agency: str, nip: str | None, page: PageRequest
    ) -> tuple[list[Any], str | None]:
        stmt = self._listed(nip).where(Relative.agency_code == agency)
        after = page.after_values(str)
        if after is not None:
            stmt = stmt.where(Relative.id > uuid.UUID(after[0]))
        rows = (await self.session.execute(stmt.order_by(Relative.id).limit(page.fetch_size))).all()
        return page.cut(list(rows), lambda r: (str(r[0].id),))
