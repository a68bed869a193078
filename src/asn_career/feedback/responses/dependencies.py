"""Who may call the answering routes, and the look-ups of the objects in their paths.

The look-ups run as dependencies, after the role check and before the body is validated:
a request that is not the caller's own, like a cycle of another agency, is a 404 whatever
the body holds.
"""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.feedback.models import Cycle
from asn_career.feedback.responses.service import OwnRequest, ReminderService, ResponseService

RATER_ROLES = (Role.EMPLOYEE, Role.SUPERVISOR, Role.HR_OFFICER)
"""Whoever can be asked to rate: a person with a NIP (the token's ``sub``). Admins and
integrations rate nobody."""
HR_ROLES = (Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION)

RaterReading = Annotated[Principal, Depends(authorize(*RATER_ROLES, scope="feedback:read"))]
RaterWriting = Annotated[Principal, Depends(authorize(*RATER_ROLES, scope="feedback:write"))]
HrReading = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="feedback:read"))]
HrWriting = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="feedback:write"))]


async def own_request_to_read(
    request_id: uuid.UUID, principal: RaterReading, session: DbSession
) -> OwnRequest:
    return await ResponseService(session, principal).get_own(request_id)


async def own_request_to_write(
    request_id: uuid.UUID, principal: RaterWriting, session: DbSession, request: Request
) -> OwnRequest:
    own = await ResponseService(session, principal).get_own(request_id)
    await for_write(request, session, own.request)
    return own


OwnRequestToRead = Annotated[OwnRequest, Depends(own_request_to_read)]
OwnRequestToWrite = Annotated[OwnRequest, Depends(own_request_to_write)]


async def cycle_to_read(cycle_id: uuid.UUID, principal: HrReading, session: DbSession) -> Cycle:
    return await ReminderService(session, principal).cycle(cycle_id)


async def cycle_to_write(cycle_id: uuid.UUID, principal: HrWriting, session: DbSession) -> Cycle:
    return await ReminderService(session, principal).cycle(cycle_id)


CycleToRead = Annotated[Cycle, Depends(cycle_to_read)]
CycleToWrite = Annotated[Cycle, Depends(cycle_to_write)]
