"""SIASN payload shapes (recorded as fixtures) → our create schemas, validated by them."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from asn_career.imports.siasn import mapping as m

FIXTURES = Path(__file__).parent / "fixtures" / "siasn"
AGENCY = "53.71"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_data_utama_becomes_an_employee_create() -> None:
    mapped = m.employee_from_data_utama(fixture("data-utama"), AGENCY)
    create = mapped.create
    assert create.nip == "199001152019032002"
    assert create.name == "DEWI LESTARI NDOEN"
    assert create.front_title is None  # "" in SIASN
    assert create.back_title == "S.H."
    assert create.birth_date == date(1990, 1, 15)
    assert create.birth_place == "KUPANG"
    assert create.gender == "F"
    assert create.employment_type == "pns"
    assert create.appointment_date == date(2019, 3, 1)
    assert create.rank == "III/b"
    assert create.status == "active"
    assert create.agency == AGENCY
    assert create.email == "dewi.ndoen@example.com"
    assert create.nik == "5371015501900002"
    assert mapped.unit_name == "Bagian Hukum"
    assert mapped.position_title == "Analis Hukum Ahli Pertama"
    assert mapped.position_start == date(2022, 1, 2)


def test_pppk_data_utama() -> None:
    create = m.employee_from_data_utama(fixture("data-utama-pppk"), AGENCY).create
    assert create.employment_type == "pppk"
    assert create.rank == "IX"
    assert create.appointment_date is None  # derived from the NI PPPK by our service
    assert create.gender == "F"


def test_a_bare_payload_without_envelope_maps_too() -> None:
    data = fixture("data-utama")["data"]
    assert m.employee_from_data_utama(data, AGENCY).create.nip == data["nipBaru"]


@pytest.mark.parametrize(
    ("field", "bad"),
    [("tglLahir", "31-02-1990"), ("jenisKelamin", "X"), ("golRuangAkhir", "V/z")],
)
def test_unreadable_values_say_which_field(field: str, bad: str) -> None:
    data = {**fixture("data-utama")["data"], field: bad}
    with pytest.raises(m.SiasnMappingError) as problem:
        m.employee_from_data_utama({"code": 1, "data": data}, AGENCY)
    assert problem.value.field == field


def test_the_schema_still_validates() -> None:
    data = {**fixture("data-utama")["data"], "nipBaru": "1990011520190320", "email": "nope"}
    with pytest.raises(ValidationError) as invalid:
        m.employee_from_data_utama(data, AGENCY)
    assert {e["loc"][0] for e in invalid.value.errors()} == {"nip", "email"}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("III/a", "III/a"),
        ("III/A", "III/a"),
        ("iv-e", "IV/e"),
        ("II / c", "II/c"),
        ("IX", "IX"),
        ("17", "XVII"),
        (None, None),
    ],
)
def test_ranks(raw: str | None, code: str | None) -> None:
    assert m.rank(raw) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("S-1/Sarjana", "S1"),
        ("S-2", "S2"),
        ("S-3/Doktor", "S3"),
        ("D-IV", "D4"),
        ("Diploma III", "D3"),
        ("D-II", "D2"),
        ("D-I", "D1"),
        ("SLTA", "SMA"),
        ("SMK", "SMA"),
        ("SLTP", "SMP"),
        ("SD", "SD"),
    ],
)
def test_education_levels(raw: str, code: str) -> None:
    assert m.education_level(raw) == code


@pytest.mark.parametrize(
    ("raw", "status"),
    [("Aktif", "active"), ("Pensiun", "retired"), ("CLTN", "leave"), (None, None)],
)
def test_statuses(raw: str | None, status: str | None) -> None:
    assert m.status(raw) == status


def test_dates() -> None:
    assert m.parse_date("02-01-2022") == date(2022, 1, 2)
    assert m.parse_date("2022-01-02") == date(2022, 1, 2)
    assert m.parse_date("02/01/2022") == date(2022, 1, 2)
    assert m.parse_date("") is None
    with pytest.raises(m.SiasnMappingError):
        m.parse_date("2 Januari 2022")


def test_education_history() -> None:
    mapped = m.education(fixture("rw-pendidikan"))
    assert mapped.problems == []
    assert [(e.level, e.graduation_year, e.institution) for e in mapped.items] == [
        ("S1", 2012, "Universitas Nusa Cendana"),
        ("SMA", 2008, "SMA Negeri 1 Kupang"),
    ]
    assert mapped.items[0].field == "S-1 ILMU HUKUM"


def test_courses_and_structural_training() -> None:
    mapped = m.trainings(fixture("rw-kursus"), fixture("rw-diklat"))
    titles = [t.title for t in mapped.items]
    assert titles == [
        "Pelatihan Perancangan Peraturan Perundang-undangan (Legal Drafting)",
        "Seminar Nasional Reformasi Birokrasi Daerah",
        "Pelatihan Dasar CPNS Golongan III",
    ]
    legal, seminar, latsar = mapped.items
    assert legal.hours_jp == Decimal(40)
    assert (legal.start_date, legal.end_date) == (date(2021, 3, 8), date(2021, 3, 12))
    assert legal.provider == "BPSDM Provinsi Nusa Tenggara Timur"
    assert legal.form == "training"
    assert legal.certificate_number == "893.3/045/BPSDM/III/2021"
    assert seminar.form == "seminar"
    assert latsar.hours_jp == Decimal(501)
    assert latsar.certificate_number == "PD.III/2019/053/BPSDM-NTT"
    # "dua puluh" JP is reported with where and why, not dropped silently
    [problem] = mapped.problems
    assert (problem.source, problem.index, problem.field) == ("rw-kursus", 2, "jumlahJam")


def test_courses_without_dates_start_on_the_first_of_their_year() -> None:
    mapped = m.trainings(
        {"code": 1, "data": [{"namaKursus": "Kursus", "jumlahJam": 4, "tahunKursus": "2020"}]}
    )
    assert mapped.items[0].start_date == date(2020, 1, 1)


def test_skp_uses_siasn_codes_and_our_matrix() -> None:
    mapped = m.performance(fixture("rw-skp"))
    assert mapped.problems == []
    rows = {(p.create.year, p.create.results, p.create.behaviour) for p in mapped.items}
    assert rows == {
        (2023, "above", "above"),
        (2022, "as_expected", "as_expected"),
        (2024, "as_expected", "above"),
    }
    assert all(p.create.period == "annual" for p in mapped.items)
    assert all(p.agrees for p in mapped.items)


def test_skp_disagreement_and_bad_codes_are_reported() -> None:
    rows = {
        "code": 1,
        "data": [
            {
                "tahun": 2023,
                "hasilKinerjaNilai": 3,
                "perilakuKerjaNilai": 3,
                "kuadranKinerja": "BAIK",
            },
            {"tahun": 2024, "hasilKinerjaNilai": 7, "perilakuKerjaNilai": 1},
        ],
    }
    mapped = m.performance(rows)
    assert [p.agrees for p in mapped.items] == [False]
    assert [(p.index, p.field) for p in mapped.problems] == [(1, "hasilKinerjaNilai")]


def test_position_history_becomes_a_chain_of_assignments() -> None:
    drafts, problems = m.assignments(fixture("rw-jabatan"))
    assert problems == []
    assert [(d.position_title, d.start_date, d.end_date) for d in drafts] == [
        ("Pengadministrasi Hukum", date(2019, 3, 1), date(2020, 6, 30)),
        ("Pengelola Data Hukum", date(2020, 7, 1), date(2022, 1, 1)),
        ("Analis Hukum Ahli Pertama", date(2022, 1, 2), None),
    ]
    first = drafts[0]
    assert first.decree_number == "813.3/045/BKPPD/II/2019"
    assert first.decree_date == date(2019, 2, 20)
    assert first.unit_name == "Bagian Hukum"


def test_position_history_problems() -> None:
    rows = {
        "code": 1,
        "data": [
            {"namaJabatan": "A", "tmtJabatan": "01-01-2020"},
            {"namaJabatan": "B", "tmtJabatan": "01-01-2020"},
            {"namaJabatan": "C"},
            {"tmtJabatan": "01-01-2021"},
        ],
    }
    drafts, problems = m.assignments(rows)
    assert [d.position_title for d in drafts] == ["B"]
    assert sorted((p.index, p.field) for p in problems) == [
        (0, "tmtJabatan"),
        (2, "tmtJabatan"),
        (3, "namaJabatan"),
    ]


def test_empty_histories() -> None:
    assert m.education(fixture("not-found")).items == []
    assert m.assignments({"code": 1, "data": None}) == ([], [])
