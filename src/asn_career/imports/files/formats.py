"""Reading uploaded files as a stream of rows: CSV, XLSX and NDJSON.

Nothing here holds a whole file's rows: CSV and NDJSON are read line by line, XLSX through
openpyxl's read-only mode (an XML stream), so memory stays flat with file size.

Row numbers are the file's own: the line of a CSV or NDJSON file where the record starts,
or the sheet's row number in a workbook — what a spreadsheet shows next to the row. With a
header on line 1, the first data row is row 2.
"""

import codecs
import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal
from xml.parsers import expat

import orjson
from openpyxl.utils.escape import unescape

from asn_career.core.formulas import restore

FileFormat = Literal["csv", "xlsx", "ndjson"]
CHUNK = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97–2003) and other OLE2 files
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_NDJSON_SUFFIXES = (".ndjson", ".jsonl", ".json")
DELIMITERS = (",", ";", "\t")

csv.field_size_limit(1024 * 1024)


class BadFile(Exception):
    """A file that cannot be imported at all, with its HTTP status (413, 415, 422)."""

    def __init__(self, status: int, code: str, message: str, message_id: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.message_id = message_id


@dataclass(frozen=True)
class FileInfo:
    format: FileFormat
    encoding: str | None = None  # text formats: "utf-8", "utf-8-sig" or "cp1252"
    delimiter: str | None = None  # CSV only


def detect_format(head: bytes, file_name: str) -> FileFormat:
    """The format from the first bytes, with the file name as a hint."""
    suffix = Path(file_name).suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise BadFile(
            415,
            "import_unsupported_format",
            "This is an old Excel (.xls) or other OLE2 file; save it as XLSX or CSV.",
            "Berkas ini Excel lama (.xls) atau OLE2; simpan sebagai XLSX atau CSV.",
        )
    if suffix in _XLSX_SUFFIXES:
        raise BadFile(
            415,
            "import_not_xlsx",
            f"{file_name!r} is named like a workbook but is not an XLSX file.",
            f"{file_name!r} bernama seperti buku kerja tetapi bukan berkas XLSX.",
        )
    if suffix in _NDJSON_SUFFIXES or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "ndjson"
    return "csv"


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Windows-1252;
    refuses UTF-16/32, binary content and bytes that neither can decode."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise BadFile(
                422,
                "import_encoding",
                "The file is UTF-16 encoded; save it as UTF-8 (CSV UTF-8) instead.",
                "Berkas berenkode UTF-16; simpan sebagai UTF-8 (CSV UTF-8).",
            )
        handle.seek(0)
        bom = head.startswith(codecs.BOM_UTF8)
        utf8 = codecs.getincrementaldecoder("utf-8")()
        cp1252 = codecs.getincrementaldecoder("cp1252")()
        utf8_ok, cp1252_ok = True, True
        while chunk := handle.read(CHUNK):
            if b"\x00" in chunk:
                raise BadFile(
                    415,
                    "import_binary",
                    "The file holds binary data; send CSV, XLSX or NDJSON.",
                    "Berkas berisi data biner; kirim CSV, XLSX atau NDJSON.",
                )
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if cp1252_ok:
                try:
                    cp1252.decode(chunk)
                except UnicodeDecodeError:
                    cp1252_ok = False
            if not utf8_ok and not cp1252_ok:
                break
        if utf8_ok:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
    if utf8_ok:
        return "utf-8-sig" if bom else "utf-8"
    if cp1252_ok:
        return "cp1252"
    raise BadFile(
        422,
        "import_encoding",
        "The file's text is neither UTF-8 nor Windows-1252; save it as UTF-8.",
        "Teks berkas bukan UTF-8 maupun Windows-1252; simpan sebagai UTF-8.",
    )


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter used most in the header line, outside quotes (comma on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def inspect(path: Path, file_name: str) -> FileInfo:
    """Format, encoding and delimiter of a stored file (422/415 for what cannot be read)."""
    if path.stat().st_size == 0:
        raise BadFile(422, "import_empty", "The file is empty.", "Berkas kosong.")
    with path.open("rb") as handle:
        head = handle.read(8)
    fmt = detect_format(head, file_name)
    if fmt == "xlsx":
        _check_workbook(path)
        return FileInfo("xlsx")
    encoding = detect_encoding(path)
    if fmt == "ndjson":
        return FileInfo("ndjson", encoding="utf-8-sig" if encoding == "utf-8-sig" else encoding)
    with path.open(encoding=encoding, newline="") as text:
        first = ""
        for line in text:
            if line.strip():
                first = line
                break
    if not first:
        raise _no_header()
    return FileInfo("csv", encoding=encoding, delimiter=_sniff_delimiter(first))


def _no_header(
    message: str = "The file has no header row.",
    message_id: str = "Berkas tidak memiliki baris judul.",
) -> BadFile:
    return BadFile(422, "import_no_header", message, message_id)


XLSX_MAX_PART_BYTES = 512 * 1024 * 1024
"""Uncompressed size of one part of a workbook (a sheet of a million rows fits)."""
XLSX_MAX_RATIO = 100
"""Uncompressed / compressed size of a part over 1 MiB: sheets compress 5–30 times; a
decompression bomb (one cell of a gigabyte of ``A``) compresses a thousand times."""
XLSX_MAX_CELL_CHARS = 32_767
"""Excel's own limit for the text of one cell."""
_CELL_PARTS = re.compile(r"xl/(worksheets/[^/]+|sharedStrings)\.xml")


def _check_workbook(path: Path) -> None:
    """A workbook openpyxl may read without running out of memory: every part bounded in
    size and compression ratio (the sizes zipfile then holds reads to), no DTD (entity
    expansion), and no cell longer than Excel allows, checked while streaming each sheet
    through expat in constant memory (openpyxl would build such a cell whole)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if "xl/workbook.xml" not in {part.filename for part in parts}:
                raise _bad_xlsx()
            for part in parts:
                _check_part_size(part)
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    with archive.open(part) as stream:
                        _scan_xml(stream, part.filename, bool(_CELL_PARTS.fullmatch(part.filename)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise _bad_xlsx() from exc


def _check_part_size(part: zipfile.ZipInfo) -> None:
    ratio = part.file_size / max(part.compress_size, 1)
    if part.file_size > XLSX_MAX_PART_BYTES or (
        part.file_size > 1024 * 1024 and ratio > XLSX_MAX_RATIO
    ):
        raise _xlsx_bomb(part.filename)


def _scan_xml(stream: IO[bytes], name: str, holds_cells: bool) -> None:
    parser = expat.ParserCreate()
    parser.buffer_text = False  # text arrives in pieces; only its length is kept
    text_length = 0

    def forbid_dtd(*_: Any) -> None:
        raise _xlsx_bomb(name)

    def element_boundary(*_: Any) -> None:
        nonlocal text_length
        text_length = 0

    def text(data: str) -> None:
        nonlocal text_length
        text_length += len(data)
        if text_length > XLSX_MAX_CELL_CHARS:
            raise _xlsx_bomb(name)

    parser.StartDoctypeDeclHandler = forbid_dtd
    parser.EntityDeclHandler = forbid_dtd
    if holds_cells:
        parser.StartElementHandler = element_boundary
        parser.EndElementHandler = element_boundary
        parser.CharacterDataHandler = text
    try:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _bad_xlsx() from exc


def _xlsx_bomb(part: str) -> BadFile:
    return BadFile(
        422,
        "import_xlsx_too_large",
        f"The workbook's part {part} is too large, too highly compressed, or holds a cell "
        f"longer than Excel allows ({XLSX_MAX_CELL_CHARS:,} characters).",
        f"Bagian {part} dari buku kerja terlalu besar, terkompresi terlalu tinggi, atau memuat "
        f"sel yang lebih panjang daripada batas Excel ({XLSX_MAX_CELL_CHARS:,} karakter).",
    )


def _bad_xlsx() -> BadFile:
    return BadFile(
        422,
        "import_bad_xlsx",
        "The file is not a readable XLSX workbook.",
        "Berkas bukan buku kerja XLSX yang dapat dibaca.",
    )


# --- readers ------------------------------------------------------------------------------

Row = tuple[int, list[Any] | dict[str, Any]]
"""(row number, values): a list aligned with the header, or an NDJSON object."""


class Reader:
    """Header first, then rows; ``close()`` releases the file."""

    header: list[str]
    estimated_rows: int | None = None

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    def close(self) -> None:
        pass


def _count_lines(path: Path) -> int:
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (0 if last == b"\n" else 1)


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


class CsvReader(Reader):
    def __init__(self, path: Path, info: FileInfo) -> None:
        assert info.encoding is not None and info.delimiter is not None
        self._handle = path.open(encoding=info.encoding, newline="")
        self._reader = csv.reader(self._handle, delimiter=info.delimiter)
        self.header = []
        for record in self._reader:
            if not _blank(list(record)):
                self.header = [cell.strip() for cell in record]
                break
        if not self.header or all(not name for name in self.header):
            self.close()
            raise _no_header()
        self._header_line = self._reader.line_num
        self.estimated_rows = max(0, _count_lines(path) - self._header_line)

    def rows(self) -> Iterator[Row]:
        start = self._header_line + 1
        try:
            for record in self._reader:
                if record and not _blank(record):
                    yield start, [restore(cell) for cell in record]
                start = self._reader.line_num + 1
        except csv.Error as exc:
            raise BadFile(
                422,
                "import_bad_csv",
                f"The CSV file cannot be read after line {start}: {exc}",
                f"Berkas CSV tidak dapat dibaca setelah baris {start}: {exc}",
            ) from exc

    def close(self) -> None:
        self._handle.close()


def _cell(value: Any) -> Any:
    """A cell as the importer reads it. Text is decoded of the ``_xHHHH_`` escapes OOXML
    uses for control characters (Excel and ``core.sheets``' xlsxwriter write them; openpyxl
    does not decode them when reading)."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str) and "_x" in value:
        return unescape(value)
    return value


class XlsxReader(Reader):
    def __init__(self, path: Path, sheet: str | None) -> None:
        from openpyxl import load_workbook

        # A file object, not the path: stored uploads have no .xlsx suffix for openpyxl.
        self._handle = path.open("rb")
        try:
            self._book = load_workbook(self._handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            self._handle.close()
            raise _bad_xlsx() from exc
        self._sheet: Any = None
        try:
            if sheet is not None:
                if sheet not in self._book.sheetnames:
                    names = ", ".join(self._book.sheetnames)
                    raise BadFile(
                        422,
                        "import_no_sheet",
                        f"The workbook has no sheet {sheet!r} (sheets: {names}).",
                        f"Buku kerja tidak memiliki lembar {sheet!r} (lembar: {names}).",
                    )
                self._sheet = self._book[sheet]
            else:
                self._sheet = self._book.worksheets[0]
            self._iter = self._sheet.iter_rows(values_only=True)
            self.header = []
            self._header_row = 0
            for number, values in enumerate(self._iter, start=1):
                cells = list(values)
                if not _blank(cells):
                    self.header = [str(c).strip() if c is not None else "" for c in cells]
                    self._header_row = number
                    break
            while self.header and not self.header[-1]:
                self.header.pop()
            if not self.header:
                raise _no_header(
                    "The sheet has no header row.", "Lembar kerja tidak memiliki baris judul."
                )
            max_row = getattr(self._sheet, "max_row", None)
            if isinstance(max_row, int):
                self.estimated_rows = max(0, max_row - self._header_row)
        except BaseException:
            self.close()
            raise

    def rows(self) -> Iterator[Row]:
        width = len(self.header)
        try:
            for number, values in enumerate(self._iter, start=self._header_row + 1):
                cells = [_cell(v) for v in values[:width]]
                if not _blank(cells):
                    yield number, cells
        except BadFile:
            raise
        except Exception as exc:
            raise _bad_xlsx() from exc

    def close(self) -> None:
        self._book.close()
        self._handle.close()


class NdjsonReader(Reader):
    """One JSON object per line; the header is the keys seen so far (first line's first)."""

    def __init__(self, path: Path, info: FileInfo) -> None:
        self._handle: BinaryIO = path.open("rb")
        self._encoding = info.encoding or "utf-8"
        self._first: tuple[int, dict[str, Any]] | None = None
        self.header = []
        self._lines = self._objects()
        for number, item in self._lines:
            if isinstance(item, dict):
                self.header = [str(k) for k in item]
                self._first = (number, item)
                break
            raise _bad_line(number)
        if not self.header:
            self.close()
            raise _no_header("The file holds no JSON object.", "Berkas tidak memuat objek JSON.")
        self.estimated_rows = _count_lines(path)

    def _objects(self) -> Iterator[tuple[int, Any]]:
        for number, raw in enumerate(self._handle, start=1):
            line = raw.decode(self._encoding).strip()
            if number == 1:
                line = line.lstrip("\ufeff")
            if not line:
                continue
            try:
                yield number, orjson.loads(line)
            except orjson.JSONDecodeError:
                yield number, None

    def rows(self) -> Iterator[Row]:
        if self._first is not None:
            yield self._first
        for number, item in self._lines:
            # A line that is not an object becomes an empty row: the mapping reports it.
            yield number, item if isinstance(item, dict) else {"\x00line": item}

    def close(self) -> None:
        self._handle.close()


def _bad_line(number: int) -> BadFile:
    return BadFile(
        422,
        "import_bad_ndjson",
        f"Line {number} is not a JSON object.",
        f"Baris {number} bukan objek JSON.",
    )


def open_reader(path: Path, info: FileInfo, sheet: str | None) -> Reader:
    if info.format == "xlsx":
        return XlsxReader(path, sheet)
    if info.format == "ndjson":
        return NdjsonReader(path, info)
    return CsvReader(path, info)
