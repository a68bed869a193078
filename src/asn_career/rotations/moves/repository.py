"""The open primary assignment a move closes."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.profiles.models import Assignment


class MoveRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_primary(self, employee_id: uuid.UUID) -> Assignment | None:
        """The employee's open primary assignment (no end date), locked."""
        stmt = (
            select(Assignment)
            .where(
                Assignment.employee_id == employee_id,
                Assignment.is_primary.is_(True),
                Assignment.end_date.is_(None),
            )
            .order_by(Assignment.start_date.desc())
            .limit(1)
            .with_for_update()
        )
        return (await self.session.scalars(stmt)).first()
