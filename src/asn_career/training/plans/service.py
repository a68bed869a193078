"""Training plans: recorded and solved as a job (``training.plan``), read with their items,
approved by HR in whole or in part into planned enrolments in one transaction.

The needs come from the needs computation through one call site, ``needs_for_plan`` below;
the job takes it as a parameter (``solve_plan(..., needs=...)``) so tests hand needs in
directly.
"""

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal
from asn_career.core.db import unit_of_work
from asn_career.core.errors import Conflict, NotFound, field_problem
from asn_career.core.jobs.models import Job
from asn_career.core.jobs.runner import JobQueue
from asn_career.core.jobs.service import JobService
from asn_career.core.pagination import PageRequest
from asn_career.org.models import Unit
from asn_career.training import planning
from asn_career.training.models import Course, Plan, PlanItem
from asn_career.training.needs.service import NeedsService
from asn_career.training.plans.repository import PlanRepository
from asn_career.training.plans.schemas import PlanApprove, PlanCreate, PlanItemOut, PlanOut
from asn_career.training.rules import Need

JOB_KIND: Final = "training.plan"
ENTITY: Final = "training_plan"

Progress = Callable[[int, int | None], Awaitable[None]]
NeedsSource = Callable[
    [AsyncSession, Principal, str, int, Sequence[uuid.UUID] | None], Awaitable[list[Need]]
]


async def needs_for_plan(
    session: AsyncSession,
    principal: Principal,
    agency_code: str,
    year: int,
    unit_ids: Sequence[uuid.UUID] | None,
) -> list[Need]:
    """The one place the planner gets its needs: the needs computation's own."""
    return await NeedsService(session, principal).for_plan(agency_code, year, unit_ids)


def _plan_snapshot(plan: Plan) -> dict[str, Any]:
    return snapshot(plan, exclude={"figures"})


def _payload(before: Any, after: Any) -> dict[str, Any]:
    after = after or {}
    return {
        key: after.get(key)
        for key in ("agency_code", "year", "status", "objective", "bound", "greedy_objective")
    } | {"budget": str(after.get("budget")), "items": after.get("items")}


def _gap(plan: Plan) -> float | None:
    if plan.objective is None or plan.bound is None:
        return None
    return (plan.bound - plan.objective) / abs(plan.bound) if plan.bound else 0.0


def plan_out(plan: Plan, items_total: int) -> PlanOut:
    return PlanOut.model_validate(
        {
            **{k: getattr(plan, k) for k in PlanOut.model_fields if hasattr(plan, k)},
            "gap": _gap(plan),
            "items_total": items_total,
        }
    )


def eligible_ranks(course: Course, ranks: Sequence[tuple[str, str, int]]) -> frozenset[str] | None:
    """The rank codes between the course's min and max rank, on the same scale; None when
    the course names neither."""
    if course.min_rank is None and course.max_rank is None:
        return None
    by_code = {code: (scale, ordinal) for code, scale, ordinal in ranks}
    ends = [by_code[c] for c in (course.min_rank, course.max_rank) if c in by_code]
    if not ends:
        return frozenset()
    scale = ends[0][0]
    low = by_code[course.min_rank][1] if course.min_rank in by_code else -1
    high = by_code[course.max_rank][1] if course.max_rank in by_code else 10**6
    return frozenset(c for c, s, o in ranks if s == scale and low <= o <= high)


def _options(plan: Plan) -> planning.PlanOptions:
    o = plan.options
    f = o.get("fairness", {})
    w = o.get("weights", {})
    return planning.PlanOptions(
        weights=planning.Weights(
            closure=w.get("closure", 1.0), reach=w.get("reach", 0.0),
            coverage=w.get("coverage", 0.0),
        ),
        below_20jp_first=f.get("below_20jp_first", False),
        no_second_before_larger_gap=f.get("no_second_before_larger_gap", False),
        max_unit_share=f.get("max_unit_share"),
        unit_share_by=f.get("unit_share_by", "people"),
        min_per_unit=f.get("min_per_unit"),
        max_hours_per_person=f.get("max_hours_per_person"),
        time_limit_s=float(o.get("time_limit_s", 30)),
    )  # fmt: skip


@dataclass
class _Inputs:
    needs: list[Need]
    courses: list[planning.PlanCourse]
    exclude: set[tuple[uuid.UUID, uuid.UUID]]
    levels: dict[tuple[uuid.UUID, int], float]
    budget: float
    options: planning.PlanOptions


class PlanService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = PlanRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get_visible(self, plan_id: uuid.UUID, *, lock: bool = False) -> Plan:
        plan = await self.repository.get_visible(self.principal, plan_id, lock=lock)
        if plan is None:
            raise NotFound(code="training_plan_not_found")
        return plan

    async def outs(self, plans: Sequence[Plan]) -> list[PlanOut]:
        counts = await self.repository.item_counts([p.id for p in plans])
        return [plan_out(p, counts.get(p.id, 0)) for p in plans]

    async def out(self, plan: Plan) -> PlanOut:
        return (await self.outs([plan]))[0]

    async def list_page(
        self, agency: str | None, year: int | None, page: PageRequest
    ) -> tuple[list[PlanOut], str | None]:
        plans, cursor = await self.repository.list_page(self.principal, agency, year, page)
        return await self.outs(plans), cursor

    async def items_page(
        self, plan: Plan, page: PageRequest
    ) -> tuple[list[PlanItemOut], str | None]:
        rows, cursor = await self.repository.items_page(plan.id, page)
        outs = [
            PlanItemOut.model_validate(
                {
                    **{k: getattr(item, k) for k in PlanItemOut.model_fields if k != "nip"},
                    "nip": nip,
                }
            )
            for item, nip in rows
        ]
        return outs, cursor

    # --- proposing --------------------------------------------------------------------

    async def create(self, queue: JobQueue, body: PlanCreate) -> tuple[Plan, Job]:
        """Record the plan (``solving``) and its job; the job solves it once this commits."""
        self.principal.require_agency(body.agency_code)
        for field, model, ids in (
            ("course_ids", Course, body.course_ids),
            ("unit_ids", Unit, body.unit_ids),
        ):
            if ids is None:
                continue
            found = await self.repository.agency_ids(model, body.agency_code, set(ids))
            unknown = sorted(str(i) for i in set(ids) - found)
            if unknown:
                raise field_problem(
                    field,
                    f"Not in agency {body.agency_code}: {', '.join(unknown[:10])}",
                    f"Tidak ada di instansi {body.agency_code}: {', '.join(unknown[:10])}",
                    "unknown_id",
                )
        options = body.model_dump(mode="json", exclude={"agency_code", "year", "budget"})
        plan = Plan(
            id=uuid.uuid4(), agency_code=body.agency_code, year=body.year, budget=body.budget,
            options=options, status="solving",
        )  # fmt: skip
        self.repository.add(plan)
        await self.session.flush()
        params = {"plan_id": str(plan.id), "actor": self.principal.as_job_params()}
        job = await JobService(self.session, self.principal).submit(
            queue, JOB_KIND, params, plan.agency_code
        )
        plan.job_id = job.id
        await self.changes.created(
            plan, after=_plan_snapshot, entity_type=ENTITY, agency_code=plan.agency_code
        )
        return plan, job

    async def inputs(self, plan: Plan, needs: NeedsSource) -> _Inputs:
        """What the solver needs, read in one short transaction."""
        o = plan.options
        unit_ids = [uuid.UUID(u) for u in o["unit_ids"]] if o.get("unit_ids") else None
        course_ids = [uuid.UUID(c) for c in o["course_ids"]] if o.get("course_ids") else None
        found = await needs(self.session, self.principal, plan.agency_code, plan.year, unit_ids)
        ranks = await self.repository.ranks()
        courses = [
            planning.PlanCourse(
                id=c.id,
                cost_per_participant=float(c.cost_per_participant),
                fixed_cost_per_batch=float(c.fixed_cost_per_batch),
                min_participants=c.min_participants,
                max_participants=c.max_participants,
                hours_jp=float(c.hours_jp),
                lifts=lifts,
                starts_on=c.starts_on,
                ends_on=c.ends_on if c.ends_on is not None else c.starts_on,
                eligible_position_kinds=frozenset(c.eligible_position_kinds),
                eligible_ranks=eligible_ranks(c, ranks),
            )
            for c, lifts in await self.repository.courses(plan.agency_code, course_ids)
            if lifts
        ]
        exclude = await self.repository.open_enrolments(plan.agency_code, plan.year)
        levels = await self.repository.current_levels(
            plan.agency_code, {n.competency_id for n in found}
        )
        return _Inputs(found, courses, exclude, levels, float(plan.budget), _options(plan))

    async def store(self, plan_id: uuid.UUID, result: planning.PlanResult) -> Plan:
        plan = await self.get_visible(plan_id, lock=True)
        before = _plan_snapshot(plan)
        course_cost = {}
        rows = []
        for e in result.enrolments:
            course_cost[e.course_id] = e.cost_share
            rows.append(
                {
                    "plan_id": plan.id, "employee_id": e.employee_id, "course_id": e.course_id,
                    "batch": e.batch, "competency_id": e.competency_id,
                    "gap_closed": round(Decimal(e.gap_closed), 2),
                    "priority": round(Decimal(e.priority), 3),
                    "cost_share": round(Decimal(e.cost_share), 2),
                    "reasons": {"needs": list(e.needs), "value": round(e.value, 4)},
                    "approved": False,
                }
            )  # fmt: skip
        await self.repository.add_items(rows)
        ok = result.status in ("optimal", "time_limit", "feasible", "empty")
        plan.status = "proposed" if ok else "failed"
        plan.solver_status = result.status
        plan.objective = result.objective if ok else None
        plan.bound = result.bound if ok else None
        plan.greedy_objective = result.greedy_objective
        plan.figures = {
            **result.figures,
            "solve_seconds": round(result.solve_seconds, 2),
            "model": result.model_size,
            "lexicographic_proven": result.lexicographic_proven,
        }
        await self.changes.updated(
            plan, before=before,
            after=lambda p: {**_plan_snapshot(p), "items": len(rows)},
            entity_type=ENTITY, agency_code=plan.agency_code,
            event="training.plan.proposed", payload=_payload,
        )  # fmt: skip
        return plan

    async def fail(self, plan_id: uuid.UUID, reason: str) -> None:
        plan = await self.get_visible(plan_id, lock=True)
        if plan.status != "solving":
            return
        before = _plan_snapshot(plan)
        plan.status = "failed"
        plan.solver_status = reason[:32]
        await self.changes.updated(
            plan, before=before, after=_plan_snapshot, entity_type=ENTITY,
            agency_code=plan.agency_code,
        )  # fmt: skip

    # --- approving --------------------------------------------------------------------

    async def approve(self, plan: Plan, body: PlanApprove) -> tuple[Plan, int]:
        """HR approves all or some items: one planned enrolment per approved item, all in
        this transaction. 409 when the plan is not ``proposed`` (solving, failed or
        approved already: a plan is approved once), when a course would keep fewer
        approved participants than a batch's minimum (or a number no batch split fits),
        or when an approved person already has an enrolment on the course this year."""
        plan = await self.get_visible(plan.id, lock=True)
        if plan.status != "proposed":
            raise Conflict(
                f"The plan is {plan.status}; only a proposed plan can be approved.",
                detail_id=f"Rencana berstatus {plan.status}; hanya rencana yang diusulkan "
                "yang dapat disetujui.",
                code="training_plan_not_proposed",
            )
        wanted = None if body.items == "all" else set(body.items)
        items = await self.repository.items(plan.id, wanted)
        if wanted is not None and len(items) != len(wanted):
            unknown = sorted(wanted - {i.id for i in items})
            raise field_problem(
                "items",
                f"Not items of this plan: {', '.join(map(str, unknown[:10]))}",
                f"Bukan butir rencana ini: {', '.join(map(str, unknown[:10]))}",
                "unknown_id",
            )
        await self._check_batches(plan, items)
        pairs = {(i.employee_id, i.course_id) for i in items}
        if await self.repository.existing_enrolments(plan.year, pairs):
            raise Conflict(
                "Someone in the approval already has an enrolment on that course this year.",
                detail_id="Ada pegawai dalam persetujuan ini yang sudah terdaftar pada "
                "pelatihan tersebut tahun ini.",
                code="training_enrolment_exists",
            )
        before = _plan_snapshot(plan)
        await self.repository.add_enrolments(
            [
                {
                    "id": uuid.uuid4(), "agency_code": plan.agency_code,
                    "employee_id": i.employee_id, "course_id": i.course_id, "year": plan.year,
                    "state": "planned", "plan_id": plan.id,
                }
                for i in items
            ]
        )  # fmt: skip
        await self.repository.mark_approved(plan.id, [i.id for i in items])
        plan.status = "approved"
        plan.approved_at = datetime.now(UTC)
        plan.approved_by = self.principal.subject
        await self.changes.updated(
            plan, before=before,
            after=lambda p: {**_plan_snapshot(p), "items": len(items)},
            entity_type=ENTITY, agency_code=plan.agency_code,
            event="training.plan.approved", payload=_payload,
        )  # fmt: skip
        return plan, len(items)

    async def _check_batches(self, plan: Plan, items: Sequence[PlanItem]) -> None:
        counts = Counter(i.course_id for i in items)
        courses = {c.id: c for c, _ in await self.repository.courses(plan.agency_code, counts)}
        short = []
        for cid, n in counts.items():
            c = courses.get(cid)
            if c is None:
                short.append(str(cid))
            elif not planning.batches_fit(n, c.min_participants, c.max_participants):
                short.append(c.code)
        if short:
            raise Conflict(
                "A course would run below its batch minimum (or is no longer active): "
                + ", ".join(sorted(short)[:10]),
                detail_id="Pelatihan akan berjalan di bawah jumlah peserta minimum per "
                "angkatan (atau sudah tidak aktif): " + ", ".join(sorted(short)[:10]),
                code="training_plan_batch_below_minimum",
            )


async def solve_plan(
    sessionmaker: async_sessionmaker[AsyncSession],
    params: dict[str, Any],
    progress: Progress | None = None,
    needs: NeedsSource | None = None,
) -> dict[str, Any]:
    """The job's work: read the inputs (one short transaction), solve outside any
    transaction (in a thread), store the items and figures (another). A failure marks the
    plan ``failed`` with the reason and fails the job."""
    principal = Principal.from_job_params(params["actor"])
    plan_id = uuid.UUID(str(params["plan_id"]))
    source = needs if needs is not None else needs_for_plan
    try:
        async with unit_of_work(sessionmaker) as session:
            service = PlanService(session, principal)
            plan = await service.get_visible(plan_id)
            if plan.status != "solving":
                return {"plan_id": str(plan_id), "status": plan.status}
            inputs = await service.inputs(plan, source)
        if progress:
            await progress(1, 3)
        result = await asyncio.to_thread(
            planning.plan, inputs.needs, inputs.courses, inputs.budget, inputs.options,
            inputs.levels, None, inputs.exclude,
        )  # fmt: skip
        if progress:
            await progress(2, 3)
        async with unit_of_work(sessionmaker) as session:
            plan = await PlanService(session, principal).store(plan_id, result)
            out = {
                "plan_id": str(plan_id),
                "status": plan.status,
                "solver_status": plan.solver_status,
                "items": len(result.enrolments),
            }
        if progress:
            await progress(3, 3)
        return out
    except Exception:
        async with unit_of_work(sessionmaker) as session:
            await PlanService(session, principal).fail(plan_id, "error")
        raise
