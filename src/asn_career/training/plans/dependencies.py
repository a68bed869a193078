"""The plan named in the path, looked up within the caller's agencies before the body is
validated: another agency's plan is a 404 whatever the body holds."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.training.models import Plan
from asn_career.training.plans.service import PlanService


async def visible_plan(
    plan_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Plan:
    plan = await PlanService(session, principal).get_visible(plan_id)
    return await for_write(request, session, plan)


VisiblePlan = Annotated[Plan, Depends(visible_plan)]
