"""``/employees/{nip}/…`` histories: education, assignments, competency assessments,
trainings, SKP ratings, career interests and sanctions.

Who may do what (the role check is here, the finer self-service checks in the services):
- read: admin, HR of the employee's agency, integration (``employees:read``), the
  supervisor for their reporting line, the employee for themselves (sanctions included);
- write: admin, HR and integration (``employees:write``) everything; a supervisor SKP
  ratings and assessments with source ``supervisor`` for their reporting line; an employee
  (or a supervisor on their own profile) their own interests and ``self`` assessments.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Generic, Literal, Protocol, TypeVar

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.convertors import Convertor, register_url_convertor

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams, PageRequest
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.profiles.histories.dependencies import entry_in_path
from asn_career.profiles.histories.schemas import (
    AssignmentCreate,
    AssignmentOut,
    AssignmentUpdate,
    CompetencyAssessmentCreate,
    CompetencyAssessmentOut,
    CompetencyAssessmentUpdate,
    CurrentCompetencies,
    EducationCreate,
    EducationOut,
    EducationUpdate,
    InterestCreate,
    InterestOut,
    InterestUpdate,
    PerformanceCreate,
    PerformanceOut,
    PerformanceUpdate,
    SanctionCreate,
    SanctionOut,
    SanctionUpdate,
    TrainingCreate,
    TrainingOut,
    TrainingUpdate,
)
from asn_career.profiles.histories.service import (
    AssignmentService,
    CompetencyAssessmentService,
    EducationService,
    InterestService,
    PerformanceService,
    SanctionService,
    TrainingService,
)
from asn_career.profiles.models import Employee

router = APIRouter(prefix="/employees/{nip}", tags=["histories"])

Authorizer = Callable[[Request], Awaitable[Principal]]

_HR = (Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION)
_read = authorize(*_HR, Role.SUPERVISOR, Role.EMPLOYEE, scope="employees:read")
_hr_write = authorize(*_HR, scope="employees:write")
_rating_write = authorize(*_HR, Role.SUPERVISOR, scope="employees:write")
_self_service_write = authorize(*_HR, Role.SUPERVISOR, Role.EMPLOYEE, scope="employees:write")
Reader = Annotated[Principal, Depends(_read)]


class _Versioned(Protocol):
    """An entry (row or response) with the id and version its Location and ETag name."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def version(self) -> int: ...


RowT = TypeVar("RowT", bound=_Versioned)
CreateT = TypeVar("CreateT", bound=BaseModel)
UpdateT = TypeVar("UpdateT", bound=BaseModel)
OutT = TypeVar("OutT", bound=_Versioned)
_CreateT_contra = TypeVar("_CreateT_contra", bound=BaseModel, contravariant=True)
_UpdateT_contra = TypeVar("_UpdateT_contra", bound=BaseModel, contravariant=True)
EndpointT = TypeVar("EndpointT", bound=Callable[..., Awaitable[object]])


class HistoryService(Protocol[RowT, _CreateT_contra, _UpdateT_contra, OutT]):
    """What the standard routes call; the services keep every rule behind it."""

    async def get(self, employee: Employee, item_id: uuid.UUID) -> RowT: ...

    async def out(self, row: RowT) -> OutT: ...

    async def list_page(
        self, employee: Employee, page: PageRequest
    ) -> tuple[list[OutT], str | None]: ...

    async def create(self, employee: Employee, body: _CreateT_contra) -> OutT: ...

    async def update(self, employee: Employee, row: RowT, body: _UpdateT_contra) -> OutT: ...

    async def delete(self, employee: Employee, row: RowT) -> None: ...


@dataclass(frozen=True)
class HistoryResource(Generic[RowT, CreateT, UpdateT, OutT]):
    """One history under ``/employees/{nip}``, as its five standard routes need it."""

    path: str
    """The collection's path segment: ``/employees/{nip}/{path}``."""
    id_param: str
    """The name of the entry's path parameter: ``/{path}/{id_param}``."""
    service: Callable[[AsyncSession, Principal], HistoryService[RowT, CreateT, UpdateT, OutT]]
    create: type[CreateT]
    update: type[UpdateT]
    out: type[OutT]
    read: Authorizer
    write: Authorizer
    one: str
    """Route names (and so operation ids): ``create_{one}``, ``get_{one}``, …"""
    many: str
    """… and ``list_{many}``."""
    noun: str
    """Summaries: ``One {noun}``, ``Add {article} {noun}``, ``List {nouns}, newest first``."""
    nouns: str
    article: Literal["a", "an"] = "a"


def _typed(endpoint: EndpointT, *, returns: object, body: object = None) -> EndpointT:
    """Put the resource's classes where the endpoint is annotated with type variables.

    FastAPI reads the request body and the response model from the annotations at run
    time, where a type variable means nothing; mypy checks the function against them.
    """
    endpoint.__annotations__["return"] = returns
    if body is not None:
        endpoint.__annotations__["body"] = body
    return endpoint


class _EntryId(Convertor[str]):
    """An entry's id segment: anything but a fixed sibling path (``current``), so that
    ``PATCH /competencies/current`` is a 405 on that path rather than a request for an
    entry named "current". Any other malformed id still reaches the route and is a 422
    on the resource's own parameter."""

    regex = "(?!current$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("entry_id", _EntryId())


def add_history_routes(
    router: APIRouter,
    resource: HistoryResource[RowT, CreateT, UpdateT, OutT],
    *,
    extra: Callable[[APIRouter], None] | None = None,
) -> None:
    """Add a history's list (newest first, keyset pages), create, get, change (If-Match)
    and remove routes.

    ``extra`` adds the resource's own routes between the collection and the entry routes,
    so that a fixed path such as ``/{path}/current`` matches before ``/{path}/{id_param}``.
    It adds them to ``router`` itself: an included router would be one more level matched
    on every request.
    """
    r = resource
    reader, writer = Depends(r.read), Depends(r.write)
    row_in_path = Depends(entry_in_path(r.service, r.id_param))

    async def list_entries(
        principal: Annotated[Principal, reader],
        employee: VisibleEmployee,
        session: DbSession,
        page: PageParams,
    ) -> "Page[OutT]":  # a string: pydantic cannot build Page of a protocol-bound variable
        items, next_cursor = await r.service(session, principal).list_page(employee, page)
        return Page(items=items, next_cursor=next_cursor)

    async def create_entry(
        principal: Annotated[Principal, writer],
        employee: VisibleEmployee,
        body: CreateT,
        session: DbSession,
        response: Response,
    ) -> OutT:
        out = await r.service(session, principal).create(employee, body)
        response.headers["Location"] = f"/api/v1/employees/{employee.nip}/{r.path}/{out.id}"
        set_etag(response, out.version)
        return out

    async def get_entry(
        principal: Annotated[Principal, reader],
        row: Annotated[RowT, row_in_path],
        session: DbSession,
        response: Response,
    ) -> OutT:
        out = await r.service(session, principal).out(row)
        set_etag(response, out.version)
        return out

    async def update_entry(
        principal: Annotated[Principal, writer],
        employee: VisibleEmployee,
        row: Annotated[RowT, row_in_path],
        body: UpdateT,
        session: DbSession,
        response: Response,
        if_match: IfMatch = None,
    ) -> OutT:
        check_if_match(if_match, row.version)
        out = await r.service(session, principal).update(employee, row, body)
        set_etag(response, out.version)
        return out

    async def delete_entry(
        principal: Annotated[Principal, writer],
        employee: VisibleEmployee,
        row: Annotated[RowT, row_in_path],
        session: DbSession,
        if_match: IfMatch = None,
    ) -> None:
        check_if_match(if_match, row.version)
        await r.service(session, principal).delete(employee, row)

    collection, entry = f"/{r.path}", f"/{r.path}/{{{r.id_param}:entry_id}}"
    router.add_api_route(
        collection,
        # Page[r.out], spelt as the call: mypy would read the subscript as a type.
        _typed(list_entries, returns=Page.__class_getitem__(r.out)),
        methods=["GET"],
        name=f"list_{r.many}",
        summary=f"List {r.nouns}, newest first",
    )
    router.add_api_route(
        collection,
        _typed(create_entry, returns=r.out, body=r.create),
        methods=["POST"],
        status_code=status.HTTP_201_CREATED,
        name=f"create_{r.one}",
        summary=f"Add {r.article} {r.noun}",
    )
    if extra is not None:
        extra(router)
    router.add_api_route(
        entry,
        _typed(get_entry, returns=r.out),
        methods=["GET"],
        name=f"get_{r.one}",
        summary=f"One {r.noun}",
    )
    router.add_api_route(
        entry,
        _typed(update_entry, returns=r.out, body=r.update),
        methods=["PATCH"],
        name=f"update_{r.one}",
        summary=f"Change {r.article} {r.noun}",
    )
    router.add_api_route(
        entry,
        delete_entry,
        methods=["DELETE"],
        status_code=status.HTTP_204_NO_CONTENT,
        name=f"delete_{r.one}",
        summary=f"Remove {r.article} {r.noun}",
    )


# --- the resources, in the order of the OpenAPI document ---

add_history_routes(
    router,
    HistoryResource(
        path="education",
        id_param="education_id",
        service=EducationService,
        create=EducationCreate,
        update=EducationUpdate,
        out=EducationOut,
        read=_read,
        write=_hr_write,
        one="education",
        many="education",
        noun="education record",
        nouns="education records",
        article="an",
    ),
)
add_history_routes(
    router,
    HistoryResource(
        path="assignments",
        id_param="assignment_id",
        service=AssignmentService,
        create=AssignmentCreate,
        update=AssignmentUpdate,
        out=AssignmentOut,
        read=_read,
        write=_hr_write,
        one="assignment",
        many="assignments",
        noun="position assignment",
        nouns="position assignments",
    ),
)


async def current_competencies(
    principal: Reader, employee: VisibleEmployee, session: DbSession
) -> CurrentCompetencies:
    return await CompetencyAssessmentService(session, principal).current(employee)


def _competency_extras(router: APIRouter) -> None:
    router.add_api_route(
        "/competencies/current",
        current_competencies,
        methods=["GET"],
        summary="Current competency levels: the latest of the most trusted source",
        description="Per competency, the latest assessment of the best source present, in "
        "the order assessment_center > feedback_360 > supervisor > self.",
    )


add_history_routes(
    router,
    HistoryResource(
        path="competencies",
        id_param="assessment_id",
        service=CompetencyAssessmentService,
        create=CompetencyAssessmentCreate,
        update=CompetencyAssessmentUpdate,
        out=CompetencyAssessmentOut,
        read=_read,
        write=_self_service_write,
        one="competency_assessment",
        many="competency_assessments",
        noun="competency assessment",
        nouns="competency assessments",
    ),
    extra=_competency_extras,
)
add_history_routes(
    router,
    HistoryResource(
        path="trainings",
        id_param="training_id",
        service=TrainingService,
        create=TrainingCreate,
        update=TrainingUpdate,
        out=TrainingOut,
        read=_read,
        write=_hr_write,
        one="training",
        many="trainings",
        noun="training",
        nouns="trainings",
    ),
)
add_history_routes(
    router,
    HistoryResource(
        path="performance",
        id_param="rating_id",
        service=PerformanceService,
        create=PerformanceCreate,
        update=PerformanceUpdate,
        out=PerformanceOut,
        read=_read,
        write=_rating_write,
        one="performance_rating",
        many="performance_ratings",
        noun="SKP rating",
        nouns="SKP ratings",
        article="an",
    ),
)
add_history_routes(
    router,
    HistoryResource(
        path="interests",
        id_param="interest_id",
        service=InterestService,
        create=InterestCreate,
        update=InterestUpdate,
        out=InterestOut,
        read=_read,
        write=_self_service_write,
        one="interest",
        many="interests",
        noun="career interest",
        nouns="career interests",
    ),
)
add_history_routes(
    router,
    HistoryResource(
        path="sanctions",
        id_param="sanction_id",
        service=SanctionService,
        create=SanctionCreate,
        update=SanctionUpdate,
        out=SanctionOut,
        read=_read,
        write=_hr_write,
        one="sanction",
        many="sanctions",
        noun="disciplinary sanction",
        nouns="disciplinary sanctions",
    ),
)
