"""``GET /training/compliance``: the yearly 20 JP of an agency, for HR; JSON, or the
whole list as a CSV or XLSX file."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.pagination import PageParams
from asn_career.core.sheets import (
    SPREADSHEET_RESPONSES,
    answer_format,
    download_response,
)
from asn_career.core.types import QueryFlag
from asn_career.org.rules import AGENCY_CODE_PATTERN, today_in_indonesia
from asn_career.training.compliance.schemas import ComplianceFormat, ComplianceOut
from asn_career.training.compliance.service import ComplianceService

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="training:read"))]

router = APIRouter(prefix="/training", tags=["training"])


@router.get(
    "/compliance",
    operation_id="training-compliance",
    summary="Who reached the yearly 20 JP: per employee, per unit, and against last year",
    description=(
        "JP per active employee of the agency, summed from the training history (a "
        "training counts in the year it starts), the employees below 20 JP, coverage per "
        "unit (share with at least 20 JP, lowest first) and the trend against the year "
        "before, for today's active employees. `items` is a page of employees by NIP "
        "(`below_only` keeps those below the minimum).\n\n"
        "`?format=csv|xlsx`, or `Accept: text/csv` / the XLSX media type, returns every "
        "employee as a file instead: "
        "`nip, name, unit_code, unit_name, jp, previous_jp, below_minimum, shortfall_jp`."
    ),
    response_model=ComplianceOut,
    responses=SPREADSHEET_RESPONSES,
)
async def compliance(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None,
        Query(
            pattern=AGENCY_CODE_PATTERN,
            max_length=32,
            description="The agency; optional for an HR officer of one agency.",
        ),
    ] = None,
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="The year; this year by default.")
    ] = None,
    below_only: Annotated[
        QueryFlag, Query(description="Only employees below the minimum.")
    ] = False,
    fmt: Annotated[
        ComplianceFormat | None,
        Query(alias="format", description="`json` (default), `csv` or `xlsx`; overrides `Accept`."),
    ] = None,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> Response | ComplianceOut:
    service = ComplianceService(session, principal)
    code = await service.agency(agency)
    chosen_year = year if year is not None else today_in_indonesia().year
    chosen = answer_format(fmt, accept)
    if chosen == "json":
        return await service.report(code, chosen_year, below_only, page)
    exported = await service.file(code, chosen_year, below_only, chosen)
    return download_response(exported, vary_accept=True)
