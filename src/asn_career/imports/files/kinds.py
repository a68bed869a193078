"""The importer's staging layout per kind, around each domain's own row validation.

A kind's spec (``core.spec.KindSpec``, declared by its domain beside its rules) turns one
row — values by field name, already converted from the file's format — into a record, or
raises ``RowInvalid`` with every problem of the row. Here the record becomes a staging
tuple in the order of ``Kind.staging``. Checks that need the database (a unit code exists,
a NIP belongs to the agency, assignments do not overlap …) run later, set-based, in SQL
(``imports.files.loading``).
"""

from dataclasses import dataclass
from typing import Any

from asn_career.core.spec import CellError, KindSpec, RowContext, RowInvalid
from asn_career.imports.files.mapping import KIND_COLUMNS

__all__ = ["KINDS", "CellError", "Kind", "RowContext", "RowInvalid"]


@dataclass(frozen=True)
class Kind:
    name: str
    columns: KindSpec
    staging: tuple[tuple[str, str], ...]
    """Staging-table columns after ``row_no`` and ``id``: (name, Postgres type), named as
    the keys of the spec's records."""

    def validate(self, fields: dict[str, Any], ctx: RowContext) -> tuple[Any, ...]:
        """Fields → the staging record without ``row_no`` and ``id``."""
        record = self.columns.validate(fields, ctx)
        return tuple(record[name] for name, _ in self.staging)


KINDS: dict[str, Kind] = {
    "units": Kind(
        "units",
        KIND_COLUMNS["units"],
        (("code", "text"), ("name", "text"), ("kind", "text"), ("parent_code", "text")),
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
    ),
    "training_courses": Kind(
        "training_courses",
        KIND_COLUMNS["training_courses"],
        (
            ("code", "text"),
            ("title", "text"),
            ("description", "text"),
            ("form", "text"),
            ("provider", "text"),
            ("hours_jp", "numeric"),
            ("cost_per_participant", "numeric"),
            ("fixed_cost_per_batch", "numeric"),
            ("min_participants", "smallint"),
            ("max_participants", "smallint"),
            ("starts_on", "date"),
            ("ends_on", "date"),
            ("eligible_position_kinds", "text[]"),
            ("min_rank", "text"),
            ("max_rank", "text"),
            ("comp_codes", "text[]"),
            ("comp_levels", "int[]"),
            ("reassess_on_completion", "boolean"),
            ("active", "boolean"),
        ),
    ),
}
