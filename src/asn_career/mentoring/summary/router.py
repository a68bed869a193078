"""``/mentoring/programs/{program_id}/summary`` and the matches as a file (HR)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.sheets import (
    SPREADSHEET_RESPONSES,
    answer_format,
    download_response,
)
from asn_career.mentoring.programs.dependencies import VisibleProgram
from asn_career.mentoring.summary.schemas import SummaryFormat, SummaryOut
from asn_career.mentoring.summary.service import SummaryService

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="mentoring:read"))]

router = APIRouter(prefix="/mentoring/programs/{program_id}", tags=["mentoring"])


@router.get(
    "/summary",
    operation_id="mentoring-get-summary",
    summary="Coverage, mentor load, sessions, satisfaction and competency growth",
    description=(
        "Coverage of the mentees (matched, proposed, unmatched), the mentors' load against "
        "capacity, sessions per pair, satisfaction per side, and the mean change in the "
        "focus competencies' levels from the programme's start to its end (or today) of "
        "mentored mentees against comparable staff of the agency (the same position kinds, "
        "neither mentee nor mentor, on the same competencies), from the assessment history. "
        "`?format=csv|xlsx` (or `Accept`) gives it as a file of `section, measure, group, "
        "value` rows."
    ),
    response_model=SummaryOut,
    responses=SPREADSHEET_RESPONSES,
)
async def get_summary(
    principal: Reader,
    program: VisibleProgram,
    session: DbSession,
    request: Request,
    fmt: Annotated[
        SummaryFormat | None, Query(alias="format", description="`json`, `csv`, `xlsx`.")
    ] = None,
) -> Response | SummaryOut:
    service = SummaryService(session, principal)
    chosen = answer_format(fmt, request.headers.get("accept"))
    if chosen == "json":
        return await service.summary(program)
    return download_response(await service.summary_file(program, chosen), vary_accept=True)


@router.get(
    "/matches/file",
    operation_id="mentoring-export-matches",
    summary="Every match of the programme's published runs as CSV or XLSX",
    description="`mentee_nip, mentee_name, mentor_nip, mentor_name, state, score, pinned, "
    "started_on, ended_on, sessions, mentee_rating, mentor_rating, matching_id` — never "
    "the private notes.",
    response_class=Response,
    responses=SPREADSHEET_RESPONSES,
)
async def export_matches(
    principal: Reader,
    program: VisibleProgram,
    session: DbSession,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
) -> Response:
    return download_response(await SummaryService(session, principal).matches_file(program, fmt))
