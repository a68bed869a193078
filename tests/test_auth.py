"""Authentication: HS256 and RS256 (PEM or JWKS) bearer tokens, and hashed API keys."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select, text

from asn_career.config import DEVELOPMENT_JWT_SECRET, Settings
from asn_career.core.apikeys.models import ApiKey
from asn_career.core.auth import Role
from asn_career.main import create_app
from tests.conftest import TokenFactory
from tests.test_security_walk import TOKEN_PATHS


def rs256_token(private_key: rsa.RSAPrivateKey, **claims: object) -> str:
    now = datetime.now(UTC)
    payload = {"sub": "sso-user", "role": "admin", "agencies": [], "exp": now + timedelta(hours=1)}
    payload.update(claims)
    return jwt.encode(payload, private_key, algorithm="RS256", headers={"kid": "sso-1"})


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url(rsa_key: rsa.RSAPrivateKey) -> Iterator[str]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    document = json.dumps({"keys": [{**jwk, "kid": "sso-1", "use": "sig", "alg": "RS256"}]})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(document.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()


async def _status(settings: Settings, headers: dict[str, str]) -> int:
    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        status = (await client.get("/api/v1/audit", headers=headers)).status_code
    await app.state.engine.dispose()
    return status


async def test_hs256_token_accepted_and_tampering_refused(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    assert (await client.get("/api/v1/audit", headers=admin)).status_code == 200
    forged = jwt.encode(
        {"sub": "x", "role": "admin", "agencies": [], "exp": datetime.now(UTC) + timedelta(1)},
        "another-secret",
        algorithm="HS256",
    )
    response = await client.get("/api/v1/audit", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


async def test_expired_token_is_401(client: AsyncClient, auth: TokenFactory) -> None:
    headers = auth(Role.ADMIN, ttl=timedelta(seconds=-5))
    assert (await client.get("/api/v1/audit", headers=headers)).status_code == 401


async def test_token_without_role_is_401(client: AsyncClient) -> None:
    token = jwt.encode(
        {"sub": "x", "exp": datetime.now(UTC) + timedelta(hours=1)},
        DEVELOPMENT_JWT_SECRET,
        algorithm="HS256",
    )
    response = await client.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


async def test_rs256_with_pem_public_key(database_url: str, rsa_key: rsa.RSAPrivateKey) -> None:
    pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings = Settings(
        env="test",
        database_url=database_url,
        jwt_algorithm="RS256",
        jwt_public_key=pem.decode(),
        in_process_worker=False,
    )
    assert await _status(settings, {"Authorization": f"Bearer {rs256_token(rsa_key)}"}) == 200
    hs = jwt.encode(
        {"sub": "x", "role": "admin", "exp": datetime.now(UTC) + timedelta(hours=1)},
        DEVELOPMENT_JWT_SECRET,
        algorithm="HS256",
    )
    assert await _status(settings, {"Authorization": f"Bearer {hs}"}) == 401


async def test_rs256_with_jwks_url(
    database_url: str, rsa_key: rsa.RSAPrivateKey, jwks_url: str
) -> None:
    settings = Settings(
        env="test",
        database_url=database_url,
        jwt_algorithm="RS256",
        jwt_jwks_url=jwks_url,
        jwt_issuer="https://sso.example.go.id",
        in_process_worker=False,
    )
    good = rs256_token(rsa_key, iss="https://sso.example.go.id")
    assert await _status(settings, {"Authorization": f"Bearer {good}"}) == 200
    wrong_issuer = rs256_token(rsa_key, iss="https://elsewhere")
    assert await _status(settings, {"Authorization": f"Bearer {wrong_issuer}"}) == 401


def test_production_refuses_development_secret() -> None:
    with pytest.raises(ValueError, match="development JWT secret"):
        Settings(env="production")
    Settings(env="production", jwt_secret="a-real-secret-from-the-vault")
    # With RS256 the server still signs cursors and encrypts stored responses itself.
    with pytest.raises(ValueError, match="development JWT secret"):
        Settings(env="production", jwt_algorithm="RS256", jwt_public_key="pem")
    Settings(env="production", jwt_algorithm="RS256", jwt_public_key="pem", secret_key="k")


async def test_api_key_lifecycle(client: AsyncClient, admin: dict[str, str], app: object) -> None:
    created = await client.post(
        "/api/v1/api-keys",
        json={"name": "SIASN sync", "agencies": ["36.74"], "scopes": ["jobs:read"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    full_key = body["key"]
    assert full_key.startswith(body["prefix"])

    # Stored hashed: the key itself is nowhere in the database.
    from fastapi import FastAPI

    assert isinstance(app, FastAPI)
    async with app.state.sessionmaker() as session:
        stored = (await session.scalars(select(ApiKey))).one()
        assert stored.key_hash != full_key and full_key not in stored.key_hash
        dump = (await session.execute(text("SELECT row_to_json(k)::text FROM api_keys k"))).one()
        assert full_key not in dump[0]

    key_headers = {"X-API-Key": full_key}
    job = "/api/v1/jobs/6f1c1c1e-0000-4000-8000-000000000000"
    assert (await client.get(job, headers=key_headers)).status_code == 404  # scope allows
    assert (await client.get("/api/v1/audit", headers=key_headers)).status_code == 403
    assert (await client.get(job, headers={"X-API-Key": full_key + "x"})).status_code == 401

    listed = (await client.get(f"/api/v1/api-keys/{body['id']}", headers=admin)).json()
    assert listed["last_used_at"] is not None

    revoked = await client.delete(f"/api/v1/api-keys/{body['id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert (await client.get(job, headers=key_headers)).status_code == 401


async def test_api_key_with_unknown_scope_is_422(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/api-keys",
        json={"name": "x", "agencies": ["36.74"], "scopes": ["everything"]},
        headers=admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "scopes"]


async def test_integration_role_cannot_come_from_a_jwt(
    client: AsyncClient, auth: TokenFactory
) -> None:
    headers = auth(Role.INTEGRATION, "36.74")
    assert (await client.get("/api/v1/audit", headers=headers)).status_code == 401


async def test_openapi_declares_both_credentials_on_every_api_operation(app: FastAPI) -> None:
    """``authorize`` reads the headers itself, so the document's security is declared from
    the routes' dependencies rather than by FastAPI's security classes. The routes reached
    by a token in the path (the public 360° form) declare none."""
    schema = app.openapi()
    assert set(schema["components"]["securitySchemes"]) == {"HTTPBearer", "APIKeyHeader"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected: list[dict[str, list[str]]] = [{"HTTPBearer": []}, {"APIKeyHeader": []}]
            if path.startswith("/api/") and path not in TOKEN_PATHS:
                assert operation.get("security") == expected, f"{method} {path}"
            else:
                assert "security" not in operation, f"{method} {path}"


async def test_bearer_scheme_is_case_insensitive_and_other_schemes_are_401(
    client: AsyncClient, auth: TokenFactory
) -> None:
    token = auth(Role.ADMIN)["Authorization"].removeprefix("Bearer ")
    ok = await client.get("/api/v1/audit", headers={"Authorization": f"bearer {token}"})
    assert ok.status_code == 200
    for header in (f"Basic {token}", "Bearer ", "Bearer"):
        response = await client.get("/api/v1/audit", headers={"Authorization": header})
        assert response.status_code == 401, header


def _hs256(settings: Settings, **claims: object) -> dict[str, str]:
    payload: dict[str, object] = {
        "sub": "hr@36.74",
        "role": "admin",
        "agencies": [],
        "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp()),
    }
    payload.update(claims)
    token = jwt.encode(payload, settings.jwt_secret.get_secret_value(), algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"sub": ""}, id="empty-sub"),
        pytest.param({"sub": "   "}, id="blank-sub"),
        pytest.param({"sub": "x" * 256}, id="long-sub"),
        pytest.param({"exp": "9999999999"}, id="exp-as-string"),
        pytest.param({"exp": 1e20}, id="exp-1e20"),
        pytest.param({"exp": True}, id="exp-as-boolean"),
        pytest.param({"iat": "0"}, id="iat-as-string"),
    ],
)
async def test_malformed_claims_are_401(
    client: AsyncClient, settings: Settings, claims: dict[str, object]
) -> None:
    """PyJWT lets these through; an empty ``sub`` would be audited as actor ``""``."""
    response = await client.get("/api/v1/audit", headers=_hs256(settings, **claims))
    assert response.status_code == 401, claims
    assert response.json()["type"].endswith("/invalid-token")


async def test_a_token_living_up_to_a_year_is_accepted(
    client: AsyncClient, settings: Settings
) -> None:
    exp = int((datetime.now(UTC) + timedelta(days=365)).timestamp())
    assert (await client.get("/api/v1/audit", headers=_hs256(settings, exp=exp))).status_code == 200
