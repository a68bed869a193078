import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from asn_career.core import i18n
from asn_career.core.auth import ALL_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.jobs.schemas import JobOut
from asn_career.core.jobs.service import JobService

router = APIRouter(prefix="/jobs", tags=["jobs"])

JobReader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="jobs:read"))]


@router.get("/{job_id}", operation_id="jobs-get", summary="Status and progress of a job")
async def get_job(
    job_id: uuid.UUID, principal: JobReader, session: DbSession, request: Request
) -> JobOut:
    # A failed job's ``errors`` follow Accept-Language, as problem details do.
    lang = i18n.negotiate(request.headers.get("accept-language"))
    return JobOut.of(await JobService(session, principal).get(job_id), lang)
