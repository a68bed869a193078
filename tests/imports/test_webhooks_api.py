"""The webhooks API: who may subscribe, what is validated, and the secret shown once."""

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from pydantic import SecretStr
from sqlalchemy import select

from asn_career.config import Settings
from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Role
from asn_career.imports.webhooks.models import WebhookSubscription
from asn_career.imports.webhooks.security import (
    UrlProblem,
    WebhookSettings,
    check_url,
    decrypt_secret,
    encrypt_secret,
    generate_secret,
    next_attempt,
    sign,
    verify,
)
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.imports.test_webhook_delivery import make_agency

URL = "https://simpeg.example.go.id/hooks/asn"


@pytest.fixture
async def agencies(client: AsyncClient, admin: dict[str, str]) -> None:
    await make_agency(client, admin, AGENCY_A)
    await make_agency(client, admin, AGENCY_B)


def body(**overrides: object) -> dict[str, object]:
    return {"url": URL, "event_types": ["employee.created"], "agency": AGENCY_A, **overrides}


async def test_create_shows_the_secret_once(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, agencies: None
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    created = await client.post("/api/v1/webhooks", json=body(), headers=hr)
    assert created.status_code == 201, created.text
    webhook = created.json()
    secret = webhook["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    assert webhook["secret_prefix"] == secret[:10]
    assert created.headers["location"] == f"/api/v1/webhooks/{webhook['id']}"
    assert created.headers["etag"]

    one = await client.get(f"/api/v1/webhooks/{webhook['id']}", headers=hr)
    listed = await client.get("/api/v1/webhooks", headers=hr)
    assert one.status_code == 200 and listed.status_code == 200
    assert "secret" not in one.json()
    for response in (one, listed):
        assert secret not in response.text
        assert secret[10:] not in response.text
    assert [w["id"] for w in listed.json()["items"]] == [webhook["id"]]

    async with app.state.sessionmaker() as session:
        stored = await session.get(WebhookSubscription, webhook["id"])
        assert stored is not None
        assert secret not in stored.secret_encrypted  # encrypted at rest
        audit = (await session.scalars(select(AuditEntry))).all()
    assert secret not in json.dumps([a.changes for a in audit])
    assert ("webhook.created", AGENCY_A) in {(a.action, a.agency_code) for a in audit}


async def test_a_given_secret_is_used_and_never_logged(
    client: AsyncClient,
    admin: dict[str, str],
    agencies: None,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = "my-own-receiver-secret-0123456789"
    with caplog.at_level(logging.DEBUG):
        created = await client.post("/api/v1/webhooks", json=body(secret=secret), headers=admin)
    assert created.status_code == 201
    assert created.json()["secret"] == secret
    out = capsys.readouterr()
    assert secret not in caplog.text + out.out + out.err


async def test_delete_is_audited_and_then_404(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], agencies: None
) -> None:
    webhook = (await client.post("/api/v1/webhooks", json=body(), headers=admin)).json()
    path = f"/api/v1/webhooks/{webhook['id']}"
    stale = await client.delete(path, headers={**admin, "If-Match": '"99"'})
    assert stale.status_code == 412
    etag = (await client.get(path, headers=admin)).headers["etag"]
    deleted = await client.delete(path, headers={**admin, "If-Match": etag})
    assert deleted.status_code == 204
    assert (await client.get(path, headers=admin)).status_code == 404
    assert (await client.delete(path, headers=admin)).status_code == 404
    assert (await client.get(f"{path}/deliveries", headers=admin)).status_code == 404
    listed = await client.get("/api/v1/webhooks", headers=admin)
    assert listed.json()["items"] == []
    async with app.state.sessionmaker() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert "webhook.deleted" in actions


async def test_every_route_needs_credentials(client: AsyncClient, agencies: None) -> None:
    for method, path in (
        ("GET", "/api/v1/webhooks"),
        ("POST", "/api/v1/webhooks"),
        ("GET", "/api/v1/webhooks/00000000-0000-0000-0000-000000000000"),
        ("DELETE", "/api/v1/webhooks/00000000-0000-0000-0000-000000000000"),
        ("GET", "/api/v1/webhooks/00000000-0000-0000-0000-000000000000/deliveries"),
    ):
        response = await client.request(method, path, json=body() if method == "POST" else None)
        assert response.status_code == 401, (method, path)


async def test_employees_and_supervisors_may_not_touch_webhooks(
    client: AsyncClient, auth: TokenFactory, agencies: None
) -> None:
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        headers = auth(role, AGENCY_A, sub="198609262015051001")
        assert (await client.get("/api/v1/webhooks", headers=headers)).status_code == 403
        created = await client.post("/api/v1/webhooks", json=body(), headers=headers)
        assert created.status_code == 403


async def test_other_agencies_get_403_on_create_and_404_on_objects(
    client: AsyncClient, admin: dict[str, str], auth: TokenFactory, agencies: None
) -> None:
    webhook = (await client.post("/api/v1/webhooks", json=body(), headers=admin)).json()
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    created = await client.post("/api/v1/webhooks", json=body(), headers=hr_b)
    assert created.status_code == 403
    path = f"/api/v1/webhooks/{webhook['id']}"
    assert (await client.get(path, headers=hr_b)).status_code == 404
    assert (await client.get(f"{path}/deliveries", headers=hr_b)).status_code == 404
    assert (await client.delete(path, headers=hr_b)).status_code == 404
    listed = await client.get("/api/v1/webhooks", headers=hr_b)
    assert listed.status_code == 200 and listed.json()["items"] == []
    # and filtering by the other agency shows nothing either
    filtered = await client.get(f"/api/v1/webhooks?agency={AGENCY_A}", headers=hr_b)
    assert filtered.json()["items"] == []
    assert (await client.get(path, headers=admin)).status_code == 200


async def test_integration_keys_need_the_webhooks_scope(
    client: AsyncClient, admin: dict[str, str], agencies: None
) -> None:
    keys = {}
    for scopes in (["webhooks:admin"], ["jobs:read"]):
        key = await client.post(
            "/api/v1/api-keys",
            json={"name": scopes[0], "agencies": [AGENCY_A], "scopes": scopes},
            headers=admin,
        )
        assert key.status_code == 201, key.text
        keys[scopes[0]] = {"X-API-Key": key.json()["key"]}
    allowed = await client.post("/api/v1/webhooks", json=body(), headers=keys["webhooks:admin"])
    assert allowed.status_code == 201, allowed.text
    other_agency = await client.post(
        "/api/v1/webhooks", json=body(agency=AGENCY_B), headers=keys["webhooks:admin"]
    )
    assert other_agency.status_code == 403
    denied = await client.get("/api/v1/webhooks", headers=keys["jobs:read"])
    assert denied.status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"url": "ftp://example.go.id/hook"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://user:pw@example.go.id/hook"}, "url"),
        ({"url": "https:///nohost"}, "url"),
        ({"url": "http://example.go.id:99999/hook"}, "url"),
        ({"event_types": ["employee.created", "employee.exploded"]}, "event_types"),
        ({"event_types": []}, "event_types"),
        ({"agency": "99.99"}, "agency"),
        ({"secret": "short"}, "secret"),
        ({"unknown": 1}, "unknown"),
    ],
)
async def test_invalid_subscriptions_are_422(
    client: AsyncClient,
    admin: dict[str, str],
    agencies: None,
    overrides: dict[str, object],
    field: str,
) -> None:
    response = await client.post("/api/v1/webhooks", json=body(**overrides), headers=admin)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(field in err["loc"] for err in response.json()["errors"])


async def test_event_types_are_deduplicated_and_sorted(
    client: AsyncClient, admin: dict[str, str], agencies: None
) -> None:
    response = await client.post(
        "/api/v1/webhooks",
        json=body(event_types=["employee.updated", "assignment.changed", "employee.updated"]),
        headers=admin,
    )
    assert response.json()["event_types"] == ["assignment.changed", "employee.updated"]


async def test_delivery_log_pages(
    client: AsyncClient, admin: dict[str, str], agencies: None
) -> None:
    webhook = (await client.post("/api/v1/webhooks", json=body(), headers=admin)).json()
    log = await client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries?limit=1", headers=admin)
    assert log.status_code == 200
    assert log.json() == {"items": [], "next_cursor": None}
    bad = await client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries?status=x", headers=admin)
    assert bad.status_code == 422


# --- pure rules --------------------------------------------------------------------------


def test_production_accepts_only_https_public_urls() -> None:
    strict = WebhookSettings(allowed_hosts=frozenset())
    check_url("https://simpeg.example.go.id/hook", production=True, options=strict)
    check_url("http://simpeg.example.go.id/hook", production=False, options=strict)
    for url in (
        "http://simpeg.example.go.id/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
    ):
        with pytest.raises(ValueError, match=r"."):
            check_url(url, production=True, options=strict)
    relaxed = WebhookSettings(allow_http=True, allowed_hosts="10.1.2.3")
    check_url("http://10.1.2.3/hook", production=True, options=relaxed)


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8799/x",
        "http://2130706433:8799/x",  # 127.0.0.1 as one number
        "http://0x7f000001/x",
        "http://127.1/x",
        "http://017700000001/x",
        "http://0177.0.0.1:8799/x",  # octal: httpx refuses it at every delivery
        "http://0/x",
        "http://0.0.0.0/x",
        "http://[2002:7f00:1::]/x",  # 6to4 around 127.0.0.1
        "http://[64:ff9b::a01:203]/x",  # NAT64 around 10.1.2.3
        "http://[::ffff:7f00:1]/x",  # IPv4-mapped loopback
        "http://[fe80::1]/x",
        "http://100.64.0.1/x",  # carrier-grade NAT
        "http://192.168.1.10/x",
        "http://169.254.169.254/x",
        "http://intranet.local/x",
    ],
)
def test_internal_and_numeric_tricks_are_refused_in_every_mode(url: str, production: bool) -> None:
    options = WebhookSettings(allow_http=True, allowed_hosts=frozenset())
    with pytest.raises(UrlProblem):
        check_url(url, production=production, options=options)


def test_the_allow_list_names_an_internal_host_and_urls_are_normalised() -> None:
    options = WebhookSettings(allowed_hosts="127.0.0.1, receiver.internal")
    assert options.allowed_hosts == {"127.0.0.1", "receiver.internal"}
    assert check_url("HTTP://127.0.0.1:8799/x", production=False, options=options) == (
        "http://127.0.0.1:8799/x"
    )
    check_url("http://Receiver.Internal/x", production=False, options=options)
    assert check_url("https://SIMPEG.example.go.id./h?a=1", production=False, options=options) == (
        "https://simpeg.example.go.id/h?a=1"
    )
    with pytest.raises(UrlProblem):
        check_url("http://127.0.0.2/x", production=False, options=options)


async def test_production_refuses_http_through_the_api(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], agencies: None
) -> None:
    settings: Settings = app.state.settings
    app.state.settings = settings.model_copy(update={"env": "production"})
    try:
        response = await client.post(
            "/api/v1/webhooks", json=body(url="http://simpeg.example.go.id/hook"), headers=admin
        )
    finally:
        app.state.settings = settings
    assert response.status_code == 422
    assert "https" in response.json()["detail"]


def test_signature_and_secret_storage(settings: Settings) -> None:
    secret = generate_secret()
    assert sign(secret, 1700000000, b'{"a":1}') == sign(secret, 1700000000, b'{"a":1}')
    assert verify(secret, 1700000000, b'{"a":1}', sign(secret, 1700000000, b'{"a":1}'))
    assert not verify(secret, 1700000001, b'{"a":1}', sign(secret, 1700000000, b'{"a":1}'))
    options = WebhookSettings()
    token = encrypt_secret(secret, settings, options)
    assert secret not in token
    assert decrypt_secret(token, settings, options) == secret
    other = WebhookSettings(secret_key=SecretStr("another-key"))
    assert decrypt_secret(token, settings, other) is None


def test_backoff_doubles_is_capped_and_ends() -> None:
    options = WebhookSettings(max_attempts=10, backoff_base_seconds=30, backoff_cap_seconds=3600)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    delays = [next_attempt(now, n, options) for n in range(1, 11)]
    seconds = [(d - now).total_seconds() for d in delays if d is not None]
    assert seconds == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert delays[-1] is None
    assert next_attempt(now, 1, options) == now + timedelta(seconds=30)
