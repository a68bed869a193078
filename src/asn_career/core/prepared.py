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
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.util import greenlet_spawn

_BROKEN_CONNECTION = (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError)


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

    def _args(self, session: AsyncSession, params: dict[str, Any]) -> tuple[str, list[Any]]:
        assert session.bind is not None
        sql, names = self.sql(session.bind.dialect)
        return sql, [params[name] for name in names]

    async def fetch(self, session: AsyncSession, **params: Any) -> Sequence[asyncpg.Record]:
        sql, args = self._args(session, params)
        async with driver_connection(session) as connection:
            rows: list[asyncpg.Record] = await connection.fetch(sql, *args)
        return rows

    async def fetchrow(self, session: AsyncSession, **params: Any) -> asyncpg.Record | None:
        sql, args = self._args(session, params)
        async with driver_connection(session) as connection:
            return await connection.fetchrow(sql, *args)


@asynccontextmanager
async def driver_connection(session: AsyncSession) -> AsyncIterator[asyncpg.Connection]:
    """The asyncpg connection to read on.

    Inside a transaction that is the session's own, so the read sees the session's
    writes. Otherwise a connection is borrowed from the session's pool for this one
    statement, outside any transaction, as an autocommit read session would run it.
    """
    if session.in_transaction():
        connection = await session.connection()
        pooled = await connection.get_raw_connection()
        yield pooled.driver_connection
        return
    assert session.bind is not None
    pooled = await session.bind.raw_connection()  # type: ignore[union-attr]
    try:
        yield pooled.driver_connection
    except _BROKEN_CONNECTION:
        # The pool learns of a dead connection from SQLAlchemy's own error handling,
        # which this path bypasses: drop it here so the next request gets a fresh one.
        pooled.invalidate()
        raise
    finally:
        # Returning it to the pool may talk to the server (reset), which needs a greenlet.
        await greenlet_spawn(pooled.close)
