"""The enrolment named in the path, among those the caller may see (otherwise 404), before
the body is validated."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.training.enrolments.service import EnrolmentService
from asn_career.training.models import Enrolment


async def visible_enrolment(
    enrolment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Enrolment:
    row = await EnrolmentService(session, principal).get(enrolment_id)
    return await for_write(request, session, row)


VisibleEnrolment = Annotated[Enrolment, Depends(visible_enrolment)]
