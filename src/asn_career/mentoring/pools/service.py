"""A programme's pools. HR adds anyone of the agency; an employee opts in as a mentor or
enrols as a mentee only themselves. A mentor's strengths default to their current
competencies at level 4 or above; a mentee's focus to their largest training needs and
their latest published 360° report's suggestions (the needs computation and the frozen
report are read as they are, never recomputed here)."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, EventPayload, Snapshot, snapshot
from asn_career.core.auth import HR_ROLES, Principal
from asn_career.core.errors import Conflict, Forbidden, NotFound, field_problem
from asn_career.core.outbox import changes as changed_fields
from asn_career.core.pagination import PageRequest
from asn_career.mentoring import rules
from asn_career.mentoring.models import Mentee, Mentor, Program
from asn_career.mentoring.pools.repository import PoolRepository
from asn_career.mentoring.pools.schemas import (
    FocusReason,
    MenteeCreate,
    MenteeOut,
    MenteeUpdate,
    MentorCreate,
    MentorOut,
    MentorUpdate,
)
from asn_career.profiles.models import Employee
from asn_career.training.needs.rules import current_year
from asn_career.training.needs.service import NeedFilters, NeedsService

MENTOR, MENTEE = "mentoring_mentor", "mentoring_mentee"
FEEDBACK_REASONS = {
    "below_required_level": (
        "umpan balik 360°: di bawah level yang dipersyaratkan jabatan",
        "360° feedback: below the level the position requires",
    ),
    "blind_spot": (
        "umpan balik 360°: titik buta (menilai diri lebih tinggi daripada penilai lain)",
        "360° feedback: a blind spot (rated higher by oneself than by others)",
    ),
    "lowest_rated": (
        "umpan balik 360°: termasuk yang paling rendah dinilai penilai lain",
        "360° feedback: among the lowest rated by others",
    ),
}
"""What the 360° report's suggestion says, in words (Indonesian, English)."""


def _payload(program: Program, nip: str, verb: str) -> EventPayload:
    ids = {"action": verb, "program_id": str(program.id), "nip": nip}

    def build(before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
        return ids | {"changes": changed_fields(before, after)}

    return build


class PoolService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = PoolRepository(session)
        self.changes = ChangeRecorder(session, principal)

    @property
    def is_hr(self) -> bool:
        return self.principal.role in HR_ROLES

    def _self_or_hr(self, nip: str) -> None:
        if not self.is_hr and self.principal.subject != nip:
            raise Forbidden(
                "Employees add only themselves to a programme's pools",
                detail_id="Pegawai hanya dapat mendaftarkan dirinya sendiri",
                code="mentoring_self_only",
            )

    async def _employee(self, program: Program, nip: str) -> Employee:
        self.principal.require_agency(program.agency_code)
        self._self_or_hr(nip)
        employee = await self.repository.employee(program.agency_code, nip)
        if employee is None:
            raise field_problem(
                "nip",
                f"no employee {nip} in agency {program.agency_code}",
                f"tidak ada pegawai {nip} di instansi {program.agency_code}",
                "employee_not_found",
            )
        if employee.status != "active":
            raise field_problem(
                "nip",
                f"employee {nip} is not active ({employee.status})",
                f"pegawai {nip} tidak aktif ({employee.status})",
                "employee_not_active",
            )
        return employee

    async def _ids(self, program: Program, field: str, codes: Sequence[str]) -> list[int]:
        if len(set(codes)) != len(codes):
            raise field_problem(
                field, "a competency is listed twice", "kompetensi tercantum dua kali",
                "duplicate_competency",
            )  # fmt: skip
        known = await self.repository.competency_ids(program.agency_code, codes)
        for n, code in enumerate(codes):
            if code not in known:
                raise field_problem(
                    ["body", field, n],
                    f"competency {code} is not in the dictionary for agency {program.agency_code}",
                    f"kompetensi {code} tidak ada dalam kamus kompetensi instansi "
                    f"{program.agency_code}",
                    "unknown_competency",
                )
        return [known[c] for c in codes]

    # --- mentors ---------------------------------------------------------------------------

    async def mentor_row(self, program: Program, nip: str, *, lock: bool = False) -> Row[Any]:
        row = await self.repository.mentor(program, nip, lock=lock)
        if row is None or (not self.is_hr and self.principal.subject != nip):
            raise NotFound()
        return row

    async def mentor_outs(self, program: Program, rows: Sequence[Row[Any]]) -> list[MentorOut]:
        codes = await self.repository.codes(c for r in rows for c in r.Mentor.strengths)
        loads = await self.repository.loads([r.Mentor.id for r in rows])
        return [
            MentorOut(
                id=r.Mentor.id,
                program_id=program.id,
                nip=r.nip,
                name=r.name,
                capacity=r.Mentor.capacity or program.default_capacity,
                capacity_given=r.Mentor.capacity,
                strengths=[codes[c] for c in r.Mentor.strengths],
                availability=r.Mentor.availability,
                added_by=r.Mentor.added_by,
                active=r.Mentor.active,
                load=loads.get(r.Mentor.id, 0),
                version=r.Mentor.version,
                created_at=r.Mentor.created_at,
                updated_at=r.Mentor.updated_at,
            )
            for r in rows
        ]

    async def mentors_page(
        self, program: Program, page: PageRequest
    ) -> tuple[list[MentorOut], str | None]:
        rows, cursor = await self.repository.mentors_page(program, page)
        return await self.mentor_outs(program, rows), cursor

    async def add_mentor(self, program: Program, body: MentorCreate) -> MentorOut:
        employee = await self._employee(program, body.nip)
        if await self.repository.in_pool(Mentor, program.id, employee.id):
            raise Conflict(
                f"{body.nip} is a mentor of this programme already",
                detail_id=f"{body.nip} sudah menjadi mentor dalam program ini",
                code="mentor_exists",
            )
        if body.strengths is None:
            strengths = await self.repository.strong_competencies(employee.id)
        else:
            strengths = await self._ids(program, "strengths", body.strengths)
        row = Mentor(
            id=uuid.uuid4(), program_id=program.id, employee_id=employee.id,
            capacity=body.capacity, strengths=strengths, availability=body.availability,
            added_by="hr" if self.is_hr else "self",
        )  # fmt: skip
        self.repository.add(row)
        await self.changes.created(
            row, after=snapshot, entity_type=MENTOR, agency_code=program.agency_code,
            nip=body.nip, event="mentoring.mentor.added",
            payload=_payload(program, body.nip, "added"),
        )  # fmt: skip
        return (await self.mentor_outs(program, [await self.mentor_row(program, body.nip)]))[0]

    async def update_mentor(
        self, program: Program, found: Row[Any], body: MentorUpdate
    ) -> MentorOut:
        row: Mentor = found.Mentor
        changes = body.model_dump(exclude_unset=True)
        if "strengths" in changes:
            changes["strengths"] = await self._ids(program, "strengths", changes["strengths"])
        before = snapshot(row)
        for name, value in changes.items():
            setattr(row, name, value)
        await self.changes.updated(
            row, before=before, after=snapshot, entity_type=MENTOR,
            agency_code=program.agency_code, nip=found.nip, event="mentoring.mentor.updated",
            payload=_payload(program, found.nip, "updated"), unless_unchanged=True,
        )  # fmt: skip
        return (await self.mentor_outs(program, [found]))[0]

    # --- mentees ---------------------------------------------------------------------------

    async def mentee_row(self, program: Program, nip: str, *, lock: bool = False) -> Row[Any]:
        row = await self.repository.mentee(program, nip, lock=lock)
        if row is None or (not self.is_hr and self.principal.subject != nip):
            raise NotFound()
        return row

    async def mentee_outs(self, program: Program, rows: Sequence[Row[Any]]) -> list[MenteeOut]:
        codes = await self.repository.codes(c for r in rows for c in r.Mentee.focus)
        return [
            MenteeOut(
                id=r.Mentee.id,
                program_id=program.id,
                nip=r.nip,
                name=r.name,
                goals=r.Mentee.goals,
                focus=[codes[c] for c in r.Mentee.focus],
                focus_source=r.Mentee.focus_source,
                focus_reasons=[FocusReason(**x) for x in r.Mentee.focus_reasons],
                active=r.Mentee.active,
                version=r.Mentee.version,
                created_at=r.Mentee.created_at,
                updated_at=r.Mentee.updated_at,
            )
            for r in rows
        ]

    async def mentees_page(
        self, program: Program, page: PageRequest
    ) -> tuple[list[MenteeOut], str | None]:
        rows, cursor = await self.repository.mentees_page(program, page)
        return await self.mentee_outs(program, rows), cursor

    async def _derived_focus(
        self, program: Program, employee: Employee
    ) -> tuple[list[int], list[dict[str, str]]]:
        """The largest needs (training needs, highest priority first) and the latest 360°
        report's suggestions, in turn."""
        needs, _ = await NeedsService(self.session, self.principal).list_page(
            NeedFilters(year=current_year(), agency=program.agency_code, nip=employee.nip),
            PageRequest(limit=10),
        )
        need_detail = {
            n.competency_code: (
                f"kebutuhan pelatihan: kesenjangan {n.gap} level (prioritas {n.priority:g})",
                f"training need: a gap of {n.gap} level(s) (priority {n.priority:g})",
            )
            for n in reversed(needs)
        }
        suggestions = await self.repository.latest_360_suggestions(employee.id)
        feedback = [
            s["dimension_code"] for s in suggestions if s.get("dimension_code", "")[:2] != "BA"
        ]
        feedback_detail = {
            s["dimension_code"]: FEEDBACK_REASONS.get(
                s.get("reason", ""), ("umpan balik 360°", "360° feedback")
            )
            for s in suggestions
        }
        chosen = rules.derive_focus([n.competency_code for n in needs], feedback)
        known = await self.repository.competency_ids(program.agency_code, [c for c, _ in chosen])
        chosen = [(c, s) for c, s in chosen if c in known]
        reasons = [
            {"code": c, "source": s, "detail": detail[0], "detail_en": detail[1]}
            for c, s in chosen
            for detail in [need_detail[c] if s == "training_need" else feedback_detail[c]]
        ]  # fmt: skip
        return [known[c] for c, _ in chosen], reasons

    async def enrol_mentee(self, program: Program, body: MenteeCreate) -> MenteeOut:
        employee = await self._employee(program, body.nip)
        if await self.repository.in_pool(Mentee, program.id, employee.id):
            raise Conflict(
                f"{body.nip} is a mentee of this programme already",
                detail_id=f"{body.nip} sudah menjadi mentee dalam program ini",
                code="mentee_exists",
            )
        if body.focus is None:
            focus, reasons = await self._derived_focus(program, employee)
            source = "derived"
        else:
            focus, reasons, source = await self._ids(program, "focus", body.focus), [], "given"
        row = Mentee(
            id=uuid.uuid4(), program_id=program.id, employee_id=employee.id, goals=body.goals,
            focus=focus, focus_source=source, focus_reasons=reasons,
        )  # fmt: skip
        self.repository.add(row)
        await self.changes.created(
            row, after=snapshot, entity_type=MENTEE, agency_code=program.agency_code,
            nip=body.nip, event="mentoring.mentee.enrolled",
            payload=_payload(program, body.nip, "enrolled"),
        )  # fmt: skip
        return (await self.mentee_outs(program, [await self.mentee_row(program, body.nip)]))[0]

    async def update_mentee(
        self, program: Program, found: Row[Any], body: MenteeUpdate
    ) -> MenteeOut:
        row: Mentee = found.Mentee
        changes = body.model_dump(exclude_unset=True)
        if "focus" in changes:
            changes["focus"] = await self._ids(program, "focus", changes["focus"])
            changes["focus_source"], changes["focus_reasons"] = "given", []
        before = snapshot(row)
        for name, value in changes.items():
            setattr(row, name, value)
        await self.changes.updated(
            row, before=before, after=snapshot, entity_type=MENTEE,
            agency_code=program.agency_code, nip=found.nip, event="mentoring.mentee.updated",
            payload=_payload(program, found.nip, "updated"), unless_unchanged=True,
        )  # fmt: skip
        return (await self.mentee_outs(program, [found]))[0]
