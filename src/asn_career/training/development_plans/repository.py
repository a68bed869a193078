"""Every query of development plans. A plan is visible when its employee is:
``profiles.scope.employee_visibility`` (HR their agencies, a supervisor their reporting
line, an employee themselves) is in each query's WHERE that returns plans.

What the latest published 360° report suggests comes from the feedback package's own
query (``feedback.reports.repository.latest_published_report``); training sits above feedback."""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    cast,
    delete,
    extract,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.feedback.reports.repository import latest_published_report
from asn_career.org.models import Agency, Competency, Position, Rank, Unit
from asn_career.profiles.models import CareerInterest, Employee, Training
from asn_career.profiles.scope import employee_visibility
from asn_career.training.development_plans.models import (
    DevelopmentPlan,
    DevelopmentPlanActivity,
    DevelopmentPlanNeed,
)
from asn_career.training.models import Course, CourseCompetency


@dataclass(frozen=True)
class Identity:
    """Who the plan is for, as the draft and the printed plan need it."""

    employee_id: uuid.UUID
    nip: str
    name: str
    agency_code: str
    agency_name: str
    position_id: uuid.UUID | None
    position_title: str | None
    position_kind: str | None
    unit_name: str | None
    rank_code: str | None
    rank_name: str | None
    rank_scale: str | None
    rank_ordinal: int | None


@dataclass(frozen=True)
class PlanFilters:
    agency: str | None = None
    year: int | None = None
    status: str | None = None


class DevelopmentPlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: DevelopmentPlan) -> None:
        self.session.add(row)

    # --- plans ---------------------------------------------------------------------------

    def _visible(self, principal: Principal) -> Select[Any]:
        return (
            select(DevelopmentPlan)
            .join(Employee, Employee.id == DevelopmentPlan.employee_id)
            .where(employee_visibility(principal))
        )

    async def get_visible(
        self, principal: Principal, plan_id: uuid.UUID, *, lock: bool = False
    ) -> DevelopmentPlan | None:
        stmt = self._visible(principal).where(DevelopmentPlan.id == plan_id)
        if lock:
            stmt = stmt.with_for_update(of=DevelopmentPlan).execution_options(
                populate_existing=True
            )
        return (await self.session.scalars(stmt)).one_or_none()

    async def exists(self, employee_id: uuid.UUID, year: int) -> bool:
        stmt = select(DevelopmentPlan.id).where(
            DevelopmentPlan.employee_id == employee_id, DevelopmentPlan.year == year
        )
        return (await self.session.scalar(stmt)) is not None

    async def page(
        self,
        principal: Principal,
        filters: PlanFilters,
        page: PageRequest,
        employee_id: uuid.UUID | None = None,
    ) -> tuple[list[DevelopmentPlan], str | None]:
        """Newest year first, then by id."""
        stmt = self._visible(principal)
        if employee_id is not None:
            stmt = stmt.where(DevelopmentPlan.employee_id == employee_id)
        if filters.agency is not None:
            stmt = stmt.where(DevelopmentPlan.agency_code == filters.agency)
        if filters.year is not None:
            stmt = stmt.where(DevelopmentPlan.year == filters.year)
        if filters.status is not None:
            stmt = stmt.where(DevelopmentPlan.status == filters.status)
        keys = [SortKey(DevelopmentPlan.year, descending=True), SortKey(DevelopmentPlan.id)]
        return await paginate(self.session, stmt, keys, page, lambda r: (r.year, r.id))

    async def everyone(
        self, principal: Principal, agency: str, year: int, status: str | None
    ) -> list[DevelopmentPlan]:
        """Every plan of the agency's year the caller may see, by NIP (for a file)."""
        stmt = (
            self._visible(principal)
            .where(DevelopmentPlan.agency_code == agency, DevelopmentPlan.year == year)
            .order_by(Employee.nip)
        )
        if status is not None:
            stmt = stmt.where(DevelopmentPlan.status == status)
        return list((await self.session.scalars(stmt)).all())

    async def replace_needs(self, plan_id: uuid.UUID, rows: Sequence[DevelopmentPlanNeed]) -> None:
        await self.session.execute(
            delete(DevelopmentPlanNeed).where(DevelopmentPlanNeed.plan_id == plan_id)
        )
        self.session.add_all(rows)

    async def replace_activities(
        self, plan_id: uuid.UUID, rows: Sequence[DevelopmentPlanActivity]
    ) -> None:
        await self.session.execute(
            delete(DevelopmentPlanActivity).where(DevelopmentPlanActivity.plan_id == plan_id)
        )
        self.session.add_all(rows)

    # --- details of a page of plans, three queries whatever its size ----------------------

    async def people(self, employee_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
        if not employee_ids:
            return {}
        stmt = select(Employee.id, Employee.nip, Employee.name).where(Employee.id.in_(employee_ids))
        return {r.id: r for r in (await self.session.execute(stmt)).all()}

    async def needs(self, plan_ids: Collection[uuid.UUID]) -> list[Any]:
        if not plan_ids:
            return []
        stmt = (
            select(
                DevelopmentPlanNeed,
                Competency.code.label("competency_code"),
                Competency.name_id.label("competency_name"),
            )
            .join(Competency, Competency.id == DevelopmentPlanNeed.competency_id)
            .where(DevelopmentPlanNeed.plan_id.in_(plan_ids))
            .order_by(DevelopmentPlanNeed.plan_id, DevelopmentPlanNeed.ordinal)
        )
        return list((await self.session.execute(stmt)).all())

    async def activities(self, plan_ids: Collection[uuid.UUID]) -> list[Any]:
        if not plan_ids:
            return []
        stmt = (
            select(
                DevelopmentPlanActivity,
                Competency.code.label("competency_code"),
                Competency.name_id.label("competency_name"),
                Course.code.label("course_code"),
                Course.title.label("course_title"),
            )
            .outerjoin(Competency, Competency.id == DevelopmentPlanActivity.competency_id)
            .outerjoin(Course, Course.id == DevelopmentPlanActivity.course_id)
            .where(DevelopmentPlanActivity.plan_id.in_(plan_ids))
            .order_by(DevelopmentPlanActivity.plan_id, DevelopmentPlanActivity.ordinal)
        )
        return list((await self.session.execute(stmt)).all())

    async def recorded_jp(
        self, plans: Collection[tuple[uuid.UUID, int]]
    ) -> dict[tuple[uuid.UUID, int], Decimal]:
        """JP in the training history per (employee, year) of the plans, a training
        counting in the year it starts (as ``GET /training/compliance`` counts it)."""
        if not plans:
            return {}
        training_year = cast(extract("year", Training.start_date), Integer)
        stmt = (
            select(Training.employee_id, training_year, func.sum(Training.hours_jp))
            .where(tuple_(Training.employee_id, training_year).in_(list(plans)))
            .group_by(Training.employee_id, training_year)
        )
        return {(e, y): jp for e, y, jp in (await self.session.execute(stmt)).all()}

    # --- people --------------------------------------------------------------------------

    async def identity(self, employee_id: uuid.UUID) -> Identity:
        stmt = (
            select(
                Employee.id.label("employee_id"),
                Employee.nip,
                Employee.name,
                Employee.agency_code,
                Agency.name.label("agency_name"),
                Employee.position_id,
                Position.title.label("position_title"),
                Position.kind.label("position_kind"),
                Unit.name.label("unit_name"),
                Employee.rank_code,
                Rank.name.label("rank_name"),
                Rank.scale.label("rank_scale"),
                Rank.ordinal.label("rank_ordinal"),
            )
            .join(Agency, Agency.code == Employee.agency_code)
            .outerjoin(Position, Position.id == Employee.position_id)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .outerjoin(Rank, Rank.code == Employee.rank_code)
            .where(Employee.id == employee_id)
        )
        row = (await self.session.execute(stmt)).one()
        return Identity(**row._mapping)

    def _superior(self, employee_id: uuid.UUID) -> Any:
        """The position the employee's position reports to."""
        return (
            select(Position.reports_to_position_id)
            .join(Employee, Employee.position_id == Position.id)
            .where(Employee.id == employee_id)
            .scalar_subquery()
        )

    async def holds_superior_position(self, nip: str, employee_id: uuid.UUID) -> bool:
        """``nip`` is an active holder of the position the employee's reports to, in the
        employee's agency: one of their direct supervisors."""
        agency = select(Employee.agency_code).where(Employee.id == employee_id).scalar_subquery()
        stmt = select(Employee.id).where(
            Employee.nip == nip,
            Employee.position_id == self._superior(employee_id),
            Employee.agency_code == agency,
            Employee.status == "active",
        )
        return (await self.session.scalar(stmt)) is not None

    async def direct_supervisor(self, employee_id: uuid.UUID) -> Any:
        """The active holder of the position the employee's position reports to, in the
        employee's agency (whom training requests ask to endorse): NIP, name and position
        title; None when nobody holds it (with several holders, the first by NIP)."""
        agency = select(Employee.agency_code).where(Employee.id == employee_id).scalar_subquery()
        stmt = (
            select(Employee.nip, Employee.name, Position.title.label("position_title"))
            .join(Position, Position.id == Employee.position_id)
            .where(
                Employee.position_id == self._superior(employee_id),
                Employee.agency_code == agency,
                Employee.status == "active",
            )
            .order_by(Employee.nip)
            .limit(1)
        )
        return (await self.session.execute(stmt)).first()

    async def name_of(self, nip: str, agency_code: str) -> str | None:
        stmt = select(Employee.name).where(Employee.nip == nip, Employee.agency_code == agency_code)
        return await self.session.scalar(stmt)

    # --- what a draft is made from -------------------------------------------------------

    async def latest_report(self, employee_id: uuid.UUID) -> dict[str, Any] | None:
        return await latest_published_report(self.session, employee_id)

    async def interests(self, employee_id: uuid.UUID) -> list[Any]:
        stmt = (
            select(
                CareerInterest.kind,
                CareerInterest.description,
                Position.title.label("target_title"),
            )
            .outerjoin(Position, Position.id == CareerInterest.target_position_id)
            .where(CareerInterest.employee_id == employee_id)
            .order_by(CareerInterest.priority, CareerInterest.created_at, CareerInterest.id)
        )
        return list((await self.session.execute(stmt)).all())

    async def competency_ids(self, codes: Collection[str], agency_code: str) -> dict[str, int]:
        """National competencies, and the agency's own technical ones, by code."""
        if not codes:
            return {}
        stmt = select(Competency.code, Competency.id).where(
            Competency.code.in_(codes),
            or_(Competency.agency_code.is_(None), Competency.agency_code == agency_code),
        )
        return {code: cid for code, cid in (await self.session.execute(stmt)).all()}

    async def competency_codes(self, ids: Collection[int]) -> dict[int, str]:
        if not ids:
            return {}
        stmt = select(Competency.id, Competency.code).where(Competency.id.in_(ids))
        return {cid: code for cid, code in (await self.session.execute(stmt)).all()}

    async def course_options(
        self, agency_code: str, competency_ids: Collection[int], year: int
    ) -> list[Any]:
        """Active courses of the agency lifting any of the competencies, running in the
        year or undated, one row per course and competency, with their eligibility."""
        if not competency_ids:
            return []
        low, high = aliased(Rank), aliased(Rank)
        stmt = (
            select(
                Course.id,
                Course.code,
                Course.title,
                Course.form,
                Course.hours_jp,
                Course.starts_on,
                CourseCompetency.competency_id,
                CourseCompetency.target_level,
                Course.eligible_position_kinds,
                low.scale.label("min_scale"),
                low.ordinal.label("min_ordinal"),
                high.scale.label("max_scale"),
                high.ordinal.label("max_ordinal"),
            )
            .join(CourseCompetency, CourseCompetency.course_id == Course.id)
            .outerjoin(low, low.code == Course.min_rank)
            .outerjoin(high, high.code == Course.max_rank)
            .where(
                Course.agency_code == agency_code,
                Course.active,
                CourseCompetency.competency_id.in_(competency_ids),
                or_(Course.starts_on.is_(None), extract("year", Course.starts_on) == year),
            )
            .order_by(Course.code, CourseCompetency.competency_id)
        )
        return list((await self.session.execute(stmt)).all())

    async def courses(self, course_ids: Collection[uuid.UUID], agency_code: str) -> list[Any]:
        """The named active courses of the agency, with their eligibility (for hand-written
        activities)."""
        if not course_ids:
            return []
        low, high = aliased(Rank), aliased(Rank)
        stmt = (
            select(
                Course.id,
                Course.eligible_position_kinds,
                low.scale.label("min_scale"),
                low.ordinal.label("min_ordinal"),
                high.scale.label("max_scale"),
                high.ordinal.label("max_ordinal"),
            )
            .outerjoin(low, low.code == Course.min_rank)
            .outerjoin(high, high.code == Course.max_rank)
            .where(Course.id.in_(course_ids), Course.agency_code == agency_code, Course.active)
        )
        return list((await self.session.execute(stmt)).all())

    # --- the agency's file ---------------------------------------------------------------

    async def units(self, employee_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
        if not employee_ids:
            return {}
        stmt = (
            select(Employee.id, Unit.code.label("unit_code"), Unit.name.label("unit_name"))
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .where(Employee.id.in_(employee_ids))
        )
        return {r.id: r for r in (await self.session.execute(stmt)).all()}
