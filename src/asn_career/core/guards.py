"""Request guards that run before routing: body size (413), media type (415), rate (429)."""

import math
import time
from collections import OrderedDict

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asn_career.core import i18n
from asn_career.core.observability import current_request_id

_BODY_METHODS = {"POST", "PUT", "PATCH"}
_ACCEPTED_MEDIA = ("application/json", "multipart/form-data")

LARGE_BODY_ROUTES: dict[tuple[str, str], str] = {("POST", "/api/v1/imports"): "import_max_bytes"}
"""Routes with their own body limit: (method, path) → the ``Settings`` field holding it."""


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
            await send_problem(scope, send, 415, "unsupported_media_type")
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


class RateLimitMiddleware:
    """A fixed-window limit per caller (credential, else client address), per process.

    Enough to stop a runaway script; a deployment behind a gateway can set the limit to 0
    and let the gateway do it.
    """

    def __init__(self, app: ASGIApp, per_minute: int, max_callers: int = 50_000) -> None:
        self.app = app
        self.per_minute = per_minute
        self.max_callers = max_callers
        self.windows: OrderedDict[bytes, tuple[int, int]] = OrderedDict()

    def _caller(self, scope: Scope) -> bytes:
        headers = dict(scope["headers"])
        credential = headers.get(b"authorization") or headers.get(b"x-api-key")
        if credential:
            return bytes(credential[-48:])
        client = scope.get("client")
        return (client[0] if client else "unknown").encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.per_minute <= 0 or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        now = time.time()
        window = int(now // 60)
        caller = self._caller(scope)
        start, count = self.windows.get(caller, (window, 0))
        if start != window:
            start, count = window, 0
        count += 1
        self.windows[caller] = (start, count)
        self.windows.move_to_end(caller)
        while len(self.windows) > self.max_callers:
            self.windows.popitem(last=False)
        if count > self.per_minute:
            retry_after = max(1, math.ceil((window + 1) * 60 - now))
            await send_problem(
                scope, send, 429, "rate_limited", ((b"retry-after", str(retry_after).encode()),)
            )
            return
        await self.app(scope, receive, send)
