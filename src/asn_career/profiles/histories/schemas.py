"""API shapes of an employee's histories: ``…Create`` (POST), ``…Update`` (PATCH, every
field optional; fields that may not be empty reject an explicit ``null``), ``…Out``."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.i18n import BilingualValueError
from asn_career.core.text import Storable
from asn_career.core.types import IsoDate, StrictFlag
from asn_career.profiles.histories.rules import (
    AssessmentSource,
    Expectation,
    Predicate,
    TrainingForm,
)

T = TypeVar("T")


def _not_null(value: T | None) -> T | None:
    if value is None:
        raise BilingualValueError("may not be null", "tidak boleh null")
    return value


NotNull = AfterValidator(_not_null)


Text100 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), Storable
]
Text200 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable
]
Text300 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Storable
]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), Storable
]
CompetencyCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{1,4}\.[0-9]{1,4}$", max_length=16),
]
Year = Annotated[int, Field(ge=1900, le=2200)]

EducationLevelCode = Literal["SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"]
Period = Literal["annual", "q1", "q2", "q3", "q4"]
InterestKind = Literal["position", "unit", "training", "field", "rotation"]
Severity = Literal["light", "medium", "severe"]

HoursJp = Annotated[
    Decimal, Field(gt=0, le=Decimal("9999.9"), max_digits=5, decimal_places=1, examples=[24])
]
Score = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2, examples=[88.5])]


class _Body(BaseModel):
    """A request body: a field the API does not know is a 422, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


# --- Education ---------------------------------------------------------------------------


class EducationCreate(_Body):
    level: EducationLevelCode = Field(examples=["S1"])
    field: Text200 | None = Field(default=None, examples=["Ilmu Hukum"])
    institution: Text200 | None = Field(default=None, examples=["Universitas Indonesia"])
    graduation_year: Year | None = Field(
        default=None, description="Not before birth year + 5, not in the future."
    )


class EducationUpdate(_Body):
    level: Annotated[EducationLevelCode | None, NotNull] = None
    field: Text200 | None = None
    institution: Text200 | None = None
    graduation_year: Year | None = None


class EducationOut(_Out):
    level: EducationLevelCode
    field: str | None
    institution: str | None
    graduation_year: int | None


# --- Assignments -------------------------------------------------------------------------


class AssignmentCreate(_Body):
    position_id: uuid.UUID = Field(description="A position of the employee's agency.")
    start_date: IsoDate = Field(description="TMT jabatan.")
    end_date: IsoDate | None = Field(default=None, description="Empty while the assignment runs.")
    decree_number: Text100 | None = Field(default=None, examples=["800/123/BKPSDM/2024"])
    decree_date: IsoDate | None = None
    is_primary: StrictFlag = Field(
        default=True,
        description="The primary assignment current today (started, not ended) is the "
        "employee's position.",
    )


class AssignmentUpdate(_Body):
    position_id: Annotated[uuid.UUID | None, NotNull] = None
    start_date: Annotated[IsoDate | None, NotNull] = None
    end_date: IsoDate | None = None
    decree_number: Text100 | None = None
    decree_date: IsoDate | None = None
    is_primary: Annotated[StrictFlag | None, NotNull] = None


class AssignmentOut(_Out):
    position_id: uuid.UUID
    start_date: date
    end_date: date | None
    decree_number: str | None
    decree_date: date | None
    is_primary: bool
    is_current: bool = Field(
        description="Primary, started and not ended: the employee's position today."
    )


# --- Competency assessments --------------------------------------------------------------


class CompetencyAssessmentCreate(_Body):
    competency: CompetencyCode = Field(
        description="`M.1`–`M.8`, `SK.1` or a technical `T.n` of the employee's agency.",
        examples=["M.1"],
    )
    level: int = Field(ge=1, le=5)
    source: AssessmentSource
    assessed_on: IsoDate = Field(description="Not in the future.")
    notes: LongText | None = None


class CompetencyAssessmentUpdate(_Body):
    competency: Annotated[CompetencyCode | None, NotNull] = None
    level: Annotated[int | None, Field(ge=1, le=5), NotNull] = None
    source: Annotated[AssessmentSource | None, NotNull] = None
    assessed_on: Annotated[IsoDate | None, NotNull] = None
    notes: LongText | None = None


class CompetencyAssessmentOut(_Out):
    competency: str
    level: int
    source: AssessmentSource
    assessed_on: date
    notes: str | None


class CurrentCompetencyOut(BaseModel):
    competency: str
    kind: str
    name_id: str
    name_en: str
    level: int
    source: AssessmentSource = Field(
        description="The best source that assessed it: "
        "assessment_center > feedback_360 > supervisor > self."
    )
    assessed_on: date


class CurrentCompetencies(BaseModel):
    items: list[CurrentCompetencyOut]


# --- Trainings ---------------------------------------------------------------------------


class TrainingCreate(_Body):
    title: Text300 = Field(examples=["Pelatihan SPBE"])
    hours_jp: HoursJp = Field(description="Hours in JP (1 JP = 45 minutes), above 0.")
    start_date: IsoDate
    end_date: IsoDate | None = None
    provider: Text200 | None = Field(default=None, examples=["BPSDM Provinsi Banten"])
    form: TrainingForm = Field(
        description="Classroom: training, seminar, workshop, technical_guidance; "
        "non-classroom: coaching, mentoring, e_learning, internship, secondment, "
        "benchmarking, self_study, degree_study (tugas belajar)."
    )
    competencies: list[CompetencyCode] = Field(default_factory=list, max_length=30)
    certificate_number: Text100 | None = None


class TrainingUpdate(_Body):
    title: Annotated[Text300 | None, NotNull] = None
    hours_jp: Annotated[HoursJp | None, NotNull] = None
    start_date: Annotated[IsoDate | None, NotNull] = None
    end_date: IsoDate | None = None
    provider: Text200 | None = None
    form: Annotated[TrainingForm | None, NotNull] = None
    competencies: Annotated[list[CompetencyCode] | None, Field(max_length=30), NotNull] = None
    certificate_number: Text100 | None = None


class TrainingOut(_Out):
    title: str
    hours_jp: float
    duration_minutes: int = Field(description="hours_jp × 45.")
    start_date: date
    end_date: date | None
    provider: str | None
    form: TrainingForm
    is_classroom: bool
    competencies: list[str]
    certificate_number: str | None


# --- Performance (SKP) -------------------------------------------------------------------


class PerformanceCreate(_Body):
    year: Year = Field(examples=[2025])
    period: Period = Field(description="`annual` or a quarter (triwulan) `q1`–`q4`.")
    results: Expectation = Field(description="Hasil kerja against expectation.")
    behaviour: Expectation = Field(description="Perilaku kerja against expectation.")
    score: Score | None = None


class PerformanceUpdate(_Body):
    year: Annotated[Year | None, NotNull] = None
    period: Annotated[Period | None, NotNull] = None
    results: Annotated[Expectation | None, NotNull] = None
    behaviour: Annotated[Expectation | None, NotNull] = None
    score: Score | None = None


class PerformanceOut(_Out):
    year: int
    period: Period
    results: Expectation
    behaviour: Expectation
    predicate: Predicate = Field(description="Derived by the PermenPANRB 6/2022 matrix.")
    predicate_label: str
    score: float | None
    rated_by: str | None = Field(
        description="Who recorded the rating (null for ratings recorded before this was kept)."
    )
    rated_by_role: str = Field(
        description="`supervisor` when the line manager rated; otherwise HR's, which only HR "
        "changes."
    )


# --- Career interests --------------------------------------------------------------------


class InterestCreate(_Body):
    kind: InterestKind
    description: LongText = Field(examples=["Ingin menjadi analis kebijakan di Bappeda"])
    target_position_id: uuid.UUID | None = None
    target_unit_id: uuid.UUID | None = None
    priority: int = Field(default=1, ge=1, le=10, description="1 is the strongest wish.")


class InterestUpdate(_Body):
    kind: Annotated[InterestKind | None, NotNull] = None
    description: Annotated[LongText | None, NotNull] = None
    target_position_id: uuid.UUID | None = None
    target_unit_id: uuid.UUID | None = None
    priority: Annotated[int | None, Field(ge=1, le=10), NotNull] = None


class InterestOut(_Out):
    kind: InterestKind
    description: str
    target_position_id: uuid.UUID | None
    target_unit_id: uuid.UUID | None
    priority: int


# --- Sanctions ---------------------------------------------------------------------------


class SanctionCreate(_Body):
    severity: Severity
    kind: Text200 = Field(examples=["Teguran tertulis"])
    decree_number: Text100 | None = None
    start_date: IsoDate
    end_date: IsoDate | None = None
    reason: LongText | None = None


class SanctionUpdate(_Body):
    severity: Annotated[Severity | None, NotNull] = None
    kind: Annotated[Text200 | None, NotNull] = None
    decree_number: Text100 | None = None
    start_date: Annotated[IsoDate | None, NotNull] = None
    end_date: IsoDate | None = None
    reason: LongText | None = None


class SanctionOut(_Out):
    severity: Severity
    kind: str
    decree_number: str | None
    start_date: date
    end_date: date | None
    reason: str | None
