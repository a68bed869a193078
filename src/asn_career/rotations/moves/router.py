"""``POST /employees/{nip}/moves``: HR (``hr_officer``, ``integration`` with
``rotations:write``) and admins move one employee in one call."""

from typing import Annotated

from fastapi import APIRouter, Depends, status

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.rotations.moves.schemas import MoveCreate, MoveOut
from asn_career.rotations.moves.service import MoveService

Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="rotations:write"))]

router = APIRouter(tags=["rotations"])


@router.post(
    "/employees/{nip}/moves",
    operation_id="rotations-move-employee",
    status_code=status.HTTP_201_CREATED,
    summary="Move an employee: close the current primary assignment and open the new one",
    description=(
        "One transaction: the open primary assignment ends the day before `effective_date` "
        "and a primary assignment of `position_id` starts on it, under the assignments' own "
        "rules, each audited with an `assignment.changed` event. Nothing is stored when a "
        "rule breaks: 409 `position_held` (someone holds the target), 409 "
        "`rotation_same_position`, 409 `assignment_overlap`, 422 `unknown_position` or "
        "`date_order` (the effective date is not after the current start)."
    ),
    responses={409: PROBLEM_RESPONSES[409]},
)
async def move_employee(
    principal: Writer, employee: VisibleEmployee, body: MoveCreate, session: DbSession
) -> MoveOut:
    return await MoveService(session, principal).create(employee, body)
