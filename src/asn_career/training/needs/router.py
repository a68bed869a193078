"""``GET /training/needs``: HR of the agency, a supervisor for their reporting line, an
employee for themselves."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from asn_career.core.auth import ALL_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.pagination import Page, PageParams
from asn_career.org.rules import AGENCY_CODE_PATTERN, COMPETENCY_CODE_PATTERN
from asn_career.training.needs.rules import current_year
from asn_career.training.needs.schemas import NeedOut
from asn_career.training.needs.service import NeedFilters, NeedsService

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="training:read"))]

router = APIRouter(prefix="/training/needs", tags=["training"])


@router.get(
    "",
    operation_id="training-list-needs",
    summary="Training needs per employee and competency, the most urgent first, each with "
    "its gap, priority and reasons",
)
async def list_needs(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None,
        Query(
            pattern=AGENCY_CODE_PATTERN,
            max_length=32,
            description="Required for HR officers and integrations.",
        ),
    ] = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="This unit and its sub-units.")] = None,
    nip: Annotated[str | None, Query(pattern=r"^[0-9]{18}$", min_length=18, max_length=18)] = None,
    competency: Annotated[
        str | None,
        Query(pattern=COMPETENCY_CODE_PATTERN, max_length=16, examples=["M.1"]),
    ] = None,
    year: Annotated[
        int | None,
        Query(ge=2000, le=2100, description="Default: the current year in Asia/Jakarta."),
    ] = None,
) -> Page[NeedOut]:
    filters = NeedFilters(
        year=year or current_year(),
        agency=agency,
        unit_ids=(unit_id,) if unit_id else (),
        nip=nip,
        competency=competency,
    )
    items, next_cursor = await NeedsService(session, principal).list_page(filters, page)
    return Page(items=items, next_cursor=next_cursor)
