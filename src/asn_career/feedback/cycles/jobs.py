"""The ``feedback.generate_raters`` job: rater proposals for a cycle too large to answer
within the request (``service.SYNC_GENERATION_LIMIT``); listed in
``asn_career.registry.JOB_KINDS`` under ``service.GENERATE_JOB_KIND``."""

import uuid
from typing import Any

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.jobs.runner import JobContext
from asn_career.feedback.cycles.schemas import GenerateRaters
from asn_career.feedback.cycles.service import CycleService, SubjectService


async def generate_raters_job(context: JobContext) -> dict[str, Any]:
    """The same work as the synchronous route, as the HR user who asked for it (their
    agency only), so the audit trail names them; the result is the route's answer."""
    params = context.params
    principal = Principal(
        subject=str(params["actor"]),
        role=Role(params["role"]),
        agencies=frozenset({str(params["agency"])}),
        scopes=frozenset({"feedback:write"}),
    )
    body = GenerateRaters(peers=params["peers"], subordinates=params["subordinates"])
    async with unit_of_work(context.sessionmaker) as session:
        cycle = await CycleService(session, principal).get_visible(uuid.UUID(params["cycle_id"]))
        out = await SubjectService(session, principal).generate_raters(
            cycle, body, progress=context.progress
        )
    return out.model_dump(mode="json")
