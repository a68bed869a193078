"""Hot-path plumbing: prepared selects on the driver connection, and units of work that
never touched the database."""

import asyncpg  # type: ignore[import-untyped]
import pytest
from fastapi import FastAPI
from sqlalchemy import bindparam, select, text

from asn_career.core.db import after_commit, unit_of_work
from asn_career.core.prepared import PreparedSelect
from asn_career.org.models import Agency

BY_CODE = PreparedSelect(select(Agency.code, Agency.name).where(Agency.code == bindparam("code")))


async def _add_agency(session: object, code: str) -> None:
    await session.execute(  # type: ignore[attr-defined]
        text("INSERT INTO agencies (code, name, region_code) VALUES (:c, :n, '99.99')"),
        {"c": code, "n": f"Instansi {code}"},
    )


async def test_prepared_select_compiles_once_to_positional_sql(app: FastAPI) -> None:
    dialect = app.state.engine.dialect
    sql, names = BY_CODE.sql(dialect)
    assert "$1" in sql and names == ("code",)
    assert BY_CODE.sql(dialect) is BY_CODE.sql(dialect)


async def test_prepared_select_refuses_expanding_parameters(app: FastAPI) -> None:
    query = PreparedSelect(
        select(Agency.code).where(Agency.code.in_(bindparam("codes", expanding=True)))
    )
    with pytest.raises(ValueError, match="plain bind parameters"):
        query.sql(app.state.engine.dialect)


async def test_outside_a_transaction_it_reads_committed_rows_on_a_borrowed_connection(
    app: FastAPI,
) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        await _add_agency(session, "99.01")
    pool = app.state.engine.pool
    async with app.state.read_sessionmaker() as session:
        row = await BY_CODE.fetchrow(session, code="99.01")
        assert not session.in_transaction()
        missing = await BY_CODE.fetchrow(session, code="99.00")
    assert row is not None and row["name"] == "Instansi 99.01"
    assert missing is None
    assert pool.checkedout() == 0  # the borrowed connection went back


async def test_on_the_engine_it_borrows_a_connection_per_statement(app: FastAPI) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        await _add_agency(session, "99.05")
    engine = app.state.engine
    rows = await BY_CODE.fetch(engine, code="99.05")
    assert [tuple(r) for r in rows] == [("99.05", "Instansi 99.05")]
    assert engine.pool.checkedout() == 0


async def test_inside_a_transaction_it_sees_the_sessions_own_writes(app: FastAPI) -> None:
    async with app.state.sessionmaker() as session:
        await _add_agency(session, "99.02")  # not committed
        rows = await BY_CODE.fetch(session, code="99.02")
        assert [tuple(r) for r in rows] == [("99.02", "Instansi 99.02")]
        await session.rollback()
    async with app.state.read_sessionmaker() as session:
        assert await BY_CODE.fetchrow(session, code="99.02") is None


async def test_a_dead_connection_is_dropped_from_the_pool(app: FastAPI, database_url: str) -> None:
    async with app.state.read_sessionmaker() as session:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
        await session.commit()
    killer = await asyncpg.connect(database_url)
    try:
        await killer.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await killer.close()
    failures = 0
    for _ in range(app.state.engine.pool.size() + 1):
        async with app.state.read_sessionmaker() as session:
            try:
                await BY_CODE.fetchrow(session, code="99.03")
            except Exception:  # whichever way asyncpg notices the dead connection
                failures += 1
    assert failures <= 1
    async with app.state.read_sessionmaker() as session:
        assert await BY_CODE.fetchrow(session, code="99.03") is None


async def test_an_untouched_unit_of_work_needs_no_connection(app: FastAPI) -> None:
    pool = app.state.engine.pool
    before = pool.checkedin() + pool.checkedout()
    async with unit_of_work(app.state.sessionmaker) as session:
        assert not session.in_transaction()
    assert pool.checkedin() + pool.checkedout() == before


async def test_a_unit_of_work_with_only_pending_objects_still_commits(app: FastAPI) -> None:
    """Nothing flushed yet is not nothing to do: the pending entry and the after-commit
    callback must both happen."""
    called: list[str] = []
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(Agency(code="99.04", name="Instansi 99.04", region_code="99.99"))

        async def remember() -> None:
            called.append("after")

        after_commit(session, remember)
    async with app.state.read_sessionmaker() as session:
        assert await BY_CODE.fetchrow(session, code="99.04") is not None
    assert called == ["after"]


async def test_a_failed_unit_of_work_rolls_back_at_once(app: FastAPI) -> None:
    """The rollback happens as the error leaves the block, not whenever the collector
    finalises a generator: the connection is back in the pool and the write is gone."""
    pool = app.state.engine.pool
    with pytest.raises(RuntimeError):
        async with unit_of_work(app.state.sessionmaker) as session:
            await _add_agency(session, "99.06")
            raise RuntimeError("boom")
    assert pool.checkedout() == 0
    assert await BY_CODE.fetchrow(app.state.engine, code="99.06") is None
