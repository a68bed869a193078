"""``/mentoring/programs``: HR sets up a programme; everyone of the agency reads it."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.mentoring.programs.dependencies import VisibleProgram
from asn_career.mentoring.programs.schemas import ProgramCreate, ProgramOut, ProgramUpdate
from asn_career.mentoring.programs.service import ProgramService
from asn_career.org.rules import AGENCY_CODE_PATTERN

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="mentoring:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="mentoring:write"))]

router = APIRouter(prefix="/mentoring/programs", tags=["mentoring"])


@router.post(
    "",
    operation_id="mentoring-create-program",
    status_code=status.HTTP_201_CREATED,
    summary="Set up a mentoring programme: period, weights, rules, capacity, objective",
    responses={422: PROBLEM_RESPONSES[422]},
)
async def create_program(
    principal: Writer, body: ProgramCreate, session: DbSession, response: Response
) -> ProgramOut:
    row = await ProgramService(session, principal).create(body)
    response.headers["Location"] = f"/api/v1/mentoring/programs/{row.id}"
    set_etag(response, row.version)
    return ProgramOut.model_validate(row)


@router.get(
    "",
    operation_id="mentoring-list-programs",
    summary="Mentoring programmes of the caller's agencies, latest start first",
)
async def list_programs(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="One agency.")
    ] = None,
) -> Page[ProgramOut]:
    items, next_cursor = await ProgramService(session, principal).list_page(agency, page)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/{program_id}",
    operation_id="mentoring-get-program",
    summary="One programme with its weights and rules",
)
async def get_program(principal: Reader, program: VisibleProgram, response: Response) -> ProgramOut:
    set_etag(response, program.version)
    return ProgramOut.model_validate(program)


@router.patch(
    "/{program_id}",
    operation_id="mentoring-update-program",
    summary="Change a programme's period, weights or rules (the next matching uses them)",
    responses={422: PROBLEM_RESPONSES[422]},
)
async def update_program(
    principal: Writer,
    program: VisibleProgram,
    body: ProgramUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> ProgramOut:
    check_if_match(if_match, program.version)
    row = await ProgramService(session, principal).update(program, body)
    set_etag(response, row.version)
    return ProgramOut.model_validate(row)
