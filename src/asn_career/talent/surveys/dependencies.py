"""The survey named in the path, within the caller's agencies (otherwise 404), before the
body is validated."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.talent.surveys.models import Survey
from asn_career.talent.surveys.service import SurveyService


async def visible_survey(
    survey_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Survey:
    row = await SurveyService(session, principal).get(survey_id)
    return await for_write(request, session, row)


VisibleSurvey = Annotated[Survey, Depends(visible_survey)]
