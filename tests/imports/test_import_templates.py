"""Import templates: the header row and instructions a kind's spec gives, which import
again once filled in (API and CLI)."""

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from asn_career.cli import app as cli_app
from asn_career.core.auth import Role
from asn_career.imports.files.mapping import KIND_COLUMNS, resolve_header
from asn_career.imports.files.templates import template_columns
from asn_career.profiles.models import Employee, Performance
from tests.conftest import AGENCY_A, TokenFactory
from tests.imports.conftest import NIP_1, Importer

URL = "/api/v1/imports/templates"


@pytest.mark.parametrize("mapping", ["native", "siasn"])
@pytest.mark.parametrize("kind", list(KIND_COLUMNS))
def test_every_template_header_imports_and_says_what_each_column_means(
    kind: str, mapping: Any
) -> None:
    columns = template_columns(kind, mapping)
    header = resolve_header(KIND_COLUMNS[kind], mapping, [c.header for c in columns])
    assert not header.unknown and len(header.provided) == len(KIND_COLUMNS[kind].columns)
    assert all(c.meaning_id and c.meaning_en and c.type_id and c.type_en for c in columns)


def _schema_enums(app: FastAPI, field: str) -> set[tuple[str, ...]]:
    """Every enum the API's schemas give a property named ``field``."""
    schemas = app.openapi()["components"]["schemas"]
    found = set()
    for schema in schemas.values():
        prop = schema.get("properties", {}).get(field, {})
        for candidate in [prop, *prop.get("anyOf", []), *prop.get("allOf", [])]:
            if "$ref" in candidate:
                candidate = schemas[candidate["$ref"].rsplit("/", 1)[-1]]
            if "enum" in candidate:
                found.add(tuple(sorted(candidate["enum"])))
    return found


def test_native_templates_list_the_api_s_own_values(app: FastAPI) -> None:
    checked = 0
    for kind in KIND_COLUMNS:
        for column in template_columns(kind, "native"):
            enums = _schema_enums(app, column.field)
            if column.accepted and enums:
                assert tuple(sorted(column.accepted)) in enums, (kind, column.field, enums)
                checked += 1
    assert checked >= 14


async def _template(
    client: AsyncClient, headers: dict[str, str], kind: str, mapping: str, fmt: str = "xlsx"
) -> bytes:
    response = await client.get(
        f"{URL}/{kind}", params={"mapping": mapping, "format": fmt}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert f"import-template-{kind}-{mapping.lower()}.{fmt}" in response.headers[
        "content-disposition"]  # fmt: skip
    return response.content


def _filled(template: bytes, *rows: dict[str, Any]) -> bytes:
    """The template with ``rows`` (values by header) written below its header."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in rows:
        assert set(row) <= set(header), set(row) - set(header)
        sheet.append([row.get(str(name)) for name in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _instructions(template: bytes) -> dict[str, list[Any]]:
    sheet = load_workbook(io.BytesIO(template))["Petunjuk"]
    return {str(row[0]): list(row) for row in sheet.iter_rows(min_row=4, values_only=True)}


async def test_a_filled_in_employees_template_imports_native_and_siasn(
    app: FastAPI, imp_org: dict[str, Any], client: AsyncClient, importer: Importer
) -> None:
    native = await _template(client, importer.headers, "employees", "native")
    book = load_workbook(io.BytesIO(native))
    assert book.sheetnames == ["employees", "Petunjuk"]
    first = book.worksheets[0]
    assert [c.value for c in first[1]][:3] == ["nip", "name", "front_title"]
    assert first.freeze_panes == "A2" and first["A1"].font.bold
    guide = _instructions(native)
    assert guide["nip"][1] == "ya / yes" and guide["email"][1] == "tidak / no"
    assert "active" in guide["status"][6] and "retired" in guide["status"][6]
    row: dict[str, Any] = {
        "nip": NIP_1,
        "name": "Budi Santoso",
        "rank": "III/a",
        "unit_code": "BKPSDM",
    }
    result = await importer(_filled(native, row), filename="pegawai.xlsx")
    assert result["status"] == "succeeded", await importer.errors(result)
    assert result["counts"]["inserted"] == 1

    siasn = await _template(client, importer.headers, "employees", "SIASN")
    header = [c.value for c in load_workbook(io.BytesIO(siasn)).worksheets[0][1]]
    assert header[:3] == ["nipBaru", "nama", "gelarDepan"]
    assert "PEREMPUAN" in _instructions(siasn)["jenisKelamin"][6]
    row = {"nipBaru": NIP_1, "nama": "BUDI SANTOSO", "jenisKelamin": "Laki-laki",
           "golRuangAkhir": "III/B", "tglLahir": "26-09-1986", "kodeUnor": "DINKES"}  # fmt: skip
    result = await importer(_filled(siasn, row), filename="pegawai.xlsx", mapping="siasn")
    assert result["status"] == "succeeded", await importer.errors(result)
    assert result["counts"]["updated"] == 1
    async with app.state.sessionmaker() as session:
        budi = (await session.scalars(select(Employee))).one()
    assert (budi.rank_code, budi.gender, budi.birth_date.isoformat()) == (
        "III/b", "M", "1986-09-26")  # fmt: skip


async def test_a_filled_in_skp_template_imports_siasn_codes(
    app: FastAPI, imp_org: dict[str, Any], client: AsyncClient, importer: Importer
) -> None:
    employees = await _template(client, importer.headers, "employees", "native")
    row: dict[str, Any] = {"nip": NIP_1, "name": "Budi", "appointment_date": "2015-05-01"}
    assert (await importer(_filled(employees, row), filename="e.xlsx"))["status"] == "succeeded"

    siasn = await _template(client, importer.headers, "performance", "siasn")
    guide = _instructions(siasn)
    assert guide["hasilKinerjaNilai"][1] == "ya / yes"
    assert guide["hasilKinerjaNilai"][6].splitlines() == [
        "1, DI ATAS EKSPEKTASI, DIATAS, DI ATAS → above",
        "2, SESUAI EKSPEKTASI, SESUAI → as_expected",
        "3, DI BAWAH EKSPEKTASI, DIBAWAH, DI BAWAH → below",
    ]
    row = {"nipBaru": NIP_1, "tahun": 2023, "hasilKinerjaNilai": 1, "perilakuKerjaNilai": 2}
    result = await importer(
        _filled(siasn, row), kind="performance", mapping="siasn", filename="skp.xlsx"
    )
    assert result["status"] == "succeeded", await importer.errors(result)

    native = await _template(client, importer.headers, "performance", "native")
    assert "q4" in _instructions(native)["period"][6]
    row = {"nip": NIP_1, "year": 2024, "period": "annual", "results": "below",
           "behaviour": "as_expected", "score": 70}  # fmt: skip
    result = await importer(_filled(native, row), kind="performance", filename="skp.xlsx")
    assert result["status"] == "succeeded", await importer.errors(result)
    async with app.state.sessionmaker() as session:
        stored = (await session.scalars(select(Performance).order_by(Performance.year))).all()
    assert [(p.year, p.results, p.behaviour, p.predicate) for p in stored] == [
        (2023, "above", "as_expected", "baik"),
        (2024, "below", "as_expected", "butuh_perbaikan"),
    ]


async def test_the_csv_template_is_the_header_row_with_a_bom(
    imp_org: dict[str, Any], client: AsyncClient, importer: Importer
) -> None:
    content = await _template(client, importer.headers, "performance", "siasn", "csv")
    assert content.decode("utf-8") == (
        "\ufeffnipBaru,tahun,periode,hasilKinerjaNilai,perilakuKerjaNilai,nilaiSkp,"
        "kuadranKinerjaNilai\r\n"
    )


async def test_who_may_read_templates(
    imp_org: dict[str, Any], client: AsyncClient, auth: TokenFactory
) -> None:
    assert (await client.get(f"{URL}/units")).status_code == 401
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        assert (await client.get(f"{URL}/units", headers=auth(role, AGENCY_A))).status_code == 403
    for role in (Role.HR_OFFICER, Role.ADMIN):
        assert (await client.get(f"{URL}/units", headers=auth(role, AGENCY_A))).status_code == 200
    assert (await client.get(f"{URL}/nope", headers=auth(Role.ADMIN))).status_code == 422


def test_the_cli_writes_the_template(tmp_path: Path) -> None:
    target = tmp_path / "skp.xlsx"
    result = CliRunner().invoke(
        cli_app, ["import-template", "performance", "--mapping", "siasn", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(target).worksheets[0]["A1"].value == "nipBaru"
    csv_result = CliRunner().invoke(
        cli_app, ["import-template", "units", "--format", "csv", "--output", str(tmp_path / "u")]
    )
    assert csv_result.exit_code == 0, csv_result.output
    assert (tmp_path / "u").read_bytes() == "\ufeffcode,name,kind,parent_code\r\n".encode()
    bad = CliRunner().invoke(cli_app, ["import-template", "nope"])
    assert bad.exit_code == 2 and "unknown kind" in bad.output
