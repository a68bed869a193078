"""Pure parts of imports: file sniffing, header matching, SIASN values."""

import codecs
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_career.imports.files.formats import BadFile, CsvReader, detect_format, inspect
from asn_career.imports.files.mapping import (
    KIND_COLUMNS,
    BadValue,
    HeaderProblem,
    normalise_header,
    parse_date,
    parse_decimal,
    parse_requirements,
    resolve_header,
    shown_value,
    siasn_value,
)


def test_headers_match_ignoring_case_spaces_and_underscores() -> None:
    assert normalise_header(" Unit_Code ") == normalise_header("unit code") == "unitcode"
    kind = KIND_COLUMNS["employees"]
    found = resolve_header(kind, "native", ["NIP", "Name", "Unit Code", "hobi"])
    assert found.fields == ["nip", "name", "unit_code", None]
    assert found.unknown == ["hobi"]
    siasn = resolve_header(kind, "siasn", ["NIPBARU", "nama", "gol_ruang_akhir", "eselon"])
    assert siasn.fields == ["nip", "name", "rank", None]
    assert siasn.ignored == ["eselon"] and siasn.unknown == []
    # SIASN names mean nothing in the native mapping
    assert resolve_header(kind, "native", ["nip", "name", "nama"]).unknown == ["nama"]


def test_missing_and_duplicate_columns_are_refused() -> None:
    kind = KIND_COLUMNS["employees"]
    with pytest.raises(HeaderProblem, match="nip"):
        resolve_header(kind, "native", ["name"])
    with pytest.raises(HeaderProblem, match="nipBaru"):
        resolve_header(kind, "siasn", ["nama"])
    with pytest.raises(HeaderProblem, match="both"):
        resolve_header(kind, "siasn", ["nip", "nipBaru", "name"])
    with pytest.raises(HeaderProblem, match="position_code"):
        resolve_header(KIND_COLUMNS["assignments"], "native", ["nip", "start_date"])


@pytest.mark.parametrize(
    ("vocabulary", "raw", "expected"),
    [
        ("gender", "Laki-laki", "M"),
        ("gender", "PRIA", "M"),
        ("gender", "L", "M"),
        ("gender", "Perempuan", "F"),
        ("gender", "wanita", "F"),
        ("gender", "P", "F"),
        ("expectation", "DI ATAS EKSPEKTASI", "above"),
        ("expectation", "Sesuai Ekspektasi", "as_expected"),
        ("expectation", "DIBAWAH EKSPEKTASI", "below"),
        ("employment_type", "Pegawai Negeri Sipil", "pns"),
        ("employment_type", "PPPK", "pppk"),
        ("education_level", "S-1", "S1"),
        ("education_level", "D-III", "D3"),
        ("education_level", "SLTA", "SMA"),
        ("severity", "Hukuman Disiplin Berat", "severe"),
        ("period", "Triwulan II", "q2"),
        ("status", "Tugas Belajar", "study_leave"),
        ("gender", "unknown", "unknown"),  # passes through for the schema to refuse
    ],
)
def test_siasn_values(vocabulary: str, raw: str, expected: str) -> None:
    assert siasn_value(vocabulary, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("III/a", "III/a"), ("III/A", "III/a"), ("IIIa", "III/a"), ("iv-e", "IV/e"), ("IX", "IX")],
)
def test_siasn_ranks(raw: str, expected: str) -> None:
    assert siasn_value("rank", raw) == expected


def test_dates_and_numbers() -> None:
    assert parse_date("26-09-1986", day_first=True) == dt.date(1986, 9, 26)
    assert parse_date("1986-09-26", day_first=True) == dt.date(1986, 9, 26)
    assert parse_date(dt.datetime(1986, 9, 26, 0, 0), day_first=False) == dt.date(1986, 9, 26)
    with pytest.raises(BadValue, match="YYYY-MM-DD"):
        parse_date("26-09-1986", day_first=False)
    with pytest.raises(BadValue, match="real date"):
        parse_date("31-02-1990", day_first=True)
    assert parse_decimal("40,5") == Decimal("40.5")
    with pytest.raises(BadValue):
        parse_decimal("NaN")
    assert parse_requirements("M.1:3; T.2:2") == [
        {"code": "M.1", "level": 3},
        {"code": "T.2", "level": 2},
    ]


@given(st.text(alphabet="0123456789", min_size=5, max_size=16))
def test_nik_is_always_masked_in_errors(nik: str) -> None:
    shown = shown_value("nik", nik)
    assert shown is not None and shown.endswith(nik[-4:])
    assert shown.count("*") == max(0, len(nik) - 4)


def test_format_detection() -> None:
    assert detect_format(b"PK\x03\x04", "x.csv") == "xlsx"
    assert detect_format(b'{"nip"', "x.txt") == "ndjson"
    assert detect_format(b"nip;nama", "x.txt") == "csv"
    with pytest.raises(BadFile) as refused:
        detect_format(b"nip,nama", "x.xlsx")
    assert refused.value.status == 415


def test_encodings_and_delimiters(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(codecs.BOM_UTF8 + "nip;nama\n1;Sélamat\n".encode())
    info = inspect(path, "a.csv")
    assert (info.encoding, info.delimiter) == ("utf-8-sig", ";")
    path.write_bytes('nip,"nama; lengkap"\n1,Dédi\n'.encode("cp1252"))
    info = inspect(path, "a.csv")
    assert (info.encoding, info.delimiter) == ("cp1252", ",")
    reader = CsvReader(path, info)
    assert reader.header == ["nip", "nama; lengkap"]
    assert list(reader.rows()) == [(2, ["1", "Dédi"])]
    reader.close()


def test_csv_row_numbers_are_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b'\nnip,catatan\n1,"dua\nbaris"\n\n2,x\n')
    reader = CsvReader(path, inspect(path, "a.csv"))
    assert [number for number, _ in reader.rows()] == [3, 6]
    reader.close()
