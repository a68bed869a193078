"""Imports: accept a file, check it up front, run it as a job (or from the CLI), report.

Uploaded files are stored on disk under ``settings.data_dir / "imports"`` rather than in
the database: a file can be hundreds of megabytes, and writing it into Postgres would
double the WAL and bloat the table for a file read once; the worker runs on the same
machine (the in-process worker, or ``asn-career worker`` with the same data directory),
so it reads the file by its absolute path. The file is removed when the run ends,
succeeded or failed; a killed worker leaves it for the retry. The CLI imports a local file
in place and never removes it.

``run_import`` is THE import, used by the job handler and by ``asn-career import`` alike:
rows are streamed from the file, validated with the API's schemas and rules in a worker
thread (batch by batch, so the event loop keeps serving), COPYed into a staging table and
loaded set-based in ONE transaction (``imports.loading``). Row errors and progress are
written in short transactions of their own, so they are visible while the import runs and
survive its rollback.
"""

import asyncio
import contextlib
import csv
import io
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.config import Settings
from asn_career.core.auth import Principal
from asn_career.core.db import commit_unit, unit_of_work
from asn_career.core.errors import AppError, NotFound, field_problem
from asn_career.core.formulas import neutralise
from asn_career.core.jobs.models import Job
from asn_career.core.jobs.runner import JobQueue
from asn_career.core.jobs.service import JobService
from asn_career.core.pagination import PageRequest
from asn_career.imports.files.formats import BadFile, FileInfo, Reader, inspect, open_reader
from asn_career.imports.files.kinds import KINDS, CellError, Kind, RowContext, RowInvalid
from asn_career.imports.files.loading import Counts, Loader
from asn_career.imports.files.mapping import (
    BadValue,
    HeaderMap,
    HeaderProblem,
    MappingName,
    convert,
    ndjson_lookup,
    resolve_header,
    row_values,
    shown_value,
)
from asn_career.imports.files.messages import cell_message_id, pick
from asn_career.imports.files.models import ImportRowError, ImportRun
from asn_career.imports.files.repository import ImportRepository
from asn_career.imports.files.schemas import ImportCounts, ImportErrorOut, ImportOptions, ImportOut
from asn_career.profiles.histories.rules import today_in_indonesia

_log = structlog.get_logger("asn_career.imports")

JOB_KIND = "imports.run"
BATCH_ROWS = 5_000
PROGRESS_EVERY_ROWS = 5_000
PROGRESS_EVERY_SECONDS = 1.0
MAX_STORED_ERRORS = 100_000
"""Errors beyond this are counted, not stored (a wrong file can have a million)."""
MAX_UNKNOWN_KEYS = 50

ErrorRow = tuple[int | None, str | None, str | None, str, str | None]
"""row, column, value, message (English), message in Indonesian (``None``: the English one)."""
ProgressCallback = Callable[[int, int | None, int], Awaitable[None] | None]


class ImportFailed(AppError):
    """The run ended without writing; the job is marked failed with this reason."""

    status = 422
    code = "import_failed"


def _bad_file(exc: BadFile) -> AppError:
    error = AppError(exc.message, detail_id=exc.message_id, code=exc.code)
    error.status = exc.status
    error.errors = [{"loc": ["body", "file"], "msg": exc.message, "type": exc.code}]
    return error


def storage_dir(settings: Settings) -> Path:
    path = (settings.data_dir / "imports").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store(source: BinaryIO, target: Path, limit: int) -> int:
    """Copy the upload to ``target`` in chunks; 413 past ``limit`` bytes."""
    size = 0
    with target.open("wb") as out:
        while chunk := source.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                raise BadFile(
                    413,
                    "body_too_large",
                    f"The file is larger than the import limit of {limit} bytes.",
                    f"Berkas melebihi batas impor {limit} byte.",
                )
            out.write(chunk)
    return size


class _NoSheets(ValueError):
    """``sheet`` was given for a file that has no sheets (CSV, NDJSON)."""

    def __init__(self, file_format: str) -> None:
        super().__init__(file_format)
        self.file_format = file_format


@dataclass
class _Prepared:
    info: FileInfo
    header_map: HeaderMap
    estimated_rows: int | None


def _prepare_file(path: Path, file_name: str, options: ImportOptions) -> _Prepared:
    """Format, encoding, header and required columns: everything that can be refused
    before the import is accepted (blocking I/O: run in a thread)."""
    info = inspect(path, file_name)
    if options.sheet is not None and info.format != "xlsx":
        raise _NoSheets(info.format)
    reader = open_reader(path, info, options.sheet)
    try:
        kind = KINDS[options.kind.value]
        header_map = resolve_header(kind.columns, options.mapping.value, reader.header)
        return _Prepared(info, header_map, reader.estimated_rows)
    finally:
        reader.close()


def import_out(run: ImportRun, lang: str = "en") -> ImportOut:
    return ImportOut(
        id=run.id,
        agency=run.agency_code,
        kind=run.kind,
        mapping=run.mapping,
        mode=run.mode,
        dry_run=run.dry_run,
        on_error=run.on_error,
        sheet=run.sheet,
        file_name=run.file_name,
        format=run.file_format,
        encoding=run.encoding,
        delimiter=run.delimiter,
        status=run.status,
        written=run.status == "succeeded" and not run.dry_run,
        job_id=run.job_id,
        counts=ImportCounts(
            rows_total=run.rows_total,
            rows_done=run.rows_done,
            inserted=run.inserted,
            updated=run.updated,
            unchanged=run.unchanged,
            errors=run.error_count,
            invalid_rows=run.invalid_rows,
        ),
        columns=list(run.columns),
        unknown_columns=list(run.unknown_columns),
        ignored_columns=list(run.ignored_columns),
        failure=None if run.failure is None else pick(run.failure, run.failure_id, lang),
        created_by=run.created_by,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        version=run.version,
    )


def error_out(error: ImportRowError, lang: str = "en") -> ImportErrorOut:
    return ImportErrorOut(
        row=error.row_number or None,
        column=error.column,
        value=error.value,
        message=pick(error.message, error.message_id, lang),
    )


class ImportService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ImportRepository(session)

    async def get_visible(self, import_id: uuid.UUID) -> ImportRun:
        run = await self.repository.get_visible(self.principal, import_id)
        if run is None:
            raise NotFound()
        return run

    async def list_page(
        self, agency: str | None, page: PageRequest
    ) -> tuple[list[ImportRun], str | None]:
        return await self.repository.list_page(self.principal, agency, page)

    async def errors_page(
        self, run: ImportRun, page: PageRequest
    ) -> tuple[list[ImportRowError], str | None]:
        return await self.repository.errors_page(run.id, page)

    async def _check_agency(self, agency: str) -> None:
        self.principal.require_agency(agency)
        if not await self.repository.agency_exists(agency):
            raise field_problem(
                "agency",
                f"unknown agency {agency!r}",
                f"instansi {agency!r} tidak dikenal",
                "agency",
                each=["unknown agency"],
                each_id=["instansi tidak dikenal"],
            )

    async def _new_run(
        self,
        run_id: uuid.UUID,
        path: Path,
        file_name: str,
        size: int,
        options: ImportOptions,
        *,
        keep_file: bool,
    ) -> ImportRun:
        try:
            prepared = await asyncio.to_thread(_prepare_file, path, file_name, options)
        except BadFile as exc:
            raise _bad_file(exc) from exc
        except HeaderProblem as exc:
            raise field_problem(
                "file", exc.message, exc.message_id, "columns", code="import_columns"
            ) from exc
        except _NoSheets as exc:
            shown = exc.file_format.upper()
            raise field_problem(
                "sheet",
                f"sheet applies to XLSX workbooks; this file is {shown}: leave sheet out.",
                f"sheet hanya untuk buku kerja XLSX; berkas ini {shown}: kosongkan sheet.",
            ) from exc
        header = prepared.header_map
        run = ImportRun(
            id=run_id,
            agency_code=options.agency,
            kind=options.kind.value,
            mapping=options.mapping.value,
            mode=options.mode.value,
            dry_run=options.dry_run,
            on_error=options.on_error.value,
            sheet=options.sheet,
            file_name=file_name[:255],
            file_format=prepared.info.format,
            file_size=size,
            encoding=prepared.info.encoding,
            delimiter=prepared.info.delimiter,
            stored_path=str(path),
            keep_file=keep_file,
            columns=[header.source[f] for f in header.fields if f is not None][:500],
            unknown_columns=[c[:200] for c in header.unknown[:500]],
            ignored_columns=[c[:200] for c in header.ignored[:500]],
            status="queued",
            created_by=self.principal.subject,
            created_by_role=self.principal.role.value,
            api_key_id=uuid.UUID(self.principal.api_key_id) if self.principal.api_key_id else None,
            rows_total=prepared.estimated_rows,
            rows_done=0,
            inserted=0,
            updated=0,
            unchanged=0,
            error_count=0,
            invalid_rows=0,
            version=1,
        )
        self.repository.add(run)
        await self.session.flush()
        return run

    async def submit(
        self,
        settings: Settings,
        queue: JobQueue,
        upload: BinaryIO,
        file_name: str,
        options: ImportOptions,
    ) -> ImportRun:
        """Store the upload, refuse what cannot be imported, record the run and its job
        (enqueued once this transaction commits)."""
        await self._check_agency(options.agency)
        run_id = uuid.uuid4()
        path = storage_dir(settings) / f"{run_id}.upload"
        try:
            try:
                size = await asyncio.to_thread(_store, upload, path, settings.import_max_bytes)
            except BadFile as exc:
                raise _bad_file(exc) from exc
            run = await self._new_run(run_id, path, file_name, size, options, keep_file=False)
            job = await JobService(self.session, self.principal).submit(
                queue, JOB_KIND, {"import_id": str(run.id)}, options.agency
            )
        except BaseException:
            await asyncio.to_thread(path.unlink, missing_ok=True)
            raise
        run.job_id = job.id
        await self.session.flush()
        return run

    async def prepare_local(self, path: Path, options: ImportOptions) -> ImportRun:
        """The CLI's import of a local file, read in place (never removed)."""
        await self._check_agency(options.agency)
        resolved = await asyncio.to_thread(path.resolve)
        size = (await asyncio.to_thread(resolved.stat)).st_size
        return await self._new_run(uuid.uuid4(), resolved, path.name, size, options, keep_file=True)


async def stream_errors_csv(
    sessionmaker: async_sessionmaker[AsyncSession],
    import_id: uuid.UUID,
    lang: str = "en",
    chunk: int = 2_000,
) -> AsyncIterator[bytes]:
    """The run's errors as CSV (UTF-8 with BOM, so spreadsheets read it; cells neutralised
    against formula injection, since they echo what the file held), messages in ``lang``,
    read in pages by a session of its own (the request's has closed by the time the body
    streams)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "column", "value", "message"])
    yield ("\ufeff" + buffer.getvalue()).encode()
    after = (-1, 0)
    while True:
        async with sessionmaker() as session:
            rows = await ImportRepository(session).errors_after(import_id, after, chunk)
        if not rows:
            return
        buffer.seek(0)
        buffer.truncate()
        for row in rows:
            writer.writerow(
                [
                    row.row_number or "",
                    neutralise(row.column or ""),
                    neutralise(row.value or ""),
                    neutralise(pick(row.message, row.message_id, lang)),
                ]
            )
        yield buffer.getvalue().encode()
        after = (rows[-1].row_number, rows[-1].id)


# --- the run ------------------------------------------------------------------------------


@dataclass
class _Batch:
    records: list[tuple[Any, ...]] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    invalid: int = 0
    last: bool = False
    done: int = 0  # rows read when the batch ended (the thread may have read on since)


class _RowPipeline:
    """Reads, converts and validates rows; ``next_batch`` runs in a worker thread."""

    def __init__(
        self, reader: Reader, kind: Kind, header_map: HeaderMap, run: ImportRun, today: date
    ) -> None:
        self.reader = reader
        self.kind = kind
        self.header_map = header_map
        self.mapping: MappingName = "siasn" if run.mapping == "siasn" else "native"
        self.siasn = self.mapping == "siasn"
        self.columns = kind.columns.by_name()
        self.lookup = ndjson_lookup(kind.columns, self.mapping)
        self.context = RowContext(agency=run.agency_code, today=today, siasn=self.siasn)
        self.rows: Iterator[Any] = reader.rows()
        self.done = 0
        self.unknown_keys: list[str] = []

    def header_name(self, name: str | None) -> str | None:
        if name is None:
            return None
        return self.header_map.source.get(name, name)

    def _row(self, number: int, values: Any, batch: _Batch) -> None:
        raw, extra = row_values(self.header_map, values, self.lookup)
        if extra:
            if "\x00line" in extra:
                batch.errors.append(
                    (
                        number,
                        None,
                        None,
                        "the line is not a JSON object",
                        "baris ini bukan objek JSON",
                    )
                )
                batch.invalid += 1
                return
            for key in extra:
                if key not in self.unknown_keys and len(self.unknown_keys) < MAX_UNKNOWN_KEYS:
                    self.unknown_keys.append(key)
        fields: dict[str, Any] = {}
        problems: list[CellError] = []
        for name, value in raw.items():
            try:
                fields[name] = convert(self.columns[name], value, siasn=self.siasn)
            except BadValue as exc:
                problems.append(CellError(name, value, exc.message, exc.message_id))
        if not problems:
            try:
                record = self.kind.validate(fields, self.context)
            except RowInvalid as exc:
                problems = exc.errors
            except (ValueError, TypeError, ArithmeticError) as exc:
                problems = [
                    CellError(
                        None, None, f"cannot read the row: {exc}", f"baris tidak terbaca: {exc}"
                    )
                ]
            else:
                batch.records.append((number, uuid.uuid4(), *record))
                return
        batch.invalid += 1
        for problem in problems:
            shown = raw.get(problem.field) if problem.field in raw else problem.value
            batch.errors.append(
                (
                    number,
                    self.header_name(problem.field),
                    shown_value(problem.field or "", shown),
                    problem.message,
                    cell_message_id(problem),
                )
            )

    def next_batch(self, size: int | None = None) -> _Batch:
        size = size or BATCH_ROWS
        batch = _Batch()
        for number, values in self.rows:
            self.done += 1
            self._row(number, values, batch)
            if len(batch.records) + batch.invalid >= size:
                batch.done = self.done
                return batch
        batch.last = True
        batch.done = self.done
        return batch


class _Progress:
    """Row errors and counters, written in short transactions beside the import's own;
    published every ``PROGRESS_EVERY_ROWS`` rows or ``PROGRESS_EVERY_SECONDS``."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        run: ImportRun,
        callback: ProgressCallback | None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.run_id = run.id
        self.job_id = run.job_id
        self.callback = callback
        self.total = run.rows_total
        self.pending: list[ErrorRow] = []
        self.stored = 0
        self.errors = 0
        self.invalid = 0
        self.done = 0
        self.published_rows = 0
        self.published_at = 0.0
        self.first_errors: list[ErrorRow] = []

    def add(self, errors: list[ErrorRow], invalid: int = 0) -> None:
        self.errors += len(errors)
        self.invalid += invalid
        if len(self.first_errors) < 20:
            self.first_errors.extend(errors[: 20 - len(self.first_errors)])
        room = MAX_STORED_ERRORS - self.stored - len(self.pending)
        if room > 0:
            self.pending.extend(errors[:room])

    async def maybe_publish(self, done: int) -> None:
        self.done = done
        now = asyncio.get_running_loop().time()
        if (
            done - self.published_rows >= PROGRESS_EVERY_ROWS
            or now - self.published_at >= PROGRESS_EVERY_SECONDS
            or len(self.pending) >= 1_000
        ):
            await self.publish()

    async def publish(self, **values: Any) -> None:
        self.published_rows = self.done
        self.published_at = asyncio.get_running_loop().time()
        pending, self.pending = self.pending, []
        async with unit_of_work(self.sessionmaker) as session:
            repository = ImportRepository(session)
            await repository.add_errors(self.run_id, pending)
            await repository.set_values(
                self.run_id,
                rows_done=self.done,
                rows_total=self.total,
                error_count=self.errors,
                invalid_rows=self.invalid,
                **values,
            )
            if self.job_id is not None:
                await session.execute(
                    update(Job)
                    .where(Job.id == self.job_id)
                    .values(progress_done=self.done, progress_total=self.total)
                )
        self.stored += len(pending)
        if self.callback is not None:
            result = self.callback(self.done, self.total, self.errors)
            if result is not None:
                await result


@dataclass
class ImportResult:
    import_id: uuid.UUID
    status: str
    dry_run: bool
    rows: int
    counts: Counts
    errors: int
    invalid_rows: int
    first_errors: list[ErrorRow]
    failure: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per phase of the run (read+validate+stage, checks, upsert, commit)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_id": str(self.import_id),
            "status": self.status,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "inserted": self.counts.inserted,
            "updated": self.counts.updated,
            "unchanged": self.counts.unchanged,
            "errors": self.errors,
            "invalid_rows": self.invalid_rows,
        }


class _Rejected(Exception):
    """Rows are invalid and ``on_error=abort``: roll back, write nothing."""


async def _start(sessionmaker: async_sessionmaker[AsyncSession], import_id: uuid.UUID) -> ImportRun:
    async with unit_of_work(sessionmaker) as session:
        repository = ImportRepository(session)
        run = await repository.get(import_id)
        if run is None:
            raise ImportFailed(f"import {import_id} not found")
        if run.status in ("succeeded", "failed"):
            raise ImportFailed(f"import {import_id} has already run ({run.status})")
        # A retry after a killed worker starts over: its transaction never committed.
        await repository.clear_errors(import_id)
        await repository.set_values(
            import_id,
            status="running",
            started_at=datetime.now(UTC),
            rows_done=0,
            error_count=0,
            invalid_rows=0,
            inserted=0,
            updated=0,
            unchanged=0,
            failure=None,
            failure_id=None,
        )
        return run


def _actor(run: ImportRun) -> dict[str, Any]:
    return {
        "actor": run.created_by,
        "role": run.created_by_role,
        "request_id": f"import:{run.id}",
        "api_key_id": run.api_key_id,
    }


async def _load(
    sessionmaker: async_sessionmaker[AsyncSession],
    run: ImportRun,
    pipeline: _RowPipeline,
    progress: _Progress,
    timings: dict[str, float],
) -> Counts:
    """The import's one transaction; rolled back on any error, on ``on_error=abort`` with
    invalid rows, and for a dry run."""
    kind = KINDS[run.kind]
    pending: asyncio.Task[_Batch] | None = None
    async with sessionmaker() as session:
        try:
            loader = Loader(
                session,
                kind,
                run.agency_code,
                pipeline.header_map.provided,
                insert_only=run.mode == "insert",
                siasn=pipeline.siasn,
            )
            await loader.begin()
            clock = time.perf_counter()
            pending = asyncio.create_task(asyncio.to_thread(pipeline.next_batch))
            while True:
                batch = await pending
                if not batch.last:
                    pending = asyncio.create_task(asyncio.to_thread(pipeline.next_batch))
                await loader.copy(batch.records)
                progress.add(batch.errors, batch.invalid)
                await progress.maybe_publish(batch.done)
                if batch.last:
                    break
            progress.total = pipeline.done
            await progress.publish()
            timings["read_validate_stage"] = time.perf_counter() - clock
            clock = time.perf_counter()
            invalid_in_db = await loader.check()
            if invalid_in_db:
                found: list[ErrorRow] = []
                async for row_no, name, value, message, message_id in loader.errors():
                    found.append((row_no, pipeline.header_name(name), value, message, message_id))
                    if len(found) >= 1_000:
                        progress.add(found)
                        found = []
                progress.add(found, invalid_in_db)
                await progress.publish()
            if progress.invalid and run.on_error == "abort" and not run.dry_run:
                raise _Rejected
            timings["database_checks"] = time.perf_counter() - clock
            clock = time.perf_counter()
            counts = await loader.apply(_actor(run))
            timings["upsert_and_audit"] = time.perf_counter() - clock
            clock = time.perf_counter()
            if run.dry_run:
                await session.rollback()
            else:
                await commit_unit(session)
            timings["commit"] = time.perf_counter() - clock
            return counts
        except BaseException:
            if pending is not None and not pending.done():
                with contextlib.suppress(BaseException):
                    await pending  # the reader is closed after this; let the thread finish
            with contextlib.suppress(Exception):
                await session.rollback()
            raise


async def run_import(
    sessionmaker: async_sessionmaker[AsyncSession],
    import_id: uuid.UUID,
    *,
    on_progress: ProgressCallback | None = None,
    today: date | None = None,
) -> ImportResult:
    """Run one recorded import to its end; ``ImportFailed`` when nothing was written."""
    run = await _start(sessionmaker, import_id)
    progress = _Progress(sessionmaker, run, on_progress)
    reader: Reader | None = None
    failure: str | None = None
    failure_id: str | None = None
    counts = Counts()
    extra_unknown: list[str] = []
    timings: dict[str, float] = {}
    try:
        if run.stored_path is None or not await asyncio.to_thread(Path(run.stored_path).exists):
            raise ImportFailed(
                "the uploaded file is no longer available; upload it again",
                detail_id="berkas yang diunggah sudah tidak tersedia; unggah ulang",
            )
        path = Path(run.stored_path)
        info = FileInfo(run.file_format, run.encoding, run.delimiter)  # type: ignore[arg-type]
        kind = KINDS[run.kind]
        reader = await asyncio.to_thread(open_reader, path, info, run.sheet)
        mapping: MappingName = "siasn" if run.mapping == "siasn" else "native"
        header_map = resolve_header(kind.columns, mapping, reader.header)
        pipeline = _RowPipeline(reader, kind, header_map, run, today or today_in_indonesia())
        counts = await _load(sessionmaker, run, pipeline, progress, timings)
        extra_unknown = [k for k in pipeline.unknown_keys if k not in run.unknown_columns]
    except _Rejected:
        failure = (
            f"{progress.invalid} of {progress.done} rows are invalid; nothing was written "
            "(on_error=abort). Fix them, or import with on_error=skip."
        )
        failure_id = (
            f"{progress.invalid} dari {progress.done} baris tidak valid; tidak ada yang "
            "disimpan (on_error=abort). Perbaiki, atau impor dengan on_error=skip."
        )
    except (BadFile, HeaderProblem) as exc:
        failure, failure_id = exc.message, exc.message_id
    except ImportFailed as exc:
        failure, failure_id = exc.detail or "import failed", exc.detail_id
    except Exception as exc:
        _log.exception("import_failed", import_id=str(import_id))
        reason = f"{type(exc).__name__}: {str(exc)[:300]}"
        failure = f"the import stopped ({reason}); nothing was written"
        failure_id = f"impor terhenti ({reason}); tidak ada yang disimpan"
    finally:
        if reader is not None:
            await asyncio.to_thread(reader.close)
        if not run.keep_file and run.stored_path:
            await asyncio.to_thread(Path(run.stored_path).unlink, missing_ok=True)
    finished = {
        "finished_at": datetime.now(UTC),
        "stored_path": None if not run.keep_file else run.stored_path,
    }
    if failure is not None:
        await progress.publish(status="failed", failure=failure, failure_id=failure_id, **finished)
        raise ImportFailed(
            failure,
            detail_id=failure_id,
            errors=[
                {"row": r, "column": c, "value": v, "message": m}
                for r, c, v, m, _ in progress.first_errors[:10]
            ],
        )
    values: dict[str, Any] = {
        "status": "succeeded",
        "inserted": counts.inserted,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        **finished,
    }
    if extra_unknown:
        values["unknown_columns"] = [*run.unknown_columns, *extra_unknown]
    await progress.publish(**values)
    return ImportResult(
        import_id=run.id,
        status="succeeded",
        dry_run=run.dry_run,
        rows=progress.done,
        counts=counts,
        errors=progress.errors,
        invalid_rows=progress.invalid,
        first_errors=progress.first_errors,
        timings=timings,
    )
