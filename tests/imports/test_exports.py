"""GET /exports/{kind}: every kind in CSV and XLSX, scope, NIK masking, audit, streaming."""

import codecs
import csv
import io
import os
from collections.abc import AsyncGenerator, MutableMapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy import select

from asn_career.core import sheets
from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.sheets import XlsxSpool, csv_cell, csv_chunk, xlsx_cell
from asn_career.imports.exports import service as exports_service
from asn_career.imports.exports.columns import (
    IMPORT_ONLY,
    NATIVE_COLUMNS,
    ExportFormat,
    ExportKind,
    filename,
)
from asn_career.imports.exports.repository import Batch, ExportRepository, column_names
from asn_career.imports.exports.service import ExportService
from asn_career.imports.files.mapping import KIND_COLUMNS
from asn_career.imports.files.mapping import KINDS as IMPORT_KINDS
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.samples_org import build_org_samples
from tests.samples_profiles import SAMPLE_NIP, build_profile_samples

Headers = dict[str, str]
B_NIP = "199001152019032002"
NIK_A = "3674012609860001"
NIK_B = "5371011501900002"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def build_export_world(client: AsyncClient, admin: Headers) -> dict[str, str]:
    """Agency A with one of everything (the security-walk samples) and agency B with an
    employee and a few histories of its own."""
    known = await build_org_samples(client._transport.app, client, admin)  # type: ignore[attr-defined]
    known.update(await build_profile_samples(client._transport.app, client, admin, known))  # type: ignore[attr-defined]
    calls: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/agencies", {"code": AGENCY_B, "name": "Kota Kupang", "region_code": AGENCY_B}),
        (
            f"/api/v1/agencies/{AGENCY_B}/units",
            {"code": "BKPSDM-KPG", "name": "BKPSDM Kota Kupang", "kind": "badan"},
        ),
    ]
    for path, body in calls:
        response = await client.post(path, json=body, headers=admin)
        assert response.status_code == 201, response.text
    unit_b = response.json()["id"]
    position = await client.post(
        "/api/v1/positions",
        json={
            "code": "KPG-PELAKSANA",
            "title": "Pengadministrasi Umum",
            "unit_id": unit_b,
            "kind": "pelaksana",
        },
        headers=admin,
    )
    assert position.status_code == 201, position.text
    employee = await client.post(
        "/api/v1/employees",
        json={
            "nip": B_NIP,
            "name": "Maria Ndun",
            "agency": AGENCY_B,
            "unit_id": unit_b,
            "rank": "III/b",
            "nik": NIK_B,
        },
        headers=admin,
    )
    assert employee.status_code == 201, employee.text
    for path, body in (
        ("education", {"level": "S1", "field": "Akuntansi", "graduation_year": 2012}),
        ("assignments", {"position_id": position.json()["id"], "start_date": "2019-03-01"}),
        (
            "trainings",
            {
                "title": "Latsar CPNS Kupang",
                "hours_jp": 40,
                "start_date": "2019-08-01",
                "form": "training",
            },
        ),
        (
            "performance",
            {"year": 2024, "period": "annual", "results": "below", "behaviour": "below"},
        ),
        (
            "competencies",
            {"competency": "M.2", "level": 2, "source": "supervisor", "assessed_on": "2024-01-10"},
        ),
        (
            "sanctions",
            {
                "severity": "medium",
                "kind": "Penundaan kenaikan gaji berkala",
                "start_date": "2023-01-02",
            },
        ),
    ):
        created = await client.post(f"/api/v1/employees/{B_NIP}/{path}", json=body, headers=admin)
        assert created.status_code == 201, created.text
    for agency, code in ((AGENCY_A, "SPBE-A"), (AGENCY_B, "KPG-SPBE")):
        course = await client.post(
            "/api/v1/training/courses",
            json={"agency_code": agency, "code": code, "title": "Pelatihan SPBE",
                  "form": "technical_guidance", "hours_jp": 16, "min_rank": "III/a",
                  "max_rank": "III/d", "eligible_position_kinds": ["pelaksana", "fungsional"],
                  "competencies": [{"code": "M.1", "target_level": 3}]},
            headers=admin,
        )  # fmt: skip
        assert course.status_code == 201, course.text
    return known


# What agency A's export holds (from tests/samples_org.py and tests/samples_profiles.py).
EXPECTED_A: dict[ExportKind, dict[str, str]] = {
    ExportKind.EMPLOYEES: {
        "nip": SAMPLE_NIP,
        "name": "Sampel Pegawai Agensi A",
        "front_title": "",
        "gender": "M",
        "birth_date": "1986-09-26",
        "birth_place": "Tangerang Selatan",
        "employment_type": "pns",
        "appointment_date": "2015-05-01",
        "rank": "III/a",
        "status": "active",
        "unit_code": "BKPSDM",
        "nik": NIK_A,
        "email": "sampel@example.go.id",
    },
    ExportKind.UNITS: {"code": "BKPSDM", "kind": "badan", "parent_code": ""},
    ExportKind.POSITIONS: {
        "code": "BKPSDM-ANALIS-SDM",
        "unit_code": "BKPSDM",
        "kind": "fungsional",
        "functional_level": "ahli_pertama",
        "min_rank": "III/a",
        "max_rank": "III/b",
        "reports_to_code": "",
        "required_competencies": "M.1:1;T.1:2",
        "preferred_education_fields": "Psikologi;Manajemen SDM",
        "is_shared": "false",
    },
    ExportKind.EDUCATION: {
        "nip": SAMPLE_NIP,
        "level": "S1",
        "field": "Psikologi",
        "graduation_year": "2008",
    },
    ExportKind.ASSIGNMENTS: {
        "nip": SAMPLE_NIP,
        "position_code": "BKPSDM-ANALIS-SDM",
        "start_date": "2020-01-02",
        "end_date": "",
        "is_primary": "true",
    },
    ExportKind.TRAININGS: {
        "nip": SAMPLE_NIP,
        "title": "Pelatihan Manajemen Talenta",
        "hours_jp": "24.0",
        "start_date": "2024-03-04",
        "form": "training",
        "competencies": "T.1",
    },
    ExportKind.PERFORMANCE: {
        "nip": SAMPLE_NIP,
        "year": "2024",
        "period": "annual",
        "results": "above",
        "behaviour": "as_expected",
        "score": "",
    },
    ExportKind.COMPETENCIES: {
        "nip": SAMPLE_NIP,
        "competency": "M.1",
        "level": "3",
        "source": "assessment_center",
        "assessed_on": "2024-02-01",
        "notes": "",
    },
    ExportKind.SANCTIONS: {
        "nip": SAMPLE_NIP,
        "severity": "light",
        "kind": "Teguran lisan",
        "start_date": "2023-05-02",
        "end_date": "",
    },
    ExportKind.TRAINING_COURSES: {
        "code": "SPBE-A",
        "form": "technical_guidance",
        "hours_jp": "16.0",
        "min_participants": "1",
        "max_participants": "30",
        "eligible_position_kinds": "pelaksana;fungsional",
        "min_rank": "III/a",
        "max_rank": "III/d",
        "competencies": "M.1:3",
        "reassess_on_completion": "false",
        "active": "true",
    },
}


def parse_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(codecs.BOM_UTF8), "Excel reads UTF-8 only with the BOM"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx_text(value: Any) -> str:
    """An XLSX cell read back, as the CSV export writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return csv_cell(value)


def parse_xlsx(content: bytes) -> tuple[list[str], list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    header = [str(h) for h in rows[0]]
    # A read-only sheet may leave out trailing empty cells.
    return header, [row + [None] * (len(header) - len(row)) for row in rows[1:]]


def same_cell(xlsx: Any, text: str) -> bool:
    if isinstance(xlsx, (int, float)) and not isinstance(xlsx, bool):
        return Decimal(str(xlsx)) == Decimal(text)
    return _xlsx_text(xlsx) == text


async def export(client: AsyncClient, kind: str, headers: Headers, **params: str) -> Any:
    return await client.get(f"/api/v1/exports/{kind}", params=params, headers=headers)


@pytest.fixture
async def world(client: AsyncClient, admin: Headers) -> dict[str, str]:
    return await build_export_world(client, admin)


# --- pure parts ------------------------------------------------------------------------


def test_queries_produce_the_native_columns() -> None:
    for kind in ExportKind:
        assert column_names(kind) == (*NATIVE_COLUMNS[kind], "agency"), kind
    assert {kind.value for kind in ExportKind} == set(IMPORT_KINDS)
    # Every importer column is exported, except those standing in for another one.
    for kind in ExportKind:
        importable = {c.name for c in KIND_COLUMNS[kind.value].columns}
        assert importable - set(NATIVE_COLUMNS[kind]) == IMPORT_ONLY.get(kind, set())


def test_cells_and_filename() -> None:
    assert csv_cell(None) == ""
    assert csv_cell(True) == "true"
    assert csv_cell(date(2026, 11, 3)) == "2026-11-03"
    assert csv_cell(["M.1", "T.2"]) == "M.1;T.2"
    assert csv_cell(Decimal("24.0")) == "24.0"
    assert xlsx_cell(["a", "b"]) == "a;b"
    assert xlsx_cell(1.5) == Decimal("1.5")
    assert xlsx_cell(date(2026, 1, 2)) == date(2026, 1, 2)
    name = filename(ExportKind.EMPLOYEES, "36.74", ExportFormat.CSV, date(2026, 11, 23))
    assert name == "employees-36.74-2026-11-23.csv"
    assert filename(ExportKind.UNITS, None, ExportFormat.XLSX, date(2026, 1, 2)) == (
        "units-all-2026-01-02.xlsx"
    )
    assert csv_chunk([["a,b", 'say "hi"', None]]) == b'"a,b","say ""hi""",\r\n'


def test_xlsx_keeps_text_as_text() -> None:
    spool = XlsxSpool("t")
    spool.append([["name", "note"], ["=1+1", "#N/A"], ["bell\x07", date(2024, 1, 2)]])
    file = spool.finish()
    try:
        header, rows = parse_xlsx(file.read())
    finally:
        file.close()
    assert header == ["name", "note"]
    assert rows[0] == ["=1+1", "#N/A"]
    assert rows[1][0] == "bell"
    assert rows[1][1] == datetime(2024, 1, 2)


def test_a_discarded_xlsx_leaves_no_temporary_file() -> None:
    spool = XlsxSpool("t")
    spool.append([["a"], ["b"]])
    assert os.listdir(spool.directory)
    spool.discard()
    assert not os.path.exists(spool.directory)


def test_a_finished_xlsx_leaves_only_the_file_it_returns() -> None:
    spool = XlsxSpool("t")
    spool.append([["a"], ["b"]])
    spool.finish().close()
    assert not os.path.exists(spool.directory)


# --- every kind, both formats ----------------------------------------------------------


async def test_every_kind_exports_its_rows_as_csv_and_xlsx(
    client: AsyncClient, world: dict[str, str], auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    for kind in ExportKind:
        await _check_kind(client, hr, kind)


async def _check_kind(client: AsyncClient, hr: Headers, kind: ExportKind) -> None:
    response = await export(client, kind.value, hr, agency=AGENCY_A, format="csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    today = datetime.now(UTC).date().isoformat()
    assert disposition == f'attachment; filename="{kind.value}-{AGENCY_A}-{today}.csv"'
    assert response.headers["cache-control"] == "no-store"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == list(NATIVE_COLUMNS[kind])
    rows = parse_csv(response.content)
    assert len(rows) == 1, (kind, rows)
    expected = EXPECTED_A[kind]
    assert {k: rows[0][k] for k in expected} == expected, kind
    assert B_NIP not in response.text and "KPG" not in response.text

    xlsx = await export(client, kind.value, hr, agency=AGENCY_A, format="xlsx")
    assert xlsx.status_code == 200, xlsx.text
    assert xlsx.headers["content-type"] == XLSX_TYPE
    assert xlsx.headers["content-disposition"].endswith(f'{today}.xlsx"')
    assert int(xlsx.headers["content-length"]) == len(xlsx.content)
    header, cells = parse_xlsx(xlsx.content)
    assert header == list(NATIVE_COLUMNS[kind])
    assert len(cells) == 1, kind
    for name, value in zip(header, cells[0], strict=True):
        assert same_cell(value, rows[0][name]), (kind, name, value, rows[0][name])


async def test_xlsx_dates_are_date_cells_and_nip_is_text(
    client: AsyncClient, world: dict[str, str], admin: Headers
) -> None:
    response = await export(client, "employees", admin, agency=AGENCY_A, format="xlsx")
    header, rows = parse_xlsx(response.content)
    row = dict(zip(header, rows[0], strict=True))
    assert row["nip"] == SAMPLE_NIP
    assert row["birth_date"] == datetime(1986, 9, 26)
    workbook = load_workbook(io.BytesIO(response.content))
    cell = workbook.worksheets[0].cell(row=2, column=header.index("birth_date") + 1)
    assert cell.number_format == "yyyy-mm-dd"


# --- who may export what ---------------------------------------------------------------


async def test_other_agencys_rows_never_appear(
    client: AsyncClient, world: dict[str, str], auth: TokenFactory, admin: Headers
) -> None:
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    for kind in ExportKind:
        response = await export(client, kind.value, hr_b, agency=AGENCY_B)
        assert response.status_code == 200, response.text
        assert SAMPLE_NIP not in response.text
        assert "BKPSDM-ANALIS-SDM" not in response.text
        assert len(parse_csv(response.content)) == 1, kind
        assert (await export(client, kind.value, hr_b, agency=AGENCY_A)).status_code == 403
    # An officer of both agencies names one agency at a time.
    both = auth(Role.HR_OFFICER, AGENCY_A, AGENCY_B)
    rows = parse_csv((await export(client, "employees", both, agency=AGENCY_B)).content)
    assert [r["nip"] for r in rows] == [B_NIP]
    # Admins may export every agency at once.
    everyone = await export(client, "employees", admin)
    assert everyone.headers["content-disposition"].startswith(
        'attachment; filename="employees-all-'
    )
    assert everyone.text.startswith("\ufeffagency,nip,name,")
    rows = parse_csv(everyone.content)
    assert sorted((r["agency"], r["nip"]) for r in rows) == [
        (AGENCY_A, SAMPLE_NIP),
        (AGENCY_B, B_NIP),
    ]
    units = parse_csv((await export(client, "units", admin, format="csv")).content)
    assert sorted((r["agency"], r["code"]) for r in units) == [
        (AGENCY_A, "BKPSDM"),
        (AGENCY_B, "BKPSDM-KPG"),
    ]


async def test_access_rules(
    client: AsyncClient, world: dict[str, str], auth: TokenFactory, admin: Headers
) -> None:
    path = "/api/v1/exports/employees"
    assert (await client.get(path, params={"agency": AGENCY_A})).status_code == 401
    for role in (Role.SUPERVISOR, Role.EMPLOYEE):
        response = await export(client, "employees", auth(role, AGENCY_A), agency=AGENCY_A)
        assert response.status_code == 403
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    sole = await export(client, "employees", hr)  # an officer of one agency need not name it
    assert sole.status_code == 200
    assert f'filename="employees-{AGENCY_A}-' in sole.headers["content-disposition"]
    missing = await export(client, "employees", auth(Role.HR_OFFICER, AGENCY_A, AGENCY_B))
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"] == ["query", "agency"]
    assert (await export(client, "salaries", hr, agency=AGENCY_A)).status_code == 422
    assert (await export(client, "employees", hr, agency=AGENCY_A, format="pdf")).status_code == (
        422
    )
    assert (await export(client, "employees", hr, agency="not an agency")).status_code == 422
    assert (await export(client, "employees", admin, agency="99.99")).status_code == 404
    assert (await export(client, "employees", hr, agency="99.99")).status_code == 403


async def _key(client: AsyncClient, admin: Headers, agency: str, *scopes: str) -> Headers:
    response = await client.post(
        "/api/v1/api-keys",
        json={"name": f"export {agency} {scopes}", "agencies": [agency], "scopes": list(scopes)},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return {"X-API-Key": response.json()["key"]}


async def test_integration_keys_need_the_exports_scope(
    client: AsyncClient, world: dict[str, str], admin: Headers
) -> None:
    reader = await _key(client, admin, AGENCY_A, "exports:read")
    other = await _key(client, admin, AGENCY_A, "employees:read")
    response = await export(client, "employees", reader, agency=AGENCY_A)
    assert response.status_code == 200
    assert parse_csv(response.content)[0]["nip"] == SAMPLE_NIP
    assert (await export(client, "employees", other, agency=AGENCY_A)).status_code == 403
    assert (await export(client, "employees", reader, agency=AGENCY_B)).status_code == 403


async def test_nik_in_clear_only_for_admin_and_hr_of_the_agency(
    client: AsyncClient, world: dict[str, str], auth: TokenFactory, admin: Headers
) -> None:
    reader = await _key(client, admin, AGENCY_A, "exports:read")
    callers = {
        "admin": (admin, NIK_A),
        "hr": (auth(Role.HR_OFFICER, AGENCY_A), NIK_A),
        "integration": (reader, "************0001"),
    }
    for who, (headers, nik) in callers.items():
        for fmt in ("csv", "xlsx"):
            response = await export(client, "employees", headers, agency=AGENCY_A, format=fmt)
            assert response.status_code == 200, (who, response.text)
            if fmt == "csv":
                assert parse_csv(response.content)[0]["nik"] == nik, who
            else:
                header, rows = parse_xlsx(response.content)
                assert rows[0][header.index("nik")] == nik, who
            if nik != NIK_A:
                assert NIK_A.encode() not in response.content


async def test_an_export_leaves_an_audit_entry(
    client: AsyncClient, world: dict[str, str], auth: TokenFactory, admin: Headers
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A, sub="hr-a")
    await export(client, "employees", hr, agency=AGENCY_A)
    await export(client, "trainings", hr, agency=AGENCY_A, format="xlsx")
    audit = await client.get("/api/v1/audit", params={"action": "export.created"}, headers=admin)
    assert audit.status_code == 200, audit.text
    entries = audit.json()["items"]
    assert len(entries) == 2
    by_kind = {e["changes"]["kind"]["after"]: e for e in entries}
    employees = by_kind["employees"]
    assert employees["actor"] == "hr-a"
    assert employees["agency_code"] == AGENCY_A
    assert employees["entity_type"] == "export"
    assert employees["changes"]["rows"]["after"] == 1
    assert employees["changes"]["complete"]["after"] is True
    assert by_kind["trainings"]["changes"]["format"]["after"] == "xlsx"
    assert NIK_A not in audit.text


# --- streaming -------------------------------------------------------------------------

MANY = 2500


async def _many_employees(app: FastAPI, count: int) -> None:
    """``count`` employees of agency B inserted directly (the export reads, it does not
    validate); NIPs share a birth date and differ in the appointment month and sequence."""
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add_all(
            Employee(
                nip=f"19800101{2000 + i // 12 // 999:04d}{i // 999 % 12 + 1:02d}1{i % 999 + 1:03d}",
                name=f"Pegawai {i:05d}",
                gender="M",
                birth_date=date(1980, 1, 1),
                employment_type="pns",
                appointment_date=date(2000, 1, 1),
                agency_code=AGENCY_B,
                status="active",
                nik=f"{5371000000000000 + i}",
            )
            for i in range(count)
        )


async def asgi_get(
    app: FastAPI, path: str, query: str, headers: Headers
) -> tuple[int, dict[bytes, bytes], list[bytes]]:
    """Call the app as a server would and keep every body message apart."""
    messages: list[MutableMapping[str, Any]] = []
    requested = False
    done = anyio.Event()

    async def receive() -> MutableMapping[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)
    start = messages[0]
    bodies = [m["body"] for m in messages[1:] if m["type"] == "http.response.body"]
    return start["status"], dict(start["headers"]), [b for b in bodies if b]


async def test_large_exports_stream_in_batches(
    app: FastAPI,
    client: AsyncClient,
    world: dict[str, str],
    auth: TokenFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _many_employees(app, MANY)
    fetched: list[int] = []
    original = ExportRepository.batch

    async def counting(self: ExportRepository, *args: Any, **kwargs: Any) -> Batch:
        batch = await original(self, *args, **kwargs)
        fetched.append(len(batch.rows))
        return batch

    monkeypatch.setattr(ExportRepository, "batch", counting)
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    # Straight through ASGI: httpx's test transport would join the body parts.
    status, headers, chunks = await asgi_get(
        app, "/api/v1/exports/employees", f"agency={AGENCY_B}", hr_b
    )
    assert status == 200
    assert b"content-length" not in headers
    rows = parse_csv(b"".join(chunks))
    assert len(rows) == MANY + 1
    assert len({r["nip"] for r in rows}) == MANY + 1
    assert [r["nip"] for r in rows] == sorted(r["nip"] for r in rows)
    # Never more than one batch in memory, and the body went out batch by batch.
    assert max(fetched) <= exports_service.BATCH_SIZE
    assert sum(fetched) == MANY + 1
    assert len(fetched) >= 3
    assert len(chunks) >= len([n for n in fetched if n]) + 1

    fetched.clear()
    xlsx = await export(client, "employees", hr_b, agency=AGENCY_B, format="xlsx")
    _, cells = parse_xlsx(xlsx.content)
    assert len(cells) == MANY + 1
    assert max(fetched) <= exports_service.BATCH_SIZE
    # More rows than a worksheet holds: a clear 422 before any byte is sent.
    monkeypatch.setattr(sheets, "XLSX_MAX_ROWS", MANY)
    refused = await export(client, "employees", hr_b, agency=AGENCY_B, format="xlsx")
    assert refused.status_code == 422
    assert "CSV" in refused.json()["detail"]


async def test_the_csv_body_is_lazy(app: FastAPI, world: dict[str, str]) -> None:
    """The first bytes leave before later batches are read: nothing collects the table."""
    await _many_employees(app, 30)
    principal = Principal(subject="hr-b", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_B}))
    calls: list[int] = []
    async with app.state.sessionmaker() as session:
        service = ExportService(session, app.state.sessionmaker, principal, batch_size=10)
        original = service._rows

        async def spy(export: Any) -> AsyncGenerator[list[tuple[Any, ...]]]:
            async for rows in original(export):
                calls.append(len(rows))
                yield rows

        service._rows = spy  # type: ignore[method-assign]
        exported = await service.open(ExportKind.EMPLOYEES, ExportFormat.CSV, AGENCY_B)
        header = await anext(exported.body)
        assert header.startswith(codecs.BOM_UTF8 + b"nip,name,")
        assert calls == []
        first = await anext(exported.body)
        assert calls == [10]
        assert first.count(b"\r\n") == 10
        rest = [chunk async for chunk in exported.body]
        assert calls == [10, 10, 10, 1]
        assert len(rest) == 3

        # A download cut short still leaves its trace, marked incomplete.
        plain = ExportService(session, app.state.sessionmaker, principal, batch_size=10)
        cut = await plain.open(ExportKind.EMPLOYEES, ExportFormat.CSV, AGENCY_B)
        await anext(cut.body)
        await anext(cut.body)
        await cut.body.aclose()  # type: ignore[attr-defined]
    async with app.state.sessionmaker() as session:
        found = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "export.created").order_by(AuditEntry.id)
        )
        entries = [(e.changes["rows"]["after"], e.changes["complete"]["after"]) for e in found]
    assert entries == [(31, True), (10, False)]
