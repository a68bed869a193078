"""Look-ups of one history entry by its path parameter, within the visible employee.

They run as dependencies (before the body is validated), so an entry of someone the
caller may not see, or of another employee, is a 404 whatever the body holds.
"""

import uuid
from typing import Annotated

from fastapi import Depends

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.profiles.histories.service import (
    AssignmentService,
    CompetencyAssessmentService,
    EducationService,
    InterestService,
    PerformanceService,
    SanctionService,
    TrainingService,
)
from asn_career.profiles.models import (
    Assignment,
    CareerInterest,
    CompetencyAssessment,
    Education,
    Performance,
    Sanction,
    Training,
)


async def _education_in_path(
    education_id: uuid.UUID,
    employee: VisibleEmployee,
    principal: CurrentPrincipal,
    session: DbSession,
) -> Education:
    return await EducationService(session, principal).get(employee, education_id)


EducationInPath = Annotated[Education, Depends(_education_in_path)]


async def _assignment_in_path(
    assignment_id: uuid.UUID,
    employee: VisibleEmployee,
    principal: CurrentPrincipal,
    session: DbSession,
) -> Assignment:
    return await AssignmentService(session, principal).get(employee, assignment_id)


AssignmentInPath = Annotated[Assignment, Depends(_assignment_in_path)]


async def _competency_assessment_in_path(
    assessment_id: uuid.UUID,
    employee: VisibleEmployee,
    principal: CurrentPrincipal,
    session: DbSession,
) -> CompetencyAssessment:
    return await CompetencyAssessmentService(session, principal).get(employee, assessment_id)


AssessmentInPath = Annotated[CompetencyAssessment, Depends(_competency_assessment_in_path)]


async def _training_in_path(
    training_id: uuid.UUID,
    employee: VisibleEmployee,
    principal: CurrentPrincipal,
    session: DbSession,
) -> Training:
    return await TrainingService(session, principal).get(employee, training_id)


TrainingInPath = Annotated[Training, Depends(_training_in_path)]


async def _performance_rating_in_path(
    rating_id: uuid.UUID, employee: VisibleEmployee, principal: CurrentPrincipal, session: DbSession
) -> Performance:
    return await PerformanceService(session, principal).get(employee, rating_id)


RatingInPath = Annotated[Performance, Depends(_performance_rating_in_path)]


async def _interest_in_path(
    interest_id: uuid.UUID,
    employee: VisibleEmployee,
    principal: CurrentPrincipal,
    session: DbSession,
) -> CareerInterest:
    return await InterestService(session, principal).get(employee, interest_id)


InterestInPath = Annotated[CareerInterest, Depends(_interest_in_path)]


async def _sanction_in_path(
    sanction_id: uuid.UUID,
    employee: VisibleEmployee,
    principal: CurrentPrincipal,
    session: DbSession,
) -> Sanction:
    return await SanctionService(session, principal).get(employee, sanction_id)


SanctionInPath = Annotated[Sanction, Depends(_sanction_in_path)]
