"""Hot-path plumbing: prepared selects on the driver connection, units of work that never
touched the database, and the prepared employee reads pinned to their response models."""

import itertools
from datetime import date

import asyncpg  # type: ignore[import-untyped]
import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import bindparam, select, text

from asn_career.core.auth import Principal, Role
from asn_career.core.db import after_commit, unit_of_work
from asn_career.core.pagination import PageRequest
from asn_career.core.prepared import PreparedSelect, driver_connection
from asn_career.org.models import Agency
from asn_career.profiles.employees.repository import (
    EmployeeQueries,
    _profile_query,
    _search_statement,
)
from asn_career.profiles.employees.schemas import EmployeeListItem, EmployeeOut, EmployeeSearch
from asn_career.profiles.models import Employee

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


# --- the lean read path is pinned to its response models -------------------------------

SEARCH_PARAMETERS = (
    ("nip_prefix",),
    ("name_pattern",),
    ("agency",),
    ("unit_path",),
    ("rank",),
    ("rank_codes",),
    ("position_kind",),
    ("competency", "min_level"),
    ("status",),
    ("after_name", "after_id"),
)


def _labels(query: PreparedSelect) -> list[str]:
    return list(query.statement.selected_columns.keys())


def _every_search_statement() -> list[tuple[Role, frozenset[str]]]:
    """Every statement the search can build: each role with each set of filters."""
    combos = []
    for role in Role:
        for chosen in itertools.product((False, True), repeat=len(SEARCH_PARAMETERS)):
            picked = itertools.compress(SEARCH_PARAMETERS, chosen)
            names = [name for group in picked for name in group]
            combos.append((role, frozenset({"viewer_agencies", "limit", *names})))
    return combos


def test_every_search_statement_selects_exactly_the_list_item_fields() -> None:
    fields = list(EmployeeListItem.model_fields)
    for role, given in _every_search_statement():
        statement = _search_statement.__wrapped__(role, given)  # not the shared cache
        assert _labels(statement) == fields, (role, sorted(given))


def test_every_profile_statement_selects_exactly_the_profile_fields() -> None:
    for role in Role:
        assert _labels(_profile_query(role)) == list(EmployeeOut.model_fields), role


async def test_the_database_names_the_columns_as_the_models_do(app: FastAPI) -> None:
    """What Postgres itself reports for the compiled SQL, per role, with no filter and with
    all of them."""
    dialect = app.state.engine.dialect
    everything = frozenset(n for group in SEARCH_PARAMETERS for n in group)
    statements: list[tuple[PreparedSelect, type[BaseModel]]] = [
        (_profile_query(role), EmployeeOut) for role in Role
    ]
    for role in Role:
        for given in (frozenset(), everything):
            query = _search_statement(role, given | {"viewer_agencies", "limit"})
            statements.append((query, EmployeeListItem))
    async with driver_connection(app.state.engine) as connection:
        for query, model in statements:
            prepared = await connection.prepare(query.sql(dialect)[0])
            assert [a.name for a in prepared.get_attributes()] == list(model.model_fields)


async def test_the_rows_are_valid_response_models(app: FastAPI) -> None:
    """The list rows are serialised without a model (``json_response``): they must be one."""
    nip = "198609262015051001"
    async with unit_of_work(app.state.sessionmaker) as session:
        await _add_agency(session, "99.07")
        session.add(
            Employee(
                nip=nip, name="Ani", gender="M", birth_date=date(1986, 9, 26),
                employment_type="pns", appointment_date=date(2015, 5, 1), rank_code="III/a",
                status="active", agency_code="99.07", nik="3674010101900001",
            )
        )  # fmt: skip
    queries = EmployeeQueries(app.state.engine)
    principal = Principal(subject="hr", role=Role.HR_OFFICER, agencies=frozenset({"99.07"}))
    rows, _ = await queries.search(principal, EmployeeSearch(), None, PageRequest())
    assert [EmployeeListItem.model_validate(dict(r)).nip for r in rows] == [nip]
    profile = await queries.profile_row(principal, nip)
    assert profile is not None
    assert EmployeeOut.model_validate(dict(profile)).rank == "III/a"
