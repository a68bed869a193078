"""The programme named in the path, within the caller's agencies (otherwise 404), before
the body is validated."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.mentoring.models import Program
from asn_career.mentoring.programs.service import ProgramService


async def visible_program(
    program_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Program:
    row = await ProgramService(session, principal).get(program_id)
    return await for_write(request, session, row)


VisibleProgram = Annotated[Program, Depends(visible_program)]
