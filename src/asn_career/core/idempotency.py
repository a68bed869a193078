"""``Idempotency-Key`` on creating POSTs.

The first response for (caller, path, key) is stored for 24 hours and replayed for the same
body; the same key with another body is a 422; while the first request still runs, a
second one gets 409. A session-level advisory lock on a separate connection marks "still
running" and disappears with the connection if the process dies.
"""

import contextlib
import hashlib
from datetime import UTC, datetime, timedelta

import orjson
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asn_career.config import Settings
from asn_career.core.auth import decode_token
from asn_career.core.guards import send_problem
from asn_career.core.idempotency_models import IdempotencyRecord

MAX_KEY_LENGTH = 200
_REPLAYED_HEADERS = {b"content-type", b"location", b"etag", b"content-language"}


def _caller_identity(settings: Settings, headers: dict[bytes, bytes]) -> str | None:
    """Who is asking, verified: replays must never cross callers."""
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    if authorization.lower().startswith("bearer "):
        try:
            principal = decode_token(settings, authorization[7:].strip())
        except Exception:
            return None
        return f"jwt:{principal.subject}:{principal.role.value}"
    api_key = headers.get(b"x-api-key")
    if api_key:
        # The key itself is verified downstream; a wrong key never gets a 2xx to store.
        return "key:" + hashlib.sha256(api_key).hexdigest()
    return None


def request_fingerprint(query: bytes, content_type: bytes, body: bytes) -> str:
    """What makes two requests "the same body". JSON is compared canonically (keys sorted,
    no whitespace), so a client that serialises its object in another order is not
    refused as sending another body. A multipart body is taken without its boundary, which
    clients draw afresh for every attempt: a retry of the same upload must replay."""
    media, *params = content_type.split(b";")
    if media.strip().lower() == b"application/json":
        # Not JSON after all: compared as it is (and refused downstream).
        with contextlib.suppress(orjson.JSONDecodeError):
            body = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    if media.strip().lower() == b"multipart/form-data":
        for param in params:
            name, _, value = param.strip().partition(b"=")
            boundary = value.strip(b'"')
            if name.lower() == b"boundary" and boundary:
                body = body.replace(b"--" + boundary, b"--<boundary>")
                content_type = media
    return hashlib.sha256(b"|".join([query, content_type, body])).hexdigest()


def idempotency_record_key(identity: str, path: str, key: bytes) -> str:
    return hashlib.sha256(b"|".join([identity.encode(), path.encode(), key])).hexdigest()


def advisory_lock_id(record_key: str) -> int:
    return int(record_key[:15], 16)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw_key = headers.get(b"idempotency-key")
        engine: AsyncEngine | None = getattr(scope["app"].state, "engine", None)
        if raw_key is None or engine is None:
            await self.app(scope, receive, send)
            return
        identity = _caller_identity(self.settings, headers)
        if identity is None or not 0 < len(raw_key) <= MAX_KEY_LENGTH:
            await self.app(scope, receive, send)
            return

        body = bytearray()
        more = True
        while more:
            message = await receive()
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
        record_key = idempotency_record_key(identity, scope["path"], raw_key)
        request_hash = request_fingerprint(
            scope.get("query_string", b""), headers.get(b"content-type", b""), bytes(body)
        )

        async with engine.connect() as conn:
            lock_id = advisory_lock_id(record_key)
            locked = (
                await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_id})
            ).scalar_one()
            await conn.commit()
            if not locked:
                await send_problem(scope, send, 409, "idempotency_in_progress")
                return
            try:
                answer = await self._handle(conn, scope, record_key, request_hash, bytes(body))
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_id})
                await conn.commit()
        # Only now, with the response stored and the lock released, does the client hear
        # back: a retry sent the moment the answer arrives replays instead of getting 409.
        for message in answer:
            await send(message)

    async def _handle(
        self, conn: AsyncConnection, scope: Scope, record_key: str, request_hash: str, body: bytes
    ) -> list[Message]:
        """The messages to answer with: a replay, a problem, or the app's own response
        (stored first unless it was a server error)."""
        horizon = datetime.now(UTC) - timedelta(hours=self.settings.idempotency_ttl_hours)
        stored = (
            await conn.execute(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.key == record_key, IdempotencyRecord.created_at > horizon
                )
            )
        ).one_or_none()
        await conn.commit()
        replayed: bytes | None = None
        if stored is not None:
            try:
                replayed = Fernet(self.settings.storage_key).decrypt(stored.body)
            except InvalidToken:
                stored = None  # stored under a secret since rotated: treat as expired
        if stored is not None and replayed is not None:
            if stored.request_hash != request_hash:
                refusal: list[Message] = []
                await send_problem(scope, _collect(refusal), 422, "idempotency_key_reused")
                return refusal
            replay_headers = [(k.encode(), v.encode()) for k, v in stored.headers]
            return [
                {
                    "type": "http.response.start",
                    "status": stored.status_code,
                    "headers": [*replay_headers, (b"idempotent-replayed", b"true")],
                },
                {"type": "http.response.body", "body": replayed},
            ]

        delivered = False

        async def replay_body() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        response_headers: list[tuple[bytes, bytes]] = []
        response_body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal status, response_headers
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                response_body.extend(message.get("body", b""))

        await self.app(scope, replay_body, capture)
        answer: list[Message] = [
            {"type": "http.response.start", "status": status, "headers": response_headers},
            {"type": "http.response.body", "body": bytes(response_body)},
        ]
        if status >= 500:
            return answer  # a server error is not an answer worth replaying; let them retry
        kept = [
            [k.decode("latin-1"), v.decode("latin-1")]
            for k, v in response_headers
            if k.lower() in _REPLAYED_HEADERS
        ]
        await conn.execute(delete(IdempotencyRecord).where(IdempotencyRecord.key == record_key))
        await conn.execute(
            insert(IdempotencyRecord).values(
                key=record_key,
                request_hash=request_hash,
                status_code=status,
                headers=kept,
                # Encrypted at rest: a first response may carry a secret shown once
                # (a new API key, a webhook secret).
                body=Fernet(self.settings.storage_key).encrypt(bytes(response_body)),
                meta={"path": scope["path"]},
            )
        )
        await conn.commit()
        return answer


def _collect(messages: list[Message]) -> Send:
    async def send(message: Message) -> None:
        messages.append(message)

    return send


async def purge_expired(session: AsyncSession, ttl_hours: int) -> int:
    horizon = datetime.now(UTC) - timedelta(hours=ttl_hours)
    result = await session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at <= horizon)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
