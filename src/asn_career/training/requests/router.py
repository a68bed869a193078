"""``/training/requests``: employees ask for training, their supervisor or HR endorses or
rejects, HR counts what staff ask for."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.training.needs.rules import current_year
from asn_career.training.requests.dependencies import VisibleTrainingRequest
from asn_career.training.requests.schemas import (
    RequestSummaryOut,
    TrainingRequestCreate,
    TrainingRequestDecision,
    TrainingRequestOut,
)
from asn_career.training.requests.service import RequestFilters, TrainingRequestService
from asn_career.training.rules import RequestStatus

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="training:read"))]
Asker = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="training:write"))]
Decider = Annotated[
    Principal, Depends(authorize(*HR_ROLES, Role.SUPERVISOR, scope="training:write"))
]
HrReader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="training:read"))]

router = APIRouter(prefix="/training/requests", tags=["training"])


@router.get(
    "",
    operation_id="training-list-requests",
    summary="Training requests the caller may see, newest first",
)
async def list_requests(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32)] = None,
    status_: Annotated[RequestStatus | None, Query(alias="status")] = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="With its sub-units.")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[TrainingRequestOut]:
    filters = RequestFilters(agency=agency, status=status_, unit_id=unit_id, year=year)
    items, next_cursor = await TrainingRequestService(session, principal).list_page(filters, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "",
    operation_id="training-create-request",
    status_code=status.HTTP_201_CREATED,
    summary="Ask for a catalogue course or a free topic in a competency, saying why",
)
async def create_request(
    principal: Asker, body: TrainingRequestCreate, session: DbSession, response: Response
) -> TrainingRequestOut:
    service = TrainingRequestService(session, principal)
    row = await service.create(body)
    response.headers["Location"] = f"/api/v1/training/requests/{row.id}"
    set_etag(response, row.version)
    return await service.out(row)


@router.get(
    "/summary",
    operation_id="training-summarise-requests",
    summary="What staff of an agency ask for in a year: requests counted per topic and unit",
)
async def summarise_requests(
    principal: HrReader,
    session: DbSession,
    agency: Annotated[str, Query(pattern=AGENCY_CODE_PATTERN, max_length=32)],
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Default: the current year.")
    ] = None,
) -> RequestSummaryOut:
    return await TrainingRequestService(session, principal).summary(agency, year or current_year())


@router.get(
    "/{training_request_id}",
    operation_id="training-get-request",
    summary="One training request and its decision",
)
async def get_request(
    principal: Reader, row: VisibleTrainingRequest, session: DbSession, response: Response
) -> TrainingRequestOut:
    set_etag(response, row.version)
    return await TrainingRequestService(session, principal).out(row)


@router.post(
    "/{training_request_id}/endorse",
    operation_id="training-endorse-request",
    summary="Endorse a submitted request (the employee's supervisor or HR); it raises the "
    "need's priority",
)
async def endorse_request(
    principal: Decider,
    row: VisibleTrainingRequest,
    session: DbSession,
    response: Response,
    body: TrainingRequestDecision | None = None,
    if_match: IfMatch = None,
) -> TrainingRequestOut:
    check_if_match(if_match, row.version)
    service = TrainingRequestService(session, principal)
    row = await service.decide(row, True, body or TrainingRequestDecision())
    set_etag(response, row.version)
    return await service.out(row)


@router.post(
    "/{training_request_id}/reject",
    operation_id="training-reject-request",
    summary="Reject a submitted request with a reason (the employee's supervisor or HR)",
)
async def reject_request(
    principal: Decider,
    row: VisibleTrainingRequest,
    body: TrainingRequestDecision,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> TrainingRequestOut:
    check_if_match(if_match, row.version)
    service = TrainingRequestService(session, principal)
    row = await service.decide(row, False, body)
    set_etag(response, row.version)
    return await service.out(row)


@router.post(
    "/{training_request_id}/withdraw",
    operation_id="training-withdraw-request",
    summary="Withdraw one's own submitted request",
)
async def withdraw_request(
    principal: Asker,
    row: VisibleTrainingRequest,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> TrainingRequestOut:
    check_if_match(if_match, row.version)
    service = TrainingRequestService(session, principal)
    row = await service.withdraw(row)
    set_etag(response, row.version)
    return await service.out(row)
