"""What an export holds: the kinds and their columns, in the ``native`` import mapping.

The columns are each domain's import spec (``org.spec``, ``profiles.*.spec``, assembled in
``imports.files.mapping.KIND_COLUMNS``): the API's field names
with natural keys in place of ids (``nip``, ``unit_code``, ``position_code``,
``parent_code``, ``reports_to_code``, competency codes), so a file exported here imports
again unchanged. Pure: no I/O.

Cells follow ``core.sheets`` (dates ``YYYY-MM-DD``, booleans ``true``/``false``, lists
joined with ``;``: ``competencies`` = ``M.1;T.2``, ``preferred_education_fields`` =
``Ilmu Hukum;Manajemen``, required competencies as ``CODE:LEVEL``: ``M.1:3;M.2:4``; empty
cell = no value), which the importer reads (``imports.mapping.convert``).
"""

from datetime import date
from enum import StrEnum

from asn_career.core.sheets import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from asn_career.imports.files.mapping import KIND_COLUMNS


class ExportKind(StrEnum):
    EMPLOYEES = "employees"
    UNITS = "units"
    POSITIONS = "positions"
    EDUCATION = "education"
    ASSIGNMENTS = "assignments"
    TRAININGS = "trainings"
    PERFORMANCE = "performance"
    COMPETENCIES = "competencies"
    SANCTIONS = "sanctions"
    TRAINING_COURSES = "training_courses"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES: dict[ExportFormat, str] = {
    ExportFormat.CSV: CSV_MEDIA_TYPE,
    ExportFormat.XLSX: XLSX_MEDIA_TYPE,
}

IMPORT_ONLY: dict[ExportKind, frozenset[str]] = {
    ExportKind.EMPLOYEES: frozenset({"unit_name"}),
    ExportKind.ASSIGNMENTS: frozenset({"position_title", "unit_name"}),
    ExportKind.TRAININGS: frozenset({"year"}),
}
"""Importer fields that only stand in for another (SIASN's unit or position names instead
of codes, a course's year instead of its start date): an export writes the real one."""

NATIVE_COLUMNS: dict[ExportKind, tuple[str, ...]] = {
    kind: tuple(
        column.name
        for column in KIND_COLUMNS[kind.value].columns
        if column.name not in IMPORT_ONLY.get(kind, frozenset())
    )
    for kind in ExportKind
}
"""The ``native`` columns of each kind's spec (``imports.files.mapping.KIND_COLUMNS``), so
export and import cannot drift apart."""

AGENCY_COLUMN = "agency"
"""Added first when an admin exports every agency at once, so each row says whose it is
(imports take the agency as a parameter, one agency per file)."""


def filename(kind: ExportKind, agency: str | None, fmt: ExportFormat, today: date) -> str:
    """``employees-36.74-2026-11-23.csv``; ``all`` when every agency is exported."""
    return f"{kind.value}-{agency or 'all'}-{today.isoformat()}.{fmt.value}"
