"""``/surveys``: HR sets up and opens a survey, employees answer it once and anonymously,
and once it is closed everyone of the agency reads its results."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.talent.surveys.dependencies import VisibleSurvey
from asn_career.talent.surveys.rules import respondent_key
from asn_career.talent.surveys.schemas import (
    SurveyCreate,
    SurveyOut,
    SurveyResponseCreate,
    SurveyResponseReceipt,
    SurveyResultsOut,
)
from asn_career.talent.surveys.service import SurveyService

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="surveys:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="surveys:write"))]
Respondent = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="surveys:respond"))]

router = APIRouter(prefix="/surveys", tags=["surveys"])


@router.post(
    "",
    operation_id="surveys-create-survey",
    status_code=status.HTTP_201_CREATED,
    summary="Set up a career-management survey of an agency's employees for a year",
    description="The questions come from a versioned question set (`karier`, the latest "
    "version unless named): Likert items on 1–5 about promotion, rotation, training, the "
    "career path, feedback, mentoring and the information system, and one optional free "
    "text. The survey starts as a draft; `POST /surveys/{id}/open` opens it. An agency "
    "the caller may not see, like an unknown one, is a 404.",
    responses={404: PROBLEM_RESPONSES[404], 422: PROBLEM_RESPONSES[422]},
)
async def create_survey(
    principal: Writer, body: SurveyCreate, session: DbSession, response: Response
) -> SurveyOut:
    service = SurveyService(session, principal)
    row = await service.create(body)
    response.headers["Location"] = f"/api/v1/surveys/{row.id}"
    set_etag(response, row.version)
    return await service.out(row)


@router.get(
    "",
    operation_id="surveys-list-surveys",
    summary="Surveys of the caller's agencies, newest first",
)
async def list_surveys(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="One agency.")
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="One year.")] = None,
) -> Page[SurveyOut]:
    items, cursor = await SurveyService(session, principal).list_page(agency, year, page)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/{survey_id}",
    operation_id="surveys-get-survey",
    summary="One survey with its questions, state and number of respondents",
)
async def get_survey(
    principal: Reader, survey: VisibleSurvey, session: DbSession, response: Response
) -> SurveyOut:
    set_etag(response, survey.version)
    return await SurveyService(session, principal).out(survey)


async def _transition(
    principal: Principal,
    survey: VisibleSurvey,
    action: str,
    session: DbSession,
    response: Response,
    if_match: str | None,
) -> SurveyOut:
    check_if_match(if_match, survey.version)
    service = SurveyService(session, principal)
    row = await service.transition(survey, action)
    set_etag(response, row.version)
    return await service.out(row)


@router.post(
    "/{survey_id}/open",
    operation_id="surveys-open-survey",
    summary="Open a draft survey: employees may answer from now on",
    responses={409: PROBLEM_RESPONSES[409]},
)
async def open_survey(
    principal: Writer,
    survey: VisibleSurvey,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> SurveyOut:
    return await _transition(principal, survey, "open", session, response, if_match)


@router.post(
    "/{survey_id}/close",
    operation_id="surveys-close-survey",
    summary="Close an open survey: no more answers, and its results are computed and frozen",
    responses={409: PROBLEM_RESPONSES[409]},
)
async def close_survey(
    principal: Writer,
    survey: VisibleSurvey,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> SurveyOut:
    return await _transition(principal, survey, "close", session, response, if_match)


@router.post(
    "/{survey_id}/responses",
    operation_id="surveys-respond",
    status_code=status.HTTP_201_CREATED,
    summary="Answer an open survey, once, anonymously",
    description="The caller answers for themselves. The server keeps a keyed hash of who "
    "answered (to refuse a second response with 409) apart from the answers, which carry "
    "only the unit, gender and rank group they are counted under; nothing links the two.",
    responses={409: PROBLEM_RESPONSES[409], 422: PROBLEM_RESPONSES[422]},
)
async def respond(
    principal: Respondent,
    survey: VisibleSurvey,
    body: SurveyResponseCreate,
    session: DbSession,
    request: Request,
) -> SurveyResponseReceipt:
    key = respondent_key(request.app.state.settings.app_secret)
    await SurveyService(session, principal).respond(survey, body, key)
    return SurveyResponseReceipt(survey_id=survey.id)


@router.get(
    "/{survey_id}/results",
    operation_id="surveys-get-results",
    summary="A closed survey's results, overall and by unit, gender and rank group",
    description="Computed once, when the survey closed. A group is shown only with at least "
    "`min_group_size` respondents; smaller ones are merged into `other` or withheld, and no "
    "combination of the figures shown isolates fewer respondents than that. Free text is "
    "shown only overall, sorted, and only when enough respondents wrote one. 409 while the "
    "survey is not closed.",
    responses={409: PROBLEM_RESPONSES[409]},
)
async def get_results(
    principal: Reader, survey: VisibleSurvey, session: DbSession
) -> SurveyResultsOut:
    return SurveyService(session, principal).results(survey)
