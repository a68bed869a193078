"""The ``siasn.sync`` job: an agency's employees from SIASN (see ``service.sync_agency``),
with the office's own credentials from the settings and progress on the job."""

from typing import Any

from asn_career.config import get_siasn_settings
from asn_career.core.errors import AppError
from asn_career.core.jobs.runner import JobContext
from asn_career.imports.siasn.client import SiasnClient
from asn_career.imports.siasn.service import sync_agency


class SiasnNotConfigured(AppError):
    status = 422
    code = "siasn_not_configured"


async def sync_agency_job(context: JobContext) -> dict[str, Any]:
    settings = get_siasn_settings()
    if missing := settings.missing():
        listed = ", ".join(missing)
        raise SiasnNotConfigured(
            f"SIASN is not configured: set {listed}.",
            detail_id=f"SIASN belum dikonfigurasi: isi {listed}.",
        )
    async with SiasnClient.from_settings(settings) as client:
        result = await sync_agency(
            context.sessionmaker,
            client,
            str(context.params["agency"]),
            [str(nip) for nip in context.params.get("nips") or ()],
            on_progress=context.progress,
        )
    return result.as_dict()
