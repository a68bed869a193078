"""``/rotations/rounds``: HR (``hr_officer``, ``integration`` with ``rotations:read`` /
``rotations:write``) and admins propose, read, approve, reject and enact rounds."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.core.sheets import SPREADSHEET_RESPONSES, download_response
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.rotations.rounds import letters
from asn_career.rotations.rounds.dependencies import VisibleRound
from asn_career.rotations.rounds.schemas import (
    Decision,
    LetterFormat,
    PlacementOut,
    RoundCreate,
    RoundOut,
    RoundStatus,
)
from asn_career.rotations.rounds.service import RoundService, round_out

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:write"))]

router = APIRouter(prefix="/rotations/rounds", tags=["rotations"])

_WRITE_RESPONSES: dict[int | str, dict[str, object]] = {
    404: PROBLEM_RESPONSES[404],
    409: PROBLEM_RESPONSES[409],
    412: PROBLEM_RESPONSES[412],
}


@router.post(
    "",
    operation_id="rotations-create-round",
    status_code=status.HTTP_201_CREATED,
    summary="Propose a rotation round: the placement of highest total fit, beside a greedy one",
    description=(
        "Vacancies (every vacant position of the agency unless `vacancy_ids` names them) "
        "and, with `include_vacated`, the positions eligible candidates would leave, filled "
        "from the pool (every eligible employee unless `pool` names them) so that the total "
        "fit is highest: one person per position, only eligible people, rank in range when "
        "the policy asks, `min_fit` or more, `pinned` pairs placed first, `forbidden` pairs "
        "never, and no conflict of interest as things stand after the round, counting who is "
        "placed and who stays (no recorded close relatives directly above or below each "
        "other, nobody directly under someone who reports directly to them today). Solved "
        "exactly (SciPy's rectangular assignment, with branch and bound over the conflicts "
        "between outcomes of the round); the greedy baseline keeps clear of every pair in "
        "such a conflict and first moves whoever a pin leaves in one where they stand "
        "(`figures.greedy_gave_up` when it cannot), and its total is beside it. "
        "201 with the `draft` round; "
        "a large round (over 250,000 pairs) answers 202, `solving`, with the job at "
        "`Location`. The placements, each explained, are at `/rotations/rounds/{round_id}/"
        "placements`. 422 `unknown_nip`, `unknown_position`, `not_vacant`, `duplicate`, "
        "`pinned_not_allowed` (a pinned pair breaks a hard rule), `pinned_conflict` (the "
        "pinned pairs make a conflict of interest no placement avoids)."
    ),
    responses={202: {"model": RoundOut, "description": "Large: solved as a job."}},
)
async def create_round(
    principal: Writer, body: RoundCreate, request: Request, response: Response, session: DbSession
) -> RoundOut:
    service = RoundService(session, principal)
    row, job = await service.create(request.app.state.job_queue, body)
    if job is not None:
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    response.headers["Content-Location"] = f"/api/v1/rotations/rounds/{row.id}"
    set_etag(response, row.version)
    return round_out(row)


@router.get(
    "",
    operation_id="rotations-list-rounds",
    summary="Rotation rounds of the caller's agencies, newest first",
    description="Optionally of one agency (`agency`) and in one state (`status`).",
)
async def list_rounds(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="One agency.")
    ] = None,
    round_status: Annotated[
        RoundStatus | None, Query(alias="status", description="One state of the workflow.")
    ] = None,
) -> Page[RoundOut]:
    items, cursor = await RoundService(session, principal).list_page(agency, round_status, page)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/{round_id}",
    operation_id="rotations-get-round",
    summary="One round: status, total fit of the proposal and of the greedy baseline, figures",
    responses={404: PROBLEM_RESPONSES[404]},
)
async def get_round(principal: Reader, row: VisibleRound, response: Response) -> RoundOut:
    set_etag(response, row.version)
    return round_out(row)


@router.get(
    "/{round_id}/placements",
    operation_id="rotations-list-round-placements",
    summary="A round's positions, each with who is placed (or why it stays empty) and why",
    responses={404: PROBLEM_RESPONSES[404]},
)
async def list_round_placements(
    principal: Reader, row: VisibleRound, session: DbSession, page: PageParams
) -> Page[PlacementOut]:
    items, cursor = await RoundService(session, principal).placements_page(row, page)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/{round_id}/letters",
    operation_id="rotations-round-letters",
    summary="A round's decision letter list (the decree's attachment) as CSV, XLSX or PDF",
    description=(
        "One row per move: NIP, name, rank, old position and unit, new position and unit, "
        "effective date (TMT), decree number and fit. `format=csv|xlsx` gives the "
        "spreadsheet (`" + ", ".join(letters.COLUMNS) + "`), `pdf` (the default) an A4 "
        "landscape attachment in Indonesian with the round's status."
    ),
    response_class=Response,
    responses={
        **SPREADSHEET_RESPONSES,
        200: {
            "description": "The file, as an attachment.",
            "content": {
                **SPREADSHEET_RESPONSES[200]["content"],
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        404: PROBLEM_RESPONSES[404],
    },
)
async def round_letters(
    principal: Reader,
    row: VisibleRound,
    session: DbSession,
    fmt: Annotated[
        LetterFormat, Query(alias="format", description="`pdf`, `csv` or `xlsx`.")
    ] = "pdf",
) -> Response:
    exported = await RoundService(session, principal).letters(row, fmt)
    return download_response(exported)


@router.post(
    "/{round_id}/approve",
    operation_id="rotations-approve-round",
    summary="Approve a draft round",
    description="409 `rotation_round_state` unless the round is `draft`. Emits "
    "`rotation.round.approved`.",
    responses=_WRITE_RESPONSES,
)
async def approve_round(
    principal: Writer,
    row: VisibleRound,
    body: Decision,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> RoundOut:
    check_if_match(if_match, row.version)
    decided = await RoundService(session, principal).approve(row, body)
    set_etag(response, decided.version)
    return round_out(decided)


@router.post(
    "/{round_id}/reject",
    operation_id="rotations-reject-round",
    summary="Reject a draft or approved round",
    description="409 `rotation_round_state` unless the round is `draft` or `approved`. Emits "
    "`rotation.round.rejected`.",
    responses=_WRITE_RESPONSES,
)
async def reject_round(
    principal: Writer,
    row: VisibleRound,
    body: Decision,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> RoundOut:
    check_if_match(if_match, row.version)
    decided = await RoundService(session, principal).reject(row, body)
    set_etag(response, decided.version)
    return round_out(decided)


@router.post(
    "/{round_id}/enact",
    operation_id="rotations-enact-round",
    summary="Enact an approved round: every move on its effective date, in one transaction",
    description=(
        "Closes the old primary assignments the day before the effective date and opens the "
        "new ones, through the assignments' own rules, audit and `assignment.changed` "
        "events, then emits `rotation.round.enacted`. 409 `rotation_round_stale` and nothing "
        "changed when anyone moved, a target was filled, a person left or is no longer "
        "eligible (a sanction, leave, the retirement buffer) since the round was solved, or "
        "the moves would now make a conflict of interest (a close relative, or a subordinate "
        "of today, directly above or below, as things stand after the moves); "
        "409 `rotation_round_state` unless the round is `approved`."
    ),
    responses=_WRITE_RESPONSES,
)
async def enact_round(
    principal: Writer,
    row: VisibleRound,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> RoundOut:
    check_if_match(if_match, row.version)
    enacted = await RoundService(session, principal).enact(row)
    set_etag(response, enacted.version)
    return round_out(enacted)
