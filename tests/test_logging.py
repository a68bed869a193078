"""Structured logs: JSON lines on stderr, with the request id, and no secrets or NIKs."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from asn_career.config import Settings
from asn_career.core.observability import configure_logging
from asn_career.main import create_app

NIK = "3174015708900003"
BEARER = "Bearer eyJhbGciOiJIUzI1NiJ9.secret-part.signature"


@pytest.fixture(autouse=True)
def isolated_logging() -> Iterator[None]:
    """Leave structlog as the suite had it.

    The configuration binds ``sys.stderr`` as it is when configured, here pytest's capture of
    this test; so nothing may cache a logger meanwhile, and the configuration goes back after.
    """
    import logging

    saved = structlog.get_config()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    yield
    structlog.configure(**saved)
    root.handlers, root.level = saved_handlers, saved_level


def configure(level: str = "INFO", json_logs: bool = True) -> None:
    configure_logging(level, json_logs)
    # Module-level loggers would otherwise keep this test's (soon closed) stderr for good.
    structlog.configure(cache_logger_on_first_use=False)


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    parsed = []
    for line in lines:
        entry = json.loads(line)  # every line is one JSON object
        assert isinstance(entry, dict), line
        parsed.append(entry)
    return parsed


def test_logs_are_json_lines_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    configure()
    log = structlog.get_logger("asn_career.test")
    log.info("employee.imported", rows=3, agency="36.74")
    log.warning("slow", duration_ms=1234.5)

    captured = capsys.readouterr()
    assert captured.out == ""
    first, second = json_lines(captured.err)
    assert first["event"] == "employee.imported"
    assert first["level"] == "info"
    assert first["rows"] == 3
    assert first["agency"] == "36.74"
    assert first["timestamp"].endswith("Z")  # ISO 8601, UTC
    assert second["level"] == "warning"
    assert "request_id" not in first  # outside a request there is none


def test_level_filters(capsys: pytest.CaptureFixture[str]) -> None:
    configure("WARNING")
    log = structlog.get_logger("asn_career.test")
    log.info("chatter")
    log.warning("kept")
    assert [e["event"] for e in json_lines(capsys.readouterr().err)] == ["kept"]


def test_sensitive_values_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure()
    structlog.get_logger("asn_career.test").info(
        "login",
        nik=NIK,
        NIK=NIK,
        token="eyJ.raw.token",
        authorization=BEARER,
        Authorization=BEARER,
        api_key="asnk_0123456789ab_secretsecret",
        password="hunter2",
        secret="s3cr3t",
        nip="198601012010011001",
    )
    err = capsys.readouterr().err
    (entry,) = json_lines(err)
    for key in ("nik", "NIK", "token", "authorization", "Authorization", "api_key"):
        assert entry[key] == "***", key
    assert entry["password"] == entry["secret"] == "***"
    assert entry["nip"] == "198601012010011001"  # not secret: the civil-service number
    for raw in (NIK, "eyJ.raw.token", "secret-part", "asnk_0123456789ab", "hunter2", "s3cr3t"):
        assert raw not in err


SENSITIVE_KEYS = (
    "nik",
    "NIK",
    "spouse_nik",
    "token",
    "access_token",
    "authorization",
    "api_key",
    "password",
    "jwt_secret",
)


def test_every_sensitive_key_is_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure()
    log = structlog.get_logger("asn_career.test")
    for key in SENSITIVE_KEYS:
        log.info("field", **{key: "leak-me"})
    log.info("nested", payload={"employee": {"nik": "leak-me", "name": "Siti"}})
    err = capsys.readouterr().err
    assert "leak-me" not in err
    assert len(json_lines(err)) == len(SENSITIVE_KEYS) + 1
    assert "Siti" in err


def test_nik_shaped_digits_are_masked_in_messages_and_tracebacks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure()
    log = structlog.get_logger("asn_career.test")
    log.info(f"lookup of {NIK} failed")
    try:
        raise ValueError(f"duplicate NIK {NIK}")
    except ValueError:
        log.exception("import_row_failed")
    err = capsys.readouterr().err
    assert NIK not in err
    assert "198609262015051001" not in NIK  # an 18-digit NIP is not a NIK and stays readable


def test_standard_library_logs_are_json_and_masked(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    configure()
    logging.getLogger("procrastinate.worker").warning("job for %s failed", NIK)
    [line] = json_lines(capsys.readouterr().err)
    assert line["logger"] == "procrastinate.worker"
    assert line["level"] == "warning"
    assert NIK not in json.dumps(line)


def test_sensitive_values_are_masked_in_console_logs_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(json_logs=False)  # ASN_CAREER_LOG_JSON=false, for development
    structlog.get_logger("asn_career.test").info("login", nik=NIK, token="eyJ.raw.token")
    err = capsys.readouterr().err
    assert "login" in err
    assert NIK not in err
    assert "eyJ.raw.token" not in err


def test_bound_context_is_masked_too(capsys: pytest.CaptureFixture[str]) -> None:
    configure()
    log = structlog.get_logger("asn_career.test").bind(nik=NIK)
    log.info("bound")
    structlog.contextvars.bind_contextvars(authorization=BEARER)
    try:
        log.info("contextvar")
    finally:
        structlog.contextvars.clear_contextvars()
    err = capsys.readouterr().err
    first, second = json_lines(err)
    assert first["nik"] == second["nik"] == "***"
    assert second["authorization"] == "***"
    assert NIK not in err
    assert "secret-part" not in err


def app_for_logging() -> FastAPI:
    """The real app (its middleware and logging set-up) with two routes that log."""
    settings = Settings(
        env="test",
        database_url=None,
        in_process_worker=False,
        rate_limit_per_minute=0,
        log_level="INFO",
        log_json=True,
    )
    app = create_app(settings)  # configures logging itself
    structlog.configure(cache_logger_on_first_use=False)
    log = structlog.get_logger("asn_career.test")

    @app.get("/test/logs")
    async def logs_inside_a_request() -> dict[str, str]:
        log.info("looked_up", nik=NIK)
        return {"ok": "yes"}

    @app.get("/test/crash")
    async def crash() -> dict[str, str]:
        raise RuntimeError("boom")

    return app


async def test_request_logs_carry_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    app = app_for_logging()
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        given = await http.get("/test/logs", headers={"X-Request-ID": "req-logs-1"})
        assigned = await http.get("/healthz", headers={"Authorization": BEARER})
    assert given.status_code == 200
    assert assigned.status_code == 200

    err = capsys.readouterr().err
    entries = json_lines(err)
    inside = [e for e in entries if e["event"] == "looked_up"]
    assert inside == [
        {
            "event": "looked_up",
            "nik": "***",
            "level": "info",
            "timestamp": inside[0]["timestamp"],
            "request_id": "req-logs-1",
        }
    ]
    requests = [e for e in entries if e["event"] == "request"]
    assert [(e["route"], e["status"], e["request_id"]) for e in requests] == [
        ("/test/logs", 200, "req-logs-1"),
        ("/healthz", 200, assigned.headers["x-request-id"]),
    ]
    assert NIK not in err
    assert "secret-part" not in err  # request headers are not logged


async def test_a_crash_is_logged_with_its_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    app = app_for_logging()
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/test/crash", headers={"X-Request-ID": "req-crash-1"})
    assert response.status_code == 500
    assert response.json()["request_id"] == "req-crash-1"
    assert "boom" not in response.text

    entries = json_lines(capsys.readouterr().err)
    (crash,) = [e for e in entries if e["event"] == "unhandled_error"]
    assert crash["request_id"] == "req-crash-1"
    assert crash["level"] == "error"
    assert "RuntimeError: boom" in crash["exception"]
    (request,) = [e for e in entries if e["event"] == "request"]
    assert request["status"] == 500
    assert request["request_id"] == "req-crash-1"


async def test_a_request_id_with_sixteen_digits_stays_whole(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A generated id is hex; about one in a thousand holds a run of 16 digits, which the
    NIK mask used to hide, so the request could not be matched to its log lines."""
    request_id = "ab1234567890123456cd"
    app = app_for_logging()
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/test/logs", headers={"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id

    entries = json_lines(capsys.readouterr().err)
    assert {e["event"]: e["request_id"] for e in entries if "request_id" in e} == {
        "looked_up": request_id,
        "request": request_id,
    }
