"""The questionnaire named in the path, looked up within what the caller may see (shared
ones and their agencies'), before the body is validated: otherwise 404."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.feedback.models import Questionnaire
from asn_career.feedback.questionnaires.service import QuestionnaireService


async def visible_questionnaire(
    questionnaire_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Questionnaire:
    row = await QuestionnaireService(session, principal).get_visible(questionnaire_id)
    return await for_write(request, session, row)


VisibleQuestionnaire = Annotated[Questionnaire, Depends(visible_questionnaire)]
