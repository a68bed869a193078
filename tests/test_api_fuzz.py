"""Schemathesis over every operation of the OpenAPI document, authenticated as an admin.

The app runs in a real uvicorn server on loopback, in its own thread and event loop, as
in production. Examples per operation are bounded so the suite stays fast.
"""

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from asn_career.config import Settings
from asn_career.core.auth import Role, mint_token
from asn_career.main import create_app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def fuzz_server(server_url: str, template_database: str) -> Iterator[tuple[str, Settings]]:
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"asn_fuzz_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(server_url).set(drivername="postgresql")
    with psycopg.connect(admin_url.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    app_settings = Settings(
        env="test",
        database_url=make_url(server_url).set(database=name).render_as_string(False),
        in_process_worker=False,
        rate_limit_per_minute=0,
        log_level="WARNING",
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(app_settings), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app_settings
    server.should_exit = True
    thread.join(timeout=10)
    with psycopg.connect(admin_url.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def api_schema(fuzz_server: tuple[str, Settings]) -> schemathesis.BaseSchema:
    base_url, _ = fuzz_server
    return schemathesis.openapi.from_url(f"{base_url}/openapi.json")


@pytest.fixture(scope="module")
def admin_headers(fuzz_server: tuple[str, Settings]) -> dict[str, str]:
    _, app_settings = fuzz_server
    token = mint_token(app_settings, subject="fuzzer", role=Role.ADMIN, agencies=[])
    return {"Authorization": f"Bearer {token}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_and_never_errors(
    case: schemathesis.Case[Any], admin_headers: dict[str, str]
) -> None:
    case.call_and_validate(
        headers=admin_headers, checks=[not_a_server_error, response_schema_conformance]
    )
