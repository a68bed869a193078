"""Request guards that run before routing: body size (413), media type (415), rate (429)."""

import contextlib
import hashlib
import ipaddress
import math
import time

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asn_career.config import Settings
from asn_career.core import i18n
from asn_career.core.auth import decode_token, split_api_key
from asn_career.core.errors import Unauthorized
from asn_career.core.observability import current_request_id
from asn_career.core.ratelimit.counters import SharedCounters

_BODY_METHODS = {"POST", "PUT", "PATCH"}
_ACCEPTED_MEDIA = ("application/json", "multipart/form-data")

LARGE_BODY_ROUTES: dict[tuple[str, str], str] = {("POST", "/api/v1/imports"): "import_max_bytes"}
"""Routes with their own body limit: (method, path) → the ``Settings`` field holding it."""

OWN_RATE_LIMIT_PREFIXES: tuple[str, ...] = ("/api/v1/feedback/public/",)
"""Paths that count their callers themselves and are left alone here: the public 360°
form, which must not keep a citizen's address even for a minute (see
``feedback.public.dependencies``)."""


async def send_problem(
    scope: Scope, send: Send, status: int, code: str, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    raw_headers = dict(scope.get("headers", []))
    lang = i18n.negotiate(raw_headers.get(b"accept-language", b"").decode("latin-1"))
    body = {
        "type": f"https://asn-career.id/problems/{code.replace('_', '-')}",
        "title": i18n.title(status, lang),
        "status": status,
        "detail": i18n.message(code, lang),
        "instance": scope.get("path"),
        "request_id": current_request_id(),
    }
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-language", lang.encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": orjson.dumps(body)})


class _BodyTooLarge(Exception):
    pass


class BodyGuardMiddleware:
    """Refuses bodies over the limit (declared or streamed) and bodies that are not JSON
    or multipart, before any handler reads them."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    def _limit(self, scope: Scope) -> int:
        """The general limit, or a route's own (file uploads) from the app's settings."""
        field = LARGE_BODY_ROUTES.get((scope["method"], scope.get("path", "")))
        app = scope.get("app")
        settings = getattr(getattr(app, "state", None), "settings", None)
        if field is None or settings is None:
            return self.max_body_bytes
        return int(getattr(settings, field))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await send_problem(scope, send, 413, "body_too_large")
            return
        has_body = (declared is not None and declared != b"0") or b"transfer-encoding" in headers
        media = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        json_like = media.endswith("+json")
        if has_body and not (media in _ACCEPTED_MEDIA or json_like):
            upload = (scope["method"], scope.get("path", "")) in LARGE_BODY_ROUTES
            await send_problem(
                scope, send, 415, "upload_media_type" if upload else "unsupported_media_type"
            )
            return

        received = 0
        response_started = False
        refused = False

        async def limited_receive() -> Message:
            # Frameworks turn an error raised while reading the body into their own 400,
            # so the 413 is sent from here and whatever the app answers after it dropped.
            nonlocal received, response_started, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not response_started:
                        response_started = refused = True
                        await send_problem(scope, send, 413, "body_too_large")
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if refused:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not refused:
                raise


def client_address(scope: Scope) -> str:
    """The bucket of a caller that has not proven who it is: its address, as the server
    saw it (uvicorn takes it from ``X-Forwarded-For`` only when the peer is one of
    ``FORWARDED_ALLOW_IPS``). An IPv6 subscriber holds a whole /64, so that is one address."""
    client = scope.get("client")
    host = client[0] if client else "unknown"
    if ":" in host:
        with contextlib.suppress(ValueError):
            host = f"{ipaddress.IPv6Network((host, 64), strict=False).network_address}/64"
    return f"ip:{host}"


class RateLimitMiddleware:
    """A fixed window per caller and calendar minute, counted over every process.

    The caller is who it proves to be, never what it merely claims, so that sending a new
    made-up credential each time does not open a new budget:

    - a bearer token whose signature and claims verify: its subject and role (the decoded
      principal is left in the request state, so ``core.auth`` does not decode it again);
    - an API key: by its lookup prefix, once a response other than 401 has shown it valid
      (no database look-up here). Until then the request must fit both the key's and the
      address's budget, and is charged after the response: a 401 to the address, anything
      else to the key;
    - anything else (no credential, a token that does not verify, a malformed key): the
      client address.

    Many valid users behind one office NAT each have their own budget; unverified requests
    from there share one. Counts live in ``core.ratelimit.counters``, shared through
    Postgres by every ``serve --workers`` process. With the limit at 0 the middleware is
    not installed at all.
    """

    def __init__(self, app: ASGIApp, settings: Settings, counters: SharedCounters) -> None:
        self.app = app
        self.settings = settings
        self.per_minute = settings.rate_limit_per_minute
        self.counters = counters
        self.valid_keys: dict[bytes, str] = {}
        """Digests of the API keys answered other than 401 this minute → their bucket."""
        self.valid_keys_minute = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not path.startswith("/api/")
            or path.startswith(OWN_RATE_LIMIT_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        now = time.time()
        minute = int(now // 60)
        authorization = api_key = None
        for name, value in scope["headers"]:
            # The first of each, as ``core.auth`` reads them.
            if name == b"authorization" and authorization is None:
                authorization = value
            elif name == b"x-api-key" and api_key is None:
                api_key = value
        scheme, _, token = (authorization or b"").decode("latin-1").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            bucket = self._verified_token(scope, token.strip()) or client_address(scope)
        elif api_key:
            await self._with_api_key(scope, receive, send, api_key, now, minute)
            return
        else:
            bucket = client_address(scope)
        if await self.counters.hit(bucket, minute) > self.per_minute:
            await self._refuse(scope, send, now)
            return
        await self.app(scope, receive, send)

    def _verified_token(self, scope: Scope, token: str) -> str | None:
        try:
            principal = decode_token(self.settings, token)
        except Unauthorized:
            return None
        scope.setdefault("state", {})["principal"] = principal
        who = f"{principal.role.value}:{principal.subject}".encode()
        return "jwt:" + hashlib.blake2b(who, digest_size=16).hexdigest()

    async def _with_api_key(
        self, scope: Scope, receive: Receive, send: Send, api_key: bytes, now: float, minute: int
    ) -> None:
        if minute != self.valid_keys_minute:
            self.valid_keys, self.valid_keys_minute = {}, minute
        fingerprint = hashlib.blake2b(api_key, digest_size=16).digest()
        bucket = self.valid_keys.get(fingerprint)
        if bucket is not None:
            if await self.counters.hit(bucket, minute) > self.per_minute:
                await self._refuse(scope, send, now)
                return
            if await self._status(scope, receive, send) == 401:  # revoked meanwhile
                self.valid_keys.pop(fingerprint, None)
            return
        address = client_address(scope)
        lookup = split_api_key(api_key.decode("latin-1"))
        if lookup is None:
            if await self.counters.hit(address, minute) > self.per_minute:
                await self._refuse(scope, send, now)
                return
            await self.app(scope, receive, send)
            return
        bucket = f"key:{lookup}"
        # The address first: once it is spent, made-up lookups are not even counted.
        if (
            await self.counters.peek(address, minute) >= self.per_minute
            or await self.counters.peek(bucket, minute) >= self.per_minute
        ):
            await self._refuse(scope, send, now)
            return
        status = 0
        try:
            status = await self._status(scope, receive, send)
        finally:
            if status in (0, 401):
                self.counters.add(address, minute)
            else:
                self.counters.add(bucket, minute)
                self.valid_keys[fingerprint] = bucket

    async def _status(self, scope: Scope, receive: Receive, send: Send) -> int:
        """Run the app and return the status it answered."""
        status = 0

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, capture)
        return status

    async def _refuse(self, scope: Scope, send: Send, now: float) -> None:
        retry_after = max(1, math.ceil((now // 60 + 1) * 60 - now))
        await send_problem(
            scope, send, 429, "rate_limited", ((b"retry-after", str(retry_after).encode()),)
        )
