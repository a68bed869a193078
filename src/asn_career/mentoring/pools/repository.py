"""Every query of a programme's pools. The programme is loaded scoped to the caller first;
these queries stay inside it (and its agency)."""

import uuid
from collections.abc import Collection, Iterable
from typing import Any, cast

from sqlalchemy import Row, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.pagination import PageRequest
from asn_career.feedback.reports.repository import latest_published_report
from asn_career.mentoring.models import Match, Matching, Mentee, Mentor, Program
from asn_career.mentoring.rules import STRENGTH_MIN_LEVEL
from asn_career.org.models import Competency
from asn_career.profiles.models import CurrentCompetency, Employee


class PoolRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Mentor | Mentee) -> None:
        self.session.add(row)

    async def employee(self, agency_code: str, nip: str) -> Employee | None:
        stmt = select(Employee).where(Employee.nip == nip, Employee.agency_code == agency_code)
        return (await self.session.scalars(stmt)).one_or_none()

    async def mentor(self, program: Program, nip: str, *, lock: bool = False) -> Row[Any] | None:
        stmt = (
            select(Mentor, Employee.nip, Employee.name)
            .join(Employee, Employee.id == Mentor.employee_id)
            .where(Mentor.program_id == program.id, Employee.nip == nip)
        )
        if lock:
            stmt = stmt.with_for_update(of=Mentor).execution_options(populate_existing=True)
        return cast("Row[Any] | None", (await self.session.execute(stmt)).one_or_none())

    async def mentee(self, program: Program, nip: str, *, lock: bool = False) -> Row[Any] | None:
        stmt = (
            select(Mentee, Employee.nip, Employee.name)
            .join(Employee, Employee.id == Mentee.employee_id)
            .where(Mentee.program_id == program.id, Employee.nip == nip)
        )
        if lock:
            stmt = stmt.with_for_update(of=Mentee).execution_options(populate_existing=True)
        return cast("Row[Any] | None", (await self.session.execute(stmt)).one_or_none())

    async def in_pool(self, model: type[Mentor] | type[Mentee], program_id: uuid.UUID,
                      employee_id: uuid.UUID) -> bool:  # fmt: skip
        stmt = select(model.id).where(
            model.program_id == program_id, model.employee_id == employee_id
        )
        return (await self.session.scalar(stmt)) is not None

    async def mentors_page(
        self, program: Program, page: PageRequest
    ) -> tuple[list[Row[Any]], str | None]:
        stmt = (
            select(Mentor, Employee.nip, Employee.name)
            .join(Employee, Employee.id == Mentor.employee_id)
            .where(Mentor.program_id == program.id)
        )
        return await self._page(stmt, page)

    async def mentees_page(
        self, program: Program, page: PageRequest
    ) -> tuple[list[Row[Any]], str | None]:
        stmt = (
            select(Mentee, Employee.nip, Employee.name)
            .join(Employee, Employee.id == Mentee.employee_id)
            .where(Mentee.program_id == program.id)
        )
        return await self._page(stmt, page)

    async def _page(self, stmt: Any, page: PageRequest) -> tuple[list[Row[Any]], str | None]:
        after = page.after_values(str)
        if after is not None:
            stmt = stmt.where(Employee.nip > after[0])
        rows = (
            await self.session.execute(stmt.order_by(Employee.nip).limit(page.fetch_size))
        ).all()
        return page.cut(rows, lambda r: (r.nip,))

    async def loads(self, mentor_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        """Matches each mentor carries now: proposed ones of a published run, and active."""
        if not mentor_ids:
            return {}
        stmt = (
            select(Match.mentor_id, func.count())
            .where(Match.mentor_id.in_(mentor_ids), Match.state.in_(("proposed", "active")),
                   _published(Match.matching_id))
            .group_by(Match.mentor_id)
        )  # fmt: skip
        return {mid: int(n) for mid, n in (await self.session.execute(stmt)).all()}

    async def codes(self, ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        stmt = select(Competency.id, Competency.code).where(Competency.id.in_(wanted))
        return {cid: code for cid, code in (await self.session.execute(stmt)).all()}

    async def competency_ids(self, agency_code: str, codes: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        stmt = select(Competency.code, Competency.id).where(
            Competency.code.in_(wanted),
            or_(Competency.agency_code.is_(None), Competency.agency_code == agency_code),
        )
        return {code: cid for code, cid in (await self.session.execute(stmt)).all()}

    async def strong_competencies(self, employee_id: uuid.UUID) -> list[int]:
        """The employee's current competencies at the strength level or above."""
        stmt = (
            select(CurrentCompetency.competency_id)
            .where(CurrentCompetency.employee_id == employee_id,
                   CurrentCompetency.level >= STRENGTH_MIN_LEVEL)
            .order_by(CurrentCompetency.competency_id)
        )  # fmt: skip
        return list((await self.session.scalars(stmt)).all())

    async def latest_360_suggestions(self, employee_id: uuid.UUID) -> list[dict[str, Any]]:
        report = await latest_published_report(self.session, employee_id)
        return list(report.get("develop_next") or ()) if report else []


def _published(matching_id: Any) -> Any:
    return matching_id.in_(select(Matching.id).where(Matching.status == "published"))
