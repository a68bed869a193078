"""Round trip: what an export writes, the importer (``POST /imports``, mapping native,
mode upsert) reads back as the same data — into the same agency (every row unchanged) and
into an agency emptied first (every row inserted, and the next export is byte-identical)."""

import io
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.jobs.runner import runtime
from asn_career.imports.exports.columns import ExportKind
from tests.conftest import AGENCY_A, TokenFactory
from tests.imports.test_exports import (
    Headers,
    build_export_world,
    export,
    parse_csv,
    parse_xlsx,
)
from tests.samples_profiles import SAMPLE_NIP

PPPK_NIP = "199601032024212050"
FORMULA = '=HYPERLINK("https://contoh.example/x","Klik")'

# Parents before children: what each kind refers to is imported first.
ORDER = [
    ExportKind.UNITS,
    ExportKind.POSITIONS,
    ExportKind.EMPLOYEES,
    ExportKind.EDUCATION,
    ExportKind.ASSIGNMENTS,
    ExportKind.TRAININGS,
    ExportKind.PERFORMANCE,
    ExportKind.COMPETENCIES,
    ExportKind.SANCTIONS,
]


async def _richer_agency_a(client: AsyncClient, admin: Headers, known: dict[str, str]) -> None:
    """A sub-unit, a position reporting to another, a PPPK employee, a closed and an open
    assignment, text that CSV must quote (commas, quotes, line breaks, non-ASCII)."""

    async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await client.post(f"/api/v1{path}", json=body, headers=admin)
        assert response.status_code == 201, (path, response.text)
        return dict(response.json())

    sub = await post(
        f"/agencies/{AGENCY_A}/units",
        {"code": "BKPSDM-PKA", "name": "Bidang Pengembangan Kompetensi, \"PKA\"",
         "kind": "bidang", "parent_id": known["unit_id"]},
    )  # fmt: skip
    clerk = await post(
        "/positions",
        {"code": "PKA-PENGADMIN", "title": "Pengadministrasi Perkantoran", "unit_id": sub["id"],
         "kind": "pelaksana", "min_rank": "II/a", "max_rank": "III/b",
         "reports_to_position_id": known["position_id"], "is_shared": True},
    )  # fmt: skip
    await post(
        "/employees",
        {"nip": PPPK_NIP, "name": "Ni Luh Ayu Wulandari", "front_title": "dr.",
         "back_title": "M.K.M.", "employment_type": "pppk", "rank": "IX", "status": "leave",
         "agency": AGENCY_A, "unit_id": sub["id"], "birth_place": "Denpasar"},
    )  # fmt: skip
    person = f"/employees/{PPPK_NIP}"
    await post(f"{person}/assignments", {"position_id": known["position_id"],
               "start_date": "2024-02-01", "end_date": "2024-12-31",
               "decree_number": "821/045/BKPSDM/2024", "decree_date": "2024-01-25"})  # fmt: skip
    await post(f"{person}/assignments", {"position_id": clerk["id"], "start_date": "2025-01-02"})
    await post(f"{person}/education", {"level": "S2", "field": "Kesehatan Masyarakat",
               "institution": "Universitas Udayana", "graduation_year": 2021})  # fmt: skip
    await post(f"{person}/education", {"level": "S1"})
    await post(f"{person}/trainings", {"title": "Bimtek SPBE; \"Tahap 2\"", "hours_jp": 12.5,
               "start_date": "2025-03-03", "end_date": "2025-03-04",
               "provider": "Diskominfo Kota Tangerang Selatan", "form": "technical_guidance",
               "competencies": ["M.2", known["competency_code"]],
               "certificate_number": "SPBE/2025/0012"})  # fmt: skip
    # Text a spreadsheet would run as a formula, and text already quoted against that.
    await post(f"{person}/trainings", {"title": FORMULA, "hours_jp": 2, "provider": "@BPSDM",
               "start_date": "2025-05-05", "form": "seminar",
               "certificate_number": "'+62/2025"})  # fmt: skip
    await post(f"{person}/performance", {"year": 2025, "period": "q1", "results": "above",
               "behaviour": "above", "score": 91.25})  # fmt: skip
    await post(f"{person}/competencies", {"competency": "M.1", "level": 4, "source": "self",
               "assessed_on": "2025-02-10",
               "notes": "Penilaian mandiri — baris satu,\nbaris dua “dikutip”."})  # fmt: skip
    await post(f"{person}/sanctions", {"severity": "light", "kind": "Teguran tertulis",
               "decree_number": "862/01/2024", "start_date": "2024-06-03",
               "end_date": "2024-12-03", "reason": "Terlambat, berulang kali"})  # fmt: skip


async def _import(
    app: FastAPI, client: AsyncClient, headers: Headers, kind: ExportKind, name: str, data: bytes
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/imports",
        data={"kind": kind.value, "agency": AGENCY_A, "mapping": "native", "mode": "upsert"},
        files={"file": (name, io.BytesIO(data), "application/octet-stream")},
        headers=headers,
    )
    assert response.status_code == 202, (kind, response.status_code, response.text)
    runtime.sessionmaker = app.state.sessionmaker
    await app.state.job_queue.run_worker(concurrency=1, wait=False)
    final = await client.get(response.headers["Location"], headers=headers)
    assert final.status_code == 200, final.text
    result = dict(final.json())
    if result["status"] != "succeeded":
        errors = await client.get(f"/api/v1/imports/{result['id']}/errors", headers=headers)
        raise AssertionError((kind, result, errors.text))
    return result


async def _exports(
    client: AsyncClient, headers: Headers, fmt: str
) -> dict[ExportKind, tuple[str, bytes]]:
    files = {}
    for kind in ORDER:
        response = await export(client, kind.value, headers, agency=AGENCY_A, format=fmt)
        assert response.status_code == 200, response.text
        name = response.headers["content-disposition"].split('filename="')[1].rstrip('"')
        files[kind] = (name, response.content)
    return files


def _rows(fmt: str, content: bytes) -> int:
    return len(parse_csv(content)) if fmt == "csv" else len(parse_xlsx(content)[1])


async def test_the_same_agency_reimports_unchanged(
    app: FastAPI, client: AsyncClient, admin: Headers, auth: TokenFactory
) -> None:
    known = await build_export_world(client, admin)
    await _richer_agency_a(client, admin, known)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    original = await _exports(client, hr, "csv")
    for fmt in ("csv", "xlsx"):
        before = await _exports(client, hr, fmt)
        for kind in ORDER:
            name, content = before[kind]
            rows = _rows(fmt, content)
            assert rows >= 1, kind
            result = await _import(app, client, hr, kind, name, content)
            counts = result["counts"]
            assert result["unknown_columns"] == [], (kind, result)
            assert (counts["inserted"], counts["updated"], counts["errors"]) == (0, 0, 0), (
                fmt,
                kind,
                counts,
            )
            assert counts["unchanged"] == rows, (fmt, kind, counts)
        after = await _exports(client, hr, "csv")
        for kind in ORDER:
            assert after[kind][1] == original[kind][1], (fmt, kind)


async def _empty_agency_a(app: FastAPI) -> None:
    """Remove agency A's people and organisation (not the agency nor its dictionary)."""
    async with unit_of_work(app.state.sessionmaker) as session:
        params = {"agency": AGENCY_A}
        await session.execute(
            text("DELETE FROM employees WHERE agency_code = :agency"), params
        )  # histories go with them (ON DELETE CASCADE)
        await session.execute(
            text("UPDATE positions SET reports_to_position_id = NULL WHERE agency_code = :agency"),
            params,
        )
        await session.execute(text("DELETE FROM positions WHERE agency_code = :agency"), params)
        await session.execute(
            text("UPDATE units SET parent_id = NULL WHERE agency_code = :agency"), params
        )
        await session.execute(text("DELETE FROM units WHERE agency_code = :agency"), params)


async def test_an_emptied_agency_gets_the_same_data_back(
    app: FastAPI, client: AsyncClient, admin: Headers, auth: TokenFactory
) -> None:
    known = await build_export_world(client, admin)
    await _richer_agency_a(client, admin, known)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    before = await _exports(client, hr, "csv")
    xlsx_before = await _exports(client, hr, "xlsx")
    await _empty_agency_a(app)
    emptied = await _exports(client, hr, "csv")
    assert all(len(parse_csv(content)) == 0 for _, content in emptied.values())

    for kind in ORDER:
        name, content = before[kind]
        result = await _import(app, client, hr, kind, name, content)
        counts = result["counts"]
        assert counts["inserted"] == len(parse_csv(content)), (kind, counts)
        assert counts["errors"] == 0

    after = await _exports(client, hr, "csv")
    for kind in ORDER:
        assert after[kind][1] == before[kind][1], kind
    # The current position follows the open primary assignment again.
    profile = await client.get(f"/api/v1/employees/{PPPK_NIP}", headers=hr)
    assert profile.json()["position_id"] is not None
    summary = await client.get(f"/api/v1/employees/{SAMPLE_NIP}", headers=hr)
    assert summary.json()["position_id"] is not None

    # And the XLSX files say the same as the CSV ones.
    await _empty_agency_a(app)
    for kind in ORDER:
        name, content = xlsx_before[kind]
        await _import(app, client, hr, kind, name, content)
    again = await _exports(client, hr, "csv")
    for kind in ORDER:
        assert again[kind][1] == before[kind][1], kind


async def test_formula_text_is_neutralised_in_csv_and_restored_on_import(
    client: AsyncClient, admin: Headers
) -> None:
    """OWASP's CSV-injection advice: a text cell starting with = + - @ tab or CR gets a
    leading apostrophe; the round-trip tests above show the importer takes it off again."""
    known = await build_export_world(client, admin)
    await _richer_agency_a(client, admin, known)
    response = await export(client, "trainings", admin, agency=AGENCY_A, format="csv")
    rows = parse_csv(response.content)
    cells = [cell for row in rows for cell in row.values() if cell]
    assert "'" + FORMULA in cells
    assert "'@BPSDM" in cells
    assert "''+62/2025" in cells
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r"]
