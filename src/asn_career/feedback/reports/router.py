"""``/feedback/cycles/{cycle_id}``: publish (202 + a job), one subject's report, the summary.

No route here, or anywhere, returns a rater's answers: reports hold only figures of shown
groups and unattributed comments.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from asn_career.core.auth import ALL_ROLES, Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.i18n import negotiate
from asn_career.core.jobs.schemas import JobOut
from asn_career.feedback.reports.dependencies import VisibleCycle
from asn_career.feedback.reports.schemas import CycleSummaryOut, ReportOut
from asn_career.feedback.reports.service import ReportService
from asn_career.profiles.employees.dependencies import NipPath

router = APIRouter(prefix="/feedback", tags=["feedback"])

PDF = "application/pdf"

_HR = (Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION)
Publisher = Annotated[Principal, Depends(authorize(*_HR, scope="feedback:write"))]
SummaryReader = Annotated[Principal, Depends(authorize(*_HR, scope="feedback:read"))]
ReportReader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="feedback:read"))]


@router.post(
    "/cycles/{cycle_id}/publish",
    operation_id="feedback-publish",
    status_code=202,
    summary="Publish a closed cycle: every report frozen, assessments written (runs as a job)",
    description=(
        "Closed → published. Answers 202 with the job; follow it at `Location`. The job "
        "computes every subject's report (calibrated means, agreement, groups under the "
        "anonymity threshold merged or suppressed), stores them frozen, records a "
        "`feedback_360` competency assessment per competency others rated (their "
        "calibrated mean, rounded, 1–5) and moves the cycle to `published`. 409 when the "
        "cycle is not closed, or a publishing job for it is still running."
    ),
    responses={409: PROBLEM_RESPONSES[409]},
)
async def publish_cycle(
    principal: Publisher,
    cycle: VisibleCycle,
    request: Request,
    response: Response,
    session: DbSession,
) -> JobOut:
    job = await ReportService(session, principal).submit_publish(
        request.app.state.job_queue, cycle.id
    )
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return JobOut.of(job, negotiate(request.headers.get("accept-language")))


@router.get(
    "/cycles/{cycle_id}/reports/{nip}",
    operation_id="feedback-report",
    summary="One subject's 360° report: published (frozen), or HR's preview of a closed cycle",
    description=(
        "The subject sees their own published report, a supervisor those of their reporting "
        "line, HR every report of the agency's cycles. A published report is served exactly "
        "as it was frozen. HR may preview a closed cycle's report (`preview: true`); "
        "nothing is shown while a cycle is open. 409 when the report is not available yet. "
        "With `Accept: application/pdf`, the same report as a printable A4 PDF in the "
        "language of `Accept-Language` (Indonesian or English)."
    ),
    response_model=ReportOut,
    responses={
        200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}},
        409: PROBLEM_RESPONSES[409],
    },
)
async def get_report(
    principal: ReportReader,
    cycle: VisibleCycle,
    nip: NipPath,
    session: DbSession,
    accept: Annotated[str | None, Header(max_length=500)] = None,
    accept_language: Annotated[str | None, Header(max_length=500)] = None,
) -> Response:
    reports = ReportService(session, principal)
    if accept is not None and PDF in accept.lower():
        pdf = await reports.report_pdf(cycle, nip, negotiate(accept_language))
        return Response(
            pdf,
            media_type=PDF,
            headers={"Content-Disposition": f'inline; filename="laporan-360-{nip}.pdf"'},
        )
    body = await reports.report_json(cycle, nip)
    return Response(content=body, media_type="application/json")


@router.get(
    "/cycles/{cycle_id}/summary",
    operation_id="feedback-summary",
    summary="A cycle's progress and statistics: completion, leniency, reliability, heatmap",
    description=(
        "Completion by unit and by rater group, reminders due, and — once the cycle is "
        "closed — the distribution of rater leniency (no identities), straight-lined "
        "responses, ICC(1)/ICC(k) and a unit × competency heatmap of calibrated means "
        "(only cells with at least the cycle's minimum of people and of raters)."
    ),
)
async def cycle_summary(
    principal: SummaryReader, cycle: VisibleCycle, session: DbSession
) -> CycleSummaryOut:
    return await ReportService(session, principal).summary(cycle)
