"""Import/export spec of the course catalogue (``core.spec``): kind ``training_courses``.

Rows are validated with the API's schema (``CourseCreate``) and the pure rules of
``training.rules`` (batch sizes, schedule, a competency listed once); the ranks and the
competencies, which need the database, are checked by the importer set-based
(``imports.files.loading.CourseSpec``). Competencies are written ``CODE:LEVEL`` (the level
the course lifts to), ``M.1:4;T.2:3``; position kinds as a list, ``pelaksana;fungsional``.
"""

from typing import Any

from asn_career.core.spec import (
    CellError,
    Column,
    KindSpec,
    RowContext,
    RowInvalid,
    pick,
    validated,
)
from asn_career.training.courses.schemas import CourseCreate
from asn_career.training.rules import course_shape_problems, repeated

FIELDS = (
    "code", "title", "description", "form", "provider", "hours_jp", "cost_per_participant",
    "fixed_cost_per_batch", "min_participants", "max_participants", "starts_on", "ends_on",
    "eligible_position_kinds", "min_rank", "max_rank", "reassess_on_completion", "active",
)  # fmt: skip


def _course(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    data = pick(fields, *FIELDS)
    levels = fields.get("competencies") or []
    data["competencies"] = [
        {"code": item.get("code"), "target_level": item.get("level")} for item in levels
    ]
    body: CourseCreate = validated(CourseCreate, {**data, "agency_code": ctx.agency}, fields)
    problems = [
        CellError(p.field, fields.get(p.field), p.msg, p.msg_id)
        for p in course_shape_problems(
            body.min_participants, body.max_participants, body.starts_on, body.ends_on
        )
    ]
    codes = [c.code for c in body.competencies]
    problems += [
        CellError(
            "competencies",
            fields.get("competencies"),
            f"competency {code} is listed more than once",
            f"kompetensi {code} tercantum lebih dari sekali",
        )
        for code in repeated(codes)
    ]
    if problems:
        raise RowInvalid(problems)
    return {
        "code": body.code,
        "title": body.title,
        "description": body.description,
        "form": body.form,
        "provider": body.provider,
        "hours_jp": body.hours_jp,
        "cost_per_participant": body.cost_per_participant,
        "fixed_cost_per_batch": body.fixed_cost_per_batch,
        "min_participants": body.min_participants,
        "max_participants": body.max_participants,
        "starts_on": body.starts_on,
        "ends_on": body.ends_on,
        "eligible_position_kinds": [str(k) for k in body.eligible_position_kinds],
        "min_rank": body.min_rank,
        "max_rank": body.max_rank,
        "comp_codes": codes,
        "comp_levels": [c.target_level for c in body.competencies],
        "reassess_on_completion": body.reassess_on_completion,
        "active": body.active,
    }


COURSES = KindSpec(
    kind="training_courses",
    columns=(
        Column("code", True),
        Column("title", True),
        Column("description", False),
        Column("form", True, (), siasn_type="training_form"),
        Column("provider", False),
        Column("hours_jp", True, (), "decimal"),
        Column("cost_per_participant", False, (), "decimal"),
        Column("fixed_cost_per_batch", False, (), "decimal"),
        Column("min_participants", False, (), "int"),
        Column("max_participants", False, (), "int"),
        Column("starts_on", False, (), "date"),
        Column("ends_on", False, (), "date"),
        Column("eligible_position_kinds", False, (), "list"),
        Column("min_rank", False, (), siasn_type="rank"),
        Column("max_rank", False, (), siasn_type="rank"),
        Column("competencies", False, (), "requirements"),
        Column("reassess_on_completion", False, (), "bool"),
        Column("active", False, (), "bool"),
    ),
    natural_key=("code",),
    validate=_course,
)
