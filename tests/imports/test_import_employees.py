"""Employee imports end to end: formats, encodings, mappings, modes, errors, jobs, safety."""

import asyncio
import codecs
import csv
import io
import json
import uuid
from typing import Any

import orjson
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import Workbook
from sqlalchemy import func, select, text

from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Role
from asn_career.imports.files import loading, service
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.imports.conftest import (
    NIP_1,
    NIP_2,
    NIP_3,
    NIP_4,
    Importer,
    csv_bytes,
    run_jobs,
    upload,
)

HEADER = ["nip", "name", "rank", "unit_code", "nik", "email", "birth_place"]
ROWS = [
    [NIP_1, "Budi Santoso", "III/a", "BKPSDM", "3674012609860001", "budi@example.go.id", "Serang"],
    [NIP_2, "Siti Aminah", "III/b", "DINKES", "", "", "Kupang"],
]


async def employees(app: FastAPI) -> dict[str, Employee]:
    async with app.state.sessionmaker() as session:
        found = (await session.scalars(select(Employee))).all()
    return {e.nip: e for e in found}


def xlsx_bytes(rows: list[list[Any]], sheet: str = "Pegawai", first: str | None = None) -> bytes:
    book = Workbook()
    active = book.active
    assert active is not None
    if first is not None:
        active.title = first
        active.append(["nothing", "here"])
        target = book.create_sheet(sheet)
    else:
        active.title = sheet
        target = active
    for row in rows:
        target.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- formats and encodings ----------------------------------------------------------------


async def test_csv_native_inserts_then_a_rerun_changes_nothing(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    content = csv_bytes([HEADER, *ROWS])
    first = await importer(content)
    assert first["status"] == "succeeded", first
    assert first["written"] is True
    assert first["counts"] | {"rows_total": None} == {
        "rows_total": None,
        "rows_done": 2,
        "inserted": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
        "invalid_rows": 0,
    }
    stored = await employees(app)
    budi = stored[NIP_1]
    assert (budi.name, budi.gender, budi.birth_date.isoformat()) == (
        "Budi Santoso",
        "M",
        "1986-09-26",
    )
    assert budi.appointment_date.isoformat() == "2015-05-01"
    assert budi.unit_id == uuid.UUID(imp_org[f"unit:{AGENCY_A}:BKPSDM"])
    assert budi.agency_code == AGENCY_A and budi.rank_code == "III/a"
    assert stored[NIP_2].gender == "F"

    again = await importer(content)
    assert again["counts"]["inserted"] == 0
    assert again["counts"]["updated"] == 0
    assert again["counts"]["unchanged"] == 2
    after = await employees(app)
    assert after[NIP_1].version == budi.version


async def test_changed_rows_are_updated_and_audited_with_the_import_and_nik_masked(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await importer(csv_bytes([HEADER, *ROWS]))
    changed = [
        [NIP_1, "Budi Santoso, S.Kom.", "III/b", "BKPSDM", "3674012609860002", "", "Serang"],
        ROWS[1],
    ]
    result = await importer(csv_bytes([HEADER, *changed]))
    assert result["counts"]["updated"] == 1, (result, await importer.errors(result))
    assert result["counts"]["unchanged"] == 1
    budi = (await employees(app))[NIP_1]
    assert (budi.name, budi.rank_code, budi.nik, budi.email) == (
        "Budi Santoso, S.Kom.",
        "III/b",
        "3674012609860002",
        None,
    )
    async with app.state.sessionmaker() as session:
        entries = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_id == str(budi.id))
                .order_by(AuditEntry.id)
            )
        ).all()
    assert [e.action for e in entries] == ["employee.created", "employee.updated"]
    created, updated = entries
    assert created.actor == f"hr_officer@{AGENCY_A}"
    assert created.request_id and created.request_id.startswith("import:")
    assert created.changes["nik"] == {"before": None, "after": "[masked]"}
    assert created.changes["nip"]["after"] == NIP_1
    assert updated.request_id == f"import:{result['id']}"
    assert updated.changes["nik"] == {"before": "[masked]", "after": "[masked]"}
    assert updated.changes["rank_code"] == {"before": "III/a", "after": "III/b"}
    assert updated.changes["email"] == {"before": "budi@example.go.id", "after": None}
    assert "3674012609860002" not in json.dumps(updated.changes)


async def test_columns_absent_from_the_file_are_left_alone(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await importer(csv_bytes([[*HEADER, "status"], [*ROWS[0], "leave"]]))
    result = await importer(csv_bytes([["nip", "name"], [NIP_1, "Budi Santoso"]]))
    assert result["counts"]["unchanged"] == 1
    budi = (await employees(app))[NIP_1]
    assert (budi.status, budi.rank_code, budi.email) == ("leave", "III/a", "budi@example.go.id")


async def test_utf8_bom_and_semicolons(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    content = codecs.BOM_UTF8 + csv_bytes([HEADER, *ROWS], sep=";")
    result = await importer(content)
    assert (result["encoding"], result["delimiter"]) == ("utf-8-sig", ";")
    assert result["counts"]["inserted"] == 2
    assert result["columns"][0] == "nip"  # the BOM is not part of the first header


async def test_windows_1252_names(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    rows = [["NIP", "Name"], [NIP_1, "Sélamat Rïyadi"], [NIP_2, "Dédi Ça"]]
    result = await importer(csv_bytes(rows, sep=";", encoding="cp1252"))
    assert result["encoding"] == "cp1252"
    stored = await employees(app)
    assert stored[NIP_1].name == "Sélamat Rïyadi"
    assert stored[NIP_2].name == "Dédi Ça"


async def test_xlsx_first_sheet_and_a_named_one(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    rows: list[list[Any]] = [HEADER, *ROWS]
    result = await importer(xlsx_bytes(rows), filename="pegawai.xlsx")
    assert result["format"] == "xlsx" and result["counts"]["inserted"] == 2

    named = xlsx_bytes([["nip", "name"], [NIP_4, "Agus Salim"]], sheet="Data", first="Catatan")
    result = await importer(named, filename="pegawai.xlsx", sheet="Data")
    assert result["counts"]["inserted"] == 1, result
    assert NIP_4 in await employees(app)


async def test_xlsx_dates_as_cells_and_nip_stored_as_a_number(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    import datetime as dt

    rows: list[list[Any]] = [
        ["nip", "name", "birth_date"],
        [NIP_1, "Budi", dt.datetime(1986, 9, 26)],
        [float(NIP_2), "Siti", None],
    ]
    result = await importer(xlsx_bytes(rows), filename="p.xlsx", on_error="skip")
    assert result["counts"]["inserted"] == 1
    errors = await importer.errors(result)
    assert errors[0]["row"] == 3 and errors[0]["column"] == "nip"
    assert "text" in errors[0]["message"]


async def test_ndjson(app: FastAPI, imp_org: dict[str, Any], importer: Importer) -> None:
    lines = [
        {"nip": NIP_1, "name": "Budi", "rank": "III/a", "unit_code": "BKPSDM"},
        {"nip": NIP_3, "name": "Rina", "employment_type": "pppk", "rank": "IX", "hobby": "x"},
    ]
    content = b"\n".join(orjson.dumps(line) for line in lines) + b"\n"
    result = await importer(content, filename="pegawai.ndjson")
    assert result["format"] == "ndjson"
    assert result["counts"]["inserted"] == 2, await importer.errors(result)
    assert result["unknown_columns"] == ["hobby"]
    stored = await employees(app)
    assert stored[NIP_3].employment_type == "pppk" and stored[NIP_3].rank_code == "IX"


async def test_siasn_mapping_with_its_names_and_formats(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    header = [
        "nipBaru", "nama", "gelarDepan", "gelarBelakang", "tempatLahir", "tglLahir",
        "jenisKelamin", "email", "jenisPegawaiNama", "golRuangAkhir", "unorNama", "tmtCpns",
        "jabatanNama", "instansiKerjaNama", "kolomAneh",
    ]  # fmt: skip
    rows = [
        [NIP_1, "BUDI SANTOSO", "Drs.", "M.Si.", "Serang", "26-09-1986", "Laki-laki",
         "budi@example.go.id", "PNS", "III/A", "Dinas Kesehatan", "01-05-2015", "Analis",
         "Pemkot Tangsel", "?"],
        [NIP_2, "SITI AMINAH", "", "S.Kep.", "Kupang", "01-01-1990", "Wanita", "", "PNS",
         "IIIb", "Badan Kepegawaian", "15-03-2019", "", "Pemkot Tangsel", ""],
    ]  # fmt: skip
    result = await importer(csv_bytes([header, *rows]), mapping="siasn")
    assert result["status"] == "succeeded", await importer.errors(result)
    assert result["counts"]["inserted"] == 2
    assert result["unknown_columns"] == ["kolomAneh"]
    assert set(result["ignored_columns"]) == {"jabatanNama", "instansiKerjaNama"}
    stored = await employees(app)
    budi, siti = stored[NIP_1], stored[NIP_2]
    assert (budi.front_title, budi.back_title, budi.gender, budi.rank_code) == (
        "Drs.",
        "M.Si.",
        "M",
        "III/a",
    )
    assert budi.unit_id == uuid.UUID(imp_org[f"unit:{AGENCY_A}:DINKES"])
    assert (siti.gender, siti.rank_code, siti.appointment_date.isoformat()) == (
        "F",
        "III/b",
        "2019-03-15",
    )


async def test_siasn_values_that_contradict_the_nip_are_row_errors(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    rows = [
        ["nipBaru", "nama", "tglLahir", "jenisKelamin"],
        [NIP_1, "Budi", "27-09-1986", "Perempuan"],
        [NIP_2, "Siti", "31-02-1990", "P"],
    ]
    result = await importer(csv_bytes(rows), mapping="siasn")
    assert result["status"] == "failed"
    errors = await importer.errors(result)
    by_row: dict[int, list[dict[str, Any]]] = {}
    for e in errors:
        by_row.setdefault(e["row"], []).append(e)
    assert {e["column"] for e in by_row[2]} == {"tglLahir", "jenisKelamin"}
    assert any("digits 1–8" in e["message"] or "1–8" in e["message"] for e in by_row[2])
    assert by_row[3][0]["column"] == "tglLahir" and "real date" in by_row[3][0]["message"]


# --- modes, errors, dry run ---------------------------------------------------------------

BAD_ROWS = [
    ["nip", "name", "rank", "unit_code", "nik"],
    [NIP_1, "Budi", "III/a", "BKPSDM", "3674012609860001"],
    ["19860926201505100", "Pendek", "", "", ""],  # 17 digits
    [NIP_2, "Siti", "IX", "", ""],  # a PPPK rank for a PNS
    [NIP_4, "Agus", "II/c", "TIDAKADA", ""],  # unknown unit: found in SQL
    [NIP_3, "Rina", "", "", "36740126098600AB"],  # not a NIK
]


async def test_abort_writes_nothing_and_lists_every_bad_row(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    result = await importer(csv_bytes(BAD_ROWS))
    assert result["status"] == "failed" and result["written"] is False
    assert "nothing was written" in result["failure"]
    assert result["counts"]["invalid_rows"] == 4
    assert await employees(app) == {}
    errors = await importer.errors(result)
    assert [e["row"] for e in errors] == sorted(e["row"] for e in errors)
    rows = {(e["row"], e["column"]) for e in errors}
    assert rows == {(3, "nip"), (4, "rank"), (5, "unit_code"), (6, "nik")}
    nik_error = next(e for e in errors if e["column"] == "nik")
    assert nik_error["value"] == "************00AB"
    job = await importer.client.get(f"/api/v1/jobs/{result['job_id']}", headers=importer.headers)
    assert job.json()["status"] == "failed"
    assert "nothing was written" in job.json()["errors"][0]["message"]


async def test_skip_writes_the_valid_rows_and_reports_the_rest(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    result = await importer(csv_bytes(BAD_ROWS), on_error="skip")
    assert result["status"] == "succeeded"
    assert result["counts"]["inserted"] == 1 and result["counts"]["invalid_rows"] == 4
    assert set(await employees(app)) == {NIP_1}


async def test_dry_run_counts_and_writes_nothing(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await importer(csv_bytes([HEADER, ROWS[0]]))
    rows = [HEADER, [*ROWS[0][:1], "Budi Baru", *ROWS[0][2:]], ROWS[1]]
    result = await importer(csv_bytes(rows), dry_run=True)
    assert result["status"] == "succeeded" and result["written"] is False
    assert (result["counts"]["inserted"], result["counts"]["updated"]) == (1, 1)
    stored = await employees(app)
    assert set(stored) == {NIP_1} and stored[NIP_1].name == "Budi Santoso"
    async with app.state.sessionmaker() as session:
        audits = await session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action.like("employee.%")))  # fmt: skip
    assert audits == 1


async def test_insert_mode_refuses_existing_records(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await importer(csv_bytes([HEADER, ROWS[0]]))
    result = await importer(csv_bytes([HEADER, *ROWS]), mode="insert", on_error="skip")
    assert result["counts"]["inserted"] == 1 and result["counts"]["invalid_rows"] == 1
    errors = await importer.errors(result)
    assert errors[0]["row"] == 2 and "mode=insert" in errors[0]["message"]


async def test_duplicate_rows_in_one_file(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    result = await importer(csv_bytes([HEADER, ROWS[0], ROWS[1], ROWS[0]]), on_error="skip")
    errors = await importer.errors(result)
    assert [(e["row"], e["column"]) for e in errors] == [(4, "nip")]
    assert "row 2" in errors[0]["message"]


async def test_an_employee_of_another_agency_is_not_taken_over(
    app: FastAPI,
    imp_org: dict[str, Any],
    importer: Importer,
    client: AsyncClient,
    auth: TokenFactory,
) -> None:
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    other = Importer(app, client, hr_b)
    await other(csv_bytes([["nip", "name"], [NIP_1, "Pegawai Kupang"]]), agency=AGENCY_B)
    result = await importer(csv_bytes([HEADER, ROWS[0]]))
    assert result["status"] == "failed"
    errors = await importer.errors(result)
    assert "another agency" in errors[0]["message"]
    assert (await employees(app))[NIP_1].agency_code == AGENCY_B


async def test_errors_as_csv_by_accept_or_format(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer, client: AsyncClient
) -> None:
    result = await importer(csv_bytes(BAD_ROWS))
    url = f"/api/v1/imports/{result['id']}/errors"
    for response in (
        await client.get(url, headers={**importer.headers, "Accept": "text/csv"}),
        await client.get(f"{url}?format=csv", headers=importer.headers),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0] == "row,column,value,message"
        assert len(lines) == 1 + result["counts"]["errors"]
        assert "3674012609860001" not in response.text
    page = await client.get(f"{url}?limit=2", headers=importer.headers)
    assert len(page.json()["items"]) == 2 and page.json()["next_cursor"]
    rest = await client.get(
        f"{url}?limit=50&cursor={page.json()['next_cursor']}", headers=importer.headers
    )
    assert len(rest.json()["items"]) == result["counts"]["errors"] - 2


async def test_the_errors_csv_neutralises_formulas_it_echoes(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer, client: AsyncClient
) -> None:
    """A cell of the uploaded file comes back in the errors CSV: a formula there would run in
    the spreadsheet of whoever opens the report."""
    formula = '=HYPERLINK("https://contoh.example/x","Klik")'
    result = await importer(csv_bytes([["nip", "name", "unit_code"], [NIP_1, "Budi", formula]]))
    assert result["counts"]["errors"] == 1
    response = await client.get(
        f"/api/v1/imports/{result['id']}/errors?format=csv", headers=importer.headers
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1:3] == ["unit_code", "'" + formula]


# --- upload checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "form", "status", "needle"),
    [
        (b"", "a.csv", {}, 422, "empty"),
        (b"\n\n  \n", "a.csv", {}, 422, "header"),
        (b"name,email\nBudi,b@x.id\n", "a.csv", {}, 422, "nip"),
        (b"nip,name\n1,a\n", "a.csv", {"kind": "pegawai"}, 422, "kind"),
        (b"nip,name\n1,a\n", "a.csv", {"mapping": "bkn"}, 422, "mapping"),
        (b"nip,name\n1,a\n", "a.xlsx", {}, 415, "XLSX"),
        (b"PK\x03\x04not really a zip", "a.xlsx", {}, 422, "XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "a.xls", {}, 415, "xls"),
        (codecs.BOM_UTF16_LE + "nip,name".encode("utf-16-le"), "a.csv", {}, 422, "UTF-16"),
        (b"nip,name\n\x81\x8d\x8f,a\xff\n", "a.csv", {}, 422, "UTF-8"),
        (b"nip,name\n1,a\x00b\n", "a.csv", {}, 415, "binary"),
    ],
)
async def test_bad_files_are_refused_at_upload(
    app: FastAPI,
    imp_org: dict[str, Any],
    client: AsyncClient,
    imp_hr_a: dict[str, str],
    content: bytes,
    filename: str,
    form: dict[str, str],
    status: int,
    needle: str,
) -> None:
    response = await upload(client, imp_hr_a, content, filename=filename, **form)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert needle.lower() in response.text.lower()
    async with app.state.sessionmaker() as session:
        assert await session.scalar(text("SELECT count(*) FROM imports")) == 0


async def test_a_file_over_the_import_limit_is_413(
    app: FastAPI, imp_org: dict[str, Any], client: AsyncClient, imp_hr_a: dict[str, str]
) -> None:
    app.state.settings.import_max_bytes = 2_000
    big = csv_bytes([["nip", "name"], *([NIP_1, "x" * 50] for _ in range(100))])
    response = await upload(client, imp_hr_a, big)
    assert response.status_code == 413
    small = await upload(client, imp_hr_a, csv_bytes([["nip", "name"], [NIP_1, "Budi"]]))
    assert small.status_code == 202


async def test_uploads_may_exceed_the_general_body_limit(
    app: FastAPI, imp_org: dict[str, Any], client: AsyncClient, imp_hr_a: dict[str, str]
) -> None:
    app.state.settings.import_max_bytes = 1_000_000
    rows = [["nip", "name"], *([NIP_1, "x" * 100] for _ in range(1_000))]
    body = csv_bytes(rows)
    assert len(body) > 100_000
    guard: Any = app.middleware_stack
    while guard is not None and type(guard).__name__ != "BodyGuardMiddleware":
        guard = getattr(guard, "app", None)
    assert guard is not None
    guard.max_body_bytes = 50_000  # the general JSON limit stays small
    response = await upload(client, imp_hr_a, body)
    assert response.status_code == 202, response.text
    json_body = await client.post(
        "/api/v1/agencies", content=b"{" + b" " * 60_000 + b"}", headers={
            **imp_hr_a, "Content-Type": "application/json"})  # fmt: skip
    assert json_body.status_code == 413


# --- jobs, progress, idempotency ------------------------------------------------------------


async def test_202_location_job_and_progress_while_running(
    app: FastAPI,
    imp_org: dict[str, Any],
    client: AsyncClient,
    imp_hr_a: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "BATCH_ROWS", 2)
    monkeypatch.setattr(service, "PROGRESS_EVERY_ROWS", 2)
    seen: list[dict[str, Any]] = []
    original = loading.Loader.copy

    async def slow_copy(self: loading.Loader, records: Any) -> None:
        await original(self, records)
        if records:
            # what a client polling GET /imports/{id} sees while the import runs
            response = await client.get(f"/api/v1/imports/{import_id}", headers=imp_hr_a)
            seen.append(response.json())

    monkeypatch.setattr(loading.Loader, "copy", slow_copy)
    rows = [["nip", "name"], [NIP_1, "A"], ["123", "bad"], [NIP_2, "B"], [NIP_4, "C"]]
    response = await upload(client, imp_hr_a, csv_bytes(rows), on_error="skip")
    assert response.status_code == 202
    body = response.json()
    import_id = body["id"]
    assert response.headers["location"] == f"/api/v1/imports/{import_id}"
    assert body["status"] == "queued" and body["job_id"]
    assert body["counts"]["rows_total"] == 4
    job = await client.get(f"/api/v1/jobs/{body['job_id']}", headers=imp_hr_a)
    assert job.status_code == 200 and job.json()["kind"] == "imports.run"

    await run_jobs(app)
    assert seen and all(s["status"] == "running" for s in seen)
    assert any(0 < s["counts"]["rows_done"] < 4 for s in seen)
    assert any(s["counts"]["errors"] == 1 for s in seen)
    done = (await client.get(f"/api/v1/imports/{import_id}", headers=imp_hr_a)).json()
    assert done["status"] == "succeeded" and done["counts"]["inserted"] == 3
    job = (await client.get(f"/api/v1/jobs/{body['job_id']}", headers=imp_hr_a)).json()
    assert job["status"] == "succeeded"
    assert job["progress"] == {"done": 4, "total": 4}
    assert job["result"]["inserted"] == 3


async def test_idempotency_key_returns_the_same_import(
    app: FastAPI, imp_org: dict[str, Any], client: AsyncClient, imp_hr_a: dict[str, str]
) -> None:
    boundary = "asn-career-test-boundary"
    parts = [
        ("kind", b"employees"),
        ("agency", AGENCY_A.encode()),
    ]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in parts
    )
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + csv_bytes([["nip", "name"], [NIP_1, "Budi"]])
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        **imp_hr_a,
        "Idempotency-Key": "import-1",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    first = await client.post("/api/v1/imports", content=body, headers=headers)
    second = await client.post("/api/v1/imports", content=body, headers=headers)
    assert first.status_code == second.status_code == 202, first.text
    assert second.headers.get("idempotent-replayed") == "true"
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["location"] == first.headers["location"]
    # A retry of the same upload draws a new boundary, as browsers and httpx do.
    redrawn = {**headers, "Content-Type": 'multipart/form-data; boundary="another-boundary"'}
    third = await client.post(
        "/api/v1/imports", content=body.replace(boundary.encode(), b"another-boundary"),
        headers=redrawn,
    )  # fmt: skip
    assert third.status_code == 202, third.text
    assert third.headers.get("idempotent-replayed") == "true"
    assert third.json()["id"] == first.json()["id"]
    async with app.state.sessionmaker() as session:
        assert await session.scalar(text("SELECT count(*) FROM imports")) == 1
        assert await session.scalar(text("SELECT count(*) FROM jobs")) == 1
    other = body.replace(b"Budi", b"Bude")
    reused = await client.post("/api/v1/imports", content=other, headers=headers)
    assert reused.status_code == 422


async def test_a_failure_mid_import_leaves_nothing_and_fails_the_job(
    app: FastAPI,
    imp_org: dict[str, Any],
    importer: Importer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def explode(self: Any, loader: loading.Loader, actor: dict[str, Any]) -> None:
        # the employees and their audit rows are written by now
        conn = await loader.conn()
        assert await conn.fetchval("SELECT count(*) FROM employees") == 2
        raise RuntimeError("disk full while loading")

    monkeypatch.setattr(loading.EmployeeSpec, "after", explode)
    result = await importer(csv_bytes([HEADER, *ROWS]))
    assert result["status"] == "failed"
    assert "disk full while loading" in result["failure"]
    assert await employees(app) == {}
    async with app.state.sessionmaker() as session:
        assert (
            await session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action.like("employee.%"))
            )
            == 0
        )
    job = await importer.client.get(f"/api/v1/jobs/{result['job_id']}", headers=importer.headers)
    assert job.json()["status"] == "failed"
    assert "disk full" in job.json()["errors"][0]["message"]


async def test_the_stored_upload_is_removed_after_the_run(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    result = await importer(csv_bytes([HEADER, *ROWS]))
    directory = service.storage_dir(app.state.settings)
    assert not (directory / f"{result['id']}.upload").exists()


# --- who may import ------------------------------------------------------------------------


async def test_access(
    app: FastAPI,
    imp_org: dict[str, Any],
    client: AsyncClient,
    auth: TokenFactory,
    importer: Importer,
    admin: dict[str, str],
) -> None:
    content = csv_bytes([HEADER, *ROWS])
    assert (await upload(client, {}, content)).status_code == 401
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        assert (await upload(client, auth(role, AGENCY_A), content)).status_code == 403
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await upload(client, hr_b, content)).status_code == 403  # agency A's import
    result = await importer(content)
    url = f"/api/v1/imports/{result['id']}"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=hr_b)).status_code == 404
    assert (await client.get(f"{url}/errors", headers=hr_b)).status_code == 404
    assert (await client.get(url, headers=auth(Role.EMPLOYEE, AGENCY_A))).status_code == 403
    assert (await client.get(url, headers=admin)).status_code == 200
    listed = await client.get("/api/v1/imports", headers=hr_b)
    assert listed.status_code == 200 and listed.json()["items"] == []
    mine = await client.get("/api/v1/imports", headers=importer.headers)
    assert [i["id"] for i in mine.json()["items"]] == [result["id"]]


async def test_integration_keys_need_the_imports_scopes(
    app: FastAPI, imp_org: dict[str, Any], client: AsyncClient, admin: dict[str, str]
) -> None:
    async def key(*scopes: str) -> dict[str, str]:
        response = await client.post(
            "/api/v1/api-keys",
            json={"name": f"k{len(scopes)}", "agencies": [AGENCY_A], "scopes": list(scopes)},
            headers=admin,
        )
        assert response.status_code == 201, response.text
        return {"X-API-Key": response.json()["key"]}

    content = csv_bytes([HEADER, *ROWS])
    reader = await key("imports:read")
    assert (await upload(client, reader, content)).status_code == 403
    writer = await key("imports:write", "imports:read")
    response = await upload(client, writer, content)
    assert response.status_code == 202, response.text
    assert (await client.get(response.headers["location"], headers=reader)).status_code == 200


async def test_an_unknown_agency_is_422_for_admins(
    imp_org: dict[str, Any], client: AsyncClient, admin: dict[str, str]
) -> None:
    response = await upload(client, admin, csv_bytes([HEADER, *ROWS]), agency="99.99")
    assert response.status_code == 422


async def test_two_imports_run_concurrently_without_harm(
    app: FastAPI, imp_org: dict[str, Any], client: AsyncClient, imp_hr_a: dict[str, str]
) -> None:
    content = csv_bytes([HEADER, *ROWS])
    first = await upload(client, imp_hr_a, content)
    second = await upload(client, imp_hr_a, content)
    assert first.status_code == second.status_code == 202
    await asyncio.gather(
        service.run_import(app.state.sessionmaker, uuid.UUID(first.json()["id"])),
        service.run_import(app.state.sessionmaker, uuid.UUID(second.json()["id"])),
    )
    results = [
        (await client.get(r.headers["location"], headers=imp_hr_a)).json()["counts"]
        for r in (first, second)
    ]
    assert sorted((c["inserted"], c["unchanged"]) for c in results) == [(0, 2), (2, 0)]
