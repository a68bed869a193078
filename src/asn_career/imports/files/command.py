"""``asn-career import``: the same service code as ``POST /imports``, run in this process
with a progress bar, on a local file read in place."""

import asyncio
import json
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from asn_career.config import Settings
from asn_career.core import i18n
from asn_career.core.auth import Principal, Role
from asn_career.core.db import create_engine, create_sessionmaker, unit_of_work
from asn_career.core.errors import AppError
from asn_career.imports.files.schemas import ImportOptions
from asn_career.imports.files.service import ImportFailed, ImportResult, ImportService, run_import

CLI_PRINCIPAL = Principal(subject="cli", role=Role.ADMIN)
SHOWN_ERRORS = 20


def parse_options(**values: Any) -> ImportOptions:
    """The command's options as the API's; ``ValueError`` naming what is wrong."""
    try:
        return ImportOptions.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"--{'-'.join(str(p) for p in e['loc']).replace('_', '-')}: {e['msg']}"
            for e in exc.errors()
        )
        raise ValueError(problems) from exc


def _errors_table(
    rows: Sequence[tuple[int | None, str | None, str | None, str, str | None]],
) -> Table:
    table = Table("row", "column", "value", "message", title="first errors")
    for row, column, value, message, _ in rows[:SHOWN_ERRORS]:
        table.add_row(str(row or ""), column or "", value or "", message)
    return table


async def _run(
    console: Console, settings: Settings, url: str, path: Path, options: ImportOptions
) -> int:
    engine = create_engine(settings, url)
    sessionmaker = create_sessionmaker(engine)
    try:
        try:
            async with unit_of_work(sessionmaker) as session:
                run = await ImportService(session, CLI_PRINCIPAL).prepare_local(path, options)
        except AppError as exc:
            console.print(f"[bold red]error:[/] {exc.detail or i18n.message(exc.code, 'en')}")
            return 2
        columns = ", ".join(run.columns)
        console.print(f"import {run.id}: {run.file_format} ({run.encoding or 'binary'}); {columns}")
        if run.unknown_columns:
            console.print(f"[yellow]unknown columns (not imported):[/] {run.unknown_columns}")
        if run.ignored_columns:
            console.print(f"[dim]SIASN columns not used for {run.kind}: {run.ignored_columns}[/]")
        result: ImportResult | None = None
        failure: ImportFailed | None = None
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task(f"{options.kind.value}", total=run.rows_total)

            def progress(done: int, total: int | None, errors: int) -> None:
                label = f"{options.kind.value} ({errors} errors)" if errors else options.kind.value
                bar.update(task, completed=done, total=total, description=label)

            try:
                result = await run_import(sessionmaker, run.id, on_progress=progress)
            except ImportFailed as exc:
                failure = exc
        return _report(console, run.id, result, failure)
    finally:
        await engine.dispose()


def _report(
    console: Console,
    import_id: uuid.UUID,
    result: ImportResult | None,
    failure: ImportFailed | None,
) -> int:
    if result is None:
        assert failure is not None
        console.print(f"[bold red]import failed:[/] {failure.detail}")
        rows = [
            (e.get("row"), e.get("column"), e.get("value"), str(e.get("message")), None)
            for e in failure.errors or []
        ]
        if rows:
            console.print(_errors_table(rows))
        print(json.dumps({"import_id": str(import_id), "status": "failed",
                          "failure": failure.detail}))  # fmt: skip
        return 1
    summary = result.as_dict()
    verb = "would be (dry run)" if result.dry_run else "were"
    console.print(
        f"[green]done:[/] {result.rows} rows; {result.counts.inserted} inserted, "
        f"{result.counts.updated} updated, {result.counts.unchanged} unchanged {verb}; "
        f"{result.invalid_rows} rows refused ({result.errors} errors)"
    )
    if result.first_errors:
        console.print(_errors_table(result.first_errors))
        console.print(f"all errors: GET /api/v1/imports/{import_id}/errors")
    print(json.dumps(summary))
    return 0


def run_command(
    console: Console, settings: Settings, url: str, path: Path, options: ImportOptions
) -> int:
    """Exit code: 0 imported (possibly with skipped rows), 1 nothing written, 2 refused."""
    return asyncio.run(_run(console, settings, url, path, options))
