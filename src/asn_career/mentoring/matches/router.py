"""``/mentoring/matches/{match_id}``: the relationship. The mentor and the mentee answer,
log sessions and give feedback; HR follows it (never the private notes) and may record an
answer for a side."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import ALL_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.mentoring.matches.dependencies import VisibleMatch
from asn_career.mentoring.matches.schemas import (
    FeedbackCreate,
    FeedbackOut,
    MatchAction,
    SessionCreate,
    SessionOut,
)
from asn_career.mentoring.matches.service import MatchService
from asn_career.mentoring.matchings.schemas import MatchOut
from asn_career.mentoring.matchings.service import match_out
from asn_career.mentoring.rules import MatchState as MatchStateName

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="mentoring:read"))]
Writer = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="mentoring:write"))]

router = APIRouter(prefix="/mentoring", tags=["mentoring"])
ANSWER_ERRORS: dict[int | str, dict[str, Any]] = {
    409: PROBLEM_RESPONSES[409],
    422: PROBLEM_RESPONSES[422],
}


async def _answer(
    principal: Principal,
    found: VisibleMatch,
    body: MatchAction | None,
    session: DbSession,
    response: Response,
    if_match: str | None,
    accept: bool,
) -> MatchOut:
    check_if_match(if_match, found.Match.version)
    await MatchService(session, principal).answer(found, body or MatchAction(), accept)
    set_etag(response, found.Match.version)
    return match_out(found)


@router.get(
    "/my-matches",
    operation_id="mentoring-list-my-matches",
    summary="The caller's own matches, as mentor or mentee, of published runs",
    description="Newest first; what a mentor or mentee answers, logs sessions on and gives "
    "feedback for. `state` narrows the list.",
)
async def list_my_matches(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    state: Annotated[
        MatchStateName | None, Query(description="Only matches in this state.")
    ] = None,
) -> Page[MatchOut]:
    service = MatchService(session, principal)
    items, cursor = await service.of_employee(principal.subject, state, page)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/matches/{match_id}",
    operation_id="mentoring-get-match",
    summary="One match with its state and reasons",
)
async def get_match(principal: Reader, found: VisibleMatch, response: Response) -> MatchOut:
    set_etag(response, found.Match.version)
    return match_out(found)


@router.post(
    "/matches/{match_id}/accept",
    operation_id="mentoring-accept-match",
    summary="Accept a published proposal (the mentor or the mentee; HR names the side)",
    description="Both sides' yes makes the match `active` (the start date and the mentee's "
    "focus levels are noted). 409 `match_not_published`, `match_answered`, `match_not_live`.",
    responses=ANSWER_ERRORS,
)
async def accept_match(
    principal: Writer,
    found: VisibleMatch,
    session: DbSession,
    response: Response,
    body: MatchAction | None = None,
    if_match: IfMatch = None,
) -> MatchOut:
    return await _answer(principal, found, body, session, response, if_match, True)


@router.post(
    "/matches/{match_id}/decline",
    operation_id="mentoring-decline-match",
    summary="Decline a proposal, or end an active relationship",
    description="A declined pair is never proposed again in the programme; declining an "
    "active match ends it (`ended`, with the date).",
    responses=ANSWER_ERRORS,
)
async def decline_match(
    principal: Writer,
    found: VisibleMatch,
    session: DbSession,
    response: Response,
    body: MatchAction | None = None,
    if_match: IfMatch = None,
) -> MatchOut:
    return await _answer(principal, found, body, session, response, if_match, False)


@router.post(
    "/matches/{match_id}/complete",
    operation_id="mentoring-complete-match",
    summary="Complete an active relationship (the mentee's focus levels are noted again)",
    responses={409: PROBLEM_RESPONSES[409]},
)
async def complete_match(
    principal: Writer,
    found: VisibleMatch,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> MatchOut:
    check_if_match(if_match, found.Match.version)
    await MatchService(session, principal).complete(found)
    set_etag(response, found.Match.version)
    return match_out(found)


@router.get(
    "/matches/{match_id}/sessions",
    operation_id="mentoring-list-sessions",
    summary="The pair's sessions, oldest first (private notes only for the pair)",
)
async def list_sessions(
    principal: Reader, found: VisibleMatch, session: DbSession, page: PageParams
) -> Page[SessionOut]:
    items, cursor = await MatchService(session, principal).sessions_page(found, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/matches/{match_id}/sessions",
    operation_id="mentoring-log-session",
    status_code=status.HTTP_201_CREATED,
    summary="Log a session (the mentor or the mentee): date, duration, topic, private notes",
    description="403 `mentoring_pair_only` for anyone but the pair; 409 `match_not_active`.",
    responses=ANSWER_ERRORS,
)
async def log_session(
    principal: Writer, found: VisibleMatch, body: SessionCreate, session: DbSession
) -> SessionOut:
    return await MatchService(session, principal).log_session(found, body)


@router.post(
    "/matches/{match_id}/feedback",
    operation_id="mentoring-give-feedback",
    status_code=status.HTTP_201_CREATED,
    summary="Feedback from one side at the end: a rating 1–5 and a comment",
    description="Once the match is completed or ended (409 `match_not_finished`), once "
    "per side (409 `feedback_given`); 403 `mentoring_pair_only` for anyone else.",
    responses={409: PROBLEM_RESPONSES[409]},
)
async def give_feedback(
    principal: Writer, found: VisibleMatch, body: FeedbackCreate, session: DbSession
) -> FeedbackOut:
    return await MatchService(session, principal).give_feedback(found, body)
