"""``GET|PUT /rotations/policy?agency=``: read by HR (``rotations:read``), changed by HR
(``rotations:write``) and admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, set_etag
from asn_career.rotations.policy.schemas import PolicyIn, PolicyOut, RequiredAgency
from asn_career.rotations.policy.service import PolicyService

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:write"))]

router = APIRouter(prefix="/rotations", tags=["rotations"])


@router.get(
    "/policy",
    operation_id="rotations-get-policy",
    summary="An agency's rotation policy and fit weights (the defaults until it stores one)",
    responses={404: PROBLEM_RESPONSES[404]},
)
async def get_policy(
    principal: Reader, session: DbSession, response: Response, agency: RequiredAgency
) -> PolicyOut:
    service = PolicyService(session, principal)
    out = await service.out(await service.agency(agency))
    set_etag(response, out.version)
    return out


@router.put(
    "/policy",
    operation_id="rotations-put-policy",
    summary="Store an agency's rotation policy and fit weights",
    description=(
        "Replaces the whole policy (a field left out takes its default). 422 `policy_rule` "
        "when `min_months` is above `max_months`, `max_months_jpt` above `max_months`, or "
        'every weight is 0. `If-Match` with the ETag of the last read (`"0"` for the '
        "defaults); a stale one is a 412. Emits `rotation.policy.updated`."
    ),
    responses={404: PROBLEM_RESPONSES[404], 412: PROBLEM_RESPONSES[412]},
)
async def put_policy(
    principal: Writer,
    body: PolicyIn,
    session: DbSession,
    response: Response,
    agency: RequiredAgency,
    if_match: IfMatch = None,
) -> PolicyOut:
    service = PolicyService(session, principal)
    out = await service.put(await service.agency(agency), body, if_match)
    set_etag(response, out.version)
    return out
