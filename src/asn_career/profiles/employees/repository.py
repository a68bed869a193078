import uuid
from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import (
    ARRAY,
    Integer,
    Row,
    Select,
    String,
    Uuid,
    and_,
    any_,
    bindparam,
    func,
    literal,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from asn_career.core.auth import Principal, Role
from asn_career.core.pagination import PageRequest
from asn_career.core.prepared import Executor, PreparedSelect
from asn_career.org.models import Agency, Competency, Position, PositionCompetency, Unit
from asn_career.profiles.employees.schemas import EmployeeSearch
from asn_career.profiles.models import (
    Assignment,
    CareerInterest,
    CompetencyAssessment,
    CurrentCompetency,
    Education,
    Employee,
    Performance,
    Sanction,
    Training,
)
from asn_career.profiles.scope import employee_visibility, viewer_params, visibility_template

# The expression the trigram index ``ix_employees_name_trgm`` is built on.
NAME_KEY = func.asn_unaccent(func.lower(Employee.name))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_query(
    principal: Principal,
    filters: EmployeeSearch,
    rank_codes: Sequence[str] | None,
    *,
    after: tuple[Any, ...] | None = None,
    limit: int = 50,
) -> tuple[PreparedSelect, dict[str, Any]]:
    """One page of the search: the statement for the filters given, and its parameters.

    The statement depends only on the caller's role and on which filters are set, so
    it is built and compiled once per combination (``_search_statement``); the values
    travel as parameters.
    """
    params: dict[str, Any] = {**viewer_params(principal), "limit": limit}
    if filters.q:
        q = filters.q.strip()
        if q.isdigit():
            params["nip_prefix"] = _like_escape(q) + "%"
        else:
            params["name_pattern"] = "%" + _like_escape(q.lower()) + "%"
    if filters.agency is not None:
        params["agency"] = filters.agency
    if filters.unit_id is not None:
        params["unit_path"] = [filters.unit_id]
    if filters.rank is not None:
        params["rank"] = filters.rank
    if rank_codes is not None:
        params["rank_codes"] = list(rank_codes)
    if filters.position_kind is not None:
        params["position_kind"] = filters.position_kind
    if filters.competency is not None:
        params["competency"] = filters.competency
        params["min_level"] = filters.min_level or 1
    if filters.status is not None:
        params["status"] = filters.status
    if after is not None:
        params["after_name"], params["after_id"] = after
    return _search_statement(principal.role, frozenset(params)), params


@lru_cache(maxsize=1024)
def _search_statement(role: Role, given: frozenset[str]) -> PreparedSelect:
    """The search for ``role`` with the filters whose parameters are ``given``, with unit
    name and position joined in (no N+1).

    Each filter maps to an indexed condition: the trigram index on the unaccented name,
    the pattern index on the NIP, (agency, name, id) and (unit, name, id), the rank,
    status and position indexes, and the competency-level lookup index.
    """
    stmt: Select[*tuple[Any, ...]] = (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.front_title,
            Employee.back_title,
            Employee.gender,
            Employee.employment_type,
            Employee.rank_code.label("rank"),
            Employee.status,
            Employee.agency_code.label("agency"),
            Employee.unit_id,
            Unit.name.label("unit_name"),
            Employee.position_id,
            Position.title.label("position_title"),
            Position.kind.label("position_kind"),
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(visibility_template(role))
    )
    if "nip_prefix" in given:
        stmt = stmt.where(Employee.nip.like(bindparam("nip_prefix", type_=String)))
    if "name_pattern" in given:
        pattern = func.asn_unaccent(bindparam("name_pattern", type_=String))
        stmt = stmt.where(NAME_KEY.like(pattern))
    if "agency" in given:
        stmt = stmt.where(Employee.agency_code == bindparam("agency"))
    if "unit_path" in given:
        path = bindparam("unit_path", type_=ARRAY(Uuid))
        stmt = stmt.where(Employee.unit_id.in_(select(Unit.id).where(Unit.path.contains(path))))
    if "rank" in given:
        stmt = stmt.where(Employee.rank_code == bindparam("rank"))
    if "rank_codes" in given:
        codes = bindparam("rank_codes", type_=ARRAY(String))
        stmt = stmt.where(Employee.rank_code == any_(codes))
    if "position_kind" in given:
        kinds = select(Position.id).where(Position.kind == bindparam("position_kind"))
        stmt = stmt.where(Employee.position_id.in_(kinds))
    if "competency" in given:
        holders = (
            select(CurrentCompetency.employee_id)
            .join(Competency, Competency.id == CurrentCompetency.competency_id)
            .where(
                Competency.code == bindparam("competency"),
                CurrentCompetency.level >= bindparam("min_level"),
            )
        )
        stmt = stmt.where(Employee.id.in_(holders))
    if "status" in given:
        stmt = stmt.where(Employee.status == bindparam("status"))
    if "after_name" in given:
        after = tuple_(bindparam("after_name", type_=String), bindparam("after_id", type_=Uuid))
        stmt = stmt.where(tuple_(Employee.name, Employee.id) > after)
    return PreparedSelect(
        stmt.order_by(Employee.name, Employee.id).limit(bindparam("limit", type_=Integer))
    )


PROFILE_FIELDS: dict[str, InstrumentedAttribute[Any]] = {
    "id": Employee.id,
    "nip": Employee.nip,
    "name": Employee.name,
    "front_title": Employee.front_title,
    "back_title": Employee.back_title,
    "gender": Employee.gender,
    "birth_date": Employee.birth_date,
    "birth_place": Employee.birth_place,
    "employment_type": Employee.employment_type,
    "appointment_date": Employee.appointment_date,
    "rank": Employee.rank_code,
    "status": Employee.status,
    "agency": Employee.agency_code,
    "unit_id": Employee.unit_id,
    "position_id": Employee.position_id,
    "nik": Employee.nik,
    "email": Employee.email,
    "version": Employee.version,
    "created_at": Employee.created_at,
    "updated_at": Employee.updated_at,
}
"""The fields of the profile (``EmployeeOut``) and the columns they are read from: by the
prepared read as labels, from an entity after a write by ``profile_fields``."""


def profile_fields(employee: Employee) -> dict[str, Any]:
    """The profile's fields of an entity already loaded, as the prepared read names them."""
    return {name: getattr(employee, column.key) for name, column in PROFILE_FIELDS.items()}


@cache
def _profile_query(role: Role) -> PreparedSelect:
    columns = [c if c.key == name else c.label(name) for name, c in PROFILE_FIELDS.items()]
    return PreparedSelect(
        select(*columns).where(Employee.nip == bindparam("nip"), visibility_template(role))
    )


class EmployeeQueries:
    """The reads behind ``GET /employees`` and ``GET /employees/{nip}``, the most requested
    of all: prepared statements returning rows, no ORM entities, no unit of work needed."""

    def __init__(self, on: Executor) -> None:
        self.on = on

    async def profile_row(self, principal: Principal, nip: str) -> asyncpg.Record | None:
        """The employee's columns, if the caller may see them."""
        query = _profile_query(principal.role)
        return await query.fetchrow(self.on, nip=nip, **viewer_params(principal))

    async def search(
        self,
        principal: Principal,
        filters: EmployeeSearch,
        rank_codes: Sequence[str] | None,
        page: PageRequest,
    ) -> tuple[list[asyncpg.Record], str | None]:
        after = page.after_values(str, uuid.UUID)  # the sort key: (name, id)
        query, params = search_query(
            principal, filters, rank_codes, after=after, limit=page.fetch_size
        )
        rows = await query.fetch(self.on, **params)
        return page.cut(rows, lambda row: (row["name"], row["id"]))


class EmployeeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_visible(
        self, principal: Principal, nip: str, *, for_update: bool = False
    ) -> Employee | None:
        """The employee with this NIP, if the caller may see them."""
        stmt = select(Employee).where(Employee.nip == nip, employee_visibility(principal))
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).one_or_none()

    def add(self, employee: Employee) -> None:
        self.session.add(employee)

    async def nip_taken(self, nip: str) -> bool:
        stmt = select(literal(True)).where(Employee.nip == nip)
        return (await self.session.scalar(stmt)) is not None

    async def agency_exists(self, code: str) -> bool:
        stmt = select(literal(True)).where(Agency.code == code)
        return (await self.session.scalar(stmt)) is not None

    async def unit_agency(self, unit_id: uuid.UUID) -> str | None:
        """The agency a unit belongs to, or None for an unknown unit."""
        return await self.session.scalar(select(Unit.agency_code).where(Unit.id == unit_id))

    # --- career summary --------------------------------------------------------------

    async def summary_figures(self, employee: Employee, year: int) -> Row[Any]:
        """Current position (title, kind, unit), JP this year and history counts: one query."""

        def count(model: Any) -> Any:
            return (
                select(func.count())
                .select_from(model)
                .where(model.employee_id == employee.id)
                .scalar_subquery()
            )

        start, end = date(year, 1, 1), date(year, 12, 31)
        finished_on = func.coalesce(Training.end_date, Training.start_date)
        hours = (
            select(func.coalesce(func.sum(Training.hours_jp), 0))
            .where(Training.employee_id == employee.id, finished_on.between(start, end))
            .scalar_subquery()
        )
        stmt = (
            select(
                Position.id.label("position_id"),
                Position.title.label("position_title"),
                Position.kind.label("position_kind"),
                Unit.id.label("unit_id"),
                Unit.name.label("unit_name"),
                hours.label("hours_jp"),
                count(Education).label("education"),
                count(Assignment).label("assignments"),
                count(CompetencyAssessment).label("competency_assessments"),
                count(Training).label("trainings"),
                count(Performance).label("performance"),
                count(CareerInterest).label("interests"),
                count(Sanction).label("sanctions"),
            )
            .select_from(Employee)
            .outerjoin(Position, Position.id == Employee.position_id)
            .outerjoin(Unit, Unit.id == Position.unit_id)
            .where(Employee.id == employee.id)
        )
        return (await self.session.execute(stmt)).one()

    async def competency_gaps(self, employee: Employee) -> list[Row[Any]]:
        """The position's required competencies against the employee's current levels."""
        if employee.position_id is None:
            return []
        current = CurrentCompetency.level
        gap = func.greatest(0, PositionCompetency.level - func.coalesce(current, 0))
        stmt = (
            select(
                Competency.code,
                Competency.name_id,
                Competency.name_en,
                PositionCompetency.level.label("required_level"),
                current.label("current_level"),
                gap.label("gap"),
            )
            .join(Competency, Competency.id == PositionCompetency.competency_id)
            .outerjoin(
                CurrentCompetency,
                and_(
                    CurrentCompetency.competency_id == PositionCompetency.competency_id,
                    CurrentCompetency.employee_id == employee.id,
                ),
            )
            .where(PositionCompetency.position_id == employee.position_id)
            .order_by(gap.desc(), Competency.code)
        )
        return list((await self.session.execute(stmt)).all())
