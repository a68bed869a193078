from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.profiles.models import Employee
from asn_career.profiles.scope import employee_visibility


class EmployeeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_visible(
        self, principal: Principal, nip: str, *, for_update: bool = False
    ) -> Employee | None:
        """The employee with this NIP, if the caller may see them."""
        stmt = select(Employee).where(Employee.nip == nip, employee_visibility(principal))
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).one_or_none()
