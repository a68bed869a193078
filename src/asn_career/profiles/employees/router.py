import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.profiles.employees.dependencies import NipPath, VisibleEmployee
from asn_career.profiles.employees.schemas import PRINTABLE as _PRINTABLE
from asn_career.profiles.employees.schemas import (
    CareerSummary,
    EmployeeCreate,
    EmployeeListItem,
    EmployeeOut,
    EmployeeSearch,
    EmployeeStatus,
    EmployeeUpdate,
    SearchRow,
)
from asn_career.profiles.employees.service import EmployeeService, employee_out

router = APIRouter(prefix="/employees", tags=["employees"])

Reader = Annotated[
    Principal,
    Depends(
        authorize(
            Role.ADMIN,
            Role.HR_OFFICER,
            Role.SUPERVISOR,
            Role.EMPLOYEE,
            Role.INTEGRATION,
            scope="employees:read",
        )
    ),
]
Writer = Annotated[
    Principal,
    Depends(authorize(Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION, scope="employees:write")),
]
PositionKind = Annotated[
    str | None,
    Query(
        max_length=16,
        pattern=_PRINTABLE,
        description="jpt_utama, jpt_madya, jpt_pratama, administrator, pengawas, fungsional, "
        "pelaksana",
    ),
]
RankQuery = Annotated[str | None, Query(max_length=8, pattern=_PRINTABLE, examples=["III/a"])]


def _list_item(row: SearchRow) -> EmployeeListItem:
    # The row's columns are named and typed as the item's fields, straight from the
    # database: constructing without re-validation is most of a list page's CPU.
    return EmployeeListItem.model_construct(**row._asdict())


@router.get("", operation_id="employees-list", summary="Search employees")
async def list_employees(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            pattern=_PRINTABLE,
            description="Part of a name (case- and accent-insensitive) or, all digits, a NIP "
            "prefix.",
        ),
    ] = None,
    agency: Annotated[str | None, Query(max_length=32, pattern=_PRINTABLE)] = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="This unit and its sub-units.")] = None,
    rank: RankQuery = None,
    rank_min: RankQuery = None,
    rank_max: RankQuery = None,
    position_kind: PositionKind = None,
    competency: Annotated[
        str | None, Query(max_length=16, pattern=_PRINTABLE, examples=["M.1"])
    ] = None,
    min_level: Annotated[
        int | None, Query(ge=1, le=5, description="With `competency`: current level ≥ this.")
    ] = None,
    status_: Annotated[EmployeeStatus | None, Query(alias="status")] = None,
) -> Page[EmployeeListItem]:
    filters = EmployeeSearch(
        q=q,
        agency=agency,
        unit_id=unit_id,
        rank=rank,
        rank_min=rank_min,
        rank_max=rank_max,
        position_kind=position_kind,
        competency=competency,
        min_level=min_level,
        status=status_,
    )
    rows, next_cursor = await EmployeeService(session, principal).search(filters, page)
    return Page(items=[_list_item(row) for row in rows], next_cursor=next_cursor)


@router.post(
    "",
    operation_id="employees-create",
    status_code=status.HTTP_201_CREATED,
    summary="Register an employee (PNS or PPPK)",
)
async def create_employee(
    principal: Writer, body: EmployeeCreate, session: DbSession, response: Response
) -> EmployeeOut:
    employee = await EmployeeService(session, principal).create(body)
    response.headers["Location"] = f"/api/v1/employees/{employee.nip}"
    set_etag(response, employee.version)
    return employee_out(employee, principal)


@router.get("/{nip}", operation_id="employees-get", summary="One employee's profile")
async def get_employee(
    principal: Reader, nip: NipPath, session: DbSession, response: Response
) -> EmployeeOut:
    profile = await EmployeeService(session, principal).profile(nip)
    set_etag(response, profile.version)
    return profile


@router.patch("/{nip}", operation_id="employees-update", summary="Update an employee's profile")
async def update_employee(
    principal: Writer,
    employee: VisibleEmployee,
    body: EmployeeUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> EmployeeOut:
    check_if_match(if_match, employee.version)
    employee = await EmployeeService(session, principal).update(employee, body)
    set_etag(response, employee.version)
    return employee_out(employee, principal)


@router.get(
    "/{nip}/career-summary",
    operation_id="employees-career-summary",
    summary="Profile, position, competency gaps, training hours and history counts",
)
async def career_summary(
    principal: Reader, employee: VisibleEmployee, session: DbSession
) -> CareerSummary:
    return await EmployeeService(session, principal).career_summary(employee)
