"""The worker side of webhooks: fan outbox events out to deliveries, POST them signed,
retry with backoff, log every attempt.

``dispatch`` is an outbox consumer (``asn_career.registry.OUTBOX_CONSUMERS``), so the job
worker's periodic ``asn.dispatch_outbox`` task runs it every minute. Each step runs in its
own transaction with the rows it works on locked ``FOR UPDATE SKIP LOCKED``: several
workers share the work, and a worker that dies releases its rows untouched — a receiver
that is down, or a worker that crashes, loses nothing; a delivery stays pending until
delivered or exhausted. Tests drive ``fan_out`` and ``deliver_due`` directly with their own clock.
"""

import asyncio
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career import __version__
from asn_career.config import Settings, get_settings
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.imports.webhooks.models import (
    WebhookDelivery,
    WebhookDeliveryAttempt,
    WebhookSubscription,
)
from asn_career.imports.webhooks.repository import WebhookRepository
from asn_career.imports.webhooks.security import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookSettings,
    decrypt_secret,
    get_webhook_settings,
    is_internal_address,
    next_attempt,
    sign,
)

_log = structlog.get_logger("asn_career.webhooks")

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class DeliveryRound:
    attempted: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def event_body(event: OutboxEvent) -> bytes:
    """What a receiver gets: the event id (the same for every subscription, to
    de-duplicate), its type, agency, time and data."""
    return orjson.dumps(
        {
            "id": str(event.id),
            "type": event.event_type,
            "agency": event.agency_code,
            "occurred_at": event.occurred_at.isoformat(),
            "data": event.payload,
        }
    )


@dataclass
class _Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def _post(
    client: httpx.AsyncClient,
    delivery: WebhookDelivery,
    event: OutboxEvent,
    subscription: WebhookSubscription,
    secret: str | None,
    now: datetime,
) -> _Outcome:
    if secret is None:
        return _Outcome(None, "signing secret cannot be decrypted (key changed?)", 0)
    body = event_body(event)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"asn-career-webhooks/{__version__}",
        EVENT_HEADER: event.event_type,
        DELIVERY_HEADER: str(delivery.id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
    started = time.perf_counter()
    try:
        response = await client.post(subscription.url, content=body, headers=headers)
    except Exception as exc:  # any failure is this delivery's failed attempt, nobody else's
        elapsed = int((time.perf_counter() - started) * 1000)
        message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return _Outcome(None, message[:500], elapsed)
    elapsed = int((time.perf_counter() - started) * 1000)
    if 200 <= response.status_code < 300:
        return _Outcome(response.status_code, None, elapsed)
    return _Outcome(response.status_code, f"HTTP {response.status_code}", elapsed)


class PublicAddressTransport(httpx.AsyncBaseTransport):
    """Connects only to public addresses, or to a host ``allowed_hosts`` names.

    The URL check at subscription time sees names, not where they point; a name can
    resolve to a private address, or change its answer later. So at delivery the host is
    resolved here, refused when any address is internal, and the connection goes to the
    address that was checked (TLS still verifies the certificate for the name).
    """

    def __init__(
        self, inner: httpx.AsyncBaseTransport, options: WebhookSettings | None = None
    ) -> None:
        self.inner = inner
        self.options = options or WebhookSettings(allowed_hosts=frozenset())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if self.options.allows(host):
            return await self.inner.handle_async_request(request)
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            found = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise httpx.ConnectError(f"cannot resolve {host}: {exc}", request=request) from exc
        addresses = [str(info[4][0]) for info in found]
        if not addresses or any(is_internal_address(a) for a in addresses):
            raise httpx.ConnectError(
                f"{host} resolves to a local or private address", request=request
            )
        request.url = request.url.copy_with(host=addresses[0])
        request.extensions = {**request.extensions, "sni_hostname": host}
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _client(settings: Settings, options: WebhookSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=PublicAddressTransport(httpx.AsyncHTTPTransport(trust_env=False), options),
        timeout=httpx.Timeout(options.timeout_seconds, connect=min(5.0, options.timeout_seconds)),
        follow_redirects=False,
        trust_env=False,
    )


async def fan_out(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    now: datetime | None = None,
    batch_size: int = 500,
) -> int:
    """Turn every pending outbox event into deliveries; returns the events taken."""
    total = 0
    while True:
        async with unit_of_work(sessionmaker) as session:
            taken = await WebhookRepository(session).fan_out(now or _utcnow(), batch_size)
        total += taken
        if taken < batch_size:
            return total


async def deliver_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    now: datetime | None = None,
    client: httpx.AsyncClient | None = None,
    settings: Settings | None = None,
    options: WebhookSettings | None = None,
    max_batches: int = 100,
) -> DeliveryRound:
    """POST every delivery due at ``now``; 2xx → delivered, else retry later or fail."""
    settings = settings or get_settings()
    options = options or get_webhook_settings()
    outcome = DeliveryRound()
    own_client = client is None
    http = client or _client(settings, options)
    try:
        for _ in range(max_batches):
            at = now or _utcnow()
            async with unit_of_work(sessionmaker) as session:
                batch = await _deliver_batch(session, http, at, settings, options, outcome)
            if batch < options.batch_size:
                break
    finally:
        if own_client:
            await http.aclose()
    return outcome


async def _deliver_batch(
    session: AsyncSession,
    http: httpx.AsyncClient,
    now: datetime,
    settings: Settings,
    options: WebhookSettings,
    outcome: DeliveryRound,
) -> int:
    repository = WebhookRepository(session)
    rows = await repository.claim_due(now, options.batch_size)
    if not rows:
        return 0
    limit = asyncio.Semaphore(max(1, options.concurrency))

    async def attempt(row: Any) -> _Outcome:
        delivery, event, subscription = row
        async with limit:
            secret = decrypt_secret(subscription.secret_encrypted, settings, options)
            return await _post(http, delivery, event, subscription, secret, now)

    results = await asyncio.gather(*(attempt(row) for row in rows))
    for (delivery, _event, subscription), result in zip(rows, results, strict=True):
        delivery.attempts += 1
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error
        repository.add_attempt(
            WebhookDeliveryAttempt(
                delivery_id=delivery.id,
                attempt=delivery.attempts,
                attempted_at=now,
                status_code=result.status_code,
                error=result.error,
                duration_ms=result.duration_ms,
            )
        )
        outcome.attempted += 1
        if result.ok:
            delivery.status = "delivered"
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            outcome.delivered += 1
        else:
            retry_at = next_attempt(now, delivery.attempts, options)
            delivery.next_attempt_at = retry_at
            if retry_at is None:
                delivery.status = "failed"
                outcome.failed += 1
            else:
                outcome.retrying += 1
        _log.info(
            "webhook_attempt",
            delivery_id=str(delivery.id),
            subscription_id=str(subscription.id),
            event_type=delivery.event_type,
            attempt=delivery.attempts,
            status=delivery.status,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
        )
    await session.flush()
    return len(rows)


async def dispatch(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """The periodic run: fan out new events, then deliver what is due."""
    await fan_out(sessionmaker)
    return (await deliver_due(sessionmaker)).attempted
