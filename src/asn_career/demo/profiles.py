"""Demo data of the employees and their histories.

Employees get Indonesian names, valid NIPs (PNS) and NI PPPK, one open primary assignment
each, earlier assignments, education, competency assessments from several sources (and the
current levels derived from them), trainings, SKP ratings, interests and a few sanctions.
The data keeps the rules the API enforces, taken from the domains themselves: PNS hold PNS
ranks and PPPK hold PPPK golongan within their position's range (``org.ranks``); a NIP's
appointment comes at least ``MIN_AGE_AT_APPOINTMENT`` years after birth (``profiles.nip``);
graduation years lie within ``graduation_year_bounds``, the SKP predicate is
``skp_predicate`` and ``employee_competency_levels`` holds ``current_level`` of each
employee's assessments (``profiles.histories.rules``).

The histories are those of real staff, so the professionalism index (IP ASN) spreads as an
office's does, mostly Sedang and Tinggi: education as the position and rank call for, an
annual SKP with its score for the last two years, the leadership training of a managerial
post and the functional training of a fungsional one for most, and over the last three
years technical training, seminars and non-classroom learning, more of it for the able.
What each counts as comes from ``talent.rules`` (training forms, the leadership titles,
the functional pattern); ``tests/test_demo.py`` checks the titles against it.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, ClassVar

from asn_career.demo.base import (
    REGIONS,
    Agency,
    Demo,
    DomainGenerator,
    Region,
    Rows,
    add_months,
    pick,
    randint,
)
from asn_career.demo.org import (
    ACCOUNTING,
    CIVIL_ENGINEERING,
    COMMUNICATION,
    ECONOMICS,
    GOVERNMENT,
    INFO_SYSTEMS,
    INFORMATICS,
    LAW,
    MANAGEMENT,
    MEDICINE,
    MIDWIFERY,
    NURSING,
    ORGANISATION,
    PGSD,
    PLANNING,
    PNS,
    PSYCHOLOGY,
    PUBLIC_ADMIN,
    PUBLIC_HEALTH,
    STATISTICS,
    Job,
    Organisation,
    Position,
)
from asn_career.org import ranks
from asn_career.org.rules import PositionKind
from asn_career.profiles.histories.rules import (
    NON_CLASSROOM_FORMS,
    current_level,
    graduation_year_bounds,
    skp_predicate,
)
from asn_career.profiles.nip import MIN_AGE_AT_APPOINTMENT, Gender, pns_nip, pppk_nip
from asn_career.talent import rules as talent_rules

CHUNK_EMPLOYEES = 5_000
PPPK_CODES = ("21", "24")  # digits 13–14 of the NI PPPK the demo gives
EARLIEST_TMT = MIN_AGE_AT_APPOINTMENT * 12 + 1
"""Months after the birth month of the earliest TMT CPNS a NIP accepts."""

# --- vocabulary (the API's schemas) ----------------------------------------------------------

MALE: Gender = "M"
FEMALE: Gender = "F"
ACTIVE, LEAVE, STUDY_LEAVE, RETIRED, DISMISSED = (
    "active",
    "leave",
    "study_leave",
    "retired",
    "dismissed",
)
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
NATIONAL_UNIVERSITIES = (
    "Universitas Terbuka", "Universitas Gadjah Mada", "Universitas Padjadjaran",
    "Institut Pemerintahan Dalam Negeri", "Universitas Airlangga", "Universitas Brawijaya",
    "Universitas Negeri Jakarta", "Universitas Hasanuddin", "Institut Teknologi Bandung",
)  # fmt: skip
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

TRAININGS = {
    "T.1": ("Pelatihan Teknis Penyusunan Produk Hukum Daerah", "Kemenkumham RI"),
    "T.2": ("Bimbingan Teknis Manajemen Talenta ASN", "BKN"),
    "T.3": ("Pelatihan Perencanaan dan Penganggaran Berbasis Kinerja", "Kemendagri"),
    "T.4": ("Pelatihan Implementasi Kurikulum Merdeka", "Kemendikdasmen"),
    "T.5": ("Pelatihan Pelayanan Kesehatan Primer Terintegrasi", "Kemenkes (Plataran Sehat)"),
    "T.6": ("Pelatihan Arsitektur SPBE dan Keamanan Informasi", "Komdigi"),
    "T.7": ("Pelatihan Pengawasan Intern Berbasis Risiko", "BPKP"),
    "T.8": ("Bimbingan Teknis Pelayanan Administrasi Terpadu Kecamatan", "Kemendagri"),
    "T.9": ("Pelatihan Pengadaan Barang/Jasa Tingkat Dasar", "LKPP"),
}
"""The technical training of each technical competency (none names a jabatan fungsional,
so each counts as technical training in the professionalism index)."""
GENERAL_TRAININGS = (
    ("Seminar Nasional Reformasi Birokrasi", "seminar", "LAN RI", (2, 8)),
    ("Seminar Transformasi Digital Pelayanan Publik", "seminar", "Komdigi", (2, 8)),
    ("Webinar Sistem Merit dan Manajemen Talenta ASN", "seminar", "BKN", (2, 4)),
    ("Workshop Penyusunan SKP dan Kinerja Organisasi", "workshop", "BKPSDM", (4, 16)),
    ("Workshop Manajemen Risiko Pemerintah Daerah", "workshop", "BPKP Perwakilan", (8, 16)),
    ("E-Learning Core Values ASN BerAKHLAK", "e_learning", "ASN Unggul (LAN)", (2, 10)),
    ("Pelatihan Pelayanan Publik Prima", "training", "BPSDM Provinsi", (16, 40)),
    ("Bimbingan Teknis Pengelolaan Arsip Dinamis (SRIKANDI)", "technical_guidance", "ANRI",
     (8, 16)),
    ("Coaching Kepemimpinan Transformasional", "coaching", "BKPSDM", (2, 6)),
    ("Mentoring Pengembangan Karier", "mentoring", "BKPSDM", (2, 6)),
    ("Benchmarking Inovasi Pelayanan Publik", "benchmarking", "BKPSDM", (8, 16)),
    ("Belajar Mandiri Literasi Digital", "self_study", "Digital Talent Scholarship", (2, 20)),
)  # fmt: skip
SEMINARS = tuple(t for t in GENERAL_TRAININGS if t[1] in talent_rules.SEMINAR_FORMS)
GENERAL_TECHNICAL = tuple(t for t in GENERAL_TRAININGS if t[1] in talent_rules.TECHNICAL_FORMS)
NON_CLASSROOM = tuple(t for t in GENERAL_TRAININGS if t[1] in NON_CLASSROOM_FORMS)
"""The general courses by what they count as (the forms are the talent and histories
rules'): seminars and workshops, technical training, and the non-classroom forms, which
count towards the 20 JP but not the index."""
LEADERSHIP_TRAININGS = {
    "jpt_pratama": (
        "Pelatihan Kepemimpinan Nasional Tingkat II", "Diklatpim Tingkat II", 300, "LAN RI",
    ),
    "administrator": (
        "Pelatihan Kepemimpinan Administrator", "Diklatpim Tingkat III", 250, "BPSDM Provinsi",
    ),
    "pengawas": (
        "Pelatihan Kepemimpinan Pengawas", "Diklatpim Tingkat IV", 200, "BPSDM Provinsi",
    ),
}  # fmt: skip
"""The leadership training of each managerial kind: (title, the Diklatpim title it had
before ``LEADERSHIP_RENAMED``, JP, provider)."""
LEADERSHIP_RENAMED = 2019
TRAINING_YEARS = 3
"""Trainings go back this many years, the current one included: the index of last year
counts the year before it too."""
KEENNESS = 0.85
"""How eager the typical employee is to learn (0–1): the chances of a year's technical
training and seminar scale with it, the able a little above it."""
MASTERS_KINDS = (PositionKind.ADMINISTRATOR, PositionKind.JPT_PRATAMA)
"""Kinds whose holders the demo gives a master's degree."""
ENTRY_RANKS = {"SMA": "II/a", "D3": "II/c", "S1": "III/a", "S2": "III/b"}
"""The rank a PNS starts at with each education (PP 99/2000), and the PPPK golongan of the
same ordinal (V, VII, IX, X): a pelaksana's rank starts there, so it matches the degree."""
PELAKSANA_EDUCATION = ("SMA", "D3", "S1", "S2")
PELAKSANA_SHARES = tuple(accumulate((0.25, 0.2, 0.5)))
"""The highest education of pelaksana staff (the rest hold an S2)."""
SANCTIONED = 0.02
"""The share of staff with a sanction in the last four years (beside the dismissed)."""
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


def _functional_name(job: Job) -> str:
    """The jabatan fungsional a position belongs to: its title without the level
    (``Analis Kebijakan Ahli Muda`` → ``Analis Kebijakan``); a school's head is a teacher."""
    level = (job.level or "").replace("_", " ").title()
    return job.title.removesuffix(f" {level}") if job.title.endswith(f" {level}") else "Guru"


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
        months = months_after_birth_month - MIN_AGE_AT_APPOINTMENT * 12
        slot = ((birth - self.EPOCH).days * 240 + months) * 2 + gender - 1
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


class ProfilesGenerator(DomainGenerator):
    """Employees with their histories, in chunks, for an agency whose ``ORGANISATION`` the
    organisation generator has left."""

    tables = TABLE_COLUMNS
    id_tags: ClassVar[Mapping[str, int]] = {
        "employee": 3,
        "education": 4,
        "assignment": 5,
        "assessment": 6,
        "training": 7,
        "performance": 8,
        "interest": 9,
        "sanction": 10,
    }

    def __init__(self, demo: Demo, names: NamePools | None = None) -> None:
        super().__init__(demo)
        self.n = demo.employees_per_agency
        self.as_of = demo.as_of
        self.names = names or NamePools.from_faker(demo.seed)
        # Per agency, set by employee_chunks: every agency is generated on its own.
        self.ids = self.new_ids(Agency(REGIONS[0]))
        self.nips = NipRegistry()

    def batches(self, agency: Agency) -> Iterator[Rows]:
        return self.employee_chunks(agency, agency.get(ORGANISATION))

    def employee_chunks(
        self, agency: Agency, org: Organisation, chunk_size: int = CHUNK_EMPLOYEES
    ) -> Iterator[Rows]:
        region = agency.region
        rng = random.Random(f"{self.demo.seed}:{region.code}:employees")  # noqa: S311 - demo data
        self.ids = self.new_ids(agency)
        self.nips = NipRegistry(agency.index, len(REGIONS))
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
            self._employee(rng, region, org, position, chunk, entry_pns,
                           managerial_targets, unit_names)  # fmt: skip
            if len(chunk["employees"]) >= chunk_size:
                yield chunk
                chunk = self._empty_chunk()
        if chunk["employees"]:
            yield chunk

    @staticmethod
    def _empty_chunk() -> Rows:
        return {table: [] for table in TABLE_COLUMNS}

    def _name(self, rng: random.Random, region: Region, female: bool) -> str:
        names = self.names
        first = pick(rng, names.female if female else names.male)
        parts = [first]
        roll = rng.random()
        if roll < 0.35:
            parts.append(pick(rng, names.female if female else names.male))
        if rng.random() < 0.3:
            parts.append(pick(rng, region.surnames))
        elif roll > 0.2:
            parts.append(pick(rng, names.female_surnames if female else names.male_surnames))
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
        gender = 2 if female else 1  # NIP digit 15
        sex: Gender = FEMALE if female else MALE
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
                    age_months = 58 * 12 + randint(rng, 1, 36)
                elif job.kind == "jpt_pratama":
                    age_months = randint(rng, 42 * 12, 59 * 12)
                elif job.kind in ("administrator", "pengawas") or job.key == "HEAD":
                    age_months = randint(rng, 34 * 12, 57 * 12)
                elif job.level in ("ahli_madya",):
                    age_months = randint(rng, 38 * 12, 57 * 12)
                elif job.level in ("ahli_muda",):
                    age_months = randint(rng, 30 * 12, 57 * 12)
                else:
                    age_months = randint(rng, 21 * 12, 57 * 12)
                birth_month_start = add_months(as_of.replace(day=1), -age_months)
                birth = birth_month_start + timedelta(days=int(rng.random() * 28))
                # TMT CPNS at 18–35, at least a year before the reference date.
                latest = min(35 * 12, age_months - 12)
                if latest < EARLIEST_TMT:
                    continue
                tmt_after = randint(rng, EARLIEST_TMT, latest)
                if rng.random() < 0.7:  # most join in their twenties
                    tmt_after = min(tmt_after, randint(rng, 22 * 12, 30 * 12))
                appointment = add_months(birth.replace(day=1), tmt_after)
                sequence = self.nips.take_pns(birth, tmt_after, gender)
                if sequence is None:
                    continue
                nip = pns_nip(birth, appointment, sex, sequence)
            else:
                first_year = max(2019, as_of.year - 5)
                year = randint(rng, first_year, max(first_year, as_of.year - 1))
                age = randint(rng, 22, 50)
                birth = date(year - age, 1, 1) + timedelta(days=int(rng.random() * 365))
                code_index = int(rng.random() * 2)
                sequence = self.nips.take_pppk(birth, year, code_index, gender)
                if sequence is None:
                    continue
                appointment = date(year, 1, 1)
                nip = pppk_nip(birth, year, PPPK_CODES[code_index], sex, sequence)
        # -- rank within the position's range, from the education's, higher with service --
        level = self._education_level(rng, job)
        low, high = ranks.ordinal(position.min_rank), ranks.ordinal(position.max_rank)
        if job.kind == PositionKind.PELAKSANA:
            low = min(high, max(low, ranks.ordinal(ENTRY_RANKS[level])))
        service_years = (as_of - appointment).days / 365.25
        step = min(high - low, int(service_years / 6 + rng.random() * 1.5))
        rank = ranks.code_at(scale, low + max(0, step))
        # -- education ------------------------------------------------------------------
        matches = rng.random() < 0.8
        field_of_study = (
            pick(rng, job.fields) if matches or not job.fields else pick(rng, GENERAL_FIELDS)
        )
        universities = region.universities
        born = birth.year
        education = [("SMA", "IPA" if rng.random() < 0.6 else "IPS",
                      f"SMA Negeri {randint(rng, 1, 12)} {region.city}", born + 18)]  # fmt: skip
        if level != "SMA":
            first_degree = "D3" if level == "D3" else "S1"
            graduated = born + (21 if first_degree == "D3" else 22) + randint(rng, 0, 2)
            education.append(
                (first_degree, field_of_study, self._university(rng, universities), graduated)
            )
            if level in ("S2", "S3"):
                master = pick(rng, (PUBLIC_ADMIN, MANAGEMENT, field_of_study))
                graduated += randint(rng, 3, 10)
                education.append(("S2", master, self._university(rng, universities), graduated))
            if level == "S3":
                doctorate = pick(rng, (PUBLIC_ADMIN, GOVERNMENT, field_of_study))
                graduated += randint(rng, 4, 8)
                education.append(("S3", doctorate, pick(rng, NATIONAL_UNIVERSITIES), graduated))
        earliest, latest = graduation_year_bounds(birth, as_of)
        for level_code, field_name, institution, year in education:
            tables["employee_education"].append(
                (
                    self.ids.new("education"),
                    employee_id,
                    level_code,
                    field_name,
                    institution,
                    min(max(year, earliest), latest),
                )
            )
        back_title: str | None = None
        front_title: str | None = None
        highest = education[-1]
        if highest[0] == "D3":
            back_title = DIPLOMA_TITLES.get(highest[1], "A.Md.")
        elif highest[0] in ("S1", "S2", "S3"):
            titles = BACK_TITLES.get(education[1][1], ("S.Sos.", "M.Si."))
            back_title = titles[0]
            if highest[0] != "S1":
                back_title = f"{titles[0]}, {BACK_TITLES.get(education[2][1], titles)[1]}"
        if education[1:] and education[1][1] == MEDICINE:
            front_title, back_title = "dr.", None
            if highest[0] != "S1":
                back_title = "M.Kes."
        if highest[0] == "S3":
            front_title = "Dr." if front_title is None else f"Dr. {front_title}"
        # -- who --------------------------------------------------------------------------
        name = self._name(rng, region, female)
        birth_place = region.city if rng.random() < 0.6 else pick(rng, self.names.cities)
        nik = None
        if rng.random() < 0.85:
            nik_day = birth.day + (40 if female else 0)
            kecamatan = randint(rng, 1, len(region.kecamatan))
            nik = (
                f"{region.nik_prefix}{kecamatan:02d}{nik_day:02d}{birth.month:02d}"
                f"{birth.year % 100:02d}{randint(rng, 1, 9999):04d}"
            )
        email = None
        if rng.random() < 0.7:
            email = f"{_ascii(name.split()[0])}.{nip[8:12]}{nip[-3:]}@{region.domain}"
        # -- assignments --------------------------------------------------------------------
        ended = status in (RETIRED, DISMISSED)
        if status == RETIRED:
            end_of_service = add_months(birth.replace(day=1), 58 * 12 + 1)
        elif status == DISMISSED:
            end_of_service = as_of - timedelta(days=randint(rng, 30, 700))
            end_of_service = min(as_of, max(end_of_service, appointment + timedelta(days=200)))
        else:
            end_of_service = as_of
        first_day = appointment
        # the current post began within the last six years, or at appointment
        current_start = max(first_day, end_of_service - timedelta(days=randint(rng, 90, 6 * 365)))
        earlier: list[tuple[date, date, Position]] = []
        if scale == PNS and (current_start - first_day).days > 2 * 365 and entry_pns:
            split = first_day + timedelta(days=randint(rng, 365, (current_start - first_day).days))
            if (current_start - split).days > 365 and rng.random() < 0.5:
                earlier.append((first_day, split - timedelta(days=1), pick(rng, entry_pns)))
                earlier.append((split, current_start - timedelta(days=1), pick(rng, entry_pns)))
            else:
                earlier.append((first_day, current_start - timedelta(days=1), pick(rng, entry_pns)))
        elif current_start > first_day:
            current_start = first_day
        agency_tag = region.code.replace(".", "")
        for start, end, held in [*earlier, (current_start, end_of_service if ended else None,
                                            position)]:  # fmt: skip
            decree_date = start - timedelta(days=randint(rng, 3, 30))
            tables["assignments"].append(
                (
                    self.ids.new("assignment"),
                    employee_id,
                    held.id,
                    start,
                    end,
                    f"821.2/{randint(rng, 1, 9999):04d}/BKPSDM-{agency_tag}/{decree_date.year}",
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
                sex,
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
            back = randint(rng, 30 + 365 * years_back, 365 * (years_back + 1))
            return max(appointment + timedelta(days=1), last_day - timedelta(days=back))

        is_manager = job.kind in ("jpt_pratama", "administrator", "pengawas")
        if rng.random() < (0.6 if is_manager else 0.12):
            on = when(randint(rng, 0, min(2, years_served)))
            assessments += [
                (cid, level_of(lvl, -0.1), "assessment_center", on) for cid, lvl in managerial_ids
            ]
        if rng.random() < 0.2:
            on = when(0)
            assessments += [
                (cid, level_of(lvl, 0.0), "feedback_360", on) for cid, lvl in required[:8]
            ]
        if rng.random() < 0.7:
            picked = rng.sample(required, min(4, len(required)))
            for years_back in range(2 if years_served >= 2 and rng.random() < 0.25 else 1):
                on = when(years_back)
                assessments += [(cid, level_of(lvl, 0.2), "supervisor", on) for cid, lvl in picked]
        if not ended and rng.random() < 0.4:
            on = when(0)
            assessments += [
                (cid, level_of(lvl, 0.5), "self", on)
                for cid, lvl in rng.sample(required, min(3, len(required)))
            ]
        recorded: dict[int, list[tuple[str, date, int]]] = {}  # per competency, in order
        for cid, lvl, source, on in assessments:
            tables["competency_assessments"].append(
                (self.ids.new("assessment"), employee_id, cid, lvl, source, on, None)
            )
            recorded.setdefault(cid, []).append((source, on, lvl))
        for cid, given in recorded.items():
            current = current_level(given)
            if current is not None:
                lvl, source, on = current
                tables["employee_competency_levels"].append((employee_id, cid, lvl, source, on))
        # -- trainings ------------------------------------------------------------------------
        self._trainings(
            rng, tables, employee_id, job, org, managerial_ids,
            appointment=appointment, current_start=current_start, last_day=last_day,
            keen=min(0.95, max(0.1, KEENNESS + 0.15 * ability + rng.gauss(0.0, 0.1))),
        )  # fmt: skip

        # -- SKP: annual for the last two years, quarterly this year for some --------------
        def rate(bias: float) -> str:
            roll = rng.random() + bias
            if roll < 0.05:
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
            verdict = skp_predicate(results, behaviour)
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
            kind, text = pick(rng, INTERESTS)
            target_position = target_unit = None
            if kind == "position" and managerial_targets:
                target = pick(rng, managerial_targets)
                target_position = target.id
                text = text.format(title=target.title)
            elif kind == "unit":
                target_unit = pick(rng, org.units)[0]
                text = text.format(unit=unit_names[target_unit])
            else:
                text = text.format(
                    training=TRAININGS[job.technical[0]][0], field=pick(rng, GENERAL_FIELDS)
                )
            tables["career_interests"].append(
                (self.ids.new("interest"), employee_id, kind, text, target_position, target_unit, 1)
            )
        if status == DISMISSED or rng.random() < SANCTIONED:
            severity = (
                "severe"
                if status == DISMISSED
                else pick(rng, ("light", "light", "light", "light", "medium", "medium", "severe"))
            )
            start = min(last_day, as_of) - timedelta(days=randint(rng, 30, 4 * 365))
            start = max(start, appointment)
            end = None if severity == "light" else start + timedelta(days=180 * randint(rng, 1, 2))
            tables["sanctions"].append(
                (
                    self.ids.new("sanction"),
                    employee_id,
                    severity,
                    pick(rng, SANCTIONS[severity]),
                    f"800.1.6.4/{randint(rng, 1, 999):03d}/BKPSDM/{start.year}",
                    start,
                    end,
                    pick(rng, SANCTION_REASONS),
                )
            )

    def _trainings(
        self,
        rng: random.Random,
        tables: dict[str, list[tuple[Any, ...]]],
        employee_id: str,
        job: Job,
        org: Organisation,
        managerial_ids: Sequence[tuple[int, int]],
        *,
        appointment: date,
        current_start: date,
        last_day: date,
        keen: float,
    ) -> None:
        """A career's development: the leadership training of a managerial post (most hold
        it; one placed lately may not yet), the functional training of a fungsional one,
        and over the last ``TRAINING_YEARS`` years technical training (about 20 JP in a
        year for the ``keen``), seminars and workshops, and non-classroom learning."""

        def add(title: str, provider: str, form: str, hours: float, start: date,
                competencies: list[int]) -> None:  # fmt: skip
            days = max(0, int(hours // 8) - 1)
            end = min(start + timedelta(days=days), last_day)
            certificate = (
                f"{randint(rng, 100, 999)}/SERT/{start.year}/{randint(rng, 1, 99999):05d}"
                if form == "training"
                else None
            )
            tables["trainings"].append((
                self.ids.new("training"), employee_id, title, float(hours), start,
                max(end, start), provider, form, competencies, certificate,
            ))  # fmt: skip

        def some_day(earliest: date, latest: date) -> date:
            earliest = max(earliest, appointment)
            latest = max(earliest, min(latest, last_day))
            return earliest + timedelta(days=randint(rng, 0, (latest - earliest).days))

        if job.kind in LEADERSHIP_TRAININGS:
            settled = (last_day - current_start).days > 2 * 365
            if rng.random() < (0.9 if settled else 0.6):
                title, old_title, hours, provider = LEADERSHIP_TRAININGS[job.kind]
                on = some_day(current_start - timedelta(days=3 * 365),
                              current_start + timedelta(days=540))  # fmt: skip
                add(old_title if on.year < LEADERSHIP_RENAMED else title, provider, "training",
                    hours, on, [cid for cid, _ in managerial_ids[:8]])  # fmt: skip
        elif job.kind == PositionKind.FUNGSIONAL and rng.random() < 0.9:
            add(  # within three years of appointment
                f"Pelatihan Fungsional {_functional_name(job)}",
                "Instansi Pembina Jabatan Fungsional", "training",
                float(pick(rng, (40, 54, 60, 80))),
                some_day(appointment, appointment + timedelta(days=3 * 365)),
                [org.competencies[job.technical[0]]],
            )  # fmt: skip
        first_year = self.as_of.year - TRAINING_YEARS + 1
        for year in range(max(first_year, appointment.year), last_day.year + 1):
            year_start, year_end = (
                max(date(year, 1, 1), appointment),
                min(date(year, 12, 31), last_day),
            )
            technical_jp = 0
            if rng.random() < keen * 0.8:  # the year's 20 JP of technical training, or near it
                code = pick(rng, job.technical)
                title, provider = TRAININGS[code]
                technical_jp = pick(rng, (16, 20, 24, 32, 40))
                add(title, provider, "training", technical_jp, some_day(year_start, year_end),
                    [org.competencies[code]])  # fmt: skip
            if technical_jp < talent_rules.TECHNICAL_MIN_JP and rng.random() < keen * 0.6:
                title, form, provider, (lo, hi) = pick(rng, GENERAL_TECHNICAL)
                add(title, provider, form, randint(rng, lo, hi), some_day(year_start, year_end),
                    [pick(rng, managerial_ids)[0]])  # fmt: skip
            if rng.random() < keen:
                title, form, provider, (lo, hi) = pick(rng, SEMINARS)
                add(title, provider, form, randint(rng, lo, hi), some_day(year_start, year_end),
                    [pick(rng, managerial_ids)[0]])  # fmt: skip
            if rng.random() < 0.3:
                title, form, provider, (lo, hi) = pick(rng, NON_CLASSROOM)
                add(title, provider, form, randint(rng, lo, hi), some_day(year_start, year_end),
                    [pick(rng, managerial_ids)[0]])  # fmt: skip

    @staticmethod
    def _education_level(rng: random.Random, job: Job) -> str:
        """The highest education: a pelaksana's any of ``PELAKSANA_EDUCATION`` (their rank
        starts from its ``ENTRY_RANKS``); others hold the position's typical level, a
        master's for administrators, JPT and some others, a doctorate for a few JPT."""
        if job.kind == PositionKind.PELAKSANA:
            return PELAKSANA_EDUCATION[bisect_right(PELAKSANA_SHARES, rng.random())]
        level = job.education
        if level == "S1" and (job.kind in MASTERS_KINDS or rng.random() < 0.15):
            level = "S2"
        if level == "S2" and job.kind == PositionKind.JPT_PRATAMA and rng.random() < 0.15:
            level = "S3"
        return level

    @staticmethod
    def _university(rng: random.Random, local: Sequence[str]) -> str:
        return pick(rng, local) if rng.random() < 0.7 else pick(rng, NATIONAL_UNIVERSITIES)
