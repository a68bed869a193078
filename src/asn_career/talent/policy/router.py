"""``GET|PUT /talent/policy?agency=``: read by HR (``talent:read``), changed by HR
(``talent:write``) and admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, set_etag
from asn_career.talent.policy.schemas import RequiredTalentAgency, TalentPolicyIn, TalentPolicyOut
from asn_career.talent.policy.service import TalentPolicyService

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="talent:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="talent:write"))]

router = APIRouter(prefix="/talent", tags=["talent"])


@router.get(
    "/policy",
    operation_id="talent-get-policy",
    summary="An agency's talent policy: performance source, potential cut points, weights "
    "and calibrated sources (the defaults until it stores one)",
    responses={404: PROBLEM_RESPONSES[404]},
)
async def get_talent_policy(
    principal: Reader, session: DbSession, response: Response, agency: RequiredTalentAgency
) -> TalentPolicyOut:
    service = TalentPolicyService(session, principal)
    out = await service.out(await service.agency(agency))
    set_etag(response, out.version)
    return out


@router.put(
    "/policy",
    operation_id="talent-put-policy",
    summary="Store an agency's talent policy",
    description=(
        "Replaces the whole policy (a field left out takes its default). 422 `policy_rule` "
        "when the cut points are not 0 < medium < high ≤ 100 or both weights are 0. "
        '`If-Match` with the ETag of the last read (`"0"` for the defaults); a stale one is '
        "a 412. Emits `talent.policy.updated`."
    ),
    responses={404: PROBLEM_RESPONSES[404], 412: PROBLEM_RESPONSES[412]},
)
async def put_talent_policy(
    principal: Writer,
    body: TalentPolicyIn,
    session: DbSession,
    response: Response,
    agency: RequiredTalentAgency,
    if_match: IfMatch = None,
) -> TalentPolicyOut:
    service = TalentPolicyService(session, principal)
    out = await service.put(await service.agency(agency), body, if_match)
    set_etag(response, out.version)
    return out
