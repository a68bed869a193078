"""File writers for exports: CSV text row by row, XLSX in constant memory.

No database here: the service feeds rows batch by batch.
"""

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from asn_career.imports.exports.columns import csv_cell, xlsx_cell
from asn_career.imports.formulas import neutralise

# Characters XML 1.0 (and so XLSX) cannot hold; the API's text fields reject most of them
# already, this keeps a stray one from breaking a whole export.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_chunk(rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows (the header is a row too) as UTF-8 CSV lines, written one row at a time; text
    that a spreadsheet would take for a formula is neutralised (``imports.formulas``)."""
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
