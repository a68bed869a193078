"""Cycles, subjects and rater requests: the states and who may change what.

- A cycle moves ``draft → open → closed → published`` (``rules.CYCLE_TRANSITIONS``) through
  :meth:`CycleService.transition`, each step audited and announced. Opening needs a subject
  and an answerable request, and a deadline still ahead.
- While a draft, everything may change: settings, questionnaire, subjects, raters.
- Once open, nothing structural changes: only the deadline moves later, raters are added,
  nominations approved, unanswered requests removed, and raters who have not answered (or
  declined) replaced.
- After close, no rater is added or changed.

Changes beneath a cycle (subjects, requests) first take a share lock on the cycle and read
its state again, so they cannot cross a transition (which takes an update lock).
"""

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, Snapshot, snapshot
from asn_career.core.auth import Principal
from asn_career.core.db import utcnow
from asn_career.core.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    ValidationProblem,
    field_problem,
)
from asn_career.core.jobs.models import Job
from asn_career.core.jobs.runner import JobQueue
from asn_career.core.jobs.service import JobService
from asn_career.core.outbox import emit_select
from asn_career.core.pagination import PageRequest
from asn_career.feedback.cycles.repository import (
    CycleCountsRow,
    CycleFilters,
    CycleRepository,
    RequestFilters,
    RequestView,
    StaffMember,
    SubjectView,
    request_payload,
)
from asn_career.feedback.cycles.schemas import (
    CycleCounts,
    CycleCreate,
    CycleOut,
    CycleUpdate,
    GenerateRaters,
    GenerationOut,
    Nomination,
    NominationOut,
    NoSupervisorOut,
    ReasonOut,
    RelationshipCounts,
    RequestCreate,
    RequestOut,
    RequestReplace,
    ShortfallOut,
    StatusCounts,
    SubjectOut,
    SubjectsAdd,
    SubjectsAdded,
)
from asn_career.feedback.models import Cycle, Request
from asn_career.feedback.questionnaires.service import QuestionnaireService
from asn_career.feedback.raters import Options, Reason, propose
from asn_career.feedback.rules import (
    ACTION_NAMES_ID,
    ANSWERED_STATUSES,
    CAPPED_RELATIONSHIPS,
    CYCLE_TRANSITION_EVENTS,
    CYCLE_TRANSITIONS,
    LOAD_STATUSES,
    RATER_STATES,
    REPLACEABLE_STATUSES,
    STATE_NAMES_ID,
    STRUCTURE_STATES,
    over_cap,
    relationship_fits,
    request_removable,
    transition_target,
)

__all__ = [
    "GENERATE_JOB_KIND",
    "CycleFilters",
    "CycleService",
    "RequestFilters",
    "RequestService",
    "SubjectService",
]

ENTITY = "feedback_cycle"
REQUEST_ENTITY = "feedback_request"

GENERATE_JOB_KIND = "feedback.generate_raters"
SYNC_GENERATION_LIMIT = 2_000
"""Subjects up to which ``generate-raters`` answers within the request (about a second);
a larger cycle is a job. 10,000 subjects (60,000 requests and their events) took about
five seconds on a busy two-core machine, most of it the database storing the rows."""
GENERATION_STEPS = 4
Progress = Callable[[int, int | None], Awaitable[None]]


async def _no_progress(done: int, total: int | None = None) -> None:
    return None


# --- errors ----------------------------------------------------------------------------


def not_draft(cycle: Cycle) -> Conflict:
    return Conflict(
        f"The cycle is {cycle.state}: its settings, questionnaire, subjects and generated "
        "raters change only while it is a draft",
        detail_id=f"Siklus berstatus {STATE_NAMES_ID[cycle.state]}: pengaturan, kuesioner, "
        "pegawai yang dinilai, dan usulan penilainya hanya dapat diubah selama masih draf",
        code="cycle_not_draft",
    )


def raters_closed(cycle: Cycle) -> Conflict:
    return Conflict(
        f"The cycle is {cycle.state}: raters are added, approved, replaced or removed only "
        "before it closes",
        detail_id=f"Siklus berstatus {STATE_NAMES_ID[cycle.state]}: penilai hanya dapat "
        "ditambah, disetujui, diganti, atau dihapus sebelum siklus ditutup",
        code="cycle_raters_closed",
    )


def _transition_refused(cycle: Cycle, action: str) -> Conflict:
    source = CYCLE_TRANSITIONS[action][0]
    return Conflict(
        f"A cycle that is {cycle.state} cannot be {action}ed: only a {source} one",
        detail_id=f"Siklus berstatus {STATE_NAMES_ID[cycle.state]} tidak dapat "
        f"{ACTION_NAMES_ID[action]}; hanya siklus berstatus {STATE_NAMES_ID[source]}",
        code="cycle_transition_not_allowed",
    )


def _answered(request: Request) -> Conflict:
    return Conflict(
        f"This request is {request.status}: a request with answers is neither removed nor "
        "given to another rater",
        detail_id="Permintaan ini sudah berisi jawaban sehingga tidak dapat dihapus atau "
        "dialihkan ke penilai lain",
        code="request_answered",
    )


def _at_capacity(nip: str, load: int) -> Conflict:
    return Conflict(
        f"{nip} already has {load} requests in this cycle, its cap of requests per rater",
        detail_id=f"{nip} sudah menerima {load} permintaan dalam siklus ini, batas permintaan "
        "per penilai",
        code="rater_at_capacity",
    )


def _already_asked(nip: str) -> Conflict:
    return Conflict(
        f"{nip} already has a request about this employee in this cycle",
        detail_id=f"{nip} sudah diminta menilai pegawai ini dalam siklus ini",
        code="rater_already_asked",
    )


def _not_staff(field: str | list[str | int], nip: str) -> ValidationProblem:
    return field_problem(
        field,
        f"{nip} is not an active employee of the cycle's agency",
        f"{nip} bukan pegawai aktif instansi siklus ini",
        "not_active_staff",
    )


# --- snapshots and payloads ------------------------------------------------------------


def _cycle_snapshot(cycle: Cycle) -> dict[str, Any]:
    return snapshot(cycle, exclude=("agency_code",))


def _request_snapshot(request: Request) -> dict[str, Any]:
    return snapshot(request, exclude=("token_hash", "cycle_id"))


def _cycle_payload(cycle: Cycle, extra: Mapping[str, Any] | None = None) -> Any:
    def payload(before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
        return {
            "cycle_id": str(cycle.id),
            "name": cycle.name,
            "state": cycle.state,
            "period_start": cycle.period_start.isoformat(),
            "period_end": cycle.period_end.isoformat(),
            "deadline": cycle.deadline.isoformat(),
            **(extra or {}),
        }

    return payload


def _counts(row: CycleCountsRow) -> CycleCounts:
    return CycleCounts(
        subjects=row.subjects,
        requests=sum(row.by_status.values()),
        requests_by_status=StatusCounts(**row.by_status),
        requests_by_relationship=RelationshipCounts(**row.by_relationship),
    )


def _cycle_out(cycle: Cycle, counts: CycleCountsRow) -> CycleOut:
    return CycleOut(
        id=cycle.id,
        agency_code=cycle.agency_code,
        name=cycle.name,
        period_start=cycle.period_start,
        period_end=cycle.period_end,
        questionnaire_id=cycle.questionnaire_id,
        deadline=cycle.deadline,
        min_group_size=cycle.min_group_size,
        blind_spot_threshold=float(cycle.blind_spot_threshold),
        max_requests_per_rater=cycle.max_requests_per_rater,
        state=cycle.state,
        opened_at=cycle.opened_at,
        closed_at=cycle.closed_at,
        published_at=cycle.published_at,
        counts=_counts(counts),
        version=cycle.version,
        created_at=cycle.created_at,
        updated_at=cycle.updated_at,
    )


def request_out(view: RequestView) -> RequestOut:
    r = view.request
    return RequestOut(
        id=r.id,
        cycle_id=r.cycle_id,
        subject_nip=view.subject_nip,
        subject_name=view.subject_name,
        rater_nip=view.rater_nip,
        rater_name=view.rater_name,
        relationship=r.relationship,
        status=r.status,
        origin=r.origin,
        reason_code=r.reason_code,
        reason=r.reason,
        decline_reason=r.decline_reason,
        submitted_at=r.submitted_at,
        reminded_at=r.reminded_at,
        version=r.version,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


def _reason_out(reason: Reason) -> ReasonOut:
    return ReasonOut(code=reason.code, text_id=reason.text_id, text_en=reason.text_en)


def _with_note(text: str, note: str | None) -> str:
    return f"{text}: {note}" if note else text


# --- cycles ----------------------------------------------------------------------------


class CycleService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = CycleRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get_visible(self, cycle_id: uuid.UUID) -> Cycle:
        cycle = await self.repository.get_visible(self.principal, cycle_id)
        if cycle is None:
            raise NotFound()
        return cycle

    async def outs(self, cycles: Sequence[Cycle]) -> list[CycleOut]:
        counts = await self.repository.counts([c.id for c in cycles])
        return [_cycle_out(c, counts[c.id]) for c in cycles]

    async def out(self, cycle: Cycle) -> CycleOut:
        return (await self.outs([cycle]))[0]

    async def list_page(
        self, filters: CycleFilters, page: PageRequest
    ) -> tuple[list[CycleOut], str | None]:
        cycles, next_cursor = await self.repository.list_page(self.principal, filters, page)
        return await self.outs(cycles), next_cursor

    @staticmethod
    def _check_dates(period_start: Any, period_end: Any) -> None:
        if period_end < period_start:
            raise field_problem(
                "period_end",
                "period_end is before period_start",
                "akhir periode sebelum awal periode",
                "date_order",
            )

    @staticmethod
    def _check_deadline_ahead(deadline: datetime) -> None:
        if deadline <= utcnow():
            raise field_problem(
                "deadline",
                "the deadline must be in the future",
                "batas waktu harus di masa depan",
                "deadline_past",
            )

    async def create(self, body: CycleCreate) -> Cycle:
        self.principal.require_agency(body.agency_code)
        self._check_dates(body.period_start, body.period_end)
        self._check_deadline_ahead(body.deadline)
        questionnaires = QuestionnaireService(self.session, self.principal)
        await questionnaires.check_agency(body.agency_code)
        await questionnaires.usable_by(body.questionnaire_id, body.agency_code)
        cycle = Cycle(
            id=uuid.uuid4(),
            agency_code=body.agency_code,
            name=body.name,
            period_start=body.period_start,
            period_end=body.period_end,
            questionnaire_id=body.questionnaire_id,
            deadline=body.deadline,
            min_group_size=body.min_group_size,
            blind_spot_threshold=body.blind_spot_threshold,
            max_requests_per_rater=body.max_requests_per_rater,
            state="draft",
        )
        self.repository.add(cycle)
        await self.changes.created(
            cycle, entity_type=ENTITY, agency_code=cycle.agency_code, after=_cycle_snapshot
        )
        return cycle

    async def update(self, cycle: Cycle, body: CycleUpdate) -> Cycle:
        self.principal.require_agency(cycle.agency_code)
        seen = cycle.version
        cycle = await self.repository.lock(cycle, share=False)
        if cycle.version != seen:
            raise PreconditionFailed()
        changes = {
            name: getattr(body, name)
            for name in body.model_fields_set
            if getattr(body, name) != getattr(cycle, name)
        }
        if cycle.state == "open":
            structural = sorted(set(changes) - {"deadline"})
            if structural:
                raise not_draft(cycle)
            if "deadline" in changes and changes["deadline"] <= cycle.deadline:
                raise Conflict(
                    "While the cycle is open its deadline can only move later",
                    detail_id="Selama siklus dibuka, batas waktunya hanya dapat dimundurkan",
                    code="deadline_only_extends",
                )
        elif cycle.state not in STRUCTURE_STATES and changes:
            raise not_draft(cycle)
        if "deadline" in changes:
            self._check_deadline_ahead(changes["deadline"])
        self._check_dates(
            changes.get("period_start", cycle.period_start),
            changes.get("period_end", cycle.period_end),
        )
        if "questionnaire_id" in changes:
            questionnaires = QuestionnaireService(self.session, self.principal)
            await questionnaires.usable_by(changes["questionnaire_id"], cycle.agency_code)
        before = _cycle_snapshot(cycle)
        for name, value in changes.items():
            setattr(cycle, name, value)
        await self.changes.updated(
            cycle,
            entity_type=ENTITY,
            agency_code=cycle.agency_code,
            before=before,
            after=_cycle_snapshot,
            unless_unchanged=True,
        )
        return cycle

    async def delete(self, cycle: Cycle) -> None:
        self.principal.require_agency(cycle.agency_code)
        cycle = await self.repository.lock(cycle, share=False)
        if cycle.state not in STRUCTURE_STATES:
            raise not_draft(cycle)
        before = _cycle_snapshot(cycle)
        await self.repository.delete(cycle)
        await self.changes.deleted(
            cycle, entity_type=ENTITY, agency_code=cycle.agency_code, before=before
        )

    async def transition(
        self,
        cycle: Cycle,
        action: str,
        *,
        event: str,
        at: datetime | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> Cycle:
        """Move the cycle by ``action`` (``open``, ``close``, ``publish``), audited as
        ``feedback_cycle.<state>`` and announced as ``event``, which must be the action's
        own (``rules.CYCLE_TRANSITION_EVENTS``). 409 ``cycle_transition_not_allowed`` from
        any other state. Opening also needs a subject, an answerable request and a
        deadline ahead. Publishing does nothing else here: the reports write theirs in
        the same transaction, stamped ``at``, and add their counts to the event's
        ``payload``."""
        if CYCLE_TRANSITION_EVENTS.get(action) != event:
            raise ValueError(f"{action!r} announces {CYCLE_TRANSITION_EVENTS.get(action)!r}")
        self.principal.require_agency(cycle.agency_code)
        cycle = await self.repository.lock(cycle, share=False)
        target = transition_target(cycle.state, action)
        if target is None:
            raise _transition_refused(cycle, action)
        if action == "open":
            await self._check_opening(cycle)
        before = _cycle_snapshot(cycle)
        now = at or utcnow()
        cycle.state = target
        if action == "open":
            cycle.opened_at = now
        elif action == "close":
            cycle.closed_at = now
        else:
            cycle.published_at = now
        await self.changes.changed(
            event.rsplit(".", 1)[1],  # opened, closed, published
            cycle,
            before=before,
            after=_cycle_snapshot,
            event=event,
            entity_type=ENTITY,
            agency_code=cycle.agency_code,
            payload=_cycle_payload(cycle, payload),
        )
        return cycle

    async def _check_opening(self, cycle: Cycle) -> None:
        subjects, requests = await self.repository.opening_counts(cycle.id)
        if subjects == 0:
            raise Conflict(
                "A cycle opens only with at least one subject",
                detail_id="Siklus hanya dapat dibuka bila sudah ada paling sedikit satu "
                "pegawai yang dinilai",
                code="cycle_has_no_subjects",
            )
        if requests == 0:
            raise Conflict(
                "A cycle opens only with at least one rater request that is not awaiting approval",
                detail_id="Siklus hanya dapat dibuka bila sudah ada paling sedikit satu "
                "permintaan penilaian yang tidak menunggu persetujuan",
                code="cycle_has_no_requests",
            )
        if cycle.deadline <= utcnow():
            raise Conflict(
                "The deadline has passed: move it later before opening the cycle",
                detail_id="Batas waktu sudah lewat: mundurkan dulu sebelum membuka siklus",
                code="cycle_deadline_passed",
            )

    async def open(self, cycle: Cycle) -> Cycle:
        return await self.transition(cycle, "open", event="feedback.cycle.opened")

    async def close(self, cycle: Cycle) -> Cycle:
        return await self.transition(cycle, "close", event="feedback.cycle.closed")

    # --- shared by the subjects and requests services ------------------------------------

    async def locked_for_structure(self, cycle: Cycle) -> Cycle:
        self.principal.require_agency(cycle.agency_code)
        cycle = await self.repository.lock(cycle, share=True)
        if cycle.state not in STRUCTURE_STATES:
            raise not_draft(cycle)
        return cycle

    async def locked_for_raters(self, cycle: Cycle) -> Cycle:
        cycle = await self.repository.lock(cycle, share=True)
        if cycle.state not in RATER_STATES:
            raise raters_closed(cycle)
        return cycle


# --- subjects --------------------------------------------------------------------------


def _relationship_counts(counts: dict[str, int]) -> RelationshipCounts:
    return RelationshipCounts(**counts)


class SubjectService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = CycleRepository(session)
        self.cycles = CycleService(session, principal)
        self.changes = ChangeRecorder(session, principal)

    async def outs(self, cycle: Cycle, views: Sequence[SubjectView]) -> list[SubjectOut]:
        counts = await self.repository.rater_counts(
            cycle.id, [v.subject.employee_id for v in views]
        )
        return [
            SubjectOut(
                nip=v.nip,
                name=v.name,
                unit_id=v.subject.unit_id,
                unit_name=v.unit_name,
                position_id=v.subject.position_id,
                position_title=v.position_title,
                public_facing=v.subject.public_facing,
                added_at=v.subject.added_at,
                raters=_relationship_counts(counts.get(v.subject.employee_id, {})),
            )
            for v in views
        ]

    async def list_page(
        self, cycle: Cycle, page: PageRequest
    ) -> tuple[list[SubjectOut], str | None]:
        views, next_cursor = await self.repository.subjects_page(cycle.id, page)
        return await self.outs(cycle, views), next_cursor

    async def add(self, cycle: Cycle, body: SubjectsAdd) -> SubjectsAdded:
        cycle = await self.cycles.locked_for_structure(cycle)
        before_total = await self.repository.subject_count(cycle.id)
        if body.nips is not None:
            staff = await self.repository.active_staff(cycle.agency_code, body.nips)
            missing = [(n, nip) for n, nip in enumerate(body.nips) if nip not in staff]
            if missing:
                raise ValidationProblem(
                    "some NIPs are not active employees of the cycle's agency",
                    detail_id="sebagian NIP bukan pegawai aktif instansi siklus ini",
                    errors=[
                        {
                            "loc": ["body", "nips", n],
                            "msg": f"{nip} is not an active employee of the cycle's agency",
                            "msg_id": f"{nip} bukan pegawai aktif instansi siklus ini",
                            "type": "not_active_staff",
                        }
                        for n, nip in missing
                    ],
                )
            matched, added = await self.repository.add_subjects(
                cycle,
                employee_ids=[s.id for s in staff.values()],
                public_facing=body.public_facing,
            )
        else:
            if body.unit_id is not None and not await self.repository.unit_in_agency(
                body.unit_id, cycle.agency_code
            ):
                raise field_problem(
                    "unit_id",
                    "the unit does not exist in the cycle's agency",
                    "unit ini tidak ada di instansi siklus",
                    "unit_not_found",
                )
            matched, added = await self.repository.add_subjects(
                cycle,
                unit_id=body.unit_id,
                include_subunits=body.include_subunits,
                position_kind=body.position_kind.value if body.position_kind else None,
                public_facing=body.public_facing,
            )
        total = before_total + added
        if added:
            how = {
                "nips": len(body.nips) if body.nips is not None else None,
                "unit_id": body.unit_id,
                "include_subunits": body.include_subunits if body.unit_id else None,
                "position_kind": body.position_kind.value if body.position_kind else None,
                "public_facing": body.public_facing,
            }
            await self.changes.changed(
                "subjects_added",
                cycle,
                before={"subjects": before_total},
                after=lambda _: {"subjects": total, **how},
                entity_type=ENTITY,
                agency_code=cycle.agency_code,
            )
        return SubjectsAdded(matched=matched, added=added, subjects=total)

    async def remove(self, cycle: Cycle, nip: str) -> None:
        cycle = await self.cycles.locked_for_structure(cycle)
        view = await self.repository.subject_by_nip(cycle.id, nip)
        if view is None:
            raise NotFound()
        removed = await self.repository.remove_subject(cycle.id, view.subject.employee_id)
        await self.changes.changed(
            "subject_removed",
            cycle,
            before={"subject": nip, "requests": removed},
            after=None,
            entity_type=ENTITY,
            agency_code=cycle.agency_code,
            nip=nip,
        )

    async def generate_or_submit(
        self, cycle: Cycle, body: GenerateRaters, queue: JobQueue | None
    ) -> GenerationOut | Job:
        """Propose raters within the request for up to ``SYNC_GENERATION_LIMIT`` subjects;
        for more, submit the ``feedback.generate_raters`` job (the same work, with
        progress) and return it."""
        self.principal.require_agency(cycle.agency_code)
        if cycle.state not in STRUCTURE_STATES:
            raise not_draft(cycle)
        subjects = await self.repository.subject_count(cycle.id)
        if queue is None or subjects <= SYNC_GENERATION_LIMIT:
            return await self.generate_raters(cycle, body)
        params = {
            "cycle_id": str(cycle.id),
            "agency": cycle.agency_code,
            "peers": body.peers,
            "subordinates": body.subordinates,
            "actor": self.principal.subject,
            "role": self.principal.role.value,
        }
        jobs = JobService(self.session, self.principal)
        return await jobs.submit(queue, GENERATE_JOB_KIND, params, cycle.agency_code)

    async def generate_raters(
        self, cycle: Cycle, body: GenerateRaters, progress: Progress | None = None
    ) -> GenerationOut:
        """Propose raters for every subject (``feedback.raters.propose``) and store them as
        pending requests: loading and storing are set-based, the choice pure. ``progress``
        hears of each of the four steps (load, propose, store, announce)."""
        self.principal.require_agency(cycle.agency_code)
        # An update lock: one proposal at a time per cycle, and no request added meanwhile.
        cycle = await self.repository.lock(cycle, share=False)
        if cycle.state not in STRUCTURE_STATES:
            raise not_draft(cycle)
        step = progress or _no_progress
        subjects = await self.repository.generation_subjects(cycle.id)
        pool = await self.repository.generation_pool(cycle)
        existing = await self.repository.existing_requests(cycle.id)
        await step(1, GENERATION_STEPS)
        options = Options(
            peers=body.peers,
            subordinates=body.subordinates,
            cap=cycle.max_requests_per_rater,
            min_group_size=cycle.min_group_size,
        )
        plan = propose(str(cycle.id), subjects, pool, existing, options)
        await step(2, GENERATION_STEPS)
        rows = [
            (
                uuid.uuid4(),
                p.subject_id,
                p.rater_id,
                p.relationship,
                p.reason.code,
                p.reason.text_id,
            )
            for p in plan.proposals
        ]
        await self.repository.insert_requests(cycle.id, rows, utcnow())
        await step(3, GENERATION_STEPS)
        counts = plan.counts()
        if rows:
            await emit_select(
                self.session,
                "feedback.request.created",
                self.repository.created_events(cycle, [r[0] for r in rows]),
            )
            await self.changes.changed(
                "raters_generated",
                cycle,
                before={"requests": len(existing)},
                after=lambda _: {
                    "requests": len(existing) + len(rows),
                    "peers_asked": body.peers,
                    "subordinates_asked": body.subordinates,
                    **{f"created_{k}": v for k, v in counts.items()},
                },
                entity_type=ENTITY,
                agency_code=cycle.agency_code,
            )
        await step(GENERATION_STEPS, GENERATION_STEPS)
        return GenerationOut(
            subjects=len(subjects),
            created=RelationshipCounts(**counts),
            total_created=len(rows),
            below_minimum=[
                ShortfallOut(
                    nip=f.subject.nip,
                    name=f.subject.name,
                    peers=f.peers,
                    subordinates=f.subordinates,
                    minimum=cycle.min_group_size,
                    reasons=[_reason_out(r) for r in f.reasons],
                )
                for f in plan.below_minimum
            ],
            without_supervisor=[
                NoSupervisorOut(
                    nip=m.subject.nip, name=m.subject.name, reason=_reason_out(m.reason)
                )
                for m in plan.without_supervisor
            ],
        )


# --- requests --------------------------------------------------------------------------


class RequestService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = CycleRepository(session)
        self.cycles = CycleService(session, principal)
        self.changes = ChangeRecorder(session, principal)

    async def get(self, cycle: Cycle, request_id: uuid.UUID) -> Request:
        row = await self.repository.get_request(cycle.id, request_id)
        if row is None:
            raise NotFound()
        return row

    async def out(self, request: Request) -> RequestOut:
        return request_out(await self.repository.request_view(request.id))

    async def list_page(
        self, cycle: Cycle, filters: RequestFilters, page: PageRequest
    ) -> tuple[list[RequestOut], str | None]:
        views, next_cursor = await self.repository.requests_page(cycle.id, filters, page)
        return [request_out(v) for v in views], next_cursor

    async def _staff(self, cycle: Cycle, nip: str, field: str) -> StaffMember:
        found = (await self.repository.active_staff(cycle.agency_code, [nip])).get(nip)
        if found is None:
            raise _not_staff(field, nip)
        return found

    async def _check_rater(
        self, cycle: Cycle, subject_id: uuid.UUID, rater: StaffMember, relationship: str
    ) -> None:
        """The rater may take this request: not yet asked about the subject, and under the
        cycle's cap when the relationship is capped."""
        await self.repository.lock_rater(cycle.id, rater.id)
        if await self.repository.already_asked(cycle.id, subject_id, [rater.id]):
            raise _already_asked(rater.nip)
        if relationship in CAPPED_RELATIONSHIPS:
            load = await self.repository.rater_load(cycle.id, rater.id, LOAD_STATUSES)
            if over_cap(load, cycle.max_requests_per_rater):
                raise _at_capacity(rater.nip, load)

    async def _created(self, cycle: Cycle, request: Request) -> RequestOut:
        await self.session.flush()
        view = await self.repository.request_view(request.id)
        await self.changes.created(
            request,
            after=_request_snapshot,
            event="feedback.request.created",
            entity_type=REQUEST_ENTITY,
            agency_code=cycle.agency_code,
            nip=view.subject_nip,
            payload=lambda before, after: request_payload(view),
        )
        return request_out(view)

    async def add(self, cycle: Cycle, body: RequestCreate) -> RequestOut:
        self.principal.require_agency(cycle.agency_code)
        cycle = await self.cycles.locked_for_raters(cycle)
        subject = await self._staff(cycle, body.subject_nip, "subject_nip")
        if not await self.repository.is_subject(cycle.id, subject.id):
            raise field_problem(
                "subject_nip",
                f"{body.subject_nip} is not a subject of this cycle",
                f"{body.subject_nip} bukan pegawai yang dinilai dalam siklus ini",
                "not_a_subject",
            )
        rater = await self._staff(cycle, body.rater_nip, "rater_nip")
        if not relationship_fits(body.relationship, rater_is_subject=rater.id == subject.id):
            raise field_problem(
                "relationship",
                "self is rated by the subject alone, and every other relationship by someone else",
                "penilaian diri hanya diisi oleh pegawai yang dinilai, dan hubungan lain oleh "
                "orang lain",
                "relationship_mismatch",
            )
        await self._check_rater(cycle, subject.id, rater, body.relationship)
        request = Request(
            id=uuid.uuid4(),
            cycle_id=cycle.id,
            subject_employee_id=subject.id,
            rater_employee_id=rater.id,
            relationship=body.relationship,
            status="pending",
            origin="hr",
            reason_code="hr_added",
            reason=_with_note("Ditambahkan oleh pengelola SDM", body.note),
        )
        self.repository.add(request)
        return await self._created(cycle, request)

    async def remove(self, cycle: Cycle, request: Request) -> None:
        self.principal.require_agency(cycle.agency_code)
        cycle = await self.cycles.locked_for_raters(cycle)
        if not request_removable(cycle.state, request.status):
            raise _answered(request)
        before = _request_snapshot(request)
        await self.repository.delete_request(request)
        await self.changes.deleted(
            request, before=before, entity_type=REQUEST_ENTITY, agency_code=cycle.agency_code
        )

    async def replace(self, cycle: Cycle, request: Request, body: RequestReplace) -> RequestOut:
        """Give an unanswered (or declined) request's subject another rater: the old request
        goes, a new one comes with the same relationship."""
        self.principal.require_agency(cycle.agency_code)
        cycle = await self.cycles.locked_for_raters(cycle)
        if request.relationship == "public":
            raise Conflict(
                "A public request has no rater to replace",
                detail_id="Permintaan publik tidak memiliki penilai yang dapat diganti",
                code="request_public",
            )
        if request.status == "nominated":
            raise Conflict(
                "A nomination is approved or rejected, not replaced",
                detail_id="Usulan penilai disetujui atau ditolak, bukan diganti",
                code="request_nominated",
            )
        if request.status in ANSWERED_STATUSES or request.status not in REPLACEABLE_STATUSES:
            raise _answered(request)
        rater = await self._staff(cycle, body.rater_nip, "rater_nip")
        if not relationship_fits(
            request.relationship, rater_is_subject=rater.id == request.subject_employee_id
        ):
            raise field_problem(
                "rater_nip",
                "the new rater must fit the request's relationship (self is the subject alone)",
                "penilai baru harus sesuai dengan hubungan permintaan (penilaian diri hanya "
                "oleh pegawai yang dinilai)",
                "relationship_mismatch",
            )
        await self._check_rater(cycle, request.subject_employee_id, rater, request.relationship)
        before = _request_snapshot(request)
        await self.repository.delete_request(request)
        await self.changes.deleted(
            request, before=before, entity_type=REQUEST_ENTITY, agency_code=cycle.agency_code
        )
        replacement = Request(
            id=uuid.uuid4(),
            cycle_id=cycle.id,
            subject_employee_id=request.subject_employee_id,
            rater_employee_id=rater.id,
            relationship=request.relationship,
            status="pending",
            origin="hr",
            reason_code="hr_replacement",
            reason=_with_note(
                "Pengganti penilai sebelumnya, ditetapkan oleh pengelola SDM", body.note
            ),
        )
        self.repository.add(replacement)
        return await self._created(cycle, replacement)

    async def nominate(self, cycle: Cycle, body: Nomination) -> NominationOut:
        """The subject (the caller, by the NIP of their token) proposes peers for HR's
        approval. Whoever already rates the subject is passed over in silence: the answer
        is the same, so nominating cannot reveal who the raters are."""
        subject = (
            await self.repository.active_staff(cycle.agency_code, [self.principal.subject])
        ).get(self.principal.subject)
        if subject is None or not await self.repository.is_subject(cycle.id, subject.id):
            raise NotFound()
        cycle = await self.cycles.locked_for_raters(cycle)
        nips = list(dict.fromkeys(body.peers))
        staff = await self.repository.active_staff(cycle.agency_code, nips)
        problems = []
        for n, nip in enumerate(body.peers):
            if nip == subject.nip:
                problems.append(
                    {
                        "loc": ["body", "peers", n],
                        "msg": "the subject is rated as self, not nominated as a peer",
                        "msg_id": "pegawai yang dinilai mengisi penilaian diri, bukan diusulkan "
                        "sebagai rekan",
                        "type": "self_nominated",
                    }
                )
            elif nip not in staff:
                problems.append(
                    {
                        "loc": ["body", "peers", n],
                        "msg": f"{nip} is not an active employee of the cycle's agency",
                        "msg_id": f"{nip} bukan pegawai aktif instansi siklus ini",
                        "type": "not_active_staff",
                    }
                )
        if problems:
            raise ValidationProblem(
                "some nominees cannot be nominated",
                detail_id="sebagian pegawai yang diusulkan tidak dapat diusulkan",
                errors=problems,
            )
        asked = await self.repository.already_asked(
            cycle.id, subject.id, [staff[nip].id for nip in nips]
        )
        for nip in nips:
            nominee = staff[nip]
            if nominee.id in asked:
                continue
            request = Request(
                id=uuid.uuid4(),
                cycle_id=cycle.id,
                subject_employee_id=subject.id,
                rater_employee_id=nominee.id,
                relationship="peer",
                status="nominated",
                origin="nomination",
                reason_code="nominated_by_subject",
                reason="Diusulkan sebagai rekan kerja oleh pegawai yang dinilai",
            )
            self.repository.add(request)
            await self._created(cycle, request)
        return NominationOut(received=nips)

    async def _nomination(self, cycle: Cycle, request: Request) -> Cycle:
        self.principal.require_agency(cycle.agency_code)
        cycle = await self.cycles.locked_for_raters(cycle)
        if request.status != "nominated":
            raise Conflict(
                "Only a nomination awaiting approval can be approved or rejected",
                detail_id="Hanya usulan penilai yang menunggu persetujuan yang dapat disetujui "
                "atau ditolak",
                code="request_not_nominated",
            )
        return cycle

    async def approve(self, cycle: Cycle, request: Request) -> RequestOut:
        cycle = await self._nomination(cycle, request)
        assert request.rater_employee_id is not None
        await self.repository.lock_rater(cycle.id, request.rater_employee_id)
        load = await self.repository.rater_load(cycle.id, request.rater_employee_id, LOAD_STATUSES)
        view = await self.repository.request_view(request.id)
        if over_cap(load - 1, cycle.max_requests_per_rater):  # this nomination counts already
            raise _at_capacity(view.rater_nip or "", load - 1)
        before = _request_snapshot(request)
        request.status = "pending"
        await self.changes.changed(
            "approved",
            request,
            before=before,
            after=_request_snapshot,
            entity_type=REQUEST_ENTITY,
            agency_code=cycle.agency_code,
            nip=view.subject_nip,
        )
        return request_out(await self.repository.request_view(request.id))

    async def reject(self, cycle: Cycle, request: Request) -> None:
        cycle = await self._nomination(cycle, request)
        before = _request_snapshot(request)
        await self.repository.delete_request(request)
        await self.changes.changed(
            "rejected",
            request,
            before=before,
            after=None,
            entity_type=REQUEST_ENTITY,
            agency_code=cycle.agency_code,
        )
