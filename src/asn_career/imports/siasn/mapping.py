"""SIASN payloads → our profile schemas. Pure functions, no I/O.

SIASN (BKN) answers in its own names and formats: dates as ``dd-mm-yyyy``, ranks as
``III/a``, education levels as ``S-1/Sarjana``, SKP ratings as 1 (above) / 2 (as
expected) / 3 (below expectation). Its codes are decoded by ``imports.siasn.vocabulary``,
the one vocabulary file imports use too; a code it does not know is a
``SiasnMappingError``. Every mapped record is validated by the same Pydantic
schema the API uses (``EmployeeCreate``, ``EducationCreate``, ``TrainingCreate``,
``PerformanceCreate``, ``AssignmentCreate``); the services then apply the same rules (NIP
agreement, rank scale, overlaps) when the sync writes them. A record that cannot be mapped
is reported as a ``MappingProblem`` with where and why, never silently dropped.

Keys are matched case-insensitively (SIASN itself mixes ``perilakuKerjaNilai`` and
``PerilakuKerjaNilai``).
"""

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from asn_career.imports.siasn.vocabulary import decode
from asn_career.profiles.employees.schemas import EmployeeCreate, EmployeeUpdate
from asn_career.profiles.histories.rules import skp_predicate
from asn_career.profiles.histories.schemas import (
    AssignmentCreate,
    EducationCreate,
    PerformanceCreate,
    TrainingCreate,
)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Payload = Mapping[str, Any]


class SiasnMappingError(ValueError):
    """A value SIASN sent that we cannot read (e.g. a date that is not a date)."""

    def __init__(self, field: str, value: Any, message: str) -> None:
        super().__init__(f"{field}: {message} ({value!r})")
        self.field = field
        self.value = value
        self.message = message


@dataclass(frozen=True)
class MappingProblem:
    source: str
    index: int | None
    field: str
    message: str


@dataclass
class Mapped(Generic[T]):
    items: list[T] = field(default_factory=list)
    problems: list[MappingProblem] = field(default_factory=list)


# --- reading values ----------------------------------------------------------------------


def value(row: Payload, *names: str) -> Any:
    """The first present, non-empty value among ``names``, keys compared case-insensitively."""
    lowered = {str(k).lower(): v for k, v in row.items()}
    for name in names:
        found = lowered.get(name.lower())
        if isinstance(found, str):
            found = found.strip()
            if found in ("", "-", "null"):
                continue
        if found is not None:
            return found
    return None


def text(row: Payload, *names: str) -> str | None:
    found = value(row, *names)
    return None if found is None else str(found)


_DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_date(raw: Any, field_name: str = "date") -> date | None:
    """SIASN dates: ``dd-mm-yyyy`` (also ISO and ``dd/mm/yyyy``); empty → None."""
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    candidate = str(raw).strip()
    if not candidate:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate[:19], pattern).date()
        except ValueError:
            continue
    raise SiasnMappingError(field_name, raw, "not a date (dd-mm-yyyy)")


def _int(raw: Any, field_name: str) -> int | None:
    if raw is None:
        return None
    try:
        return int(str(raw).strip().split(".")[0])
    except ValueError as exc:
        raise SiasnMappingError(field_name, raw, "not a whole number") from exc


# --- codes (``imports.siasn.vocabulary``, shared with file imports) -----------------------


def _code(vocabulary: str, field_name: str, raw: Any, message: str) -> str | None:
    """Our value for a SIASN code; absent → None; unknown → ``SiasnMappingError``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    decoded = decode(vocabulary, raw)
    if decoded is None:
        raise SiasnMappingError(field_name, raw, message)
    return decoded


def gender(raw: str | None) -> str | None:
    return _code("gender", "jenisKelamin", raw, "unknown gender")


def employment_type(raw: str | None) -> str | None:
    """``jenisPegawaiNama``: PNS/CPNS daerah/pusat → pns; PPPK → pppk."""
    return _code("employment_type", "jenisPegawaiNama", raw, "unknown employee kind")


def rank(raw: str | None) -> str | None:
    """``golRuangAkhir`` → ``III/a`` (PNS) or ``IX`` (PPPK, also written ``9``)."""
    return _code("rank", "golRuangAkhir", raw, "unknown rank")


def status(raw: str | None) -> str | None:
    """``kedudukanPnsNama`` → our status; absent → None (keep ours)."""
    return _code("status", "kedudukanPnsNama", raw, "unknown kedudukan hukum")


def education_level(raw: str | None) -> str | None:
    """``tkPendidikanNama`` (``S-1/Sarjana``, ``D-III``, ``SLTA``) → ``S1``, ``D3``, ``SMA``."""
    return _code("education_level", "tkPendidikanNama", raw, "unknown education level")


def training_form(raw: str | None) -> str:
    """``jenisKursusNama``: SIASN's course type is optional free text; what names no form
    of ours is a training."""
    return decode("training_form", raw) or "training"


def expectation(raw: Any, field_name: str) -> str:
    """An SKP rating: 1 di atas, 2 sesuai, 3 di bawah ekspektasi (``perilakuDanKinerja``)."""
    found = _code("expectation", field_name, raw, "rating is not 1, 2 or 3")
    if found is None:
        raise SiasnMappingError(field_name, raw, "missing rating")
    return found


# --- validation --------------------------------------------------------------------------


def _validated(
    schema: type[M], values: dict[str, Any], source: str, index: int | None, out: Mapped[M]
) -> None:
    try:
        out.items.append(schema.model_validate(values))
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(part) for part in err["loc"]) or source
            out.problems.append(MappingProblem(source, index, loc, err["msg"]))


def _problem(out: Mapped[Any], source: str, index: int | None, exc: SiasnMappingError) -> None:
    out.problems.append(MappingProblem(source, index, exc.field, f"{exc.message}: {exc.value!r}"))


def unwrap(body: Any) -> Any:
    """The ``data`` of SIASN's envelope ``{"code": 1, "data": …}`` (a bare payload passes)."""
    if isinstance(body, Mapping) and "data" in body and "code" in body:
        return body["data"]
    return body


# --- data-utama → employee ---------------------------------------------------------------


@dataclass(frozen=True)
class EmployeeFromSiasn:
    """The profile as SIASN has it, plus what our side must resolve (unit, position)."""

    create: EmployeeCreate
    unit_name: str | None
    position_title: str | None
    position_start: date | None
    siasn_id: str | None


def _employee_values(data: Payload, agency: str) -> dict[str, Any]:
    nip = text(data, "nipBaru", "nip")
    kind = employment_type(text(data, "jenisPegawaiNama", "jenisPegawai"))
    appointment = parse_date(value(data, "tmtCpns"), "tmtCpns")
    if kind == "pppk":
        appointment = parse_date(value(data, "tmtPppk", "tmtCpns"), "tmtPppk")
    values: dict[str, Any] = {
        "nip": nip,
        "name": text(data, "nama"),
        "front_title": text(data, "gelarDepan"),
        "back_title": text(data, "gelarBelakang"),
        "gender": gender(text(data, "jenisKelamin")),
        "birth_date": parse_date(value(data, "tglLahir"), "tglLahir"),
        "birth_place": text(data, "tempatLahir"),
        "employment_type": kind,
        "appointment_date": appointment,
        "rank": rank(text(data, "golRuangAkhir")),
        "status": status(text(data, "kedudukanPnsNama", "kedudukanHukumNama")),
        "agency": agency,
        "email": text(data, "emailGov", "email"),
    }
    nik = text(data, "nik")
    if nik is not None and re.fullmatch(r"[0-9]{16}", nik):
        values["nik"] = nik
    return {k: v for k, v in values.items() if v is not None}


def employee_from_data_utama(body: Any, agency: str) -> EmployeeFromSiasn:
    """Map ``/pns/data-utama/{nip}``; raises ``SiasnMappingError`` / ``ValidationError``
    when the record cannot become a valid ``EmployeeCreate``."""
    data = unwrap(body)
    if not isinstance(data, Mapping):
        raise SiasnMappingError("data", data, "data-utama is not an object")
    create = EmployeeCreate.model_validate(_employee_values(data, agency))
    return EmployeeFromSiasn(
        create=create,
        unit_name=text(data, "unorNama"),
        position_title=text(data, "jabatanNama"),
        position_start=parse_date(value(data, "tmtJabatan"), "tmtJabatan"),
        siasn_id=text(data, "id"),
    )


_UPDATABLE = (
    "name",
    "front_title",
    "back_title",
    "birth_place",
    "rank",
    "status",
    "email",
    "nik",
)


def employee_update(create: EmployeeCreate, unit_id: uuid.UUID | None = None) -> EmployeeUpdate:
    """What a sync may change on an existing employee: the fields SIASN sent (the NIP,
    agency and the NIP-derived dates stay ours)."""
    values = {name: getattr(create, name) for name in _UPDATABLE if name in create.model_fields_set}
    if unit_id is not None:
        values["unit_id"] = unit_id
    return EmployeeUpdate.model_validate(values)


# --- histories ---------------------------------------------------------------------------


def _rows(body: Any) -> list[Payload]:
    data = unwrap(body)
    if data is None or isinstance(data, str):  # "Data tidak ditemukan"
        return []
    if isinstance(data, Mapping):
        data = [data]
    return [row for row in data if isinstance(row, Mapping)]


def education(body: Any) -> Mapped[EducationCreate]:
    """``/pns/rw-pendidikan/{nip}``: ``tkPendidikanNama``, ``pendidikanNama``,
    ``tahunLulus``, ``namaSekolah``."""
    out: Mapped[EducationCreate] = Mapped()
    for index, row in enumerate(_rows(body)):
        try:
            values = {
                "level": education_level(text(row, "tkPendidikanNama", "tkPendidikanTerakhir")),
                "field": text(row, "pendidikanNama", "pendidikanTerakhirNama"),
                "institution": text(row, "namaSekolah", "namaSekolahPendidikan"),
                "graduation_year": _int(value(row, "tahunLulus"), "tahunLulus"),
            }
        except SiasnMappingError as exc:
            _problem(out, "rw-pendidikan", index, exc)
            continue
        _validated(EducationCreate, values, "rw-pendidikan", index, out)
    return out


def _hours(raw: Any, field_name: str) -> Decimal | None:
    if raw is None:
        return None
    try:
        return Decimal(str(raw).replace(",", "."))
    except InvalidOperation as exc:
        raise SiasnMappingError(field_name, raw, "not a number of hours") from exc


def _training(row: Payload, source: str) -> dict[str, Any]:
    year = _int(value(row, "tahunKursus", "tahun", "tahunDiklat"), "tahunKursus")
    start = parse_date(value(row, "tanggalKursus", "tanggalMulai", "tglMulai"), "tanggalKursus")
    if start is None and year is not None:
        start = date(year, 1, 1)
    end = parse_date(
        value(row, "tanggalSelesaiKursus", "tanggalSelesai", "tglSelesai"), "tanggalSelesai"
    )
    return {
        "title": text(row, "namaKursus", "namaDiklat", "latihanStrukturalNama", "diklatNama"),
        "hours_jp": _hours(value(row, "jumlahJam", "jumlahJp"), "jumlahJam"),
        "start_date": start,
        "end_date": end,
        "provider": text(row, "institusiPenyelenggara", "penyelenggara"),
        "form": training_form(text(row, "jenisKursusNama", "jenisDiklatNama", "jenisKursus")),
        "certificate_number": text(row, "noSertipikat", "noSertifikat", "nomor"),
    }


def trainings(kursus: Any, diklat: Any = None) -> Mapped[TrainingCreate]:
    """``/pns/rw-kursus/{nip}`` (``namaKursus``, ``jumlahJam``, ``tahunKursus``,
    ``institusiPenyelenggara``) and ``/pns/rw-diklat/{nip}`` (structural training)."""
    out: Mapped[TrainingCreate] = Mapped()
    for source, body in (("rw-kursus", kursus), ("rw-diklat", diklat)):
        for index, row in enumerate(_rows(body)):
            try:
                values = _training(row, source)
            except SiasnMappingError as exc:
                _problem(out, source, index, exc)
                continue
            _validated(TrainingCreate, values, source, index, out)
    return out


@dataclass(frozen=True)
class PerformanceFromSiasn:
    create: PerformanceCreate
    siasn_quadrant: str | None
    """SIASN's own predicate (``kuadranKinerja``), kept to compare with ours."""

    @property
    def agrees(self) -> bool:
        if self.siasn_quadrant is None:
            return True
        ours = skp_predicate(self.create.results, self.create.behaviour)
        return decode("predicate", self.siasn_quadrant) == ours


def performance(body: Any) -> Mapped[PerformanceFromSiasn]:
    """``/pns/rw-skp/{nip}`` (SKP under PermenPANRB 6/2022): ``tahun``,
    ``hasilKinerjaNilai``, ``perilakuKerjaNilai`` (1 above, 2 as expected, 3 below); the
    predicate is derived by our matrix and compared with SIASN's ``kuadranKinerja``."""
    out: Mapped[PerformanceFromSiasn] = Mapped()
    for index, row in enumerate(_rows(body)):
        try:
            values = {
                "year": _int(value(row, "tahun"), "tahun"),
                "period": "annual",
                "results": expectation(
                    value(row, "hasilKinerjaNilai", "hasilKinerja"), "hasilKinerjaNilai"
                ),
                "behaviour": expectation(
                    value(row, "perilakuKerjaNilai", "perilakuKerja"), "perilakuKerjaNilai"
                ),
            }
        except SiasnMappingError as exc:
            _problem(out, "rw-skp", index, exc)
            continue
        checked: Mapped[PerformanceCreate] = Mapped()
        _validated(PerformanceCreate, values, "rw-skp", index, checked)
        out.problems.extend(checked.problems)
        for create in checked.items:
            out.items.append(PerformanceFromSiasn(create, text(row, "kuadranKinerja")))
    return out


@dataclass(frozen=True)
class AssignmentDraft:
    """A position-history row before our side resolves the position: SIASN knows the
    title and unit by name only. ``end_date`` is the day before the next one starts."""

    index: int
    position_title: str
    unit_name: str | None
    start_date: date
    end_date: date | None
    decree_number: str | None
    decree_date: date | None

    def create(self, position_id: uuid.UUID) -> AssignmentCreate:
        return AssignmentCreate(
            position_id=position_id,
            start_date=self.start_date,
            end_date=self.end_date,
            decree_number=self.decree_number,
            decree_date=self.decree_date,
            is_primary=True,
        )


def assignments(body: Any) -> tuple[list[AssignmentDraft], list[MappingProblem]]:
    """``/pns/rw-jabatan/{nip}`` (``namaJabatan``, ``unorNama``, ``tmtJabatan``,
    ``nomorSk``, ``tanggalSk``) as a chain of primary assignments: each ends the day
    before the next starts, the latest stays open (our rules: no overlapping primaries,
    one open primary)."""
    problems: list[MappingProblem] = []
    rows: list[tuple[int, Payload, date]] = []
    for index, row in enumerate(_rows(body)):
        try:
            start = parse_date(value(row, "tmtJabatan"), "tmtJabatan")
            if start is None:
                raise SiasnMappingError("tmtJabatan", None, "missing start (TMT jabatan)")
            title = text(
                row,
                "namaJabatan",
                "jabatanFungsionalNama",
                "jabatanFungsionalUmumNama",
                "jabatanStrukturalNama",
                "jabatanNama",
            )
            if title is None:
                raise SiasnMappingError("namaJabatan", None, "missing position title")
        except SiasnMappingError as exc:
            problems.append(
                MappingProblem("rw-jabatan", index, exc.field, f"{exc.message}: {exc.value!r}")
            )
            continue
        rows.append((index, row, start))
    rows.sort(key=lambda item: item[2])
    drafts: list[AssignmentDraft] = []
    for position, (index, row, start) in enumerate(rows):
        following = rows[position + 1][2] if position + 1 < len(rows) else None
        if following == start:
            problems.append(
                MappingProblem("rw-jabatan", index, "tmtJabatan", f"two positions start on {start}")
            )
            continue
        try:
            decree_date = parse_date(value(row, "tanggalSk"), "tanggalSk")
        except SiasnMappingError as exc:
            problems.append(
                MappingProblem("rw-jabatan", index, exc.field, f"{exc.message}: {exc.value!r}")
            )
            decree_date = None
        drafts.append(
            AssignmentDraft(
                index=index,
                position_title=str(
                    text(
                        row,
                        "namaJabatan",
                        "jabatanFungsionalNama",
                        "jabatanFungsionalUmumNama",
                        "jabatanStrukturalNama",
                        "jabatanNama",
                    )
                ),
                unit_name=text(row, "unorNama"),
                start_date=start,
                end_date=following - timedelta(days=1) if following else None,
                decree_number=text(row, "nomorSk"),
                decree_date=decree_date,
            )
        )
    return drafts, problems


def describe(problems: Sequence[MappingProblem]) -> list[dict[str, Any]]:
    return [
        {"source": p.source, "index": p.index, "field": p.field, "message": p.message}
        for p in problems
    ]
