"""BKN SIASN's codes and names → our values: the ONE SIASN vocabulary. Pure, no I/O.

File imports with the ``siasn`` mapping (``imports.files.mapping.convert``; a column's
``siasn_type`` names a vocabulary here) and the SIASN sync (``imports.siasn.mapping``)
both decode through ``decode``, so a code means the same thing on every path. What each
path does with a value it does not know stays its own: a file import passes the word on
for the API's schema to refuse with the row and column, the sync raises
``SiasnMappingError``. Exports write our own values (the ``native`` mapping), never SIASN
codes; every value of ours decodes to itself here, so an export also reads back through
the ``siasn`` mapping.

A value is looked up by its key: lower case, letters and digits only (``DI ATAS
EKSPEKTASI``, ``Di atas ekspektasi`` and ``diatas-ekspektasi`` are one key; a whole
number written ``1.0`` is ``1``). Then, for some vocabularies, by its ``/``-separated parts
and first word (SIASN's ``S-1/Sarjana``, ``Diploma III/Sarjana Muda``), then by keyword
(a fragment of the key, tried in order: SIASN's course types and employee kinds are
free-ish text such as ``PNS Daerah Kab/Kota``).

Where the two earlier copies disagreed, SIASN's meaning decides:

- **SKP ratings** (``hasilKinerjaNilai``, ``perilakuKerjaNilai``; SIASN reference
  ``perilakuDanKinerja``): ``1`` = di atas ekspektasi (above), ``2`` = sesuai ekspektasi
  (as expected), ``3`` = di bawah ekspektasi (below). The file import read 1 as below and
  3 as above, so an SKP sheet from SIASN was imported inverted.
- **Ranks** (``golRuangAkhir``): a bare number 1–17 is a PPPK golongan (``3`` → ``III``),
  as SIASN writes PPPK golongan; a PNS rank always has its ruang letter. The file import
  passed ``3`` on unchanged.
- **Kedudukan hukum** (``kedudukanPnsNama``/``kedudukanHukumNama``): ``MENINGGAL`` →
  ``dismissed``: a PNS who dies is honourably discharged (diberhentikan dengan hormat, PP
  11/2017); we have no "deceased" status and "dismissed" is "no longer in service".
  ``Pemberhentian tanpa hak pensiun`` → ``dismissed`` (the sync matched ``PENSIUN`` in it
  and said retired). Statuses are matched whole, never by fragment: the sync's fragments
  read ``Tidak Aktif`` as active and ``Pemberhentian Sementara`` (a suspension) as
  dismissed; neither has a status of ours, so both are unknown (the sync also made every
  other unknown status ``active``; it now reports it). A PNS under a disciplinary sanction
  (``PNS kena hukuman disiplin``, ``Pemindahan dalam rangka penurunan jabatan``) is still
  in service: ``active`` (the sanction itself is a sanction record).
- **Education levels**: the sync's readings (``S-1/Sarjana``, ``Diploma III/Sarjana
  Muda``, ``Spesialis`` → S2) hold on both paths; the file import refused them.

Not decoded yet: SIASN's numeric predicate codes (``kuadranKinerjaNilai``). Our recorded
payloads confirm only 1 = Sangat Baik and 2 = Baik; the names (``kuadranKinerja``,
``SANGAT BAIK`` …) are decoded, and our own predicate always comes from the matrix.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from asn_career.org.ranks import RANKS_PNS, RANKS_PPPK
from asn_career.org.rules import FunctionalLevel, UnitKind


def _key(text: str) -> str:
    """Lower case, letters and digits only; ``1.0`` (a spreadsheet's number) is ``1``."""
    text = text.strip()
    if re.fullmatch(r"[0-9]+\.0+", text):
        text = text.split(".")[0]
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class Vocabulary:
    """One SIASN vocabulary: the SIASN fields it reads, its codes and names as written
    (by our value), whether a name's ``/``-parts and first word are tried, and keywords."""

    name: str
    fields: tuple[str, ...]
    values: Mapping[str, tuple[str, ...]]
    parts: bool = False
    keywords: tuple[tuple[str, str], ...] = ()
    """(fragment of a key, our value), tried in order when nothing else matched."""
    index: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for ours, written in self.values.items():
            for form in (ours, *written):
                found = index.setdefault(_key(form), ours)
                if found != ours:
                    raise ValueError(f"{self.name}: {form!r} means both {found} and {ours}")
        object.__setattr__(self, "index", index)

    def decode(self, raw: Any) -> str | None:
        """Our value for ``raw``; ``None`` when it is empty or unknown."""
        if raw is None or isinstance(raw, bool):
            return None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = str(raw).strip()
        if not text:
            return None
        candidates = [text]
        if self.parts:
            pieces = [p for p in text.split("/") if p.strip()]
            candidates += pieces + [p.split()[0] for p in pieces]
        for candidate in candidates:
            found = self.index.get(_key(candidate))
            if found is not None:
                return found
        whole = _key(text)
        for fragment, ours in self.keywords:
            if fragment in whole:
                return ours
        return None


def _identity(values: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {value: () for value in values}


_ROMAN_RANKS: dict[str, tuple[str, ...]] = {
    code: (str(number),) for number, code in enumerate(RANKS_PPPK, start=1)
}
"""PPPK golongan ``I`` … ``XVII``, also written as their number (``9`` = ``IX``)."""

VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in (
        Vocabulary(
            "expectation",
            ("hasilKinerjaNilai", "perilakuKerjaNilai"),
            {
                "above": ("1", "DI ATAS EKSPEKTASI", "DIATAS", "DI ATAS"),
                "as_expected": ("2", "SESUAI EKSPEKTASI", "SESUAI"),
                "below": ("3", "DI BAWAH EKSPEKTASI", "DIBAWAH", "DI BAWAH"),
            },
        ),
        Vocabulary(
            "predicate",
            ("kuadranKinerja", "kuadranKinerjaNilai", "predikatKinerja"),
            {
                "sangat_baik": ("SANGAT BAIK",),
                "baik": ("BAIK",),
                "butuh_perbaikan": ("BUTUH PERBAIKAN",),
                "kurang": ("KURANG", "KURANG/MISCONDUCT", "MISCONDUCT"),
                "sangat_kurang": ("SANGAT KURANG",),
            },
        ),
        Vocabulary(
            "period",
            ("periode",),
            {
                "annual": ("TAHUNAN", "TAHUN"),
                "q1": ("TRIWULAN I", "TRIWULAN 1", "TW 1", "TW I"),
                "q2": ("TRIWULAN II", "TRIWULAN 2", "TW 2", "TW II"),
                "q3": ("TRIWULAN III", "TRIWULAN 3", "TW 3", "TW III"),
                "q4": ("TRIWULAN IV", "TRIWULAN 4", "TW 4", "TW IV"),
            },
        ),
        Vocabulary(
            "gender",
            ("jenisKelamin",),
            {
                "M": ("L", "LAKI-LAKI", "LAKI", "PRIA", "MALE", "1"),
                "F": ("P", "PEREMPUAN", "WANITA", "W", "FEMALE", "2"),
            },
        ),
        Vocabulary(
            "employment_type",
            ("jenisPegawaiNama",),
            {
                "pns": (
                    "PNS",
                    "CPNS",
                    "PNS DAERAH",
                    "PNS PUSAT",
                    "CPNS DAERAH",
                    "PEGAWAI NEGERI SIPIL",
                ),
                "pppk": (
                    "PPPK",
                    "P3K",
                    "PPPK DAERAH",
                    "PEGAWAI PEMERINTAH DENGAN PERJANJIAN KERJA",
                ),
            },
            keywords=(
                ("pppk", "pppk"),
                ("p3k", "pppk"),
                ("perjanjiankerja", "pppk"),
                ("pns", "pns"),
                ("pegawainegeri", "pns"),
            ),
        ),
        Vocabulary(
            "status",
            ("kedudukanPnsNama", "kedudukanHukumNama"),
            {
                "active": (
                    "AKTIF",
                    "PNS KENA HUKUMAN DISIPLIN",
                    "PEMINDAHAN DALAM RANGKA PENURUNAN JABATAN",
                ),
                "leave": ("CLTN", "PERPANJANGAN CLTN", "CUTI", "CUTI DI LUAR TANGGUNGAN NEGARA"),
                "study_leave": ("TUGAS BELAJAR",),
                "retired": (
                    "PENSIUN",
                    "MPP",
                    "MASA PERSIAPAN PENSIUN",
                    "MENCAPAI BUP",
                    "PEMBERHENTIAN DENGAN HAK PENSIUN",
                ),
                "dismissed": (
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
            },
        ),
        Vocabulary(
            "rank",
            ("golRuangAkhir", "golRuangAwal"),
            {**_identity(RANKS_PNS), **_ROMAN_RANKS},
        ),
        Vocabulary(
            "education_level",
            ("tkPendidikanNama", "tkPendidikanTerakhir"),
            {
                "SD": ("SEKOLAH DASAR", "MI", "MADRASAH IBTIDAIYAH"),
                "SMP": ("SLTP", "SLTP KEJURUAN", "MTS", "MADRASAH TSANAWIYAH"),
                "SMA": (
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
                "D1": ("D-I", "DIPLOMA I", "DIPLOMA 1"),
                "D2": ("D-II", "DIPLOMA II", "DIPLOMA 2"),
                "D3": ("D-III", "DIPLOMA III", "DIPLOMA 3", "SARJANA MUDA"),
                "D4": ("D-IV", "DIPLOMA IV", "DIPLOMA 4"),
                "S1": ("S-1", "SARJANA", "STRATA I", "STRATA 1"),
                "S2": ("S-2", "MAGISTER", "STRATA II", "STRATA 2", "SPESIALIS"),
                "S3": ("S-3", "DOKTOR", "STRATA III", "STRATA 3"),
            },
            parts=True,
        ),
        Vocabulary(
            "training_form",
            ("jenisKursusNama", "jenisDiklatNama"),
            {
                "training": (
                    "PELATIHAN",
                    "DIKLAT",
                    "KURSUS",
                    "DIKLAT TEKNIS",
                    "DIKLAT FUNGSIONAL",
                    "DIKLAT STRUKTURAL",
                    "PELATIHAN TEKNIS",
                ),
                "seminar": (),
                "workshop": ("LOKAKARYA",),
                "technical_guidance": ("BIMTEK", "BIMBINGAN TEKNIS"),
                "coaching": (),
                "mentoring": (),
                "e_learning": ("E-LEARNING", "DARING"),
                "internship": ("MAGANG",),
                "secondment": ("DETASERING",),
                "benchmarking": ("STUDI BANDING",),
                "self_study": ("BELAJAR MANDIRI", "OTODIDAK"),
                "degree_study": ("TUGAS BELAJAR",),
            },
            keywords=(
                ("seminar", "seminar"),
                ("lokakarya", "workshop"),
                ("workshop", "workshop"),
                ("bimbinganteknis", "technical_guidance"),
                ("bimtek", "technical_guidance"),
                ("elearning", "e_learning"),
                ("magang", "internship"),
                ("coaching", "coaching"),
                ("mentoring", "mentoring"),
                ("detasering", "secondment"),
                ("benchmark", "benchmarking"),
                ("otodidak", "self_study"),
            ),
        ),
        Vocabulary(
            "severity",
            ("tingkatHukumanDisiplin",),
            {
                "light": ("RINGAN", "HUKUMAN DISIPLIN RINGAN"),
                "medium": ("SEDANG", "HUKUMAN DISIPLIN SEDANG"),
                "severe": ("BERAT", "HUKUMAN DISIPLIN BERAT"),
            },
        ),
        Vocabulary(
            "source",
            ("sumberPenilaian",),
            {
                "assessment_center": ("AC", "PUSAT PENILAIAN"),
                "feedback_360": ("360", "PENILAIAN 360"),
                "supervisor": ("ATASAN", "ATASAN LANGSUNG"),
                "self": ("MANDIRI", "DIRI SENDIRI"),
            },
        ),
        Vocabulary(
            "position_kind",
            ("jenisJabatan",),
            {
                "jpt_utama": (),
                "jpt_madya": (),
                "jpt_pratama": (),
                "administrator": ("STRUKTURAL",),
                "pengawas": (),
                "fungsional": ("FUNGSIONAL TERTENTU",),
                "pelaksana": ("FUNGSIONAL UMUM",),
            },
        ),
        Vocabulary(
            "functional_level",
            ("jenjangJabatan",),
            _identity(tuple(level.value for level in FunctionalLevel)),
        ),
        Vocabulary("unit_kind", ("jenisUnor",), _identity(tuple(k.value for k in UnitKind))),
    )
}
"""Every SIASN vocabulary by name (the names ``Column.siasn_type`` uses)."""


def decode(vocabulary: str, raw: Any) -> str | None:
    """Our value for a SIASN code or name; ``None`` when empty or unknown (the caller
    decides what unknown means on its path). ``KeyError`` for an unknown vocabulary."""
    return VOCABULARIES[vocabulary].decode(raw)
