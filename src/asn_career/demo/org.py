"""Demo data of the organisation: per agency its technical competencies, a unit tree
(Sekretariat Daerah with its bagian, BKPSDM, Bappeda, Dinas Pendidikan with SD/SMP negeri,
Dinas Kesehatan with puskesmas, Diskominfo, Inspektorat, the kecamatan with their kelurahan)
and positions with kind, functional level, rank range, reporting line, required
competencies and preferred education fields.

A managerial position (and a school's or puskesmas' head) holds one person; fungsional and
pelaksana positions are ``is_shared``. Rank ranges come from ``org.ranks`` and, for the
expertise track, from ``org.rules.EXPERTISE_RANKS``; positions for PPPK state their range
in golongan of the same ordinals.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from asn_career.demo.base import Agency, DomainGenerator, Fact, Region
from asn_career.org import ranks
from asn_career.org.ranks import Scale
from asn_career.org.rules import EXPERTISE_RANKS

PNS: Scale = "pns"
PPPK: Scale = "pppk"

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


# --- the plan of a city government -----------------------------------------------------------


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
    job_ranks = {
        "jpt_pratama": ("IV/c", "IV/d"),
        "administrator": ("III/d", "IV/b"),
        "pengawas": ("III/b", "III/d"),
    }[kind]
    education = "S2" if kind == "jpt_pratama" else "S1"
    return Job("HEAD", title, kind, None, job_ranks, fields, technical, education)


SKILL_RANKS: dict[str, tuple[str, str]] = {
    "terampil": ("II/b", "II/d"),
    "mahir": ("III/a", "III/b"),
}
"""PNS ranks the demo gives the skill-track levels it uses (``org.rules`` has no table)."""


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
        kind, job_ranks, education = "pelaksana", ("II/a", "III/b"), "SMA"
    else:
        kind = "fungsional"
        job_ranks = SKILL_RANKS.get(level) or EXPERTISE_RANKS[level]
        education = {"terampil": "D3", "mahir": "D3", "ahli_madya": "S2"}.get(level, "S1")
    return Job(key, title, kind, level, job_ranks, fields, technical, education, weight, pppk)


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
            EXPERTISE_RANKS["ahli_madya"],
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


# --- generated rows --------------------------------------------------------------------------

UNIT_COLUMNS = ("id", "agency_code", "code", "name", "kind", "parent_id", "path")
POSITION_COLUMNS = (
    "id", "agency_code", "unit_id", "code", "title", "kind", "functional_level", "min_rank",
    "max_rank", "reports_to_position_id", "preferred_education_fields", "is_shared",
)  # fmt: skip
REQUIREMENT_COLUMNS = ("position_id", "competency_id", "level")


@dataclass
class Position:
    id: str
    agency: str
    unit_id: str
    unit_kind: str
    code: str
    title: str
    job: Job
    scale: Scale
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

    def position_rows(self) -> list[tuple[Any, ...]]:
        return [
            (p.id, p.agency, p.unit_id, p.code, p.title, p.job.kind, p.job.level, p.min_rank,
             p.max_rank, p.reports_to, list(p.job.fields), p.shared)
            for p in self.positions
        ]  # fmt: skip

    def requirement_rows(self) -> list[tuple[Any, ...]]:
        return [(p.id, cid, level) for p in self.positions for cid, level in p.requirements]


ORGANISATION: Fact[Organisation] = Fact("org.organisation")
"""What the organisation generator leaves on each agency for the later generators."""


def _descriptors(name_id: str, name_en: str) -> str:
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


class OrgGenerator(DomainGenerator):
    """The agency, its technical competencies, units, positions and their requirements:
    loaded in ``setup`` (the competencies' ids come from the database), then left on the
    agency as ``ORGANISATION``."""

    reference_tables = ("agencies", "units", "positions", "position_competencies")
    id_tags: ClassVar[Mapping[str, int]] = {"unit": 1, "position": 2}

    national: dict[str, int] | None = None  # M.1–M.8, SK.1 → id, read at the first setup

    async def setup(self, conn: Any, agency: Agency) -> Mapping[str, int]:
        if self.national is None:
            self.national = await _national_competencies(conn)
        region = agency.region
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
        technical = {row["code"]: row["id"] for row in technical_rows}
        org = self.organisation(agency, {**self.national, **technical})
        positions, requirements = org.position_rows(), org.requirement_rows()
        await conn.copy_records_to_table("units", records=org.units, columns=UNIT_COLUMNS)
        await conn.copy_records_to_table("positions", records=positions, columns=POSITION_COLUMNS)
        await conn.copy_records_to_table(
            "position_competencies", records=requirements, columns=REQUIREMENT_COLUMNS
        )
        agency.put(ORGANISATION, org)
        return {
            "agencies": 1,
            "units": len(org.units),
            "positions": len(positions),
            "position_competencies": len(requirements),
        }

    def organisation(self, agency: Agency, competencies: dict[str, int]) -> Organisation:
        """The agency's units and positions; ``competencies`` maps every code to its id."""
        region = agency.region
        ids = self.new_ids(agency)
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
            scale: Scale,
            reports_to: str | None,
            depth: int,
        ) -> Position:
            low, high = ranks.ordinal(job.ranks[0]), ranks.ordinal(job.ranks[1])
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
                min_rank=ranks.code_at(scale, low),
                max_rank=ranks.code_at(scale, high),
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

        plans = _organisation(region, self.demo.employees_per_agency)
        setda, others = plans[0], plans[1:]
        walk(setda, None, None, 0)
        sekda = positions[0].id
        for plan in others:
            walk(plan, None, sekda, 1)
        return Organisation(region.code, units, positions, competencies)


async def _national_competencies(conn: Any) -> dict[str, int]:
    rows = await conn.fetch("SELECT code, id FROM competencies WHERE agency_code IS NULL")
    found = {row["code"]: row["id"] for row in rows}
    missing = [code for code in (*MANAGERIAL, SOCIO_CULTURAL) if code not in found]
    if missing:
        raise RuntimeError(f"competency dictionary incomplete (migrate first): {missing}")
    return found
