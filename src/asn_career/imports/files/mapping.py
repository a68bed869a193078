"""Columns of each import kind, how a file's headers map to them, and how their cells are
read (SIASN's codes through ``imports.siasn.vocabulary``). Pure: no I/O.

``native`` headers are the API's field names, with natural keys where the API takes ids
(``unit_code``, ``position_code``, ``nip``, ``parent_code``, ``reports_to_code``).
``siasn`` headers are BKN SIASN's names (``nipBaru``, ``tglLahir`` …); the native names
are accepted there too, so a SIASN export with a column added by hand still imports.
Headers match case-insensitively, ignoring spaces, underscores and hyphens.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from asn_career.imports.siasn.vocabulary import VOCABULARIES, decode

MappingName = Literal["native", "siasn"]
KINDS = (
    "units",
    "positions",
    "employees",
    "education",
    "assignments",
    "trainings",
    "performance",
    "competencies",
    "sanctions",
)


def normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


@dataclass(frozen=True)
class Column:
    """One field of a kind: its native name, whether a file must have it, its SIASN
    names, and the value type (``text``, ``date``, ``int``, ``decimal``, ``bool``,
    ``list``, ``nip``); ``siasn_type`` names a vocabulary of ``imports.siasn.vocabulary``
    (``gender``, ``expectation`` …) when the value comes from a SIASN file."""

    name: str
    required: bool = False
    siasn: tuple[str, ...] = ()
    type: str = "text"
    siasn_type: str | None = None  # the type when the value comes from a SIASN column


@dataclass(frozen=True)
class KindColumns:
    kind: str
    columns: tuple[Column, ...]
    siasn_ignored: tuple[str, ...] = ()
    """SIASN columns of the usual export that this kind does not use (reported as ignored)."""
    siasn_required: tuple[str, ...] = field(default=())
    """Required for ``siasn`` instead of the native required ones (by native name)."""

    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}


_SIASN_PROFILE_COLUMNS = (
    "nipLama",
    "pendidikanTerakhirNama",
    "tkPendidikanTerakhir",
    "tmtPns",
    "instansiKerjaNama",
    "unorId",
    "unorIndukNama",
    "jenisJabatan",
    "jabatanNama",
    "tmtJabatan",
    "eselon",
    "tmtGolAkhir",
    "pangkatAkhir",
    "bupPensiun",
    "kuadranKinerjaNilai",
    "agama",
    "statusPerkawinan",
    "alamat",
    "noHp",
)

KIND_COLUMNS: dict[str, KindColumns] = {
    "units": KindColumns(
        "units",
        (
            Column("code", True, ("kodeUnor", "unorKode")),
            Column("name", True, ("unorNama", "namaUnor")),
            Column("kind", True, ("jenisUnor",), siasn_type="unit_kind"),
            Column("parent_code", False, ("kodeUnorAtasan", "unorAtasanKode")),
        ),
    ),
    "positions": KindColumns(
        "positions",
        (
            Column("code", True, ("kodeJabatan", "jabatanKode")),
            Column("title", True, ("jabatanNama", "namaJabatan")),
            Column("unit_code", True, ("kodeUnor", "unorKode")),
            Column("kind", True, ("jenisJabatan",), siasn_type="position_kind"),
            Column("functional_level", False, ("jenjangJabatan",), siasn_type="functional_level"),
            Column("min_rank", False, ("golRuangAwal",), siasn_type="rank"),
            Column("max_rank", False, ("golRuangAkhir",), siasn_type="rank"),
            Column("reports_to_code", False, ("kodeJabatanAtasan",)),
            Column("required_competencies", False, (), "requirements"),
            Column("preferred_education_fields", False, (), "list"),
            Column("is_shared", False, (), "bool"),
        ),
    ),
    "employees": KindColumns(
        "employees",
        (
            Column("nip", True, ("nipBaru",), "nip"),
            Column("name", True, ("nama",)),
            Column("front_title", False, ("gelarDepan",)),
            Column("back_title", False, ("gelarBelakang",)),
            Column("gender", False, ("jenisKelamin",), siasn_type="gender"),
            Column("birth_date", False, ("tglLahir", "tanggalLahir"), "date"),
            Column("birth_place", False, ("tempatLahir",)),
            Column("employment_type", False, ("jenisPegawaiNama",), siasn_type="employment_type"),
            Column("appointment_date", False, ("tmtCpns",), "date"),
            Column("rank", False, ("golRuangAkhir",), siasn_type="rank"),
            Column("status", False, ("kedudukanHukumNama", "statusPegawai"), siasn_type="status"),
            Column("unit_code", False, ("kodeUnor",)),
            Column("unit_name", False, ("unorNama",)),
            Column("nik", False, ("nik",), "nip"),
            Column("email", False, ("email", "emailGov")),
        ),
        siasn_ignored=_SIASN_PROFILE_COLUMNS,
    ),
    "education": KindColumns(
        "education",
        (
            Column("nip", True, ("nipBaru",), "nip"),
            Column(
                "level",
                True,
                ("tkPendidikanTerakhir", "tkPendidikanNama", "tingkatPendidikan"),
                siasn_type="education_level",
            ),
            Column("field", False, ("pendidikanTerakhirNama", "pendidikanNama", "jurusan")),
            Column("institution", False, ("namaSekolah", "institusiPendidikan")),
            Column("graduation_year", False, ("tahunLulus",), "int"),
        ),
        siasn_ignored=("nama",),
    ),
    "assignments": KindColumns(
        "assignments",
        (
            Column("nip", True, ("nipBaru",), "nip"),
            Column("position_code", False, ("kodeJabatan",)),
            Column("position_title", False, ("namaJabatan", "jabatanNama")),
            Column("unit_name", False, ("unorNama",)),
            Column("start_date", True, ("tmtJabatan",), "date"),
            Column("end_date", False, ("tmtSelesai", "tanggalSelesai"), "date"),
            Column("decree_number", False, ("nomorSk",)),
            Column("decree_date", False, ("tanggalSk",), "date"),
            Column("is_primary", False, (), "bool"),
        ),
        siasn_ignored=("nama", "jenisJabatan", "eselon", "unorIndukNama"),
    ),
    "trainings": KindColumns(
        "trainings",
        (
            Column("nip", True, ("nipBaru",), "nip"),
            Column("title", True, ("namaKursus", "namaDiklat")),
            Column("hours_jp", True, ("jumlahJam",), "decimal"),
            Column("start_date", True, ("tanggalKursus", "tanggalMulai"), "date"),
            Column("year", False, ("tahunKursus", "tahunDiklat"), "int"),
            Column("end_date", False, ("tanggalSelesaiKursus", "tanggalSelesai"), "date"),
            Column("provider", False, ("institusiPenyelenggara",)),
            Column("form", True, ("jenisKursusNama", "jenisDiklat"), siasn_type="training_form"),
            Column("competencies", False, (), "list"),
            Column("certificate_number", False, ("noSertifikat", "nomorSertifikat")),
        ),
        siasn_ignored=("nama",),
        siasn_required=("nip", "title", "hours_jp"),
    ),
    "performance": KindColumns(
        "performance",
        (
            Column("nip", True, ("nipBaru",), "nip"),
            Column("year", True, ("tahun",), "int"),
            Column("period", True, ("periode",), siasn_type="period"),
            Column(
                "results", True, ("hasilKinerjaNilai", "hasilKinerja"), siasn_type="expectation"
            ),
            Column(
                "behaviour", True, ("perilakuKerjaNilai", "perilakuKerja"), siasn_type="expectation"
            ),
            Column("score", False, ("nilaiSkp", "nilaiPrestasiKerja"), "decimal"),
            Column(
                "predicate",
                False,
                ("kuadranKinerjaNilai", "predikatKinerja"),
                siasn_type="predicate",
            ),
        ),
        siasn_ignored=("nama",),
        siasn_required=("nip", "year", "results", "behaviour"),
    ),
    "competencies": KindColumns(
        "competencies",
        (
            Column("nip", True, ("nipBaru",), "nip"),
            Column("competency", True, ("kodeKompetensi",)),
            Column("level", True, ("levelKompetensi", "nilaiKompetensi"), "int"),
            Column("source", True, ("sumberPenilaian",), siasn_type="source"),
            Column("assessed_on", True, ("tanggalPenilaian", "tglPenilaian"), "date"),
            Column("notes", False, ("keterangan",)),
        ),
        siasn_ignored=("nama",),
    ),
    "sanctions": KindColumns(
        "sanctions",
        (
            Column("nip", True, ("nipBaru",), "nip"),
            Column(
                "severity",
                True,
                ("tingkatHukumanDisiplin", "tingkatHukuman"),
                siasn_type="severity",
            ),
            Column("kind", True, ("jenisHukumanNama", "jenisHukuman")),
            Column("decree_number", False, ("nomorSk", "skNomor")),
            Column("start_date", True, ("tmtHukuman", "hukumanTanggal", "tanggalSk"), "date"),
            Column("end_date", False, ("akhirHukumanTanggal", "masaBerlakuSelesai"), "date"),
            Column("reason", False, ("alasanHukumanDisiplinNama", "alasanHukuman", "keterangan")),
        ),
        siasn_ignored=("nama",),
    ),
}


# --- header resolution --------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderMap:
    """Where each field comes from: ``fields[i]`` is the field of header column ``i``
    (``None`` for unused columns); ``source`` names the file's header for each field."""

    fields: list[str | None]
    source: dict[str, str]
    siasn_fields: frozenset[str]
    unknown: list[str]
    ignored: list[str]

    @property
    def provided(self) -> frozenset[str]:
        return frozenset(self.source)


class HeaderProblem(ValueError):
    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_id = message_id


def _lookup(kind: KindColumns, mapping: MappingName) -> dict[str, tuple[str, bool]]:
    """normalised header → (field, from a SIASN name)."""
    table: dict[str, tuple[str, bool]] = {}
    for column in kind.columns:
        table[normalise_header(column.name)] = (column.name, False)
    if mapping == "siasn":
        for column in kind.columns:
            for alias in column.siasn:
                table.setdefault(normalise_header(alias), (column.name, True))
    return table


def required_fields(kind: KindColumns, mapping: MappingName) -> list[str]:
    if mapping == "siasn" and kind.siasn_required:
        return list(kind.siasn_required)
    return [c.name for c in kind.columns if c.required]


def resolve_header(kind: KindColumns, mapping: MappingName, header: Sequence[str]) -> HeaderMap:
    """Map a file's header to fields; unknown columns are listed, duplicates and missing
    required columns refused."""
    lookup = _lookup(kind, mapping)
    ignored_names = (
        {normalise_header(n) for n in kind.siasn_ignored} if mapping == "siasn" else set()
    )
    fields: list[str | None] = []
    source: dict[str, str] = {}
    siasn_fields: set[str] = set()
    unknown: list[str] = []
    ignored: list[str] = []
    for name in header:
        key = normalise_header(name)
        found = lookup.get(key)
        if found is None:
            fields.append(None)
            if not key:
                continue
            (ignored if key in ignored_names else unknown).append(name)
            continue
        target, from_siasn = found
        if target in source:
            raise HeaderProblem(
                f"Columns {source[target]!r} and {name!r} both give {target}.",
                f"Kolom {source[target]!r} dan {name!r} sama-sama berisi {target}.",
            )
        fields.append(target)
        source[target] = name
        if from_siasn:
            siasn_fields.add(target)
    missing = [f for f in required_fields(kind, mapping) if f not in source]
    if kind.kind == "assignments" and not ({"position_code", "position_title"} & set(source)):
        missing.append("position_code" if mapping == "native" else "namaJabatan")
    if (
        kind.kind == "trainings"
        and mapping == "siasn"
        and not ({"start_date", "year"} & set(source))
    ):
        missing.append("tanggalKursus/tahunKursus")
    if missing:
        by_name = kind.by_name()
        described = []
        for name in missing:
            column = by_name.get(name)
            if mapping == "siasn" and column is not None and column.siasn:
                described.append(f"{column.siasn[0]} (or {name})")
            else:
                described.append(name)
        listed = ", ".join(described)
        raise HeaderProblem(
            f"Missing required columns for {kind.kind}: {listed}.",
            f"Kolom wajib untuk {kind.kind} tidak ada: {listed}.",
        )
    return HeaderMap(fields, source, frozenset(siasn_fields), unknown, ignored)


# --- values -------------------------------------------------------------------------------


class BadValue(ValueError):
    """A cell that cannot be read as its field's type; the message says what was expected."""


_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def text_of(value: Any) -> str | None:
    """A cell as trimmed text; empty → None; whole-number floats lose their ``.0``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def parse_date(value: Any, *, day_first: bool) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_of(value)
    if text is None:
        return None
    iso = _DATE_ISO.match(text[:10]) if len(text) in (10, 19, 20, 25) else None
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        dmy = _DATE_DMY.match(text) if day_first else None
        if dmy:
            return dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError as exc:
        raise BadValue(f"{text!r} is not a real date") from exc
    expected = "DD-MM-YYYY or YYYY-MM-DD" if day_first else "YYYY-MM-DD"
    raise BadValue(f"{text!r} is not a date ({expected})")


def parse_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = text_of(value)
    if text is None:
        return None
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    raise BadValue(f"{text!r} is not a whole number")


def parse_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = text_of(value)
    if text is None:
        return None
    text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise BadValue(f"{text!r} is not a number") from exc
    if not number.is_finite():
        raise BadValue(f"{text!r} is not a number")
    return number


_TRUE = {"true", "1", "yes", "ya", "y", "t"}
_FALSE = {"false", "0", "no", "tidak", "n", "f"}


def parse_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = text_of(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise BadValue(f"{text!r} is not true/false")


def parse_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [t for v in value if (t := text_of(v)) is not None]
    text = text_of(value)
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[;|]|,(?=\s*\S)", text) if part.strip()]


def parse_requirements(value: Any) -> list[dict[str, Any]]:
    """``M.1:3;T.2:2`` (or NDJSON ``[{"code": "M.1", "level": 3}]``) → [{code, level}]."""
    if value is None:
        return []
    if isinstance(value, list):
        items: list[dict[str, Any]] = []
        for item in value:
            if isinstance(item, dict):
                items.append(item)
            else:
                items.extend(parse_requirements(item))
        return items
    found = []
    for part in parse_list(value):
        code, sep, level = part.partition(":")
        if not sep:
            raise BadValue(f"{part!r} is not CODE:LEVEL (e.g. M.1:3)")
        found.append({"code": code.strip(), "level": parse_int(level)})
    return found


def nip_text(value: Any) -> str | None:
    """NIP/NIK cells: text; a number in a workbook has lost its last digits already."""
    if isinstance(value, float):
        raise BadValue(
            "a number, not text: a spreadsheet keeps only 15 digits of numbers; "
            "format the column as text"
        )
    return text_of(value)


# --- SIASN vocabularies -------------------------------------------------------------------


def siasn_value(vocabulary: str, value: Any) -> Any:
    """A SIASN value in our vocabulary (``imports.siasn.vocabulary``); unknown words pass
    through, so the schema (the API's rules) reports them with their row and column."""
    text = text_of(value)
    if text is None:
        return None
    decoded = decode(vocabulary, text)
    return text if decoded is None else decoded


def convert(column: Column, value: Any, *, siasn: bool) -> Any:
    """A raw cell as the value the API schema expects (may raise ``BadValue``)."""
    kind = (column.siasn_type or column.type) if siasn else column.type
    if kind == "text":
        return text_of(value)
    if kind == "nip":
        return nip_text(value)
    if kind == "date":
        return parse_date(value, day_first=siasn)
    if kind == "int":
        return parse_int(value)
    if kind == "decimal":
        return parse_decimal(value)
    if kind == "bool":
        return parse_bool(value)
    if kind == "list":
        return parse_list(value)
    if kind == "requirements":
        return parse_requirements(value)
    if siasn and kind in VOCABULARIES:
        return siasn_value(kind, value)
    return text_of(value)


def mask_nik(value: Any) -> str:
    text = text_of(value) or ""
    return "*" * max(0, len(text) - 4) + text[-4:]


def shown_value(field_name: str, value: Any, limit: int = 200) -> str | None:
    """A cell as reported in an error: NIK masked, long text cut."""
    if field_name == "nik":
        return mask_nik(value) if value not in (None, "") else None
    text = text_of(value) if not isinstance(value, (list, dict)) else str(value)
    if text is None:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def row_values(
    header_map: HeaderMap, values: list[Any] | Mapping[str, Any], header_lookup: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """Raw values by field for one row, and the NDJSON keys no field takes."""
    if isinstance(values, list):
        return {
            name: values[i] if i < len(values) else None
            for i, name in enumerate(header_map.fields)
            if name is not None
        }, []
    found: dict[str, Any] = {}
    extra: list[str] = []
    for key, value in values.items():
        target = header_lookup.get(normalise_header(key))
        if target is None:
            extra.append(key)
        else:
            found[target] = value
    return found, extra


def ndjson_lookup(kind: KindColumns, mapping: MappingName) -> dict[str, str]:
    return {key: target for key, (target, _) in _lookup(kind, mapping).items()}
