"""The orchestrator: runs the domain generators of ``DOMAINS`` for the seed agencies and
streams their rows into Postgres with ``COPY``, in one transaction."""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from asn_career.demo.base import REGIONS, Agency, Demo, DomainGenerator
from asn_career.demo.feedback import FeedbackGenerator
from asn_career.demo.mentoring import MentoringGenerator
from asn_career.demo.org import OrgGenerator
from asn_career.demo.profiles import ProfilesGenerator
from asn_career.demo.rotations import RotationsGenerator
from asn_career.demo.surveys import SurveysGenerator
from asn_career.demo.talent import TalentGenerator
from asn_career.demo.training import TrainingGenerator

if TYPE_CHECKING:
    from asn_career.config import Settings

DEFAULT_EMPLOYEES_PER_AGENCY = 300
DEFAULT_SEED = 1
FAST_LOAD_THRESHOLD = 10_000  # employees per agency from which the load runs in bulk mode

DOMAINS: tuple[Callable[[Demo], DomainGenerator], ...] = (
    OrgGenerator,
    ProfilesGenerator,
    FeedbackGenerator,
    TrainingGenerator,
    RotationsGenerator,
    MentoringGenerator,
    SurveysGenerator,
    TalentGenerator,
)
"""The domain generators, in dependency order: a generator may use what earlier ones left
on the agency (``Agency.get``), and its tables may refer to theirs."""


def generators(demo: Demo) -> list[DomainGenerator]:
    return [make(demo) for make in DOMAINS]


# --- COPY ------------------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    """One value in Postgres' COPY text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return str(value).translate(_ESCAPES)
        return str(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is date:
        return str(value.isoformat())
    if kind is list:
        return "{" + ",".join(str(item) for item in value) + "}"  # integer arrays only
    return str(value)


def copy_text(rows: Sequence[tuple[Any, ...]]) -> bytes:
    """Rows as a COPY ... (FORMAT text) payload."""
    lines = ["\t".join([_text(value) for value in row]) for row in rows]
    lines.append("")
    return "\n".join(lines).encode()


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


Payload = dict[str, tuple[int, bytes]]  # table → (rows, COPY text)


def _produce(
    domain_generators: Sequence[DomainGenerator], agencies: list[Agency], out: Any
) -> None:
    """Generate the batches of ``agencies`` and put their COPY payloads on ``out``: messages
    ``("chunk", Payload)``, ``("done", agency code)`` and ``("error", traceback)``.

    Runs in a thread for small loads and in worker processes for large ones; what it
    generates depends only on its arguments, so both give the same rows.
    """
    try:
        for agency in agencies:
            for generator in domain_generators:
                for batch in generator.batches(agency):
                    payload: Payload = {
                        table: (len(rows), copy_text(rows)) for table, rows in batch.items() if rows
                    }
                    out.put(("chunk", payload))
            out.put(("done", agency.region.code))
    except BaseException:  # reported to the loader, which raises it
        import traceback

        out.put(("error", traceback.format_exc()))


_DROPPABLE_INDEXES = """
SELECT i.indexname, i.indexdef
FROM pg_indexes AS i
WHERE i.schemaname = current_schema()
  AND i.tablename = ANY($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint AS c
    WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass
  )
ORDER BY i.tablename, i.indexname
"""


class DemoDataExists(RuntimeError):
    """The database already has agencies; demo data only goes into an empty one."""


@dataclass
class DemoSummary:
    rows: dict[str, int] = field(default_factory=dict)  # table → rows loaded
    seconds: float = 0.0

    @property
    def agencies(self) -> int:
        return self.rows.get("agencies", 0)

    @property
    def units(self) -> int:
        return self.rows.get("units", 0)

    @property
    def positions(self) -> int:
        return self.rows.get("positions", 0)

    @property
    def employees(self) -> int:
        return self.rows.get("employees", 0)

    def count(self, counts: Mapping[str, int]) -> None:
        for table, rows in counts.items():
            self.rows[table] = self.rows.get(table, 0) + rows


def _start_producers(
    domain_generators: list[DomainGenerator],
    agencies: list[Agency],
    workers: int,
) -> tuple[Any, list[Any]]:
    """Producers of COPY payloads: a thread, or ``workers`` processes (agencies dealt out)."""
    if workers <= 1:
        out: Any = queue.Queue(maxsize=4)
        thread = threading.Thread(
            target=_produce, args=(domain_generators, agencies, out), daemon=True
        )
        thread.start()
        return out, [thread]
    import multiprocessing

    # fork where there is one: nothing to re-import or pickle, and the child never runs the
    # parent's __main__ (nor its exit handlers); spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    out = context.Queue(maxsize=2 * workers)
    processes = []
    for worker in range(workers):
        share = agencies[worker::workers]
        if share:
            process = context.Process(
                target=_produce, args=(domain_generators, share, out), daemon=True
            )
            process.start()
            processes.append(process)
    return out, processes


def _stop_producers(producers: list[Any], out: Any) -> None:
    for producer in producers:
        if isinstance(producer, threading.Thread):
            # After a failure the thread may wait on a full queue: let it run to its end
            # (small loads only) rather than leave it blocked.
            while producer.is_alive():
                with contextlib.suppress(queue.Empty):
                    out.get_nowait()
                producer.join(0.05)
            continue
        if producer.is_alive():
            producer.terminate()
        producer.join(timeout=10)


async def seed_demo(
    settings: Settings | None,
    url: str,
    *,
    employees_per_agency: int = DEFAULT_EMPLOYEES_PER_AGENCY,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> DemoSummary:
    """Load the demo into the (migrated, empty) database at ``url`` in one transaction.

    Large loads (``employees_per_agency`` ≥ 10,000) generate in ``workers`` processes
    (default: the CPU count, at most 5), drop the secondary indexes of the employee tables
    and build them again at the end, and — when connected as a superuser — skip the per-row
    foreign-key triggers (the generator makes every reference itself; unique, check and
    exclusion constraints still apply). Raises ``DemoDataExists`` when the database already
    has agencies.
    """
    import os

    import asyncpg  # type: ignore[import-untyped]

    from asn_career.core.db import libpq_url

    if employees_per_agency < 1:
        raise ValueError("employees_per_agency must be at least 1")
    began = time.monotonic()
    as_of = as_of or date.today()
    say = progress or (lambda _message: None)
    bulk = employees_per_agency >= FAST_LOAD_THRESHOLD
    if workers is None:
        workers = min(len(REGIONS), os.cpu_count() or 1) if bulk else 1
    summary = DemoSummary()
    domain_generators = generators(Demo(employees_per_agency, seed, as_of))
    columns = {
        table: names for generator in domain_generators for table, names in generator.tables.items()
    }
    conn = await asyncpg.connect(
        libpq_url(url),
        server_settings={"application_name": "asn-career-demo", "statement_timeout": "0"},
    )
    producers: list[Any] = []
    out: Any = None
    try:
        async with conn.transaction():
            # Two loaders at once: the second waits here, then finds the agencies.
            await conn.execute("LOCK TABLE agencies IN SHARE ROW EXCLUSIVE MODE")
            if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM agencies)"):
                raise DemoDataExists("the database already has agencies")
            await conn.execute("SET LOCAL synchronous_commit = off")
            dropped: list[tuple[str, str]] = []
            if bulk:
                if await conn.fetchval(
                    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                ):
                    await conn.execute("SET LOCAL session_replication_role = replica")
                await conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
                dropped = [
                    (row["indexname"], row["indexdef"])
                    for row in await conn.fetch(_DROPPABLE_INDEXES, list(columns))
                ]
                for name, _definition in dropped:
                    await conn.execute(f'DROP INDEX "{name}"')
                say(f"bulk mode: {workers} generator processes, {len(dropped)} indexes deferred")
            agencies = [Agency(region) for region in REGIONS]
            for agency in agencies:
                for generator in domain_generators:
                    summary.count(await generator.setup(conn, agency))
            say("set up: " + ", ".join(f"{rows:,} {table}" for table, rows in summary.rows.items()))
            out, producers = _start_producers(domain_generators, agencies, workers)
            total = employees_per_agency * len(REGIONS)
            pending = len(agencies)
            reported = 0
            while pending:
                kind, body = await asyncio.to_thread(out.get)
                if kind == "error":
                    raise RuntimeError(f"demo generator failed:\n{body}")
                if kind == "done":
                    pending -= 1
                    continue
                for table, names in columns.items():
                    if table in body:
                        count, data = body[table]
                        await conn.copy_to_table(
                            table, source=_once(data), columns=names, format="text"
                        )
                        summary.rows[table] = summary.rows.get(table, 0) + count
                if summary.employees - reported >= total // 20 or summary.employees == total:
                    reported = summary.employees
                    say(f"employees: {summary.employees:,} of {total:,}")
            for name, definition in dropped:
                say(f"building index {name}")
                await conn.execute(definition)
        # Fresh statistics, so the first queries plan with the real sizes.
        for generator in domain_generators:
            for table in (*generator.reference_tables, *generator.tables):
                await conn.execute(f"ANALYZE {table}")
    finally:
        _stop_producers(producers, out)
        await conn.close()
    await _after_load(url, domain_generators, agencies, summary, say)
    summary.seconds = time.monotonic() - began
    return summary


async def _after_load(
    url: str,
    domain_generators: Sequence[DomainGenerator],
    agencies: Sequence[Agency],
    summary: DemoSummary,
    say: Callable[[str], None],
) -> None:
    """Each generator's work through its services, on the committed bulk rows."""
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    from asn_career.core.db import async_url, create_sessionmaker

    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        sessionmaker = create_sessionmaker(engine)
        for generator in domain_generators:
            made = await generator.after_load(sessionmaker, agencies)
            if made:
                summary.count(made)
                say("through the services: " + ", ".join(f"{n:,} {t}" for t, n in made.items()))
    finally:
        await engine.dispose()
