"""Objects of one agency, for the route-walking security test.

Each path parameter of the API maps to an object of agency ``AGENCY_A`` created through
the API (or a service). A new route with a new parameter name makes the walk fail until a
sample is added here, so no route escapes the agency-scope check.
"""

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.jobs.runner import JobContext
from asn_career.core.jobs.service import JobService
from tests.conftest import AGENCY_A
from tests.samples_feedback import build_feedback_samples
from tests.samples_feedback_answering import build_feedback_answering_samples
from tests.samples_feedback_documents import build_feedback_documents_samples
from tests.samples_feedback_reports import build_feedback_report_samples
from tests.samples_imports import build_import_samples
from tests.samples_mentoring import build_mentoring_samples
from tests.samples_org import build_org_samples
from tests.samples_profiles import build_profile_samples
from tests.samples_rotations import build_rotation_samples
from tests.samples_talent_evaluation import build_talent_evaluation_samples
from tests.samples_training_catalogue import build_training_catalogue_samples
from tests.samples_training_development_plans import build_training_development_plan_samples
from tests.samples_training_needs import build_training_needs_samples
from tests.samples_training_plans import build_training_plan_samples


async def _noop(context: JobContext) -> dict[str, Any]:
    return {}


async def build_samples(  # the domains add theirs in tests/samples_*.py
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> dict[str, str]:
    samples: dict[str, str] = {}
    key = await client.post(
        "/api/v1/api-keys",
        json={"name": "sample", "agencies": [AGENCY_A], "scopes": ["jobs:read"]},
        headers=admin,
    )
    samples["key_id"] = key.json()["id"]

    app.state.job_queue.job_kinds["samples.noop"] = _noop  # a kind of this app's queue only
    principal = Principal(subject="hr-a", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    async with unit_of_work(app.state.sessionmaker) as session:
        job = await JobService(session, principal).submit(
            app.state.job_queue, "samples.noop", {}, AGENCY_A
        )
    samples["job_id"] = str(job.id)
    samples.update(await build_org_samples(app, client, admin))
    samples.update(await build_profile_samples(app, client, admin, samples))
    samples.update(await build_import_samples(app, client, admin, samples))
    samples.update(await build_feedback_samples(app, client, admin, samples))
    samples.update(await build_feedback_documents_samples(app, samples))
    samples.update(await build_feedback_answering_samples(app, samples))
    samples.update(await build_feedback_report_samples(app, samples))
    samples.update(await build_training_needs_samples(app, samples))
    samples.update(await build_training_plan_samples(app))
    samples.update(await build_training_catalogue_samples(app, client, admin, samples))
    samples.update(await build_training_development_plan_samples(app, samples))
    samples.update(await build_rotation_samples(app))
    samples.update(await build_mentoring_samples(app, samples))
    samples.update(await build_talent_evaluation_samples(app))
    return samples
