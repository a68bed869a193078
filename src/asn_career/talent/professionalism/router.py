"""``GET /employees/{nip}/professionalism-index`` and
``GET /agencies/{code}/professionalism-index``: HR (``talent:read``) and admins; one's own
index also the employee themself."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.sheets import download_response
from asn_career.org.rules import AGENCY_CODE_PATTERN, today_in_indonesia
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.talent import rules
from asn_career.talent.files import FILE_RESPONSES, TalentFormat, chosen_format
from asn_career.talent.professionalism.schemas import (
    ProfessionalismAgencyIndexOut,
    ProfessionalismEmployeeIndexOut,
)
from asn_career.talent.professionalism.service import ProfessionalismService
from asn_career.talent.scope import SELF_OR_HR_ROLES, require_self_or_hr

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="talent:read"))]
SelfOrHr = Annotated[Principal, Depends(authorize(*SELF_OR_HR_ROLES, scope="talent:read"))]
IndexYear = Annotated[
    int | None,
    Query(ge=2000, le=2100, description="The year; by default last year."),
]
AgencyCode = Annotated[str, Path(pattern=AGENCY_CODE_PATTERN, max_length=32)]

router = APIRouter(tags=["talent"])


@router.get(
    "/employees/{nip}/professionalism-index",
    operation_id="talent-employee-professionalism-index",
    summary="An employee's professionalism index (IP ASN) for a year, with its four "
    "dimensions and what each came from",
    description=(
        "PermenPANRB 38/2018: qualification (25), competency (40), performance (30), "
        "discipline (5); category Sangat Tinggi (91–100) to Sangat Rendah (≤ 60). A dimension "
        "without data scores 0 and is listed in `missing`. HR of the employee's agency, or "
        "the employee themself (a supervisor only their own, not their staff's)."
    ),
    responses={404: PROBLEM_RESPONSES[404]},
)
async def employee_professionalism_index(
    principal: SelfOrHr, employee: VisibleEmployee, session: DbSession, year: IndexYear = None
) -> ProfessionalismEmployeeIndexOut:
    shown = rules.talent_year(year, today_in_indonesia())
    require_self_or_hr(principal, employee)
    return await ProfessionalismService(session, principal).employee(employee, shown)


@router.get(
    "/agencies/{code}/professionalism-index",
    operation_id="talent-agency-professionalism-index",
    summary="An agency's professionalism index for a year: mean, dimensions and category "
    "distribution, for the agency and per unit",
    description="`?format=svg` or `Accept: image/svg+xml` gives the category distribution as "
    "an SVG bar chart. `?format=csv|xlsx` (or that `Accept`) gives every employee's index as "
    "a file, by NIP: `nip, name, unit_code, unit_name, qualification, competency, "
    "performance, discipline, total, category` (the category's Indonesian label).",
    response_model=ProfessionalismAgencyIndexOut,
    responses={404: PROBLEM_RESPONSES[404], **FILE_RESPONSES},
)
async def agency_professionalism_index(
    principal: Reader,
    code: AgencyCode,
    session: DbSession,
    year: IndexYear = None,
    fmt: Annotated[
        TalentFormat | None,
        Query(alias="format", description="`json` (default), `svg`, `csv` or `xlsx`."),
    ] = None,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> Any:
    shown = rules.talent_year(year, today_in_indonesia())
    service = ProfessionalismService(session, principal)
    chosen = chosen_format(fmt, accept)
    if chosen == "svg":
        return download_response(await service.agency_svg(code, shown), vary_accept=True)
    if chosen != "json":
        exported = await service.agency_file(code, shown, chosen)
        return download_response(exported, vary_accept=True)
    return await service.agency(code, shown)
