"""``GET /rotations/eligibility``: HR (``rotations:read``) and admins."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.pagination import Page, PageParams
from asn_career.core.types import QueryFlag
from asn_career.rotations.eligibility.schemas import EligibilityOut
from asn_career.rotations.eligibility.service import EligibilityService
from asn_career.rotations.policy.schemas import AgencyQuery

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:read"))]

router = APIRouter(prefix="/rotations", tags=["rotations"])


@router.get(
    "/eligibility",
    operation_id="rotations-eligibility",
    summary="Who may rotate now under the agency's policy, with every reason, and who is due",
    description=(
        "Active employees of the agency by NIP (`unit_id`: that unit and its sub-units), "
        "each with the current position, months in it, and every reason they may not "
        "rotate now: `no_position`, `too_soon` (under the policy's minimum months), "
        "`first_year` (after appointment), `near_retirement` (within the policy's buffer "
        "before the retirement age of the current position), `sanction` (an active "
        "disciplinary sanction), `on_leave`. `due` marks those past the maximum months "
        "(the stricter JPT maximum for JPT positions). `eligible` / `due` filter the list."
    ),
    responses={404: PROBLEM_RESPONSES[404]},
)
async def eligibility(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: AgencyQuery = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="A unit and its sub-units.")] = None,
    eligible: Annotated[QueryFlag | None, Query(description="Only (in)eligible ones.")] = None,
    due: Annotated[QueryFlag | None, Query(description="Only those (not) due.")] = None,
) -> Page[EligibilityOut]:
    service = EligibilityService(session, principal)
    items, cursor = await service.page(agency, unit_id, eligible, due, page)
    return Page(items=items, next_cursor=cursor)
