"""Hot reads that skip SQLAlchemy's per-execution work.

A statement run through a session pays, every time, for its cache key, parameter
processing, result metadata and (for entities) ORM loading: on a one-row lookup by NIP
that is several times what asyncpg itself needs (``benchmarks/README.md``). A
``PreparedSelect`` is still written with SQLAlchemy, against the mapped tables and with
named bind parameters, but compiled once and run on the driver connection, returning
asyncpg records. Only reads that are both hot and simple use it; everything else stays
on the session.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

import asyncpg  # type: ignore[import-untyped]
from fastapi import Depends, Request
from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.util import greenlet_spawn

from asn_career.core.db import DatabaseNotConfigured

Executor = AsyncSession | AsyncEngine
"""Where a prepared read runs: a session (its transaction, if one is open), or straight on
the engine's pool."""

_BROKEN_CONNECTION = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08
    asyncpg.exceptions.OperatorInterventionError,  # class 57: shutdown, terminated backend
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # the protocol lost track, e.g. killed while idle
    OSError,
)


class PreparedSelect:
    """A SELECT compiled once for asyncpg; executed with keyword parameters.

    Parameters must be plain bind parameters (``bindparam("name")``, or an array compared
    with ``= ANY``): expanding ``IN`` lists and literal rendering would change the SQL per
    call, which is what this avoids.
    """

    def __init__(self, statement: "Select[*tuple[Any, ...]]") -> None:
        self.statement = statement
        self._compiled: tuple[str, tuple[str, ...]] | None = None

    def sql(self, dialect: Dialect) -> tuple[str, tuple[str, ...]]:
        """The SQL text and the parameter names in positional order."""
        if self._compiled is None:
            compiled = self.statement.compile(dialect=dialect)
            if compiled.literal_execute_params or compiled.post_compile_params:
                raise ValueError("PreparedSelect needs plain bind parameters")
            self._compiled = (compiled.string, tuple(compiled.positiontup or ()))
        return self._compiled

    def bind(self, dialect: Dialect, params: dict[str, Any]) -> tuple[str, list[Any]]:
        """The SQL and its positional arguments; names the statement does not use are
        ignored."""
        sql, names = self.sql(dialect)
        return sql, [params[name] for name in names]

    async def fetch(self, on: Executor, **params: Any) -> Sequence[asyncpg.Record]:
        sql, args = self.bind(_engine(on).dialect, params)
        async with driver_connection(on) as connection:
            rows: list[asyncpg.Record] = await connection.fetch(sql, *args)
        return rows

    async def fetchrow(self, on: Executor, **params: Any) -> asyncpg.Record | None:
        sql, args = self.bind(_engine(on).dialect, params)
        async with driver_connection(on) as connection:
            return await connection.fetchrow(sql, *args)


def _engine(on: Executor) -> AsyncEngine:
    if isinstance(on, AsyncEngine):
        return on
    assert isinstance(on.bind, AsyncEngine)
    return on.bind


@asynccontextmanager
async def driver_connection(on: Executor) -> AsyncIterator[asyncpg.Connection]:
    """The asyncpg connection to read on.

    Inside a session's transaction that is the session's own, so the read sees the
    session's writes. Otherwise a connection is borrowed from the pool for this one
    statement, outside any transaction, as an autocommit read session would run it.
    """
    if isinstance(on, AsyncSession) and on.in_transaction():
        connection = await on.connection()
        pooled = await connection.get_raw_connection()
        yield pooled.driver_connection
        return
    pooled = await _engine(on).raw_connection()
    driver: asyncpg.Connection = pooled.driver_connection
    try:
        yield driver
    except Exception as exc:
        # The pool learns of a dead connection from SQLAlchemy's own error handling,
        # which this path bypasses: drop it here so the next request gets a fresh one.
        if isinstance(exc, _BROKEN_CONNECTION) or driver.is_closed():
            pooled.invalidate()
        raise
    finally:
        # Returning it to the pool may talk to the server (reset), which needs a greenlet.
        await greenlet_spawn(pooled.close)


async def _read_pool(request: Request) -> AsyncEngine:
    engine: AsyncEngine | None = request.app.state.engine
    if engine is None:
        raise DatabaseNotConfigured()
    return engine


ReadPool = Annotated[AsyncEngine, Depends(_read_pool)]
"""For routes whose only database work is prepared reads: each statement borrows its
connection, so there is no unit of work to open and close. Cheaper than ``DbSession``,
whose generator dependency is a noticeable share of a one-row read."""
