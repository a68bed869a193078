"""Individual development plans: ``/employees/{nip}/development-plans`` (list, write one,
draft one), ``/development-plans/{development_plan_id}`` (read or print, edit, approve,
reopen) and ``/training/development-plans`` (an agency's plans of a year, as JSON or a
CSV/XLSX file)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.core.sheets import (
    SPREADSHEET_RESPONSES,
    answer_format,
    download_response,
)
from asn_career.org.rules import AGENCY_CODE_PATTERN, today_in_indonesia
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.training.development_plans.dependencies import VisibleDevelopmentPlan
from asn_career.training.development_plans.rules import PlanStatus
from asn_career.training.development_plans.schemas import (
    DevelopmentPlanCreate,
    DevelopmentPlanDraftRequest,
    DevelopmentPlanOut,
    DevelopmentPlanUpdate,
    PlanFormat,
)
from asn_career.training.development_plans.service import DevelopmentPlanService, PlanFilters

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="training:read"))]
Writer = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="training:write"))]
Approver = Annotated[
    Principal, Depends(authorize(*HR_ROLES, Role.SUPERVISOR, scope="training:write"))
]
HrWriter = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="training:write"))]
HrReader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="training:read"))]

PDF = "application/pdf"
CONFLICT: dict[int | str, dict[str, Any]] = {409: PROBLEM_RESPONSES[409]}

router = APIRouter(tags=["training"])


def _located(response: Response, out: DevelopmentPlanOut) -> None:
    response.headers["Location"] = f"/api/v1/development-plans/{out.id}"
    set_etag(response, out.version)


@router.get(
    "/employees/{nip}/development-plans",
    operation_id="training-list-employee-development-plans",
    summary="An employee's development plans, the latest year first",
)
async def list_employee_plans(
    principal: Reader,
    employee: VisibleEmployee,
    session: DbSession,
    page: PageParams,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status_: Annotated[PlanStatus | None, Query(alias="status")] = None,
) -> Page[DevelopmentPlanOut]:
    filters = PlanFilters(year=year, status=status_)
    items, cursor = await DevelopmentPlanService(session, principal).list_page(
        filters, page, employee
    )
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/employees/{nip}/development-plans",
    operation_id="training-create-development-plan",
    status_code=status.HTTP_201_CREATED,
    summary="Write an employee's development plan for a year (a draft); one per year",
    description=(
        "By the employee themselves, their direct supervisor or HR of the agency. Goals, "
        "the needs addressed (competency, current and required level) and the activities "
        "(kind, title, optional catalogue course the employee is eligible for, competency, "
        "planned JP, target quarter). 409 when the employee has a plan for the year."
    ),
    responses=CONFLICT,
)
async def create_plan(
    principal: Writer,
    employee: VisibleEmployee,
    body: DevelopmentPlanCreate,
    session: DbSession,
    response: Response,
) -> DevelopmentPlanOut:
    service = DevelopmentPlanService(session, principal)
    out = await service.out(await service.create(employee, body))
    _located(response, out)
    return out


@router.post(
    "/employees/{nip}/development-plans/draft",
    operation_id="training-draft-development-plan",
    status_code=status.HTTP_201_CREATED,
    summary="Propose an employee's development plan from their needs, latest 360° report "
    "and career interests, stored as a draft to edit and approve",
    description=(
        "The needs are those of `GET /training/needs` for the employee (the most urgent "
        "five); the latest published 360° report's *develop next* suggestions and the "
        "career interests add goals and activities. Each need gets the catalogue course "
        "of the year that lifts its competency and that the employee is eligible for, or "
        "coaching by the supervisor. Every item says why (`source`, `reason`); the goals "
        "end with the yearly 20 JP against the planned total. Works without a 360° report "
        "or interests. 409 when the employee has a plan for the year."
    ),
    responses=CONFLICT,
)
async def draft_plan(
    principal: Writer,
    employee: VisibleEmployee,
    session: DbSession,
    response: Response,
    body: DevelopmentPlanDraftRequest | None = None,
) -> DevelopmentPlanOut:
    service = DevelopmentPlanService(session, principal)
    row = await service.draft(employee, body or DevelopmentPlanDraftRequest())
    out = await service.out(row)
    _located(response, out)
    return out


@router.get(
    "/development-plans/{development_plan_id}",
    operation_id="training-get-development-plan",
    summary="One development plan with its needs, activities and JP against 20 JP; with "
    "`Accept: application/pdf`, the approved plan printed",
    description=(
        "With `Accept: application/pdf`, the approved plan as a printable A4 PDF in "
        "Indonesian: identity, goals, needs, activities with the planned JP against 20 JP, "
        "the approval and signature lines for the employee and the direct supervisor. 409 "
        "for a draft: only what was approved is printed."
    ),
    response_model=DevelopmentPlanOut,
    responses={
        200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}},
        **CONFLICT,
    },
)
async def get_plan(
    principal: Reader,
    row: VisibleDevelopmentPlan,
    session: DbSession,
    response: Response,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> Response | DevelopmentPlanOut:
    service = DevelopmentPlanService(session, principal)
    if accept is not None and PDF in accept.lower():
        printed = Response(
            await service.pdf(row),
            media_type=PDF,
            headers={
                "Content-Disposition": f'inline; filename="rencana-pengembangan-{row.year}.pdf"'
            },
        )
        set_etag(printed, row.version)
        return printed
    set_etag(response, row.version)
    return await service.out(row)


@router.patch(
    "/development-plans/{development_plan_id}",
    operation_id="training-update-development-plan",
    summary="Edit a draft plan (the employee, their direct supervisor or HR); each list "
    "given replaces the plan's",
    responses=CONFLICT,
)
async def update_plan(
    principal: Writer,
    row: VisibleDevelopmentPlan,
    body: DevelopmentPlanUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> DevelopmentPlanOut:
    check_if_match(if_match, row.version)
    service = DevelopmentPlanService(session, principal)
    out = await service.out(await service.update(row, body))
    set_etag(response, out.version)
    return out


@router.post(
    "/development-plans/{development_plan_id}/approve",
    operation_id="training-approve-development-plan",
    summary="Approve a draft plan (the employee's direct supervisor or HR); it is then "
    "fixed and printable",
    responses=CONFLICT,
)
async def approve_plan(
    principal: Approver,
    row: VisibleDevelopmentPlan,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> DevelopmentPlanOut:
    check_if_match(if_match, row.version)
    service = DevelopmentPlanService(session, principal)
    out = await service.out(await service.approve(row))
    set_etag(response, out.version)
    return out


@router.post(
    "/development-plans/{development_plan_id}/reopen",
    operation_id="training-reopen-development-plan",
    summary="Reopen an approved plan as a new revision, a draft again (HR)",
    responses=CONFLICT,
)
async def reopen_plan(
    principal: HrWriter,
    row: VisibleDevelopmentPlan,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> DevelopmentPlanOut:
    check_if_match(if_match, row.version)
    service = DevelopmentPlanService(session, principal)
    out = await service.out(await service.reopen(row))
    set_etag(response, out.version)
    return out


@router.get(
    "/training/development-plans",
    operation_id="training-list-development-plans",
    summary="An agency's development plans of a year, as a page or a CSV/XLSX file (HR)",
    description=(
        "`?format=csv|xlsx` (or `Accept: text/csv` / the XLSX media type) returns every plan "
        "of the agency's year (of the `status` given) as a file, by NIP, one row per "
        "activity (one row for a plan without activities): `nip, name, unit_code, "
        "unit_name, year, status, revision, approved_at, approved_by_name, planned_jp, "
        "shortfall_jp, activity, kind, title, competency, course_code, activity_jp, "
        "target_quarter, source`."
    ),
    response_model=Page[DevelopmentPlanOut],
    responses=SPREADSHEET_RESPONSES,
)
async def list_agency_plans(
    principal: HrReader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[str, Query(pattern=AGENCY_CODE_PATTERN, max_length=32)],
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Default: the current year.")
    ] = None,
    status_: Annotated[PlanStatus | None, Query(alias="status")] = None,
    fmt: Annotated[
        PlanFormat | None,
        Query(alias="format", description="`json` (default), `csv` or `xlsx`; overrides `Accept`."),
    ] = None,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> Response | Page[DevelopmentPlanOut]:
    service = DevelopmentPlanService(session, principal)
    chosen_year = year if year is not None else today_in_indonesia().year
    chosen = answer_format(fmt, accept)
    if chosen == "json":
        filters = PlanFilters(agency=agency, year=chosen_year, status=status_)
        items, cursor = await service.list_page(filters, page)
        return Page(items=items, next_cursor=cursor)
    exported = await service.file(agency, chosen_year, chosen, status_)
    return download_response(exported, vary_accept=True)
