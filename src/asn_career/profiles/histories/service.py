"""Rules of an employee's histories: validation, who may write what, the current position
kept from assignments, current competency levels kept from assessments, and the audit."""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, Snapshot, snapshot
from asn_career.core.auth import Principal, Role
from asn_career.core.errors import Conflict, Forbidden, NotFound, field_problem
from asn_career.core.outbox import changes
from asn_career.core.pagination import PageRequest
from asn_career.org.rules import assignment_is_current
from asn_career.profiles.histories import rules
from asn_career.profiles.histories.repository import HistoryRepository
from asn_career.profiles.histories.schemas import (
    AssignmentCreate,
    AssignmentOut,
    AssignmentUpdate,
    CompetencyAssessmentCreate,
    CompetencyAssessmentOut,
    CompetencyAssessmentUpdate,
    CurrentCompetencies,
    CurrentCompetencyOut,
    EducationCreate,
    EducationOut,
    EducationUpdate,
    InterestCreate,
    InterestOut,
    InterestUpdate,
    PerformanceCreate,
    PerformanceOut,
    PerformanceUpdate,
    SanctionCreate,
    SanctionOut,
    SanctionUpdate,
    TrainingCreate,
    TrainingOut,
    TrainingUpdate,
)
from asn_career.profiles.models import (
    Assignment,
    CareerInterest,
    CompetencyAssessment,
    Education,
    Employee,
    Performance,
    Sanction,
    Training,
    _History,
)

H = TypeVar("H", bound=_History)
OutT = TypeVar("OutT")


def _snapshot(row: _History, nip: str) -> dict[str, Any]:
    return snapshot(row, exclude=("employee_id",), extra={"nip": nip})


class _HistoryService(Generic[H, OutT]):
    """Shared plumbing: look-up within the employee, audit, access checks."""

    model: ClassVar[type[Any]]
    entity: ClassVar[str]
    event_type: ClassVar[str | None] = None
    """The outbox event emitted on every create/update/delete, if any."""

    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = HistoryRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get(self, employee: Employee, item_id: uuid.UUID) -> H:
        row: H | None = await self.repository.get(self.model, employee.id, item_id)
        if row is None:
            raise NotFound()
        return row

    async def list_page(
        self, employee: Employee, page: PageRequest
    ) -> tuple[list[OutT], str | None]:
        rows, cursor = await self.repository.page(self.model, employee.id, page)
        return await self.outs(rows), cursor

    async def out(self, row: H) -> OutT:
        return (await self.outs([row]))[0]

    async def outs(self, rows: list[H]) -> list[OutT]:
        raise NotImplementedError

    # --- who -----------------------------------------------------------------------------

    def is_self(self, employee: Employee) -> bool:
        return self.principal.subject == employee.nip

    def self_service_only(self, employee: Employee) -> None:
        """Employees (and supervisors for their own profile) may only touch their own."""
        if self.principal.role in (Role.EMPLOYEE, Role.SUPERVISOR) and not self.is_self(employee):
            raise Forbidden(
                "Self-service changes are limited to your own profile.",
                detail_id="Layanan mandiri hanya untuk profil Anda sendiri.",
                code="self_service_only",
            )

    # --- audit ---------------------------------------------------------------------------

    async def _audited_add(self, employee: Employee, row: H) -> H:
        self.repository.add(row)
        await self._record(employee, row, "created", None)
        return row

    async def _audited_update(
        self, employee: Employee, row: H, before: dict[str, Any], changes: dict[str, Any]
    ) -> H:
        for name, value in changes.items():
            setattr(row, name, value)
        await self._record(employee, row, "updated", before)
        return row

    async def _audited_delete(self, employee: Employee, row: H) -> None:
        before = _snapshot(row, employee.nip)
        await self.repository.delete(row)
        await self._record(employee, row, "deleted", before)

    async def _record(
        self, employee: Employee, row: H, verb: str, before: dict[str, Any] | None
    ) -> None:
        def payload(before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
            ids = {"action": verb, f"{self.entity}_id": row.id, "employee_id": employee.id}
            return ids | {"nip": employee.nip, "changes": changes(before, after)}

        await self.changes.changed(
            verb,
            row,
            entity_type=self.entity,
            nip=employee.nip,
            agency_code=employee.agency_code,
            before=before,
            after=None if verb == "deleted" else lambda row: _snapshot(row, employee.nip),
            event=self.event_type,
            payload=payload,
            unless_unchanged=verb == "updated",  # a no-op PATCH leaves no trace
        )

    async def delete(self, employee: Employee, row: H) -> None:
        await self._audited_delete(employee, row)


class _PlainOut(_HistoryService[H, OutT]):
    """Histories whose response is the row itself."""

    out_model: ClassVar[Any]

    async def outs(self, rows: list[H]) -> list[OutT]:
        return [self.out_model.model_validate(row) for row in rows]


# --- Education ---------------------------------------------------------------------------


class EducationService(_HistoryService[Education, EducationOut]):
    model = Education
    entity = "education"

    async def outs(self, rows: list[Education]) -> list[EducationOut]:
        return [
            EducationOut(
                id=r.id,
                level=r.level_code,
                field=r.field,
                institution=r.institution,
                graduation_year=r.graduation_year,
                version=r.version,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    def _check_year(self, employee: Employee, year: int | None) -> None:
        if year is None:
            return
        today = rules.today_in_indonesia()
        low, _ = rules.graduation_year_bounds(employee.birth_date, today)
        if year < low:
            raise field_problem(
                "graduation_year",
                f"graduation_year {year} is before birth year + {rules.MIN_SCHOOL_AGE} ({low}).",
                f"Tahun lulus {year} sebelum tahun lahir + {rules.MIN_SCHOOL_AGE} ({low}).",
                "graduation_year",
            )
        rules.check_not_future("graduation_year", year, today, "Tahun lulus")

    async def create(self, employee: Employee, body: EducationCreate) -> EducationOut:
        self._check_year(employee, body.graduation_year)
        row = Education(
            employee_id=employee.id,
            level_code=body.level,
            field=body.field,
            institution=body.institution,
            graduation_year=body.graduation_year,
        )
        return await self.out(await self._audited_add(employee, row))

    async def update(
        self, employee: Employee, row: Education, body: EducationUpdate
    ) -> EducationOut:
        changes = body.model_dump(exclude_unset=True)
        if "level" in changes:
            changes["level_code"] = changes.pop("level")
        self._check_year(employee, changes.get("graduation_year", row.graduation_year))
        before = _snapshot(row, employee.nip)
        return await self.out(await self._audited_update(employee, row, before, changes))


# --- Assignments -------------------------------------------------------------------------


def _is_open_primary(is_primary: bool, end_date: date | None) -> bool:
    return is_primary and end_date is None


class AssignmentService(_HistoryService[Assignment, AssignmentOut]):
    """Assignments; the current primary one (``org.rules.assignment_is_current``: started,
    not ended) is the employee's position, mirrored on ``employees.position_id`` /
    ``unit_id`` in the same transaction, and by the daily ``switch_current_positions`` when
    a dated-ahead assignment starts or one ends."""

    model = Assignment
    entity = "assignment"
    event_type = "assignment.changed"

    async def outs(self, rows: list[Assignment]) -> list[AssignmentOut]:
        today = rules.today_in_indonesia()
        return [
            AssignmentOut(
                id=r.id,
                position_id=r.position_id,
                start_date=r.start_date,
                end_date=r.end_date,
                decree_number=r.decree_number,
                decree_date=r.decree_date,
                is_primary=r.is_primary,
                is_current=assignment_is_current(r.is_primary, r.start_date, r.end_date, today),
                version=r.version,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    async def _validate(
        self,
        employee: Employee,
        values: dict[str, Any],
        exclude_id: uuid.UUID | None,
    ) -> None:
        start: date = values["start_date"]
        end: date | None = values["end_date"]
        rules.check_date_order(start, end)
        today = rules.today_in_indonesia()
        rules.check_start_not_too_far_ahead(start, today)
        rules.check_not_future("decree_date", values["decree_date"], today)
        if start < employee.appointment_date:
            raise field_problem(
                "start_date",
                f"start_date {start} is before the appointment (TMT) {employee.appointment_date}.",
                f"TMT jabatan {start} sebelum TMT pengangkatan {employee.appointment_date}.",
                "before_appointment",
            )
        open_primary = _is_open_primary(values["is_primary"], end)
        # Lock the position when this assignment would hold it, so that two requests
        # cannot both find it free.
        position = await self.repository.position_in_agency(
            values["position_id"], employee.agency_code, for_update=open_primary
        )
        if position is None:
            raise field_problem(
                "position_id",
                "No such position in the employee's agency.",
                "Jabatan tidak ditemukan di instansi pegawai.",
                "unknown_position",
            )
        if values["is_primary"]:
            other = await self.repository.overlapping_primary(employee.id, start, end, exclude_id)
            if other is not None:
                until = other.end_date.isoformat() if other.end_date else "open"
                sampai = other.end_date.isoformat() if other.end_date else "sekarang"
                both_open = end is None and other.end_date is None
                reason = (
                    "there is already an open primary assignment"
                    if both_open
                    else "primary assignments may not overlap"
                )
                raise Conflict(
                    f"Overlaps primary assignment {other.id} ({other.start_date} – {until}): "
                    f"{reason}.",
                    detail_id=f"Bertumpang tindih dengan penugasan utama {other.id} "
                    f"({other.start_date} – {sampai}).",
                    code="assignment_overlap",
                    errors=[
                        {
                            "loc": ["body", "start_date"],
                            "msg": f"overlaps assignment {other.id}",
                            "msg_id": f"bertumpang tindih dengan penugasan {other.id}",
                            "type": "overlap",
                            "assignment_id": str(other.id),
                        }
                    ],
                )
        if open_primary and not position.is_shared:
            holder = await self.repository.open_holder(position.id, employee.id)
            if holder is not None:
                raise Conflict(
                    f"Position {position.code} is held by {holder.name} (NIP {holder.nip}, "
                    f"assignment {holder.assignment_id}); close that assignment first or "
                    "mark the position shared.",
                    detail_id=f"Jabatan {position.code} sedang dijabat oleh {holder.name} "
                    f"(NIP {holder.nip}); akhiri penugasan itu terlebih dahulu.",
                    code="position_held",
                    errors=[
                        {
                            "loc": ["body", "position_id"],
                            "msg": f"held by NIP {holder.nip}",
                            "msg_id": f"dijabat oleh NIP {holder.nip}",
                            "type": "position_held",
                            "holder_nip": holder.nip,
                            "assignment_id": str(holder.assignment_id),
                        }
                    ],
                )

    async def _sync_current_position(self, employee: Employee, today: date | None = None) -> None:
        """``employees.position_id`` / ``unit_id`` follow the current primary assignment."""
        today = today or rules.today_in_indonesia()
        current = await self.repository.current_primary(employee.id, today)
        before = {"position_id": employee.position_id, "unit_id": employee.unit_id}
        if current is None:
            employee.position_id = None
        else:
            _, position = current
            employee.position_id = position.id
            employee.unit_id = position.unit_id
        await self.changes.updated(
            employee,
            entity_type="employee",
            nip=employee.nip,
            agency_code=employee.agency_code,
            before=before,
            after=lambda e: {"position_id": e.position_id, "unit_id": e.unit_id},
            event="employee.updated",
            payload=lambda before, after: {
                "employee_id": employee.id,
                "nip": employee.nip,
                "changes": changes(before, after),
            },
            unless_unchanged=True,
        )

    async def create(self, employee: Employee, body: AssignmentCreate) -> AssignmentOut:
        employee = await self.repository.lock_employee(employee.id)
        values = body.model_dump()
        await self._validate(employee, values, None)
        row = Assignment(employee_id=employee.id, **values)
        await self._audited_add(employee, row)
        await self._sync_current_position(employee)
        return await self.out(row)

    async def update(
        self, employee: Employee, row: Assignment, body: AssignmentUpdate
    ) -> AssignmentOut:
        employee = await self.repository.lock_employee(employee.id)
        changes = body.model_dump(exclude_unset=True)
        before = _snapshot(row, employee.nip)
        values = {key: before[key] for key in AssignmentCreate.model_fields} | changes
        await self._validate(employee, values, row.id)
        await self._audited_update(employee, row, before, changes)
        await self._sync_current_position(employee)
        return await self.out(row)

    async def delete(self, employee: Employee, row: Assignment) -> None:
        employee = await self.repository.lock_employee(employee.id)
        await self._audited_delete(employee, row)
        await self._sync_current_position(employee)

    async def switch_current_positions(self, today: date, days_back: int = 7) -> int:
        """The daily switch: everyone whose current assignment changed with the date (one
        dated ahead started, one ended) gets the position it says, audited and emitted as
        any change is. Returns how many employees moved."""
        moved = 0
        for employee_id in await self.repository.employees_due_a_switch(today, days_back):
            employee = await self.repository.lock_employee(employee_id)
            await self._sync_current_position(employee, today)
            moved += 1
        return moved


# --- Competency assessments --------------------------------------------------------------


class CompetencyAssessmentService(_HistoryService[CompetencyAssessment, CompetencyAssessmentOut]):
    """A time series per competency; ``employee_competency_levels`` keeps the current level
    (latest of the most trusted source) for search, recomputed in SQL on every change."""

    model = CompetencyAssessment
    entity = "competency_assessment"

    async def outs(self, rows: list[CompetencyAssessment]) -> list[CompetencyAssessmentOut]:
        codes = await self.repository.competency_codes(r.competency_id for r in rows)
        return [
            CompetencyAssessmentOut(
                id=r.id,
                competency=codes[r.competency_id],
                level=r.level,
                source=r.source,
                assessed_on=r.assessed_on,
                notes=r.notes,
                version=r.version,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    async def current(self, employee: Employee) -> CurrentCompetencies:
        rows = await self.repository.current_levels(employee.id)
        return CurrentCompetencies(
            items=[
                CurrentCompetencyOut(
                    competency=r.code,
                    kind=r.kind,
                    name_id=r.name_id,
                    name_en=r.name_en,
                    level=r.level,
                    source=r.source,
                    assessed_on=r.assessed_on,
                )
                for r in rows
            ]
        )

    def _may_write(self, employee: Employee, source: str) -> None:
        """HR: any source. An employee: own, source ``self``. A supervisor: source
        ``supervisor`` for their reporting line, ``self`` for their own profile."""
        role = self.principal.role
        if role is Role.EMPLOYEE or (role is Role.SUPERVISOR and self.is_self(employee)):
            self.self_service_only(employee)
            allowed = "self"
        elif role is Role.SUPERVISOR:
            allowed = "supervisor"
        else:
            return
        if source != allowed:
            raise Forbidden(
                f"As {role.value} here you may only record assessments with source "
                f"'{allowed}' (this one is '{source}').",
                detail_id=f"Sebagai {role.value} Anda hanya boleh mencatat penilaian "
                f"bersumber '{allowed}'.",
                code="assessment_source_forbidden",
            )

    async def _competency_id(self, employee: Employee, code: str) -> int:
        found = await self.repository.competency_ids([code], employee.agency_code)
        if code not in found:
            raise field_problem(
                "competency",
                f"Unknown competency {code!r} for agency {employee.agency_code}.",
                f"Kompetensi {code!r} tidak dikenal untuk instansi {employee.agency_code}.",
                "unknown_competency",
            )
        return found[code]

    async def create(
        self, employee: Employee, body: CompetencyAssessmentCreate
    ) -> CompetencyAssessmentOut:
        self._may_write(employee, body.source)
        rules.check_not_future("assessed_on", body.assessed_on, rules.today_in_indonesia())
        competency_id = await self._competency_id(employee, body.competency)
        employee = await self.repository.lock_employee(employee.id)
        row = CompetencyAssessment(
            employee_id=employee.id,
            competency_id=competency_id,
            level=body.level,
            source=body.source,
            assessed_on=body.assessed_on,
            notes=body.notes,
        )
        await self._audited_add(employee, row)
        await self.repository.refresh_current_level(employee.id, competency_id)
        return await self.out(row)

    async def update(
        self,
        employee: Employee,
        row: CompetencyAssessment,
        body: CompetencyAssessmentUpdate,
    ) -> CompetencyAssessmentOut:
        changes = body.model_dump(exclude_unset=True)
        self._may_write(employee, row.source)
        if "source" in changes:
            self._may_write(employee, changes["source"])
        rules.check_not_future(
            "assessed_on", changes.get("assessed_on"), rules.today_in_indonesia()
        )
        if "competency" in changes:
            changes["competency_id"] = await self._competency_id(
                employee, changes.pop("competency")
            )
        employee = await self.repository.lock_employee(employee.id)
        old_competency = row.competency_id
        before = _snapshot(row, employee.nip)
        await self._audited_update(employee, row, before, changes)
        for competency_id in {old_competency, row.competency_id}:
            await self.repository.refresh_current_level(employee.id, competency_id)
        return await self.out(row)

    async def delete(self, employee: Employee, row: CompetencyAssessment) -> None:
        self._may_write(employee, row.source)
        employee = await self.repository.lock_employee(employee.id)
        competency_id = row.competency_id
        await self._audited_delete(employee, row)
        await self.repository.refresh_current_level(employee.id, competency_id)


# --- Trainings ---------------------------------------------------------------------------


class TrainingService(_HistoryService[Training, TrainingOut]):
    model = Training
    entity = "training"

    async def outs(self, rows: list[Training]) -> list[TrainingOut]:
        codes = await self.repository.competency_codes(
            cid for r in rows for cid in r.competency_ids
        )
        return [
            TrainingOut(
                id=r.id,
                title=r.title,
                hours_jp=float(r.hours_jp),
                duration_minutes=rules.jp_to_minutes(float(r.hours_jp)),
                start_date=r.start_date,
                end_date=r.end_date,
                provider=r.provider,
                form=r.form,
                is_classroom=rules.is_classroom(r.form),
                competencies=sorted(codes[cid] for cid in r.competency_ids if cid in codes),
                certificate_number=r.certificate_number,
                version=r.version,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    async def _competency_ids(self, employee: Employee, codes: Iterable[str]) -> list[int]:
        wanted = sorted(set(codes))
        found = await self.repository.competency_ids(wanted, employee.agency_code)
        unknown = [code for code in wanted if code not in found]
        if unknown:
            listed = ", ".join(unknown)
            raise field_problem(
                "competencies",
                f"Unknown competencies for agency {employee.agency_code}: {listed}.",
                f"Kompetensi tidak dikenal untuk instansi {employee.agency_code}: {listed}.",
                "unknown_competency",
                each=[f"unknown competency {code!r}" for code in unknown],
                each_id=[f"kompetensi {code!r} tidak dikenal" for code in unknown],
            )
        return sorted(found[code] for code in wanted)

    async def create(self, employee: Employee, body: TrainingCreate) -> TrainingOut:
        rules.check_date_order(body.start_date, body.end_date)
        row = Training(
            employee_id=employee.id,
            title=body.title,
            hours_jp=body.hours_jp,
            start_date=body.start_date,
            end_date=body.end_date,
            provider=body.provider,
            form=body.form,
            competency_ids=await self._competency_ids(employee, body.competencies),
            certificate_number=body.certificate_number,
        )
        return await self.out(await self._audited_add(employee, row))

    async def update(self, employee: Employee, row: Training, body: TrainingUpdate) -> TrainingOut:
        changes = body.model_dump(exclude_unset=True)
        rules.check_date_order(
            changes.get("start_date", row.start_date), changes.get("end_date", row.end_date)
        )
        if "competencies" in changes:
            changes["competency_ids"] = await self._competency_ids(
                employee, changes.pop("competencies")
            )
        before = _snapshot(row, employee.nip)
        return await self.out(await self._audited_update(employee, row, before, changes))


# --- Performance (SKP) -------------------------------------------------------------------


class PerformanceService(_HistoryService[Performance, PerformanceOut]):
    """SKP ratings; the supervisor owns them, for their reporting line (never their own)."""

    model = Performance
    entity = "performance"

    async def outs(self, rows: list[Performance]) -> list[PerformanceOut]:
        return [
            PerformanceOut(
                id=r.id,
                year=r.year,
                period=r.period,
                results=r.results,
                behaviour=r.behaviour,
                predicate=r.predicate,
                predicate_label=rules.PREDICATE_LABELS[r.predicate],
                score=float(r.score) if r.score is not None else None,
                rated_by=r.rated_by,
                rated_by_role=r.rated_by_role,
                version=r.version,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    def _may_write(
        self, employee: Employee, periods: list[tuple[int, str]], row: Performance | None
    ) -> None:
        """A supervisor rates their reports (the route and the visibility rule keep it to
        the reporting line) for the current periods only, and amends only what a
        supervisor recorded; past and HR-recorded ratings are HR's."""
        if self.principal.role is not Role.SUPERVISOR:
            return
        if self.is_self(employee):
            raise Forbidden(
                "A supervisor may not rate their own performance.",
                detail_id="Atasan tidak boleh menilai kinerjanya sendiri.",
                code="own_rating_forbidden",
            )
        if row is not None and row.rated_by_role != Role.SUPERVISOR.value:
            raise Forbidden(
                "This rating was recorded by HR; only HR changes it.",
                detail_id="Penilaian ini dicatat oleh BKPSDM; hanya BKPSDM yang dapat mengubahnya.",
                code="rating_forbidden",
            )
        today = rules.today_in_indonesia()
        for year, period in periods:
            if not rules.supervisor_may_rate(year, period, today):
                raise Forbidden(
                    f"The {period} {year} rating is past its period; only HR changes it.",
                    detail_id=f"Penilaian {period} {year} sudah lewat periodenya; hanya "
                    "BKPSDM yang dapat mengubahnya.",
                    code="rating_forbidden",
                )

    def _rater(self) -> dict[str, str]:
        return {"rated_by": self.principal.subject, "rated_by_role": self.principal.role.value}

    async def _validate(
        self, employee: Employee, year: int, period: str, exclude_id: uuid.UUID | None
    ) -> None:
        rules.check_not_future("year", year, rules.today_in_indonesia(), "Tahun")
        if year < employee.appointment_date.year:
            raise field_problem(
                "year",
                f"year {year} is before the appointment ({employee.appointment_date.year}).",
                f"Tahun {year} sebelum pengangkatan ({employee.appointment_date.year}).",
            )
        existing = await self.repository.rating_for(employee.id, year, period, exclude_id)
        if existing is not None:
            raise Conflict(
                f"There is already a {period} rating for {year} ({existing.id}).",
                detail_id=f"Sudah ada penilaian {period} untuk tahun {year} ({existing.id}).",
                code="rating_exists",
            )

    async def create(self, employee: Employee, body: PerformanceCreate) -> PerformanceOut:
        self._may_write(employee, [(body.year, body.period)], None)
        await self._validate(employee, body.year, body.period, None)
        row = Performance(
            employee_id=employee.id,
            year=body.year,
            period=body.period,
            results=body.results,
            behaviour=body.behaviour,
            predicate=rules.skp_predicate(body.results, body.behaviour),
            score=body.score,
            **self._rater(),
        )
        return await self.out(await self._audited_add(employee, row))

    async def update(
        self, employee: Employee, row: Performance, body: PerformanceUpdate
    ) -> PerformanceOut:
        changes = body.model_dump(exclude_unset=True)
        year, period = changes.get("year", row.year), changes.get("period", row.period)
        self._may_write(employee, [(row.year, row.period), (year, period)], row)
        if "year" in changes or "period" in changes:
            await self._validate(employee, year, period, row.id)
        results = changes.get("results", row.results)
        behaviour = changes.get("behaviour", row.behaviour)
        changes["predicate"] = rules.skp_predicate(results, behaviour)
        if any(getattr(row, name) != value for name, value in changes.items()):
            changes |= self._rater()  # whoever changes a rating last has rated it
        before = _snapshot(row, employee.nip)
        return await self.out(await self._audited_update(employee, row, before, changes))

    async def delete(self, employee: Employee, row: Performance) -> None:
        self._may_write(employee, [(row.year, row.period)], row)
        await self._audited_delete(employee, row)


# --- Career interests --------------------------------------------------------------------


class InterestService(_PlainOut[CareerInterest, InterestOut]):
    """Career aspirations: HR, or the employee themselves (self-service)."""

    model = CareerInterest
    entity = "career_interest"
    out_model = InterestOut

    async def _check_targets(self, employee: Employee, values: dict[str, Any]) -> None:
        position_id = values.get("target_position_id")
        if position_id is not None and (
            await self.repository.position_in_agency(position_id, employee.agency_code) is None
        ):
            raise field_problem(
                "target_position_id",
                "No such position in the employee's agency.",
                "Jabatan tidak ditemukan di instansi pegawai.",
                "unknown_position",
            )
        unit_id = values.get("target_unit_id")
        if unit_id is not None and (
            await self.repository.unit_in_agency(unit_id, employee.agency_code) is None
        ):
            raise field_problem(
                "target_unit_id",
                "No such unit in the employee's agency.",
                "Unit tidak ditemukan di instansi pegawai.",
                "unknown_unit",
            )

    async def create(self, employee: Employee, body: InterestCreate) -> InterestOut:
        self.self_service_only(employee)
        values = body.model_dump()
        await self._check_targets(employee, values)
        row = CareerInterest(employee_id=employee.id, **values)
        return await self.out(await self._audited_add(employee, row))

    async def update(
        self, employee: Employee, row: CareerInterest, body: InterestUpdate
    ) -> InterestOut:
        self.self_service_only(employee)
        changes = body.model_dump(exclude_unset=True)
        await self._check_targets(employee, changes)
        before = _snapshot(row, employee.nip)
        return await self.out(await self._audited_update(employee, row, before, changes))

    async def delete(self, employee: Employee, row: CareerInterest) -> None:
        self.self_service_only(employee)
        await self._audited_delete(employee, row)


# --- Sanctions ---------------------------------------------------------------------------


class SanctionService(_PlainOut[Sanction, SanctionOut]):
    model = Sanction
    entity = "sanction"
    out_model = SanctionOut

    async def create(self, employee: Employee, body: SanctionCreate) -> SanctionOut:
        rules.check_date_order(body.start_date, body.end_date)
        row = Sanction(employee_id=employee.id, **body.model_dump())
        return await self.out(await self._audited_add(employee, row))

    async def update(self, employee: Employee, row: Sanction, body: SanctionUpdate) -> SanctionOut:
        changes = body.model_dump(exclude_unset=True)
        rules.check_date_order(
            changes.get("start_date", row.start_date), changes.get("end_date", row.end_date)
        )
        before = _snapshot(row, employee.nip)
        return await self.out(await self._audited_update(employee, row, before, changes))
