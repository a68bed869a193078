"""The training request named in the path, looked up within the employees the caller may
see, before the body is validated: otherwise 404."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.training.models import TrainingRequest
from asn_career.training.requests.service import TrainingRequestService


async def visible_training_request(
    training_request_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    request: Request,
) -> TrainingRequest:
    row = await TrainingRequestService(session, principal).get_visible(training_request_id)
    return await for_write(request, session, row)


VisibleTrainingRequest = Annotated[TrainingRequest, Depends(visible_training_request)]
