from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr
from sqlalchemy import text

from asn_career.config import Settings
from asn_career.main import create_app


async def test_healthz(client: AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_database_and_migrations(client: AsyncClient, app: FastAPI) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "migrations": "at head"}

    async with app.state.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


async def test_metrics_count_requests_per_route_template(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    await client.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000", headers=admin)
    response = await client.get("/metrics")
    assert response.status_code == 200
    body = response.text
    assert 'route="/api/v1/jobs/{job_id}"' in body
    assert "asn_career_db_pool_size" in body
    assert "00000000-0000-0000-0000-000000000000" not in body


async def test_request_id_is_echoed_or_assigned(client: AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    response = await client.get("/healthz")
    assert len(response.headers["x-request-id"]) == 32


async def test_docs_pages_load_their_assets_from_the_service(client: AsyncClient) -> None:
    """An office network without internet still shows Swagger UI and ReDoc."""
    for page, assets in {
        "/docs": ("swagger-ui-bundle.js", "swagger-ui.css"),
        "/redoc": ("redoc.standalone.js",),
    }.items():
        response = await client.get(page)
        assert response.status_code == 200
        html = response.text
        assert "cdn" not in html.lower() and "unpkg" not in html.lower(), page
        for asset in assets:
            assert f'"/docs/assets/{asset}"' in html, (page, asset)
            served = await client.get(f"/docs/assets/{asset}")
            assert served.status_code == 200, asset
            assert len(served.content) > 100_000, asset


async def _metrics_status(settings: Settings, headers: dict[str, str] | None = None) -> int:
    app = create_app(settings)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as http:
        status = (await http.get("/metrics", headers=headers or {})).status_code
    await app.state.engine.dispose()
    return status


async def test_metrics_need_the_metrics_token_when_one_is_set(settings: Settings) -> None:
    guarded = settings.model_copy(update={"metrics_token": SecretStr("scrape-me")})
    assert await _metrics_status(guarded) == 401
    assert await _metrics_status(guarded, {"Authorization": "Bearer wrong"}) == 401
    assert await _metrics_status(guarded, {"Authorization": "Bearer scrape-me"}) == 200


async def test_metrics_are_off_in_production_without_a_token(settings: Settings) -> None:
    production = settings.model_copy(
        update={"env": "production", "jwt_secret": SecretStr("p" * 40)}
    )
    assert await _metrics_status(production) == 404
    scraped = production.model_copy(update={"metrics_token": SecretStr("scrape-me")})
    assert await _metrics_status(scraped, {"Authorization": "Bearer scrape-me"}) == 200
