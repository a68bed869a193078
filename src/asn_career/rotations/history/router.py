"""``GET /rotations/history``: HR (``rotations:read``) and admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.pagination import PageParams
from asn_career.core.types import IsoDate
from asn_career.rotations.history.schemas import HistoryOut
from asn_career.rotations.history.service import HistoryService
from asn_career.rotations.policy.schemas import AgencyQuery

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:read"))]

router = APIRouter(prefix="/rotations", tags=["rotations"])


@router.get(
    "/history",
    operation_id="rotations-history",
    summary="An agency's moves in a period, newest first, with its rotation figures",
    description=(
        "A move is a primary assignment that follows another of the same person in a "
        "different position (by a round, a move, or the assignments' history). `figures`: "
        "the rotation rate (moves per employee holding a position), the moves that changed "
        "the kind of unit and their share, the flows between unit kinds, the employees past "
        "the policy's maximum months today, and today's tenure distribution (months in the "
        "current position). The period is this year unless `since` / `until` name it."
    ),
    responses={404: PROBLEM_RESPONSES[404]},
)
async def history(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: AgencyQuery = None,
    since: Annotated[IsoDate | None, Query(description="First day; 1 January by default.")] = None,
    until: Annotated[IsoDate | None, Query(description="Last day; 31 December by default.")] = None,
) -> HistoryOut:
    return await HistoryService(session, principal).history(agency, since, until, page)
