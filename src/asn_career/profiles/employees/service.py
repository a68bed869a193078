from collections.abc import Mapping
from datetime import date
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, EventPayload, Snapshot, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import (
    Conflict,
    NotFound,
    field_problem,
)
from asn_career.core.outbox import changes
from asn_career.core.pagination import PageRequest
from asn_career.core.prepared import Executor
from asn_career.profiles.employees.repository import (
    EmployeeQueries,
    EmployeeRepository,
    profile_fields,
)
from asn_career.profiles.employees.rules import (
    TRAINING_ENTITLEMENT_JP,
    check_rank,
    new_employee_identity,
    nip_problem,
    parse_employee_nip,
    rank_codes_between,
)
from asn_career.profiles.employees.schemas import (
    CareerSummaryBase,
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

# Fields that may not be cleared with an explicit null in a PATCH.
_REQUIRED = ("name", "gender", "birth_date", "employment_type", "appointment_date", "status")


def _event(employee: Employee) -> EventPayload:
    """An outbox payload: ids, NIP and the changed fields under their API names (the
    outbox drops the NIK)."""
    api = {"rank_code": "rank", "agency_code": "agency"}

    def payload(before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
        changed = changes(before, after)
        return {
            "employee_id": employee.id,
            "nip": employee.nip,
            "changes": {api.get(name, name): diff for name, diff in changed.items()},
        }

    return payload


def employee_out(employee: Employee | Mapping[str, Any], principal: Principal) -> EmployeeOut:
    """The response body, from an entity or from the prepared read's row (its columns are
    named as the fields, ``PROFILE_FIELDS``); NIK in clear only for HR of the agency."""
    row = dict(employee) if isinstance(employee, Mapping) else profile_fields(employee)
    if not may_see_nik(principal, row["agency"]):
        row["nik"] = _mask_nik(row["nik"])
    return EmployeeOut.model_validate(row)


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
            raise field_problem(
                ["query", "min_level"],
                "min_level needs competency",
                "min_level memerlukan competency",
                "filter",
                each=["needs competency"],
                each_id=["memerlukan competency"],
            )
        rank_codes = self.rank_range(filters)
        return await self.queries.search(self.principal, filters, rank_codes, page)

    @staticmethod
    def rank_range(filters: EmployeeSearch) -> list[str] | None:
        """The rank codes ``rank_min``…``rank_max`` cover, or 422 for unknown/mixed scales."""
        try:
            return rank_codes_between(filters.rank_min, filters.rank_max)
        except ValueError as exc:
            raise field_problem(
                ["query", "rank_min"], str(exc), f"rentang pangkat tidak valid: {exc}", "rank_range"
            ) from exc


class EmployeeService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = EmployeeRepository(session)
        self.changes = ChangeRecorder(session, principal)

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
            raise field_problem(
                "agency",
                f"unknown agency {agency!r}",
                f"instansi {agency!r} tidak dikenal",
                "agency",
            )
        if unit_id is not None:
            unit_agency = await self.repository.unit_agency(unit_id)
            if unit_agency != agency:
                raise field_problem(
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
        await self.changes.created(
            employee,
            entity_type="employee",
            nip=employee.nip,
            agency_code=employee.agency_code,
            after=snapshot,
            event="employee.created",
            payload=_event(employee),
        )
        return employee

    async def update(self, employee: Employee, body: EmployeeUpdate) -> Employee:
        sent = body.model_fields_set
        for name in (*_REQUIRED, "agency"):
            if name in sent and getattr(body, name) is None:
                raise field_problem(
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

        before = snapshot(employee)
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
        await self.changes.updated(
            employee,
            entity_type="employee",
            nip=employee.nip,
            agency_code=agency,
            before=before,
            after=snapshot,
            event="employee.updated",
            payload=_event(employee),
            unless_unchanged=True,
        )
        return employee

    async def career_summary(
        self, employee: Employee, today: date | None = None
    ) -> CareerSummaryBase:
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
        return CareerSummaryBase(
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
