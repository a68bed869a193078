"""``/feedback/cycles``: cycles, their subjects and rater requests.

Who may do what:
- HR of the cycle's agency (``hr_officer``, ``integration`` with ``feedback:read`` /
  ``feedback:write``) and admins: everything here;
- an employee or supervisor: only nominate peers for a cycle in which they are a subject.
Nobody else lists requests, so a subject never learns who rates them; no answer and no
public token hash is ever returned.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from asn_career.core.auth import HR_ROLES, Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.i18n import negotiate
from asn_career.core.jobs.schemas import JobOut
from asn_career.core.pagination import Page, PageParams
from asn_career.feedback.cycles.dependencies import RequestInCycle, VisibleCycle
from asn_career.feedback.cycles.schemas import (
    CycleCreate,
    CycleOut,
    CycleState,
    CycleUpdate,
    GenerateRaters,
    GenerationOut,
    Nomination,
    NominationOut,
    Relationship,
    RequestCreate,
    RequestOut,
    RequestReplace,
    RequestStatus,
    SubjectOut,
    SubjectsAdd,
    SubjectsAdded,
)
from asn_career.feedback.cycles.service import (
    CycleFilters,
    CycleService,
    RequestFilters,
    RequestService,
    SubjectService,
)
from asn_career.org.rules import AGENCY_CODE_PATTERN

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="feedback:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="feedback:write"))]
Nominator = Annotated[
    Principal, Depends(authorize(Role.EMPLOYEE, Role.SUPERVISOR, scope="feedback:write"))
]

NIP_PATTERN = r"^[0-9]{18}$"
NipPath = Annotated[
    str,
    Path(
        pattern=NIP_PATTERN,
        min_length=18,
        max_length=18,
        description="The subject's NIP.",
        examples=["198609262015051001"],
    ),
]

router = APIRouter(prefix="/feedback/cycles", tags=["feedback"])


def _location(response: Response, path: str, version: int) -> None:
    response.headers["Location"] = f"/api/v1/feedback/cycles/{path}"
    set_etag(response, version)


# --- cycles ----------------------------------------------------------------------------


@router.get(
    "",
    operation_id="feedback-list-cycles",
    summary="Cycles of the caller's agencies, newest first",
)
async def list_cycles(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="Agency code.")
    ] = None,
    state: CycleState | None = None,
) -> Page[CycleOut]:
    filters = CycleFilters(agency=agency, state=state)
    items, next_cursor = await CycleService(session, principal).list_page(filters, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "",
    operation_id="feedback-create-cycle",
    status_code=status.HTTP_201_CREATED,
    summary="Create a draft cycle in an agency",
)
async def create_cycle(
    principal: Writer, body: CycleCreate, session: DbSession, response: Response
) -> CycleOut:
    service = CycleService(session, principal)
    cycle = await service.create(body)
    _location(response, str(cycle.id), cycle.version)
    return await service.out(cycle)


@router.get(
    "/{cycle_id}",
    operation_id="feedback-get-cycle",
    summary="One cycle, with its subjects and requests counted by status and relationship",
)
async def get_cycle(
    principal: Reader, cycle: VisibleCycle, session: DbSession, response: Response
) -> CycleOut:
    set_etag(response, cycle.version)
    return await CycleService(session, principal).out(cycle)


@router.patch(
    "/{cycle_id}",
    operation_id="feedback-update-cycle",
    summary="Change a draft cycle; an open one only moves its deadline later",
)
async def update_cycle(
    principal: Writer,
    cycle: VisibleCycle,
    body: CycleUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> CycleOut:
    check_if_match(if_match, cycle.version)
    service = CycleService(session, principal)
    cycle = await service.update(cycle, body)
    set_etag(response, cycle.version)
    return await service.out(cycle)


@router.delete(
    "/{cycle_id}",
    operation_id="feedback-delete-cycle",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a draft cycle with its subjects and requests",
)
async def delete_cycle(
    principal: Writer, cycle: VisibleCycle, session: DbSession, if_match: IfMatch = None
) -> None:
    check_if_match(if_match, cycle.version)
    await CycleService(session, principal).delete(cycle)


@router.post(
    "/{cycle_id}/open",
    operation_id="feedback-open-cycle",
    summary="Open a draft cycle for answers (needs a subject and an answerable request)",
)
async def open_cycle(
    principal: Writer, cycle: VisibleCycle, session: DbSession, response: Response
) -> CycleOut:
    service = CycleService(session, principal)
    cycle = await service.open(cycle)
    set_etag(response, cycle.version)
    return await service.out(cycle)


@router.post(
    "/{cycle_id}/close",
    operation_id="feedback-close-cycle",
    summary="Close an open cycle: no more answers nor raters",
)
async def close_cycle(
    principal: Writer, cycle: VisibleCycle, session: DbSession, response: Response
) -> CycleOut:
    service = CycleService(session, principal)
    cycle = await service.close(cycle)
    set_etag(response, cycle.version)
    return await service.out(cycle)


# --- subjects --------------------------------------------------------------------------


@router.post(
    "/{cycle_id}/subjects",
    operation_id="feedback-add-cycle-subjects",
    summary="Add subjects to a draft cycle, by NIPs or by unit (with sub-units) and position kind",
)
async def add_cycle_subjects(
    principal: Writer, cycle: VisibleCycle, body: SubjectsAdd, session: DbSession
) -> SubjectsAdded:
    return await SubjectService(session, principal).add(cycle, body)


@router.get(
    "/{cycle_id}/subjects",
    operation_id="feedback-list-cycle-subjects",
    summary="Subjects of a cycle by name, with their raters counted by relationship",
)
async def list_cycle_subjects(
    principal: Reader, cycle: VisibleCycle, session: DbSession, page: PageParams
) -> Page[SubjectOut]:
    items, next_cursor = await SubjectService(session, principal).list_page(cycle, page)
    return Page(items=items, next_cursor=next_cursor)


@router.delete(
    "/{cycle_id}/subjects/{nip}",
    operation_id="feedback-remove-cycle-subject",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a subject, and the requests about them, from a draft cycle",
)
async def remove_cycle_subject(
    principal: Writer, cycle: VisibleCycle, nip: NipPath, session: DbSession
) -> None:
    await SubjectService(session, principal).remove(cycle, nip)


@router.post(
    "/{cycle_id}/generate-raters",
    operation_id="feedback-generate-cycle-raters",
    response_model=GenerationOut,
    summary="Propose self, supervisor, peers and direct reports for every subject of a "
    "draft cycle, each with why",
    description=(
        "Up to 2,000 subjects the proposal is made within the request (200). A larger cycle "
        "is a job: 202 with `Location` at the job, whose `result` is the same answer."
    ),
    responses={
        202: {
            "model": JobOut,
            "description": "A large cycle: the proposal runs as a job; follow `Location`.",
        }
    },
)
async def generate_cycle_raters(
    principal: Writer,
    cycle: VisibleCycle,
    session: DbSession,
    request: Request,
    body: GenerateRaters | None = None,
) -> GenerationOut | JSONResponse:
    result = await SubjectService(session, principal).generate_or_submit(
        cycle, body or GenerateRaters(), request.app.state.job_queue
    )
    if isinstance(result, GenerationOut):
        return result
    job = JobOut.of(result, negotiate(request.headers.get("accept-language")))
    return JSONResponse(
        job.model_dump(mode="json"),
        status_code=status.HTTP_202_ACCEPTED,
        headers={"Location": f"/api/v1/jobs/{job.id}"},
    )


# --- requests --------------------------------------------------------------------------


@router.get(
    "/{cycle_id}/requests",
    operation_id="feedback-list-cycle-requests",
    summary="Who is asked to rate whom, and how far each request is (never the answers)",
)
async def list_cycle_requests(
    principal: Reader,
    cycle: VisibleCycle,
    session: DbSession,
    page: PageParams,
    subject: Annotated[
        str | None,
        Query(pattern=NIP_PATTERN, min_length=18, max_length=18, description="Subject's NIP."),
    ] = None,
    rater: Annotated[
        str | None,
        Query(pattern=NIP_PATTERN, min_length=18, max_length=18, description="Rater's NIP."),
    ] = None,
    relationship: Relationship | None = None,
    status: RequestStatus | None = None,
) -> Page[RequestOut]:
    filters = RequestFilters(
        subject_nip=subject, rater_nip=rater, relationship=relationship, status=status
    )
    items, next_cursor = await RequestService(session, principal).list_page(cycle, filters, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/{cycle_id}/requests",
    operation_id="feedback-add-cycle-request",
    status_code=status.HTTP_201_CREATED,
    summary="Ask one more rater about a subject (until the cycle closes)",
)
async def add_cycle_request(
    principal: Writer,
    cycle: VisibleCycle,
    body: RequestCreate,
    session: DbSession,
    response: Response,
) -> RequestOut:
    out = await RequestService(session, principal).add(cycle, body)
    _location(response, f"{cycle.id}/requests/{out.id}", out.version)
    return out


@router.get(
    "/{cycle_id}/requests/{request_id}",
    operation_id="feedback-get-cycle-request",
    summary="One rater request (never its answers)",
)
async def get_cycle_request(
    principal: Reader, request: RequestInCycle, session: DbSession, response: Response
) -> RequestOut:
    set_etag(response, request.version)
    return await RequestService(session, principal).out(request)


@router.delete(
    "/{cycle_id}/requests/{request_id}",
    operation_id="feedback-remove-cycle-request",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a request: any unanswered one before open, a pending one while open",
)
async def remove_cycle_request(
    principal: Writer,
    cycle: VisibleCycle,
    request: RequestInCycle,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, request.version)
    await RequestService(session, principal).remove(cycle, request)


@router.post(
    "/{cycle_id}/requests/{request_id}/replace",
    operation_id="feedback-replace-cycle-rater",
    status_code=status.HTTP_201_CREATED,
    summary="Give an unanswered or declined request's subject another rater (a new request)",
)
async def replace_cycle_rater(
    principal: Writer,
    cycle: VisibleCycle,
    request: RequestInCycle,
    body: RequestReplace,
    session: DbSession,
    response: Response,
) -> RequestOut:
    out = await RequestService(session, principal).replace(cycle, request, body)
    _location(response, f"{cycle.id}/requests/{out.id}", out.version)
    return out


@router.post(
    "/{cycle_id}/requests/{request_id}/approve",
    operation_id="feedback-approve-nomination",
    summary="Approve a subject's nomination of a peer: the request becomes pending",
)
async def approve_nomination(
    principal: Writer,
    cycle: VisibleCycle,
    request: RequestInCycle,
    session: DbSession,
    response: Response,
) -> RequestOut:
    out = await RequestService(session, principal).approve(cycle, request)
    set_etag(response, out.version)
    return out


@router.post(
    "/{cycle_id}/requests/{request_id}/reject",
    operation_id="feedback-reject-nomination",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Reject a subject's nomination of a peer: the request goes",
)
async def reject_nomination(
    principal: Writer, cycle: VisibleCycle, request: RequestInCycle, session: DbSession
) -> None:
    await RequestService(session, principal).reject(cycle, request)


@router.post(
    "/{cycle_id}/nominations",
    operation_id="feedback-nominate-peers",
    summary="Nominate peers to rate oneself (the subject, by their token), for HR's approval",
)
async def nominate_peers(
    principal: Nominator, cycle: VisibleCycle, body: Nomination, session: DbSession
) -> NominationOut:
    return await RequestService(session, principal).nominate(cycle, body)
