"""Professionalism index (IP ASN) responses: one employee's four dimensions and where each
came from, and the agency's figures per unit."""

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Category = Literal["sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah"]


class ProfessionalismQualificationOut(BaseModel):
    points: int = Field(description="Of 25: S3 25, S2 20, S1/D4 15, D3 10, D1/D2/SMA 5, lower 1.")
    education_level: str | None = Field(description="The highest level graduated by the year.")


class ProfessionalismCompetencyOut(BaseModel):
    points: int = Field(description="Of 40: the four parts.")
    leadership: int = Field(description="15: a leadership training of the position's "
                            "managerial kind (PKN I/II, PKA, PKP, Diklatpim), ever.")  # fmt: skip
    functional: int = Field(description="15: a functional training, for a fungsional position.")
    technical: int = Field(description="15: at least 20 JP of technical training in the "
                           "year and the year before.")  # fmt: skip
    seminar: int = Field(description="The rest of 40 (10, or 25 for pelaksana): a seminar or "
                         "workshop in the year and the year before.")  # fmt: skip
    position_kind: str | None
    technical_jp: Decimal
    seminars: int


class ProfessionalismPerformanceOut(BaseModel):
    points: int = Field(description="Of 30: SKP score 91–100 → 30, 76–90 → 25, 61–75 → 15, "
                        "51–60 → 5, ≤ 50 → 1.")  # fmt: skip
    score: Decimal | None = Field(description="The annual SKP score of the year.")
    predicate: str | None
    from_predicate: bool = Field(
        description="True when the rating has no score and the predicate's band middle "
        "stood in (Sangat Baik 95, Baik 83, Butuh Perbaikan 68, Kurang 55, Sangat Kurang 40)."
    )


class ProfessionalismDisciplineOut(BaseModel):
    points: int = Field(description="Of 5: none 5, light 3, medium 2, severe 1.")
    heaviest_sanction: Literal["light", "medium", "severe"] | None = Field(
        description="The heaviest sanction begun in the five years up to the year's end."
    )


class ProfessionalismEmployeeIndexOut(BaseModel):
    nip: str
    name: str
    year: int
    total: int
    category: Category
    category_label: str
    qualification: ProfessionalismQualificationOut
    competency: ProfessionalismCompetencyOut
    performance: ProfessionalismPerformanceOut
    discipline: ProfessionalismDisciplineOut
    missing: list[Literal["qualification", "performance"]] = Field(
        description="Dimensions without data, scored 0."
    )


class ProfessionalismIndexFiguresOut(BaseModel):
    employees: int
    mean: Decimal | None = Field(description="Mean index, 0–100.")
    qualification: Decimal | None = Field(description="Mean points of each dimension.")
    competency: Decimal | None
    performance: Decimal | None
    discipline: Decimal | None
    missing_qualification: int
    missing_performance: int
    categories: dict[Category, int]


class ProfessionalismUnitIndexOut(ProfessionalismIndexFiguresOut):
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str


class ProfessionalismAgencyIndexOut(BaseModel):
    agency_code: str
    year: int
    agency: ProfessionalismIndexFiguresOut
    units: list[ProfessionalismUnitIndexOut] = Field(description="Per current unit, by code.")
