"""Training requests: an employee asks for themselves (HR for anyone of the agency); the
employee's supervisor (the holder of the position theirs reports to) or HR endorses or
rejects a submitted request, with a reason for a rejection; the employee withdraws it.
A decided request stays decided (409). An endorsed request raises the priority of the
need it names (``training.needs.rules.W_REQUEST``)."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import HR_ROLES, Principal, Role
from asn_career.core.errors import Conflict, Forbidden, NotFound, field_problem
from asn_career.core.pagination import PageRequest
from asn_career.profiles.models import Employee
from asn_career.training.models import TrainingRequest
from asn_career.training.needs.rules import current_year
from asn_career.training.requests.repository import RequestFilters, TrainingRequestRepository
from asn_career.training.requests.schemas import (
    RequestSummaryOut,
    TopicCountOut,
    TrainingRequestCreate,
    TrainingRequestDecision,
    TrainingRequestOut,
    UnitCountOut,
)

__all__ = ["RequestFilters", "TrainingRequestService"]


def request_decided(status: str) -> Conflict:
    return Conflict(
        f"This request is already {status}; only a submitted request can change",
        detail_id="Permohonan ini sudah diputuskan atau ditarik; hanya permohonan yang masih "
        "diajukan yang dapat diubah",
        code="request_decided",
    )


def _payload(row: TrainingRequest, nip: str) -> Any:
    def payload(before: Any, after: Any) -> dict[str, Any]:
        return {
            "training_request_id": str(row.id),
            "employee_id": str(row.employee_id),
            "nip": nip,
            "year": row.year,
            "competency_id": row.competency_id,
            "course_id": str(row.course_id) if row.course_id else None,
            "status": row.status,
        }

    return payload


class TrainingRequestService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = TrainingRequestRepository(session)
        self.changes = ChangeRecorder(session, principal)

    # --- reads ---------------------------------------------------------------------------

    async def get_visible(self, training_request_id: uuid.UUID) -> TrainingRequest:
        row = await self.repository.get_visible(self.principal, training_request_id)
        if row is None:
            raise NotFound()
        return row

    async def outs(self, rows: Sequence[TrainingRequest]) -> list[TrainingRequestOut]:
        details = await self.repository.details([r.id for r in rows])
        return [
            TrainingRequestOut(
                id=r.id,
                agency_code=r.agency_code,
                employee_id=r.employee_id,
                nip=details[r.id].nip,
                name=details[r.id].name,
                unit_id=details[r.id].unit_id,
                year=r.year,
                course_id=r.course_id,
                course_title=details[r.id].course_title,
                topic=r.topic,
                competency_id=r.competency_id,
                competency_code=details[r.id].competency_code,
                reason=r.reason,
                status=r.status,
                decided_by=r.decided_by,
                decided_at=r.decided_at,
                decision_reason=r.decision_reason,
                created_at=r.created_at,
                version=r.version,
            )
            for r in rows
        ]

    async def out(self, row: TrainingRequest) -> TrainingRequestOut:
        return (await self.outs([row]))[0]

    async def list_page(
        self, filters: RequestFilters, page: PageRequest
    ) -> tuple[list[TrainingRequestOut], str | None]:
        rows, next_cursor = await self.repository.list_page(self.principal, filters, page)
        return await self.outs(rows), next_cursor

    async def summary(self, agency: str, year: int) -> RequestSummaryOut:
        self.principal.require_agency(agency)
        topics = await self.repository.topic_counts(self.principal, agency, year)
        units = await self.repository.unit_counts(self.principal, agency, year)
        return RequestSummaryOut(
            agency=agency,
            year=year,
            topics=[
                TopicCountOut(
                    topic=t.topic,
                    course_id=uuid.UUID(t.course_id) if t.course_id else None,
                    total=t.total,
                    submitted=t.submitted,
                    endorsed=t.endorsed,
                    rejected=t.rejected,
                )
                for t in topics
            ],
            units=[
                UnitCountOut(
                    unit_id=u.unit_id,
                    unit_name=u.unit_name,
                    total=u.total,
                    submitted=u.submitted,
                    endorsed=u.endorsed,
                    rejected=u.rejected,
                )
                for u in units
            ],
        )

    # --- writes --------------------------------------------------------------------------

    async def _requester(self, nip: str | None) -> Employee:
        """HR names the employee; anyone else asks for themselves."""
        if self.principal.role not in HR_ROLES:
            if nip is not None and nip != self.principal.subject:
                raise Forbidden(
                    "Employees ask for training for themselves only",
                    detail_id="Pegawai hanya dapat mengajukan pelatihan untuk dirinya sendiri",
                    code="own_requests_only",
                )
            nip = self.principal.subject
        if nip is None:
            raise field_problem("nip", "nip is required", "NIP wajib diisi", "missing")
        employee = await self.repository.visible_employee(self.principal, nip)
        if employee is None:
            if self.principal.role in HR_ROLES:
                raise field_problem(
                    "nip",
                    "no employee with this NIP in your agencies",
                    "tidak ada pegawai dengan NIP ini di instansi Anda",
                    "unknown_employee",
                )
            raise NotFound()
        return employee

    async def create(self, body: TrainingRequestCreate) -> TrainingRequest:
        if (body.course_id is None) == (body.topic is None):
            raise field_problem(
                "course_id",
                "name either a catalogue course or a free topic",
                "pilih salah satu: pelatihan dari katalog atau topik bebas",
                "course_or_topic",
            )
        employee = await self._requester(body.nip)
        competency_id = await self.repository.competency_id(body.competency, employee.agency_code)
        if competency_id is None:
            raise field_problem(
                "competency",
                "no such competency for the employee's agency",
                "kompetensi ini tidak ada untuk instansi pegawai",
                "unknown_competency",
            )
        if body.course_id is not None:
            course = await self.repository.active_course(body.course_id, employee.agency_code)
            if course is None:
                raise field_problem(
                    "course_id",
                    "no active course with this id in the employee's agency",
                    "tidak ada pelatihan aktif dengan id ini di instansi pegawai",
                    "unknown_course",
                )
        row = TrainingRequest(
            agency_code=employee.agency_code,
            employee_id=employee.id,
            year=body.year or current_year(),
            course_id=body.course_id,
            topic=body.topic,
            competency_id=competency_id,
            reason=body.reason,
            status="submitted",
        )
        self.repository.add(row)
        await self.changes.created(
            row,
            after=snapshot,
            entity_type="training_request",
            agency_code=row.agency_code,
            nip=employee.nip,
            event="training.request.created",
            payload=_payload(row, employee.nip),
        )
        return row

    async def _may_decide(self, employee: Employee) -> None:
        if self.principal.role in HR_ROLES:
            self.principal.require_agency(employee.agency_code)
            return
        if self.principal.role is Role.SUPERVISOR and await self.repository.is_direct_supervisor(
            self.principal.subject, employee
        ):
            return
        raise Forbidden(
            "Only the employee's supervisor or HR decides on a request",
            detail_id="Hanya atasan langsung pegawai atau bagian kepegawaian yang memutuskan "
            "permohonan",
            code="not_the_supervisor",
        )

    async def decide(
        self, row: TrainingRequest, endorse: bool, body: TrainingRequestDecision
    ) -> TrainingRequest:
        employee = await self.repository.employee(row.employee_id)
        assert employee is not None
        await self._may_decide(employee)
        if row.status != "submitted":
            raise request_decided(row.status)
        if not endorse and body.reason is None:
            raise field_problem(
                "reason",
                "a rejection needs a reason",
                "penolakan harus disertai alasan",
                "missing",
                code="reason_required",
            )
        before = snapshot(row)
        row.status = "endorsed" if endorse else "rejected"
        row.decided_by = self.principal.subject
        row.decided_at = datetime.now(UTC)
        row.decision_reason = body.reason
        await self.changes.updated(
            row,
            before=before,
            after=snapshot,
            entity_type="training_request",
            agency_code=row.agency_code,
            nip=employee.nip,
            event="training.request.endorsed" if endorse else "training.request.rejected",
            payload=_payload(row, employee.nip),
        )
        return row

    async def withdraw(self, row: TrainingRequest) -> TrainingRequest:
        employee = await self.repository.employee(row.employee_id)
        assert employee is not None
        if self.principal.subject != employee.nip:
            raise Forbidden(
                "Only the employee who asked withdraws a request",
                detail_id="Hanya pegawai yang mengajukan yang dapat menarik permohonan",
                code="not_the_requester",
            )
        if row.status != "submitted":
            raise request_decided(row.status)
        before = snapshot(row)
        row.status = "withdrawn"
        await self.changes.updated(
            row,
            before=before,
            after=snapshot,
            entity_type="training_request",
            agency_code=row.agency_code,
            nip=employee.nip,
        )
        return row
