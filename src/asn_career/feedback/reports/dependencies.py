"""The cycle named in the path, looked up within the caller's agencies before anything
else runs: another agency's cycle is a 404, whatever the rest of the request says.

(The cycles part has its own look-up of the same cycle; the integrator may make this one
use it.)"""

import uuid
from typing import Annotated

from fastapi import Depends

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.feedback.models import Cycle
from asn_career.feedback.reports.service import ReportService


async def visible_cycle(
    cycle_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> Cycle:
    return await ReportService(session, principal).visible_cycle(cycle_id)


VisibleCycle = Annotated[Cycle, Depends(visible_cycle)]
