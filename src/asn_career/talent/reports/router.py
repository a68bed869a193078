"""``/reports/career-evaluation``: agencies' career evaluations side by side."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.sheets import SPREADSHEET_RESPONSES, answer_format, download_response
from asn_career.org.rules import today_in_indonesia
from asn_career.talent.reports.schemas import CareerEvaluationReportOut, EvaluationReportFormat
from asn_career.talent.reports.service import (
    AGENCIES_PATTERN,
    EvaluationReportService,
    parse_agencies,
)

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="evaluation:read"))]
PDF = "application/pdf"

router = APIRouter(prefix="/reports", tags=["evaluation"])


@router.get(
    "/career-evaluation",
    operation_id="evaluation-compare-agencies",
    summary="Agencies' career-system evaluations side by side (JSON, CSV, XLSX or PDF)",
    description="`agencies=a,b,…` names them (every one must be visible to the caller, or "
    "the answer is 404 as for an unknown agency); without it, every agency the caller may "
    "see. `?format=csv|xlsx` gives the figures and the merit evidence as rows; "
    "`?format=pdf` (or `Accept: application/pdf`) an A4 report in Indonesian: the figures "
    "side by side, a chart per figure, and the merit-system evidence.",
    response_model=CareerEvaluationReportOut,
    responses={
        200: {
            "content": {
                **SPREADSHEET_RESPONSES[200]["content"],
                PDF: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def compare_agencies(
    principal: Reader,
    session: DbSession,
    request: Request,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="This year if absent.")] = None,
    agencies: Annotated[
        str | None,
        Query(
            pattern=AGENCIES_PATTERN,
            max_length=400,
            description="Agency codes, comma-separated (`36.74,53.71`).",
        ),
    ] = None,
    fmt: Annotated[
        EvaluationReportFormat | None,
        Query(alias="format", description="`json`, `csv`, `xlsx` or `pdf`."),
    ] = None,
) -> Response | CareerEvaluationReportOut:
    service = EvaluationReportService(session, principal)
    chosen_year = year or today_in_indonesia().year
    codes = parse_agencies(agencies)
    accept = request.headers.get("accept") or ""
    if fmt == "pdf" or (fmt is None and PDF in accept.lower()):
        body = await service.report_pdf(chosen_year, codes)
        return Response(
            body,
            media_type=PDF,
            headers={
                "Content-Disposition": f'inline; filename="evaluasi-karier-{chosen_year}.pdf"',
                "Cache-Control": "no-store",
            },
        )
    chosen = answer_format(None if fmt is None else fmt, accept)
    if chosen == "json":
        return await service.report(chosen_year, codes)
    return download_response(
        await service.report_file(chosen_year, codes, chosen), vary_accept=True
    )
