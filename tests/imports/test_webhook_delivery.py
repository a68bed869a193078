"""The outbox and webhook delivery: events written with the change, delivered signed to a
real local HTTP receiver, retried with backoff on a controllable clock, never lost."""

import asyncio
import json
import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import String, column, func, literal, select, update

from asn_career.config import Settings
from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import (
    EventRow,
    OutboxEvent,
    UnknownEventType,
    emit,
    emit_many,
    emit_select,
    purge_dispatched,
)
from asn_career.imports.webhooks.delivery import (
    PublicAddressTransport,
    _client,
    deliver_due,
    dispatch,
    fan_out,
)
from asn_career.imports.webhooks.models import (
    WebhookDelivery,
    WebhookDeliveryAttempt,
    WebhookSubscription,
)
from asn_career.imports.webhooks.security import WebhookSettings, verify
from asn_career.profiles.employees.schemas import EmployeeCreate
from asn_career.profiles.employees.service import EmployeeService
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory

NIP = "198609262015051001"
NIP_2 = "199001152019032002"
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


# --- a real receiver ---------------------------------------------------------------------


class Receiver:
    """A threaded ``http.server`` on 127.0.0.1: answers with the queued statuses (then
    200) and keeps every request."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def _closed_port_url() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}/down"


# --- helpers -----------------------------------------------------------------------------


async def make_agency(client: AsyncClient, admin: dict[str, str], code: str) -> None:
    response = await client.post(
        "/api/v1/agencies",
        json={"code": code, "name": f"Pemerintah {code}", "region_code": code},
        headers=admin,
    )
    assert response.status_code == 201, response.text


async def subscribe(
    client: AsyncClient,
    headers: dict[str, str],
    url: str,
    agency: str = AGENCY_A,
    events: list[str] | None = None,
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/webhooks",
        json={
            "url": url,
            "agency": agency,
            "event_types": events or ["employee.created", "employee.updated"],
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_employee(
    client: AsyncClient, headers: dict[str, str], nip: str = NIP, agency: str = AGENCY_A
) -> None:
    response = await client.post(
        "/api/v1/employees",
        json={"nip": nip, "name": "Siti Rahmawati", "agency": agency, "nik": "3674012609860001"},
        headers=headers,
    )
    assert response.status_code == 201, response.text


async def outbox(app: FastAPI) -> list[OutboxEvent]:
    async with app.state.sessionmaker() as session:
        stmt = select(OutboxEvent).order_by(OutboxEvent.occurred_at, OutboxEvent.id)
        return list((await session.scalars(stmt)).all())


async def deliveries(app: FastAPI) -> list[WebhookDelivery]:
    async with app.state.sessionmaker() as session:
        stmt = select(WebhookDelivery).order_by(WebhookDelivery.created_at)
        return list((await session.scalars(stmt)).all())


def fast(**values: Any) -> WebhookSettings:
    return WebhookSettings(timeout_seconds=2.0, **values)


# --- the outbox --------------------------------------------------------------------------


async def test_changes_emit_events_in_their_transaction_without_the_nik(
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> None:
    await make_agency(client, admin, AGENCY_A)
    await create_employee(client, admin)
    patched = await client.patch(
        f"/api/v1/employees/{NIP}", json={"name": "Siti Rahmawati, S.Psi"}, headers=admin
    )
    assert patched.status_code == 200, patched.text

    events = await outbox(app)
    assert [e.event_type for e in events] == ["employee.created", "employee.updated"]
    created, updated = events
    assert created.agency_code == AGENCY_A
    assert created.payload["nip"] == NIP
    assert created.payload["changes"]["name"] == {"before": None, "after": "Siti Rahmawati"}
    assert "3674012609860001" not in json.dumps([e.payload for e in events])
    assert "nik" not in created.payload["changes"]
    assert updated.payload["changes"] == {
        "name": {"before": "Siti Rahmawati", "after": "Siti Rahmawati, S.Psi"}
    }
    assert all(e.dispatched_at is None for e in events)


async def test_a_rolled_back_change_emits_nothing(app: FastAPI, admin: dict[str, str]) -> None:
    async with app.state.sessionmaker() as session:
        from asn_career.org.models import Agency

        session.add(Agency(code=AGENCY_A, name="Kota Tangerang Selatan", region_code=AGENCY_A))
        await session.commit()
    principal = Principal(subject="hr", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    with pytest.raises(RuntimeError):
        async with unit_of_work(app.state.sessionmaker) as session:
            await EmployeeService(session, principal).create(
                EmployeeCreate(nip=NIP, name="Siti", agency=AGENCY_A)
            )
            assert len(await outbox_in(session)) == 1  # flushed, visible in the transaction
            raise RuntimeError("the request failed after the change")
    assert await outbox(app) == []


async def outbox_in(session: Any) -> list[OutboxEvent]:
    return list((await session.scalars(select(OutboxEvent))).all())


async def test_a_rejected_request_emits_nothing(
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> None:
    await make_agency(client, admin, AGENCY_A)
    bad = await client.post(
        "/api/v1/employees",
        json={"nip": NIP_2, "name": "Dewi", "agency": AGENCY_A, "gender": "M"},  # NIP says F
        headers=admin,
    )
    assert bad.status_code == 422
    assert await outbox(app) == []


async def test_assignment_changes_emit_assignment_changed(
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> None:
    await make_agency(client, admin, AGENCY_A)
    unit = await client.post(
        f"/api/v1/agencies/{AGENCY_A}/units",
        json={"code": "BKPSDM", "name": "BKPSDM", "kind": "badan"},
        headers=admin,
    )
    position = await client.post(
        "/api/v1/positions",
        json={
            "code": "ANALIS",
            "title": "Analis SDM",
            "unit_id": unit.json()["id"],
            "kind": "pelaksana",
        },
        headers=admin,
    )
    assert position.status_code == 201, position.text
    await create_employee(client, admin)
    base = f"/api/v1/employees/{NIP}/assignments"
    created = await client.post(
        base,
        json={"position_id": position.json()["id"], "start_date": "2020-01-02"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assignment_id = created.json()["id"]
    updated = await client.patch(
        f"{base}/{assignment_id}", json={"decree_number": "800/1/2020"}, headers=admin
    )
    assert updated.status_code == 200, updated.text
    deleted = await client.delete(f"{base}/{assignment_id}", headers=admin)
    assert deleted.status_code == 204, deleted.text

    changed = [e for e in await outbox(app) if e.event_type == "assignment.changed"]
    assert [e.payload["action"] for e in changed] == ["created", "updated", "deleted"]
    assert {e.payload["assignment_id"] for e in changed} == {assignment_id}
    assert all(e.payload["nip"] == NIP for e in changed)
    assert changed[1].payload["changes"] == {
        "decree_number": {"before": None, "after": "800/1/2020"}
    }
    # the current position followed the assignment: employee.updated on open and close
    positions = [
        e.payload["changes"].get("position_id")
        for e in await outbox(app)
        if e.event_type == "employee.updated"
    ]
    assert {"before": None, "after": position.json()["id"]} in positions
    assert {"before": position.json()["id"], "after": None} in positions


async def test_emit_many_and_emit_select_are_set_based(app: FastAPI) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        count = await emit_many(
            session,
            [
                EventRow("employee.created", {"nip": f"{i:018d}", "nik": "secret"}, AGENCY_A)
                for i in range(3)
            ],
        )
        assert count == 3
        rows = select(
            literal(AGENCY_B, String(32)).label("agency_code"),
            func.jsonb_build_object(
                "nip", func.concat("19900115201903200", column("n")), "nik", "1"
            ).label("payload"),
        ).select_from(func.generate_series(1, 2).alias("n"))
        assert await emit_select(session, "employee.updated", rows) == 2
        with pytest.raises(UnknownEventType):
            await emit(session, "employee.vanished", {}, AGENCY_A)
    events = await outbox(app)
    assert len(events) == 5
    assert all("nik" not in e.payload for e in events)
    assert {e.agency_code for e in events} == {AGENCY_A, AGENCY_B}


# --- delivery ----------------------------------------------------------------------------


async def test_receiver_gets_the_event_with_a_valid_signature(
    app: FastAPI,
    client: AsyncClient,
    admin: dict[str, str],
    settings: Settings,
    receiver: Receiver,
) -> None:
    await make_agency(client, admin, AGENCY_A)
    webhook = await subscribe(client, admin, receiver.url)
    await create_employee(client, admin)

    assert await fan_out(app.state.sessionmaker, now=T0) == 1
    result = await deliver_due(app.state.sessionmaker, now=T0, settings=settings, options=fast())
    assert (result.attempted, result.delivered) == (1, 1)

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    timestamp = int(headers["x-asn-career-timestamp"])
    assert timestamp == int(T0.timestamp())
    assert headers["x-asn-career-event"] == "employee.created"
    assert headers["content-type"] == "application/json"
    assert verify(webhook["secret"], timestamp, body, headers["x-asn-career-signature"])
    assert not verify("whsec_wrong", timestamp, body, headers["x-asn-career-signature"])
    assert headers["x-asn-career-signature"].startswith("sha256=")
    event = json.loads(body)
    assert event["type"] == "employee.created"
    assert event["agency"] == AGENCY_A
    assert event["data"]["nip"] == NIP
    assert "3674012609860001" not in body.decode()

    [delivery] = await deliveries(app)
    assert headers["x-asn-career-delivery"] == str(delivery.id)
    assert delivery.status == "delivered"
    log = await client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=admin)
    assert log.status_code == 200
    [entry] = log.json()["items"]
    assert entry["status"] == "delivered"
    assert entry["attempt_log"][0]["status_code"] == 200
    assert entry["attempt_log"][0]["duration_ms"] >= 0

    # delivered once: another round sends nothing
    again = await deliver_due(
        app.state.sessionmaker, now=T0 + timedelta(hours=1), settings=settings, options=fast()
    )
    assert again.attempted == 0
    assert len(receiver.requests) == 1


async def test_a_receiver_failing_twice_gets_the_event_after_backoff(
    app: FastAPI,
    client: AsyncClient,
    admin: dict[str, str],
    settings: Settings,
    receiver: Receiver,
) -> None:
    await make_agency(client, admin, AGENCY_A)
    webhook = await subscribe(client, admin, receiver.url)
    await create_employee(client, admin)
    receiver.statuses = [500, 503]
    sessionmaker = app.state.sessionmaker
    options = fast(backoff_base_seconds=30)

    await fan_out(sessionmaker, now=T0)
    first = await deliver_due(sessionmaker, now=T0, settings=settings, options=options)
    assert (first.attempted, first.retrying) == (1, 1)
    [delivery] = await deliveries(app)
    assert delivery.next_attempt_at == T0 + timedelta(seconds=30)

    early = await deliver_due(
        sessionmaker, now=T0 + timedelta(seconds=29), settings=settings, options=options
    )
    assert early.attempted == 0

    t1 = T0 + timedelta(seconds=30)
    second = await deliver_due(sessionmaker, now=t1, settings=settings, options=options)
    assert second.retrying == 1
    [delivery] = await deliveries(app)
    assert delivery.next_attempt_at == t1 + timedelta(seconds=60)  # 30 s × 2

    t2 = t1 + timedelta(seconds=60)
    third = await deliver_due(sessionmaker, now=t2, settings=settings, options=options)
    assert third.delivered == 1
    assert len(receiver.requests) == 3
    # every attempt is the same delivery, signed afresh
    assert len({h["x-asn-career-delivery"] for h, _ in receiver.requests}) == 1
    for headers, body in receiver.requests:
        timestamp = int(headers["x-asn-career-timestamp"])
        assert verify(webhook["secret"], timestamp, body, headers["x-asn-career-signature"])

    log = await client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=admin)
    [entry] = log.json()["items"]
    assert entry["status"] == "delivered"
    assert entry["attempts"] == 3
    assert [a["status_code"] for a in entry["attempt_log"]] == [500, 503, 200]
    assert [a["error"] for a in entry["attempt_log"]] == ["HTTP 500", "HTTP 503", None]


async def test_a_receiver_that_is_down_keeps_the_event_pending_until_exhausted(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], settings: Settings
) -> None:
    await make_agency(client, admin, AGENCY_A)
    webhook = await subscribe(client, admin, _closed_port_url())
    await create_employee(client, admin)
    sessionmaker = app.state.sessionmaker
    options = fast(max_attempts=3, backoff_base_seconds=30, backoff_cap_seconds=45)

    await fan_out(sessionmaker, now=T0)
    await deliver_due(sessionmaker, now=T0, settings=settings, options=options)
    [delivery] = await deliveries(app)
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.last_status_code is None
    assert delivery.last_error and "Connect" in delivery.last_error

    await deliver_due(
        sessionmaker, now=T0 + timedelta(seconds=30), settings=settings, options=options
    )
    [delivery] = await deliveries(app)
    assert delivery.next_attempt_at == T0 + timedelta(seconds=75)  # 60 s capped at 45 s
    done = await deliver_due(
        sessionmaker, now=T0 + timedelta(seconds=75), settings=settings, options=options
    )
    assert done.failed == 1
    [delivery] = await deliveries(app)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    log = await client.get(
        f"/api/v1/webhooks/{webhook['id']}/deliveries?status=failed", headers=admin
    )
    assert len(log.json()["items"][0]["attempt_log"]) == 3


async def test_the_receiver_coming_back_gets_what_was_pending(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], settings: Settings
) -> None:
    await make_agency(client, admin, AGENCY_A)
    down_url = _closed_port_url()
    await subscribe(client, admin, down_url)
    await create_employee(client, admin)
    sessionmaker = app.state.sessionmaker
    await fan_out(sessionmaker, now=T0)
    await deliver_due(sessionmaker, now=T0, settings=settings, options=fast())
    [delivery] = await deliveries(app)
    assert delivery.status == "pending"

    port = int(down_url.rsplit(":", 1)[1].split("/")[0])
    with Receiver() as back:
        back.server.server_close()
        back.server = ThreadingHTTPServer(("127.0.0.1", port), back.server.RequestHandlerClass)
        back.thread = threading.Thread(target=back.server.serve_forever, daemon=True)
        back.thread.start()
        await deliver_due(
            sessionmaker, now=T0 + timedelta(minutes=5), settings=settings, options=fast()
        )
        assert len(back.requests) == 1
    [delivery] = await deliveries(app)
    assert delivery.status == "delivered"


async def test_other_agencies_and_other_event_types_never_get_the_event(
    app: FastAPI,
    client: AsyncClient,
    admin: dict[str, str],
    auth: TokenFactory,
    settings: Settings,
) -> None:
    await make_agency(client, admin, AGENCY_A)
    await make_agency(client, admin, AGENCY_B)
    with Receiver() as a, Receiver() as b, Receiver() as other_type, Receiver() as inactive:
        await subscribe(client, auth(Role.HR_OFFICER, AGENCY_A), a.url, AGENCY_A)
        await subscribe(client, auth(Role.HR_OFFICER, AGENCY_B), b.url, AGENCY_B)
        await subscribe(client, admin, other_type.url, AGENCY_A, ["assignment.changed"])
        response = await client.post(
            "/api/v1/webhooks",
            json={
                "url": inactive.url,
                "agency": AGENCY_A,
                "event_types": ["employee.created"],
                "active": False,
            },
            headers=admin,
        )
        assert response.status_code == 201
        await create_employee(client, admin)
        await fan_out(app.state.sessionmaker, now=T0)
        await deliver_due(app.state.sessionmaker, now=T0, settings=settings, options=fast())
        assert len(a.requests) == 1
        assert b.requests == [] and other_type.requests == [] and inactive.requests == []


async def test_one_unusable_url_fails_only_its_own_delivery(
    app: FastAPI,
    client: AsyncClient,
    admin: dict[str, str],
    settings: Settings,
    receiver: Receiver,
) -> None:
    """A URL httpx cannot even parse (stored before creation checked it) used to make the
    whole batch raise, every minute: no delivery of any agency was attempted."""
    await make_agency(client, admin, AGENCY_A)
    await make_agency(client, admin, AGENCY_B)
    broken = await subscribe(client, admin, receiver.url, AGENCY_A)
    await subscribe(client, admin, receiver.url, AGENCY_B)
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == uuid.UUID(broken["id"]))
            .values(url="http://0177.0.0.1:8799/x")
        )
    await create_employee(client, admin, agency=AGENCY_A)
    await create_employee(client, admin, nip=NIP_2, agency=AGENCY_B)
    await fan_out(app.state.sessionmaker, now=T0)
    result = await deliver_due(app.state.sessionmaker, now=T0, settings=settings, options=fast())
    assert (result.attempted, result.delivered, result.retrying) == (2, 1, 1)
    assert len(receiver.requests) == 1
    by_agency = {d.subscription_id: d for d in await deliveries(app)}
    failed = by_agency[uuid.UUID(broken["id"])]
    assert failed.status == "pending" and failed.attempts == 1
    assert failed.last_error is not None and "InvalidURL" in failed.last_error


async def test_a_deleted_subscription_cancels_its_pending_deliveries(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], settings: Settings
) -> None:
    await make_agency(client, admin, AGENCY_A)
    webhook = await subscribe(client, admin, _closed_port_url())
    await create_employee(client, admin)
    await fan_out(app.state.sessionmaker, now=T0)
    deleted = await client.delete(f"/api/v1/webhooks/{webhook['id']}", headers=admin)
    assert deleted.status_code == 204
    result = await deliver_due(app.state.sessionmaker, now=T0, settings=settings, options=fast())
    assert result.attempted == 0
    [delivery] = await deliveries(app)
    assert delivery.status == "cancelled"


async def test_the_worker_task_fans_out_and_delivers(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], receiver: Receiver
) -> None:
    await make_agency(client, admin, AGENCY_A)
    await subscribe(client, admin, receiver.url)
    await create_employee(client, admin)
    assert await dispatch(app.state.sessionmaker) == 1
    assert len(receiver.requests) == 1
    assert all(e.dispatched_at is not None for e in await outbox(app))


async def test_delivery_uses_an_httpx_client_with_the_mock_transport_too(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], settings: Settings
) -> None:
    """The client is injectable: a transport error is logged as an attempt, not raised."""
    await make_agency(client, admin, AGENCY_A)
    await subscribe(client, admin, "https://receiver.example.invalid/hook")
    await create_employee(client, admin)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as mock:
        await fan_out(app.state.sessionmaker, now=T0)
        result = await deliver_due(
            app.state.sessionmaker, now=T0, client=mock, settings=settings, options=fast()
        )
    assert result.retrying == 1
    [delivery] = await deliveries(app)
    assert delivery.last_error == "ConnectTimeout: timed out"
    assert isinstance(delivery.id, uuid.UUID)


async def test_dispatched_events_are_purged_after_the_retention_with_their_deliveries(
    app: FastAPI,
    client: AsyncClient,
    admin: dict[str, str],
    settings: Settings,
    receiver: Receiver,
) -> None:
    sessionmaker = app.state.sessionmaker
    await make_agency(client, admin, AGENCY_A)
    await subscribe(client, admin, receiver.url)
    await create_employee(client, admin)
    assert await fan_out(sessionmaker, now=T0) == 1
    await deliver_due(sessionmaker, now=T0, settings=settings, options=fast())
    await create_employee(client, admin, nip=NIP_2)  # never dispatched: stays pending

    assert await purge_dispatched(sessionmaker, 30, T0 + timedelta(days=29)) == 0
    assert len(await deliveries(app)) == 1

    assert await purge_dispatched(sessionmaker, 30, T0 + timedelta(days=31)) == 1
    [left] = await outbox(app)
    assert left.dispatched_at is None and left.payload["nip"] == NIP_2
    assert await deliveries(app) == []
    async with sessionmaker() as session:
        attempts = select(func.count()).select_from(WebhookDeliveryAttempt)
        assert await session.scalar(attempts) == 0
    # The pending event outlives any retention.
    assert await purge_dispatched(sessionmaker, 1, T0 + timedelta(days=3650)) == 0


# --- public addresses only ----------------------------------------------------------------


class _Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(204)


def _resolving(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
    """Answer name lookups from ``answers`` (no DNS here); IP literals resolve to
    themselves as the system resolver does."""
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def getaddrinfo(host: Any, port: Any, **kwargs: Any) -> list[Any]:
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]
        return await real(host, port, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8080/hook",
        "http://10.1.2.3/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "https://rebinding.example.go.id/hook",  # one public, one private answer
        "https://intranet.example.go.id/hook",
    ],
)
async def test_deliveries_never_connect_to_internal_addresses(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    _resolving(
        monkeypatch,
        {
            "rebinding.example.go.id": ["93.184.216.34", "192.168.1.5"],
            "intranet.example.go.id": ["172.16.0.10"],
        },
    )
    inner = _Recorder()
    async with httpx.AsyncClient(
        transport=PublicAddressTransport(httpx.MockTransport(inner))
    ) as http:
        with pytest.raises(httpx.ConnectError, match="local or private address"):
            await http.post(url, content=b"{}")
    assert inner.requests == []


async def test_a_public_name_is_connected_at_the_address_that_was_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _resolving(monkeypatch, {"simpeg.example.go.id": ["93.184.216.34"]})
    inner = _Recorder()
    async with httpx.AsyncClient(
        transport=PublicAddressTransport(httpx.MockTransport(inner))
    ) as http:
        response = await http.post("https://simpeg.example.go.id:8443/hook", content=b"{}")
    assert response.status_code == 204
    [sent] = inner.requests
    assert sent.url == "https://93.184.216.34:8443/hook"
    assert sent.headers["host"] == "simpeg.example.go.id:8443"
    assert sent.extensions["sni_hostname"] == "simpeg.example.go.id"


def test_deliveries_are_confined_to_public_addresses_in_every_mode(
    settings: Settings,
) -> None:
    production = settings.model_copy(update={"env": "production"})
    for mode in (settings, production):
        guarded = _client(mode, fast())
        assert isinstance(guarded._transport, PublicAddressTransport)


async def test_only_the_allowed_hosts_may_be_internal(monkeypatch: pytest.MonkeyPatch) -> None:
    inner = _Recorder()
    options = fast(allowed_hosts="127.0.0.1")
    async with httpx.AsyncClient(
        transport=PublicAddressTransport(httpx.MockTransport(inner), options)
    ) as http:
        assert (await http.post("http://127.0.0.1:8799/hook", content=b"{}")).status_code == 204
        with pytest.raises(httpx.ConnectError, match="local or private address"):
            await http.post("http://127.0.0.2:8799/hook", content=b"{}")
    assert [str(r.url) for r in inner.requests] == ["http://127.0.0.1:8799/hook"]
