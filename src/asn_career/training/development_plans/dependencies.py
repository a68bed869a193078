"""The development plan named in the path, looked up within the employees the caller may
see, before the body is validated: otherwise 404."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.training.development_plans.models import DevelopmentPlan
from asn_career.training.development_plans.service import DevelopmentPlanService


async def visible_development_plan(
    development_plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    request: Request,
) -> DevelopmentPlan:
    row = await DevelopmentPlanService(session, principal).get_visible(development_plan_id)
    return await for_write(request, session, row)


VisibleDevelopmentPlan = Annotated[DevelopmentPlan, Depends(visible_development_plan)]
