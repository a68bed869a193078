"""The one SIASN vocabulary: every code pinned to SIASN's meaning, and the file import and
the sync decoding every code alike (the tables are iterated, so a code added later is
covered). The SKP fix is checked end to end through the importer on the real Postgres."""

from collections.abc import Callable
from typing import Any, get_args

import pytest
from fastapi import FastAPI

from asn_career.core.spec import Column
from asn_career.imports.files.mapping import convert
from asn_career.imports.siasn import mapping as sync
from asn_career.imports.siasn.vocabulary import VOCABULARIES, decode
from asn_career.org.ranks import RANKS_PNS, RANKS_PPPK
from asn_career.org.rules import FunctionalLevel, PositionKind, UnitKind
from asn_career.profiles.employees.schemas import EmployeeStatus, EmploymentType, GenderCode
from asn_career.profiles.histories.rules import (
    PREDICATE_MATRIX,
    AssessmentSource,
    Expectation,
    Predicate,
    TrainingForm,
)
from asn_career.profiles.histories.schemas import (
    EducationLevelCode,
    PerformanceCreate,
    Period,
    Severity,
)
from asn_career.profiles.models import Performance
from tests.imports.conftest import NIP_1, NIP_2, NIP_4, Importer, csv_bytes
from tests.imports.test_import_kinds import rows_of, with_employees

# vocabulary → {meaning in Indonesian: (our value, (every form SIASN or an office writes))}
Meanings = dict[str, tuple[str, tuple[str, ...]]]

PNS_RANK_NAMES = (
    "Juru Muda", "Juru Muda Tingkat I", "Juru", "Juru Tingkat I",
    "Pengatur Muda", "Pengatur Muda Tingkat I", "Pengatur", "Pengatur Tingkat I",
    "Penata Muda", "Penata Muda Tingkat I", "Penata", "Penata Tingkat I",
    "Pembina", "Pembina Tingkat I", "Pembina Utama Muda", "Pembina Utama Madya", "Pembina Utama",
)  # fmt: skip
PPPK_GOLONGAN = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip
PNS_RANKS = (
    "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
)  # fmt: skip

SIASN_MEANINGS: dict[str, Meanings] = {
    "expectation": {  # reference perilakuDanKinerja (PermenPANRB 6/2022)
        "di atas ekspektasi": ("above", ("1", "DI ATAS EKSPEKTASI", "DIATAS", "DI ATAS")),
        "sesuai ekspektasi": ("as_expected", ("2", "SESUAI EKSPEKTASI", "SESUAI")),
        "di bawah ekspektasi": ("below", ("3", "DI BAWAH EKSPEKTASI", "DIBAWAH", "DI BAWAH")),
    },
    "predicate": {
        "sangat baik": ("sangat_baik", ("SANGAT BAIK",)),
        "baik": ("baik", ("BAIK",)),
        "butuh perbaikan": ("butuh_perbaikan", ("BUTUH PERBAIKAN",)),
        "kurang/misconduct": ("kurang", ("KURANG", "KURANG/MISCONDUCT", "MISCONDUCT")),
        "sangat kurang": ("sangat_kurang", ("SANGAT KURANG",)),
    },
    "period": {
        "tahunan": ("annual", ("TAHUNAN", "TAHUN")),
        "triwulan I": ("q1", ("TRIWULAN I", "TRIWULAN 1", "TW 1", "TW I")),
        "triwulan II": ("q2", ("TRIWULAN II", "TRIWULAN 2", "TW 2", "TW II")),
        "triwulan III": ("q3", ("TRIWULAN III", "TRIWULAN 3", "TW 3", "TW III")),
        "triwulan IV": ("q4", ("TRIWULAN IV", "TRIWULAN 4", "TW 4", "TW IV")),
    },
    "gender": {
        "laki-laki": ("M", ("L", "LAKI-LAKI", "LAKI", "PRIA", "MALE", "1")),
        "perempuan": ("F", ("P", "PEREMPUAN", "WANITA", "W", "FEMALE", "2")),
    },
    "employment_type": {
        "pegawai negeri sipil": (
            "pns",
            ("PNS", "CPNS", "PNS DAERAH", "PNS PUSAT", "CPNS DAERAH", "PEGAWAI NEGERI SIPIL"),
        ),
        "pegawai pemerintah dengan perjanjian kerja": (
            "pppk",
            ("PPPK", "P3K", "PPPK DAERAH", "PEGAWAI PEMERINTAH DENGAN PERJANJIAN KERJA"),
        ),
        "nama yang menyebut PPPK": ("pppk", ("pppk", "p3k", "perjanjiankerja")),
        "nama yang menyebut PNS": ("pns", ("pns", "pegawainegeri")),
    },
    "status": {  # kedudukan hukum
        "aktif": ("active", ("AKTIF",)),
        "PNS kena hukuman disiplin (tetap bekerja)": (
            "active",
            ("PNS KENA HUKUMAN DISIPLIN", "PEMINDAHAN DALAM RANGKA PENURUNAN JABATAN"),
        ),
        "cuti di luar tanggungan negara": (
            "leave",
            ("CLTN", "PERPANJANGAN CLTN", "CUTI", "CUTI DI LUAR TANGGUNGAN NEGARA"),
        ),
        "tugas belajar": ("study_leave", ("TUGAS BELAJAR",)),
        "pensiun": (
            "retired",
            (
                "PENSIUN",
                "MPP",
                "MASA PERSIAPAN PENSIUN",
                "MENCAPAI BUP",
                "PEMBERHENTIAN DENGAN HAK PENSIUN",
            ),
        ),
        "diberhentikan (juga meninggal dunia)": (
            "dismissed",
            (
                "DIBERHENTIKAN",
                "PEMBERHENTIAN",
                "BERHENTI",
                "DIBERHENTIKAN DENGAN HORMAT",
                "DIBERHENTIKAN TIDAK DENGAN HORMAT",
                "PEMBERHENTIAN TIDAK DENGAN HORMAT",
                "PEMBERHENTIAN TANPA HAK PENSIUN",
                "MENINGGAL",
                "MENINGGAL DUNIA",
            ),
        ),
    },
    "rank": {
        **{
            f"{code} {name}": (code, ())
            for code, name in zip(PNS_RANKS, PNS_RANK_NAMES, strict=True)
        },
        **{
            f"golongan PPPK {roman}": (roman, (str(number),))
            for number, roman in enumerate(PPPK_GOLONGAN, start=1)
        },
    },
    "education_level": {
        "sekolah dasar": ("SD", ("SEKOLAH DASAR", "MI", "MADRASAH IBTIDAIYAH")),
        "sekolah lanjutan tingkat pertama": (
            "SMP",
            ("SLTP", "SLTP KEJURUAN", "MTS", "MADRASAH TSANAWIYAH"),
        ),
        "sekolah lanjutan tingkat atas": (
            "SMA",
            (
                "SLTA",
                "SLTA KEJURUAN",
                "SLTA KEGURUAN",
                "SMK",
                "SMU",
                "STM",
                "SMEA",
                "SPK",
                "MA",
                "MADRASAH ALIYAH",
            ),
        ),
        "diploma I": ("D1", ("D-I", "DIPLOMA I", "DIPLOMA 1")),
        "diploma II": ("D2", ("D-II", "DIPLOMA II", "DIPLOMA 2")),
        "diploma III / sarjana muda": ("D3", ("D-III", "DIPLOMA III", "DIPLOMA 3", "SARJANA MUDA")),
        "diploma IV": ("D4", ("D-IV", "DIPLOMA IV", "DIPLOMA 4")),
        "S-1 / sarjana": ("S1", ("S-1", "SARJANA", "STRATA I", "STRATA 1")),
        "S-2 / magister, spesialis": (
            "S2",
            ("S-2", "MAGISTER", "STRATA II", "STRATA 2", "SPESIALIS"),
        ),
        "S-3 / doktor": ("S3", ("S-3", "DOKTOR", "STRATA III", "STRATA 3")),
    },
    "training_form": {
        "pelatihan, diklat, kursus": (
            "training",
            (
                "PELATIHAN",
                "DIKLAT",
                "KURSUS",
                "DIKLAT TEKNIS",
                "DIKLAT FUNGSIONAL",
                "DIKLAT STRUKTURAL",
                "PELATIHAN TEKNIS",
            ),
        ),
        "seminar": ("seminar", ("seminar",)),
        "lokakarya": ("workshop", ("LOKAKARYA", "lokakarya", "workshop")),
        "bimbingan teknis": (
            "technical_guidance",
            ("BIMTEK", "BIMBINGAN TEKNIS", "bimbinganteknis", "bimtek"),
        ),
        "coaching": ("coaching", ("coaching",)),
        "mentoring": ("mentoring", ("mentoring",)),
        "e-learning, daring": ("e_learning", ("E-LEARNING", "DARING", "elearning")),
        "magang": ("internship", ("MAGANG", "magang")),
        "detasering": ("secondment", ("DETASERING", "detasering")),
        "studi banding": ("benchmarking", ("STUDI BANDING", "benchmark")),
        "belajar mandiri, otodidak": (
            "self_study",
            ("BELAJAR MANDIRI", "OTODIDAK", "otodidak"),
        ),
        "tugas belajar": ("degree_study", ("TUGAS BELAJAR",)),
    },
    "severity": {  # tingkat hukuman disiplin
        "ringan": ("light", ("RINGAN", "HUKUMAN DISIPLIN RINGAN")),
        "sedang": ("medium", ("SEDANG", "HUKUMAN DISIPLIN SEDANG")),
        "berat": ("severe", ("BERAT", "HUKUMAN DISIPLIN BERAT")),
    },
    "source": {
        "assessment center / pusat penilaian": (
            "assessment_center",
            ("AC", "PUSAT PENILAIAN"),
        ),
        "umpan balik 360": ("feedback_360", ("360", "PENILAIAN 360")),
        "atasan langsung": ("supervisor", ("ATASAN", "ATASAN LANGSUNG")),
        "penilaian diri sendiri": ("self", ("MANDIRI", "DIRI SENDIRI")),
    },
    "position_kind": {  # jenis jabatan
        "JPT utama": ("jpt_utama", ()),
        "JPT madya": ("jpt_madya", ()),
        "JPT pratama": ("jpt_pratama", ()),
        "struktural / administrator": ("administrator", ("STRUKTURAL",)),
        "pengawas": ("pengawas", ()),
        "fungsional tertentu": ("fungsional", ("FUNGSIONAL TERTENTU",)),
        "fungsional umum / pelaksana": ("pelaksana", ("FUNGSIONAL UMUM",)),
    },
    "functional_level": {f"jenjang {level}": (level, ()) for level in FunctionalLevel},
    "unit_kind": {f"unor {kind}": (kind, ()) for kind in UnitKind},
}

OURS: dict[str, tuple[Any, ...]] = {
    "expectation": get_args(Expectation),
    "predicate": get_args(Predicate),
    "period": get_args(Period),
    "gender": get_args(GenderCode),
    "employment_type": get_args(EmploymentType),
    "status": get_args(EmployeeStatus),
    "rank": (*RANKS_PNS, *RANKS_PPPK),
    "education_level": get_args(EducationLevelCode),
    "training_form": get_args(TrainingForm),
    "severity": get_args(Severity),
    "source": get_args(AssessmentSource),
    "position_kind": tuple(PositionKind),
    "functional_level": tuple(FunctionalLevel),
    "unit_kind": tuple(UnitKind),
}
"""The values the API accepts, per vocabulary."""


def pinned(vocabulary: str) -> dict[str, str]:
    """Every written form of ``vocabulary`` in the tables above (our own words included)."""
    found: dict[str, str] = {}
    for ours, forms in SIASN_MEANINGS[vocabulary].values():
        for form in (ours, *forms):
            assert found.setdefault(form, ours) == ours, form
    return found


def in_module(vocabulary: str) -> dict[str, str]:
    """Every written form the module knows for ``vocabulary``, keywords included."""
    v = VOCABULARIES[vocabulary]
    found = {form: ours for ours, forms in v.values.items() for form in (ours, *forms)}
    for fragment, ours in v.keywords:
        assert found.setdefault(fragment, ours) == ours, fragment
    return found


CASES = [
    pytest.param(vocabulary, form, ours, id=f"{vocabulary}:{form}={meaning}")
    for vocabulary, meanings in SIASN_MEANINGS.items()
    for meaning, (ours, forms) in meanings.items()
    for form in (ours, *forms)
]


@pytest.mark.parametrize(("vocabulary", "form", "expected"), CASES)
def test_every_code_means_what_siasn_means(vocabulary: str, form: str, expected: str) -> None:
    assert decode(vocabulary, form) == expected
    assert decode(vocabulary, f"  {form.lower()} ") == expected


def test_every_code_of_the_module_is_pinned_here() -> None:
    assert set(VOCABULARIES) == set(SIASN_MEANINGS) == set(OURS)
    for vocabulary in VOCABULARIES:
        assert in_module(vocabulary) == pinned(vocabulary), vocabulary


@pytest.mark.parametrize("vocabulary", sorted(OURS))
def test_each_vocabulary_gives_exactly_the_values_the_api_accepts(vocabulary: str) -> None:
    assert set(VOCABULARIES[vocabulary].values) == {str(v) for v in OURS[vocabulary]}
    # our own words decode to themselves: an export (native values) reads back as SIASN too
    for ours in OURS[vocabulary]:
        assert decode(vocabulary, str(ours)) == ours


@pytest.mark.parametrize(
    ("vocabulary", "raw", "expected"),
    [
        ("expectation", 1, "above"),  # JSON numbers from the API, numbers in a workbook
        ("expectation", 3.0, "below"),
        ("expectation", "2.0", "as_expected"),
        ("expectation", "Diatas Ekspektasi", "above"),
        ("rank", "III/A", "III/a"),
        ("rank", "iv-e", "IV/e"),
        ("rank", "II / c", "II/c"),
        ("rank", "IIIa", "III/a"),
        ("rank", "III.b", "III/b"),
        ("rank", 9, "IX"),
        ("education_level", "S-1/Sarjana", "S1"),
        ("education_level", "S-3/Doktor", "S3"),
        ("education_level", "Diploma III/Sarjana Muda", "D3"),
        ("education_level", "D-III Keperawatan", "D3"),
        ("employment_type", "PNS Daerah Kab/Kota", "pns"),
        ("employment_type", "CPNS Pusat", "pns"),
        ("employment_type", "PPPK Paruh Waktu", "pppk"),
        ("training_form", "Seminar Nasional Reformasi Birokrasi", "seminar"),
        ("training_form", "Bimtek SIPD", "technical_guidance"),
    ],
)
def test_siasns_ways_of_writing_a_code(vocabulary: str, raw: Any, expected: str) -> None:
    assert decode(vocabulary, raw) == expected


@pytest.mark.parametrize(
    ("vocabulary", "raw"),
    [
        ("expectation", "4"),
        ("expectation", "1.5"),
        ("rank", "V/z"),
        ("rank", "III/e"),
        ("rank", "18"),
        ("status", "Tidak Aktif"),  # once read as active by a fragment match
        ("status", "Pemberhentian Sementara"),  # a suspension: no status of ours
        ("status", "PNS"),
        ("gender", "X"),
        ("education_level", "Paket C"),
        ("employment_type", "Honorer"),
        ("expectation", ""),
        ("expectation", None),
    ],
)
def test_unknown_codes_are_unknown(vocabulary: str, raw: Any) -> None:
    assert decode(vocabulary, raw) is None


# --- both paths decode alike ---------------------------------------------------------------


def file_import(vocabulary: str, raw: Any) -> Any:
    """The file importer's reading of a cell in a SIASN column of that vocabulary."""
    return convert(Column("field", siasn_type=vocabulary), raw, siasn=True)


def _rating(raw: Any) -> str:
    return sync.expectation(raw, "hasilKinerjaNilai")


SYNC_DECODERS: dict[str, Callable[[Any], str | None]] = {
    "gender": sync.gender,
    "employment_type": sync.employment_type,
    "rank": sync.rank,
    "status": sync.status,
    "education_level": sync.education_level,
    "training_form": sync.training_form,
    "expectation": _rating,
}
"""How the SIASN sync reads each vocabulary it uses (``predicate`` below)."""

SHARED = [
    pytest.param(vocabulary, form, id=f"{vocabulary}:{form}")
    for vocabulary in SYNC_DECODERS
    for form in in_module(vocabulary)
]


@pytest.mark.parametrize(("vocabulary", "form"), SHARED)
def test_file_import_and_sync_decode_every_code_alike(vocabulary: str, form: str) -> None:
    expected = decode(vocabulary, form)
    assert expected is not None
    assert file_import(vocabulary, form) == expected
    assert SYNC_DECODERS[vocabulary](form) == expected


@pytest.mark.parametrize("form", sorted(in_module("predicate")))
def test_file_import_and_sync_read_siasns_predicate_alike(form: str) -> None:
    ours = decode("predicate", form)
    assert ours is not None and file_import("predicate", form) == ours
    results, behaviour = next(
        (r, b) for r, row in PREDICATE_MATRIX.items() for b, p in row.items() if p == ours
    )
    create = PerformanceCreate(year=2023, period="annual", results=results, behaviour=behaviour)
    assert sync.PerformanceFromSiasn(create, form).agrees
    other = "baik" if ours != "baik" else "sangat_baik"
    assert not sync.PerformanceFromSiasn(create, other).agrees


@pytest.mark.parametrize("vocabulary", sorted(SYNC_DECODERS))
def test_unknown_codes_keep_each_paths_behaviour(vocabulary: str) -> None:
    # the file import passes the word on for the API's schema to refuse with row and column
    assert file_import(vocabulary, "Tidak Dikenal") == "Tidak Dikenal"
    if vocabulary == "training_form":  # SIASN's course type is optional free text
        assert sync.training_form("Tidak Dikenal") == "training"
        return
    with pytest.raises(sync.SiasnMappingError):
        SYNC_DECODERS[vocabulary]("Tidak Dikenal")


def test_skp_codes_mean_the_same_on_both_paths() -> None:
    for code, meaning in (("1", "above"), ("2", "as_expected"), ("3", "below")):
        assert file_import("expectation", code) == meaning == _rating(code)
        assert file_import("expectation", int(code)) == meaning == _rating(int(code))
    assert file_import("rank", "3") == "III" == sync.rank("3")
    assert file_import("status", "MENINGGAL") == "dismissed" == sync.status("MENINGGAL")


# --- the SKP fix, end to end ----------------------------------------------------------------


async def test_an_skp_file_from_siasn_imports_code_1_as_above_expectation(
    app: FastAPI, imp_org: dict[str, Any], importer: Importer
) -> None:
    await with_employees(importer)
    content = csv_bytes(
        [
            ["nipBaru", "nama", "tahun", "hasilKinerjaNilai", "perilakuKerjaNilai"],
            [NIP_1, "Budi", "2023", "1", "1"],  # di atas / di atas → Sangat Baik
            [NIP_2, "Siti", "2023", "1", "3"],  # di atas / di bawah → Kurang/Misconduct
            [NIP_4, "Agus", "2023", "3", "2"],  # di bawah / sesuai → Butuh Perbaikan
        ]
    )
    result = await importer(content, kind="performance", mapping="siasn")
    assert result["status"] == "succeeded", await importer.errors(result)
    assert result["counts"]["inserted"] == 3
    stored = {
        (p.year, p.period, p.results, p.behaviour, p.predicate)
        for p in await rows_of(app, Performance)
    }
    assert stored == {
        (2023, "annual", "above", "above", "sangat_baik"),
        (2023, "annual", "above", "below", "kurang"),
        (2023, "annual", "below", "as_expected", "butuh_perbaikan"),
    }
