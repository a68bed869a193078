import uuid

from sqlalchemy import false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import HR_ROLES, Principal
from asn_career.core.jobs.models import Job


class JobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, job: Job) -> None:
        self.session.add(job)

    async def get_visible(self, principal: Principal, job_id: uuid.UUID) -> Job | None:
        """A job is visible to its creator and to the HR staff of its agency."""
        stmt = select(Job).where(
            Job.id == job_id,
            or_(
                Job.created_by == principal.subject,
                principal.agency_clause(Job.agency_code) if principal.role in HR_ROLES else false(),
            ),
        )
        return (await self.session.scalars(stmt)).one_or_none()
