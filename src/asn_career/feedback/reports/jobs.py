"""The ``feedback.publish`` job: one cycle published (see ``service.publish_cycle``), with
progress on the job; listed in ``asn_career.registry.JOB_KINDS`` under
``service.PUBLISH_JOB_KIND``."""

from typing import Any

from asn_career.core.jobs.runner import JobContext
from asn_career.feedback.reports.service import publish_cycle


async def publish_cycle_job(context: JobContext) -> dict[str, Any]:
    return await publish_cycle(context.sessionmaker, context.params, context.progress)
