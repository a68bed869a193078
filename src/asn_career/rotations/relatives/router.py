"""``/rotations/relatives``: HR (``rotations:read`` / ``rotations:write``) and admins record
the close relationships that placements must respect."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.pagination import Page, PageParams
from asn_career.rotations.policy.schemas import AgencyQuery
from asn_career.rotations.relatives.dependencies import VisibleRelative
from asn_career.rotations.relatives.schemas import RelativeCreate, RelativeOut
from asn_career.rotations.relatives.service import RelativeService

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:write"))]

router = APIRouter(prefix="/rotations/relatives", tags=["rotations"])


@router.get(
    "",
    operation_id="rotations-list-relatives",
    summary="Recorded close relationships of an agency's employees",
    responses={404: PROBLEM_RESPONSES[404]},
)
async def list_relatives(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: AgencyQuery = None,
    nip: Annotated[str | None, Query(pattern=r"^[0-9]{18}$", description="Either side.")] = None,
) -> Page[RelativeOut]:
    items, cursor = await RelativeService(session, principal).page(agency, nip, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "",
    operation_id="rotations-record-relative",
    status_code=status.HTTP_201_CREATED,
    summary="Record a close relationship: rounds never place one as the other's supervisor",
    description="Both employees of the agency; 422 `same_person`, `unknown_nip`; 409 "
    "`rotation_relative_exists`. Emits `rotation.relative.recorded`.",
    responses={404: PROBLEM_RESPONSES[404], 409: PROBLEM_RESPONSES[409]},
)
async def record_relative(
    principal: Writer, body: RelativeCreate, session: DbSession, agency: AgencyQuery = None
) -> RelativeOut:
    return await RelativeService(session, principal).create(agency, body)


@router.delete(
    "/{relative_id}",
    operation_id="rotations-delete-relative",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a recorded relationship",
    responses={404: PROBLEM_RESPONSES[404]},
)
async def delete_relative(principal: Writer, row: VisibleRelative, session: DbSession) -> None:
    await RelativeService(session, principal).delete(row)
