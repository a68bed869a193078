"""Organisation reference: agencies, unit trees, positions, competencies, ranks, education."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import ALL_ROLES, Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.core.types import QueryFlag
from asn_career.org.dependencies import (
    VisibleAgency,
    VisibleCompetency,
    VisiblePosition,
    VisibleUnit,
)
from asn_career.org.models import Competency
from asn_career.org.rules import (
    AGENCY_CODE_PATTERN,
    CompetencyKind,
    FunctionalLevel,
    PositionKind,
    RankScale,
    UnitKind,
)
from asn_career.org.schemas import (
    AgencyCreate,
    AgencyOut,
    AgencyUpdate,
    CompetencyCreate,
    CompetencyOut,
    EducationLevelOut,
    PositionCreate,
    PositionOut,
    PositionUpdate,
    RankOut,
    RequiredCompetencyOut,
    UnitCreate,
    UnitOut,
    UnitUpdate,
)
from asn_career.org.service import (
    AgencyService,
    CompetencyFilters,
    CompetencyService,
    PositionFilters,
    PositionService,
    PositionView,
    ReferenceService,
    UnitFilters,
    UnitService,
)

OrgReader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="org:read"))]
OrgWriter = Annotated[
    Principal, Depends(authorize(Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION, scope="org:write"))
]
AgencyCreator = Annotated[Principal, Depends(authorize(Role.ADMIN, scope="org:write"))]

AgencyFilter = Annotated[
    str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="Agency code.")
]

agencies = APIRouter(prefix="/agencies", tags=["agencies"])
units = APIRouter(prefix="/units", tags=["units"])
positions = APIRouter(prefix="/positions", tags=["positions"])
competencies = APIRouter(prefix="/competencies", tags=["competencies"])
reference = APIRouter(prefix="/reference", tags=["reference"])


# --- agencies --------------------------------------------------------------------------


@agencies.get("", operation_id="agencies-list", summary="Agencies the caller may see")
async def list_agencies(
    principal: OrgReader, session: DbSession, page: PageParams
) -> Page[AgencyOut]:
    items, next_cursor = await AgencyService(session, principal).list_page(page)
    return Page(items=[AgencyOut.model_validate(a) for a in items], next_cursor=next_cursor)


@agencies.post(
    "",
    operation_id="agencies-create",
    status_code=status.HTTP_201_CREATED,
    summary="Register an agency (admins)",
)
async def create_agency(
    principal: AgencyCreator, body: AgencyCreate, session: DbSession, response: Response
) -> AgencyOut:
    agency = await AgencyService(session, principal).create(body)
    response.headers["Location"] = f"/api/v1/agencies/{agency.code}"
    set_etag(response, agency.version)
    return AgencyOut.model_validate(agency)


@agencies.get("/{code}", operation_id="agencies-get", summary="One agency")
async def get_agency(principal: OrgReader, agency: VisibleAgency, response: Response) -> AgencyOut:
    set_etag(response, agency.version)
    return AgencyOut.model_validate(agency)


@agencies.patch(
    "/{code}",
    operation_id="agencies-update",
    summary="Rename an agency (HR of the agency) or change its region code (admins)",
)
async def update_agency(
    principal: OrgWriter,
    agency: VisibleAgency,
    body: AgencyUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AgencyOut:
    check_if_match(if_match, agency.version)
    agency = await AgencyService(session, principal).update(agency, body)
    set_etag(response, agency.version)
    return AgencyOut.model_validate(agency)


@agencies.get(
    "/{code}/units",
    operation_id="agencies-list-units",
    summary="Units of an agency (filter by parent, kind, or a whole subtree)",
)
async def list_units(
    principal: OrgReader,
    agency: VisibleAgency,
    session: DbSession,
    page: PageParams,
    parent_id: Annotated[uuid.UUID | None, Query(description="Direct children of.")] = None,
    roots_only: Annotated[QueryFlag, Query(description="Only units without a parent.")] = False,
    kind: UnitKind | None = None,
    under: Annotated[
        uuid.UUID | None, Query(description="This unit and all units below it.")
    ] = None,
) -> Page[UnitOut]:
    filters = UnitFilters(
        parent_id=parent_id,
        roots_only=roots_only,
        kind=kind.value if kind else None,
        under=under,
    )
    items, next_cursor = await UnitService(session, principal).list_page(agency, filters, page)
    return Page(items=[UnitOut.model_validate(u) for u in items], next_cursor=next_cursor)


@agencies.post(
    "/{code}/units",
    operation_id="agencies-create-unit",
    status_code=status.HTTP_201_CREATED,
    summary="Add a unit to an agency's tree",
)
async def create_unit(
    principal: OrgWriter,
    agency: VisibleAgency,
    body: UnitCreate,
    session: DbSession,
    response: Response,
) -> UnitOut:
    unit = await UnitService(session, principal).create(agency, body)
    response.headers["Location"] = f"/api/v1/units/{unit.id}"
    set_etag(response, unit.version)
    return UnitOut.model_validate(unit)


# --- units -----------------------------------------------------------------------------


@units.get("/{unit_id}", operation_id="units-get", summary="One unit")
async def get_unit(principal: OrgReader, unit: VisibleUnit, response: Response) -> UnitOut:
    set_etag(response, unit.version)
    return UnitOut.model_validate(unit)


@units.patch(
    "/{unit_id}",
    operation_id="units-update",
    summary="Rename, reclassify or move a unit (its sub-units move with it)",
)
async def update_unit(
    principal: OrgWriter,
    unit: VisibleUnit,
    body: UnitUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> UnitOut:
    check_if_match(if_match, unit.version)
    unit = await UnitService(session, principal).update(unit, body)
    set_etag(response, unit.version)
    return UnitOut.model_validate(unit)


# --- positions -------------------------------------------------------------------------


def _position_out(view: PositionView) -> PositionOut:
    p = view.position
    return PositionOut(
        id=p.id,
        agency_code=p.agency_code,
        unit_id=p.unit_id,
        code=p.code,
        title=p.title,
        kind=PositionKind(p.kind),
        functional_level=FunctionalLevel(p.functional_level) if p.functional_level else None,
        min_rank=p.min_rank,
        max_rank=p.max_rank,
        reports_to_position_id=p.reports_to_position_id,
        required_competencies=[
            RequiredCompetencyOut(
                code=c.code,
                level=level,
                kind=CompetencyKind(c.kind),
                name_id=c.name_id,
                name_en=c.name_en,
            )
            for c, level in view.requirements
        ],
        preferred_education_fields=list(p.preferred_education_fields or []),
        is_shared=p.is_shared,
        is_vacant=view.is_vacant,
        version=p.version,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


@positions.get(
    "",
    operation_id="positions-list",
    summary="Positions in the caller's agencies (filter by agency, unit, kind, vacancy)",
)
async def list_positions(
    principal: OrgReader,
    session: DbSession,
    page: PageParams,
    agency: AgencyFilter = None,
    unit_id: uuid.UUID | None = None,
    include_subunits: Annotated[
        QueryFlag, Query(description="With `unit_id`: also positions of its sub-units.")
    ] = False,
    kind: PositionKind | None = None,
    vacant: Annotated[
        QueryFlag | None, Query(description="Only vacant (true) or only held (false) positions.")
    ] = None,
) -> Page[PositionOut]:
    filters = PositionFilters(
        agency=agency,
        unit_id=unit_id,
        include_subunits=include_subunits,
        kind=kind.value if kind else None,
        vacant=vacant,
    )
    views, next_cursor = await PositionService(session, principal).list_page(filters, page)
    return Page(items=[_position_out(v) for v in views], next_cursor=next_cursor)


@positions.post(
    "",
    operation_id="positions-create",
    status_code=status.HTTP_201_CREATED,
    summary="Create a position in a unit, with its requirements",
)
async def create_position(
    principal: OrgWriter, body: PositionCreate, session: DbSession, response: Response
) -> PositionOut:
    view = await PositionService(session, principal).create(body)
    response.headers["Location"] = f"/api/v1/positions/{view.position.id}"
    set_etag(response, view.position.version)
    return _position_out(view)


@positions.get("/{position_id}", operation_id="positions-get", summary="One position")
async def get_position(
    principal: OrgReader, position: VisiblePosition, session: DbSession, response: Response
) -> PositionOut:
    view = await PositionService(session, principal).view(position)
    set_etag(response, position.version)
    return _position_out(view)


@positions.patch(
    "/{position_id}",
    operation_id="positions-update",
    summary="Change a position; `required_competencies` replaces the list when given",
)
async def update_position(
    principal: OrgWriter,
    position: VisiblePosition,
    body: PositionUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PositionOut:
    check_if_match(if_match, position.version)
    view = await PositionService(session, principal).update(position, body)
    set_etag(response, view.position.version)
    return _position_out(view)


# --- competencies ----------------------------------------------------------------------


def _competency_out(competency: Competency) -> CompetencyOut:
    return CompetencyOut.model_validate(competency)


@competencies.get(
    "",
    operation_id="competencies-list",
    summary="The national dictionary and the caller's agencies' technical competencies",
)
async def list_competencies(
    principal: OrgReader,
    session: DbSession,
    page: PageParams,
    kind: CompetencyKind | None = None,
    agency: Annotated[
        str | None,
        Query(
            pattern=AGENCY_CODE_PATTERN,
            max_length=32,
            description="The national dictionary plus this agency's technical competencies.",
        ),
    ] = None,
    national_only: Annotated[QueryFlag, Query(description="Only M.* and SK.*.")] = False,
) -> Page[CompetencyOut]:
    filters = CompetencyFilters(
        kind=kind.value if kind else None, agency=agency, national_only=national_only
    )
    items, next_cursor = await CompetencyService(session, principal).list_page(filters, page)
    return Page(items=[_competency_out(c) for c in items], next_cursor=next_cursor)


@competencies.post(
    "",
    operation_id="competencies-create",
    status_code=status.HTTP_201_CREATED,
    summary="Add a technical competency (T.n) to an agency's dictionary",
)
async def create_competency(
    principal: OrgWriter, body: CompetencyCreate, session: DbSession, response: Response
) -> CompetencyOut:
    competency = await CompetencyService(session, principal).create(body)
    response.headers["Location"] = (
        f"/api/v1/agencies/{competency.agency_code}/competencies/{competency.code}"
    )
    return _competency_out(competency)


@agencies.get(
    "/{code}/competencies/{competency_code}",
    operation_id="agencies-get-competency",
    summary="One competency as it applies to an agency (national or its technical one)",
)
async def get_competency(principal: OrgReader, competency: VisibleCompetency) -> CompetencyOut:
    return _competency_out(competency)


# --- reference -------------------------------------------------------------------------


@reference.get(
    "/ranks",
    operation_id="reference-ranks",
    summary="Ranks (PNS pangkat/golongan, PPPK golongan), ordered by scale then ordinal",
)
async def list_ranks(
    principal: OrgReader, session: DbSession, scale: RankScale | None = None
) -> Page[RankOut]:
    ranks = await ReferenceService(session).ranks(scale.value if scale else None)
    return Page(items=[RankOut.model_validate(r) for r in ranks])


@reference.get(
    "/education-levels",
    operation_id="reference-education-levels",
    summary="Education levels, SD to S3, in order",
)
async def list_education_levels(
    principal: OrgReader, session: DbSession
) -> Page[EducationLevelOut]:
    levels = await ReferenceService(session).education_levels()
    return Page(items=[EducationLevelOut.model_validate(e) for e in levels])


router = APIRouter()
for _part in (agencies, units, positions, competencies, reference):
    router.include_router(_part)
