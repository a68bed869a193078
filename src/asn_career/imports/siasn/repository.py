"""Look-ups a SIASN sync needs: the agency's employees, our unit and position for SIASN's
names, and the natural keys of the histories an employee already has (so a second sync
adds nothing)."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.org.models import Agency, Position, Unit
from asn_career.profiles.models import Assignment, Education, Employee, Performance, Training


def _norm(column: Any) -> ColumnElement[str]:
    return func.lower(func.btrim(column))


class SiasnRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def agency_exists(self, agency: str) -> bool:
        stmt = select(Agency.code).where(Agency.code == agency)
        return (await self.session.scalar(stmt)) is not None

    async def agency_nips(self, agency: str) -> list[str]:
        """Every NIP of the agency's employees, in NIP order (what an agency sync walks)."""
        stmt = select(Employee.nip).where(Employee.agency_code == agency).order_by(Employee.nip)
        return list((await self.session.scalars(stmt)).all())

    async def unit_id_by_name(self, agency: str, name: str) -> uuid.UUID | None:
        """The agency's one unit of that name (case-insensitive); None if none or several."""
        stmt = (
            select(Unit.id)
            .where(Unit.agency_code == agency, _norm(Unit.name) == name.strip().lower())
            .limit(2)
        )
        found = list((await self.session.scalars(stmt)).all())
        return found[0] if len(found) == 1 else None

    async def position_id_by_title(
        self, agency: str, title: str, unit_name: str | None
    ) -> uuid.UUID | None:
        """The agency's position with that title, in the named unit when several match."""
        stmt = (
            select(Position.id, Unit.name)
            .join(Unit, Unit.id == Position.unit_id)
            .where(Position.agency_code == agency, _norm(Position.title) == title.strip().lower())
            .order_by(Position.code)
        )
        rows = list((await self.session.execute(stmt)).all())
        if unit_name is not None and len(rows) > 1:
            rows = [r for r in rows if r[1].strip().lower() == unit_name.strip().lower()]
        return rows[0][0] if len(rows) == 1 else None

    async def education_keys(self, employee_id: uuid.UUID) -> set[tuple[str, int | None]]:
        stmt = select(Education.level_code, Education.graduation_year).where(
            Education.employee_id == employee_id
        )
        return {(r[0], r[1]) for r in (await self.session.execute(stmt)).all()}

    async def training_keys(self, employee_id: uuid.UUID) -> set[tuple[str, date]]:
        stmt = select(Training.title, Training.start_date).where(
            Training.employee_id == employee_id
        )
        return {(r[0].strip().lower(), r[1]) for r in (await self.session.execute(stmt)).all()}

    async def performance_keys(self, employee_id: uuid.UUID) -> set[tuple[int, str]]:
        stmt = select(Performance.year, Performance.period).where(
            Performance.employee_id == employee_id
        )
        return {(r[0], r[1]) for r in (await self.session.execute(stmt)).all()}

    async def assignment_starts(self, employee_id: uuid.UUID) -> set[date]:
        stmt = select(Assignment.start_date).where(Assignment.employee_id == employee_id)
        return set((await self.session.scalars(stmt)).all())
