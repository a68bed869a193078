"""The cycle and the request named in the path, looked up within the caller's agencies
before the body is validated: another agency's cycle, or a request of another cycle, is a
404 whatever the body holds."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.feedback.cycles.service import CycleService, RequestService
from asn_career.feedback.models import Cycle
from asn_career.feedback.models import Request as RaterRequest


async def visible_cycle(
    cycle_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Cycle:
    cycle = await CycleService(session, principal).get_visible(cycle_id)
    return await for_write(request, session, cycle)


VisibleCycle = Annotated[Cycle, Depends(visible_cycle)]


async def request_in_cycle(
    request_id: uuid.UUID,
    cycle: VisibleCycle,
    principal: CurrentPrincipal,
    session: DbSession,
    request: Request,
) -> RaterRequest:
    row = await RequestService(session, principal).get(cycle, request_id)
    return await for_write(request, session, row)


RequestInCycle = Annotated[RaterRequest, Depends(request_in_cycle)]
