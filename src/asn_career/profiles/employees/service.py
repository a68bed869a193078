from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.errors import NotFound
from asn_career.profiles.employees.repository import EmployeeRepository
from asn_career.profiles.models import Employee


class EmployeeService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = EmployeeRepository(session)

    async def get_visible(self, nip: str) -> Employee:
        """404 for an unknown NIP and for one the caller may not see alike, so that
        another agency's staff cannot be probed."""
        employee = await self.repository.get_visible(self.principal, nip)
        if employee is None:
            raise NotFound()
        return employee
