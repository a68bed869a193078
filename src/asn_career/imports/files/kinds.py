"""Row validation per import kind, with the API's own schemas and rules.

Each kind turns one row (values by field name, already converted from the file's format)
into a staging record — a tuple in the order of ``Kind.staging`` — or raises
``RowInvalid`` with every problem of the row. Checks that need the database (a unit code
exists, a NIP belongs to the agency, assignments do not overlap …) run later, set-based,
in SQL (``imports.loading``).
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from asn_career.core.errors import ValidationProblem
from asn_career.imports.files.mapping import KIND_COLUMNS, KindColumns
from asn_career.org.rules import position_shape_violations
from asn_career.org.schemas import PositionCreate, UnitCreate
from asn_career.profiles.employees.schemas import EmployeeCreate
from asn_career.profiles.employees.service import _check_rank, _nip_problem, _parse
from asn_career.profiles.histories import rules
from asn_career.profiles.histories.schemas import (
    AssignmentCreate,
    CompetencyAssessmentCreate,
    EducationCreate,
    PerformanceCreate,
    SanctionCreate,
    TrainingCreate,
)
from asn_career.profiles.nip import disagreements

_PLACEHOLDER_ID = uuid.UUID(int=0)


@dataclass(frozen=True)
class CellError:
    field: str | None  # the kind's field name; the file's header is looked up when reported
    value: Any
    message: str


class RowInvalid(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class RowContext:
    agency: str
    today: date
    siasn: bool


Validator = Callable[[dict[str, Any], RowContext], tuple[Any, ...]]


@dataclass(frozen=True)
class Kind:
    name: str
    columns: KindColumns
    staging: tuple[tuple[str, str], ...]
    """Staging-table columns after ``row_no`` and ``id``: (name, Postgres type)."""
    validate: Validator
    """Fields → the staging record without ``row_no`` and ``id``."""


def _schema(model: type[BaseModel], data: dict[str, Any], fields: Mapping[str, Any]) -> Any:
    """Validate with the API's schema; errors name the field and the raw value."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = [str(part) for part in err["loc"]]
            name = loc[0] if loc else None
            errors.append(CellError(name, fields.get(name or ""), _message(err["msg"], loc)))
        raise RowInvalid(errors) from exc


def _message(msg: str, loc: list[str]) -> str:
    return f"{msg} ({'.'.join(loc[1:])})" if len(loc) > 1 else msg


def _problem_errors(exc: ValidationProblem, fields: Mapping[str, Any]) -> list[CellError]:
    found = []
    for err in exc.errors or []:
        loc = err.get("loc") or []
        name = str(loc[-1]) if loc else None
        found.append(CellError(name, fields.get(name or ""), str(err.get("msg", exc.detail))))
    return found or [CellError(None, None, exc.detail or "invalid")]


def _pick(fields: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {name: fields[name] for name in names if fields.get(name) is not None}


def _dates_ordered(start: date | None, end: date | None, fields: Mapping[str, Any]) -> None:
    if start is not None and end is not None and end < start:
        raise RowInvalid(
            [
                CellError(
                    "end_date",
                    fields.get("end_date"),
                    f"end_date {end} is before start_date {start}.",
                )
            ]
        )


def _not_future(name: str, value: date | None, ctx: RowContext, fields: Mapping[str, Any]) -> None:
    if value is not None and value > ctx.today:
        raise RowInvalid([CellError(name, fields.get(name), f"{name} {value} is in the future.")])


# --- organisation -------------------------------------------------------------------------


def _unit(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    body: UnitCreate = _schema(UnitCreate, _pick(fields, "code", "name", "kind"), fields)
    return (body.code, body.name, body.kind.value, fields.get("parent_code"))


def _position(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    data = _pick(
        fields,
        "code",
        "title",
        "kind",
        "functional_level",
        "min_rank",
        "max_rank",
        "required_competencies",
        "preferred_education_fields",
        "is_shared",
    )
    body: PositionCreate = _schema(PositionCreate, {**data, "unit_id": _PLACEHOLDER_ID}, fields)
    level = body.functional_level.value if body.functional_level else None
    problems = position_shape_violations(body.kind.value, level, body.min_rank, body.max_rank)
    codes = [r.code for r in body.required_competencies]
    if len(set(codes)) != len(codes):
        raise RowInvalid(
            [CellError("required_competencies", fields.get("required_competencies"),
                       "competencies listed more than once")]
        )  # fmt: skip
    if problems:
        raise RowInvalid([CellError(p.field, fields.get(p.field), p.msg) for p in problems])
    if not fields.get("unit_code"):
        raise RowInvalid([CellError("unit_code", None, "unit_code is required")])
    return (
        body.code,
        body.title,
        fields["unit_code"],
        body.kind.value,
        level,
        body.min_rank,
        body.max_rank,
        fields.get("reports_to_code"),
        codes,
        [r.level for r in body.required_competencies],
        list(body.preferred_education_fields),
        body.is_shared,
    )


# --- employees ----------------------------------------------------------------------------


def _employee(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    data = _pick(
        fields,
        "nip",
        "name",
        "front_title",
        "back_title",
        "gender",
        "birth_date",
        "birth_place",
        "employment_type",
        "appointment_date",
        "rank",
        "status",
        "nik",
        "email",
    )
    body: EmployeeCreate = _schema(EmployeeCreate, {**data, "agency": ctx.agency}, fields)
    try:
        info = _parse(body.nip, body.employment_type)
        problems = disagreements(
            info,
            birth_date=body.birth_date,
            gender=body.gender,
            appointment_date=body.appointment_date,
        )
        if problems:
            raise _nip_problem(problems)
        _check_rank(body.rank, info.employment_type)
    except ValidationProblem as exc:
        raise RowInvalid(_problem_errors(exc, fields)) from exc
    return (
        body.nip,
        body.name,
        body.front_title,
        body.back_title,
        info.gender,
        info.birth_date,
        body.birth_place,
        info.employment_type,
        body.appointment_date or info.appointment_date,
        body.rank,
        body.status,
        fields.get("unit_code"),
        fields.get("unit_name"),
        body.nik,
        body.email,
    )


# --- histories ----------------------------------------------------------------------------


def _nip(fields: Mapping[str, Any]) -> str:
    nip = fields.get("nip")
    if not nip:
        raise RowInvalid([CellError("nip", None, "nip is required")])
    return str(nip)


def _education(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    nip = _nip(fields)
    body: EducationCreate = _schema(
        EducationCreate, _pick(fields, "level", "field", "institution", "graduation_year"), fields
    )
    if body.graduation_year is not None and body.graduation_year > ctx.today.year:
        raise RowInvalid(
            [CellError("graduation_year", fields.get("graduation_year"),
                       f"graduation_year {body.graduation_year} is in the future.")]
        )  # fmt: skip
    return (nip, body.level, body.field, body.institution, body.graduation_year)


def _assignment(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    nip = _nip(fields)
    data = _pick(fields, "start_date", "end_date", "decree_number", "decree_date", "is_primary")
    body: AssignmentCreate = _schema(
        AssignmentCreate, {**data, "position_id": _PLACEHOLDER_ID}, fields
    )
    _dates_ordered(body.start_date, body.end_date, fields)
    _not_future("decree_date", body.decree_date, ctx, fields)
    if not fields.get("position_code") and not fields.get("position_title"):
        raise RowInvalid([CellError("position_code", None, "position_code is required")])
    return (
        nip,
        fields.get("position_code"),
        fields.get("position_title"),
        fields.get("unit_name"),
        body.start_date,
        body.end_date,
        body.decree_number,
        body.decree_date,
        body.is_primary,
    )


def _training(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    nip = _nip(fields)
    data = _pick(
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
    body: TrainingCreate = _schema(TrainingCreate, data, fields)
    _dates_ordered(body.start_date, body.end_date, fields)
    return (
        nip,
        body.title,
        body.hours_jp,
        body.start_date,
        body.end_date,
        body.provider,
        body.form,
        sorted(set(body.competencies)),
        body.certificate_number,
    )


def _performance(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    nip = _nip(fields)
    data = _pick(fields, "year", "period", "results", "behaviour", "score")
    if ctx.siasn:
        data.setdefault("period", "annual")  # SIASN's SKP is yearly
    body: PerformanceCreate = _schema(PerformanceCreate, data, fields)
    if body.year > ctx.today.year:
        raise RowInvalid(
            [CellError("year", fields.get("year"), f"year {body.year} is in the future.")]
        )
    predicate = rules.skp_predicate(body.results, body.behaviour)
    stated = fields.get("predicate")
    if stated is not None and stated != predicate:
        raise RowInvalid(
            [CellError("predicate", stated,
                       f"predicate {stated!r} disagrees with the matrix: results {body.results} "
                       f"and behaviour {body.behaviour} give {predicate}")]
        )  # fmt: skip
    return (nip, body.year, body.period, body.results, body.behaviour, predicate, body.score)


def _assessment(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    nip = _nip(fields)
    data = _pick(fields, "competency", "level", "source", "assessed_on", "notes")
    body: CompetencyAssessmentCreate = _schema(CompetencyAssessmentCreate, data, fields)
    _not_future("assessed_on", body.assessed_on, ctx, fields)
    return (nip, body.competency, body.level, body.source, body.assessed_on, body.notes)


def _sanction(fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
    nip = _nip(fields)
    data = _pick(fields, "severity", "kind", "decree_number", "start_date", "end_date", "reason")
    body: SanctionCreate = _schema(SanctionCreate, data, fields)
    _dates_ordered(body.start_date, body.end_date, fields)
    return (
        nip,
        body.severity,
        body.kind,
        body.decree_number,
        body.start_date,
        body.end_date,
        body.reason,
    )


KINDS: dict[str, Kind] = {
    "units": Kind(
        "units",
        KIND_COLUMNS["units"],
        (("code", "text"), ("name", "text"), ("kind", "text"), ("parent_code", "text")),
        _unit,
    ),
    "positions": Kind(
        "positions",
        KIND_COLUMNS["positions"],
        (
            ("code", "text"),
            ("title", "text"),
            ("unit_code", "text"),
            ("kind", "text"),
            ("functional_level", "text"),
            ("min_rank", "text"),
            ("max_rank", "text"),
            ("reports_to_code", "text"),
            ("req_codes", "text[]"),
            ("req_levels", "int[]"),
            ("preferred_education_fields", "text[]"),
            ("is_shared", "boolean"),
        ),
        _position,
    ),
    "employees": Kind(
        "employees",
        KIND_COLUMNS["employees"],
        (
            ("nip", "text"),
            ("name", "text"),
            ("front_title", "text"),
            ("back_title", "text"),
            ("gender", "text"),
            ("birth_date", "date"),
            ("birth_place", "text"),
            ("employment_type", "text"),
            ("appointment_date", "date"),
            ("rank_code", "text"),
            ("status", "text"),
            ("unit_code", "text"),
            ("unit_name", "text"),
            ("nik", "text"),
            ("email", "text"),
        ),
        _employee,
    ),
    "education": Kind(
        "education",
        KIND_COLUMNS["education"],
        (
            ("nip", "text"),
            ("level_code", "text"),
            ("field", "text"),
            ("institution", "text"),
            ("graduation_year", "smallint"),
        ),
        _education,
    ),
    "assignments": Kind(
        "assignments",
        KIND_COLUMNS["assignments"],
        (
            ("nip", "text"),
            ("position_code", "text"),
            ("position_title", "text"),
            ("unit_name", "text"),
            ("start_date", "date"),
            ("end_date", "date"),
            ("decree_number", "text"),
            ("decree_date", "date"),
            ("is_primary", "boolean"),
        ),
        _assignment,
    ),
    "trainings": Kind(
        "trainings",
        KIND_COLUMNS["trainings"],
        (
            ("nip", "text"),
            ("title", "text"),
            ("hours_jp", "numeric"),
            ("start_date", "date"),
            ("end_date", "date"),
            ("provider", "text"),
            ("form", "text"),
            ("comp_codes", "text[]"),
            ("certificate_number", "text"),
        ),
        _training,
    ),
    "performance": Kind(
        "performance",
        KIND_COLUMNS["performance"],
        (
            ("nip", "text"),
            ("year", "smallint"),
            ("period", "text"),
            ("results", "text"),
            ("behaviour", "text"),
            ("predicate", "text"),
            ("score", "numeric"),
        ),
        _performance,
    ),
    "competencies": Kind(
        "competencies",
        KIND_COLUMNS["competencies"],
        (
            ("nip", "text"),
            ("competency", "text"),
            ("level", "smallint"),
            ("source", "text"),
            ("assessed_on", "date"),
            ("notes", "text"),
        ),
        _assessment,
    ),
    "sanctions": Kind(
        "sanctions",
        KIND_COLUMNS["sanctions"],
        (
            ("nip", "text"),
            ("severity", "text"),
            ("kind", "text"),
            ("decree_number", "text"),
            ("start_date", "date"),
            ("end_date", "date"),
            ("reason", "text"),
        ),
        _sanction,
    ),
}
