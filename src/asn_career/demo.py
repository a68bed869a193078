"""Demo data: five city governments, their organisation, and their staff with histories.

``seed_demo(settings, url, employees_per_agency=300, seed=1)`` builds, in one transaction:

- the agencies of the seed regions (``36.74`` Kota Tangerang Selatan, ``53.71`` Kota Kupang
  with Kecamatan Alak ``53.71.01``, ``36.73`` Kota Serang, ``21.72`` Kota Tanjungpinang,
  ``12.71`` Kota Medan);
- per agency a unit tree (Sekretariat Daerah with its bagian, BKPSDM, Bappeda, Dinas
  Pendidikan with SD/SMP negeri, Dinas Kesehatan with puskesmas, Diskominfo, Inspektorat,
  the kecamatan with their kelurahan) and positions with kind, functional level, rank range,
  reporting line, required competencies and preferred education fields; technical
  competencies ``T.n`` per agency;
- employees with Indonesian names, valid NIPs (PNS) and NI PPPK, one open primary
  assignment each, earlier assignments, education, competency assessments from several
  sources (and the current levels derived from them), trainings, SKP ratings, interests and
  rare sanctions.

Everything follows from ``seed`` (and the reference date ``as_of``, today by default): the
same seed gives the same people. Rows are generated in chunks in a worker thread and
streamed with ``COPY`` (asyncpg ``copy_records_to_table``), so a million employees load in
minutes with flat memory.

Conventions the data keeps (the same rules the API enforces):
- a managerial position (and a school's or puskesmas' head) holds one person; fungsional
  and pelaksana positions are ``is_shared``;
- PNS hold PNS ranks and PPPK hold PPPK golongan within their position's range (positions
  for PPPK state their range in golongan); ordinals of both scales run 1–17;
- the SKP predicate follows the PermenPANRB 6/2022 matrix;
- ``employee_competency_levels`` holds, per employee and competency, the latest assessment
  of the highest-precedence source (assessment_center > feedback_360 > supervisor > self).
"""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import functools
import queue
import random
import threading
import time
import unicodedata
from bisect import bisect_right
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING, Any, TypeVar

from asn_career.profiles.histories.rules import skp_predicate

if TYPE_CHECKING:
    from asn_career.config import Settings

T = TypeVar("T")

DEFAULT_EMPLOYEES_PER_AGENCY = 300
DEFAULT_SEED = 1
CHUNK_EMPLOYEES = 5_000
FAST_LOAD_THRESHOLD = 10_000  # employees per agency from which the load runs in bulk mode

# --- vocabulary (shared with the API's schemas) ---------------------------------------------

PNS, PPPK = "pns", "pppk"
MALE, FEMALE = "M", "F"
ACTIVE, LEAVE, STUDY_LEAVE, RETIRED, DISMISSED = (
    "active",
    "leave",
    "study_leave",
    "retired",
    "dismissed",
)
SOURCES = ("assessment_center", "feedback_360", "supervisor", "self")  # precedence order
PRECEDENCE = {source: rank for rank, source in enumerate(SOURCES)}
BELOW, AS_EXPECTED, ABOVE = "below", "as_expected", "above"
ANNUAL = "annual"
QUARTERS = ("q1", "q2", "q3", "q4")

# The SKP predicate is the histories' own rule (PermenPANRB 6/2022 matrix), stored as its
# code; the score lies in the band of the predicate.
SCORE_RANGES = {
    "sangat_baik": (91.0, 100.0),
    "baik": (76.0, 90.0),
    "butuh_perbaikan": (61.0, 75.0),
    "kurang": (51.0, 60.0),
    "sangat_kurang": (30.0, 50.0),
}

RANKS_PNS = (
    "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
)  # fmt: skip
RANKS_PPPK = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip
PNS_ORDINAL = {code: i for i, code in enumerate(RANKS_PNS, start=1)}
PPPK_ORDINAL = {code: i for i, code in enumerate(RANKS_PPPK, start=1)}


def rank_code(scale: str, ordinal: int) -> str:
    return (RANKS_PNS if scale == PNS else RANKS_PPPK)[ordinal - 1]


def rank_ordinal(code: str) -> int:
    return PNS_ORDINAL.get(code) or PPPK_ORDINAL[code]


def predicate(results: str, behaviour: str) -> str:
    return skp_predicate(results, behaviour)


# --- the seed regions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    code: str
    city: str  # "Tangerang Selatan"
    domain: str  # e-mail domain
    nik_prefix: str  # 4 digits: province + city
    kecamatan: tuple[str, ...]
    surnames: tuple[str, ...]  # regional family names, mixed in with Faker's
    universities: tuple[str, ...]


KELURAHAN_NAMES = (
    "Sukajadi", "Sukamaju", "Sukarame", "Karya Jaya", "Harjosari", "Suka Damai", "Pasar Baru",
    "Kampung Baru", "Tegal Sari", "Sidorejo", "Cempaka Putih", "Pondok Jaya", "Jurang Mangu",
    "Pondok Betung", "Serua", "Pisangan", "Cireundeu", "Rempoa", "Kedaung", "Benda Baru",
    "Pondok Cabe", "Lengkong", "Rawa Buntu", "Cilenggang", "Kotabaru", "Cimuncang",
    "Lontarbaru", "Sumur Pecung", "Kagungan", "Unyur", "Banjar Agung", "Kemaraya",
    "Tanjung Ayun Sakti", "Tanjung Unggat", "Kampung Bugis", "Senggarang", "Penyengat",
    "Air Raja", "Batu Sembilan", "Pinang Kencana", "Sei Jang", "Dompak", "Sei Sikambing",
    "Glugur Darat", "Sidodadi", "Tanjung Rejo", "Babura", "Petisah Tengah", "Kesawan",
    "Aur", "Bantan", "Tembung", "Mabar", "Labuhan Deli", "Belawan Bahari", "Titi Kuning",
)  # fmt: skip
ALAK_KELURAHAN = (
    "Alak", "Batuplat", "Fatufeto", "Manulai II", "Manutapen", "Mantasi", "Namosain",
    "Nunbaun Delha", "Nunbaun Sabu", "Nunhila", "Penkase Oeleta", "Naioni",
)  # fmt: skip

REGIONS: tuple[Region, ...] = (
    Region(
        "36.74",
        "Tangerang Selatan",
        "tangerangselatankota.go.id",
        "3674",
        ("Serpong", "Serpong Utara", "Pondok Aren", "Ciputat", "Ciputat Timur", "Pamulang", "Setu"),
        ("Hidayat", "Suryadi", "Maulana", "Rahmawati", "Syarif", "Fauzi"),
        (
            "UIN Syarif Hidayatullah Jakarta",
            "Universitas Pamulang",
            "Universitas Indonesia",
            "Universitas Muhammadiyah Jakarta",
            "Poltekkes Kemenkes Banten",
        ),
    ),
    Region(
        "53.71",
        "Kupang",
        "kupangkota.go.id",
        "5371",
        ("Alak", "Maulafa", "Oebobo", "Kota Raja", "Kelapa Lima", "Kota Lama"),
        ("Fanggidae", "Ndun", "Manafe", "Messakh", "Tanone", "Amalo", "Bessie", "Lay", "Nope"),
        (
            "Universitas Nusa Cendana",
            "Universitas Kristen Artha Wacana",
            "Universitas Katolik Widya Mandira",
            "Poltekkes Kemenkes Kupang",
            "Politeknik Negeri Kupang",
        ),
    ),
    Region(
        "36.73",
        "Serang",
        "serangkota.go.id",
        "3673",
        ("Serang", "Kasemen", "Walantaka", "Curug", "Cipocok Jaya", "Taktakan"),
        ("Sobari", "Jamaludin", "Hasanudin", "Nurhayati", "Supriatna"),
        (
            "Universitas Sultan Ageng Tirtayasa",
            "UIN Sultan Maulana Hasanuddin Banten",
            "Universitas Serang Raya",
            "Poltekkes Kemenkes Banten",
        ),
    ),
    Region(
        "21.72",
        "Tanjungpinang",
        "tanjungpinangkota.go.id",
        "2172",
        ("Bukit Bestari", "Tanjungpinang Timur", "Tanjungpinang Kota", "Tanjungpinang Barat"),
        ("Abdullah", "Rusli", "Zulkifli", "Syahrial", "Azhar"),
        (
            "Universitas Maritim Raja Ali Haji",
            "STISIPOL Raja Haji",
            "Politeknik Negeri Batam",
            "Poltekkes Kemenkes Tanjungpinang",
        ),
    ),
    Region(
        "12.71",
        "Medan",
        "pemkomedan.go.id",
        "1271",
        (
            "Medan Tuntungan",
            "Medan Johor",
            "Medan Amplas",
            "Medan Denai",
            "Medan Area",
            "Medan Kota",
            "Medan Maimun",
            "Medan Polonia",
            "Medan Baru",
            "Medan Selayang",
            "Medan Sunggal",
            "Medan Helvetia",
            "Medan Petisah",
            "Medan Barat",
            "Medan Timur",
            "Medan Perjuangan",
            "Medan Tembung",
            "Medan Deli",
            "Medan Labuhan",
            "Medan Marelan",
            "Medan Belawan",
        ),
        (
            "Siregar",
            "Nasution",
            "Lubis",
            "Harahap",
            "Simanjuntak",
            "Sitompul",
            "Sinaga",
            "Pane",
            "Hutagalung",
            "Tarigan",
            "Ginting",
        ),
        (
            "Universitas Sumatera Utara",
            "Universitas Negeri Medan",
            "UIN Sumatera Utara",
            "Universitas Muhammadiyah Sumatera Utara",
            "Poltekkes Kemenkes Medan",
        ),
    ),
)
REGION_INDEX = {region.code: i for i, region in enumerate(REGIONS)}
NATIONAL_UNIVERSITIES = (
    "Universitas Terbuka", "Universitas Gadjah Mada", "Universitas Padjadjaran",
    "Institut Pemerintahan Dalam Negeri", "Universitas Airlangga", "Universitas Brawijaya",
    "Universitas Negeri Jakarta", "Universitas Hasanuddin", "Institut Teknologi Bandung",
)  # fmt: skip

# Technical competencies each agency defines (code, name id, name en).
TECHNICAL = (
    ("T.1", "Penyusunan Produk Hukum Daerah", "Drafting regional legislation"),
    ("T.2", "Manajemen ASN", "Civil-service management"),
    ("T.3", "Perencanaan dan Penganggaran Daerah", "Regional planning and budgeting"),
    ("T.4", "Pembelajaran dan Asesmen", "Teaching and assessment"),
    ("T.5", "Pelayanan Kesehatan Primer", "Primary health care"),
    ("T.6", "Sistem Pemerintahan Berbasis Elektronik (SPBE)", "E-government systems (SPBE)"),
    ("T.7", "Pengawasan Intern Pemerintah", "Internal audit"),
    ("T.8", "Pelayanan Administrasi Kewilayahan", "Local administrative services"),
    ("T.9", "Pengadaan Barang/Jasa Pemerintah", "Public procurement"),
)
MANAGERIAL = ("M.1", "M.2", "M.3", "M.4", "M.5", "M.6", "M.7", "M.8")
SOCIO_CULTURAL = "SK.1"

# Education fields.
LAW = "Ilmu Hukum"
PUBLIC_ADMIN = "Administrasi Publik"
GOVERNMENT = "Ilmu Pemerintahan"
MANAGEMENT = "Manajemen"
ECONOMICS = "Ekonomi Pembangunan"
ACCOUNTING = "Akuntansi"
PSYCHOLOGY = "Psikologi"
PLANNING = "Perencanaan Wilayah dan Kota"
INFORMATICS = "Teknik Informatika"
INFO_SYSTEMS = "Sistem Informasi"
COMMUNICATION = "Ilmu Komunikasi"
STATISTICS = "Statistika"
PGSD = "Pendidikan Guru Sekolah Dasar"
SUBJECT_TEACHING = (
    "Pendidikan Matematika",
    "Pendidikan Bahasa Indonesia",
    "Pendidikan Bahasa Inggris",
    "Pendidikan Biologi",
    "Pendidikan Pancasila dan Kewarganegaraan",
    "Pendidikan Jasmani",
)
MEDICINE = "Pendidikan Dokter"
NURSING = "Keperawatan"
MIDWIFERY = "Kebidanan"
PUBLIC_HEALTH = "Kesehatan Masyarakat"
CIVIL_ENGINEERING = "Teknik Sipil"
GENERAL_FIELDS = (
    PUBLIC_ADMIN, GOVERNMENT, MANAGEMENT, ECONOMICS, ACCOUNTING, LAW, COMMUNICATION,
    "Sosiologi", "Ilmu Politik", CIVIL_ENGINEERING, "Agroteknologi", PSYCHOLOGY,
)  # fmt: skip
BACK_TITLES = {
    LAW: ("S.H.", "M.H."),
    PUBLIC_ADMIN: ("S.A.P.", "M.A.P."),
    GOVERNMENT: ("S.IP.", "M.Si."),
    MANAGEMENT: ("S.E.", "M.M."),
    ECONOMICS: ("S.E.", "M.E."),
    ACCOUNTING: ("S.Ak.", "M.Ak."),
    PSYCHOLOGY: ("S.Psi.", "M.Psi."),
    PLANNING: ("S.T.", "M.T."),
    INFORMATICS: ("S.Kom.", "M.Kom."),
    INFO_SYSTEMS: ("S.Kom.", "M.Kom."),
    COMMUNICATION: ("S.I.Kom.", "M.I.Kom."),
    STATISTICS: ("S.Stat.", "M.Stat."),
    PGSD: ("S.Pd.", "M.Pd."),
    MEDICINE: ("S.Ked.", "M.Kes."),
    NURSING: ("S.Kep., Ners", "M.Kep."),
    MIDWIFERY: ("S.Keb.", "M.Keb."),
    PUBLIC_HEALTH: ("S.K.M.", "M.K.M."),
    CIVIL_ENGINEERING: ("S.T.", "M.T."),
}
DIPLOMA_TITLES = {NURSING: "A.Md.Kep.", MIDWIFERY: "A.Md.Keb.", INFORMATICS: "A.Md.Kom."}


# --- the organisation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A kind of position: what it is called, who may hold it, what it requires."""

    key: str
    title: str
    kind: str
    level: str | None  # functional level
    ranks: tuple[str, str]  # PNS range
    fields: tuple[str, ...]  # preferred education fields
    technical: tuple[str, ...]  # T.n codes
    education: str  # typical level: SMA, D3, S1, S2
    weight: float = 0.0  # staff per position, for shared jobs
    pppk: float = 0.0  # share of the staff that is PPPK (a separate position)

    @property
    def shared(self) -> bool:
        return self.kind in ("fungsional", "pelaksana") and self.weight > 0


def _managerial_level(kind: str, level: str | None) -> int:
    if kind == "jpt_pratama":
        return 4
    if kind == "administrator":
        return 3
    if kind == "pengawas":
        return 2
    if kind == "pelaksana":
        return 1
    return {
        "pemula": 1,
        "terampil": 1,
        "mahir": 2,
        "penyelia": 2,
        "ahli_pertama": 2,
        "ahli_muda": 2,
        "ahli_madya": 3,
        "ahli_utama": 4,
    }.get(level or "", 2)


ADMIN_FIELDS = (PUBLIC_ADMIN, MANAGEMENT, GOVERNMENT)


def _head(title: str, kind: str, fields: tuple[str, ...], technical: tuple[str, ...]) -> Job:
    ranks = {
        "jpt_pratama": ("IV/c", "IV/d"),
        "administrator": ("III/d", "IV/b"),
        "pengawas": ("III/b", "III/d"),
    }[kind]
    education = "S2" if kind == "jpt_pratama" else "S1"
    return Job("HEAD", title, kind, None, ranks, fields, technical, education)


def _staff(
    key: str,
    title: str,
    level: str | None,
    fields: tuple[str, ...],
    technical: tuple[str, ...],
    weight: float,
    pppk: float = 0.0,
) -> Job:
    if level is None:
        kind, ranks, education = "pelaksana", ("II/a", "III/b"), "SMA"
    else:
        kind = "fungsional"
        ranks = {
            "terampil": ("II/b", "II/d"),
            "mahir": ("III/a", "III/b"),
            "ahli_pertama": ("III/a", "III/b"),
            "ahli_muda": ("III/c", "III/d"),
            "ahli_madya": ("IV/a", "IV/c"),
        }[level]
        education = {"terampil": "D3", "mahir": "D3", "ahli_madya": "S2"}.get(level, "S1")
    return Job(key, title, kind, level, ranks, fields, technical, education, weight, pppk)


def _office_staff(technical: tuple[str, ...], weight: float = 2.0) -> list[Job]:
    return [
        _staff("PU", "Pengadministrasi Perkantoran", None, ADMIN_FIELDS, technical, weight, 0.5),
        _staff("PD", "Pengolah Data dan Informasi", None, ADMIN_FIELDS, technical, weight / 2),
    ]


def _expert(
    key: str, title: str, fields: tuple[str, ...], technical: tuple[str, ...], weight: float
) -> list[Job]:
    return [
        _staff(f"{key}1", f"{title} Ahli Pertama", "ahli_pertama", fields, technical, weight, 0.45),
        _staff(f"{key}2", f"{title} Ahli Muda", "ahli_muda", fields, technical, weight * 0.7),
        _staff(f"{key}3", f"{title} Ahli Madya", "ahli_madya", fields, technical, weight * 0.2),
    ]


@dataclass
class UnitPlan:
    code: str
    name: str
    kind: str
    head: Job | None
    staff: list[Job] = field(default_factory=list)
    children: list[UnitPlan] = field(default_factory=list)


def _bidang(code: str, name: str, technical: tuple[str, ...], staff: list[Job]) -> UnitPlan:
    head = _head(f"Kepala {name}", "administrator", ADMIN_FIELDS, technical)
    return UnitPlan(code, name, "bidang", head, staff)


def _secretariat(code: str, of: str, technical: tuple[str, ...]) -> UnitPlan:
    return UnitPlan(
        code,
        f"Sekretariat {of}",
        "sekretariat",
        _head(f"Sekretaris {of}", "administrator", ADMIN_FIELDS, ("T.3",)),
        _office_staff(technical),
        [
            UnitPlan(
                f"{code}.UMPEG",
                "Subbagian Umum dan Kepegawaian",
                "subbagian",
                _head("Kepala Subbagian Umum dan Kepegawaian", "pengawas", ADMIN_FIELDS, ("T.2",)),
                _office_staff(("T.2",), 1.5),
            )
        ],
    )


def _organisation(region: Region, employees: int) -> list[UnitPlan]:
    """The unit tree of one city government; schools and puskesmas grow with the staff."""
    law, asn, plan, teach, health, spbe, audit, local, procure = (t[0] for t in TECHNICAL)
    city = region.city
    setda = UnitPlan(
        "SETDA",
        "Sekretariat Daerah",
        "sekretariat",
        _head("Sekretaris Daerah", "jpt_pratama", (*ADMIN_FIELDS, LAW), (plan,)),
        [],
        [
            UnitPlan(
                "SETDA.HUKUM",
                "Bagian Hukum",
                "bagian",
                _head("Kepala Bagian Hukum", "administrator", (LAW,), (law,)),
                [
                    *_expert("PUU", "Perancang Peraturan Perundang-undangan", (LAW,), (law,), 2),
                    *_office_staff((law,), 1),
                ],
                [
                    UnitPlan(
                        "SETDA.HUKUM.BANKUM",
                        "Subbagian Bantuan Hukum",
                        "subbagian",
                        _head("Kepala Subbagian Bantuan Hukum", "pengawas", (LAW,), (law,)),
                        _office_staff((law,), 1),
                    )
                ],
            ),
            UnitPlan(
                "SETDA.ORG",
                "Bagian Organisasi",
                "bagian",
                _head("Kepala Bagian Organisasi", "administrator", ADMIN_FIELDS, (asn,)),
                [
                    *_expert("AK", "Analis Kebijakan", (PUBLIC_ADMIN, GOVERNMENT), (asn,), 2),
                    *_office_staff((asn,), 1),
                ],
            ),
            UnitPlan(
                "SETDA.PBJ",
                "Bagian Pengadaan Barang dan Jasa",
                "bagian",
                _head(
                    "Kepala Bagian Pengadaan Barang dan Jasa",
                    "administrator",
                    ADMIN_FIELDS,
                    (procure,),
                ),
                [
                    *_expert(
                        "PPBJ",
                        "Pengelola Pengadaan Barang/Jasa",
                        (MANAGEMENT, CIVIL_ENGINEERING),
                        (procure,),
                        2,
                    )
                ],
            ),
            UnitPlan(
                "SETDA.UMUM",
                "Bagian Umum",
                "bagian",
                _head("Kepala Bagian Umum", "administrator", ADMIN_FIELDS, (plan,)),
                _office_staff((plan,), 4),
            ),
        ],
    )
    bkpsdm = UnitPlan(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "badan",
        _head("Kepala BKPSDM", "jpt_pratama", (*ADMIN_FIELDS, PSYCHOLOGY), (asn,)),
        [],
        [
            _secretariat("BKPSDM.SEKRE", "BKPSDM", (asn,)),
            *(
                _bidang(
                    f"BKPSDM.{code}",
                    name,
                    (asn,),
                    [
                        *_expert(
                            "ASDM",
                            "Analis Sumber Daya Manusia Aparatur",
                            (PUBLIC_ADMIN, PSYCHOLOGY, MANAGEMENT),
                            (asn,),
                            3,
                        ),
                        *_office_staff((asn,), 1.5),
                    ],
                )
                for code, name in (
                    ("PPI", "Bidang Pengadaan, Pemberhentian dan Informasi"),
                    ("MUTASI", "Bidang Mutasi dan Promosi"),
                    ("PK", "Bidang Pengembangan Kompetensi"),
                    ("KINERJA", "Bidang Penilaian Kinerja dan Penghargaan"),
                )
            ),
        ],
    )
    bappeda = UnitPlan(
        "BAPPEDA",
        "Badan Perencanaan Pembangunan Daerah",
        "badan",
        _head("Kepala Bappeda", "jpt_pratama", (PLANNING, ECONOMICS), (plan,)),
        [],
        [
            _secretariat("BAPPEDA.SEKRE", "Bappeda", (plan,)),
            *(
                _bidang(
                    f"BAPPEDA.{code}",
                    name,
                    (plan,),
                    [
                        *_expert("PER", "Perencana", (PLANNING, ECONOMICS, STATISTICS), (plan,), 3),
                        *_office_staff((plan,), 1),
                    ],
                )
                for code, name in (
                    ("EKO", "Bidang Perencanaan Pembangunan Ekonomi"),
                    ("IPW", "Bidang Infrastruktur dan Pengembangan Wilayah"),
                    ("PPM", "Bidang Pemerintahan dan Pembangunan Manusia"),
                    ("LITBANG", "Bidang Penelitian dan Pengembangan"),
                )
            ),
        ],
    )
    # Schools: about 25 staff each, 45 % of the agency's staff; 70 % SD, 30 % SMP.
    schools = max(2, round(employees * 0.45 / 25))
    sd_count = max(1, round(schools * 0.7))
    school_units = []
    for i in range(schools):
        is_sd = i < sd_count
        number = i + 1 if is_sd else i + 1 - sd_count
        school = "SD" if is_sd else "SMP"
        fields = (PGSD,) if is_sd else SUBJECT_TEACHING
        head = Job(
            "HEAD",
            f"Kepala {school} Negeri {number} {city}",
            "fungsional",
            "ahli_madya",
            ("IV/a", "IV/c"),
            fields,
            (teach,),
            "S1",
        )
        guru = "Guru Kelas" if is_sd else "Guru Mata Pelajaran"
        school_units.append(
            UnitPlan(
                f"DISDIK.{school}N.{number:04d}",
                f"{school} Negeri {number} {city}",
                "sekolah",
                head,
                [
                    _staff("G1", f"{guru} Ahli Pertama", "ahli_pertama", fields, (teach,), 9, 0.7),
                    _staff("G2", f"{guru} Ahli Muda", "ahli_muda", fields, (teach,), 6),
                    _staff("G3", f"{guru} Ahli Madya", "ahli_madya", fields, (teach,), 4),
                    _staff(
                        "TU", "Pengelola Layanan Operasional", None, ADMIN_FIELDS, (teach,), 2, 0.4
                    ),
                ],
            )
        )
    disdik = UnitPlan(
        "DISDIK",
        "Dinas Pendidikan",
        "dinas",
        _head("Kepala Dinas Pendidikan", "jpt_pratama", (PGSD, *SUBJECT_TEACHING[:2]), (teach,)),
        [],
        [
            _secretariat("DISDIK.SEKRE", "Dinas Pendidikan", (teach,)),
            *(
                _bidang(
                    f"DISDIK.{code}",
                    name,
                    (teach,),
                    [
                        *_expert("PEN", "Pengawas Sekolah", (PGSD,), (teach,), 1),
                        *_office_staff((teach,), 1),
                    ],
                )
                for code, name in (
                    ("SD", "Bidang Pembinaan Sekolah Dasar"),
                    ("SMP", "Bidang Pembinaan Sekolah Menengah Pertama"),
                    ("PAUD", "Bidang Pendidikan Anak Usia Dini dan Nonformal"),
                    ("GTK", "Bidang Guru dan Tenaga Kependidikan"),
                )
            ),
            *school_units,
        ],
    )
    # Puskesmas: about 40 staff each, 12 % of the agency's staff.
    puskesmas_count = max(1, round(employees * 0.12 / 40))
    places = [*region.kecamatan, *KELURAHAN_NAMES]
    puskesmas_units = [
        UnitPlan(
            f"DINKES.PKM.{i + 1:04d}",
            f"UPTD Puskesmas {places[i % len(places)]}"
            + (f" {i // len(places) + 1}" if i >= len(places) else ""),
            "puskesmas",
            _head("Kepala UPTD Puskesmas", "pengawas", (PUBLIC_HEALTH, MEDICINE), (health,)),
            [
                _staff("DR1", "Dokter Ahli Pertama", "ahli_pertama", (MEDICINE,), (health,), 3),
                _staff("DR2", "Dokter Ahli Muda", "ahli_muda", (MEDICINE,), (health,), 2),
                _staff("PR0", "Perawat Terampil", "terampil", (NURSING,), (health,), 6, 0.6),
                _staff("PR1", "Perawat Ahli Pertama", "ahli_pertama", (NURSING,), (health,), 5),
                _staff("BD0", "Bidan Terampil", "terampil", (MIDWIFERY,), (health,), 6, 0.6),
                _staff("BD1", "Bidan Ahli Pertama", "ahli_pertama", (MIDWIFERY,), (health,), 3),
                _staff(
                    "PKM",
                    "Penyuluh Kesehatan Masyarakat Ahli Pertama",
                    "ahli_pertama",
                    (PUBLIC_HEALTH,),
                    (health,),
                    2,
                ),
                *_office_staff((health,), 2),
            ],
        )
        for i in range(puskesmas_count)
    ]
    dinkes = UnitPlan(
        "DINKES",
        "Dinas Kesehatan",
        "dinas",
        _head("Kepala Dinas Kesehatan", "jpt_pratama", (MEDICINE, PUBLIC_HEALTH), (health,)),
        [],
        [
            _secretariat("DINKES.SEKRE", "Dinas Kesehatan", (health,)),
            _bidang(
                "DINKES.KESMAS",
                "Bidang Kesehatan Masyarakat",
                (health,),
                [*_expert("EPI", "Epidemiolog Kesehatan", (PUBLIC_HEALTH,), (health,), 1)],
            ),
            _bidang(
                "DINKES.P2P",
                "Bidang Pencegahan dan Pengendalian Penyakit",
                (health,),
                [*_expert("EPI", "Epidemiolog Kesehatan", (PUBLIC_HEALTH,), (health,), 1)],
            ),
            _bidang(
                "DINKES.YANKES",
                "Bidang Pelayanan dan Sumber Daya Kesehatan",
                (health,),
                [*_expert("ADK", "Administrator Kesehatan", (PUBLIC_HEALTH,), (health,), 1)],
            ),
            *puskesmas_units,
        ],
    )
    it_fields = (INFORMATICS, INFO_SYSTEMS)
    pranata = [
        _staff("PK0", "Pranata Komputer Terampil", "terampil", it_fields, (spbe,), 2, 0.3),
        *_expert("PK", "Pranata Komputer", it_fields, (spbe,), 2),
    ]
    diskominfo = UnitPlan(
        "DISKOMINFO",
        "Dinas Komunikasi dan Informatika",
        "dinas",
        _head(
            "Kepala Dinas Komunikasi dan Informatika",
            "jpt_pratama",
            (INFORMATICS, COMMUNICATION),
            (spbe,),
        ),
        [],
        [
            _secretariat("DISKOMINFO.SEKRE", "Dinas Komunikasi dan Informatika", (spbe,)),
            _bidang(
                "DISKOMINFO.APTIKA",
                "Bidang Aplikasi Informatika",
                (spbe,),
                pranata,
            ),
            _bidang("DISKOMINFO.INFRA", "Bidang Infrastruktur TIK", (spbe,), pranata),
            _bidang(
                "DISKOMINFO.IKP",
                "Bidang Informasi dan Komunikasi Publik",
                (spbe,),
                [*_expert("PRA", "Pranata Humas", (COMMUNICATION,), (spbe,), 2)],
            ),
            _bidang(
                "DISKOMINFO.STATSAN",
                "Bidang Statistik dan Persandian",
                (spbe,),
                [
                    *_expert("STAT", "Statistisi", (STATISTICS,), (spbe,), 1),
                    *_expert("SAN", "Sandiman", it_fields, (spbe,), 1),
                ],
            ),
        ],
    )
    inspektorat = UnitPlan(
        "INSPEKTORAT",
        "Inspektorat Daerah",
        "inspektorat",
        _head("Inspektur", "jpt_pratama", (ACCOUNTING, LAW), (audit,)),
        [],
        [
            _secretariat("INSPEKTORAT.SEKRE", "Inspektorat", (audit,)),
            *(
                _bidang(
                    f"INSPEKTORAT.IRBAN{n}",
                    f"Inspektur Pembantu Wilayah {roman}",
                    (audit,),
                    [
                        *_expert("AUD", "Auditor", (ACCOUNTING, ECONOMICS), (audit,), 2),
                        *_expert(
                            "PPUPD",
                            "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah",
                            (GOVERNMENT, LAW),
                            (audit,),
                            1,
                        ),
                    ],
                )
                for n, roman in ((1, "I"), (2, "II"), (3, "III"))
            ),
        ],
    )
    kecamatan_units = []
    place_pool = [name for name in KELURAHAN_NAMES if name not in region.kecamatan]
    for k, kecamatan in enumerate(region.kecamatan):
        code = f"{region.code}.{k + 1:02d}"
        names = (
            ALAK_KELURAHAN
            if region.code == "53.71" and kecamatan == "Alak"
            else tuple(place_pool[(k * 4 + j) % len(place_pool)] for j in range(4))
        )
        kelurahan = [
            UnitPlan(
                f"{code}.{1001 + j}",
                f"Kelurahan {name}",
                "kelurahan",
                _head(f"Lurah {name}", "pengawas", (GOVERNMENT, PUBLIC_ADMIN), (local,)),
                _office_staff((local,), 2),
            )
            for j, name in enumerate(names)
        ]
        kecamatan_units.append(
            UnitPlan(
                code,
                f"Kecamatan {kecamatan}",
                "kecamatan",
                _head(f"Camat {kecamatan}", "administrator", (GOVERNMENT, PUBLIC_ADMIN), (local,)),
                _office_staff((local,), 3),
                [
                    UnitPlan(
                        f"{code}.PEM",
                        "Seksi Pemerintahan dan Ketenteraman",
                        "seksi",
                        _head(
                            "Kepala Seksi Pemerintahan dan Ketenteraman",
                            "pengawas",
                            (GOVERNMENT,),
                            (local,),
                        ),
                        [],
                    ),
                    UnitPlan(
                        f"{code}.PELAYANAN",
                        "Seksi Pelayanan Umum",
                        "seksi",
                        _head("Kepala Seksi Pelayanan Umum", "pengawas", (PUBLIC_ADMIN,), (local,)),
                        [],
                    ),
                    *kelurahan,
                ],
            )
        )
    return [setda, bkpsdm, bappeda, disdik, dinkes, diskominfo, inspektorat, *kecamatan_units]


# --- deterministic ids -----------------------------------------------------------------------

_KIND_TAGS = {
    "unit": 1,
    "position": 2,
    "employee": 3,
    "education": 4,
    "assignment": 5,
    "assessment": 6,
    "training": 7,
    "performance": 8,
    "interest": 9,
    "sanction": 10,
}


class Ids:
    """UUIDv8 ids from (counter, kind, agency, seed), as text: deterministic, distinct and
    ascending, which suits the B-tree indexes (and costs far less than ``uuid.UUID``).

    The counter leads: btree_gist (the exclusion constraint on assignments) tells uuids
    apart by their first bytes, so a shared prefix would make its index degenerate.
    """

    def __init__(self, seed: int, agency_index: int = 0) -> None:
        tag = (seed * 2654435761) & 0xFFFFFFFFFFFF
        self.suffixes = {
            kind: f"-{code:04x}-8{agency_index:03x}-8000-{tag:012x}"
            for kind, code in _KIND_TAGS.items()
        }
        self.counters = dict.fromkeys(_KIND_TAGS, 0)

    def new(self, kind: str) -> str:
        n = self.counters[kind] + 1
        self.counters[kind] = n
        return f"{n:08x}{self.suffixes[kind]}"


def _randint(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint`` at a fraction of its cost (the generator calls it millions of times)."""
    return low + int(rng.random() * (high - low + 1))


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


# --- generated rows --------------------------------------------------------------------------


@dataclass
class Position:
    id: str
    agency: str
    unit_id: str
    unit_kind: str
    code: str
    title: str
    job: Job
    scale: str
    min_rank: str
    max_rank: str
    reports_to: str | None
    shared: bool
    weight: float
    depth: int
    requirements: list[tuple[int, int]]  # (competency id, level)


@dataclass
class Organisation:
    agency: str
    units: list[tuple[Any, ...]]
    positions: list[Position]
    competencies: dict[str, int]  # code → id, this agency's technical ones included


@dataclass
class Chunk:
    """Rows for a batch of employees, one list per table."""

    tables: dict[str, list[tuple[Any, ...]]]

    @property
    def employees(self) -> list[tuple[Any, ...]]:
        return self.tables["employees"]


TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "employees": (
        "id", "nip", "name", "front_title", "back_title", "gender", "birth_date", "birth_place",
        "employment_type", "appointment_date", "rank_code", "status", "agency_code", "unit_id",
        "position_id", "nik", "email",
    ),
    "employee_education": (
        "id", "employee_id", "level_code", "field", "institution", "graduation_year",
    ),
    "assignments": (
        "id", "employee_id", "position_id", "start_date", "end_date", "decree_number",
        "decree_date", "is_primary",
    ),
    "competency_assessments": (
        "id", "employee_id", "competency_id", "level", "source", "assessed_on", "notes",
    ),
    "employee_competency_levels": (
        "employee_id", "competency_id", "level", "source", "assessed_on",
    ),
    "trainings": (
        "id", "employee_id", "title", "hours_jp", "start_date", "end_date", "provider", "form",
        "competency_ids", "certificate_number",
    ),
    "performance_ratings": (
        "id", "employee_id", "year", "period", "results", "behaviour", "predicate", "score",
    ),
    "career_interests": (
        "id", "employee_id", "kind", "description", "target_position_id", "target_unit_id",
        "priority",
    ),
    "sanctions": (
        "id", "employee_id", "severity", "kind", "decree_number", "start_date", "end_date",
        "reason",
    ),
}  # fmt: skip
UNIT_COLUMNS = ("id", "agency_code", "code", "name", "kind", "parent_id", "path")
POSITION_COLUMNS = (
    "id", "agency_code", "unit_id", "code", "title", "kind", "functional_level", "min_rank",
    "max_rank", "reports_to_position_id", "preferred_education_fields", "is_shared",
)  # fmt: skip

TRAININGS = {
    "T.1": ("Pelatihan Teknis Penyusunan Produk Hukum Daerah", "Kemenkumham RI"),
    "T.2": ("Bimbingan Teknis Manajemen Talenta ASN", "BKN"),
    "T.3": ("Pelatihan Perencanaan dan Penganggaran Berbasis Kinerja", "Kemendagri"),
    "T.4": ("Pelatihan Implementasi Kurikulum Merdeka", "Kemendikdasmen"),
    "T.5": ("Pelatihan Pelayanan Kesehatan Primer Terintegrasi", "Kemenkes (Plataran Sehat)"),
    "T.6": ("Pelatihan Arsitektur SPBE dan Keamanan Informasi", "Komdigi"),
    "T.7": ("Diklat Fungsional Auditor", "BPKP"),
    "T.8": ("Bimbingan Teknis Pelayanan Administrasi Terpadu Kecamatan", "Kemendagri"),
    "T.9": ("Pelatihan Pengadaan Barang/Jasa Tingkat Dasar", "LKPP"),
}
GENERAL_TRAININGS = (
    ("Seminar Nasional Reformasi Birokrasi", "seminar", "LAN RI", (2, 8)),
    ("Workshop Penyusunan SKP dan Kinerja Organisasi", "workshop", "BKPSDM", (4, 16)),
    ("E-Learning Core Values ASN BerAKHLAK", "e_learning", "ASN Unggul (LAN)", (2, 10)),
    ("Coaching Kepemimpinan Transformasional", "coaching", "BKPSDM", (2, 6)),
    ("Mentoring Pengembangan Karier", "mentoring", "BKPSDM", (2, 6)),
    ("Pelatihan Pelayanan Publik Prima", "training", "BPSDM Provinsi", (16, 40)),
    ("Benchmarking Inovasi Pelayanan Publik", "benchmarking", "BKPSDM", (8, 16)),
    ("Belajar Mandiri Literasi Digital", "self_study", "Digital Talent Scholarship", (2, 20)),
)
LEADERSHIP_TRAININGS = {
    "jpt_pratama": "Pelatihan Kepemimpinan Nasional Tingkat II",
    "administrator": "Pelatihan Kepemimpinan Administrator",
    "pengawas": "Pelatihan Kepemimpinan Pengawas",
}
SANCTIONS = {
    "light": ("Teguran lisan", "Teguran tertulis", "Pernyataan tidak puas secara tertulis"),
    "medium": (
        "Pemotongan tunjangan kinerja 25% selama 6 bulan",
        "Pemotongan tunjangan kinerja 25% selama 9 bulan",
    ),
    "severe": ("Penurunan jabatan setingkat lebih rendah selama 12 bulan",),
}
SANCTION_REASONS = (
    "Tidak masuk kerja tanpa alasan yang sah",
    "Tidak menaati ketentuan jam kerja",
    "Tidak mencapai target kinerja",
    "Menyalahgunakan wewenang",
)
INTERESTS = (
    ("position", "Ingin mengembangkan karier ke jabatan {title}"),
    ("unit", "Tertarik bertugas di {unit} untuk memperluas pengalaman"),
    ("training", "Ingin mengikuti {training}"),
    ("field", "Ingin mendalami bidang {field}"),
    ("rotation", "Bersedia dirotasi ke unit pelayanan publik untuk memperluas pengalaman"),
)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class NipRegistry:
    """Keeps NIPs unique: a byte per (birth day, appointment, gender) counts the sequences
    used, so memory stays flat (a few MB) however many employees are generated.

    Agencies are generated independently (in parallel for large loads): agency ``residue``
    of ``modulus`` only uses sequence numbers ≡ residue + 1 (mod modulus), so two agencies
    never produce the same NIP.
    """

    EPOCH = date(1940, 1, 1)

    def __init__(self, residue: int = 0, modulus: int = 1) -> None:
        days = (date(2030, 1, 1) - self.EPOCH).days
        self.pns = bytearray(days * 240 * 2)  # appointment at age 18–37 in months
        self.pppk = bytearray(days * 16 * 2 * 2)  # appointment 2019–2034, two codes
        self.residue = residue
        self.modulus = modulus
        self.limit = min(250, (998 - residue) // modulus + 1)

    def _take(self, table: bytearray, slot: int) -> int | None:
        used = table[slot]
        if used >= self.limit:
            return None
        table[slot] = used + 1
        return used * self.modulus + self.residue + 1

    def take_pns(self, birth: date, months_after_birth_month: int, gender: int) -> int | None:
        slot = ((birth - self.EPOCH).days * 240 + months_after_birth_month - 216) * 2 + gender - 1
        return self._take(self.pns, slot)

    def take_pppk(self, birth: date, year: int, code_index: int, gender: int) -> int | None:
        slot = (((birth - self.EPOCH).days * 16 + year - 2019) * 2 + code_index) * 2 + gender - 1
        return self._take(self.pppk, slot)


@dataclass(frozen=True)
class NamePools:
    male: tuple[str, ...]
    female: tuple[str, ...]
    male_surnames: tuple[str, ...]
    female_surnames: tuple[str, ...]
    cities: tuple[str, ...]

    @classmethod
    @functools.cache
    def from_faker(cls, seed: int) -> NamePools:
        """Faker (``id_ID``) is slow per call: draw its vocabulary once, combine it later."""
        from faker import Faker

        fake = Faker("id_ID")
        fake.seed_instance(seed)

        def pool(draw: Callable[[], str], n: int = 3000) -> tuple[str, ...]:
            values = sorted({draw() for _ in range(n)})
            random.Random(seed).shuffle(values)  # noqa: S311 - demo data
            return tuple(values)

        return cls(
            male=pool(fake.first_name_male),
            female=pool(fake.first_name_female),
            male_surnames=pool(fake.last_name_male),
            female_surnames=pool(fake.last_name_female),
            cities=pool(fake.city_name, 1000),
        )


class Generator:
    """Builds the organisation and the employees of the demo, deterministically."""

    def __init__(
        self,
        employees_per_agency: int,
        seed: int,
        as_of: date,
        competency_ids: dict[str, int],
        names: NamePools | None = None,
    ) -> None:
        self.n = employees_per_agency
        self.seed = seed
        self.as_of = as_of
        self.national = competency_ids  # M.1–M.8, SK.1
        self.names = names or NamePools.from_faker(seed)
        # Per agency, set by employee_chunks: every agency is generated on its own.
        self.ids = Ids(seed)
        self.nips = NipRegistry()

    # -- organisation --------------------------------------------------------------------

    def organisation(self, region: Region, technical_ids: dict[str, int]) -> Organisation:
        competencies = {**self.national, **technical_ids}
        ids = Ids(self.seed, REGION_INDEX[region.code])
        units: list[tuple[Any, ...]] = []
        positions: list[Position] = []

        def requirements(job: Job) -> list[tuple[int, int]]:
            level = _managerial_level(job.kind, job.level)
            needed = [(competencies[code], level) for code in (*MANAGERIAL, SOCIO_CULTURAL)]
            technical_level = min(5, level + 1) if job.kind != "pelaksana" else 2
            needed += [(competencies[code], technical_level) for code in job.technical]
            return needed

        def position(
            unit_id: str,
            unit: UnitPlan,
            job: Job,
            scale: str,
            reports_to: str | None,
            depth: int,
        ) -> Position:
            low, high = PNS_ORDINAL[job.ranks[0]], PNS_ORDINAL[job.ranks[1]]
            suffix = job.key if scale == PNS else f"{job.key}-PPPK"
            title = job.title if scale == PNS else f"{job.title} (PPPK)"
            weight = job.weight * (1 - job.pppk) if scale == PNS else job.weight * job.pppk
            made = Position(
                id=ids.new("position"),
                agency=region.code,
                unit_id=unit_id,
                unit_kind=unit.kind,
                code=f"{unit.code}/{suffix}",
                title=title,
                job=job,
                scale=scale,
                min_rank=rank_code(scale, low),
                max_rank=rank_code(scale, high),
                reports_to=reports_to,
                shared=job.shared,
                weight=weight,
                depth=depth,
                requirements=requirements(job),
            )
            positions.append(made)
            return made

        def walk(
            unit: UnitPlan,
            parent: tuple[Any, ...] | None,
            superior: str | None,
            depth: int,
        ) -> None:
            unit_id = ids.new("unit")
            path = [*(parent[6] if parent else []), unit_id]
            row = (unit_id, region.code, unit.code, unit.name, unit.kind,
                   parent[0] if parent else None, path)  # fmt: skip
            units.append(row)
            head = superior
            if unit.head is not None:
                head = position(unit_id, unit, unit.head, PNS, superior, depth).id
            for job in unit.staff:
                position(unit_id, unit, job, PNS, head, depth + 1)
                if job.pppk > 0:
                    position(unit_id, unit, job, PPPK, head, depth + 1)
            for child in unit.children:
                walk(child, row, head, depth + 1)

        plans = _organisation(region, self.n)
        setda, others = plans[0], plans[1:]
        walk(setda, None, None, 0)
        sekda = positions[0].id
        for plan in others:
            walk(plan, None, sekda, 1)
        return Organisation(region.code, units, positions, competencies)

    # -- employees -----------------------------------------------------------------------

    def employee_chunks(
        self, region: Region, org: Organisation, chunk_size: int = CHUNK_EMPLOYEES
    ) -> Iterator[Chunk]:
        rng = random.Random(f"{self.seed}:{region.code}:employees")  # noqa: S311 - demo data
        index = REGION_INDEX[region.code]
        self.ids = Ids(self.seed, index)
        self.nips = NipRegistry(index, len(REGIONS))
        singles = sorted((p for p in org.positions if not p.shared), key=lambda p: p.depth)
        shared = [p for p in org.positions if p.shared and p.weight > 0]
        cumulative = list(accumulate(p.weight for p in shared))
        total = cumulative[-1]
        # About one in eight is a manager or head; the rest share fungsional/pelaksana posts.
        heads = singles[: max(1, min(len(singles), round(self.n * 0.12)))]
        entry_levels = (None, "ahli_pertama", "terampil")
        entry_pns = [p for p in shared if p.scale == PNS and p.job.level in entry_levels]
        managerial_targets = [p for p in singles if p.job.kind != "fungsional"]
        unit_names = {row[0]: row[3] for row in org.units}
        chunk = self._empty_chunk()
        for i in range(self.n):
            if i < len(heads):
                position = heads[i]
            else:
                position = shared[bisect_right(cumulative, rng.random() * total)]
            self._employee(rng, region, org, position, chunk.tables, entry_pns,
                           managerial_targets, unit_names)  # fmt: skip
            if len(chunk.employees) >= chunk_size:
                yield chunk
                chunk = self._empty_chunk()
        if chunk.employees:
            yield chunk

    @staticmethod
    def _empty_chunk() -> Chunk:
        return Chunk({table: [] for table in TABLE_COLUMNS})

    def _name(self, rng: random.Random, region: Region, female: bool) -> str:
        names = self.names
        first = _pick(rng, names.female if female else names.male)
        parts = [first]
        roll = rng.random()
        if roll < 0.35:
            parts.append(_pick(rng, names.female if female else names.male))
        if rng.random() < 0.3:
            parts.append(_pick(rng, region.surnames))
        elif roll > 0.2:
            parts.append(_pick(rng, names.female_surnames if female else names.male_surnames))
        # a name does not repeat a word
        return " ".join(dict.fromkeys(parts))

    def _employee(
        self,
        rng: random.Random,
        region: Region,
        org: Organisation,
        position: Position,
        tables: dict[str, list[tuple[Any, ...]]],
        entry_pns: Sequence[Position],
        managerial_targets: Sequence[Position],
        unit_names: dict[str, str],
    ) -> None:
        as_of = self.as_of
        job = position.job
        employee_id = self.ids.new("employee")
        female = rng.random() < (0.7 if job.technical == ("T.4",) or "T.5" in job.technical
                                 else 0.45)  # fmt: skip
        gender = 2 if female else 1
        scale = position.scale
        status = ACTIVE
        if position.shared and scale == PNS:
            roll = rng.random()
            if roll < 0.015:
                status = LEAVE
            elif roll < 0.025:
                status = STUDY_LEAVE
            elif roll < 0.035:
                status = RETIRED
            elif roll < 0.037:
                status = DISMISSED
        # -- identity: birth, appointment, NIP ------------------------------------------
        nip: str | None = None
        while nip is None:
            if scale == PNS:
                if status == RETIRED:
                    age_months = 58 * 12 + _randint(rng, 1, 36)
                elif job.kind == "jpt_pratama":
                    age_months = _randint(rng, 42 * 12, 59 * 12)
                elif job.kind in ("administrator", "pengawas") or job.key == "HEAD":
                    age_months = _randint(rng, 34 * 12, 57 * 12)
                elif job.level in ("ahli_madya",):
                    age_months = _randint(rng, 38 * 12, 57 * 12)
                elif job.level in ("ahli_muda",):
                    age_months = _randint(rng, 30 * 12, 57 * 12)
                else:
                    age_months = _randint(rng, 21 * 12, 57 * 12)
                birth_month_start = _add_months(as_of.replace(day=1), -age_months)
                birth = birth_month_start + timedelta(days=int(rng.random() * 28))
                # TMT CPNS at 18–35, at least a year before the reference date.
                latest = min(35 * 12, age_months - 12)
                if latest < 18 * 12 + 1:
                    continue
                tmt_after = _randint(rng, 18 * 12 + 1, latest)
                if rng.random() < 0.7:  # most join in their twenties
                    tmt_after = min(tmt_after, _randint(rng, 22 * 12, 30 * 12))
                appointment = _add_months(birth.replace(day=1), tmt_after)
                sequence = self.nips.take_pns(birth, tmt_after, gender)
                if sequence is None:
                    continue
                nip = (
                    f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"
                    f"{appointment.year:04d}{appointment.month:02d}{gender}{sequence:03d}"
                )
            else:
                first_year = max(2019, as_of.year - 5)
                year = _randint(rng, first_year, max(first_year, as_of.year - 1))
                age = _randint(rng, 22, 50)
                birth = date(year - age, 1, 1) + timedelta(days=int(rng.random() * 365))
                code_index = int(rng.random() * 2)
                sequence = self.nips.take_pppk(birth, year, code_index, gender)
                if sequence is None:
                    continue
                appointment = date(year, 1, 1)
                nip = (
                    f"{birth.year:04d}{birth.month:02d}{birth.day:02d}{year}"
                    f"{('21', '24')[code_index]}{gender}{sequence:03d}"
                )
        # -- rank within the position's range, higher with service ------------------------
        low, high = rank_ordinal(position.min_rank), rank_ordinal(position.max_rank)
        service_years = (as_of - appointment).days / 365.25
        step = min(high - low, int(service_years / 6 + rng.random() * 1.5))
        rank = rank_code(scale, low + max(0, step))
        # -- education ------------------------------------------------------------------
        matches = rng.random() < 0.8
        field_of_study = (
            _pick(rng, job.fields) if matches or not job.fields else _pick(rng, GENERAL_FIELDS)
        )
        level = job.education
        if level == "SMA" and rng.random() < 0.5:
            level = _pick(rng, ("D3", "S1"))
        if (level == "S1" and job.kind in ("administrator", "jpt_pratama")) or (
            level == "S1" and rng.random() < 0.15
        ):
            level = "S2"
        universities = region.universities
        born = birth.year
        education = [("SMA", "IPA" if rng.random() < 0.6 else "IPS",
                      f"SMA Negeri {_randint(rng, 1, 12)} {region.city}", born + 18)]  # fmt: skip
        if level in ("D3", "S1", "S2"):
            first_degree = "D3" if level == "D3" else "S1"
            graduated = born + (21 if first_degree == "D3" else 22) + _randint(rng, 0, 2)
            education.append(
                (first_degree, field_of_study, self._university(rng, universities), graduated)
            )
            if level == "S2":
                master = _pick(rng, (PUBLIC_ADMIN, MANAGEMENT, field_of_study))
                education.append(
                    (
                        "S2",
                        master,
                        self._university(rng, universities),
                        graduated + _randint(rng, 3, 10),
                    )
                )
        for level_code, field_name, institution, year in education:
            tables["employee_education"].append(
                (
                    self.ids.new("education"),
                    employee_id,
                    level_code,
                    field_name,
                    institution,
                    min(year, as_of.year),
                )
            )
        back_title: str | None = None
        front_title: str | None = None
        highest = education[-1]
        if highest[0] == "D3":
            back_title = DIPLOMA_TITLES.get(highest[1], "A.Md.")
        elif highest[0] in ("S1", "S2"):
            titles = BACK_TITLES.get(education[1][1], ("S.Sos.", "M.Si."))
            back_title = titles[0]
            if highest[0] == "S2":
                back_title = f"{titles[0]}, {BACK_TITLES.get(highest[1], titles)[1]}"
        if education[1:] and education[1][1] == MEDICINE:
            front_title, back_title = "dr.", None
            if highest[0] == "S2":
                back_title = "M.Kes."
        # -- who --------------------------------------------------------------------------
        name = self._name(rng, region, female)
        birth_place = region.city if rng.random() < 0.6 else _pick(rng, self.names.cities)
        nik = None
        if rng.random() < 0.85:
            nik_day = birth.day + (40 if female else 0)
            kecamatan = _randint(rng, 1, len(region.kecamatan))
            nik = (
                f"{region.nik_prefix}{kecamatan:02d}{nik_day:02d}{birth.month:02d}"
                f"{birth.year % 100:02d}{_randint(rng, 1, 9999):04d}"
            )
        email = None
        if rng.random() < 0.7:
            email = f"{_ascii(name.split()[0])}.{nip[8:12]}{nip[-3:]}@{region.domain}"
        # -- assignments --------------------------------------------------------------------
        ended = status in (RETIRED, DISMISSED)
        if status == RETIRED:
            end_of_service = _add_months(birth.replace(day=1), 58 * 12 + 1)
        elif status == DISMISSED:
            end_of_service = as_of - timedelta(days=_randint(rng, 30, 700))
            end_of_service = min(as_of, max(end_of_service, appointment + timedelta(days=200)))
        else:
            end_of_service = as_of
        first_day = appointment
        # the current post began within the last six years, or at appointment
        current_start = max(first_day, end_of_service - timedelta(days=_randint(rng, 90, 6 * 365)))
        earlier: list[tuple[date, date, Position]] = []
        if scale == PNS and (current_start - first_day).days > 2 * 365 and entry_pns:
            split = first_day + timedelta(days=_randint(rng, 365, (current_start - first_day).days))
            if (current_start - split).days > 365 and rng.random() < 0.5:
                earlier.append((first_day, split - timedelta(days=1), _pick(rng, entry_pns)))
                earlier.append((split, current_start - timedelta(days=1), _pick(rng, entry_pns)))
            else:
                earlier.append(
                    (first_day, current_start - timedelta(days=1), _pick(rng, entry_pns))
                )
        elif current_start > first_day:
            current_start = first_day
        agency_tag = region.code.replace(".", "")
        for start, end, held in [*earlier, (current_start, end_of_service if ended else None,
                                            position)]:  # fmt: skip
            decree_date = start - timedelta(days=_randint(rng, 3, 30))
            tables["assignments"].append(
                (
                    self.ids.new("assignment"),
                    employee_id,
                    held.id,
                    start,
                    end,
                    f"821.2/{_randint(rng, 1, 9999):04d}/BKPSDM-{agency_tag}/{decree_date.year}",
                    decree_date,
                    True,
                )
            )
        unit_id = None if ended else position.unit_id
        position_id = None if ended else position.id
        tables["employees"].append(
            (
                employee_id,
                nip,
                name,
                front_title,
                back_title,
                MALE if gender == 1 else FEMALE,
                birth,
                birth_place,
                scale,
                appointment,
                rank,
                status,
                region.code,
                unit_id,
                position_id,
                nik,
                email,
            )
        )
        # -- competencies ---------------------------------------------------------------------
        last_day = end_of_service
        years_served = max(0, (last_day - appointment).days // 365)
        ability = rng.gauss(0.0, 0.7)
        required = position.requirements
        managerial_ids = required[:9]
        assessments: list[tuple[int, int, str, date]] = []

        def level_of(needed: int, bias: float) -> int:
            return max(1, min(5, round(needed + ability + bias + rng.gauss(0.0, 0.5))))

        def when(years_back: int) -> date:
            back = _randint(rng, 30 + 365 * years_back, 365 * (years_back + 1))
            return max(appointment + timedelta(days=1), last_day - timedelta(days=back))

        is_manager = job.kind in ("jpt_pratama", "administrator", "pengawas")
        if rng.random() < (0.6 if is_manager else 0.12):
            on = when(_randint(rng, 0, min(2, years_served)))
            assessments += [
                (cid, level_of(lvl, -0.1), SOURCES[0], on) for cid, lvl in managerial_ids
            ]
        if rng.random() < 0.2:
            on = when(0)
            assessments += [(cid, level_of(lvl, 0.0), SOURCES[1], on) for cid, lvl in required[:8]]
        if rng.random() < 0.7:
            picked = rng.sample(required, min(4, len(required)))
            for years_back in range(2 if years_served >= 2 and rng.random() < 0.25 else 1):
                on = when(years_back)
                assessments += [(cid, level_of(lvl, 0.2), SOURCES[2], on) for cid, lvl in picked]
        if not ended and rng.random() < 0.4:
            on = when(0)
            assessments += [
                (cid, level_of(lvl, 0.5), SOURCES[3], on)
                for cid, lvl in rng.sample(required, min(3, len(required)))
            ]
        current: dict[int, tuple[int, int, str, date]] = {}
        for assessment in assessments:
            cid, lvl, source, on = assessment
            tables["competency_assessments"].append(
                (self.ids.new("assessment"), employee_id, cid, lvl, source, on, None)
            )
            best = current.get(cid)
            if (
                best is None
                or PRECEDENCE[source] < PRECEDENCE[best[2]]
                or (source == best[2] and on > best[3])
            ):
                current[cid] = assessment
        for cid, lvl, source, on in current.values():
            tables["employee_competency_levels"].append((employee_id, cid, lvl, source, on))
        # -- trainings ------------------------------------------------------------------------
        for year in (as_of.year - 1, as_of.year):
            if ended and year > last_day.year:
                continue
            year_start = max(date(year, 1, 1), appointment)
            year_end = min(date(year, 12, 31), last_day)
            if year_end <= year_start:
                continue
            for _ in range(_pick(rng, (0, 1, 1, 2, 2, 3))):
                start = year_start + timedelta(days=_randint(rng, 0, (year_end - year_start).days))
                roll = rng.random()
                if roll < 0.45:
                    code = _pick(rng, job.technical)
                    title, provider = TRAININGS[code]
                    form, hours = "training", float(_pick(rng, (16, 24, 32, 40)))
                    competencies = [org.competencies[code]]
                elif roll < 0.5 and is_manager:
                    title, provider = LEADERSHIP_TRAININGS[job.kind], "LAN RI"
                    form, hours = "training", 40.0
                    competencies = [cid for cid, _ in managerial_ids[:8]]
                else:
                    title, form, provider, (lo, hi) = _pick(rng, GENERAL_TRAININGS)
                    hours = float(_randint(rng, lo, hi))
                    competencies = [_pick(rng, managerial_ids)[0]]
                days = max(0, int(hours // 8) - 1)
                end = min(start + timedelta(days=days), year_end)
                certificate = (
                    f"{_randint(rng, 100, 999)}/SERT/{start.year}/{_randint(rng, 1, 99999):05d}"
                    if form == "training"
                    else None
                )
                tables["trainings"].append(
                    (
                        self.ids.new("training"),
                        employee_id,
                        title,
                        hours,
                        start,
                        max(end, start),
                        provider,
                        form,
                        competencies,
                        certificate,
                    )
                )

        # -- SKP: annual for the last two years, quarterly this year for some --------------
        def rate(bias: float) -> str:
            roll = rng.random() + bias
            if roll < 0.08:
                return BELOW
            return ABOVE if roll > 0.8 else AS_EXPECTED

        periods: list[tuple[int, str]] = [
            (year, ANNUAL) for year in (as_of.year - 2, as_of.year - 1)
            if appointment.year <= year and (not ended or year < last_day.year)
        ]  # fmt: skip
        if not ended and rng.random() < 0.2:
            periods += [(as_of.year, q) for q in QUARTERS[: (as_of.month - 1) // 3]]
        for year, period in periods:
            results = rate(ability * 0.15)
            behaviour = rate(ability * 0.1 + 0.03)
            verdict = predicate(results, behaviour)
            low_score, high_score = SCORE_RANGES[verdict]
            score = round(low_score + (high_score - low_score) * rng.random(), 2)
            tables["performance_ratings"].append(
                (
                    self.ids.new("performance"),
                    employee_id,
                    year,
                    period,
                    results,
                    behaviour,
                    verdict,
                    score,
                )
            )
        # -- interests and sanctions --------------------------------------------------------
        if not ended and rng.random() < 0.15:
            kind, text = _pick(rng, INTERESTS)
            target_position = target_unit = None
            if kind == "position" and managerial_targets:
                target = _pick(rng, managerial_targets)
                target_position = target.id
                text = text.format(title=target.title)
            elif kind == "unit":
                target_unit = _pick(rng, org.units)[0]
                text = text.format(unit=unit_names[target_unit])
            else:
                text = text.format(
                    training=TRAININGS[job.technical[0]][0], field=_pick(rng, GENERAL_FIELDS)
                )
            tables["career_interests"].append(
                (self.ids.new("interest"), employee_id, kind, text, target_position, target_unit, 1)
            )
        if status == DISMISSED or rng.random() < 0.005:
            severity = (
                "severe"
                if status == DISMISSED
                else _pick(rng, ("light", "light", "light", "light", "medium", "medium", "severe"))
            )
            start = min(last_day, as_of) - timedelta(days=_randint(rng, 30, 4 * 365))
            start = max(start, appointment)
            end = None if severity == "light" else start + timedelta(days=180 * _randint(rng, 1, 2))
            tables["sanctions"].append(
                (
                    self.ids.new("sanction"),
                    employee_id,
                    severity,
                    _pick(rng, SANCTIONS[severity]),
                    f"800.1.6.4/{_randint(rng, 1, 999):03d}/BKPSDM/{start.year}",
                    start,
                    end,
                    _pick(rng, SANCTION_REASONS),
                )
            )

    @staticmethod
    def _university(rng: random.Random, local: Sequence[str]) -> str:
        return _pick(rng, local) if rng.random() < 0.7 else _pick(rng, NATIONAL_UNIVERSITIES)


# --- loading ---------------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    """One value in Postgres' COPY text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return str(value).translate(_ESCAPES)
        return str(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is date:
        return str(value.isoformat())
    if kind is list:
        return "{" + ",".join(str(item) for item in value) + "}"  # integer arrays only
    return str(value)


def copy_text(rows: Sequence[tuple[Any, ...]]) -> bytes:
    """Rows as a COPY ... (FORMAT text) payload."""
    lines = ["\t".join([_text(value) for value in row]) for row in rows]
    lines.append("")
    return "\n".join(lines).encode()


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


Payload = dict[str, tuple[int, bytes]]  # table → (rows, COPY text)
Message = tuple[str, Any]  # ("chunk", Payload) | ("done", agency) | ("error", text)


def _produce(
    employees_per_agency: int,
    seed: int,
    as_of: date,
    national: dict[str, int],
    plans: list[tuple[Region, Organisation]],
    out: Any,
    names: NamePools | None = None,
) -> None:
    """Generate the employees of ``plans``' agencies and put COPY payloads on ``out``.

    Runs in a thread for small loads and in worker processes for large ones; what it
    generates depends only on its arguments, so both give the same rows.
    """
    try:
        generator = Generator(employees_per_agency, seed, as_of, national, names)
        for region, org in plans:
            for chunk in generator.employee_chunks(region, org):
                payload = {
                    table: (len(rows), copy_text(rows))
                    for table, rows in chunk.tables.items()
                    if rows
                }
                out.put(("chunk", payload))
            out.put(("done", region.code))
    except BaseException:  # reported to the loader, which raises it
        import traceback

        out.put(("error", traceback.format_exc()))


_DROPPABLE_INDEXES = """
SELECT i.indexname, i.indexdef
FROM pg_indexes AS i
WHERE i.schemaname = current_schema()
  AND i.tablename = ANY($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint AS c
    WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass
  )
ORDER BY i.tablename, i.indexname
"""


class DemoDataExists(RuntimeError):
    """The database already has agencies; demo data only goes into an empty one."""


@dataclass
class DemoSummary:
    agencies: int = 0
    units: int = 0
    positions: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def employees(self) -> int:
        return self.rows.get("employees", 0)


async def _national_competencies(conn: Any) -> dict[str, int]:
    rows = await conn.fetch("SELECT code, id FROM competencies WHERE agency_code IS NULL")
    found = {row["code"]: row["id"] for row in rows}
    missing = [code for code in (*MANAGERIAL, SOCIO_CULTURAL) if code not in found]
    if missing:
        raise RuntimeError(f"competency dictionary incomplete (migrate first): {missing}")
    return found


def _descriptors(name_id: str, name_en: str) -> str:
    import json

    scopes = {
        1: ("dalam tugasnya sendiri", "in their own tasks"),
        2: ("dan membimbing rekan kerja", "and guides colleagues"),
        3: ("di tingkat unit kerja", "across their unit"),
        4: ("di tingkat instansi", "across the agency"),
        5: ("sebagai rujukan nasional", "as a national reference"),
    }
    return json.dumps(
        {
            str(level): {
                "id": f"Menerapkan {name_id.lower()} {scope_id}.",
                "en": f"Applies {name_en.lower()} {scope_en}.",
            }
            for level, (scope_id, scope_en) in scopes.items()
        }
    )


async def _load_organisation(conn: Any, generator: Generator, region: Region) -> Organisation:
    await conn.execute(
        "INSERT INTO agencies (code, name, region_code) VALUES ($1, $2, $3)",
        region.code,
        f"Pemerintah Kota {region.city}",
        region.code,
    )
    technical_rows = await conn.fetch(
        "INSERT INTO competencies (code, agency_code, kind, name_id, name_en, descriptors) "
        "SELECT t.code, $1, 'technical', t.name_id, t.name_en, t.descriptors::jsonb "
        "FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) "
        "AS t(code, name_id, name_en, descriptors) RETURNING code, id",
        region.code,
        [t[0] for t in TECHNICAL],
        [t[1] for t in TECHNICAL],
        [t[2] for t in TECHNICAL],
        [_descriptors(t[1], t[2]) for t in TECHNICAL],
    )
    org = generator.organisation(region, {row["code"]: row["id"] for row in technical_rows})
    await conn.copy_records_to_table("units", records=org.units, columns=UNIT_COLUMNS)
    await conn.copy_records_to_table(
        "positions",
        records=[
            (
                p.id,
                p.agency,
                p.unit_id,
                p.code,
                p.title,
                p.job.kind,
                p.job.level,
                p.min_rank,
                p.max_rank,
                p.reports_to,
                list(p.job.fields),
                p.shared,
            )
            for p in org.positions
        ],
        columns=POSITION_COLUMNS,
    )
    await conn.copy_records_to_table(
        "position_competencies",
        records=[(p.id, cid, level) for p in org.positions for cid, level in p.requirements],
        columns=("position_id", "competency_id", "level"),
    )
    return org


def _start_producers(
    generator: Generator,
    plans: list[tuple[Region, Organisation]],
    workers: int,
) -> tuple[Any, list[Any]]:
    """Producers of COPY payloads: a thread, or ``workers`` processes (agencies dealt out)."""
    args = (generator.n, generator.seed, generator.as_of, generator.national)
    if workers <= 1:
        out: Any = queue.Queue(maxsize=4)
        thread = threading.Thread(
            target=_produce, args=(*args, plans, out, generator.names), daemon=True
        )
        thread.start()
        return out, [thread]
    import multiprocessing

    # fork where there is one: nothing to re-import or pickle, and the child never runs the
    # parent's __main__ (nor its exit handlers); spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    out = context.Queue(maxsize=2 * workers)
    processes = []
    for worker in range(workers):
        share = plans[worker::workers]
        if share:
            process = context.Process(
                target=_produce, args=(*args, share, out, generator.names), daemon=True
            )
            process.start()
            processes.append(process)
    return out, processes


def _stop_producers(producers: list[Any], out: Any) -> None:
    for producer in producers:
        if isinstance(producer, threading.Thread):
            # After a failure the thread may wait on a full queue: let it run to its end
            # (small loads only) rather than leave it blocked.
            while producer.is_alive():
                with contextlib.suppress(queue.Empty):
                    out.get_nowait()
                producer.join(0.05)
            continue
        if producer.is_alive():
            producer.terminate()
        producer.join(timeout=10)


async def seed_demo(
    settings: Settings | None,
    url: str,
    *,
    employees_per_agency: int = DEFAULT_EMPLOYEES_PER_AGENCY,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> DemoSummary:
    """Load the demo into the (migrated, empty) database at ``url`` in one transaction.

    Large loads (``employees_per_agency`` ≥ 10,000) generate in ``workers`` processes
    (default: the CPU count, at most 5), drop the secondary indexes of the employee tables
    and build them again at the end, and — when connected as a superuser — skip the per-row
    foreign-key triggers (the generator makes every reference itself; unique, check and
    exclusion constraints still apply). Raises ``DemoDataExists`` when the database already
    has agencies.
    """
    import os

    import asyncpg  # type: ignore[import-untyped]

    from asn_career.core.db import libpq_url

    if employees_per_agency < 1:
        raise ValueError("employees_per_agency must be at least 1")
    began = time.monotonic()
    as_of = as_of or date.today()
    say = progress or (lambda _message: None)
    bulk = employees_per_agency >= FAST_LOAD_THRESHOLD
    if workers is None:
        workers = min(len(REGIONS), os.cpu_count() or 1) if bulk else 1
    summary = DemoSummary()
    conn = await asyncpg.connect(
        libpq_url(url),
        server_settings={"application_name": "asn-career-demo", "statement_timeout": "0"},
    )
    producers: list[Any] = []
    out: Any = None
    try:
        async with conn.transaction():
            # Two loaders at once: the second waits here, then finds the agencies.
            await conn.execute("LOCK TABLE agencies IN SHARE ROW EXCLUSIVE MODE")
            if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM agencies)"):
                raise DemoDataExists("the database already has agencies")
            await conn.execute("SET LOCAL synchronous_commit = off")
            dropped: list[tuple[str, str]] = []
            if bulk:
                if await conn.fetchval(
                    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                ):
                    await conn.execute("SET LOCAL session_replication_role = replica")
                await conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
                dropped = [
                    (row["indexname"], row["indexdef"])
                    for row in await conn.fetch(_DROPPABLE_INDEXES, list(TABLE_COLUMNS))
                ]
                for name, _definition in dropped:
                    await conn.execute(f'DROP INDEX "{name}"')
                say(f"bulk mode: {workers} generator processes, {len(dropped)} indexes deferred")
            national = await _national_competencies(conn)
            generator = Generator(employees_per_agency, seed, as_of, national)
            plans = [
                (region, await _load_organisation(conn, generator, region)) for region in REGIONS
            ]
            summary.agencies = len(plans)
            summary.units = sum(len(org.units) for _, org in plans)
            summary.positions = sum(len(org.positions) for _, org in plans)
            say(
                f"organisation: {summary.agencies} agencies, {summary.units} units, "
                f"{summary.positions} positions"
            )
            out, producers = _start_producers(generator, plans, workers)
            total = employees_per_agency * len(REGIONS)
            pending = len(plans)
            reported = 0
            while pending:
                kind, body = await asyncio.to_thread(out.get)
                if kind == "error":
                    raise RuntimeError(f"demo generator failed:\n{body}")
                if kind == "done":
                    pending -= 1
                    continue
                for table, columns in TABLE_COLUMNS.items():
                    if table in body:
                        count, data = body[table]
                        await conn.copy_to_table(
                            table, source=_once(data), columns=columns, format="text"
                        )
                        summary.rows[table] = summary.rows.get(table, 0) + count
                if summary.employees - reported >= total // 20 or summary.employees == total:
                    reported = summary.employees
                    say(f"employees: {summary.employees:,} of {total:,}")
            for name, definition in dropped:
                say(f"building index {name}")
                await conn.execute(definition)
        # Fresh statistics, so the first queries plan with the real sizes.
        for table in ("agencies", "units", "positions", "position_competencies", *TABLE_COLUMNS):
            await conn.execute(f"ANALYZE {table}")
    finally:
        _stop_producers(producers, out)
        await conn.close()
    summary.seconds = time.monotonic() - began
    return summary
