"""Rate limits: who is counted under which key, and counts shared by every process."""

import asyncio
import itertools
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from asn_career.config import Settings
from asn_career.core.auth import Role
from asn_career.core.guards import client_address
from asn_career.core.ratelimit.counters import SharedCounters
from asn_career.main import create_app
from tests.conftest import TokenFactory

LIMIT = 5
AUDIT = "/api/v1/audit"
AGENCIES = "/api/v1/agencies"
FLUSH_WAIT = 0.15
"""Longer than the interval at which a process shares its counts."""

_addresses = itertools.count(1)


def _address() -> str:
    """Each test's own client address, so no two tests share a bucket."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{next(_addresses) % 250 + 1}"


async def _clear_of_the_minute_edge(seconds: float = 10) -> None:
    """Windows are calendar minutes: a test that straddles one would see its count reset."""
    left = 60 - time.time() % 60
    if left < seconds:
        await asyncio.sleep(left + 0.05)


@asynccontextmanager
async def _client(app: FastAPI, address: str) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app, client=(address, 40_000))
    async with AsyncClient(transport=transport, base_url="http://t") as http:
        yield http


@asynccontextmanager
async def _limited_app(database_url: str, limit: int = LIMIT) -> AsyncIterator[FastAPI]:
    settings = Settings(
        env="test",
        database_url=database_url,
        in_process_worker=False,
        rate_limit_per_minute=limit,
        log_level="WARNING",
    )
    app = create_app(settings)
    try:
        yield app
    finally:
        await app.state.engine.dispose()


async def test_garbage_tokens_from_one_address_share_its_budget(database_url: str) -> None:
    """35 requests, each with another unverifiable token: the address is the caller."""
    await _clear_of_the_minute_edge()
    async with _limited_app(database_url, limit=30) as app, _client(app, _address()) as http:
        statuses = [
            (
                await http.get(AUDIT, headers={"Authorization": f"Bearer garbage.{n}.token"})
            ).status_code
            for n in range(35)
        ]
    assert statuses == [401] * 30 + [429] * 5


async def test_garbage_api_keys_are_charged_to_the_address(database_url: str) -> None:
    await _clear_of_the_minute_edge()
    async with _limited_app(database_url) as app, _client(app, _address()) as http:
        statuses = []
        for n in range(LIMIT + 2):
            # Well-formed keys with a lookup prefix that is not stored, and malformed ones.
            key = f"asnk_{n:012x}_secret" if n % 2 else f"not-a-key-{n}"
            statuses.append((await http.get(AGENCIES, headers={"X-API-Key": key})).status_code)
        # No credential at all is the same caller: the address.
        last = await http.get(AGENCIES)
    assert statuses == [401] * LIMIT + [429] * 2
    assert last.status_code == 429
    assert int(last.headers["retry-after"]) >= 1


async def test_valid_callers_behind_one_address_have_their_own_budgets(
    database_url: str, auth: TokenFactory
) -> None:
    """An office behind one NAT: each verified caller counts alone, and the address's own
    budget, spent by unverified requests, does not stop them."""
    await _clear_of_the_minute_edge()
    first = auth(Role.ADMIN, sub="first@office")
    second = auth(Role.ADMIN, sub="second@office")
    async with _limited_app(database_url) as app, _client(app, _address()) as http:
        spent = [(await http.get(AUDIT, headers=first)).status_code for _ in range(LIMIT + 1)]
        assert spent == [200] * LIMIT + [429]
        others = [(await http.get(AUDIT, headers=second)).status_code for _ in range(LIMIT)]
        assert others == [200] * LIMIT
        unverified = [
            (await http.get(AUDIT, headers={"Authorization": "Bearer x"})).status_code
            for _ in range(LIMIT + 1)
        ]
        assert unverified == [401] * LIMIT + [429]
        third = auth(Role.ADMIN, sub="third@office")
        assert (await http.get(AUDIT, headers=third)).status_code == 200
        assert (await http.get(AUDIT, headers=first)).status_code == 429
        # The same subject with another role is another caller (whom the route refuses).
        officer = auth(Role.HR_OFFICER, "36.74", sub="first@office")
        assert (await http.get(AUDIT, headers=officer)).status_code == 403


async def test_api_keys_are_counted_by_key(database_url: str, auth: TokenFactory) -> None:
    await _clear_of_the_minute_edge()
    admin = auth(Role.ADMIN, sub="key-maker")
    async with _limited_app(database_url, limit=LIMIT) as app, _client(app, _address()) as http:
        keys = []
        for name in ("one", "two"):
            created = await http.post(
                "/api/v1/api-keys",
                json={"name": name, "agencies": ["36.74"], "scopes": ["org:read"]},
                headers=admin,
            )
            assert created.status_code == 201, created.text
            keys.append({"X-API-Key": created.json()["key"]})
        one = [(await http.get(AGENCIES, headers=keys[0])).status_code for _ in range(LIMIT + 1)]
        assert one == [200] * LIMIT + [429]
        assert (await http.get(AGENCIES, headers=keys[1])).status_code == 200
        # Wrong secrets with the second key's lookup prefix are charged to the address, not
        # to the key; the key, once seen to be valid, no longer depends on the address.
        forged = {"X-API-Key": keys[1]["X-API-Key"][:-1] + "!"}
        wrong = [(await http.get(AGENCIES, headers=forged)).status_code for _ in range(LIMIT + 1)]
        assert wrong == [401] * LIMIT + [429]
        assert (await http.get(AGENCIES, headers=keys[1])).status_code == 200


async def test_counts_hold_across_processes(database_url: str, auth: TokenFactory) -> None:
    """Two app instances on one database stand for two `serve --workers` processes."""
    await _clear_of_the_minute_edge()
    admin = auth(Role.ADMIN, sub="busy@office")
    address = _address()
    async with (
        _limited_app(database_url) as first,
        _limited_app(database_url) as second,
        _client(first, address) as a,
        _client(second, address) as b,
    ):
        statuses = []
        for http in [a, b] * LIMIT:
            statuses.append((await http.get(AUDIT, headers=admin)).status_code)
            await asyncio.sleep(FLUSH_WAIT)
    assert statuses == [200] * LIMIT + [429] * LIMIT


async def test_old_windows_are_swept(database_url: str, auth: TokenFactory) -> None:
    await _clear_of_the_minute_edge()
    libpq = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    current = int(time.time() // 60)
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO rate_limit_windows (key, minute, count) VALUES ('ip:old', %s, 9)",
            (current - 5,),
        )
    async with _limited_app(database_url) as app, _client(app, _address()) as http:
        assert (await http.get(AUDIT, headers=auth(Role.ADMIN))).status_code == 200
    with psycopg.connect(libpq, autocommit=True) as conn:
        minutes = [row[0] for row in conn.execute("SELECT minute FROM rate_limit_windows")]
    assert minutes == [current]


async def test_no_limit_adds_no_middleware(settings: Settings) -> None:
    """The API benchmark runs with the limit off: then nothing of it is on the path."""
    assert settings.rate_limit_per_minute == 0
    app = create_app(settings)
    installed = [getattr(m.cls, "__name__", "") for m in app.user_middleware]
    assert "RateLimitMiddleware" not in installed
    assert "BodyGuardMiddleware" in installed
    await app.state.engine.dispose()


def test_an_ipv6_subscriber_is_one_address() -> None:
    """Providers hand each subscriber a /64: its addresses are one caller."""
    first = client_address({"client": ("2001:db8:0:7::1", 1)})
    assert first == client_address({"client": ("2001:db8:0:7:ffff::2", 2)})
    assert first != client_address({"client": ("2001:db8:0:8::1", 1)})
    assert client_address({"client": ("192.0.2.7", 1)}) == "ip:192.0.2.7"


async def test_counting_goes_on_while_the_database_is_unreachable() -> None:
    engine = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    counters = SharedCounters(engine, flush_interval=0)
    try:
        assert [await counters.hit("ip:192.0.2.9", 1) for _ in range(3)] == [1, 2, 3]
    finally:
        await engine.dispose()
