"""Enrolments: who may take a course (its position kinds and rank range, once a year, up
to its maximum participants), the transitions of ``training.rules.ENROLMENT_TRANSITIONS``,
and completion, which adds the course to the profile's training history through the
profile's own service (its audit and rules apply)."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, EventPayload, Snapshot, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import Conflict, NotFound, PreconditionFailed, field_problem
from asn_career.core.outbox import changes as changed_fields
from asn_career.core.pagination import PageRequest
from asn_career.profiles.histories.rules import check_not_future, today_in_indonesia
from asn_career.profiles.histories.schemas import TrainingCreate
from asn_career.profiles.histories.service import TrainingService
from asn_career.profiles.models import Employee
from asn_career.training.enrolments.repository import EnrolmentFilters, EnrolmentRepository
from asn_career.training.enrolments.schemas import (
    EnrolmentComplete,
    EnrolmentCreate,
    EnrolmentOut,
)
from asn_career.training.models import Course, Enrolment
from asn_career.training.rules import Eligibility, enrolment_target, ineligibility

__all__ = ["EnrolmentFilters", "EnrolmentService"]

ENTITY = "training_enrolment"


def _payload(row: Enrolment, nip: str, action: str) -> EventPayload:
    ids = {
        "action": action,
        "enrolment_id": str(row.id),
        "course_id": str(row.course_id),
        "employee_id": str(row.employee_id),
        "nip": nip,
        "year": row.year,
    }

    def build(before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
        return ids | {"state": row.state, "changes": changed_fields(before, after)}

    return build


def _snapshot(row: Enrolment) -> dict[str, Any]:
    return snapshot(row)


class EnrolmentService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = EnrolmentRepository(session)
        self.changes = ChangeRecorder(session, principal)

    # --- reads ---------------------------------------------------------------------------

    async def get(self, enrolment_id: uuid.UUID) -> Enrolment:
        row = await self.repository.get(self.principal, enrolment_id)
        if row is None:
            raise NotFound()
        return row

    async def outs(self, rows: Sequence[Enrolment]) -> list[EnrolmentOut]:
        people, courses = await self.repository.labels(rows)
        return [
            EnrolmentOut(
                id=r.id,
                agency_code=r.agency_code,
                course_id=r.course_id,
                course_code=courses[r.course_id][0],
                course_title=courses[r.course_id][1],
                nip=people[r.employee_id][0],
                name=people[r.employee_id][1],
                year=r.year,
                state=r.state,
                plan_id=r.plan_id,
                request_id=r.request_id,
                completed_on=r.completed_on,
                training_id=r.training_id,
                reassessment_due=r.reassessment_due,
                version=r.version,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    async def out(self, row: Enrolment) -> EnrolmentOut:
        return (await self.outs([row]))[0]

    async def list_page(
        self, filters: EnrolmentFilters, page: PageRequest
    ) -> tuple[list[EnrolmentOut], str | None]:
        rows, cursor = await self.repository.list_page(self.principal, filters, page)
        return await self.outs(rows), cursor

    # --- create --------------------------------------------------------------------------

    async def _eligibility(self, course: Course) -> Eligibility:
        rungs = await self.repository.rungs(
            [c for c in (course.min_rank, course.max_rank) if c is not None]
        )
        return Eligibility(
            position_kinds=frozenset(course.eligible_position_kinds),
            min_rank=rungs.get(course.min_rank) if course.min_rank else None,
            max_rank=rungs.get(course.max_rank) if course.max_rank else None,
        )

    async def create(self, body: EnrolmentCreate) -> EnrolmentOut:
        # The course row is locked: enrolments on one course are counted one at a time.
        course = await self.repository.course(self.principal, body.course_id, lock=True)
        if course is None:
            raise field_problem(
                "course_id",
                "no such course in your agencies",
                "kursus ini tidak ada di instansi Anda",
                "course_not_found",
            )
        self.principal.require_agency(course.agency_code)
        candidate = await self.repository.candidate(self.principal, body.nip)
        if candidate is None or candidate.employee.agency_code != course.agency_code:
            raise field_problem(
                "nip",
                f"no employee {body.nip} in agency {course.agency_code}",
                f"tidak ada pegawai {body.nip} di instansi {course.agency_code}",
                "employee_not_found",
            )
        if not course.active:
            raise Conflict(
                "This course is inactive and takes no new enrolments",
                detail_id="Kursus ini nonaktif dan tidak menerima pendaftaran baru",
                code="course_inactive",
            )
        broken = ineligibility(
            await self._eligibility(course), candidate.position_kind, candidate.rung
        )
        if broken:
            raise Conflict(
                f"{body.nip} is not eligible for this course: "
                + ", ".join(f"{b} outside the course's eligibility" for b in broken),
                detail_id=f"{body.nip} tidak memenuhi syarat kursus ini: "
                + ", ".join(
                    "jenis jabatan tidak termasuk"
                    if b == "position_kind"
                    else "pangkat di luar rentang"
                    for b in broken
                ),
                code="not_eligible",
            )
        year = body.year
        if year is None:
            year = (course.starts_on or today_in_indonesia()).year
        employee = candidate.employee
        if await self.repository.already(employee.id, course.id, year):
            raise Conflict(
                f"{body.nip} already has an enrolment on this course in {year}",
                detail_id=f"{body.nip} sudah terdaftar pada kursus ini di tahun {year}",
                code="already_enrolled",
            )
        if await self.repository.taken_places(course.id, year) >= course.max_participants:
            raise Conflict(
                f"The course is full for {year} ({course.max_participants} participants)",
                detail_id=f"Kursus ini sudah penuh untuk tahun {year} "
                f"({course.max_participants} peserta)",
                code="course_full",
            )
        row = Enrolment(
            id=uuid.uuid4(),
            agency_code=course.agency_code,
            employee_id=employee.id,
            course_id=course.id,
            year=year,
            state="planned",
        )
        self.repository.add(row)
        await self.changes.created(
            row,
            after=_snapshot,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            nip=employee.nip,
            event="training.enrolment.planned",
            payload=_payload(row, employee.nip, "planned"),
        )
        return await self.out(row)

    # --- transitions ---------------------------------------------------------------------

    async def _move(
        self,
        row: Enrolment,
        action: str,
        *,
        event: str,
        completed: EnrolmentComplete | None = None,
    ) -> EnrolmentOut:
        self.principal.require_agency(row.agency_code)
        seen = row.version
        locked = await self.repository.get(self.principal, row.id, lock=True)
        if locked is None:
            raise NotFound()
        if locked.version != seen:
            raise PreconditionFailed()
        target = enrolment_target(locked.state, action)
        if target is None:
            raise Conflict(
                f"An enrolment that is {locked.state} cannot {action.replace('_', ' ')}",
                detail_id=f"Pendaftaran berstatus {locked.state} tidak dapat diproses "
                f"dengan tindakan {action}",
                code="enrolment_transition",
            )
        employee = await self.repository.employee(locked.employee_id)
        before = _snapshot(locked)
        if completed is not None:
            await self._complete(locked, employee, completed)
        locked.state = target
        await self.changes.updated(
            locked,
            before=before,
            after=_snapshot,
            entity_type=ENTITY,
            agency_code=locked.agency_code,
            nip=employee.nip,
            event=event,
            payload=_payload(locked, employee.nip, action),
        )
        return await self.out(locked)

    async def _complete(self, row: Enrolment, employee: Employee, body: EnrolmentComplete) -> None:
        course = await self.repository.course(self.principal, row.course_id)
        assert course is not None  # same agency as the enrolment
        done = body.completed_on
        check_not_future("completed_on", done, today_in_indonesia(), "Tanggal selesai")
        if course.starts_on is not None and done < course.starts_on:
            raise field_problem(
                "completed_on",
                f"completed_on {done} is before the course starts ({course.starts_on})",
                f"tanggal selesai {done} sebelum kursus dimulai ({course.starts_on})",
                "date_order",
            )
        codes = await self.repository.competency_codes(course.id)
        start: date = course.starts_on if course.starts_on is not None else done
        history = await TrainingService(self.session, self.principal).create(
            employee,
            TrainingCreate(
                title=course.title,
                hours_jp=course.hours_jp,
                start_date=start,
                end_date=done,
                provider=course.provider,
                form=course.form,
                competencies=codes,
                certificate_number=body.certificate_number,
            ),
        )
        row.completed_on = done
        row.training_id = history.id
        row.reassessment_due = course.reassess_on_completion and bool(codes)

    async def enrol(self, row: Enrolment) -> EnrolmentOut:
        return await self._move(row, "enrol", event="training.enrolment.enrolled")

    async def complete(self, row: Enrolment, body: EnrolmentComplete) -> EnrolmentOut:
        return await self._move(
            row, "complete", event="training.enrolment.completed", completed=body
        )

    async def cancel(self, row: Enrolment) -> EnrolmentOut:
        return await self._move(row, "cancel", event="training.enrolment.cancelled")

    async def no_show(self, row: Enrolment) -> EnrolmentOut:
        return await self._move(row, "no_show", event="training.enrolment.no_show")
