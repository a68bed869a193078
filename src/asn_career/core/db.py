"""Database plumbing: declarative base, engine, and the per-request unit of work."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, MetaData, func, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from asn_career.config import Settings
from asn_career.core.errors import AppError


class DatabaseNotConfigured(AppError):
    status = 503
    code = "database_not_configured"


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


async def plan_for_whole_agency(
    session: AsyncSession, *, work_mem: str | None = None, ordered_arrays: bool = False
) -> None:
    """Settings, for the rest of the transaction, of a statement over a whole agency.

    No JIT: the planner cannot know how many rows a whole agency's CTEs hold, overestimates
    a statement that runs in a fraction of a second, and compiling it then costs more than
    running it (measured: 1.5 s of JIT on a 0.8 s needs statement, 2.2 s on the 9-box at
    2,000 employees). ``work_mem`` keeps per-employee aggregates in memory (at 25,000
    employees the training aggregate spilled to disk in five batches: 5 s instead of 0.3 s).
    ``ordered_arrays``: no parallel partial aggregates, whose workers' arrays would be
    concatenated in any order.
    """
    await session.execute(text("SET LOCAL jit = off"))
    if work_mem is not None:
        await session.execute(text(f"SET LOCAL work_mem = '{work_mem}'"))
    if ordered_arrays:
        await session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


class TimestampMixin:
    # Set in Python as well as by the server so the values are loaded after a flush:
    # an expired attribute would need a lazy load, which async sessions forbid.
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True),
        default=utcnow,
        onupdate=utcnow,
        server_default=func.now(),
        nullable=False,
    )


class VersionedMixin:
    """Optimistic concurrency: the version backs the ETag and guards concurrent updates."""

    version: Mapped[int] = mapped_column(nullable=False, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


def async_url(url: str) -> URL:
    """Normalise any Postgres URL to the asyncpg driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg")


def libpq_url(url: str) -> str:
    """The same database as a libpq conninfo URL, for psycopg (procrastinate) and tools."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def create_engine(settings: Settings, url: str) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        # No pre-ping: it costs a round trip per request. Connections are recycled
        # instead, and one that died with the server is invalidated on its first error.
        pool_recycle=settings.db_pool_recycle_seconds,
        connect_args={
            "server_settings": {
                "statement_timeout": str(settings.db_statement_timeout_ms),
                "application_name": "asn-career",
            }
        },
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for safe requests (GET, HEAD): autocommit, so a read costs no BEGIN and
    COMMIT round trips. Each statement sees its own snapshot; reads that need one
    snapshot across statements open a transaction explicitly."""
    return async_sessionmaker(
        engine.execution_options(isolation_level="AUTOCOMMIT"),
        expire_on_commit=False,
        autoflush=False,
    )


AfterCommit = Callable[[], Awaitable[None]]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` once the unit of work has committed (e.g. to enqueue a job)."""
    session.info.setdefault("after_commit", []).append(callback)


async def commit_unit(session: AsyncSession) -> None:
    """Commit, then run what waited for the commit."""
    await session.commit()
    callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    for callback in callbacks:
        await callback()


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A transaction: commit when the work is done, roll back on error.

    A session that never touched the database (a request answered from its arguments, or
    a read on a borrowed connection, ``core.prepared``) is dropped as it is: committing
    and closing it would still cost greenlet switches, a measurable share of a cheap
    request.
    """
    session = sessionmaker()
    try:
        yield session
        if session.in_transaction() or session.info.get("after_commit"):
            await commit_unit(session)
    except BaseException:
        if session.in_transaction():
            await session.rollback()
        raise


async def _unit_of_work(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: commit when the endpoint returns, roll back on error.

    Declared with ``scope="function"`` so the commit happens before the response is sent:
    a client never sees a success that was not stored.
    """
    state = request.app.state
    safe = request.method in ("GET", "HEAD")
    sessionmaker: async_sessionmaker[AsyncSession] | None = (
        state.read_sessionmaker if safe else state.sessionmaker
    )
    if sessionmaker is None:
        raise DatabaseNotConfigured()
    async with unit_of_work(sessionmaker) as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]
