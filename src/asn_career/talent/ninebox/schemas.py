"""9-box responses: the agency view (counts, units, movement, employees), one employee's
box with both axes and their inputs, and the succession pool."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field

Year = Annotated[int, Query(ge=2000, le=2100, description="The SKP year.")]
BoxNumber = Annotated[int, Field(ge=1, le=9)]
Reason = Literal["no_position", "no_skp", "no_requirements", "no_potential_data"]


class TalentActionOut(BaseModel):
    en: str
    id: str


class BoxCountOut(BaseModel):
    box: int
    count: int
    action: TalentActionOut


class InsufficientCountOut(BaseModel):
    reason: Reason
    count: int
    en: str
    id: str


class UnitBoxesOut(BaseModel):
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    total: int
    boxes: dict[str, int] = Field(
        description='Count per box (`"1"`–`"9"`) and per reason of no box.'
    )


class MovementOut(BaseModel):
    from_box: str = Field(description="Last year's box, or `none` (no box last year).")
    to_box: str = Field(description="This year's box, or `none`.")
    count: int


class NineBoxEmployeeRow(BaseModel):
    nip: str
    name: str
    unit_id: uuid.UUID | None
    unit_name: str | None
    box: int | None
    insufficient_data: Reason | None = Field(description="Why there is no box.")
    performance: Literal["below", "as_expected", "above"] | None
    potential_band: Literal["low", "medium", "high"] | None
    potential: Decimal | None = Field(description="0–100, two decimals.")
    last_year_box: int | None


class NineBoxAgencyOut(BaseModel):
    agency_code: str
    year: int
    employees: int = Field(description="Employees still serving, with a box or not.")
    boxes: list[BoxCountOut] = Field(description="Boxes 9 down to 1, each with its action.")
    insufficient_data: list[InsufficientCountOut]
    units: list[UnitBoxesOut] = Field(description="Distribution per current unit.")
    movement: list[MovementOut] = Field(
        description="Transition matrix: last year's box → this year's, per employee."
    )
    items: list[NineBoxEmployeeRow] = Field(description="A page of employees, by NIP.")
    next_cursor: str | None = None


class PerformanceAxisOut(BaseModel):
    source: Literal["latest", "two_year_average"]
    predicate: str | None = Field(description="The year's annual SKP predicate.")
    previous_predicate: str | None = Field(description="The year before's (averaging only).")
    level: Decimal | None = Field(description="3 above, 2 as expected, 1 below; averaged.")
    axis: Literal["below", "as_expected", "above"] | None


class PotentialAxisOut(BaseModel):
    target_position_id: uuid.UUID | None = Field(
        description="The next-level position: the one the employee's position reports to, "
        "or the own position at the top of a line (or when the superior states no standard)."
    )
    target_position_title: str | None
    required_competencies: int
    competency_coverage: float | None = Field(
        description="Σ min(level, required) / Σ required over the assessed required "
        "competencies (calibrated sources, latest on or before the year's end), 0–1."
    )
    competency_assessed: int
    feedback_coverage: float | None = Field(
        description="The same over the latest published 360° report's calibrated means."
    )
    feedback_assessed: int
    feedback_published_at: datetime | None
    score: Decimal | None = Field(description="0–100: the weighted coverages.")
    band: Literal["low", "medium", "high"] | None


class EmployeeNineBoxOut(BaseModel):
    nip: str
    name: str
    year: int
    box: int | None
    insufficient_data: Reason | None
    reason_en: str | None
    reason_id: str | None
    action: TalentActionOut | None
    performance: PerformanceAxisOut
    potential: PotentialAxisOut
    last_year_box: int | None


class SuccessionCandidateOut(BaseModel):
    nip: str
    name: str
    box: int
    fit: float = Field(description="0–100: the rotation fit for the position.")
    position_id: uuid.UUID | None = Field(description="The candidate's current position.")
    position_title: str | None
    rank_in_range: bool


class SuccessionPositionOut(BaseModel):
    position_id: uuid.UUID
    code: str
    title: str
    kind: str
    unit_name: str
    holder_nip: str | None
    why: Literal["vacant", "near_retirement", "asked"] = Field(
        description="Why the position needs successors: `vacant`, its holder reaches "
        "retirement age within 24 months (`near_retirement`), or named by `position_id`."
    )
    candidates: list[SuccessionCandidateOut] = Field(
        description="Boxes 7–9 of the agency, by fit (best 10)."
    )


class SuccessionOut(BaseModel):
    agency_code: str
    year: int
    items: list[SuccessionPositionOut]
    next_cursor: str | None = None
