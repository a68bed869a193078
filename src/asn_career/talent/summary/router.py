"""``GET /employees/{nip}/career-summary``: whoever may see the employee's profile; the
talent, mentoring and feedback parts only for HR and the employee themself."""

from typing import Annotated

from fastapi import APIRouter, Depends

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.talent.summary.schemas import CareerSummary
from asn_career.talent.summary.service import CareerSummaryService

Reader = Annotated[
    Principal,
    Depends(
        authorize(
            Role.ADMIN,
            Role.HR_OFFICER,
            Role.SUPERVISOR,
            Role.EMPLOYEE,
            Role.INTEGRATION,
            scope="employees:read",
        )
    ),
]

router = APIRouter(prefix="/employees", tags=["employees"])


@router.get(
    "/{nip}/career-summary",
    operation_id="employees-career-summary",
    summary="Profile, position, competency gaps, training hours, 9-box, professionalism "
    "index, mentoring and open feedback tasks",
    description=(
        "One view for a frontend. Seen by whoever may see the employee (HR of the agency, "
        "the employee, a supervisor up the reporting line). The 9-box and the "
        "professionalism index (last year), the live mentoring matches and the employee's "
        "own open 360° rater tasks (counts and deadlines, never whom they rate) are given "
        "to HR and to the employee themself, and are null for anyone else."
    ),
    responses={404: PROBLEM_RESPONSES[404]},
)
async def career_summary(
    principal: Reader, employee: VisibleEmployee, session: DbSession
) -> CareerSummary:
    return await CareerSummaryService(session, principal).summary(employee)
