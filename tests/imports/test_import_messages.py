"""Row errors are stored in English and Indonesian and read in the caller's language
(``Accept-Language``), as JSON pages and as the errors CSV."""

from typing import Any

from httpx import AsyncClient

from tests.imports.conftest import NIP_1, NIP_2, NIP_4, Importer, csv_bytes, upload

EMPLOYEES = csv_bytes(
    [
        ["nip", "name", "birth_date", "gender", "unit_code", "appointment_date"],
        [NIP_1, "Budi", "1986-13-45", "M", "BKPSDM", ""],  # not a real date
        [NIP_2, "Siti", "", "X", "BKPSDM", ""],  # unknown code
        [NIP_4, "Joko", "", "M", "NOPE", ""],  # unknown unit (database check)
        ["198609262015051002", "Ani", "1986-09-27", "M", "", ""],  # contradicts the NIP
        [NIP_2, "Siti", "1990-01-01", "F", "DINKES", "2019-03-01"],  # good
    ]
)
SKP = csv_bytes(
    [
        ["nipBaru", "tahun", "hasilKinerjaNilai", "perilakuKerjaNilai", "nilaiSkp"],
        [NIP_2, "20x3", "1", "2", ""],  # not a whole number
        [NIP_2, "2023", "1", "2", "abc"],  # not a number
        [NIP_2, "2023", "9", "2", ""],  # unknown SIASN code
        [NIP_4, "2023", "1", "1", ""],  # unknown NIP (database check)
        [NIP_2, "2018", "1", "1", ""],  # before the appointment (database check)
    ]
)


async def _errors(
    client: AsyncClient, headers: dict[str, str], result: dict[str, Any], lang: str
) -> dict[int, list[str]]:
    response = await client.get(
        f"/api/v1/imports/{result['id']}/errors?limit=500",
        headers={**headers, "Accept-Language": lang},
    )
    assert response.status_code == 200, response.text
    found: dict[int, list[str]] = {}
    for error in response.json()["items"]:
        found.setdefault(error["row"], []).append(f"{error['column']}: {error['message']}")
    return found


async def test_row_errors_read_in_indonesian_and_english(
    imp_org: dict[str, Any], client: AsyncClient, importer: Importer
) -> None:
    result = await importer(EMPLOYEES, on_error="skip")
    assert result["counts"]["invalid_rows"] == 4, await importer.errors(result)
    english = await _errors(client, importer.headers, result, "en")
    indonesian = await _errors(client, importer.headers, result, "id-ID,id;q=0.9")
    assert english[2] == ["birth_date: '1986-13-45' is not a real date"]
    assert indonesian[2] == ["birth_date: '1986-13-45' bukan tanggal yang ada"]
    assert indonesian[3] == ["gender: harus salah satu dari 'M' atau 'F'"]
    assert indonesian[4] == ["unit_code: tidak ada unit dengan kode NOPE di instansi 36.74"]
    assert english[4] == ["unit_code: no unit with code NOPE in agency 36.74"]
    assert indonesian[5] == [  # a domain rule's own Indonesian text
        "birth_date: tanggal lahir 1986-09-27 tidak sesuai dengan digit 1–8 NIP (1986-09-26)"
    ]

    skp = await importer(SKP, kind="performance", mapping="siasn", on_error="skip")
    english = await _errors(client, importer.headers, skp, "en")
    indonesian = await _errors(client, importer.headers, skp, "id")
    assert indonesian[2] == ["tahun: '20x3' bukan bilangan bulat"]
    assert indonesian[3] == ["nilaiSkp: 'abc' bukan angka"]
    assert indonesian[4] == [
        "hasilKinerjaNilai: harus salah satu dari 'below', 'as_expected' atau 'above'"
    ]
    assert indonesian[5] == [f"nipBaru: tidak ada pegawai dengan NIP {NIP_4} di instansi 36.74"]
    assert indonesian[6] == ["tahun: tahun 2018 sebelum tahun pengangkatan (2019)."]
    assert english[6] == ["tahun: year 2018 is before the appointment (2019)."]

    as_csv = await client.get(
        f"/api/v1/imports/{skp['id']}/errors?format=csv",
        headers={**importer.headers, "Accept-Language": "id"},
    )
    assert "bukan bilangan bulat" in as_csv.text and "not a whole number" not in as_csv.text


async def test_an_import_s_failure_reads_in_the_caller_s_language(
    imp_org: dict[str, Any], client: AsyncClient, importer: Importer
) -> None:
    result = await importer(EMPLOYEES)  # on_error=abort: nothing written
    assert result["status"] == "failed"
    assert result["failure"].startswith("4 of 5 rows are invalid; nothing was written")
    url = f"/api/v1/imports/{result['id']}"
    indonesian = await client.get(url, headers={**importer.headers, "Accept-Language": "id"})
    assert indonesian.json()["failure"].startswith(
        "4 dari 5 baris tidak valid; tidak ada yang disimpan"
    )
    listed = await client.get(
        "/api/v1/imports", headers={**importer.headers, "Accept-Language": "id"}
    )
    assert listed.json()["items"][0]["failure"] == indonesian.json()["failure"]


async def test_header_problems_read_in_indonesian(
    imp_org: dict[str, Any], client: AsyncClient, imp_hr_a: dict[str, str]
) -> None:
    response = await upload(
        client, {**imp_hr_a, "Accept-Language": "id"}, csv_bytes([["nip", "nama_lengkap"]])
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "Kolom wajib untuk employees tidak ada: name."
