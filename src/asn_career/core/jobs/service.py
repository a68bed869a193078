import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.db import after_commit
from asn_career.core.errors import NotFound
from asn_career.core.jobs.models import Job
from asn_career.core.jobs.repository import JobRepository
from asn_career.core.jobs.runner import JobQueue


class JobService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = JobRepository(session)

    async def submit(
        self, queue: JobQueue, kind: str, params: dict[str, Any], agency_code: str | None
    ) -> Job:
        """Record the job now; hand it to the worker once this transaction has committed,
        so a worker never sees a job whose inputs are not stored yet."""
        if kind not in queue.job_kinds:
            raise ValueError(f"no handler for job kind {kind!r} (asn_career.registry.JOB_KINDS)")
        job = Job(
            kind=kind,
            status="queued",
            agency_code=agency_code,
            created_by=self.principal.subject,
            params=params,
            progress_done=0,
        )
        self.repository.add(job)
        await self.session.flush()
        job_id = job.id

        async def enqueue() -> None:
            await queue.defer(job_id)

        after_commit(self.session, enqueue)
        return job

    async def get(self, job_id: uuid.UUID) -> Job:
        job = await self.repository.get_visible(self.principal, job_id)
        if job is None:
            raise NotFound(code="job_not_found")
        return job
