"""Background work of the histories: the switch of current positions as dates pass."""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.profiles.histories import rules
from asn_career.profiles.histories.service import AssignmentService

SWITCH_ACTOR = Principal(subject="system:current-positions", role=Role.ADMIN)
"""Who the audit trail names for a position that changed because a date passed."""


async def switch_current_positions(
    sessionmaker: async_sessionmaker[AsyncSession], today: date | None = None
) -> int:
    """An assignment dated ahead becomes the employee's position on its start date, and
    one that ends stops being it: run hourly (``asn_career.registry.PERIODIC_TASKS``)."""
    async with unit_of_work(sessionmaker) as session:
        service = AssignmentService(session, SWITCH_ACTOR)
        return await service.switch_current_positions(today or rules.today_in_indonesia())
