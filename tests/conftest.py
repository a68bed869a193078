"""Test fixtures: a real Postgres, the schema from the migrations, a fresh database per test.

The database is cloned from a template built once per run by ``alembic upgrade head``, so
every test starts from exactly the migrated schema and can commit freely (jobs, the
idempotency store and separate connections all see real data).
"""

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url

from asn_career.config import Settings
from asn_career.core import migrate
from asn_career.core.auth import Role, mint_token
from asn_career.main import create_app

AGENCY_A = "36.74"
AGENCY_B = "53.71"

# The tests' own webhook receivers listen on loopback: the one internal host allowed.
os.environ["ASN_CAREER_WEBHOOK_ALLOWED_HOSTS"] = "127.0.0.1"


def _server_url() -> Iterator[str]:
    configured = os.environ.get("ASN_CAREER_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    from asn_career.core.embedded import embedded_database

    with tempfile.TemporaryDirectory(prefix="asn-career-test-") as data_dir:
        # Postgres runs as another user when we are root; it must reach its data dir.
        os.chmod(data_dir, 0o755)  # noqa: S103
        with embedded_database(Path(data_dir)) as url:
            yield url


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    yield from _server_url()


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _admin(url: str) -> psycopg.Connection:
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(libpq, autocommit=True)


@pytest.fixture(scope="session")
def template_database(server_url: str) -> Iterator[str]:
    name = f"asn_template_{os.getpid()}"
    with _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    migrate.upgrade(_with_database(server_url, name))
    yield name
    with _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(server_url: str, template_database: str) -> Iterator[str]:
    name = f"asn_test_{uuid.uuid4().hex[:12]}"
    with _admin(server_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    yield _with_database(server_url, name)
    with _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        data_dir=tmp_path / "data",  # uploads of this test's imports land here
        in_process_worker=False,
        rate_limit_per_minute=0,
        log_level="WARNING",
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


TokenFactory = Callable[..., dict[str, str]]


@pytest.fixture
def auth(settings: Settings) -> TokenFactory:
    """``auth(Role.HR_OFFICER, AGENCY_A)`` → headers with a bearer token for that caller."""

    def headers(
        role: Role, *agencies: str, sub: str | None = None, ttl: timedelta | None = None
    ) -> dict[str, str]:
        token = mint_token(
            settings,
            subject=sub or f"{role.value}@{'+'.join(agencies) or 'all'}",
            role=role,
            agencies=agencies,
            ttl=ttl,
        )
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture
def admin(auth: TokenFactory) -> dict[str, str]:
    return auth(Role.ADMIN)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fuzzing module first. It is the longest file by far (minutes); under two xdist
    workers, each taking whole files, it came last and left the other worker idle."""
    items.sort(key=lambda item: item.nodeid.split("::")[0] != "tests/test_api_fuzz.py")
