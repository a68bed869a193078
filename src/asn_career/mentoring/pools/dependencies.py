"""The mentor or mentee named in the path (``{nip}``) of a visible programme: HR sees the
pool, an employee only their own entry (otherwise 404)."""

from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Row

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.mentoring.pools.service import PoolService
from asn_career.mentoring.programs.dependencies import VisibleProgram
from asn_career.profiles.employees.dependencies import NipPath


async def mentor_in_path(
    program: VisibleProgram, nip: NipPath, principal: CurrentPrincipal, session: DbSession,
    request: Request,
) -> Row[Any]:  # fmt: skip
    row = await PoolService(session, principal).mentor_row(program, nip)
    await for_write(request, session, row.Mentor)
    return row


async def mentee_in_path(
    program: VisibleProgram, nip: NipPath, principal: CurrentPrincipal, session: DbSession,
    request: Request,
) -> Row[Any]:  # fmt: skip
    row = await PoolService(session, principal).mentee_row(program, nip)
    await for_write(request, session, row.Mentee)
    return row


MentorInPath = Annotated[Row[Any], Depends(mentor_in_path)]
MenteeInPath = Annotated[Row[Any], Depends(mentee_in_path)]
