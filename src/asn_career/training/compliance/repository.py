"""The queries of compliance: JP per employee for a year and the year before, summed in
SQL from the profiles' training history, for the active employees of one agency."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest
from asn_career.org.models import Unit
from asn_career.profiles.models import Employee, Training
from asn_career.training.rules import MIN_JP_PER_YEAR


@dataclass(frozen=True)
class Row:
    nip: str
    name: str
    unit_id: uuid.UUID | None
    unit_code: str | None
    unit_name: str | None
    jp: float
    previous_jp: float


@dataclass(frozen=True)
class UnitRow:
    unit_id: uuid.UUID | None
    unit_code: str | None
    unit_name: str | None
    employees: int
    below: int
    previous_below: int
    total_jp: float


class ComplianceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def people(principal: Principal, agency: str, year: int) -> Select[*tuple[Any, ...]]:
        """One row per active employee of the agency: JP in ``year`` and in the year
        before (a training counts in the year it starts), with what the career evaluation
        groups them by (unit path, gender, rank, employment type)."""
        training_year = extract("year", Training.start_date)
        jp = (
            select(
                Training.employee_id,
                func.sum(case((training_year == year, Training.hours_jp), else_=0)).label("jp"),
                func.sum(case((training_year == year - 1, Training.hours_jp), else_=0)).label(
                    "previous_jp"
                ),
            )
            .where(Training.start_date.between(date(year - 1, 1, 1), date(year, 12, 31)))
            .group_by(Training.employee_id)
            .subquery("jp")
        )
        return (
            select(
                Employee.nip,
                Employee.name,
                Employee.unit_id,
                Unit.code.label("unit_code"),
                Unit.name.label("unit_name"),
                Unit.path.label("unit_path"),
                Employee.gender,
                Employee.rank_code,
                Employee.employment_type,
                func.coalesce(jp.c.jp, 0).label("jp"),
                func.coalesce(jp.c.previous_jp, 0).label("previous_jp"),
            )
            .outerjoin(jp, jp.c.employee_id == Employee.id)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .where(
                Employee.agency_code == agency,
                Employee.status == "active",
                principal.agency_clause(Employee.agency_code),
            )
        )

    async def page(
        self, principal: Principal, agency: str, year: int, below_only: bool, page: PageRequest
    ) -> tuple[list[Row], str | None]:
        people = self.people(principal, agency, year).subquery("people")
        stmt = select(people)
        if below_only:
            stmt = stmt.where(people.c.jp < MIN_JP_PER_YEAR)
        after = page.after_values(str)
        if after is not None:
            stmt = stmt.where(people.c.nip > after[0])
        found = (
            await self.session.execute(stmt.order_by(people.c.nip).limit(page.fetch_size))
        ).all()
        rows = [_row(r) for r in found]
        return page.cut(rows, lambda r: (r.nip,))

    async def everyone(self, principal: Principal, agency: str, year: int) -> list[Row]:
        people = self.people(principal, agency, year).subquery("people")
        found = await self.session.execute(select(people).order_by(people.c.nip))
        return [_row(r) for r in found.all()]

    async def units(self, principal: Principal, agency: str, year: int) -> list[UnitRow]:
        """Per unit: employees, how many are below 20 JP this year and last, and JP."""
        people = self.people(principal, agency, year).subquery("people")
        below = people.c.jp < MIN_JP_PER_YEAR
        previous_below = people.c.previous_jp < MIN_JP_PER_YEAR
        stmt = (
            select(
                people.c.unit_id,
                people.c.unit_code,
                people.c.unit_name,
                func.count(),
                func.count().filter(below),
                func.count().filter(previous_below),
                func.sum(people.c.jp),
            )
            .group_by(people.c.unit_id, people.c.unit_code, people.c.unit_name)
            .order_by(people.c.unit_code.nulls_last(), people.c.unit_id)
        )
        return [
            UnitRow(uid, code, name, int(n), int(b), int(pb), float(total or 0))
            for uid, code, name, n, b, pb, total in (await self.session.execute(stmt)).all()
        ]

    async def totals(self, principal: Principal, agency: str, year: int) -> dict[str, float]:
        people = self.people(principal, agency, year).subquery("people")
        stmt = select(
            func.count(),
            func.count().filter(people.c.jp < MIN_JP_PER_YEAR),
            func.coalesce(func.sum(people.c.jp), 0),
            func.count().filter(people.c.previous_jp < MIN_JP_PER_YEAR),
            func.coalesce(func.sum(people.c.previous_jp), 0),
        )
        n, below, total, previous_below, previous_total = (await self.session.execute(stmt)).one()
        return {
            "employees": int(n),
            "below": int(below),
            "total_jp": float(total),
            "previous_below": int(previous_below),
            "previous_total_jp": float(previous_total),
        }


def _row(r: Any) -> Row:
    return Row(
        r.nip, r.name, r.unit_id, r.unit_code, r.unit_name, float(r.jp), float(r.previous_jp)
    )
