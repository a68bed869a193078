"""The ``imports.run`` job: runs one recorded import (see ``service.run_import``)."""

import uuid
from typing import Any

from asn_career.core.jobs.runner import JobContext, job_handler
from asn_career.imports.files.service import JOB_KIND, run_import


@job_handler(JOB_KIND)
async def run_import_job(context: JobContext) -> dict[str, Any]:
    result = await run_import(context.sessionmaker, uuid.UUID(str(context.params["import_id"])))
    return result.as_dict()
