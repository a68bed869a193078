"""``core.sheets``' XLSX writer: every cell convention of the module docstring, written
through the public path (``spool_xlsx`` → ``file_chunks``) and read back with openpyxl, the
reader the importer uses."""

import io
import os
from collections.abc import AsyncGenerator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest
from openpyxl import load_workbook

from asn_career.core import sheets
from asn_career.core.errors import ValidationProblem
from asn_career.core.sheets import XlsxSpool, file_chunks, spool_xlsx


class Box(StrEnum):
    STAR = "bintang"


HEADER = ("what", "value")
CELLS: list[tuple[str, Any]] = [
    ("date", date(2024, 2, 29)),
    ("moment", datetime(2024, 3, 1, 13, 45, 7)),
    ("true", True),
    ("false", False),
    ("list", ["M.1", "T.2"]),
    ("tuple", ("a", "b", "c")),
    ("empty list", []),
    ("none", None),
    ("empty text", ""),
    ("formula", '=HYPERLINK("https://contoh.example","Klik")'),
    ("plus", "+62 811"),
    ("minus", "-1"),
    ("at", "@SUM(A1)"),
    ("error", "#N/A"),
    ("int", 7),
    ("negative", Decimal("-3")),
    ("decimal", Decimal("87.25")),
    ("float", 1.5),
    ("control", "bell\x07"),
    ("markup", "<r>&amp; x < y</r>"),
    ("spaces", "  two sides "),
    ("enum", Box.STAR),
]


async def _xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    async def batches() -> AsyncGenerator[Sequence[Sequence[Any]]]:
        for start in range(0, len(rows), 5):
            yield rows[start : start + 5]

    spooled = await spool_xlsx("t", header, batches(), lambda: len(rows))
    length = os.fstat(spooled.fileno()).st_size
    body = b"".join([chunk async for chunk in file_chunks(spooled)])
    assert len(body) == length, "Content-Length is the spooled file's size"
    return body


async def test_every_cell_convention_reads_back_as_written() -> None:
    body = await _xlsx(HEADER, CELLS)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet.title == "t"
    assert [c.value for c in sheet[1]] == list(HEADER)
    cells: dict[Any, Any] = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert list(cells) == [what for what, _ in CELLS]

    # Dates are date cells, shown as YYYY-MM-DD (a moment with its time).
    assert cells["date"].is_date and cells["date"].number_format == "yyyy-mm-dd"
    assert cells["date"].value == datetime(2024, 2, 29)
    assert cells["moment"].is_date and cells["moment"].value == datetime(2024, 3, 1, 13, 45, 7)
    # Booleans are boolean cells.
    assert (cells["true"].data_type, cells["true"].value) == ("b", True)
    assert (cells["false"].data_type, cells["false"].value) == ("b", False)
    # Lists are joined with ``;``.
    assert cells["list"].value == "M.1;T.2"
    assert cells["tuple"].value == "a;b;c"
    # An empty cell is no value.
    for empty in ("empty list", "none", "empty text"):
        assert cells[empty].value is None, empty
    # Text a spreadsheet would run stays text: no formula, no error value.
    for what in ("formula", "plus", "minus", "at", "error"):
        assert cells[what].data_type == "s", what
        assert cells[what].value == dict(CELLS)[what], what
    # Numbers are numbers, a negative one too.
    assert (cells["int"].data_type, cells["int"].value) == ("n", 7)
    assert (cells["negative"].data_type, cells["negative"].value) == ("n", -3)
    assert (cells["decimal"].data_type, cells["decimal"].value) == ("n", 87.25)
    assert (cells["float"].data_type, cells["float"].value) == ("n", 1.5)
    # Characters XML cannot hold are dropped; any other text comes back exactly.
    assert cells["control"].value == "bell"
    assert cells["markup"].value == "<r>&amp; x < y</r>"
    assert cells["spaces"].value == "  two sides "
    assert cells["enum"].value == "bintang"


async def test_a_sheet_holds_the_header_and_xlsx_max_rows_minus_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sheets, "XLSX_MAX_ROWS", 4)
    body = await _xlsx(["n"], [[1], [2], [3]])
    assert [r for (r,) in load_workbook(io.BytesIO(body)).worksheets[0].values] == ["n", 1, 2, 3]
    with pytest.raises(ValidationProblem):
        await _xlsx(["n"], [[1], [2], [3], [4]])


def test_the_writer_itself_refuses_a_row_past_the_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    """xlsxwriter drops a row past the last one without a word; the spool refuses it."""
    monkeypatch.setattr(sheets, "XLSX_MAX_ROWS", 2)
    spool = XlsxSpool("t")
    spool.append([["n"], [1]])
    with pytest.raises(ValidationProblem):
        spool.append([[2]])
    spool.discard()
    assert not os.path.exists(spool.directory)


async def test_the_importer_reads_back_the_text_the_exporter_wrote(tmp_path: Any) -> None:
    """Export → edit → import: control characters xlsxwriter escapes as ``_xHHHH_`` and
    text that merely looks like such an escape come back to the importer unchanged."""
    from asn_career.imports.files.formats import XlsxReader

    texts = ["Jl. Merdeka 1\r\nKupang", "kode _x0041_ tetap", "tab\tdi tengah", "biasa"]
    path = tmp_path / "upload"
    path.write_bytes(await _xlsx(("teks",), [(t,) for t in texts]))
    reader = XlsxReader(path, None)
    try:
        assert reader.header == ["teks"]
        assert [cells for _, cells in reader.rows()] == [[t] for t in texts]
    finally:
        reader.close()
