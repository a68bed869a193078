"""Every error is an RFC 9457 problem, in Indonesian on request."""

from collections.abc import AsyncIterator

import pytest
from fastapi import APIRouter, FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from asn_career.config import Settings
from asn_career.core.auth import Role
from asn_career.core.db import DbSession
from asn_career.core.prepared import driver_connection
from asn_career.main import create_app
from tests.conftest import TokenFactory

PROBLEM = "application/problem+json"


def assert_problem(response: object, status: int) -> dict[str, object]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance"} <= set(body)
    return dict(body)


async def test_malformed_json_is_400(client: AsyncClient, admin: dict[str, str]) -> None:
    response = await client.post(
        "/api/v1/api-keys",
        content=b'{"name": ',
        headers={**admin, "Content-Type": "application/json"},
    )
    assert_problem(response, 400)


async def test_missing_credentials_is_401_with_challenge(client: AsyncClient) -> None:
    response = await client.get("/api/v1/audit")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_role_without_permission_is_403(client: AsyncClient, auth: TokenFactory) -> None:
    response = await client.get("/api/v1/audit", headers=auth(Role.HR_OFFICER, "36.74"))
    assert_problem(response, 403)


async def test_unknown_route_is_404_and_wrong_method_405(client: AsyncClient) -> None:
    assert_problem(await client.get("/api/v1/nothing-here"), 404)
    assert_problem(await client.put("/healthz"), 405)


async def test_unknown_object_is_404(client: AsyncClient, admin: dict[str, str]) -> None:
    response = await client.get(
        "/api/v1/api-keys/6f1c1c1e-0000-4000-8000-000000000000", headers=admin
    )
    assert_problem(response, 404)


async def test_validation_error_is_422_with_errors(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.post("/api/v1/api-keys", json={"name": ""}, headers=admin)
    body = assert_problem(response, 422)
    errors = body["errors"]
    assert isinstance(errors, list) and errors
    assert {"loc", "msg", "type"} <= set(errors[0])
    assert ["body", "name"] in [e["loc"] for e in errors]


async def test_limit_over_500_is_422(client: AsyncClient, admin: dict[str, str]) -> None:
    assert_problem(await client.get("/api/v1/audit?limit=501", headers=admin), 422)


async def test_body_over_limit_is_413(database_url: str, admin: dict[str, str]) -> None:
    settings = Settings(
        env="test", database_url=database_url, in_process_worker=False, max_body_bytes=100
    )
    from httpx import ASGITransport

    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        big = {"name": "x" * 200, "agencies": ["36.74"], "scopes": ["jobs:read"]}
        assert_problem(await client.post("/api/v1/api-keys", json=big, headers=admin), 413)

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(5):
                yield b"x" * 50

        streamed = await client.post(
            "/api/v1/api-keys",
            content=chunks(),
            headers={**admin, "Content-Type": "application/json"},
        )
        assert_problem(streamed, 413)
    await app.state.engine.dispose()


async def test_non_json_body_is_415(client: AsyncClient, admin: dict[str, str]) -> None:
    response = await client.post(
        "/api/v1/api-keys", content=b"name=x", headers={**admin, "Content-Type": "text/plain"}
    )
    assert_problem(response, 415)


async def test_rate_limit_is_429_with_retry_after(database_url: str, admin: dict[str, str]) -> None:
    from httpx import ASGITransport

    settings = Settings(
        env="test", database_url=database_url, in_process_worker=False, rate_limit_per_minute=3
    )
    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        statuses = [
            (await client.get("/api/v1/audit", headers=admin)).status_code for _ in range(4)
        ]
        assert statuses[:3] == [200, 200, 200]
        response = await client.get("/api/v1/audit", headers=admin)
        assert_problem(response, 429)
        assert int(response.headers["retry-after"]) >= 1
    await app.state.engine.dispose()


@pytest.fixture
def broken_app(app: FastAPI) -> FastAPI:
    router = APIRouter()

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("connection string postgres://secret@db internals")

    @router.get("/duplicate")
    async def duplicate() -> None:
        raise IntegrityError("INSERT …", {}, Exception("duplicate key value"))

    @router.get("/refused-value")
    async def refused_value(session: DbSession) -> None:
        await session.execute(text("SELECT CAST('not a number' AS integer)"))

    @router.get("/refused-value-raw")
    async def refused_value_raw(session: DbSession) -> None:
        async with driver_connection(session) as connection:
            await connection.fetchval("SELECT CAST('not a number' AS integer)")

    app.include_router(router)
    return app


async def test_unexpected_error_is_500_with_request_id_and_no_internals(
    broken_app: FastAPI, client: AsyncClient
) -> None:
    response = await client.get("/boom")
    body = assert_problem(response, 500)
    assert body["request_id"] == response.headers["x-request-id"]
    assert "secret" not in response.text and "postgres" not in response.text


@pytest.mark.parametrize("path", ["/refused-value", "/refused-value-raw"])
async def test_value_postgres_refuses_is_422(
    broken_app: FastAPI, client: AsyncClient, path: str
) -> None:
    """Through SQLAlchemy or on the driver connection of a prepared read alike."""
    body = assert_problem(await client.get(path), 422)
    assert "integer" not in str(body)


async def test_integrity_error_is_409(broken_app: FastAPI, client: AsyncClient) -> None:
    response = await client.get("/duplicate")
    assert_problem(response, 409)
    assert "duplicate key" not in response.text


async def test_indonesian_on_request(client: AsyncClient) -> None:
    response = await client.get("/api/v1/audit", headers={"Accept-Language": "id-ID,id;q=0.9"})
    body = assert_problem(response, 401)
    assert body["title"] == "Autentikasi diperlukan"
    assert response.headers["content-language"] == "id"
    english = (await client.get("/api/v1/audit")).json()
    assert english["title"] == "Authentication required"


async def test_405_lists_every_method_of_the_path(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    """One route per method: Starlette's 405 named only the first (``GET``)."""
    for path, allowed in {
        "/api/v1/api-keys": "GET, HEAD, POST",
        "/api/v1/api-keys/00000000-0000-0000-0000-000000000000": "DELETE, GET, HEAD, PATCH",
        "/healthz": "GET, HEAD",
    }.items():
        response = await client.put(path, json={}, headers=admin)
        assert response.status_code == 405, path
        assert response.headers["allow"] == allowed, path


async def test_head_answers_as_get_without_a_body(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    for path in ("/healthz", "/api/v1/api-keys"):
        got = await client.get(path, headers=admin)
        head = await client.head(path, headers=admin)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
    assert (await client.head("/api/v1/api-keys")).status_code == 401
