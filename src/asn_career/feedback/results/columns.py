"""What a results file holds and how it is asked for. Pure: no I/O.

One row per subject × dimension × rater group, flattened from the frozen report
(``reports.schemas.ReportOut``): who (NIP, name, unit and position as published), which
dimension, which group, and that group's figures. A suppressed group's row is there, with
``suppressed`` = ``true`` and its figures blank. Nothing else of the report is exported: not
its items, not its comments.
"""

from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel, TypeAdapter

from asn_career.core.sheets import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from asn_career.feedback.reports.schemas import GroupFigure, ReportSubject


class ResultsFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES: Final[dict[ResultsFormat, str]] = {
    ResultsFormat.CSV: CSV_MEDIA_TYPE,
    ResultsFormat.XLSX: XLSX_MEDIA_TYPE,
}

COLUMNS: Final = (
    "nip",
    "name",
    "unit_name",
    "position_title",
    "dimension_kind",
    "dimension_code",
    "dimension_name_id",
    "dimension_name_en",
    "group",
    "suppressed",
    "n",
    "mean",
    "sd",
    "calibrated_mean",
)
FIGURES: Final = ("n", "mean", "sd", "calibrated_mean")


class ExportedDimension(BaseModel):
    """The part of ``reports.schemas.DimensionResult`` a results row needs; the rest of a
    stored dimension (its items, the gap, agreement) is not read."""

    kind: str
    code: str
    name_id: str
    name_en: str
    groups: list[GroupFigure]


DIMENSIONS: Final = TypeAdapter(list[ExportedDimension])


def result_rows(subject: Any, dimensions: Any) -> list[tuple[Any, ...]]:
    """A stored report's ``subject`` and ``dimensions`` (JSON) as rows of ``COLUMNS``. A
    suppressed group's figures are blank whatever the stored report holds."""
    who = ReportSubject.model_validate(subject)
    rows = []
    for dimension in DIMENSIONS.validate_python(dimensions):
        for figure in dimension.groups:
            shown = not figure.suppressed
            rows.append(
                (
                    who.nip,
                    who.name,
                    who.unit_name,
                    who.position_title,
                    dimension.kind,
                    dimension.code,
                    dimension.name_id,
                    dimension.name_en,
                    figure.group,
                    figure.suppressed,
                    figure.n if shown else None,
                    figure.mean if shown else None,
                    figure.sd if shown else None,
                    figure.calibrated_mean if shown else None,
                )
            )
    return rows


def chosen_format(requested: ResultsFormat | None, accept: str | None) -> ResultsFormat:
    """``?format=`` when given; otherwise the ``Accept`` header's preferred type of the
    two (by q-value; CSV on a tie, for a missing header, and for anything else)."""
    if requested is not None:
        return requested
    if not accept:
        return ResultsFormat.CSV
    weights = {fmt: _weight(accept, MEDIA_TYPES[fmt].split(";")[0]) for fmt in ResultsFormat}
    if weights[ResultsFormat.XLSX] > weights[ResultsFormat.CSV]:
        return ResultsFormat.XLSX
    return ResultsFormat.CSV


def _weight(accept: str, media_type: str) -> float:
    """The q-value ``accept`` gives ``media_type``: its most specific matching range."""
    kind = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        pattern = fields[0].lower()
        if pattern == media_type:
            specificity = 2
        elif pattern == f"{kind}/*":
            specificity = 1
        elif pattern == "*/*":
            specificity = 0
        else:
            continue
        q = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        if specificity > best[0]:
            best = (specificity, q)
    return best[1]


def filename(agency: str, cycle_id: object, fmt: ResultsFormat) -> str:
    """``feedback-results-36.74-<cycle id>.csv``."""
    return f"feedback-results-{agency}-{cycle_id}.{fmt.value}"
