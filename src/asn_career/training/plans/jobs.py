"""The ``training.plan`` job: one plan solved (see ``service.solve_plan``), with progress on
the job; listed in ``asn_career.registry.JOB_KINDS`` under ``service.JOB_KIND``."""

from typing import Any

from asn_career.core.jobs.runner import JobContext
from asn_career.training.plans.service import solve_plan


async def solve_plan_job(context: JobContext) -> dict[str, Any]:
    return await solve_plan(context.sessionmaker, context.params, context.progress)
