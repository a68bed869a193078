"""``GET /talent/nine-box``, ``GET /employees/{nip}/nine-box`` and ``GET /talent/succession``:
HR (``talent:read``) and admins; one's own box also the employee themself."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.pagination import PageParams
from asn_career.core.sheets import download_response
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.talent import rules
from asn_career.talent.files import FILE_RESPONSES, TalentFormat, chosen_format
from asn_career.talent.ninebox.schemas import EmployeeNineBoxOut, NineBoxAgencyOut, SuccessionOut
from asn_career.talent.ninebox.service import NineBoxService
from asn_career.talent.policy.schemas import TalentAgencyQuery
from asn_career.talent.scope import SELF_OR_HR_ROLES, require_self_or_hr

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="talent:read"))]
SelfOrHr = Annotated[Principal, Depends(authorize(*SELF_OR_HR_ROLES, scope="talent:read"))]
OptionalYear = Annotated[
    int | None,
    Query(ge=2000, le=2100, description="The SKP year; by default last year (the last whole "
          "year whose annual SKP is rated)."),
]  # fmt: skip

router = APIRouter(tags=["talent"])


@router.get(
    "/talent/nine-box",
    operation_id="talent-agency-nine-box",
    summary="An agency's 9-box for a year: counts per box, per unit, movement from last "
    "year and the employees with their box",
    description=(
        "PermenPANRB 3/2020. Performance from the annual SKP predicate (Sangat Baik above, "
        "Baik as expected, the rest below; the year's, or two years averaged by the agency's "
        "`/talent/policy`); potential (0–100) from calibrated competency levels and published "
        "360° results against the standard of the next-level position (the one the "
        "employee's position reports to), cut at the policy's thresholds. Employees without "
        "the data get `insufficient_data` with the reason, never a box. `movement` is the "
        "transition matrix from last year's box (`none`: no box). The employee list is by "
        "NIP, filtered by `box` and `unit_id` (the unit and its sub-units). `?format=svg` or "
        "`Accept: image/svg+xml` gives the grid as an SVG chart. `?format=csv|xlsx` (or that "
        "`Accept`) gives every employee of the list (same filters, no paging) as a file: "
        "`nip, name, unit_code, unit_name, position, performance, potential, potential_band, "
        "box, action, insufficient_data, last_year_box` (the action in Indonesian)."
    ),
    response_model=NineBoxAgencyOut,
    responses={404: PROBLEM_RESPONSES[404], **FILE_RESPONSES},
)
async def agency_nine_box(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: TalentAgencyQuery = None,
    year: OptionalYear = None,
    box: Annotated[int | None, Query(ge=1, le=9, description="Only this box.")] = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="Only this unit's subtree.")] = None,
    fmt: Annotated[
        TalentFormat | None,
        Query(alias="format", description="`json` (default), `svg`, `csv` or `xlsx`."),
    ] = None,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> Any:
    shown = rules.talent_year(year, today_in_indonesia())
    service = NineBoxService(session, principal)
    chosen = chosen_format(fmt, accept)
    if chosen == "svg":
        return download_response(await service.agency_svg(agency, shown), vary_accept=True)
    if chosen != "json":
        exported = await service.agency_file(agency, shown, box, unit_id, chosen)
        return download_response(exported, vary_accept=True)
    return await service.agency_view(agency, shown, box, unit_id, page)


@router.get(
    "/employees/{nip}/nine-box",
    operation_id="talent-employee-nine-box",
    summary="An employee's 9-box for a year: both axes with their inputs, the recommended "
    "action and last year's box",
    description="HR of the employee's agency, or the employee themself (a supervisor only "
    "their own, not their staff's).",
    responses={404: PROBLEM_RESPONSES[404]},
)
async def employee_nine_box(
    principal: SelfOrHr, employee: VisibleEmployee, session: DbSession, year: OptionalYear = None
) -> EmployeeNineBoxOut:
    shown = rules.talent_year(year, today_in_indonesia())
    require_self_or_hr(principal, employee)
    return await NineBoxService(session, principal).employee(employee, shown)


@router.get(
    "/talent/succession",
    operation_id="talent-succession",
    summary="The succession pool: boxes 7–9 ranked by rotation fit for each higher position",
    description=(
        "Without `position_id`: the agency's managerial positions (JPT, administrator, "
        "pengawas) that are vacant or whose holder reaches retirement age within 24 months, "
        "by code; with it, that position whatever its kind. For each, the best 10 of the "
        "agency's boxes 7–9 for the year (not the holder), by the rotation fit "
        "(`/positions/{position_id}/candidates` explains its parts), then NIP."
    ),
    responses={404: PROBLEM_RESPONSES[404]},
)
async def succession(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: TalentAgencyQuery = None,
    position_id: Annotated[uuid.UUID | None, Query(description="Only this position.")] = None,
    year: OptionalYear = None,
) -> SuccessionOut:
    shown = rules.talent_year(year, today_in_indonesia())
    return await NineBoxService(session, principal).succession(agency, shown, position_id, page)
