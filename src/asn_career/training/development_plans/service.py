"""Individual development plans: one per employee and year.

Who may do what:
- read: whoever may see the employee (HR of the agency, a supervisor their reporting line,
  the employee themselves);
- create, draft and edit a draft: the employee themselves, their direct supervisor (the
  holder of the position theirs reports to, as for endorsing training requests) and HR of
  the agency;
- approve a draft: the direct supervisor or HR, never the employee themselves;
- reopen an approved plan as a new revision (a draft again): HR only.

A second plan for the same employee and year is a 409; so is editing or approving an
approved plan, and reopening a draft. Every change writes an audit row and an outbox event
(``training.development_plan.created|updated|approved``).
"""

import os
import uuid
from collections.abc import AsyncGenerator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import HR_ROLES, Principal, Role
from asn_career.core.db import new_uuid
from asn_career.core.errors import Conflict, Forbidden, NotFound, field_problem
from asn_career.core.pagination import PageRequest
from asn_career.core.sheets import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    Download,
    csv_body,
    file_chunks,
    spool_xlsx,
)
from asn_career.profiles.models import Employee
from asn_career.training.development_plans import rules
from asn_career.training.development_plans.drafting import (
    MAX_DRAFT_NEEDS,
    CourseOption,
    DraftFacts,
    Interest,
    NeedFact,
    Proposal,
    Suggestion,
    propose,
)
from asn_career.training.development_plans.models import (
    DevelopmentPlan,
    DevelopmentPlanActivity,
    DevelopmentPlanNeed,
)
from asn_career.training.development_plans.pdf import PlanDocument, Signatory, render_plan_pdf
from asn_career.training.development_plans.repository import (
    DevelopmentPlanRepository,
    Identity,
    PlanFilters,
)
from asn_career.training.development_plans.schemas import (
    ActivityIn,
    ActivityOut,
    DevelopmentPlanCreate,
    DevelopmentPlanDraftRequest,
    DevelopmentPlanOut,
    DevelopmentPlanUpdate,
    GoalIn,
    GoalOut,
    NeedIn,
    PlanNeedOut,
)
from asn_career.training.needs.rules import current_year
from asn_career.training.needs.service import NeedsService
from asn_career.training.rules import MIN_JP_PER_YEAR, Eligibility, Rung, ineligibility

__all__ = ["DevelopmentPlanService", "PlanFilters"]

FILE_COLUMNS = (
    "nip", "name", "unit_code", "unit_name", "year", "status", "revision", "approved_at",
    "approved_by_name", "planned_jp", "shortfall_jp", "activity", "kind", "title",
    "competency", "course_code", "activity_jp", "target_quarter", "source",
)  # fmt: skip
"""The agency's file: one row per activity (a plan without activities: one row)."""


def plan_exists(year: int) -> Conflict:
    return Conflict(
        f"This employee already has a development plan for {year}; edit that one",
        detail_id=f"Pegawai ini sudah memiliki rencana pengembangan tahun {year}; ubah "
        "rencana tersebut",
        code="development_plan_exists",
    )


def plan_approved() -> Conflict:
    return Conflict(
        "This development plan is approved; HR reopens it as a new revision to change it",
        detail_id="Rencana pengembangan ini sudah disetujui; bagian kepegawaian dapat "
        "membukanya kembali sebagai revisi baru untuk diubah",
        code="development_plan_approved",
    )


def _payload(row: DevelopmentPlan, nip: str, planned: Decimal) -> Any:
    def payload(before: Any, after: Any) -> dict[str, Any]:
        return {
            "development_plan_id": str(row.id),
            "employee_id": str(row.employee_id),
            "nip": nip,
            "year": row.year,
            "status": row.status,
            "revision": row.revision,
            "planned_jp": float(planned),
        }

    return payload


def _rung(scale: str | None, ordinal: int | None) -> Rung | None:
    return Rung(scale, int(ordinal)) if scale is not None and ordinal is not None else None


def _eligibility(row: Row[Any]) -> Eligibility:
    return Eligibility(
        position_kinds=frozenset(row.eligible_position_kinds or ()),
        min_rank=_rung(row.min_scale, row.min_ordinal),
        max_rank=_rung(row.max_scale, row.max_ordinal),
    )


class DevelopmentPlanService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = DevelopmentPlanRepository(session)
        self.changes = ChangeRecorder(session, principal)
        self._identities: dict[uuid.UUID, Identity] = {}

    async def _who(self, employee_id: uuid.UUID) -> Identity:
        """The employee's identity, read once per request."""
        if employee_id not in self._identities:
            self._identities[employee_id] = await self.repository.identity(employee_id)
        return self._identities[employee_id]

    # --- reads ---------------------------------------------------------------------------

    async def get_visible(
        self, development_plan_id: uuid.UUID, *, lock: bool = False
    ) -> DevelopmentPlan:
        row = await self.repository.get_visible(self.principal, development_plan_id, lock=lock)
        if row is None:
            raise NotFound()
        return row

    async def outs(self, rows: Sequence[DevelopmentPlan]) -> list[DevelopmentPlanOut]:
        """A page of plans at once: three queries whatever its size."""
        ids = [r.id for r in rows]
        people = await self.repository.people({r.employee_id for r in rows})
        recorded = await self.repository.recorded_jp({(r.employee_id, r.year) for r in rows})
        needs: dict[uuid.UUID, list[PlanNeedOut]] = {i: [] for i in ids}
        for n in await self.repository.needs(ids):
            need = n.DevelopmentPlanNeed
            needs[need.plan_id].append(
                PlanNeedOut(
                    competency_id=need.competency_id,
                    competency_code=n.competency_code,
                    competency_name=n.competency_name,
                    current_level=need.current_level,
                    required_level=need.required_level,
                    gap=rules.need_gap(need.current_level, need.required_level),
                    source=need.source,
                    reason=need.reason,
                )
            )
        activities: dict[uuid.UUID, list[ActivityOut]] = {i: [] for i in ids}
        totals: dict[uuid.UUID, Decimal] = dict.fromkeys(ids, Decimal(0))
        for a in await self.repository.activities(ids):
            act = a.DevelopmentPlanActivity
            totals[act.plan_id] += act.planned_jp
            activities[act.plan_id].append(
                ActivityOut(
                    ordinal=act.ordinal,
                    kind=act.kind,
                    title=act.title,
                    competency_id=act.competency_id,
                    competency_code=a.competency_code,
                    competency_name=a.competency_name,
                    course_id=act.course_id,
                    course_code=a.course_code,
                    course_title=a.course_title,
                    planned_jp=float(act.planned_jp),
                    target_quarter=act.target_quarter,
                    source=act.source,
                    reason=act.reason,
                )
            )
        return [
            DevelopmentPlanOut(
                id=r.id,
                agency_code=r.agency_code,
                employee_id=r.employee_id,
                nip=people[r.employee_id].nip,
                name=people[r.employee_id].name,
                year=r.year,
                status=r.status,
                revision=r.revision,
                goals=[GoalOut.model_validate(g) for g in r.goals],
                needs=needs[r.id],
                activities=activities[r.id],
                planned_jp=float(totals[r.id]),
                minimum_jp=MIN_JP_PER_YEAR,
                jp_shortfall=float(rules.jp_shortfall(totals[r.id])),
                recorded_jp=float(recorded.get((r.employee_id, r.year), 0)),
                drafted_from=r.drafted_from,
                approved_by=r.approved_by,
                approved_by_name=r.approved_by_name,
                approved_at=r.approved_at,
                created_at=r.created_at,
                updated_at=r.updated_at,
                version=r.version,
            )
            for r in rows
        ]

    async def out(self, row: DevelopmentPlan) -> DevelopmentPlanOut:
        return (await self.outs([row]))[0]

    async def list_page(
        self, filters: PlanFilters, page: PageRequest, employee: Employee | None = None
    ) -> tuple[list[DevelopmentPlanOut], str | None]:
        if filters.agency is not None:
            self.principal.require_agency(filters.agency)
        employee_id = employee.id if employee is not None else None
        rows, cursor = await self.repository.page(self.principal, filters, page, employee_id)
        return await self.outs(rows), cursor

    # --- who may change a plan -----------------------------------------------------------

    async def supervisor_nip(self, employee_id: uuid.UUID) -> str | None:
        """The NIP of the employee's direct supervisor (the first by NIP when several hold
        the superior position), who approves their plan."""
        supervisor = await self.repository.direct_supervisor(employee_id)
        return None if supervisor is None else str(supervisor.nip)

    async def _is_supervisor(self, employee_id: uuid.UUID) -> bool:
        if self.principal.role is not Role.SUPERVISOR:
            return False
        return await self.repository.holds_superior_position(self.principal.subject, employee_id)

    async def _may_edit(self, employee_id: uuid.UUID, nip: str, agency_code: str) -> None:
        if self.principal.role in HR_ROLES:
            self.principal.require_agency(agency_code)
            return
        if self.principal.subject == nip or await self._is_supervisor(employee_id):
            return
        raise Forbidden(
            "Only the employee, their direct supervisor or HR writes a development plan",
            detail_id="Hanya pegawai yang bersangkutan, atasan langsungnya, atau bagian "
            "kepegawaian yang dapat menyusun rencana pengembangan",
            code="not_plan_editor",
        )

    async def _may_approve(self, employee_id: uuid.UUID, nip: str, agency_code: str) -> None:
        if self.principal.role in HR_ROLES:
            self.principal.require_agency(agency_code)
            return
        if self.principal.subject != nip and await self._is_supervisor(employee_id):
            return
        raise Forbidden(
            "Only the employee's direct supervisor or HR approves a development plan",
            detail_id="Hanya atasan langsung pegawai atau bagian kepegawaian yang dapat "
            "menyetujui rencana pengembangan",
            code="not_the_supervisor",
        )

    # --- writing the lists ---------------------------------------------------------------

    async def _children(
        self,
        plan_id: uuid.UUID,
        employee_id: uuid.UUID,
        agency_code: str,
        needs: Sequence[NeedIn],
        activities: Sequence[ActivityIn],
    ) -> tuple[list[DevelopmentPlanNeed], list[DevelopmentPlanActivity]]:
        """The rows of the lists as written, checked: each competency known and listed once
        among the needs, each course an active one of the agency the employee may take."""
        repeated = rules.repeated_competencies(n.competency for n in needs)
        if repeated:
            raise field_problem(
                "needs",
                f"a competency is listed more than once: {', '.join(repeated)}",
                f"kompetensi tercantum lebih dari sekali: {', '.join(repeated)}",
                "repeated_competency",
            )
        codes = {n.competency for n in needs} | {a.competency for a in activities if a.competency}
        known = await self.repository.competency_ids(codes, agency_code)
        named = [("needs", i, n.competency) for i, n in enumerate(needs)] + [
            ("activities", i, a.competency) for i, a in enumerate(activities)
        ]
        for where, i, code in named:
            if code is not None and code not in known:
                raise field_problem(
                    ["body", where, i, "competency"],
                    f"no competency {code} for this agency",
                    f"kompetensi {code} tidak ada untuk instansi ini",
                    "unknown_competency",
                )
        course_ids = {a.course_id for a in activities if a.course_id is not None}
        courses = {c.id: c for c in await self.repository.courses(course_ids, agency_code)}
        if course_ids:
            identity = await self._who(employee_id)
            rung = _rung(identity.rank_scale, identity.rank_ordinal)
        for i, activity in enumerate(activities):
            if activity.course_id is None:
                continue
            course = courses.get(activity.course_id)
            if course is None:
                raise field_problem(
                    ["body", "activities", i, "course_id"],
                    "no active course with this id in the employee's agency",
                    "tidak ada kursus aktif dengan id ini di instansi pegawai",
                    "unknown_course",
                )
            if ineligibility(_eligibility(course), identity.position_kind, rung):
                raise field_problem(
                    ["body", "activities", i, "course_id"],
                    "the employee is not eligible for this course (position kind or rank)",
                    "pegawai tidak memenuhi syarat kursus ini (jenis jabatan atau pangkat)",
                    "not_eligible",
                )
        need_rows = [
            DevelopmentPlanNeed(
                plan_id=plan_id, competency_id=known[n.competency], ordinal=i,
                current_level=n.current_level, required_level=n.required_level,
                source=n.source, reason=n.reason,
            )
            for i, n in enumerate(needs, start=1)
        ]  # fmt: skip
        activity_rows = [
            DevelopmentPlanActivity(
                plan_id=plan_id, ordinal=i, kind=a.kind, title=a.title,
                competency_id=known[a.competency] if a.competency else None,
                course_id=a.course_id, planned_jp=a.planned_jp,
                target_quarter=a.target_quarter, source=a.source, reason=a.reason,
            )
            for i, a in enumerate(activities, start=1)
        ]  # fmt: skip
        return need_rows, activity_rows

    async def _lists(self, row: DevelopmentPlan) -> dict[str, Any]:
        """The plan's lists as the audit trail compares them."""
        out = await self.out(row)
        return {
            "needs": [
                [n.competency_code, n.current_level, n.required_level, n.source] for n in out.needs
            ],
            "activities": [
                [a.kind, a.title, a.competency_code, a.course_code, a.planned_jp, a.source]
                for a in out.activities
            ],
            "planned_jp": out.planned_jp,
        }

    async def _record(
        self,
        row: DevelopmentPlan,
        nip: str,
        before: dict[str, Any] | None,
        event: str,
    ) -> None:
        await self.session.flush()
        lists = await self._lists(row)
        planned = Decimal(str(lists["planned_jp"]))

        def after(r: DevelopmentPlan) -> dict[str, Any]:
            return snapshot(r, extra=lists)

        change: dict[str, Any] = {
            "entity_type": "training_development_plan",
            "agency_code": row.agency_code,
            "nip": nip,
            "payload": _payload(row, nip, planned),
        }
        if before is None:
            await self.changes.created(
                row, after=after, event="training.development_plan.created", **change
            )
        elif event == "approved":
            await self.changes.changed(
                "approved",
                row,
                before=before,
                after=after,
                event="training.development_plan.approved",
                **change,
            )
        else:
            await self.changes.updated(
                row,
                before=before,
                after=after,
                event="training.development_plan.updated",
                **change,
            )

    async def _before(self, row: DevelopmentPlan) -> dict[str, Any]:
        return snapshot(row, extra=await self._lists(row))

    # --- create, draft, edit -------------------------------------------------------------

    async def _new(
        self,
        employee: Employee,
        year: int,
        goals: Sequence[GoalIn],
        needs: Sequence[NeedIn],
        activities: Sequence[ActivityIn],
        drafted_from: dict[str, Any] | None = None,
        *,
        checked: bool = False,
    ) -> DevelopmentPlan:
        """``checked``: the caller has just found no plan for the year."""
        if not checked and await self.repository.exists(employee.id, year):
            raise plan_exists(year)
        plan_id = new_uuid()
        need_rows, activity_rows = await self._children(
            plan_id, employee.id, employee.agency_code, needs, activities
        )
        row = DevelopmentPlan(
            id=plan_id,
            agency_code=employee.agency_code,
            employee_id=employee.id,
            year=year,
            status="draft",
            revision=1,
            goals=[g.model_dump(mode="json") for g in goals],
            drafted_from=drafted_from,
        )
        self.repository.add(row)
        await self.session.flush()
        self.session.add_all([*need_rows, *activity_rows])
        await self._record(row, employee.nip, None, "created")
        return row

    async def create(self, employee: Employee, body: DevelopmentPlanCreate) -> DevelopmentPlan:
        await self._may_edit(employee.id, employee.nip, employee.agency_code)
        return await self._new(employee, body.year, body.goals, body.needs, body.activities)

    async def draft(self, employee: Employee, body: DevelopmentPlanDraftRequest) -> DevelopmentPlan:
        """Propose a plan from the employee's needs, latest 360° report and interests, and
        store it as a draft for the employee and supervisor to edit."""
        await self._may_edit(employee.id, employee.nip, employee.agency_code)
        year = body.year or current_year()
        if await self.repository.exists(employee.id, year):
            raise plan_exists(year)
        facts, drafted_from = await self._facts(employee, year)
        proposal = propose(facts)
        return await self._new(
            employee,
            year,
            [GoalIn(text=g.text, source=g.source) for g in proposal.goals],
            *await self._written(proposal),
            drafted_from=drafted_from,
            checked=True,
        )

    async def _written(self, proposal: Proposal) -> tuple[list[NeedIn], list[ActivityIn]]:
        """The proposal as if written through the API, so it passes the same checks."""
        ids = {n.competency_id for n in proposal.needs} | {
            a.competency_id for a in proposal.activities if a.competency_id is not None
        }
        codes = await self.repository.competency_codes(ids)
        needs = [
            NeedIn(
                competency=codes[n.competency_id], current_level=n.current_level,
                required_level=n.required_level, source=n.source, reason=n.reason,
            )
            for n in proposal.needs
        ]  # fmt: skip
        activities = [
            ActivityIn(
                kind=a.kind, title=a.title,
                competency=codes[a.competency_id] if a.competency_id is not None else None,
                course_id=a.course_id, planned_jp=a.planned_jp, target_quarter=a.target_quarter,
                source=a.source, reason=a.reason,
            )
            for a in proposal.activities
        ]  # fmt: skip
        return needs, activities

    async def _facts(self, employee: Employee, year: int) -> tuple[DraftFacts, dict[str, Any]]:
        agency = employee.agency_code
        identity = await self._who(employee.id)
        needs = await NeedsService(self.session, self.principal).of_employee(
            employee.nip, agency, year
        )
        report = await self.repository.latest_report(employee.id)
        develop = list(report.get("develop_next") or ()) if report else []
        known = await self.repository.competency_ids({s["dimension_code"] for s in develop}, agency)
        suggestions = [
            Suggestion(
                code=s["dimension_code"],
                name=s["name_id"],
                reason=s["reason"],
                detail=s["detail_id"],
                competency_id=known.get(s["dimension_code"]),
            )
            for s in develop
        ]
        interests = [
            Interest(kind=i.kind, description=i.description, target_title=i.target_title)
            for i in await self.repository.interests(employee.id)
        ]
        wanted = {n.competency_id for n in needs[:MAX_DRAFT_NEEDS]} | {
            s.competency_id for s in suggestions if s.competency_id is not None
        }
        rung = _rung(identity.rank_scale, identity.rank_ordinal)
        courses = [
            CourseOption(
                course_id=c.id,
                code=c.code,
                title=c.title,
                form=c.form,
                hours_jp=c.hours_jp,
                starts_on=c.starts_on,
                competency_id=c.competency_id,
                target_level=c.target_level,
                eligible=not ineligibility(_eligibility(c), identity.position_kind, rung),
            )
            for c in await self.repository.course_options(agency, wanted, year)
        ]
        facts = DraftFacts(
            year=year,
            position_title=identity.position_title,
            needs=[
                NeedFact(
                    competency_id=n.competency_id,
                    code=n.competency_code,
                    name=n.competency_name,
                    required_level=n.required_level,
                    target_level=n.target_level,
                    current_level=n.current_level,
                    gap=n.gap,
                    performance=any(r.code == "performance" and r.points > 0 for r in n.reasons),
                )
                for n in needs
            ],
            suggestions=suggestions,
            feedback_cycle=report.get("cycle_name") if report else None,
            interests=interests,
            courses=courses,
        )
        drafted_from = {
            "needs": len(needs),
            "feedback_cycle_id": report.get("cycle_id") if report else None,
            "feedback_published_at": report.get("published_at") if report else None,
            "feedback_suggestions": len(suggestions),
            "interests": len(interests),
            "courses_considered": len({c.course_id for c in courses}),
        }
        return facts, drafted_from

    async def update(self, row: DevelopmentPlan, body: DevelopmentPlanUpdate) -> DevelopmentPlan:
        nip = (await self._who(row.employee_id)).nip
        await self._may_edit(row.employee_id, nip, row.agency_code)
        if not rules.may_edit(row.status):
            raise plan_approved()
        before = await self._before(row)
        current = await self.out(row)
        needs = body.needs
        if needs is None:
            needs = [
                NeedIn(competency=n.competency_code, current_level=n.current_level,
                       required_level=n.required_level, source=n.source, reason=n.reason)
                for n in current.needs
            ]  # fmt: skip
        activities = body.activities
        if activities is None:
            activities = [
                ActivityIn(kind=a.kind, title=a.title, competency=a.competency_code,
                           course_id=a.course_id, planned_jp=Decimal(str(a.planned_jp)),
                           target_quarter=a.target_quarter, source=a.source, reason=a.reason)
                for a in current.activities
            ]  # fmt: skip
        need_rows, activity_rows = await self._children(
            row.id, row.employee_id, row.agency_code, needs, activities
        )
        if body.goals is not None:
            row.goals = [g.model_dump(mode="json") for g in body.goals]
        # The lists are the plan's too: the row is written (a new version and ETag) even
        # when only they change.
        flag_modified(row, "goals")
        await self.repository.replace_needs(row.id, need_rows)
        await self.repository.replace_activities(row.id, activity_rows)
        await self._record(row, nip, before, "updated")
        return row

    async def approve(self, row: DevelopmentPlan) -> DevelopmentPlan:
        nip = (await self._who(row.employee_id)).nip
        await self._may_approve(row.employee_id, nip, row.agency_code)
        if not rules.may_approve(row.status):
            raise Conflict(
                "This development plan is already approved",
                detail_id="Rencana pengembangan ini sudah disetujui",
                code="development_plan_approved",
            )
        before = await self._before(row)
        row.status = "approved"
        row.approved_by = self.principal.subject
        row.approved_by_name = await self.repository.name_of(
            self.principal.subject, row.agency_code
        )
        row.approved_at = datetime.now(UTC)
        await self._record(row, nip, before, "approved")
        return row

    async def reopen(self, row: DevelopmentPlan) -> DevelopmentPlan:
        """HR only (the router's roles): an approved plan becomes a draft of the next
        revision, its approval cleared."""
        nip = (await self._who(row.employee_id)).nip
        self.principal.require_agency(row.agency_code)
        if not rules.may_reopen(row.status):
            raise Conflict(
                "Only an approved development plan can be reopened",
                detail_id="Hanya rencana pengembangan yang sudah disetujui yang dapat dibuka "
                "kembali",
                code="development_plan_not_approved",
            )
        before = await self._before(row)
        row.status = "draft"
        row.revision += 1
        row.approved_by = row.approved_by_name = row.approved_at = None
        await self._record(row, nip, before, "updated")
        return row

    # --- the printed plan ----------------------------------------------------------------

    async def pdf(self, row: DevelopmentPlan) -> bytes:
        """The approved plan as an A4 PDF in Indonesian; a draft is a 409 (what is printed
        and signed is what was approved)."""
        if row.status != "approved":
            raise Conflict(
                "Only an approved development plan is printed; approve it first",
                detail_id="Hanya rencana pengembangan yang sudah disetujui yang dapat dicetak",
                code="development_plan_not_approved",
            )
        plan = await self.out(row)
        identity = await self._who(row.employee_id)
        supervisor = await self.repository.direct_supervisor(row.employee_id)
        return render_plan_pdf(
            PlanDocument(
                plan=plan,
                agency_name=identity.agency_name,
                position_title=identity.position_title,
                unit_name=identity.unit_name,
                rank=(
                    f"{identity.rank_name} ({identity.rank_code})"
                    if identity.rank_code and identity.rank_name
                    else identity.rank_code
                ),
                supervisor=(
                    Signatory(supervisor.name, supervisor.nip, supervisor.position_title)
                    if supervisor is not None
                    else None
                ),
            )
        )

    # --- the agency's file ---------------------------------------------------------------

    async def file(self, agency: str, year: int, fmt: str, status: str | None) -> Download:
        self.principal.require_agency(agency)
        rows = await self.repository.everyone(self.principal, agency, year, status)
        plans = await self.outs(rows)
        units = await self.repository.units({p.employee_id for p in plans})
        cells: list[list[Any]] = []
        for p in plans:
            unit = units.get(p.employee_id)
            head = [
                p.nip, p.name, unit.unit_code if unit else None, unit.unit_name if unit else None,
                p.year, p.status, p.revision, p.approved_at.date() if p.approved_at else None,
                p.approved_by_name, Decimal(str(p.planned_jp)), Decimal(str(p.jp_shortfall)),
            ]  # fmt: skip
            if not p.activities:
                cells.append([*head, *[None] * 8])
            for a in p.activities:
                cells.append(
                    [*head, a.ordinal, a.kind, a.title, a.competency_code, a.course_code,
                     Decimal(str(a.planned_jp)), a.target_quarter, a.source]
                )  # fmt: skip
        done = 0

        async def batches() -> AsyncGenerator[Sequence[Sequence[Any]]]:
            nonlocal done
            for start in range(0, len(cells), 1000):
                chunk = cells[start : start + 1000]
                done += len(chunk)
                yield chunk

        name = f"development-plans-{agency}-{year}.{fmt}"
        if fmt == "csv":
            return Download(name, CSV_MEDIA_TYPE, csv_body(FILE_COLUMNS, batches()))
        spooled = await spool_xlsx("development_plans", FILE_COLUMNS, batches(), lambda: done)
        return Download(
            name, XLSX_MEDIA_TYPE, file_chunks(spooled), os.fstat(spooled.fileno()).st_size
        )
