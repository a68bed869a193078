"""The ``imports.run`` job: runs one recorded import (see ``service.run_import``); listed
in ``asn_career.registry.JOB_KINDS`` under ``service.JOB_KIND``."""

import uuid
from typing import Any

from asn_career.core.jobs.runner import JobContext
from asn_career.imports.files.service import run_import


async def run_import_job(context: JobContext) -> dict[str, Any]:
    result = await run_import(context.sessionmaker, uuid.UUID(str(context.params["import_id"])))
    return result.as_dict()
