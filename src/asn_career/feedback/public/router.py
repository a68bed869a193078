"""Public raters: links made by HR, and the form behind each link, which needs no login.

The two ``/feedback/public/{token}`` routes check no credentials at all: the token is the
only one, and whatever else is sent (a bearer token, an API key) is ignored, so it can
neither be required nor raise what the caller may do. They are rate-limited per client
address (``public_guard``) and store nothing about the caller.
"""

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Header, Path, Response, status

from asn_career.core.auth import AppSettings
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_JSON
from asn_career.feedback.public.cards import render_cards
from asn_career.feedback.public.dependencies import public_guard
from asn_career.feedback.public.schemas import (
    PublicFormOut,
    PublicLinksCreate,
    PublicLinksOut,
    PublicResponseIn,
    PublicSubmitted,
)
from asn_career.feedback.public.service import PublicAnswerService, PublicLinkService
from asn_career.feedback.responses.dependencies import CycleToWrite, HrWriting

router = APIRouter(prefix="/feedback", tags=["feedback"])

PDF = "application/pdf"
NO_STORE = {"Cache-Control": "no-store"}

Token = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        description="The one-time token of a public link.",
        examples=["kX3v9Qe1mZb7TqYw0sLr2NfHcAuJdPgE5iKo8Vy4Bxa"],
    ),
]
_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}}


@router.post(
    "/cycles/{cycle_id}/public-links",
    operation_id="feedback-create-public-links",
    status_code=status.HTTP_201_CREATED,
    response_model=PublicLinksOut,
    summary="Make one-time links for public raters, as JSON or as printable QR cards",
    description="Creates `count` public requests per subject (subjects of the cycle marked "
    "public-facing), each reached by a random token of which only the SHA-256 is stored. "
    "The tokens are returned this once: as JSON, or with `Accept: application/pdf` as an "
    "A4 PDF of QR cards, eight to a page, to cut apart for a service counter. At most "
    "200 links per call. 409 `cycle_closed` after the cycle closed, `deadline_passed` "
    "after its deadline.",
    responses={201: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def create_public_links(
    body: PublicLinksCreate,
    cycle: CycleToWrite,
    principal: HrWriting,
    session: DbSession,
    settings: AppSettings,
    response: Response,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> Any:
    made = await PublicLinkService(session, principal, settings).create(cycle, body)
    if accept is not None and PDF in accept.lower():
        # Drawing takes up to two seconds for 200 cards: off the event loop.
        pdf = await anyio.to_thread.run_sync(render_cards, made.cards)
        return Response(
            pdf,
            status_code=status.HTTP_201_CREATED,
            media_type=PDF,
            headers={
                **NO_STORE,
                "Content-Disposition": f'attachment; filename="kartu-qr-{cycle.id}.pdf"',
            },
        )
    response.headers.update(NO_STORE)
    return made.out


@router.get(
    "/public/{token}",
    operation_id="feedback-public-form",
    summary="The form behind a public link: whom you rate and the questions (no login)",
    description="No credentials are read. 404 for an unknown token, 410 `token_used` once "
    "its response was given, 409 `cycle_not_open` or `deadline_passed` when the cycle "
    "takes no answers; 429 past the per-address limit.",
    dependencies=[Depends(public_guard)],
    responses={410: {"description": "The link was used", "content": _PROBLEM}},
)
async def public_form(token: Token, session: DbSession) -> PublicFormOut:
    return await PublicAnswerService(session).form(token)


@router.post(
    "/public/{token}",
    operation_id="feedback-public-submit",
    summary="Answer through a public link, once (no login; nothing about you is stored)",
    description="Every item may be marked `not_observed`; required items need a score or "
    "that mark, and at least one item a score. The same validation as a rater's "
    "submission (422 at `answers[i].…`), then 410 `token_used` for any later call.",
    dependencies=[Depends(public_guard)],
    responses={410: {"description": "The link was used", "content": _PROBLEM}},
)
async def public_submit(
    token: Token, body: PublicResponseIn, session: DbSession
) -> PublicSubmitted:
    await PublicAnswerService(session).submit(token, body.answers)
    return PublicSubmitted()
