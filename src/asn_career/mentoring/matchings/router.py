"""Matching runs (HR): propose a run over the whole pool, read it and its matches,
publish it; and a mentee's shortlist (HR, or the mentee themself)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.mentoring.matchings.dependencies import VisibleMatching
from asn_career.mentoring.matchings.schemas import (
    MatchingCreate,
    MatchingOut,
    MatchOut,
    ShortlistOut,
)
from asn_career.mentoring.matchings.service import MatchingService
from asn_career.mentoring.programs.dependencies import VisibleProgram
from asn_career.profiles.employees.dependencies import NipPath

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="mentoring:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="mentoring:write"))]
AnyReader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="mentoring:read"))]

router = APIRouter(prefix="/mentoring", tags=["mentoring"])


@router.post(
    "/programs/{program_id}/matchings",
    operation_id="mentoring-create-matching",
    status_code=status.HTTP_201_CREATED,
    summary="Match the whole pool optimally (a proposal for HR's review)",
    description=(
        "The matching of the programme's active mentees to its active mentors with the "
        "highest total score (or, for `participation`, the most mentees matched, then the "
        "highest score) under the mentors' capacities and the programme's hard rules, with "
        "HR's `pinned` and `forbidden` pairs. Matches accepted in earlier runs are kept, "
        "and pairs declined before are never proposed again. Each match gives its score in "
        "named parts and its reasons; each unmatched mentee why (`no_eligible_mentor`, "
        "`capacity_exhausted`); the greedy baseline's total is given beside the optimum. "
        "Deterministic for the same data. A pool of up to 250,000 mentee × mentor pairs is "
        "solved at once (201); a larger one answers 202 with `Location` at the "
        "`mentoring.match` job and the run at `Content-Location`. 422 for a pinned pair "
        "outside the pools (`not_in_pool`), against the rules (`pinned_pair_ineligible`), "
        "over capacity (`pinned_over_capacity`) or pinned twice."
    ),
    responses={202: {"description": "Solving as a job"}, 422: PROBLEM_RESPONSES[422]},
)
async def create_matching(
    principal: Writer, program: VisibleProgram, body: MatchingCreate, request: Request,
    response: Response, session: DbSession,
) -> MatchingOut:  # fmt: skip
    row, job = await MatchingService(session, principal).propose(
        request.app.state.job_queue, program, body
    )
    if job is not None:
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/api/v1/jobs/{job.id}"
        response.headers["Content-Location"] = f"/api/v1/mentoring/matchings/{row.id}"
    else:
        response.headers["Location"] = f"/api/v1/mentoring/matchings/{row.id}"
    return MatchingService.out(row)


@router.get(
    "/programs/{program_id}/matchings",
    operation_id="mentoring-list-matchings",
    summary="The programme's matching runs, newest first",
)
async def list_matchings(
    principal: Reader, program: VisibleProgram, session: DbSession, page: PageParams
) -> Page[MatchingOut]:
    items, cursor = await MatchingService(session, principal).list_page(program, page)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/matchings/{matching_id}",
    operation_id="mentoring-get-matching",
    summary="One run: status, total score, greedy baseline, figures, unmatched mentees and why",
)
async def get_matching(
    principal: Reader, matching: VisibleMatching, response: Response
) -> MatchingOut:
    set_etag(response, matching.version)
    return MatchingService.out(matching)


@router.get(
    "/matchings/{matching_id}/matches",
    operation_id="mentoring-list-matching-matches",
    summary="A run's matches with score, parts and reasons, by mentee NIP",
)
async def list_matching_matches(
    principal: Reader, matching: VisibleMatching, session: DbSession, page: PageParams
) -> Page[MatchOut]:
    items, cursor = await MatchingService(session, principal).matches_page(matching, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/matchings/{matching_id}/publish",
    operation_id="mentoring-publish-matching",
    summary="Publish a proposed run: its matches go to the mentors and mentees",
    description="The run before it is superseded, with its proposals nobody has accepted; "
    "accepted and active matches stay. 409 `matching_not_proposed`, `matching_stale` (a "
    "newer run was published).",
    responses={409: PROBLEM_RESPONSES[409]},
)
async def publish_matching(
    principal: Writer, matching: VisibleMatching, session: DbSession, response: Response
) -> MatchingOut:
    row = await MatchingService(session, principal).publish(matching)
    set_etag(response, row.version)
    return MatchingService.out(row)


@router.get(
    "/programs/{program_id}/mentees/{nip}/shortlist",
    operation_id="mentoring-get-shortlist",
    summary="A mentee's best k eligible mentors with room left, with reasons",
    description="For programmes where mentees choose: the same scores and hard rules as "
    "the matching, mentors with free capacity only. HR for anyone, a mentee for "
    "themself.",
)
async def get_shortlist(
    principal: AnyReader, program: VisibleProgram, nip: NipPath, session: DbSession,
    k: Annotated[int, Query(ge=1, le=50, description="How many mentors.")] = 5,
) -> ShortlistOut:  # fmt: skip
    return await MatchingService(session, principal).shortlist(program, nip, k)
