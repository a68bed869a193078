"""Every query of enrolments: within the caller's agencies and the employees they may see
(``profiles.scope.employee_visibility``: HR the agency, a supervisor their reporting line,
an employee themselves), in the WHERE of each query."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.org.models import Competency, Position, Rank
from asn_career.profiles.models import Employee
from asn_career.profiles.scope import employee_visibility
from asn_career.training.models import Course, CourseCompetency, Enrolment
from asn_career.training.rules import Rung

COUNTED_STATES = ("planned", "enrolled", "completed")
"""The enrolments that take a place on a course."""


@dataclass(frozen=True)
class EnrolmentFilters:
    agency: str | None = None
    year: int | None = None
    course_id: uuid.UUID | None = None
    nip: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class Candidate:
    """The employee to enrol and what eligibility looks at."""

    employee: Employee
    position_kind: str | None
    rung: Rung | None


class EnrolmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Enrolment) -> None:
        self.session.add(row)

    def _visible(self, principal: Principal) -> Select[Enrolment]:
        return (
            select(Enrolment)
            .join(Employee, Employee.id == Enrolment.employee_id)
            .where(principal.agency_clause(Enrolment.agency_code), employee_visibility(principal))
        )

    async def get(
        self, principal: Principal, enrolment_id: uuid.UUID, *, lock: bool = False
    ) -> Enrolment | None:
        stmt = self._visible(principal).where(Enrolment.id == enrolment_id)
        if lock:
            stmt = stmt.with_for_update(of=Enrolment).execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, filters: EnrolmentFilters, page: PageRequest
    ) -> tuple[list[Enrolment], str | None]:
        stmt = self._visible(principal)
        if filters.agency is not None:
            stmt = stmt.where(Enrolment.agency_code == filters.agency)
        if filters.year is not None:
            stmt = stmt.where(Enrolment.year == filters.year)
        if filters.course_id is not None:
            stmt = stmt.where(Enrolment.course_id == filters.course_id)
        if filters.nip is not None:
            stmt = stmt.where(Employee.nip == filters.nip)
        if filters.state is not None:
            stmt = stmt.where(Enrolment.state == filters.state)
        keys = [SortKey(Enrolment.created_at, descending=True), SortKey(Enrolment.id)]
        return await paginate(self.session, stmt, keys, page, lambda e: (e.created_at, e.id))

    async def labels(
        self, rows: Collection[Enrolment]
    ) -> tuple[dict[uuid.UUID, tuple[str, str]], dict[uuid.UUID, tuple[str, str]]]:
        """Employee id → (NIP, name) and course id → (code, title), for a page at once."""
        employee_ids = {r.employee_id for r in rows}
        course_ids = {r.course_id for r in rows}
        people: dict[uuid.UUID, tuple[str, str]] = {}
        courses: dict[uuid.UUID, tuple[str, str]] = {}
        if employee_ids:
            stmt = select(Employee.id, Employee.nip, Employee.name).where(
                Employee.id.in_(employee_ids)
            )
            people = {i: (nip, name) for i, nip, name in (await self.session.execute(stmt)).all()}
        if course_ids:
            stmt2 = select(Course.id, Course.code, Course.title).where(Course.id.in_(course_ids))
            courses = {i: (c, t) for i, c, t in (await self.session.execute(stmt2)).all()}
        return people, courses

    async def candidate(self, principal: Principal, nip: str) -> Candidate | None:
        stmt = (
            select(Employee, Position.kind, Rank.scale, Rank.ordinal)
            .outerjoin(Position, Position.id == Employee.position_id)
            .outerjoin(Rank, Rank.code == Employee.rank_code)
            .where(Employee.nip == nip, employee_visibility(principal))
        )
        found = (await self.session.execute(stmt)).one_or_none()
        if found is None:
            return None
        employee, kind, scale, ordinal = found
        rung = Rung(scale, int(ordinal)) if scale is not None else None
        return Candidate(employee, kind, rung)

    async def employee(self, employee_id: uuid.UUID) -> Employee:
        found = await self.session.get(Employee, employee_id)
        assert found is not None  # the enrolment's foreign key
        return found

    async def course(
        self, principal: Principal, course_id: uuid.UUID, *, lock: bool = False
    ) -> Course | None:
        stmt = select(Course).where(
            Course.id == course_id, principal.agency_clause(Course.agency_code)
        )
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def rungs(self, codes: Collection[str]) -> dict[str, Rung]:
        if not codes:
            return {}
        stmt = select(Rank.code, Rank.scale, Rank.ordinal).where(Rank.code.in_(codes))
        return {c: Rung(s, int(o)) for c, s, o in (await self.session.execute(stmt)).all()}

    async def already(self, employee_id: uuid.UUID, course_id: uuid.UUID, year: int) -> bool:
        stmt = select(func.count()).where(
            Enrolment.employee_id == employee_id,
            Enrolment.course_id == course_id,
            Enrolment.year == year,
        )
        return bool(await self.session.scalar(stmt))

    async def taken_places(self, course_id: uuid.UUID, year: int) -> int:
        stmt = select(func.count()).where(
            Enrolment.course_id == course_id,
            Enrolment.year == year,
            Enrolment.state.in_(COUNTED_STATES),
        )
        return int(await self.session.scalar(stmt) or 0)

    async def competency_codes(self, course_id: uuid.UUID) -> list[str]:
        stmt = (
            select(Competency.code)
            .join(CourseCompetency, CourseCompetency.competency_id == Competency.id)
            .where(CourseCompetency.course_id == course_id)
            .order_by(Competency.code)
        )
        return list((await self.session.scalars(stmt)).all())
