"""The matching run named in the path, within the caller's agencies (otherwise 404)."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.mentoring.matchings.service import MatchingService
from asn_career.mentoring.models import Matching


async def visible_matching(
    matching_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Matching:
    row = await MatchingService(session, principal).get(matching_id)
    return await for_write(request, session, row)


VisibleMatching = Annotated[Matching, Depends(visible_matching)]
