"""Every query of training requests. A request is visible when its employee is:
``profiles.scope.employee_visibility`` (HR their agencies, a supervisor their reporting line,
an employee themselves) is in each query's WHERE."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, String, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.org.models import Competency, Position, Unit
from asn_career.profiles.models import Employee
from asn_career.profiles.scope import employee_visibility
from asn_career.training.models import Course, TrainingRequest


@dataclass(frozen=True)
class RequestFilters:
    agency: str | None = None
    status: str | None = None
    unit_id: uuid.UUID | None = None
    """With its sub-units."""
    year: int | None = None


def normalised_topic(column: Any) -> Any:
    """Lower case, runs of white space folded into one space, trimmed."""
    return func.lower(func.btrim(func.regexp_replace(column, r"\s+", " ", "g")))


class TrainingRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: TrainingRequest) -> None:
        self.session.add(row)

    async def visible_employee(self, principal: Principal, nip: str) -> Employee | None:
        stmt = select(Employee).where(Employee.nip == nip, employee_visibility(principal))
        return (await self.session.scalars(stmt)).one_or_none()

    async def employee(self, employee_id: uuid.UUID) -> Employee | None:
        return await self.session.get(Employee, employee_id)

    async def competency_id(self, code: str, agency_code: str) -> int | None:
        """A national competency, or one of the agency's technical ones."""
        stmt = select(Competency.id).where(
            Competency.code == code,
            or_(Competency.agency_code.is_(None), Competency.agency_code == agency_code),
        )
        return await self.session.scalar(stmt)

    async def active_course(self, course_id: uuid.UUID, agency_code: str) -> Course | None:
        stmt = select(Course).where(
            Course.id == course_id, Course.agency_code == agency_code, Course.active
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def is_direct_supervisor(self, supervisor_nip: str, employee: Employee) -> bool:
        """The supervisor holds the position the employee's position reports to."""
        if employee.position_id is None:
            return False
        superior = (
            select(Position.reports_to_position_id)
            .where(Position.id == employee.position_id)
            .scalar_subquery()
        )
        stmt = select(Employee.id).where(
            Employee.nip == supervisor_nip,
            Employee.position_id == superior,
            Employee.agency_code == employee.agency_code,
        )
        return (await self.session.scalar(stmt)) is not None

    async def get_visible(
        self, principal: Principal, training_request_id: uuid.UUID
    ) -> TrainingRequest | None:
        stmt = (
            select(TrainingRequest)
            .join(Employee, Employee.id == TrainingRequest.employee_id)
            .where(TrainingRequest.id == training_request_id, employee_visibility(principal))
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, filters: RequestFilters, page: PageRequest
    ) -> tuple[list[TrainingRequest], str | None]:
        stmt = (
            select(TrainingRequest)
            .join(Employee, Employee.id == TrainingRequest.employee_id)
            .where(employee_visibility(principal))
        )
        if filters.agency is not None:
            stmt = stmt.where(TrainingRequest.agency_code == filters.agency)
        if filters.status is not None:
            stmt = stmt.where(TrainingRequest.status == filters.status)
        if filters.year is not None:
            stmt = stmt.where(TrainingRequest.year == filters.year)
        if filters.unit_id is not None:
            stmt = stmt.where(
                Employee.unit_id.in_(select(Unit.id).where(Unit.path.contains([filters.unit_id])))
            )
        keys = [
            SortKey(TrainingRequest.created_at, descending=True),
            SortKey(TrainingRequest.id, descending=True),
        ]
        return await paginate(self.session, stmt, keys, page, lambda r: (r.created_at, r.id))

    async def details(self, request_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Row[Any]]:
        """For a page of requests at once: NIP, name and unit of the employee, the
        competency's code and the course's title."""
        if not request_ids:
            return {}
        stmt = (
            select(
                TrainingRequest.id,
                Employee.nip,
                Employee.name,
                Employee.unit_id,
                Competency.code.label("competency_code"),
                Course.title.label("course_title"),
            )
            .join(Employee, Employee.id == TrainingRequest.employee_id)
            .outerjoin(Competency, Competency.id == TrainingRequest.competency_id)
            .outerjoin(Course, Course.id == TrainingRequest.course_id)
            .where(TrainingRequest.id.in_(request_ids))
        )
        rows: Any = (await self.session.execute(stmt)).all()
        return {row.id: row for row in rows}

    def _counts(self) -> list[Any]:
        return [
            func.count().label("total"),
            func.count().filter(TrainingRequest.status == "submitted").label("submitted"),
            func.count().filter(TrainingRequest.status == "endorsed").label("endorsed"),
            func.count().filter(TrainingRequest.status == "rejected").label("rejected"),
        ]

    async def topic_counts(self, principal: Principal, agency: str, year: int) -> list[Row[Any]]:
        topic = normalised_topic(func.coalesce(Course.title, TrainingRequest.topic))
        course = func.min(cast(TrainingRequest.course_id, String))
        same_course = and_(
            func.count(func.distinct(TrainingRequest.course_id)) == 1,
            func.count(TrainingRequest.course_id) == func.count(),
        )
        stmt = (
            select(
                topic.label("topic"),
                case((same_course, course), else_=None).label("course_id"),
                *self._counts(),
            )
            .join(Employee, Employee.id == TrainingRequest.employee_id)
            .outerjoin(Course, Course.id == TrainingRequest.course_id)
            .where(
                employee_visibility(principal),
                TrainingRequest.agency_code == agency,
                TrainingRequest.year == year,
                TrainingRequest.status != "withdrawn",
            )
            .group_by(topic)
            .order_by(func.count().desc(), topic)
        )
        return list((await self.session.execute(stmt)).all())

    async def unit_counts(self, principal: Principal, agency: str, year: int) -> list[Row[Any]]:
        stmt = (
            select(Employee.unit_id, Unit.name.label("unit_name"), *self._counts())
            .select_from(TrainingRequest)
            .join(Employee, Employee.id == TrainingRequest.employee_id)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .where(
                employee_visibility(principal),
                TrainingRequest.agency_code == agency,
                TrainingRequest.year == year,
                TrainingRequest.status != "withdrawn",
            )
            .group_by(Employee.unit_id, Unit.name)
            .order_by(func.count().desc(), Unit.name, Employee.unit_id)
        )
        return list((await self.session.execute(stmt)).all())
