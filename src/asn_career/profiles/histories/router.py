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
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.profiles.histories.dependencies import (
    AssessmentInPath,
    AssignmentInPath,
    EducationInPath,
    InterestInPath,
    RatingInPath,
    SanctionInPath,
    TrainingInPath,
)
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

_HR = (Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION)
Reader = Annotated[
    Principal,
    Depends(authorize(*_HR, Role.SUPERVISOR, Role.EMPLOYEE, scope="employees:read")),
]
HrWriter = Annotated[Principal, Depends(authorize(*_HR, scope="employees:write"))]
RatingWriter = Annotated[
    Principal, Depends(authorize(*_HR, Role.SUPERVISOR, scope="employees:write"))
]
AssessmentWriter = Annotated[
    Principal,
    Depends(authorize(*_HR, Role.SUPERVISOR, Role.EMPLOYEE, scope="employees:write")),
]
InterestWriter = AssessmentWriter


def _created(
    response: Response, employee: Employee, path: str, item_id: uuid.UUID, version: int
) -> None:
    response.headers["Location"] = f"/api/v1/employees/{employee.nip}/{path}/{item_id}"
    set_etag(response, version)


# --- /education ---


@router.get("/education", summary="List education records, newest first")
async def list_education(
    principal: Reader, employee: VisibleEmployee, session: DbSession, page: PageParams
) -> Page[EducationOut]:
    items, next_cursor = await EducationService(session, principal).list_page(employee, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post("/education", status_code=status.HTTP_201_CREATED, summary="Add a education record")
async def create_education(
    principal: HrWriter,
    employee: VisibleEmployee,
    body: EducationCreate,
    session: DbSession,
    response: Response,
) -> EducationOut:
    out = await EducationService(session, principal).create(employee, body)
    _created(response, employee, "education", out.id, out.version)
    return out


@router.get("/education/{education_id}", summary="One education record")
async def get_education(
    principal: Reader, row: EducationInPath, session: DbSession, response: Response
) -> EducationOut:
    out = await EducationService(session, principal).out(row)
    set_etag(response, out.version)
    return out


@router.patch("/education/{education_id}", summary="Change a education record")
async def update_education(
    principal: HrWriter,
    employee: VisibleEmployee,
    row: EducationInPath,
    body: EducationUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> EducationOut:
    check_if_match(if_match, row.version)
    out = await EducationService(session, principal).update(employee, row, body)
    set_etag(response, out.version)
    return out


@router.delete(
    "/education/{education_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a education record",
)
async def delete_education(
    principal: HrWriter,
    employee: VisibleEmployee,
    row: EducationInPath,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, row.version)
    await EducationService(session, principal).delete(employee, row)


# --- /assignments ---


@router.get("/assignments", summary="List position assignments, newest first")
async def list_assignments(
    principal: Reader, employee: VisibleEmployee, session: DbSession, page: PageParams
) -> Page[AssignmentOut]:
    items, next_cursor = await AssignmentService(session, principal).list_page(employee, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/assignments", status_code=status.HTTP_201_CREATED, summary="Add a position assignment"
)
async def create_assignment(
    principal: HrWriter,
    employee: VisibleEmployee,
    body: AssignmentCreate,
    session: DbSession,
    response: Response,
) -> AssignmentOut:
    out = await AssignmentService(session, principal).create(employee, body)
    _created(response, employee, "assignments", out.id, out.version)
    return out


@router.get("/assignments/{assignment_id}", summary="One position assignment")
async def get_assignment(
    principal: Reader, row: AssignmentInPath, session: DbSession, response: Response
) -> AssignmentOut:
    out = await AssignmentService(session, principal).out(row)
    set_etag(response, out.version)
    return out


@router.patch("/assignments/{assignment_id}", summary="Change a position assignment")
async def update_assignment(
    principal: HrWriter,
    employee: VisibleEmployee,
    row: AssignmentInPath,
    body: AssignmentUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AssignmentOut:
    check_if_match(if_match, row.version)
    out = await AssignmentService(session, principal).update(employee, row, body)
    set_etag(response, out.version)
    return out


@router.delete(
    "/assignments/{assignment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a position assignment",
)
async def delete_assignment(
    principal: HrWriter,
    employee: VisibleEmployee,
    row: AssignmentInPath,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, row.version)
    await AssignmentService(session, principal).delete(employee, row)


# --- /competencies ---


@router.get("/competencies", summary="List competency assessments, newest first")
async def list_competency_assessments(
    principal: Reader, employee: VisibleEmployee, session: DbSession, page: PageParams
) -> Page[CompetencyAssessmentOut]:
    items, next_cursor = await CompetencyAssessmentService(session, principal).list_page(
        employee, page
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/competencies", status_code=status.HTTP_201_CREATED, summary="Add a competency assessment"
)
async def create_competency_assessment(
    principal: AssessmentWriter,
    employee: VisibleEmployee,
    body: CompetencyAssessmentCreate,
    session: DbSession,
    response: Response,
) -> CompetencyAssessmentOut:
    out = await CompetencyAssessmentService(session, principal).create(employee, body)
    _created(response, employee, "competencies", out.id, out.version)
    return out


@router.get(
    "/competencies/current",
    summary="Current competency levels: the latest of the most trusted source",
    description="Per competency, the latest assessment of the best source present, in the "
    "order assessment_center > feedback_360 > supervisor > self.",
)
async def current_competencies(
    principal: Reader, employee: VisibleEmployee, session: DbSession
) -> CurrentCompetencies:
    return await CompetencyAssessmentService(session, principal).current(employee)


@router.get("/competencies/{assessment_id}", summary="One competency assessment")
async def get_competency_assessment(
    principal: Reader, row: AssessmentInPath, session: DbSession, response: Response
) -> CompetencyAssessmentOut:
    out = await CompetencyAssessmentService(session, principal).out(row)
    set_etag(response, out.version)
    return out


@router.patch("/competencies/{assessment_id}", summary="Change a competency assessment")
async def update_competency_assessment(
    principal: AssessmentWriter,
    employee: VisibleEmployee,
    row: AssessmentInPath,
    body: CompetencyAssessmentUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> CompetencyAssessmentOut:
    check_if_match(if_match, row.version)
    out = await CompetencyAssessmentService(session, principal).update(employee, row, body)
    set_etag(response, out.version)
    return out


@router.delete(
    "/competencies/{assessment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a competency assessment",
)
async def delete_competency_assessment(
    principal: AssessmentWriter,
    employee: VisibleEmployee,
    row: AssessmentInPath,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, row.version)
    await CompetencyAssessmentService(session, principal).delete(employee, row)


# --- /trainings ---


@router.get("/trainings", summary="List trainings, newest first")
async def list_trainings(
    principal: Reader, employee: VisibleEmployee, session: DbSession, page: PageParams
) -> Page[TrainingOut]:
    items, next_cursor = await TrainingService(session, principal).list_page(employee, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post("/trainings", status_code=status.HTTP_201_CREATED, summary="Add a training")
async def create_training(
    principal: HrWriter,
    employee: VisibleEmployee,
    body: TrainingCreate,
    session: DbSession,
    response: Response,
) -> TrainingOut:
    out = await TrainingService(session, principal).create(employee, body)
    _created(response, employee, "trainings", out.id, out.version)
    return out


@router.get("/trainings/{training_id}", summary="One training")
async def get_training(
    principal: Reader, row: TrainingInPath, session: DbSession, response: Response
) -> TrainingOut:
    out = await TrainingService(session, principal).out(row)
    set_etag(response, out.version)
    return out


@router.patch("/trainings/{training_id}", summary="Change a training")
async def update_training(
    principal: HrWriter,
    employee: VisibleEmployee,
    row: TrainingInPath,
    body: TrainingUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> TrainingOut:
    check_if_match(if_match, row.version)
    out = await TrainingService(session, principal).update(employee, row, body)
    set_etag(response, out.version)
    return out


@router.delete(
    "/trainings/{training_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a training"
)
async def delete_training(
    principal: HrWriter,
    employee: VisibleEmployee,
    row: TrainingInPath,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, row.version)
    await TrainingService(session, principal).delete(employee, row)


# --- /performance ---


@router.get("/performance", summary="List SKP ratings, newest first")
async def list_performance_ratings(
    principal: Reader, employee: VisibleEmployee, session: DbSession, page: PageParams
) -> Page[PerformanceOut]:
    items, next_cursor = await PerformanceService(session, principal).list_page(employee, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post("/performance", status_code=status.HTTP_201_CREATED, summary="Add a SKP rating")
async def create_performance_rating(
    principal: RatingWriter,
    employee: VisibleEmployee,
    body: PerformanceCreate,
    session: DbSession,
    response: Response,
) -> PerformanceOut:
    out = await PerformanceService(session, principal).create(employee, body)
    _created(response, employee, "performance", out.id, out.version)
    return out


@router.get("/performance/{rating_id}", summary="One SKP rating")
async def get_performance_rating(
    principal: Reader, row: RatingInPath, session: DbSession, response: Response
) -> PerformanceOut:
    out = await PerformanceService(session, principal).out(row)
    set_etag(response, out.version)
    return out


@router.patch("/performance/{rating_id}", summary="Change a SKP rating")
async def update_performance_rating(
    principal: RatingWriter,
    employee: VisibleEmployee,
    row: RatingInPath,
    body: PerformanceUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PerformanceOut:
    check_if_match(if_match, row.version)
    out = await PerformanceService(session, principal).update(employee, row, body)
    set_etag(response, out.version)
    return out


@router.delete(
    "/performance/{rating_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a SKP rating",
)
async def delete_performance_rating(
    principal: RatingWriter,
    employee: VisibleEmployee,
    row: RatingInPath,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, row.version)
    await PerformanceService(session, principal).delete(employee, row)


# --- /interests ---


@router.get("/interests", summary="List career interests, newest first")
async def list_interests(
    principal: Reader, employee: VisibleEmployee, session: DbSession, page: PageParams
) -> Page[InterestOut]:
    items, next_cursor = await InterestService(session, principal).list_page(employee, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post("/interests", status_code=status.HTTP_201_CREATED, summary="Add a career interest")
async def create_interest(
    principal: InterestWriter,
    employee: VisibleEmployee,
    body: InterestCreate,
    session: DbSession,
    response: Response,
) -> InterestOut:
    out = await InterestService(session, principal).create(employee, body)
    _created(response, employee, "interests", out.id, out.version)
    return out


@router.get("/interests/{interest_id}", summary="One career interest")
async def get_interest(
    principal: Reader, row: InterestInPath, session: DbSession, response: Response
) -> InterestOut:
    out = await InterestService(session, principal).out(row)
    set_etag(response, out.version)
    return out


@router.patch("/interests/{interest_id}", summary="Change a career interest")
async def update_interest(
    principal: InterestWriter,
    employee: VisibleEmployee,
    row: InterestInPath,
    body: InterestUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> InterestOut:
    check_if_match(if_match, row.version)
    out = await InterestService(session, principal).update(employee, row, body)
    set_etag(response, out.version)
    return out


@router.delete(
    "/interests/{interest_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a career interest",
)
async def delete_interest(
    principal: InterestWriter,
    employee: VisibleEmployee,
    row: InterestInPath,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, row.version)
    await InterestService(session, principal).delete(employee, row)


# --- /sanctions ---


@router.get("/sanctions", summary="List disciplinary sanctions, newest first")
async def list_sanctions(
    principal: Reader, employee: VisibleEmployee, session: DbSession, page: PageParams
) -> Page[SanctionOut]:
    items, next_cursor = await SanctionService(session, principal).list_page(employee, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/sanctions", status_code=status.HTTP_201_CREATED, summary="Add a disciplinary sanction"
)
async def create_sanction(
    principal: HrWriter,
    employee: VisibleEmployee,
    body: SanctionCreate,
    session: DbSession,
    response: Response,
) -> SanctionOut:
    out = await SanctionService(session, principal).create(employee, body)
    _created(response, employee, "sanctions", out.id, out.version)
    return out


@router.get("/sanctions/{sanction_id}", summary="One disciplinary sanction")
async def get_sanction(
    principal: Reader, row: SanctionInPath, session: DbSession, response: Response
) -> SanctionOut:
    out = await SanctionService(session, principal).out(row)
    set_etag(response, out.version)
    return out


@router.patch("/sanctions/{sanction_id}", summary="Change a disciplinary sanction")
async def update_sanction(
    principal: HrWriter,
    employee: VisibleEmployee,
    row: SanctionInPath,
    body: SanctionUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> SanctionOut:
    check_if_match(if_match, row.version)
    out = await SanctionService(session, principal).update(employee, row, body)
    set_etag(response, out.version)
    return out


@router.delete(
    "/sanctions/{sanction_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a disciplinary sanction",
)
async def delete_sanction(
    principal: HrWriter,
    employee: VisibleEmployee,
    row: SanctionInPath,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, row.version)
    await SanctionService(session, principal).delete(employee, row)
