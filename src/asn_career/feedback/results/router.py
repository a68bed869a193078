"""``GET /feedback/cycles/{cycle_id}/results``: a published cycle's group-level results as
a streamed CSV or XLSX file."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from asn_career.core.db import DbSession
from asn_career.core.sheets import SPREADSHEET_RESPONSES, download_response
from asn_career.feedback.results.columns import (
    COLUMNS,
    ResultsFormat,
    chosen_format,
)
from asn_career.feedback.results.dependencies import ResultsReader, VisibleCycle
from asn_career.feedback.results.service import ResultsService

router = APIRouter(prefix="/feedback", tags=["feedback"])


@router.get(
    "/cycles/{cycle_id}/results",
    operation_id="feedback-results",
    summary="Export a published cycle's results by rater group as CSV or XLSX (streamed)",
    description=(
        "One row per subject × dimension × rater group, read from the reports frozen at "
        "publishing, never from the answers: "
        f"{', '.join(f'`{c}`' for c in COLUMNS)}. `group` is `self`, `supervisor`, `peer`, "
        "`subordinate`, `public`, `other` (small anonymous groups merged) or `overall` "
        "(everyone but self). A suppressed group's row has `suppressed` = `true` and blank "
        "figures.\n\n"
        "`Accept: text/csv` (the default) or `Accept: application/vnd.openxmlformats-"
        "officedocument.spreadsheetml.sheet` chooses the format; `?format=csv|xlsx` does "
        "the same for a plain download link and wins over `Accept`. 409 "
        "`cycle_not_published` until the cycle is published."
    ),
    response_class=StreamingResponse,
    responses=SPREADSHEET_RESPONSES,
)
async def results(
    cycle: VisibleCycle,
    principal: ResultsReader,
    session: DbSession,
    request: Request,
    fmt: Annotated[
        ResultsFormat | None,
        Query(alias="format", description="File format; overrides `Accept`."),
    ] = None,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> StreamingResponse:
    service = ResultsService(session, principal, request.app.state.sessionmaker)
    exported = await service.open(cycle, chosen_format(fmt, accept))
    return download_response(exported, vary_accept=True)
