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
import os
import re
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, Final, Literal

import anyio
import xlsxwriter
from fastapi.responses import StreamingResponse

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
_CellWriter = Callable[[int, int, Any], Any]


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
    """A one-sheet workbook written by xlsxwriter in constant-memory mode (a row goes to
    disk as the next begins, strings inline), saved into an anonymous temporary file to be
    streamed. Every scratch file of the writer lives in a directory of the spool's own, so
    nothing is left behind however the spool ends."""

    def __init__(self, sheet_title: str) -> None:
        self._scratch = tempfile.TemporaryDirectory(prefix="asn-export-")
        self.directory = self._scratch.name
        self._target = tempfile.TemporaryFile(prefix="asn-export-", suffix=".xlsx")  # noqa: SIM115
        try:
            self.workbook = xlsxwriter.Workbook(
                self._target,
                # NaN or ±∞ (Postgres numerics hold them) as Excel's #NUM! / #DIV/0!,
                # rather than a failed export.
                {"constant_memory": True, "tmpdir": self.directory, "nan_inf_to_errors": True},
            )
            self.sheet = self.workbook.add_worksheet(sheet_title)
        except BaseException:
            self._target.close()
            self._scratch.cleanup()
            raise
        date_cell = self.workbook.add_format({"num_format": "yyyy-mm-dd"})
        moment_cell = self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        sheet = self.sheet
        # The writer of each kind of value ``xlsx_cell`` gives (most specific first).
        self._by_kind: dict[type, _CellWriter] = {
            bool: sheet.write_boolean,
            int: sheet.write_number,
            Decimal: sheet.write_number,
            datetime: lambda row, col, value: sheet.write_datetime(row, col, value, moment_cell),
            date: lambda row, col, value: sheet.write_datetime(row, col, value, date_cell),
            str: self._text,
        }
        # The writer of each type of value met so far: the conversion is decided once per
        # type, not once per cell.
        self._writers: dict[type, _CellWriter] = {}
        self._row = 0

    def _text(self, row: int, col: int, text: str) -> None:
        text = _XML_ILLEGAL.sub("", text)
        if not text:
            return
        if text.startswith("<r>") and text.endswith("</r>"):
            # xlsxwriter takes such text for rich-string markup of its own and writes it
            # unescaped (a broken file); as plain fragments it is escaped like any text.
            self.sheet.write_rich_string(row, col, text[0], text[1], text[2:])
        else:
            # Text stays text: ``=…`` is no formula here, ``#N/A`` no error.
            self.sheet.write_string(row, col, text)

    def _writer(self, value: Any) -> _CellWriter:
        converted = xlsx_cell(value)
        kind = next(k for k in type(converted).__mro__ if k in self._by_kind)
        direct = self._by_kind[kind]
        write: _CellWriter = (
            direct
            if converted is value
            else lambda row, col, cell: direct(row, col, xlsx_cell(cell))
        )
        self._writers[type(value)] = write
        return write

    def append(self, rows: Iterable[Sequence[Any]]) -> None:
        writers = self._writers
        row = self._row
        for values in rows:
            if row >= XLSX_MAX_ROWS:
                # xlsxwriter would drop the row without a word.
                raise _too_many_rows()
            for col, value in enumerate(values):
                if value is not None:
                    (writers.get(type(value)) or self._writer(value))(row, col, value)
            row += 1
            self._row = row

    def finish(self) -> IO[bytes]:
        """The saved workbook, positioned at its start; the caller closes it."""
        try:
            self.workbook.close()
            self._target.seek(0)
        except BaseException:
            self._target.close()
            raise
        finally:
            self._scratch.cleanup()
        return self._target

    def discard(self) -> None:
        """Drop the rows written so far and every file of the spool."""
        try:
            self.sheet.row_data_fh.close()
        finally:
            self._target.close()
            self._scratch.cleanup()


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


ROWS_BATCH: Final = 1000


async def rows_download(
    filename: str, sheet_title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str
) -> Download:
    """Rows already in memory (cells in ``header``'s order) as ``filename`` in ``fmt``
    (``csv`` streamed, ``xlsx`` spooled), batch by batch like every other export."""
    done = 0

    async def batches() -> Batches:
        nonlocal done
        for start in range(0, len(rows), ROWS_BATCH):
            chunk = rows[start : start + ROWS_BATCH]
            done += len(chunk)
            yield chunk

    if fmt == "csv":
        return Download(filename, CSV_MEDIA_TYPE, csv_body(header, batches()))
    spooled = await spool_xlsx(sheet_title, header, batches(), lambda: done)
    return Download(
        filename, XLSX_MEDIA_TYPE, file_chunks(spooled), os.fstat(spooled.fileno()).st_size
    )


def bytes_download(filename: str, media_type: str, data: bytes) -> Download:
    """A file already rendered in memory (a PDF, an SVG) as a download of known length."""

    async def body() -> AsyncIterator[bytes]:
        yield data

    return Download(filename, media_type, body(), len(data))


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
