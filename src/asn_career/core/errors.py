"""RFC 9457 problem details for every error, with texts in Indonesian or English."""

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from asn_career.core import i18n
from asn_career.core.methods import allowed_methods
from asn_career.core.observability import current_request_id

PROBLEM_JSON = "application/problem+json"
_log = structlog.get_logger("asn_career.errors")


class AppError(Exception):
    """An error that knows its HTTP status and its message code (see ``i18n.MESSAGES``).

    ``detail`` overrides the generic message with a specific one (e.g. which NIP digit
    disagrees); ``detail_id`` is its Indonesian text.
    """

    status: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        detail_id: str | None = None,
        code: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or code or self.code)
        self.detail = detail
        self.detail_id = detail_id
        if code:
            self.code = code
        self.errors = errors
        self.headers = headers or {}


class Unauthorized(AppError):
    status = 401
    code = "missing_credentials"

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        super().__init__(
            detail, code=code, headers={"WWW-Authenticate": 'Bearer realm="asn-career"'}
        )


class Forbidden(AppError):
    status = 403
    code = "role_forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class PreconditionFailed(AppError):
    status = 412
    code = "stale_version"


class ValidationProblem(AppError):
    """A domain-rule violation reported like a schema error: 422 with ``errors``."""

    status = 422
    code = "validation_failed"


Loc = str | Sequence[str | int]
"""Where a problem is: a body field's name, or a full location such as ``["query", "cursor"]``."""


def field_problem(
    field_or_loc: Loc,
    message_en: str | None,
    message_id: str | None = None,
    kind: str = "value_error",
    *,
    each: Sequence[str] | None = None,
    each_id: Sequence[str] | None = None,
    code: str | None = None,
) -> ValidationProblem:
    """A 422 about one field, in English and Indonesian, shaped like a schema error.

    A bare name means ``["body", name]``. The entry's ``msg`` is the English message, or
    one entry per text of ``each`` (e.g. one per unknown value); its ``msg_id`` is the
    Indonesian one (``message_id``, or the matching text of ``each_id``), which
    ``problem()`` shows to Indonesian callers in place of ``msg``. Without ``message_en``
    the detail is the generic text of ``code``.
    """
    loc: list[str | int] = (
        ["body", field_or_loc] if isinstance(field_or_loc, str) else list(field_or_loc)
    )
    if each is None:
        texts: list[tuple[str, str | None]] = [(message_en or "", message_id)]
    else:
        ids: Sequence[str | None] = [None] * len(each) if each_id is None else each_id
        texts = list(zip(each, ids, strict=True))
    return ValidationProblem(
        message_en,
        detail_id=message_id,
        code=code,
        errors=[_entry(loc, text, text_id, kind) for text, text_id in texts],
    )


def _entry(loc: list[str | int], msg: str, msg_id: str | None, kind: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"loc": loc, "msg": msg, "type": kind}
    if msg_id:
        entry["msg_id"] = msg_id
    return entry


def field_problems(problems: Sequence[ValidationProblem]) -> ValidationProblem:
    """Several field problems as one 422: the details joined with ``; ``, every entry kept."""
    return ValidationProblem(
        "; ".join(p.detail or "" for p in problems),
        detail_id="; ".join(p.detail_id or "" for p in problems),
        errors=[error for p in problems for error in p.errors or []],
    )


def problem(
    request: Request | None,
    status: int,
    code: str,
    *,
    detail: str | None = None,
    detail_id: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    lang = i18n.negotiate(request.headers.get("accept-language") if request else None)
    if detail is None:
        text = i18n.message(code, lang)
    else:
        text = detail_id if (lang == "id" and detail_id) else detail
    body: dict[str, Any] = {
        "type": f"https://asn-career.id/problems/{code.replace('_', '-')}",
        "title": i18n.title(status, lang),
        "status": status,
        "detail": text,
        "instance": request.url.path if request else None,
        "request_id": current_request_id(),
    }
    if errors is not None:
        body["errors"] = [_localised(error, lang) for error in errors]
    response_headers = {"Content-Language": lang, **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=response_headers)


def _localised(error: dict[str, Any], lang: i18n.Language) -> dict[str, Any]:
    """An ``errors`` entry as sent: ``msg`` in the caller's language, ``msg_id`` never."""
    if "msg_id" not in error:
        return error
    shown = {name: value for name, value in error.items() if name != "msg_id"}
    if lang == "id" and error["msg_id"]:
        shown["msg"] = error["msg_id"]
    return shown


@functools.cache
def _untranslated(kind: str) -> None:
    """Noted once per error type: a pydantic error with no Indonesian text (it stays English)."""
    _log.debug("untranslated_validation_error", error_type=kind)


def _message(err: Mapping[str, Any], lang: i18n.Language) -> str:
    english = str(err.get("msg", ""))
    if lang == "en":
        return english
    kind = str(err.get("type"))
    text = i18n.field_error(kind, err.get("ctx"))
    if text is None:
        _untranslated(kind)
        return english
    return text


def _clean_errors(raw: list[Any], lang: i18n.Language) -> list[dict[str, Any]]:
    """Pydantic's errors as ``FieldError``s, ``msg`` in the caller's language."""
    return [
        {"loc": list(err.get("loc", ())), "msg": _message(err, lang), "type": err.get("type")}
        for err in raw
    ]


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem(
        request,
        exc.status,
        exc.code,
        detail=exc.detail,
        detail_id=exc.detail_id,
        errors=exc.errors if exc.errors is not None else ([] if exc.status == 422 else None),
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    errors = _clean_errors(raw, i18n.negotiate(request.headers.get("accept-language")))
    if any(err.get("type") == "json_invalid" for err in raw):
        return problem(request, 400, "malformed_json", errors=errors)
    return problem(request, 422, "validation_failed", errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "route_not_found", 405: "method_not_allowed", 401: "missing_credentials"}
    code = codes.get(exc.status_code, "bad_request")
    detail = exc.detail if exc.status_code not in codes and isinstance(exc.detail, str) else None
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request.app, request))
    return problem(request, exc.status_code, code, detail=detail, headers=headers)


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    _log.info("integrity_conflict", error_class=type(exc.__cause__ or exc).__name__)
    return problem(request, 409, "conflict")


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    """Values Postgres refuses (SQLSTATE class 22: out of range, untranslatable text …) are
    bad input, not a server failure; any other database error stays a 500. Raised through
    SQLAlchemy, or straight from asyncpg on the prepared hot reads (``core.prepared``)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    sqlstate = str(getattr(orig, "sqlstate", "") or getattr(orig, "pgcode", "") or "")
    if not sqlstate.startswith("22"):
        raise exc
    _log.info("data_exception", sqlstate=sqlstate)
    return problem(request, 422, "invalid_data", errors=[])


async def _stale_error(request: Request, exc: Exception) -> JSONResponse:
    return problem(request, 412, "stale_version")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(StaleDataError, _stale_error)
    app.add_exception_handler(DBAPIError, _data_error)
    app.add_exception_handler(asyncpg.PostgresError, _data_error)


class FieldError(BaseModel):
    """One thing wrong with the request: where (``["body", "nip"]``, ``["query", "limit"]``),
    what, and a machine-readable kind."""

    loc: list[str | int]
    msg: str
    type: str


class ProblemDetail(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


def problem_schemas() -> dict[str, Any]:
    """``ProblemDetail`` and ``FieldError`` as OpenAPI components, so every error response
    refers to one type (generated clients get one problem class, with typed errors)."""
    schema = ProblemDetail.model_json_schema(ref_template="#/components/schemas/{model}")
    components: dict[str, Any] = schema.pop("$defs")
    components["ProblemDetail"] = schema
    return components


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_response("Malformed request"),
    401: _problem_response("No or invalid credentials"),
    403: _problem_response("Role, scope or agency does not allow this"),
    404: _problem_response("Not found or outside the caller's agencies"),
    409: _problem_response("Conflict with existing data, or an idempotent request still runs"),
    412: _problem_response("If-Match names a stale version"),
    413: _problem_response("Body over the configured limit"),
    415: _problem_response("Body is not JSON"),
    422: _problem_response("Validation failed"),
    429: _problem_response("Rate limit reached"),
    500: _problem_response("Unexpected error (quote the request id)"),
}
