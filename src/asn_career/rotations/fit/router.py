"""``GET /positions/{position_id}/candidates`` and ``GET /rotations/placement-fit``: HR
(``rotations:read``) and admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.pagination import Page, PageParams
from asn_career.core.types import QueryFlag
from asn_career.org.dependencies import VisiblePosition
from asn_career.rotations.fit.schemas import CandidateOut, PlacementFitOut
from asn_career.rotations.fit.service import FitService
from asn_career.rotations.policy.schemas import AgencyQuery

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:read"))]

router = APIRouter(tags=["rotations"])


@router.get(
    "/positions/{position_id}/candidates",
    operation_id="rotations-position-candidates",
    summary="Employees ranked by fit for a position, with every part of the fit",
    description=(
        "Employees of the position's agency (not its holder), by fit (0–100) and NIP. The fit "
        "is the weighted sum of its parts, each 0–1 and shown with its weight and points: "
        "`competency` (current levels against the required ones), `education` (a preferred "
        "field), `rank` (within the range), `experience` (a unit kind not yet worked in), "
        "`interest` (a stated career interest in the position or its unit), `performance` "
        "(the latest SKP). The weights are the agency's (`/rotations/policy`). By default "
        "only the eligible are listed, whose rank is in range when the policy enforces it; "
        "`eligible_only=false` lists everyone with their reasons."
    ),
    responses={404: PROBLEM_RESPONSES[404]},
)
async def position_candidates(
    principal: Reader,
    position: VisiblePosition,
    session: DbSession,
    page: PageParams,
    eligible_only: Annotated[QueryFlag, Query(description="Only eligible candidates.")] = True,
) -> Page[CandidateOut]:
    items, cursor = await FitService(session, principal).candidates(position, eligible_only, page)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/rotations/placement-fit",
    operation_id="rotations-placement-fit",
    summary="Staff whose education or competencies fit their position poorly, with better "
    "vacant positions",
    description=(
        "Employees of the agency, by NIP, whose current position prefers education fields "
        "they have none of, or whose current competency levels reach under half of the "
        "required ones; each with the fit for their position broken into its parts and up "
        "to three vacant positions (rank in range) that fit them better."
    ),
    responses={404: PROBLEM_RESPONSES[404]},
)
async def placement_fit(
    principal: Reader, session: DbSession, page: PageParams, agency: AgencyQuery = None
) -> Page[PlacementFitOut]:
    items, cursor = await FitService(session, principal).placement_fit(agency, page)
    return Page(items=items, next_cursor=cursor)
