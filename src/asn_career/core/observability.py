"""Request ids, structured JSON logs, Prometheus metrics and the last-resort 500 handler."""

import logging
import re
import sys
import time
import uuid
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from typing import Any

import orjson
import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asn_career.core import i18n

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "asn_career_http_requests_total",
    "HTTP requests by route template, method and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "asn_career_http_request_duration_seconds",
    "HTTP request latency by route template.",
    ["method", "route"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POOL_CHECKED_OUT = Gauge(
    "asn_career_db_pool_checked_out", "Database connections in use.", registry=REGISTRY
)
POOL_SIZE = Gauge("asn_career_db_pool_size", "Database pool size.", registry=REGISTRY)
JOBS = Counter(
    "asn_career_jobs_total",
    "Background jobs finished by kind and status.",
    ["kind", "status"],
    registry=REGISTRY,
)


def current_request_id() -> str | None:
    return _request_id.get()


_SECRET_WORDS = ("token", "secret", "password", "authorization", "api_key", "apikey")
_NIK_PATTERN = re.compile(r"(?<!\d)\d{16}(?!\d)")
_IDENTIFIER_KEYS = frozenset({"request_id"})


def _is_sensitive(key: str) -> bool:
    key = key.lower()
    return key == "nik" or key.endswith("_nik") or any(word in key for word in _SECRET_WORDS)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _NIK_PATTERN.sub("****************", value)
    if isinstance(value, Mapping):
        return {k: "***" if _is_sensitive(str(k)) else _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def _drop_sensitive(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Personal identifiers and secrets never reach the logs, whoever logs them: values
    under sensitive keys (at any depth) are masked, and so is anything shaped like a NIK
    (16 digits) in messages and tracebacks. The request id is left whole: it is ours to
    match log lines by (a generated one is hex, and one in a thousand holds 16 digits)."""
    for key in list(event):
        if key in _IDENTIFIER_KEYS:
            continue
        event[key] = "***" if _is_sensitive(key) else _scrub(event[key])
    return event


def _add_request_id(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    request_id = _request_id.get()
    if request_id and "request_id" not in event:
        event["request_id"] = request_id
    return event


def configure_logging(level: str = "INFO", json_logs: bool = True) -> None:
    """structlog for our own logs, and the standard library's (uvicorn, procrastinate,
    alembic, SQLAlchemy) rendered the same way, with the same masking."""
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=lambda o, **_: orjson.dumps(o).decode())
        if json_logs
        else structlog.dev.ConsoleRenderer()
    )
    shared: list[Any] = [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_request_id,
    ]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                _drop_sensitive,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    # Requests are logged by RequestContextMiddleware, with the route template and id.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    for chatty in ("alembic.ddl", "alembic.autogenerate", "alembic.runtime.plugins"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            *shared,
            structlog.processors.format_exc_info,
            _drop_sensitive,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


def route_template(scope: Scope) -> str:
    """The path with its parameters put back as ``{name}``, so metrics do not explode
    per NIP or id."""
    if "endpoint" not in scope:
        return "<unmatched>"
    path: str = scope["path"]
    for name, value in scope.get("path_params", {}).items():
        path = path.replace(f"/{value}", f"/{{{name}}}", 1)
    return path


class RequestContextMiddleware:
    """Assigns the request id, logs and measures each request, and answers 500 as a problem.

    A pure ASGI middleware, outermost, so that even a crash in another middleware ends in a
    problem document carrying the request id and no internals.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = structlog.get_logger("asn_career.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        request_id = incoming.decode("latin-1") if 0 < len(incoming) <= 64 else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            self.log.exception("unhandled_error", path=scope["path"], method=scope["method"])
            if not response_started:
                status = 500
                accept = dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1")
                lang = i18n.negotiate(accept)
                body = {
                    "type": "https://asn-career.id/problems/internal-error",
                    "title": i18n.title(500, lang),
                    "status": 500,
                    "detail": i18n.message("internal_error", lang),
                    "instance": scope["path"],
                    "request_id": request_id,
                }
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"application/problem+json")],
                    }
                )
                await send_with_id({"type": "http.response.body", "body": orjson.dumps(body)})
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(elapsed)
            self.log.info(
                "request",
                method=scope["method"],
                route=route,
                status=status,
                duration_ms=round(elapsed * 1000, 2),
            )
            _request_id.reset(token)
