"""API shapes of the yearly 20 JP compliance."""

import uuid
from typing import Final

from pydantic import BaseModel, Field

from asn_career.core.sheets import AnswerFormat

ComplianceFormat = AnswerFormat

FILE_COLUMNS: Final = (
    "nip",
    "name",
    "unit_code",
    "unit_name",
    "jp",
    "previous_jp",
    "below_minimum",
    "shortfall_jp",
)


class EmployeeCompliance(BaseModel):
    nip: str
    name: str
    unit_id: uuid.UUID | None
    unit_code: str | None
    unit_name: str | None
    jp: float = Field(description="JP of the training history that starts in the year.")
    previous_jp: float = Field(description="The same for the year before.")
    below_minimum: bool = Field(description="Fewer than 20 JP in the year.")
    shortfall_jp: float = Field(description="JP still missing to reach 20.")


class YearFigures(BaseModel):
    employees: int
    below_minimum: int
    coverage: float = Field(description="Share of employees with at least 20 JP (0–1).")
    total_jp: float
    mean_jp: float


class UnitCompliance(BaseModel):
    unit_id: uuid.UUID | None = Field(description="Null: employees without a unit.")
    unit_code: str | None
    unit_name: str | None
    employees: int
    below_minimum: int
    coverage: float
    previous_coverage: float
    mean_jp: float


class Trend(BaseModel):
    coverage_change: float = Field(description="This year's coverage minus last year's.")
    mean_jp_change: float
    below_minimum_change: int


class ComplianceOut(BaseModel):
    agency_code: str
    year: int
    min_jp: float = Field(description="The yearly minimum (20 JP).")
    figures: YearFigures
    previous: YearFigures = Field(description="The same figures for the year before.")
    trend: Trend
    units: list[UnitCompliance] = Field(description="Coverage per unit, lowest first.")
    items: list[EmployeeCompliance] = Field(description="A page of employees, by NIP.")
    next_cursor: str | None
