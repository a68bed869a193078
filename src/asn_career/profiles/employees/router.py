from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.core.prepared import ReadPool
from asn_career.core.responses import json_response
from asn_career.profiles.employees.dependencies import NipPath, VisibleEmployee
from asn_career.profiles.employees.schemas import (
    EmployeeCreate,
    EmployeeListItem,
    EmployeeOut,
    EmployeeSearch,
    EmployeeUpdate,
)
from asn_career.profiles.employees.service import EmployeeLookup, EmployeeService, employee_out

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


@router.get(
    "",
    response_model=Page[EmployeeListItem],
    operation_id="employees-list",
    summary="Search employees",
)
async def list_employees(
    principal: Reader,
    pool: ReadPool,
    page: PageParams,
    filters: Annotated[EmployeeSearch, Query()],
) -> Response:
    rows, next_cursor = await EmployeeLookup(pool, principal).search(filters, page)
    # The rows' columns are named and typed as the list item's fields: serialised as
    # they come, since building and validating 50 models is most of a page's CPU.
    return json_response({"items": [dict(row) for row in rows], "next_cursor": next_cursor})


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
    principal: Reader, nip: NipPath, pool: ReadPool, response: Response
) -> EmployeeOut:
    profile = await EmployeeLookup(pool, principal).profile(nip)
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
