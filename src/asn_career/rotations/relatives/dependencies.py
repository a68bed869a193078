"""The relationship named in the path, within the caller's agencies (404 otherwise)."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.rotations.models import Relative
from asn_career.rotations.relatives.service import RelativeService


async def visible_relative(
    relative_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Relative:
    row = await RelativeService(session, principal).get_visible(relative_id)
    return await for_write(request, session, row)


VisibleRelative = Annotated[Relative, Depends(visible_relative)]
