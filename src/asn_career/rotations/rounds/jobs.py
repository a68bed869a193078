"""The ``rotations.round`` job: one large round solved (see ``service.solve_round``), with
progress on the job; listed in ``asn_career.registry.JOB_KINDS`` under ``service.JOB_KIND``."""

from typing import Any

from asn_career.core.jobs.runner import JobContext
from asn_career.rotations.rounds.service import solve_round


async def solve_round_job(context: JobContext) -> dict[str, Any]:
    return await solve_round(context.sessionmaker, context.params, context.progress)
