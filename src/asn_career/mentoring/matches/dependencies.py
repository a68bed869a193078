"""The match named in the path: HR of its agency, or its mentor or mentee once its run is
published (otherwise 404)."""

import uuid
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Row

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.mentoring.matches.service import MatchService


async def visible_match(
    match_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Row[Any]:
    found = await MatchService(session, principal).get(match_id)
    await for_write(request, session, found.Match)
    return found


VisibleMatch = Annotated[Row[Any], Depends(visible_match)]
