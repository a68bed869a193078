"""The policy row of an agency."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.rotations.models import RotationPolicy


class PolicyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str, *, lock: bool = False) -> RotationPolicy | None:
        stmt = select(RotationPolicy).where(RotationPolicy.agency_code == code)
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    def add(self, row: RotationPolicy) -> None:
        self.session.add(row)
