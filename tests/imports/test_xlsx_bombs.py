"""A workbook crafted to exhaust memory is refused (422) before openpyxl reads it, and the
check itself runs in constant memory."""

import io
import random
import string
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from openpyxl import Workbook

from asn_career.imports.files.formats import XLSX_MAX_CELL_CHARS, BadFile, inspect
from tests.imports.conftest import Importer, upload

SHEET = "xl/worksheets/sheet1.xml"


def _workbook_with_sheet(sheet_xml: bytes, path: Path) -> Path:
    """A real workbook (from openpyxl) whose first sheet is replaced by ``sheet_xml``."""
    book = Workbook()
    book.active.append(["nip", "name"])  # type: ignore[union-attr]
    plain = io.BytesIO()
    book.save(plain)
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for part in source.infolist():
            data = sheet_xml if part.filename == SHEET else source.read(part)
            target.writestr(part.filename, data)
    return path


def _sheet(cell_text: str, prologue: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>nip</t></is></c>'
        f'<c r="B1" t="inlineStr"><is><t>{cell_text}</t></is></c></row></sheetData>'
        "</worksheet>"
    ).encode()


def _refused(path: Path) -> BadFile:
    tracemalloc.start()
    try:
        with pytest.raises(BadFile) as refused:
            inspect(path, "bomb.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"the check took {peak:,} bytes"
    return refused.value


def test_a_highly_compressed_part_is_refused_unread(tmp_path: Path) -> None:
    bomb = _workbook_with_sheet(_sheet("A" * (64 * 1024 * 1024)), tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 1024 * 1024
    refused = _refused(bomb)
    assert (refused.status, refused.code) == (422, "import_xlsx_too_large")
    assert SHEET in refused.message


def test_a_part_over_the_size_bound_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("asn_career.imports.files.formats.XLSX_MAX_PART_BYTES", 64 * 1024)
    rng = random.Random(7)
    noise = "".join(rng.choices(string.ascii_letters, k=20_000))
    path = _workbook_with_sheet(_sheet(noise) * 5, tmp_path / "big.xlsx")
    assert _refused(path).code == "import_xlsx_too_large"


def test_a_cell_longer_than_excel_allows_is_refused_while_streaming(tmp_path: Path) -> None:
    """Random text compresses little, so only the streaming cell bound catches it."""
    rng = random.Random(11)
    long_text = "".join(rng.choices(string.ascii_letters, k=4 * 1024 * 1024))
    path = _workbook_with_sheet(_sheet(long_text), tmp_path / "long.xlsx")
    assert _refused(path).code == "import_xlsx_too_large"
    fits = "".join(rng.choices(string.ascii_letters, k=XLSX_MAX_CELL_CHARS))
    assert inspect(_workbook_with_sheet(_sheet(fits), tmp_path / "fits.xlsx"), "f.xlsx")


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    path = _workbook_with_sheet(_sheet("&lol2;", laughs), tmp_path / "laughs.xlsx")
    assert _refused(path).code == "import_xlsx_too_large"


async def test_the_upload_of_a_bomb_is_a_422(
    imp_org: dict[str, Any], importer: Importer, client: AsyncClient, tmp_path: Path
) -> None:
    bomb = _workbook_with_sheet(_sheet("A" * (64 * 1024 * 1024)), tmp_path / "bomb.xlsx")
    response = await upload(client, importer.headers, bomb.read_bytes(), filename="p.xlsx")
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith("/import-xlsx-too-large")
