"""The ``mentoring.match`` job: one large matching run solved (see
``service.solve_matching``), with progress per block of mentees scored; listed in
``asn_career.registry.JOB_KINDS`` under ``service.JOB_KIND``."""

from typing import Any

from asn_career.core.jobs.runner import JobContext
from asn_career.mentoring.matchings.service import solve_matching


async def solve_matching_job(context: JobContext) -> dict[str, Any]:
    return await solve_matching(context.sessionmaker, context.params, context.progress)
