"""Background jobs on procrastinate (same Postgres), with progress in our ``jobs`` table.

Every job kind and its handler are listed in ``asn_career.registry.JOB_KINDS``, which the
app and the worker hand to ``JobQueue``: a queue submits and runs only the kinds it was
given. A handler does its work in its own transaction, so a failure or a killed worker
leaves nothing half done, and reports progress through ``JobContext.progress`` (committed
separately, so ``GET /jobs/{id}`` shows it while the work runs).
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import procrastinate
import structlog
from procrastinate import builtin_tasks
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.config import Settings, get_settings
from asn_career.core import i18n
from asn_career.core.db import create_engine, create_sessionmaker, libpq_url, unit_of_work
from asn_career.core.errors import AppError
from asn_career.core.idempotency import purge_expired
from asn_career.core.jobs.models import Job
from asn_career.core.observability import JOBS
from asn_career.core.outbox import OutboxDispatcher, purge_dispatched, run_dispatchers

_log = structlog.get_logger("asn_career.jobs")


@dataclass
class JobContext:
    job_id: uuid.UUID
    params: dict[str, Any]
    sessionmaker: async_sessionmaker[AsyncSession]

    async def progress(self, done: int, total: int | None = None) -> None:
        """Publish progress at once, outside the handler's own transaction."""
        values: dict[str, Any] = {"progress_done": done}
        if total is not None:
            values["progress_total"] = total
        async with unit_of_work(self.sessionmaker) as session:
            await session.execute(update(Job).where(Job.id == self.job_id).values(**values))


JobHandler = Callable[[JobContext], Awaitable[dict[str, Any]]]


class _Runtime:
    """The process's database handle for job execution, set by whoever runs workers."""

    sessionmaker: async_sessionmaker[AsyncSession] | None = None


runtime = _Runtime()


async def _set_status(
    sessionmaker: async_sessionmaker[AsyncSession], job_id: uuid.UUID, **values: Any
) -> None:
    async with unit_of_work(sessionmaker) as session:
        await session.execute(update(Job).where(Job.id == job_id).values(**values))


def _failure_message(exc: Exception) -> dict[str, str]:
    """Why a job failed, in English (``message``) and Indonesian (``message_id``; see
    ``JobOut.of``). An ``AppError`` says it in both (or in English only: then the
    Indonesian quotes it); for an unexpected error the English stays the error's own words,
    and the Indonesian is a generic text that quotes them."""
    english = (exc.detail if isinstance(exc, AppError) and exc.detail else str(exc)) or (
        type(exc).__name__
    )
    if isinstance(exc, AppError) and exc.detail_id:
        indonesian = exc.detail_id
    elif isinstance(exc, AppError) and not exc.detail and exc.code in i18n.MESSAGES:
        indonesian = i18n.message(exc.code, "id")
    elif isinstance(exc, AppError):
        indonesian = f"Pekerjaan gagal ({english})"
    else:
        indonesian = f"Pekerjaan berhenti karena kesalahan tak terduga ({english})"
    return {"message": english, "message_id": indonesian}


async def execute_job(
    sessionmaker: async_sessionmaker[AsyncSession],
    job_id: uuid.UUID,
    job_kinds: Mapping[str, JobHandler],
) -> None:
    async with unit_of_work(sessionmaker) as session:
        job = await session.get(Job, job_id, with_for_update=True)
        if job is None:
            raise LookupError(f"job {job_id} not found (not committed yet?)")
        if job.status in ("succeeded", "failed"):
            return
        kind, params = job.kind, dict(job.params)
        job.status = "running"
        job.started_at = datetime.now(UTC)
    handler = job_kinds.get(kind)
    context = JobContext(job_id=job_id, params=params, sessionmaker=sessionmaker)
    try:
        if handler is None:
            raise AppError(
                f"no handler registered for job kind {kind!r}",
                detail_id=f"tidak ada penangan untuk jenis pekerjaan {kind!r}",
                code="job_unknown",
            )
        result = await handler(context)
    except Exception as exc:
        errors: list[dict[str, Any]] = [_failure_message(exc)]
        if isinstance(exc, AppError) and exc.errors:
            errors.extend(exc.errors)
        _log.warning("job_failed", job_id=str(job_id), kind=kind, error_class=type(exc).__name__)
        await _set_status(
            sessionmaker, job_id, status="failed", errors=errors, finished_at=datetime.now(UTC)
        )
        JOBS.labels(kind, "failed").inc()
        return
    await _set_status(
        sessionmaker, job_id, status="succeeded", result=result, finished_at=datetime.now(UTC)
    )
    JOBS.labels(kind, "succeeded").inc()


async def purge_idempotency_records(timestamp: int) -> int:
    """Stored idempotent responses expire after the configured hours (24 by default)."""
    assert runtime.sessionmaker is not None, "job runtime not configured"
    async with unit_of_work(runtime.sessionmaker) as session:
        return await purge_expired(session, get_settings().idempotency_ttl_hours)


async def purge_outbox(timestamp: int) -> int:
    """Dispatched events older than the retention (30 days by default), with their
    deliveries."""
    assert runtime.sessionmaker is not None, "job runtime not configured"
    retention = get_settings().outbox_retention_days
    return await purge_dispatched(runtime.sessionmaker, retention, datetime.now(UTC))


FINISHED_JOBS_KEPT_HOURS = 7 * 24


async def remove_finished_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
    """procrastinate's own rows of finished jobs (the per-minute dispatch alone adds 1,440
    a day) are kept a week; our ``jobs`` table, which users read, is not touched."""
    await builtin_tasks.remove_old_jobs(
        context,
        max_hours=FINISHED_JOBS_KEPT_HOURS,
        remove_failed=True,
        remove_cancelled=True,
        remove_aborted=True,
    )


RUN_JOB = "asn.run_job"


@dataclass(frozen=True)
class PeriodicTask:
    """Maintenance a domain runs on a schedule (``cron``, in UTC) over its own unit of
    work; returns how many rows it changed."""

    cron: str
    run: Callable[[async_sessionmaker[AsyncSession]], Awaitable[int]]


def build_procrastinate(
    url: str,
    job_kinds: Mapping[str, JobHandler],
    consumers: Mapping[str, OutboxDispatcher],
    periodic: Mapping[str, PeriodicTask],
) -> procrastinate.App:
    """A procrastinate app with our tasks; one per process (tests make one per app).

    ``job_kinds`` and ``consumers`` are read when a task runs, not copied here."""

    async def run_job(job_id: str) -> None:
        assert runtime.sessionmaker is not None, "job runtime not configured"
        await execute_job(runtime.sessionmaker, uuid.UUID(job_id), job_kinds)

    async def dispatch_outbox(timestamp: int) -> dict[str, int]:
        """Hand pending outbox events to their consumers (webhook delivery, …)."""
        assert runtime.sessionmaker is not None, "job runtime not configured"
        return await run_dispatchers(runtime.sessionmaker, consumers)

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=libpq_url(url)))
    app.task(name=RUN_JOB, retry=procrastinate.RetryStrategy(max_attempts=5, wait=1))(run_job)
    purge = app.task(name="asn.purge_idempotency")(purge_idempotency_records)
    app.periodic(cron="17 * * * *", periodic_id="purge_idempotency")(purge)
    sweep = app.task(name="asn.remove_finished_jobs", pass_context=True)(remove_finished_jobs)
    app.periodic(cron="41 3 * * *", periodic_id="remove_finished_jobs")(sweep)
    purge_events = app.task(name="asn.purge_outbox")(purge_outbox)
    app.periodic(cron="23 * * * *", periodic_id="purge_outbox")(purge_events)
    outbox = app.task(name="asn.dispatch_outbox")(dispatch_outbox)
    app.periodic(cron="* * * * *", periodic_id="dispatch_outbox")(outbox)
    for name, task in periodic.items():
        app.periodic(cron=task.cron, periodic_id=name)(app.task(name=name)(_periodic_runner(task)))
    return app


def _periodic_runner(task: PeriodicTask) -> Callable[[int], Awaitable[int]]:
    async def run(timestamp: int) -> int:
        assert runtime.sessionmaker is not None, "job runtime not configured"
        return await task.run(runtime.sessionmaker)

    return run


class JobQueue:
    """Defers jobs to procrastinate and runs them with the given handlers; opened lazily so
    a process that never enqueues never opens a psycopg pool.

    ``job_kinds`` is the queue's own copy of ``asn_career.registry.JOB_KINDS``: a test adds
    a kind of its own to one app's queue without touching the registry."""

    def __init__(
        self,
        url: str,
        *,
        job_kinds: Mapping[str, JobHandler],
        consumers: Mapping[str, OutboxDispatcher],
        periodic: Mapping[str, PeriodicTask] = MappingProxyType({}),
    ) -> None:
        self.job_kinds: dict[str, JobHandler] = dict(job_kinds)
        self.app = build_procrastinate(url, self.job_kinds, consumers, periodic)
        self._opened = False
        self._lock = asyncio.Lock()

    async def defer(self, job_id: uuid.UUID) -> None:
        async with self._lock:
            if not self._opened:
                await self.app.open_async()
                self._opened = True
        await self.app.configure_task(RUN_JOB).defer_async(job_id=str(job_id))

    async def run_worker(self, *, concurrency: int = 1, wait: bool = True) -> None:
        async with self._lock:
            if not self._opened:
                await self.app.open_async()
                self._opened = True
        await self.app.run_worker_async(
            concurrency=concurrency,
            wait=wait,
            install_signal_handlers=False,
            listen_notify=wait,
        )

    async def close(self) -> None:
        if self._opened:
            await self.app.close_async()
            self._opened = False


async def run_worker(
    settings: Settings,
    url: str,
    *,
    job_kinds: Mapping[str, JobHandler],
    consumers: Mapping[str, OutboxDispatcher],
    periodic: Mapping[str, PeriodicTask],
    concurrency: int = 2,
) -> None:
    """``asn-career worker``: run jobs until interrupted."""
    engine = create_engine(settings, url)
    runtime.sessionmaker = create_sessionmaker(engine)
    queue = JobQueue(url, job_kinds=job_kinds, consumers=consumers, periodic=periodic)
    try:
        await queue.run_worker(concurrency=concurrency)
    finally:
        await queue.close()
        await engine.dispose()
