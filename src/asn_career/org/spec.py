"""Import/export specs of the organisation: units and positions (``core.spec``).

Rows are validated with the API's schemas and ``org.rules``; codes of units, positions and
competencies are resolved by the importer in the database.
"""

from typing import Any

from asn_career.core.spec import (
    PLACEHOLDER_ID,
    CellError,
    Column,
    KindSpec,
    RowContext,
    RowInvalid,
    pick,
    required,
    validated,
)
from asn_career.org.rules import duplicate_requirement_violation, position_shape_violations
from asn_career.org.schemas import PositionCreate, UnitCreate


def _unit(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    body: UnitCreate = validated(UnitCreate, pick(fields, "code", "name", "kind"), fields)
    return {
        "code": body.code,
        "name": body.name,
        "kind": body.kind.value,
        "parent_code": fields.get("parent_code"),
    }


def _position(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    data = pick(
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
    body: PositionCreate = validated(PositionCreate, {**data, "unit_id": PLACEHOLDER_ID}, fields)
    level = body.functional_level.value if body.functional_level else None
    codes = [r.code for r in body.required_competencies]
    problems = position_shape_violations(body.kind.value, level, body.min_rank, body.max_rank)
    if not problems and (duplicate := duplicate_requirement_violation(codes)):
        problems = [duplicate]  # after the shape, as the API checks them
    if problems:
        raise RowInvalid(
            [CellError(p.field, fields.get(p.field), p.msg, p.msg_id) for p in problems]
        )
    return {
        "code": body.code,
        "title": body.title,
        "unit_code": required(fields, "unit_code"),
        "kind": body.kind.value,
        "functional_level": level,
        "min_rank": body.min_rank,
        "max_rank": body.max_rank,
        "reports_to_code": fields.get("reports_to_code"),
        "req_codes": codes,
        "req_levels": [r.level for r in body.required_competencies],
        "preferred_education_fields": list(body.preferred_education_fields),
        "is_shared": body.is_shared,
    }


UNITS = KindSpec(
    kind="units",
    columns=(
        Column("code", True, ("kodeUnor", "unorKode")),
        Column("name", True, ("unorNama", "namaUnor")),
        Column("kind", True, ("jenisUnor",), siasn_type="unit_kind"),
        Column("parent_code", False, ("kodeUnorAtasan", "unorAtasanKode")),
    ),
    natural_key=("code",),
    validate=_unit,
)

POSITIONS = KindSpec(
    kind="positions",
    columns=(
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
    natural_key=("code",),
    validate=_position,
)
