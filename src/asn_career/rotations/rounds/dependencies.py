"""The round named in the path, looked up within the caller's agencies before the body is
validated: another agency's round is a 404 whatever the body holds."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.rotations.models import Round
from asn_career.rotations.rounds.service import RoundService


async def visible_round(
    round_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Round:
    row = await RoundService(session, principal).get_visible(round_id)
    return await for_write(request, session, row)


VisibleRound = Annotated[Round, Depends(visible_round)]
