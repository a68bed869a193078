"""Every query of training plans, scoped to the caller's agencies in the query itself."""

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.org.models import Rank, Unit
from asn_career.profiles.models import CurrentCompetency, Employee
from asn_career.training.models import Course, CourseCompetency, Enrolment, Plan, PlanItem


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, plan: Plan) -> None:
        self.session.add(plan)

    async def get_visible(
        self, principal: Principal, plan_id: uuid.UUID, *, lock: bool = False
    ) -> Plan | None:
        stmt = select(Plan).where(Plan.id == plan_id, principal.agency_clause(Plan.agency_code))
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, agency: str | None, year: int | None, page: PageRequest
    ) -> tuple[list[Plan], str | None]:
        stmt = select(Plan).where(principal.agency_clause(Plan.agency_code))
        if agency is not None:
            stmt = stmt.where(Plan.agency_code == agency)
        if year is not None:
            stmt = stmt.where(Plan.year == year)
        keys = [SortKey(Plan.created_at, descending=True), SortKey(Plan.id, descending=True)]
        return await paginate(self.session, stmt, keys, page, lambda p: (p.created_at, p.id))

    async def item_counts(self, plan_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        if not plan_ids:
            return {}
        stmt = (
            select(PlanItem.plan_id, func.count())
            .where(PlanItem.plan_id.in_(plan_ids))
            .group_by(PlanItem.plan_id)
        )
        return {pid: n for pid, n in (await self.session.execute(stmt)).all()}

    async def items_page(
        self, plan_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[tuple[PlanItem, str]], str | None]:
        after = page.after_values(int)
        stmt = (
            select(PlanItem, Employee.nip)
            .join(Employee, Employee.id == PlanItem.employee_id)
            .where(PlanItem.plan_id == plan_id)
        )
        if after is not None:
            stmt = stmt.where(PlanItem.id > after[0])
        rows = (await self.session.execute(stmt.order_by(PlanItem.id).limit(page.fetch_size))).all()
        cut, cursor = page.cut(rows, lambda r: (r[0].id,))
        return [(r[0], r[1]) for r in cut], cursor

    async def agency_ids(
        self, model: type[Course] | type[Unit], agency: str, ids: Collection[uuid.UUID]
    ) -> set[uuid.UUID]:
        stmt = select(model.id).where(model.id.in_(ids), model.agency_code == agency)
        return set((await self.session.scalars(stmt)).all())

    async def courses(
        self, agency: str, course_ids: Collection[uuid.UUID] | None
    ) -> list[tuple[Course, dict[int, int]]]:
        """Active courses of the agency (of ``course_ids`` when given), each with the
        competencies it lifts and to which level."""
        stmt = select(Course).where(Course.agency_code == agency, Course.active.is_(True))
        if course_ids is not None:
            stmt = stmt.where(Course.id.in_(course_ids))
        courses = list((await self.session.scalars(stmt.order_by(Course.code))).all())
        lifts: dict[uuid.UUID, dict[int, int]] = defaultdict(dict)
        if courses:
            rows = await self.session.execute(
                select(CourseCompetency).where(
                    CourseCompetency.course_id.in_([c.id for c in courses])
                )
            )
            for (cc,) in rows.all():
                lifts[cc.course_id][cc.competency_id] = cc.target_level
        return [(c, lifts[c.id]) for c in courses]

    async def ranks(self) -> list[tuple[str, str, int]]:
        """Every rank: code, scale, ordinal."""
        rows = await self.session.execute(select(Rank.code, Rank.scale, Rank.ordinal))
        return [(code, scale, ordinal) for code, scale, ordinal in rows.all()]

    async def current_levels(
        self, agency: str, competency_ids: Collection[int]
    ) -> dict[tuple[uuid.UUID, int], float]:
        """The current level (by source precedence, as profiles keep it) of the agency's
        employees in these competencies."""
        if not competency_ids:
            return {}
        stmt = (
            select(CurrentCompetency.employee_id, CurrentCompetency.competency_id,
                   CurrentCompetency.level)
            .join(Employee, Employee.id == CurrentCompetency.employee_id)
            .where(Employee.agency_code == agency,
                   CurrentCompetency.competency_id.in_(competency_ids))
        )  # fmt: skip
        rows = (await self.session.execute(stmt)).all()
        return {(e, c): float(level) for e, c, level in rows}

    async def open_enrolments(self, agency: str, year: int) -> set[tuple[uuid.UUID, uuid.UUID]]:
        """(employee, course) of the year's enrolments that still count (not cancelled)."""
        stmt = select(Enrolment.employee_id, Enrolment.course_id).where(
            Enrolment.agency_code == agency,
            Enrolment.year == year,
            Enrolment.state != "cancelled",
        )
        return {(e, c) for e, c in (await self.session.execute(stmt)).all()}

    async def add_items(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(PlanItem), list(rows))

    async def items(self, plan_id: uuid.UUID, ids: Collection[int] | None) -> list[PlanItem]:
        stmt = select(PlanItem).where(PlanItem.plan_id == plan_id)
        if ids is not None:
            stmt = stmt.where(PlanItem.id.in_(ids))
        return list((await self.session.scalars(stmt.order_by(PlanItem.id))).all())

    async def existing_enrolments(
        self, year: int, pairs: Collection[tuple[uuid.UUID, uuid.UUID]]
    ) -> int:
        if not pairs:
            return 0
        employees = {e for e, _ in pairs}
        stmt = select(Enrolment.employee_id, Enrolment.course_id).where(
            Enrolment.year == year, Enrolment.employee_id.in_(employees)
        )
        found = {(e, c) for e, c in (await self.session.execute(stmt)).all()}
        return len(found & set(pairs))

    async def add_enrolments(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(Enrolment), list(rows))

    async def mark_approved(self, plan_id: uuid.UUID, ids: Collection[int]) -> None:
        await self.session.execute(
            update(PlanItem)
            .where(PlanItem.plan_id == plan_id, PlanItem.id.in_(ids))
            .values(approved=True)
        )
