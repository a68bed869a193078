"""``/feedback/questionnaires``: read by every role (raters see the items they answer),
written by HR of the owning agency; shared questionnaires by administrators only."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.feedback.questionnaires.dependencies import VisibleQuestionnaire
from asn_career.feedback.questionnaires.schemas import (
    QuestionnaireCreate,
    QuestionnaireOut,
    QuestionnaireSummaryOut,
    QuestionnaireUpdate,
)
from asn_career.feedback.questionnaires.service import QuestionnaireFilters, QuestionnaireService
from asn_career.feedback.rules import QUESTIONNAIRE_CODE_PATTERN
from asn_career.org.rules import AGENCY_CODE_PATTERN

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="feedback:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="feedback:write"))]

router = APIRouter(prefix="/feedback/questionnaires", tags=["feedback"])


@router.get(
    "",
    operation_id="feedback-list-questionnaires",
    summary="Questionnaires shared by every agency and those of the caller's agencies",
)
async def list_questionnaires(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None,
        Query(
            pattern=AGENCY_CODE_PATTERN,
            max_length=32,
            description="Only the shared questionnaires and this agency's.",
        ),
    ] = None,
    code: Annotated[
        str | None,
        Query(
            pattern=QUESTIONNAIRE_CODE_PATTERN,
            max_length=64,
            description="Every revision of this code, newest first.",
        ),
    ] = None,
) -> Page[QuestionnaireSummaryOut]:
    filters = QuestionnaireFilters(agency=agency, code=code)
    items, next_cursor = await QuestionnaireService(session, principal).list_page(filters, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "",
    operation_id="feedback-create-questionnaire",
    status_code=status.HTTP_201_CREATED,
    summary="Create a questionnaire, or the next revision of an existing code",
)
async def create_questionnaire(
    principal: Writer, body: QuestionnaireCreate, session: DbSession, response: Response
) -> QuestionnaireOut:
    out = await QuestionnaireService(session, principal).create(body)
    response.headers["Location"] = f"/api/v1/feedback/questionnaires/{out.id}"
    set_etag(response, out.version)
    return out


@router.get(
    "/{questionnaire_id}",
    operation_id="feedback-get-questionnaire",
    summary="One questionnaire with its items and their anchored scales",
)
async def get_questionnaire(
    principal: Reader, questionnaire: VisibleQuestionnaire, session: DbSession, response: Response
) -> QuestionnaireOut:
    set_etag(response, questionnaire.version)
    return await QuestionnaireService(session, principal).out(questionnaire)


@router.patch(
    "/{questionnaire_id}",
    operation_id="feedback-update-questionnaire",
    summary="Change a questionnaire no cycle uses yet (`items` replaces the list); "
    "409 once a cycle uses it",
)
async def update_questionnaire(
    principal: Writer,
    questionnaire: VisibleQuestionnaire,
    body: QuestionnaireUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> QuestionnaireOut:
    check_if_match(if_match, questionnaire.version)
    out = await QuestionnaireService(session, principal).update(questionnaire, body)
    set_etag(response, out.version)
    return out
