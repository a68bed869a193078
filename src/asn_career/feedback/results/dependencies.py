"""The cycle named in the path, looked up in the caller's agencies (else 404)."""

import uuid
from typing import Annotated

from fastapi import Depends

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.feedback.models import Cycle
from asn_career.feedback.results.service import ResultsService

ResultsReader = Annotated[
    Principal,
    Depends(authorize(Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION, scope="feedback:read")),
]


async def cycle_in_path(cycle_id: uuid.UUID, principal: ResultsReader, session: DbSession) -> Cycle:
    return await ResultsService(session, principal).visible_cycle(cycle_id)


VisibleCycle = Annotated[Cycle, Depends(cycle_in_path)]
