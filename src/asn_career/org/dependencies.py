"""Lookups of the objects named in the path, scoped to the caller's agencies.

They run as dependencies, before the body is validated, so a caller who may not see the
object gets 404 whatever they send.
"""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.org.models import Agency, Competency, Position, Unit
from asn_career.org.rules import AGENCY_CODE_PATTERN, COMPETENCY_CODE_PATTERN
from asn_career.org.service import AgencyService, CompetencyService, PositionService, UnitService

AgencyCodePath = Annotated[
    str,
    Path(
        pattern=AGENCY_CODE_PATTERN,
        max_length=32,
        description="Agency code, e.g. `36.74`.",
        examples=["36.74"],
    ),
]


async def visible_agency(
    code: AgencyCodePath, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Agency:
    agency = await AgencyService(session, principal).get_visible(code)
    return await for_write(request, session, agency)


async def visible_unit(
    unit_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Unit:
    unit = await UnitService(session, principal).get_visible(unit_id)
    return await for_write(request, session, unit)


async def visible_position(
    position_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Position:
    position = await PositionService(session, principal).get_visible(position_id)
    return await for_write(request, session, position)


async def visible_competency(
    agency: Annotated[Agency, Depends(visible_agency)],
    competency_code: Annotated[
        str,
        Path(
            pattern=COMPETENCY_CODE_PATTERN,
            max_length=16,
            description="`M.n`, `SK.n` (national) or `T.n` (the agency's technical).",
            examples=["M.1"],
        ),
    ],
    principal: CurrentPrincipal,
    session: DbSession,
) -> Competency:
    return await CompetencyService(session, principal).get_for_agency(agency, competency_code)


VisibleAgency = Annotated[Agency, Depends(visible_agency)]
VisibleUnit = Annotated[Unit, Depends(visible_unit)]
VisiblePosition = Annotated[Position, Depends(visible_position)]
VisibleCompetency = Annotated[Competency, Depends(visible_competency)]
