"""A move closes the open primary assignment the day before the effective date and opens
the new one, through the assignments service (its rules, audit and ``assignment.changed``
events), in the caller's transaction: a rule broken by either step rolls back both."""

import uuid
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.errors import Conflict, field_problem
from asn_career.profiles.histories.schemas import AssignmentCreate, AssignmentUpdate
from asn_career.profiles.histories.service import AssignmentService
from asn_career.profiles.models import Employee
from asn_career.rotations.moves.repository import MoveRepository
from asn_career.rotations.moves.schemas import MoveCreate, MoveOut


class MoveService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = MoveRepository(session)
        self.assignments = AssignmentService(session, principal)

    async def move(
        self,
        employee: Employee,
        position_id: uuid.UUID,
        effective_date: date,
        decree_number: str | None,
        decree_date: date | None,
    ) -> MoveOut:
        current = await self.repository.open_primary(employee.id)
        closed = None
        if current is not None:
            if current.position_id == position_id:
                raise Conflict(
                    "The employee already holds this position.",
                    detail_id="Pegawai sudah memangku jabatan ini.",
                    code="rotation_same_position",
                )
            if effective_date <= current.start_date:
                raise field_problem(
                    "effective_date",
                    f"effective_date must be after the current assignment's start "
                    f"({current.start_date}).",
                    f"TMT harus setelah TMT jabatan saat ini ({current.start_date}).",
                    "date_order",
                )
            closed = await self.assignments.update(
                employee, current, AssignmentUpdate(end_date=effective_date - timedelta(days=1))
            )
        opened = await self.assignments.create(
            employee,
            AssignmentCreate(
                position_id=position_id,
                start_date=effective_date,
                decree_number=decree_number,
                decree_date=decree_date,
                is_primary=True,
            ),
        )
        return MoveOut(nip=employee.nip, closed=closed, opened=opened)

    async def create(self, employee: Employee, body: MoveCreate) -> MoveOut:
        return await self.move(
            employee, body.position_id, body.effective_date, body.decree_number, body.decree_date
        )
