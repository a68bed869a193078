import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.feedback.responses.dependencies import (
    CycleToRead,
    CycleToWrite,
    HrReading,
    HrWriting,
    OwnRequestToRead,
    OwnRequestToWrite,
    RaterReading,
    RaterWriting,
)
from asn_career.feedback.responses.rules import ReminderRule
from asn_career.feedback.responses.schemas import (
    DeclineIn,
    IntervalDays,
    MyRequestOut,
    ReminderOut,
    ReminderRun,
    RemindersSent,
    RequestDetailOut,
    RequestStatus,
    ResponseIn,
    WindowDays,
)
from asn_career.feedback.responses.service import ReminderService, ResponseService

router = APIRouter(prefix="/feedback", tags=["feedback"])


@router.get(
    "/my-requests",
    operation_id="feedback-my-requests",
    summary="The requests you are asked to answer as a rater, newest first",
)
async def my_requests(
    principal: RaterReading,
    session: DbSession,
    page: PageParams,
    status: Annotated[RequestStatus | None, Query(description="Only this status.")] = None,
    cycle: Annotated[uuid.UUID | None, Query(description="Only this cycle.")] = None,
) -> Page[MyRequestOut]:
    service = ResponseService(session, principal)
    items, next_cursor = await service.of_rater(principal.subject, status, cycle, page)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/requests/{request_id}",
    operation_id="feedback-get-request",
    summary="One of your requests, with its questionnaire and your saved answers",
)
async def get_request(
    own: OwnRequestToRead, principal: RaterReading, session: DbSession, response: Response
) -> RequestDetailOut:
    set_etag(response, own.request.version)
    return await ResponseService(session, principal).detail(own)


@router.put(
    "/requests/{request_id}/response",
    operation_id="feedback-save-response",
    summary="Save your answers as a draft, or submit them once and for good",
    description="The answers replace the saved draft. With `submit: true` every required "
    "item needs a score (or `not_observed` where the item allows it) and the response "
    "becomes final: a later write is 409 `response_final`. Answers are taken only while "
    "the cycle is open and before its deadline (409 `cycle_not_open`, `deadline_passed`).",
)
async def save_response(
    body: ResponseIn,
    own: OwnRequestToWrite,
    principal: RaterWriting,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> RequestDetailOut:
    check_if_match(if_match, own.request.version)
    service = ResponseService(session, principal)
    await service.save(own, body.answers, submit=body.submit)
    set_etag(response, own.request.version)
    return await service.detail(own)


@router.post(
    "/requests/{request_id}/decline",
    operation_id="feedback-decline-request",
    summary="Decline a request, saying why (HR reads the reason to choose another rater)",
)
async def decline_request(
    body: DeclineIn,
    own: OwnRequestToWrite,
    principal: RaterWriting,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> RequestDetailOut:
    check_if_match(if_match, own.request.version)
    service = ResponseService(session, principal)
    await service.decline(own, body)
    set_etag(response, own.request.version)
    return await service.detail(own)


@router.get(
    "/cycles/{cycle_id}/reminders",
    operation_id="feedback-reminders-due",
    summary="Open requests due a reminder: who is to answer about whom, never an answer",
)
async def reminders_due(
    cycle: CycleToRead,
    principal: HrReading,
    session: DbSession,
    page: PageParams,
    within_days: Annotated[
        WindowDays, Query(description="Remind every open request this close to the deadline.")
    ] = 7,
    interval_days: Annotated[
        IntervalDays,
        Query(description="Not twice within this many days; earlier, only raters who "
              "have not begun after this long."),
    ] = 3,
) -> Page[ReminderOut]:  # fmt: skip
    rule = ReminderRule.of_days(within_days, interval_days)
    items, next_cursor = await ReminderService(session, principal).due_page(cycle, rule, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/cycles/{cycle_id}/reminders",
    operation_id="feedback-send-reminders",
    summary="Mark the due requests reminded and announce them to integrations",
    description="Emits `feedback.reminders.due` with, per rater NIP, the number of requests "
    "they were reminded of, for a mail integration to send the reminders. The rule is the "
    "list's; 409 `cycle_not_open` unless the cycle is open and before its deadline.",
)
async def send_reminders(
    body: ReminderRun, cycle: CycleToWrite, principal: HrWriting, session: DbSession
) -> RemindersSent:
    rule = ReminderRule.of_days(body.within_days, body.interval_days)
    return await ReminderService(session, principal).send(cycle, rule)
