"""API shapes of the side-by-side career evaluation."""

from typing import Literal

from pydantic import BaseModel

from asn_career.talent.evaluation.schemas import CareerEvaluationOut

EvaluationReportFormat = Literal["json", "csv", "xlsx", "pdf"]

FILE_COLUMNS: tuple[str, ...] = (
    "agency_code", "agency_name", "year", "section", "aspect", "code", "name_id", "value",
    "previous_value", "trend_or_verdict",
)  # fmt: skip


class CareerEvaluationReportOut(BaseModel):
    year: int
    agencies: list[CareerEvaluationOut]
