"""The talent policy row of an agency."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.talent.models import TalentPolicy


class TalentPolicyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str, *, lock: bool = False) -> TalentPolicy | None:
        stmt = select(TalentPolicy).where(TalentPolicy.agency_code == code)
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    def add(self, row: TalentPolicy) -> None:
        self.session.add(row)
