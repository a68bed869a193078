from collections.abc import Mapping
from datetime import date
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import AuditTrail
from asn_career.core.auth import Principal
from asn_career.core.errors import Conflict, NotFound, ValidationProblem
from asn_career.core.outbox import changes, emit
from asn_career.core.pagination import PageRequest
from asn_career.core.prepared import Executor
from asn_career.profiles.employees.repository import EmployeeQueries, EmployeeRepository
from asn_career.profiles.employees.rules import (
    TRAINING_ENTITLEMENT_JP,
    check_rank,
    new_employee_identity,
    nip_problem,
    parse_employee_nip,
    rank_codes_between,
)
from asn_career.profiles.employees.schemas import (
    CareerSummary,
    CompetencyGap,
    CurrentPosition,
    EmployeeCreate,
    EmployeeOut,
    EmployeeSearch,
    EmployeeUpdate,
    HistoryCounts,
    TrainingHours,
)
from asn_career.profiles.models import Employee
from asn_career.profiles.nip import EmploymentType, disagreements
from asn_career.profiles.nip import mask_nik as _mask_nik
from asn_career.profiles.scope import may_see_nik

_SNAPSHOT_FIELDS = (
    "nip",
    "name",
    "front_title",
    "back_title",
    "gender",
    "birth_date",
    "birth_place",
    "employment_type",
    "appointment_date",
    "rank_code",
    "status",
    "agency_code",
    "unit_id",
    "position_id",
    "nik",
    "email",
)
# Fields that may not be cleared with an explicit null in a PATCH.
_REQUIRED = ("name", "gender", "birth_date", "employment_type", "appointment_date", "status")


def _snapshot(employee: Employee) -> dict[str, Any]:
    return {name: getattr(employee, name) for name in _SNAPSHOT_FIELDS}


def _event(employee: Employee, before: dict[str, Any] | None) -> dict[str, Any]:
    """An outbox payload: ids, NIP and the changed fields (the outbox drops the NIK)."""
    api = {"rank_code": "rank", "agency_code": "agency"}
    changed = changes(before, _snapshot(employee))
    return {
        "employee_id": employee.id,
        "nip": employee.nip,
        "changes": {api.get(name, name): diff for name, diff in changed.items()},
    }


def _problem(loc: str, message: str, message_id: str, kind: str) -> ValidationProblem:
    return ValidationProblem(
        message,
        detail_id=message_id,
        errors=[{"loc": ["body", loc], "msg": message, "type": kind}],
    )


def employee_out(employee: Employee | Mapping[str, Any], principal: Principal) -> EmployeeOut:
    """The response body, from an entity or a row of its columns; NIK in clear only for
    HR of the employee's agency."""
    row = employee if isinstance(employee, Mapping) else _columns(employee)
    nik = row["nik"]
    if not may_see_nik(principal, row["agency_code"]):
        nik = _mask_nik(nik)
    return EmployeeOut(
        id=row["id"],
        nip=row["nip"],
        name=row["name"],
        front_title=row["front_title"],
        back_title=row["back_title"],
        gender=row["gender"],
        birth_date=row["birth_date"],
        birth_place=row["birth_place"],
        employment_type=row["employment_type"],
        appointment_date=row["appointment_date"],
        rank=row["rank_code"],
        status=row["status"],
        agency=row["agency_code"],
        unit_id=row["unit_id"],
        position_id=row["position_id"],
        nik=nik,
        email=row["email"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _columns(employee: Employee) -> dict[str, Any]:
    return {column.key: getattr(employee, column.key) for column in Employee.__table__.columns}


class EmployeeLookup:
    """``GET /employees`` and ``GET /employees/{nip}``: prepared reads on borrowed
    connections (``core.prepared``), kept apart from the unit-of-work service because
    they are the most requested and need nothing else."""

    def __init__(self, on: Executor, principal: Principal) -> None:
        self.queries = EmployeeQueries(on)
        self.principal = principal

    async def profile(self, nip: str) -> EmployeeOut:
        """404 for an unknown NIP and for one the caller may not see alike."""
        row = await self.queries.profile_row(self.principal, nip)
        if row is None:
            raise NotFound()
        return employee_out(dict(row), self.principal)

    async def search(
        self, filters: EmployeeSearch, page: PageRequest
    ) -> tuple[list[asyncpg.Record], str | None]:
        if filters.min_level is not None and filters.competency is None:
            raise ValidationProblem(
                "min_level needs competency",
                detail_id="min_level memerlukan competency",
                errors=[
                    {"loc": ["query", "min_level"], "msg": "needs competency", "type": "filter"}
                ],
            )
        rank_codes = self.rank_range(filters)
        return await self.queries.search(self.principal, filters, rank_codes, page)

    @staticmethod
    def rank_range(filters: EmployeeSearch) -> list[str] | None:
        """The rank codes ``rank_min``…``rank_max`` cover, or 422 for unknown/mixed scales."""
        try:
            return rank_codes_between(filters.rank_min, filters.rank_max)
        except ValueError as exc:
            raise ValidationProblem(
                str(exc),
                detail_id=f"rentang pangkat tidak valid: {exc}",
                errors=[{"loc": ["query", "rank_min"], "msg": str(exc), "type": "rank_range"}],
            ) from exc


class EmployeeService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = EmployeeRepository(session)
        self.audit = AuditTrail(session)

    async def get_visible(self, nip: str) -> Employee:
        """404 for an unknown NIP and for one the caller may not see alike, so that
        another agency's staff cannot be probed."""
        employee = await self.repository.get_visible(self.principal, nip)
        if employee is None:
            raise NotFound()
        return employee

    async def _check_agency_and_unit(
        self, agency: str, unit_id: Any, *, agency_given: bool
    ) -> None:
        if agency_given and not await self.repository.agency_exists(agency):
            raise _problem(
                "agency",
                f"unknown agency {agency!r}",
                f"instansi {agency!r} tidak dikenal",
                "agency",
            )
        if unit_id is not None:
            unit_agency = await self.repository.unit_agency(unit_id)
            if unit_agency != agency:
                raise _problem(
                    "unit_id",
                    f"unit {unit_id} does not belong to agency {agency}",
                    f"unit {unit_id} bukan milik instansi {agency}",
                    "unit_agency",
                )

    async def create(self, body: EmployeeCreate) -> Employee:
        self.principal.require_agency(body.agency)
        info = new_employee_identity(
            body.nip,
            body.employment_type,
            birth_date=body.birth_date,
            gender=body.gender,
            appointment_date=body.appointment_date,
            rank=body.rank,
        )
        await self._check_agency_and_unit(body.agency, body.unit_id, agency_given=True)
        if await self.repository.nip_taken(body.nip):
            raise Conflict(
                f"an employee with NIP {body.nip} already exists",
                detail_id=f"pegawai dengan NIP {body.nip} sudah ada",
            )
        employee = Employee(
            nip=body.nip,
            name=body.name,
            front_title=body.front_title,
            back_title=body.back_title,
            gender=info.gender,
            birth_date=info.birth_date,
            birth_place=body.birth_place,
            employment_type=info.employment_type,
            appointment_date=body.appointment_date or info.appointment_date,
            rank_code=body.rank,
            status=body.status,
            agency_code=body.agency,
            unit_id=body.unit_id,
            nik=body.nik,
            email=body.email,
        )
        self.repository.add(employee)
        await self.session.flush()
        await self.audit.record(
            self.principal,
            "employee.created",
            entity_type="employee",
            entity_id=employee.id,
            agency_code=employee.agency_code,
            after=_snapshot(employee),
        )
        await emit(self.session, "employee.created", _event(employee, None), employee.agency_code)
        return employee

    async def update(self, employee: Employee, body: EmployeeUpdate) -> Employee:
        sent = body.model_fields_set
        for name in (*_REQUIRED, "agency"):
            if name in sent and getattr(body, name) is None:
                raise _problem(
                    name, f"{name} may not be null", f"{name} tidak boleh kosong", "null"
                )
        agency = body.agency if body.agency is not None else employee.agency_code
        if body.agency is not None:
            self.principal.require_agency(body.agency)
        employment_type: EmploymentType = body.employment_type or (
            "pppk" if employee.employment_type == "pppk" else "pns"
        )
        info = parse_employee_nip(employee.nip, employment_type)
        type_changed = employment_type != employee.employment_type
        problems = disagreements(
            info,
            birth_date=body.birth_date,
            gender=body.gender,
            appointment_date=body.appointment_date,
        )
        if type_changed and body.appointment_date is None:
            problems += disagreements(info, appointment_date=employee.appointment_date)
        if problems:
            raise nip_problem(problems)
        rank = body.rank if "rank" in sent else employee.rank_code
        check_rank(rank, employment_type)
        unit_id = body.unit_id if "unit_id" in sent else employee.unit_id
        await self._check_agency_and_unit(agency, unit_id, agency_given=body.agency is not None)

        before = _snapshot(employee)
        values: dict[str, Any] = {
            "agency_code": agency,
            "employment_type": employment_type,
            "rank_code": rank,
            "unit_id": unit_id,
        }
        for name in (
            "name",
            "front_title",
            "back_title",
            "gender",
            "birth_date",
            "birth_place",
            "appointment_date",
            "status",
            "nik",
            "email",
        ):
            if name in sent:
                values[name] = getattr(body, name)
        for name, value in values.items():
            if getattr(employee, name) != value:
                setattr(employee, name, value)
        await self.session.flush()
        after = _snapshot(employee)
        if after != before:
            await self.audit.record(
                self.principal,
                "employee.updated",
                entity_type="employee",
                entity_id=employee.id,
                agency_code=employee.agency_code,
                before=before,
                after=after,
            )
            await emit(self.session, "employee.updated", _event(employee, before), agency)
        return employee

    async def career_summary(self, employee: Employee, today: date | None = None) -> CareerSummary:
        year = (today or date.today()).year
        figures = await self.repository.summary_figures(employee, year)
        gaps = await self.repository.competency_gaps(employee)
        hours = float(figures.hours_jp)
        position = None
        if figures.position_id is not None:
            position = CurrentPosition(
                id=figures.position_id,
                title=figures.position_title,
                kind=figures.position_kind,
                unit_id=figures.unit_id,
                unit_name=figures.unit_name,
            )
        return CareerSummary(
            profile=employee_out(employee, self.principal),
            position=position,
            competency_gaps=[
                CompetencyGap(
                    code=g.code,
                    name_id=g.name_id,
                    name_en=g.name_en,
                    required_level=g.required_level,
                    current_level=g.current_level,
                    gap=g.gap,
                )
                for g in gaps
            ],
            training=TrainingHours(
                year=year,
                hours_jp=hours,
                entitlement_jp=TRAINING_ENTITLEMENT_JP,
                remaining_jp=max(0.0, TRAINING_ENTITLEMENT_JP - hours),
                met=hours >= TRAINING_ENTITLEMENT_JP,
            ),
            histories=HistoryCounts(
                education=figures.education,
                assignments=figures.assignments,
                competency_assessments=figures.competency_assessments,
                trainings=figures.trainings,
                performance=figures.performance,
                interests=figures.interests,
                sanctions=figures.sanctions,
            ),
        )
