"""``/training/plans``: plans under a budget, solved as a job, approved by HR.

Who may do what: HR of the plan's agency (``hr_officer``, ``integration`` with
``training:read`` / ``training:write``) and admins; nobody else.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.training.plans.dependencies import VisiblePlan
from asn_career.training.plans.schemas import PlanApprove, PlanCreate, PlanItemOut, PlanOut
from asn_career.training.plans.service import PlanService

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="training:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="training:write"))]

router = APIRouter(prefix="/training/plans", tags=["training"])


@router.post(
    "",
    operation_id="training-create-plan",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Propose a training plan under a budget (solved as a job)",
    description=(
        "Records the plan (`solving`) and a `training.plan` job that solves it: the "
        "enrolments that maximise the priority-weighted gap closure within the budget, "
        "with batches (a batch runs only with its minimum participants and then costs its "
        "fixed cost once), each person's hours, no schedule clashes and the fairness rules "
        "chosen. Follow the job at `Location`; the plan is at `Content-Location` and "
        "becomes `proposed` (or `failed`) with the objective, the proven bound, the gap, "
        "the greedy baseline's objective and the figures."
    ),
)
async def create_plan(
    principal: Writer, body: PlanCreate, request: Request, response: Response, session: DbSession
) -> PlanOut:
    service = PlanService(session, principal)
    plan, job = await service.create(request.app.state.job_queue, body)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    response.headers["Content-Location"] = f"/api/v1/training/plans/{plan.id}"
    return await service.out(plan)


@router.get(
    "",
    operation_id="training-list-plans",
    summary="Training plans of the caller's agencies, newest first",
)
async def list_plans(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="Agency code.")
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[PlanOut]:
    items, next_cursor = await PlanService(session, principal).list_page(agency, year, page)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/{plan_id}",
    operation_id="training-get-plan",
    summary="One plan: status, objective, bound, gap, greedy baseline and figures",
    description="The items are listed, paginated, at `/training/plans/{plan_id}/items`.",
)
async def get_plan(
    principal: Reader, plan: VisiblePlan, session: DbSession, response: Response
) -> PlanOut:
    set_etag(response, plan.version)
    return await PlanService(session, principal).out(plan)


@router.get(
    "/{plan_id}/items",
    operation_id="training-list-plan-items",
    summary="A plan's proposed enrolments, each with why: the needs, gap closed, cost share",
)
async def list_plan_items(
    principal: Reader, plan: VisiblePlan, session: DbSession, page: PageParams
) -> Page[PlanItemOut]:
    items, next_cursor = await PlanService(session, principal).items_page(plan, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/{plan_id}/approve",
    operation_id="training-approve-plan",
    summary="Approve all or part of a proposed plan: planned enrolments, in one transaction",
    description=(
        '`{"items": "all"}` or `{"items": [ids]}`. Creates one `planned` enrolment per '
        "approved item and moves the plan to `approved` (a plan is approved once; the "
        "items left out stay unapproved). 409 `training_plan_not_proposed` when the plan "
        "is solving, failed or approved already; 409 `training_plan_batch_below_minimum` "
        "when a course would keep a number of approved participants no batch split fits "
        "(fewer than its minimum); 409 `training_enrolment_exists` when an approved person "
        "is enrolled on the course this year already."
    ),
    responses={409: PROBLEM_RESPONSES[409]},
)
async def approve_plan(
    principal: Writer,
    plan: VisiblePlan,
    body: PlanApprove,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PlanOut:
    check_if_match(if_match, plan.version)
    service = PlanService(session, principal)
    approved, _ = await service.approve(plan, body)
    set_etag(response, approved.version)
    return await service.out(approved)
