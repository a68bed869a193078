"""``asn-career siasn sync``: the agency sync of the ``siasn.sync`` job, run in this process
with a progress bar, or queued for the worker with ``--queue``."""

import asyncio
import json
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from asn_career.config import Settings, get_siasn_settings
from asn_career.core import i18n
from asn_career.core.auth import Principal, Role
from asn_career.core.db import create_engine, create_sessionmaker, unit_of_work
from asn_career.core.errors import AppError
from asn_career.core.jobs.runner import JobHandler, JobQueue
from asn_career.core.jobs.service import JobService
from asn_career.imports.siasn.client import SiasnClient, SiasnError
from asn_career.imports.siasn.service import SYNC_JOB_KIND, AgencySyncResult, sync_agency

CLI_PRINCIPAL = Principal(subject="cli", role=Role.ADMIN)
SHOWN = 20


async def _queue(
    console: Console,
    settings: Settings,
    url: str,
    agency: str,
    nips: Sequence[str],
    job_kinds: Mapping[str, JobHandler],
) -> int:
    engine = create_engine(settings, url)
    queue = JobQueue(url, job_kinds=job_kinds, consumers={})  # submits only
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            job = await JobService(session, CLI_PRINCIPAL).submit(
                queue, SYNC_JOB_KIND, {"agency": agency, "nips": list(nips)}, agency
            )
            job_id = job.id
    finally:
        await queue.close()
        await engine.dispose()
    console.print(f"queued job {job_id}; the worker runs it; progress: GET /api/v1/jobs/{job_id}")
    print(json.dumps({"job_id": str(job_id), "status": "queued"}))
    return 0


async def _run(
    console: Console, settings: Settings, url: str, agency: str, nips: Sequence[str]
) -> int:
    engine = create_engine(settings, url)
    try:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("employees"),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task(f"SIASN → {agency}", total=None)

            async def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            async with SiasnClient.from_settings(get_siasn_settings()) as client:
                result = await sync_agency(
                    create_sessionmaker(engine), client, agency, nips, on_progress=progress
                )
    except AppError as exc:
        console.print(f"[bold red]error:[/] {exc.detail or i18n.message(exc.code, 'en')}")
        return 2
    except SiasnError as exc:
        console.print(f"[bold red]SIASN refused:[/] {exc.message}")
        return 2
    finally:
        await engine.dispose()
    return _report(console, result)


def _report(console: Console, result: AgencySyncResult) -> int:
    summary = result.as_dict()
    added = ", ".join(f"{count} {name}" for name, count in result.added.items())
    console.print(
        f"[green]done:[/] {summary['synced']} of {result.total} employees synced "
        f"({result.created} created, {result.updated} updated, {result.unchanged} unchanged); "
        f"added {added}; {result.failed} failed; {result.problem_count} records not taken"
    )
    if result.failures:
        table = Table("NIP", "why", title="failed")
        for failure in result.failures[:SHOWN]:
            table.add_row(failure["nip"], failure["message"])
        console.print(table)
    if result.problems:
        table = Table("NIP", "source", "field", "message", title="records not taken")
        for problem in result.problems[:SHOWN]:
            table.add_row(problem["nip"], problem["source"], problem["field"], problem["message"])
        console.print(table)
    print(json.dumps(summary))
    return 1 if result.failed else 0


def run_command(
    console: Console,
    settings: Settings,
    url: str,
    agency: str,
    nips: Sequence[str],
    *,
    queue_to: Mapping[str, JobHandler] | None,
) -> int:
    """Exit code: 0 every employee synced (or the job queued), 1 some failed, 2 refused.
    With ``queue_to`` (the registry's job kinds) the job is queued for the worker, whose
    settings hold the SIASN account; without, it runs here with this process's."""
    if queue_to is not None:
        return asyncio.run(_queue(console, settings, url, agency, nips, queue_to))
    missing = get_siasn_settings().missing()
    if missing:
        console.print(f"[bold red]error:[/] SIASN is not configured: set {', '.join(missing)}")
        return 2
    return asyncio.run(_run(console, settings, url, agency, nips))
