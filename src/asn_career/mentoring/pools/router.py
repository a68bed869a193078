"""``/mentoring/programs/{program_id}/mentors|mentees``: the pools. HR adds anyone of the
agency and reads the pools; an employee opts in as a mentor, enrols as a mentee, and reads
and changes only their own entry."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.mentoring.pools.dependencies import MenteeInPath, MentorInPath
from asn_career.mentoring.pools.schemas import (
    MenteeCreate,
    MenteeOut,
    MenteeUpdate,
    MentorCreate,
    MentorOut,
    MentorUpdate,
)
from asn_career.mentoring.pools.service import PoolService
from asn_career.mentoring.programs.dependencies import VisibleProgram

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="mentoring:read"))]
Writer = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="mentoring:write"))]
HrReader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="mentoring:read"))]

router = APIRouter(prefix="/mentoring/programs/{program_id}", tags=["mentoring"])
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    409: PROBLEM_RESPONSES[409],
    422: PROBLEM_RESPONSES[422],
}


@router.post(
    "/mentors",
    operation_id="mentoring-add-mentor",
    status_code=status.HTTP_201_CREATED,
    summary="Add a mentor (HR), or opt in as one (an employee, their own NIP)",
    description="Strengths default to the mentor's current competencies at level 4 or "
    "above; capacity to the programme's. 409 `mentor_exists`; 403 `mentoring_self_only` "
    "when an employee names someone else.",
    responses=WRITE_ERRORS,
)
async def add_mentor(
    principal: Writer, program: VisibleProgram, body: MentorCreate, session: DbSession,
    response: Response,
) -> MentorOut:  # fmt: skip
    out = await PoolService(session, principal).add_mentor(program, body)
    response.headers["Location"] = f"/api/v1/mentoring/programs/{program.id}/mentors/{out.nip}"
    set_etag(response, out.version)
    return out


@router.get(
    "/mentors",
    operation_id="mentoring-list-mentors",
    summary="The programme's mentors with capacity, strengths and current load (HR)",
)
async def list_mentors(
    principal: HrReader, program: VisibleProgram, session: DbSession, page: PageParams
) -> Page[MentorOut]:
    items, cursor = await PoolService(session, principal).mentors_page(program, page)
    return Page(items=items, next_cursor=cursor)


@router.get("/mentors/{nip}", operation_id="mentoring-get-mentor", summary="One mentor")
async def get_mentor(
    principal: Reader, program: VisibleProgram, mentor: MentorInPath, session: DbSession,
    response: Response,
) -> MentorOut:  # fmt: skip
    set_etag(response, mentor.Mentor.version)
    return (await PoolService(session, principal).mentor_outs(program, [mentor]))[0]


@router.patch(
    "/mentors/{nip}",
    operation_id="mentoring-update-mentor",
    summary="Change a mentor's capacity, strengths, availability or take them out (active)",
    responses={422: PROBLEM_RESPONSES[422]},
)
async def update_mentor(
    principal: Writer, program: VisibleProgram, mentor: MentorInPath, body: MentorUpdate,
    session: DbSession, response: Response, if_match: IfMatch = None,
) -> MentorOut:  # fmt: skip
    check_if_match(if_match, mentor.Mentor.version)
    out = await PoolService(session, principal).update_mentor(program, mentor, body)
    set_etag(response, out.version)
    return out


@router.post(
    "/mentees",
    operation_id="mentoring-enrol-mentee",
    status_code=status.HTTP_201_CREATED,
    summary="Enrol a mentee (HR), or enrol oneself (an employee) with goals and focus",
    description="Focus competencies default to the mentee's largest training needs and "
    "the suggestions of their latest published 360° report, taken in turn; each says "
    "where it came from. 409 `mentee_exists`.",
    responses=WRITE_ERRORS,
)
async def enrol_mentee(
    principal: Writer, program: VisibleProgram, body: MenteeCreate, session: DbSession,
    response: Response,
) -> MenteeOut:  # fmt: skip
    out = await PoolService(session, principal).enrol_mentee(program, body)
    response.headers["Location"] = f"/api/v1/mentoring/programs/{program.id}/mentees/{out.nip}"
    set_etag(response, out.version)
    return out


@router.get(
    "/mentees",
    operation_id="mentoring-list-mentees",
    summary="The programme's mentees with goals and focus competencies (HR)",
)
async def list_mentees(
    principal: HrReader, program: VisibleProgram, session: DbSession, page: PageParams
) -> Page[MenteeOut]:
    items, cursor = await PoolService(session, principal).mentees_page(program, page)
    return Page(items=items, next_cursor=cursor)


@router.get("/mentees/{nip}", operation_id="mentoring-get-mentee", summary="One mentee")
async def get_mentee(
    principal: Reader, program: VisibleProgram, mentee: MenteeInPath, session: DbSession,
    response: Response,
) -> MenteeOut:  # fmt: skip
    set_etag(response, mentee.Mentee.version)
    return (await PoolService(session, principal).mentee_outs(program, [mentee]))[0]


@router.patch(
    "/mentees/{nip}",
    operation_id="mentoring-update-mentee",
    summary="Change a mentee's goals or focus (given focus replaces the derived one)",
    responses={422: PROBLEM_RESPONSES[422]},
)
async def update_mentee(
    principal: Writer, program: VisibleProgram, mentee: MenteeInPath, body: MenteeUpdate,
    session: DbSession, response: Response, if_match: IfMatch = None,
) -> MenteeOut:  # fmt: skip
    check_if_match(if_match, mentee.Mentee.version)
    out = await PoolService(session, principal).update_mentee(program, mentee, body)
    set_etag(response, out.version)
    return out
