"""Background jobs: queued in the request's transaction, run by the worker, with progress."""

import uuid
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, text

from asn_career import registry
from asn_career.core.apikeys.models import ApiKey
from asn_career.core.auth import Principal, Role
from asn_career.core.db import libpq_url, unit_of_work
from asn_career.core.jobs.runner import (
    JobContext,
    build_procrastinate,
    remove_finished_jobs,
    runtime,
)
from asn_career.core.jobs.service import JobService
from tests.conftest import TokenFactory


async def count_to(context: JobContext) -> dict[str, Any]:
    total = int(context.params["to"])
    for done in range(1, total + 1):
        await context.progress(done, total)
    return {"counted": total}


async def half_then_fail(context: JobContext) -> dict[str, Any]:
    async with unit_of_work(context.sessionmaker) as session:
        await session.execute(
            text(
                "INSERT INTO api_keys (id, name, lookup, key_hash, created_by) "
                "VALUES (gen_random_uuid(), 'half', 'half', 'h', 'job')"
            )
        )
        await context.progress(1, 2)
        raise RuntimeError("row 2: NIP 1986 is not 18 digits")


@pytest.fixture(autouse=True)
def own_job_kinds(app: FastAPI) -> None:
    """This module's own job kinds, on this app's queue only (the registry is untouched)."""
    app.state.job_queue.job_kinds.update(
        {"test.count": count_to, "test.half_then_fail": half_then_fail}
    )


async def submit(app: FastAPI, kind: str, params: dict[str, Any], agency: str) -> uuid.UUID:
    principal = Principal(subject="hr@36.74", role=Role.HR_OFFICER, agencies=frozenset({agency}))
    async with unit_of_work(app.state.sessionmaker) as session:
        job = await JobService(session, principal).submit(app.state.job_queue, kind, params, agency)
        return job.id


async def run_pending(app: FastAPI) -> None:
    runtime.sessionmaker = app.state.sessionmaker
    await app.state.job_queue.run_worker(concurrency=1, wait=False)


async def test_job_runs_to_success_with_progress(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    job_id = await submit(app, "test.count", {"to": 3}, "36.74")
    hr = auth(Role.HR_OFFICER, "36.74")
    queued = (await client.get(f"/api/v1/jobs/{job_id}", headers=hr)).json()
    assert queued["status"] == "queued"

    await run_pending(app)

    done = (await client.get(f"/api/v1/jobs/{job_id}", headers=hr)).json()
    assert done["status"] == "succeeded"
    assert done["progress"] == {"done": 3, "total": 3}
    assert done["result"] == {"counted": 3}
    assert done["finished_at"] is not None


async def test_failed_job_leaves_nothing_half_done(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    job_id = await submit(app, "test.half_then_fail", {}, "36.74")
    await run_pending(app)
    body = (await client.get(f"/api/v1/jobs/{job_id}", headers=auth(Role.ADMIN))).json()
    assert body["status"] == "failed"
    assert "NIP 1986" in body["errors"][0]["message"]
    async with app.state.sessionmaker() as session:
        assert (await session.scalars(select(ApiKey))).all() == []


async def test_jobs_are_scoped_to_their_agency(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    job_id = await submit(app, "test.count", {"to": 1}, "36.74")
    for headers in (
        auth(Role.HR_OFFICER, "53.71"),
        auth(Role.EMPLOYEE, "36.74", sub="198609262015051001"),
    ):
        response = await client.get(f"/api/v1/jobs/{job_id}", headers=headers)
        assert response.status_code == 404


async def test_job_is_enqueued_only_after_commit(app: FastAPI) -> None:
    principal = Principal(subject="hr", role=Role.HR_OFFICER, agencies=frozenset({"36.74"}))
    with pytest.raises(RuntimeError):
        async with unit_of_work(app.state.sessionmaker) as session:
            await JobService(session, principal).submit(
                app.state.job_queue, "test.count", {"to": 1}, "36.74"
            )
            raise RuntimeError("the request failed after submitting")
    async with app.state.engine.connect() as conn:
        queued = (await conn.execute(text("SELECT count(*) FROM procrastinate_jobs"))).scalar()
        jobs = (await conn.execute(text("SELECT count(*) FROM jobs"))).scalar()
    assert (queued, jobs) == (0, 0)


async def test_the_queue_forgets_finished_work_after_a_week(database_url: str) -> None:
    """procrastinate's rows only: what is finished and a week old goes, the rest stays."""
    queue = build_procrastinate(
        database_url, registry.JOB_KINDS, registry.OUTBOX_CONSUMERS, registry.PERIODIC_TASKS
    )
    async with queue.open_async():
        purge = queue.tasks["asn.purge_idempotency"]
        ids = [await purge.defer_async(timestamp=n) for n in range(3)]
        old_done, recent_done, waiting = ids
        async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
            await conn.execute(
                "UPDATE procrastinate_jobs SET status = 'succeeded' WHERE id = ANY(%s)",
                [[old_done, recent_done]],
            )
            await conn.execute(
                "UPDATE procrastinate_events SET at = now() - interval '8 days' WHERE job_id = %s",
                [old_done],
            )
            await conn.commit()
            await remove_finished_jobs(SimpleNamespace(app=queue), timestamp=0)  # type: ignore[arg-type]
            rows = await conn.execute("SELECT id FROM procrastinate_jobs ORDER BY id")
            left = [row[0] for row in await rows.fetchall()]
    assert left == [recent_done, waiting]
    schedules = {
        entry.task.name: entry.cron for entry in queue.periodic_registry.periodic_tasks.values()
    }
    assert schedules["asn.remove_finished_jobs"] == "41 3 * * *"
    assert schedules["asn.purge_outbox"] == "23 * * * *"


async def test_a_kind_not_on_the_queue_is_refused(app: FastAPI) -> None:
    """A queue takes only the kinds it was given (``asn_career.registry.JOB_KINDS``)."""
    principal = Principal(subject="hr", role=Role.HR_OFFICER, agencies=frozenset({"36.74"}))
    with pytest.raises(ValueError, match=r"no handler for job kind 'test\.unlisted'"):
        async with unit_of_work(app.state.sessionmaker) as session:
            await JobService(session, principal).submit(
                app.state.job_queue, "test.unlisted", {}, "36.74"
            )
    assert "test.count" not in registry.JOB_KINDS  # the tests' kinds stay on their queue
