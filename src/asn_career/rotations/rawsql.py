"""Statements run on the driver's own connection (asyncpg), for the few reads that bring
thousands of rows into numpy: the records decode in C, without a SQLAlchemy row each.

The statement is compiled by the session's dialect (the same SQL and casts as
``session.execute`` would send) and runs in the session's transaction, after a flush."""

from collections import namedtuple
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement


async def fetch(
    session: AsyncSession, stmt: ClauseElement, params: Mapping[str, Any] | None = None
) -> list[Any]:
    """The rows of ``stmt`` as asyncpg records (``r["name"]``, ``r[0]``)."""
    await session.flush()
    connection = await session.connection()
    compiled: Any = stmt.compile(dialect=connection.dialect)
    values = compiled.construct_params(dict(params) if params else None)
    processors = compiled._bind_processors  # the driver's conversions of values
    args = []
    for name in compiled.positiontup or ():
        value = values[name]
        process = processors.get(name)
        args.append(process(value) if process is not None and value is not None else value)
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    return list(await driver.fetch(str(compiled), *args))


async def fetch_tuples(
    session: AsyncSession, stmt: ClauseElement, params: Mapping[str, Any] | None = None
) -> list[Any]:
    """The rows of ``stmt`` as named tuples (``r.name``, like SQLAlchemy rows)."""
    records = await fetch(session, stmt, params)
    if not records:
        return []
    row = namedtuple("row", list(records[0].keys()))  # type: ignore[misc]
    return [row._make(r) for r in records]
