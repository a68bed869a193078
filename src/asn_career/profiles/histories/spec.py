"""Import/export specs of an employee's histories (``core.spec``): education, assignments,
trainings, performance (SKP), competency assessments and sanctions.

Rows are validated with the API's schemas and the checks of ``profiles.histories.service``
that need no database; what needs the employee (birth date, TMT, agency) or other tables
is checked by the importer set-based, from the same rules (``imports.files.loading``).
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from asn_career.core.errors import ValidationProblem
from asn_career.core.spec import (
    PLACEHOLDER_ID,
    CellError,
    Column,
    KindSpec,
    OneOf,
    RowContext,
    RowInvalid,
    pick,
    problem_errors,
    required,
    validated,
)
from asn_career.profiles.histories import rules
from asn_career.profiles.histories.schemas import (
    AssignmentCreate,
    CompetencyAssessmentCreate,
    EducationCreate,
    PerformanceCreate,
    SanctionCreate,
    TrainingCreate,
)


def _dates_ordered(start: date, end: date | None, fields: dict[str, Any]) -> None:
    _as_row(fields, rules.check_date_order, start, end)


def _not_future(
    name: str, value: date | int | None, ctx: RowContext, fields: dict[str, Any]
) -> None:
    _as_row(fields, rules.check_not_future, name, value, ctx.today)


def _as_row(fields: dict[str, Any], check: Callable[..., None], *args: Any) -> None:
    """The API's own check, its 422 turned into the row's cell errors."""
    try:
        check(*args)
    except ValidationProblem as exc:
        raise RowInvalid(problem_errors(exc, fields)) from exc


def _education(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    nip = required(fields, "nip")
    data = pick(fields, "level", "field", "institution", "graduation_year")
    body: EducationCreate = validated(EducationCreate, data, fields)
    _not_future("graduation_year", body.graduation_year, ctx, fields)
    return {
        "nip": nip,
        "level_code": body.level,
        "field": body.field,
        "institution": body.institution,
        "graduation_year": body.graduation_year,
    }


def _assignment(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    nip = required(fields, "nip")
    data = pick(fields, "start_date", "end_date", "decree_number", "decree_date", "is_primary")
    body: AssignmentCreate = validated(
        AssignmentCreate, {**data, "position_id": PLACEHOLDER_ID}, fields
    )
    _dates_ordered(body.start_date, body.end_date, fields)
    _as_row(fields, rules.check_start_not_too_far_ahead, body.start_date, ctx.today)
    _not_future("decree_date", body.decree_date, ctx, fields)
    if not fields.get("position_title"):
        required(fields, "position_code")
    return {
        "nip": nip,
        "position_code": fields.get("position_code"),
        "position_title": fields.get("position_title"),
        "unit_name": fields.get("unit_name"),
        "start_date": body.start_date,
        "end_date": body.end_date,
        "decree_number": body.decree_number,
        "decree_date": body.decree_date,
        "is_primary": body.is_primary,
    }


def _training(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    nip = required(fields, "nip")
    data = pick(
        fields,
        "title",
        "hours_jp",
        "start_date",
        "end_date",
        "provider",
        "form",
        "competencies",
        "certificate_number",
    )
    if ctx.siasn:
        # SIASN courses often carry only the year and no form: 1 January, "training".
        year = fields.get("year")
        if "start_date" not in data and isinstance(year, int) and 1900 <= year <= 2200:
            data["start_date"] = date(year, 1, 1)
        data.setdefault("form", "training")
    body: TrainingCreate = validated(TrainingCreate, data, fields)
    _dates_ordered(body.start_date, body.end_date, fields)
    return {
        "nip": nip,
        "title": body.title,
        "hours_jp": body.hours_jp,
        "start_date": body.start_date,
        "end_date": body.end_date,
        "provider": body.provider,
        "form": body.form,
        "comp_codes": sorted(set(body.competencies)),
        "certificate_number": body.certificate_number,
    }


def _performance(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    nip = required(fields, "nip")
    data = pick(fields, "year", "period", "results", "behaviour", "score")
    if ctx.siasn:
        data.setdefault("period", "annual")  # SIASN's SKP is yearly
    body: PerformanceCreate = validated(PerformanceCreate, data, fields)
    _not_future("year", body.year, ctx, fields)
    predicate = rules.skp_predicate(body.results, body.behaviour)
    stated = fields.get("predicate")
    if stated is not None and stated != predicate:
        raise RowInvalid(
            [CellError("predicate", stated,
                       f"predicate {stated!r} disagrees with the matrix: results {body.results} "
                       f"and behaviour {body.behaviour} give {predicate}",
                       f"predikat {stated!r} tidak sesuai dengan matriks: hasil kerja "
                       f"{body.results} dan perilaku kerja {body.behaviour} memberi {predicate}")]
        )  # fmt: skip
    return {
        "nip": nip,
        "year": body.year,
        "period": body.period,
        "results": body.results,
        "behaviour": body.behaviour,
        "predicate": predicate,
        "score": body.score,
    }


def _assessment(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    nip = required(fields, "nip")
    data = pick(fields, "competency", "level", "source", "assessed_on", "notes")
    body: CompetencyAssessmentCreate = validated(CompetencyAssessmentCreate, data, fields)
    _not_future("assessed_on", body.assessed_on, ctx, fields)
    return {
        "nip": nip,
        "competency": body.competency,
        "level": body.level,
        "source": body.source,
        "assessed_on": body.assessed_on,
        "notes": body.notes,
    }


def _sanction(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    nip = required(fields, "nip")
    data = pick(fields, "severity", "kind", "decree_number", "start_date", "end_date", "reason")
    body: SanctionCreate = validated(SanctionCreate, data, fields)
    _dates_ordered(body.start_date, body.end_date, fields)
    return {
        "nip": nip,
        "severity": body.severity,
        "kind": body.kind,
        "decree_number": body.decree_number,
        "start_date": body.start_date,
        "end_date": body.end_date,
        "reason": body.reason,
    }


EDUCATION = KindSpec(
    kind="education",
    columns=(
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
    natural_key=("nip", "level", "field"),
    validate=_education,
    siasn_ignored=("nama",),
)

ASSIGNMENTS = KindSpec(
    kind="assignments",
    columns=(
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
    natural_key=("nip", "position_code", "start_date"),
    validate=_assignment,
    siasn_ignored=("nama", "jenisJabatan", "eselon", "unorIndukNama"),
    one_of=(
        OneOf(("position_code", "position_title"), siasn="namaJabatan", native="position_code"),
    ),
)

TRAININGS = KindSpec(
    kind="trainings",
    columns=(
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
    natural_key=("nip", "title", "start_date"),
    validate=_training,
    siasn_ignored=("nama",),
    siasn_required=("nip", "title", "hours_jp"),
    one_of=(OneOf(("start_date", "year"), siasn="tanggalKursus/tahunKursus"),),
)

PERFORMANCE = KindSpec(
    kind="performance",
    columns=(
        Column("nip", True, ("nipBaru",), "nip"),
        Column("year", True, ("tahun",), "int"),
        Column("period", True, ("periode",), siasn_type="period"),
        Column("results", True, ("hasilKinerjaNilai", "hasilKinerja"), siasn_type="expectation"),
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
    natural_key=("nip", "year", "period"),
    validate=_performance,
    siasn_ignored=("nama",),
    siasn_required=("nip", "year", "results", "behaviour"),
)

COMPETENCIES = KindSpec(
    kind="competencies",
    columns=(
        Column("nip", True, ("nipBaru",), "nip"),
        Column("competency", True, ("kodeKompetensi",)),
        Column("level", True, ("levelKompetensi", "nilaiKompetensi"), "int"),
        Column("source", True, ("sumberPenilaian",), siasn_type="source"),
        Column("assessed_on", True, ("tanggalPenilaian", "tglPenilaian"), "date"),
        Column("notes", False, ("keterangan",)),
    ),
    natural_key=("nip", "competency", "source", "assessed_on"),
    validate=_assessment,
    siasn_ignored=("nama",),
)

SANCTIONS = KindSpec(
    kind="sanctions",
    columns=(
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
    natural_key=("nip", "kind", "start_date"),
    validate=_sanction,
    siasn_ignored=("nama",),
)
