"""Spreadsheet files out: CSV text row by row, XLSX in constant memory, and the cell
conventions both share. Generic: the exports of ``imports.exports`` and the group-level
results of ``feedback.results`` use it alike.

No database here: a service feeds rows batch by batch.

Cell conventions (those the importer reads, ``imports.mapping.convert``):
- dates ``YYYY-MM-DD`` (XLSX: date cells);
- booleans ``true`` / ``false``;
- lists joined with ``;`` (``M.1;T.2``);
- empty cell = no value;
- text a spreadsheet would run as a formula is neutralised (``core.formulas``).
"""

import codecs
import csv
import io
import re
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any, Final, Literal

import anyio
from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from asn_career.core.errors import ValidationProblem, field_problem
from asn_career.core.formulas import neutralise

CSV_MEDIA_TYPE: Final = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS: Final = 1_048_576
"""Rows of one worksheet (the header included), as Excel counts them."""
FILE_CHUNK_BYTES: Final = 64 * 1024
LIST_SEPARATOR: Final = ";"


@dataclass(frozen=True)
class Download:
    """A file a router streams: the body, its headers' values, its size when known."""

    filename: str
    media_type: str
    body: AsyncIterator[bytes]
    length: int | None = None


def download_response(file: Download, *, vary_accept: bool = False) -> StreamingResponse:
    """An attachment never stored by a cache (it holds personal data); ``Vary: Accept`` where
    the same URL answers JSON or a file by the ``Accept`` header."""
    headers = {
        "Content-Disposition": f'attachment; filename="{file.filename}"',
        "Cache-Control": "no-store",
    }
    if vary_accept:
        headers["Vary"] = "Accept"
    if file.length is not None:
        headers["Content-Length"] = str(file.length)
    return StreamingResponse(file.body, media_type=file.media_type, headers=headers)


AnswerFormat = Literal["json", "csv", "xlsx"]


def answer_format(requested: AnswerFormat | None, accept: str | None) -> AnswerFormat:
    """JSON, or a file: ``?format=`` wins; otherwise a file only when ``Accept`` names one
    explicitly (``xlsx`` or ``csv``), and JSON for anything else."""
    if requested is not None:
        return requested
    wanted = (accept or "").lower()
    if XLSX_MEDIA_TYPE in wanted:
        return "xlsx"
    if "text/csv" in wanted:
        return "csv"
    return "json"


# Characters XML 1.0 (and so XLSX) cannot hold; the API's text fields reject most of them
# already, this keeps a stray one from breaking a whole export.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def list_cell(values: Sequence[str] | None) -> str:
    return LIST_SEPARATOR.join(values or ())


def csv_cell(value: Any) -> str:
    """One value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list_cell([str(v) for v in value])
    return str(value)


XlsxValue = str | int | Decimal | date | bool | None


def xlsx_cell(value: Any) -> XlsxValue:
    """One value as an XLSX cell value (strings stay strings, never formulas)."""
    if value is None or isinstance(value, (bool, int, Decimal, date)):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, (list, tuple)):
        return list_cell([str(v) for v in value])
    return str(value)


def csv_chunk(rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows (the header is a row too) as UTF-8 CSV lines, written one row at a time; text
    that a spreadsheet would take for a formula is neutralised (``core.formulas``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _csv_text(value: Any) -> str:
    # Only text is neutralised: a negative number stays a number.
    return neutralise(value) if isinstance(value, str) else csv_cell(value)


class XlsxSpool:
    """A one-sheet workbook written in openpyxl's write-only mode (rows go to disk as they
    come, strings inline), saved into an anonymous temporary file to be streamed."""

    def __init__(self, sheet_title: str) -> None:
        self.workbook = Workbook(write_only=True)
        sheet = self.workbook.create_sheet(title=sheet_title)
        assert isinstance(sheet, WriteOnlyWorksheet)
        self.sheet = sheet

    def _cell(self, value: Any) -> Any:
        value = xlsx_cell(value)
        if isinstance(value, str):
            cell = WriteOnlyCell(self.sheet, value=_XML_ILLEGAL.sub("", value))
            # Text stays text: ``=…`` would otherwise become a formula, ``#N/A`` an error.
            cell.data_type = "s"
            return cell
        return value

    def append(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.sheet.append([self._cell(value) for value in row])

    def finish(self) -> IO[bytes]:
        """The saved workbook, positioned at its start; the caller closes it."""
        target = tempfile.TemporaryFile(prefix="asn-export-", suffix=".xlsx")  # noqa: SIM115
        try:
            self.workbook.save(target)
            target.seek(0)
        except BaseException:
            target.close()
            raise
        return target

    def discard(self) -> None:
        """Drop the rows written so far: end the worksheet's XML stream, then remove its
        temporary file."""
        try:
            self.sheet.close()
        finally:
            writer = getattr(self.sheet, "_writer", None)
            if writer is not None:
                writer.cleanup()


async def file_chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    """A spooled file as a streamed body, read off the event loop; closed at the end."""
    try:
        while chunk := await anyio.to_thread.run_sync(file.read, FILE_CHUNK_BYTES):
            yield chunk
    finally:
        file.close()


Batches = AsyncGenerator[Sequence[Sequence[Any]]]


async def csv_body(header: Sequence[str], batches: Batches) -> AsyncIterator[bytes]:
    """A CSV file as a streamed body: the header, then each batch of rows. The BOM tells
    Excel the file is UTF-8 ("José Müller" is garbled without it); the importer reads files
    with and without one."""
    yield codecs.BOM_UTF8 + csv_chunk([header])
    async with aclosing(batches) as rows_in_batches:
        async for rows in rows_in_batches:
            yield csv_chunk(rows)


async def spool_xlsx(
    sheet_title: str, header: Sequence[str], batches: Batches, rows_so_far: Callable[[], int]
) -> IO[bytes]:
    """An XLSX file of the header and every batch, spooled to disk off the event loop; a
    422 as soon as ``rows_so_far()`` passes what one sheet holds (CSV has no such limit)."""
    spool = XlsxSpool(sheet_title)
    try:
        spool.append([header])
        async with aclosing(batches) as rows_in_batches:
            async for rows in rows_in_batches:
                if rows_so_far() + 1 > XLSX_MAX_ROWS:
                    raise _too_many_rows()
                await anyio.to_thread.run_sync(spool.append, rows)
        return await anyio.to_thread.run_sync(spool.finish)
    except BaseException:
        spool.discard()
        raise


def _too_many_rows() -> ValidationProblem:
    limit = f"{XLSX_MAX_ROWS - 1:,}"
    return field_problem(
        ["query", "format"],
        f"More rows than an XLSX sheet holds ({limit}); export as CSV (format=csv).",
        f"Baris melebihi kapasitas lembar XLSX ({limit}); ekspor sebagai CSV.",
        "rows",
        each=["too many rows for XLSX"],
        each_id=["terlalu banyak baris untuk XLSX"],
    )


SPREADSHEET_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "The file, as an attachment.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
"""The OpenAPI ``responses`` of a route that streams a CSV or XLSX file."""
