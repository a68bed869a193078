"""``errors[].msg`` and job failures follow ``Accept-Language`` as ``title`` and ``detail`` do:
pydantic's error types, the domain rules' field problems and a failed job's reason are
Indonesian on request, and English stays exactly as it was."""

import string
import uuid
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from fastapi import FastAPI
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import AsyncClient
from pydantic import BaseModel
from pydantic_core import PydanticKnownError

from asn_career.config import Settings
from asn_career.core import errors, i18n
from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.errors import AppError
from asn_career.core.jobs.runner import JobContext, runtime
from asn_career.core.jobs.service import JobService
from asn_career.main import create_app
from asn_career.org.rules import AGENCY_CODE_PATTERN
from tests.conftest import AGENCY_A

ID = {"Accept-Language": "id"}


def by_loc(body: dict[str, Any]) -> dict[tuple[Any, ...], str]:
    return {tuple(e["loc"]): e["msg"] for e in body["errors"]}


# --- schema errors ---------------------------------------------------------------------------


async def test_schema_errors_are_indonesian_on_request(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    body = {"code": "36.74", "name": "Siti\u202eRahma", "region_code": "x", "size": 1}
    response = await client.post("/api/v1/agencies", json=body, headers={**admin, **ID})
    assert response.status_code == 422
    assert by_loc(response.json()) == {
        ("body", "name"): "teks tidak boleh memuat karakter kendali atau format tak terlihat "
        "(U+202E)",
        ("body", "region_code"): f"Teks harus sesuai pola '{AGENCY_CODE_PATTERN}'",
        ("body", "size"): "Isian ini tidak dikenal",
    }
    missing = await client.post("/api/v1/api-keys", json={"name": ""}, headers={**admin, **ID})
    assert by_loc(missing.json()) == {
        ("body", "name"): "Teks paling sedikit 1 karakter",
        ("body", "agencies"): "Wajib diisi",
        ("body", "scopes"): "Wajib diisi",
    }
    query = await client.get("/api/v1/audit?limit=501", headers={**admin, **ID})
    assert by_loc(query.json()) == {("query", "limit"): "Nilai harus ≤ 500"}
    agency = {"code": AGENCY_A, "name": "Kota", "region_code": AGENCY_A}
    assert (await client.post("/api/v1/agencies", json=agency, headers=admin)).status_code == 201
    unit = {"code": "U", "name": "Unit", "kind": "pabrik"}
    url = f"/api/v1/agencies/{AGENCY_A}/units"
    kind = await client.post(url, json=unit, headers={**admin, **ID})
    assert by_loc(kind.json())[("body", "kind")].startswith("Nilai harus salah satu dari: 'badan'")
    assert " or " not in by_loc(kind.json())[("body", "kind")]


async def test_schema_errors_in_english_are_pydantics_own(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    for headers in (admin, {**admin, "Accept-Language": "en"}):
        response = await client.post("/api/v1/api-keys", json={"name": ""}, headers=headers)
        assert response.json()["errors"] == [
            {
                "loc": ["body", "name"],
                "msg": "String should have at least 1 character",
                "type": "string_too_short",
            },
            {"loc": ["body", "agencies"], "msg": "Field required", "type": "missing"},
            {"loc": ["body", "scopes"], "msg": "Field required", "type": "missing"},
        ]
    body = {"code": "36.74", "name": "Siti\u202eRahma", "region_code": "36.74"}
    storable = await client.post("/api/v1/agencies", json=body, headers=admin)
    assert storable.json()["errors"][0]["msg"] == (
        "Value error, text must not contain control or invisible formatting characters (U+202E)"
    )


# Wrong values for every parameter and body field of every operation: whatever pydantic
# answers, the Indonesian text must be there (a table of types, not a fuzzer).
SCALARS: list[Any] = [
    None,
    "",
    " ",
    "x" * 5000,
    "abc",
    "2024-13-45",
    "2024-01-01T00:00:00",
    "2024-01-01T10:00:00",
    "9999-01-01",
    0,
    -1,
    10**12,
    -(10**12),
    1.5,
    True,
    [],
    {},
    "00000000-0000-0000-0000-00000000000g",
    "Siti\u202eRahma",
    "Si\x00ti",
    "1" * 18,
    ["x"] * 2000,
    "1e400",
    "NaN",
    "12.3456789012345",
    "http://",
]


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        if not isinstance(argument, (str, int)):
            yield from _models(argument)


def _wrong_values(annotation: Any, depth: int = 0) -> Iterator[Any]:
    yield from SCALARS
    if depth > 3:
        return
    for model in set(_models(annotation)):
        yield {}
        yield {"__unknown__": 1}
        for name, field in model.model_fields.items():
            for value in _wrong_values(field.annotation, depth + 1):
                yield {field.alias or name: value}
                yield [{field.alias or name: value}]


def _every_schema_error() -> list[dict[str, Any]]:
    app = create_app(Settings(env="test", database_url="", log_level="WARNING"))
    found: list[dict[str, Any]] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        fields = list(get_flat_params(route.dependant))
        if route.body_field is not None:
            fields.append(route.body_field)
        for field in fields:
            for value in _wrong_values(field.field_info.annotation):
                found.extend(field.validate(value, {}, loc=("x",))[1])
    return found


def test_every_schema_error_of_the_api_has_an_indonesian_text() -> None:
    found = _every_schema_error()
    kinds = {error["type"] for error in found}
    assert {
        "missing",
        "extra_forbidden",
        "string_too_short",
        "string_too_long",
        "string_pattern_mismatch",
        "int_parsing",
        "greater_than_equal",
        "less_than_equal",
        "uuid_parsing",
        "enum",
        "literal_error",
        "bool_parsing",
        "too_long",
        "value_error",
        "model_attributes_type",
    } <= kinds, "the walk no longer reaches the API's schemas"
    untranslated = set()
    for error in found:
        assert errors._message(error, "en") == error["msg"]
        indonesian = errors._message(error, "id")
        if indonesian == error["msg"] or error["type"] not in i18n.FIELD_ERRORS:
            untranslated.add((error["type"], error["msg"]))
    assert untranslated == set()
    own = [errors._message(e, "id") for e in found if e["type"] == "value_error"]
    assert "teks tidak boleh memuat karakter kendali atau format tak terlihat (U+202E)" in own


SAMPLE_CTX: dict[str, Any] = {
    **dict.fromkeys(["gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length"], 1),
    **dict.fromkeys(["max_digits", "decimal_places", "whole_digits", "actual_length"], 1),
    **dict.fromkeys(["tz_expected", "tz_actual", "expected_version"], 1),
    **dict.fromkeys(["error", "pattern", "field_type", "class_name", "discriminator", "tag"], "x"),
    **dict.fromkeys(["expected", "expected_schemes", "expected_tags"], "'a', 'b' or 'c'"),
}


@pytest.mark.parametrize("kind", sorted(i18n.FIELD_ERRORS))
def test_each_indonesian_text_uses_only_what_pydantic_gives(kind: str) -> None:
    """Every placeholder of the Indonesian text is in pydantic's own ``ctx`` of that type."""
    english = PydanticKnownError(kind, SAMPLE_CTX).message_template  # type: ignore[arg-type]
    given = {name for _, name, _, _ in string.Formatter().parse(english) if name}
    used = {name for _, name, _, _ in string.Formatter().parse(i18n.FIELD_ERRORS[kind]) if name}
    assert used <= given
    ctx = {name: SAMPLE_CTX[name] for name in given if name in SAMPLE_CTX}
    text = i18n.field_error(kind, ctx)
    assert text and "{" not in text and " or " not in text


def test_an_unknown_type_stays_english_and_is_logged_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logged: list[tuple[str, dict[str, Any]]] = []

    class Recorder:
        def debug(self, event: str, **fields: Any) -> None:
            logged.append((event, fields))

    monkeypatch.setattr(errors, "_log", Recorder())
    errors._untranslated.cache_clear()
    error = {"type": "is_instance_of", "msg": "Input should be an instance of X", "ctx": {}}
    assert errors._message(error, "id") == "Input should be an instance of X"
    assert errors._message(error, "id") == "Input should be an instance of X"
    assert logged == [("untranslated_validation_error", {"error_type": "is_instance_of"})]
    plain = {"type": "value_error", "msg": "Value error, odd", "ctx": {"error": ValueError("odd")}}
    assert errors._message(plain, "id") == "Nilai tidak valid (odd)"


# --- domain rules ----------------------------------------------------------------------------


async def test_domain_rule_entries_are_indonesian_on_request(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    agency = {"code": AGENCY_A, "name": "Kota", "region_code": AGENCY_A}
    assert (await client.post("/api/v1/agencies", json=agency, headers=admin)).status_code == 201
    unit = {"code": "U", "name": "Unit", "kind": "dinas", "parent_id": str(uuid.uuid4())}
    url = f"/api/v1/agencies/{AGENCY_A}/units"
    response = await client.post(url, json=unit, headers={**admin, **ID})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "unit induk tidak ada di instansi ini"
    assert body["errors"] == [
        {
            "loc": ["body", "parent_id"],
            "msg": "unit induk tidak ada di instansi ini",
            "type": "parent_not_found",
        }
    ]
    key = {"name": "k", "agencies": [AGENCY_A], "scopes": ["nope", "jobs:read", "zap"]}
    scopes = await client.post("/api/v1/api-keys", json=key, headers={**admin, **ID})
    assert [e["msg"] for e in scopes.json()["errors"]] == [
        "cakupan 'nope' tidak dikenal",
        "cakupan 'zap' tidak dikenal",
    ]
    cursor = await client.get("/api/v1/audit?cursor=garbage", headers={**admin, **ID})
    assert [e["msg"] for e in cursor.json()["errors"]] == ["kursor tidak valid"]


async def test_domain_rule_entries_in_english_are_unchanged(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    agency = {"code": AGENCY_A, "name": "Kota", "region_code": AGENCY_A}
    assert (await client.post("/api/v1/agencies", json=agency, headers=admin)).status_code == 201
    unit = {"code": "U", "name": "Unit", "kind": "dinas", "parent_id": str(uuid.uuid4())}
    response = await client.post(f"/api/v1/agencies/{AGENCY_A}/units", json=unit, headers=admin)
    body = response.json()
    assert body["detail"] == "the parent unit does not exist in this agency"
    assert body["errors"] == [
        {
            "loc": ["body", "parent_id"],
            "msg": "the parent unit does not exist in this agency",
            "type": "parent_not_found",
        }
    ]
    start = response.content.index(b'"errors"')
    assert response.content[start:] == (
        b'"errors":[{"loc":["body","parent_id"],'
        b'"msg":"the parent unit does not exist in this agency","type":"parent_not_found"}]}'
    )
    key = {"name": "k", "agencies": [AGENCY_A], "scopes": ["nope"]}
    scopes = await client.post("/api/v1/api-keys", json=key, headers=admin)
    assert scopes.json()["errors"] == [
        {"loc": ["body", "scopes"], "msg": "unknown scope 'nope'", "type": "scope"}
    ]


# --- job failures ----------------------------------------------------------------------------


class Refused(AppError):
    status = 422
    code = "refused"


async def refuse(context: JobContext) -> dict[str, Any]:
    raise Refused(
        "row 2: NIP 1986 is not 18 digits",
        detail_id="baris 2: NIP 1986 tidak 18 digit",
        errors=[{"loc": ["body", "nip"], "msg": "not 18 digits", "msg_id": "tidak 18 digit"}],
    )


async def crash(context: JobContext) -> dict[str, Any]:
    raise RuntimeError("disk full")


async def failed_job(app: FastAPI, kind: str) -> uuid.UUID:
    app.state.job_queue.job_kinds.update({"test.refuse": refuse, "test.crash": crash})
    principal = Principal(subject="hr@36.74", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    async with unit_of_work(app.state.sessionmaker) as session:
        job = await JobService(session, principal).submit(app.state.job_queue, kind, {}, AGENCY_A)
    runtime.sessionmaker = app.state.sessionmaker
    await app.state.job_queue.run_worker(concurrency=1, wait=False)
    return job.id


async def test_a_failed_job_reads_in_the_callers_language(
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> None:
    job_id = await failed_job(app, "test.refuse")
    english = (await client.get(f"/api/v1/jobs/{job_id}", headers=admin)).json()
    assert english["status"] == "failed"
    assert english["errors"] == [
        {"message": "row 2: NIP 1986 is not 18 digits"},
        {"loc": ["body", "nip"], "msg": "not 18 digits"},
    ]
    indonesian = (await client.get(f"/api/v1/jobs/{job_id}", headers={**admin, **ID})).json()
    assert indonesian["errors"] == [
        {"message": "baris 2: NIP 1986 tidak 18 digit"},
        {"loc": ["body", "nip"], "msg": "tidak 18 digit"},
    ]


async def test_an_unexpected_job_failure_has_a_generic_indonesian_text(
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> None:
    job_id = await failed_job(app, "test.crash")
    english = (await client.get(f"/api/v1/jobs/{job_id}", headers=admin)).json()
    assert english["errors"] == [{"message": "disk full"}]
    indonesian = (await client.get(f"/api/v1/jobs/{job_id}", headers={**admin, **ID})).json()
    assert indonesian["errors"] == [
        {"message": "Pekerjaan berhenti karena kesalahan tak terduga (disk full)"}
    ]
