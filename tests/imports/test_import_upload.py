"""``POST /imports`` says plainly what is wrong with a request: the file part, the mapping's
spelling, a sheet for a file that has none, a second file."""

import io
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from tests.conftest import AGENCY_A
from tests.imports.conftest import NIP_1, Importer, csv_bytes, upload

CSV = csv_bytes([["nip", "name"], [NIP_1, "Budi Santoso"]])


async def _no_imports(app: FastAPI) -> None:
    async with app.state.sessionmaker() as session:
        assert await session.scalar(text("SELECT count(*) FROM imports")) == 0


@pytest.mark.parametrize("spelling", ["SIASN", "Siasn", "Native"])
async def test_the_mapping_is_case_insensitive(
    imp_org: dict[str, Any], importer: Importer, spelling: str
) -> None:
    result = await importer(CSV, mapping=spelling)
    assert result["status"] == "succeeded", result
    assert result["mapping"] == spelling.lower()


@pytest.mark.parametrize(("lang", "needle"), [("en", "named `file`"), ("id", "bernama `file`")])
async def test_a_request_without_the_file_part_says_how_to_send_it(
    app: FastAPI,
    imp_org: dict[str, Any],
    client: AsyncClient,
    imp_hr_a: dict[str, str],
    lang: str,
    needle: str,
) -> None:
    response = await client.post(
        "/api/v1/imports",
        data={"kind": "employees", "agency": AGENCY_A},
        files={"other": ("note.txt", io.BytesIO(b"x"), "text/plain")},
        headers={**imp_hr_a, "Accept-Language": lang},
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert needle in body["detail"]
    assert "multipart/form-data" in body["detail"]
    assert "application/json" not in response.text
    await _no_imports(app)


async def test_a_multipart_request_with_no_file_at_all(
    app: FastAPI, imp_org: dict[str, Any], client: AsyncClient, imp_hr_a: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/imports",
        files={"kind": (None, b"employees"), "agency": (None, AGENCY_A.encode())},
        headers=imp_hr_a,
    )
    assert response.status_code == 422, response.text
    assert "named `file`" in response.json()["detail"]
    assert response.json()["errors"][0]["loc"] == ["body", "file"]


@pytest.mark.parametrize(
    ("filename", "content"),
    [("data.csv", CSV), ("data.ndjson", b'{"nip": "' + NIP_1.encode() + b'", "name": "B"}\n')],
)
async def test_a_sheet_for_a_file_without_sheets_is_422(
    app: FastAPI,
    imp_org: dict[str, Any],
    client: AsyncClient,
    imp_hr_a: dict[str, str],
    filename: str,
    content: bytes,
) -> None:
    response = await upload(client, imp_hr_a, content, filename=filename, sheet="Pegawai")
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "sheet"]
    assert "XLSX" in response.json()["detail"]
    await _no_imports(app)


@pytest.mark.parametrize("second", ["file", "attachment"])
async def test_a_second_file_part_is_422_naming_it(
    app: FastAPI,
    imp_org: dict[str, Any],
    client: AsyncClient,
    imp_hr_a: dict[str, str],
    second: str,
) -> None:
    response = await client.post(
        "/api/v1/imports",
        data={"kind": "employees", "agency": AGENCY_A},
        files=[
            ("file", ("a.csv", io.BytesIO(CSV), "text/csv")),
            (second, ("b.csv", io.BytesIO(CSV), "text/csv")),
        ],
        headers=imp_hr_a,
    )
    assert response.status_code == 422, response.text
    assert f"`{second}`" in response.json()["detail"]
    assert "b.csv" in response.json()["detail"]
    await _no_imports(app)


async def test_a_json_body_hears_to_send_multipart(
    imp_org: dict[str, Any], client: AsyncClient, imp_hr_a: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/imports", json={"kind": "employees", "agency": AGENCY_A}, headers=imp_hr_a
    )
    assert response.status_code == 422, response.text
    assert "multipart/form-data part named `file`" in response.json()["detail"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("text/csv", CSV), ("application/x-www-form-urlencoded", b"kind=employees")],
)
async def test_a_raw_or_form_body_hears_to_send_multipart_not_json(
    client: AsyncClient, imp_hr_a: dict[str, str], content_type: str, body: bytes
) -> None:
    """The probe sent the CSV as the body and was told to send JSON."""
    for lang, wanted in (("en", "multipart/form-data"), ("id", "multipart/form-data")):
        response = await client.post(
            "/api/v1/imports",
            content=body,
            headers={**imp_hr_a, "Content-Type": content_type, "Accept-Language": lang},
        )
        assert response.status_code == 415, response.text
        assert wanted in response.json()["detail"]
        assert "application/json" not in response.json()["detail"]
