"""API shapes of the course catalogue."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from asn_career.core.i18n import BilingualValueError
from asn_career.core.text import Storable
from asn_career.core.types import IsoDate, StrictFlag
from asn_career.org.rules import AGENCY_CODE_PATTERN, PositionKind
from asn_career.training.rules import COURSE_CODE_PATTERN, CourseForm

AgencyCode = Annotated[
    str, StringConstraints(pattern=AGENCY_CODE_PATTERN, max_length=32), Field(examples=["36.74"])
]
CourseCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=COURSE_CODE_PATTERN, max_length=64),
    Field(examples=["SPBE-01"]),
]
CompetencyCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{1,4}\.[0-9]{1,4}$", max_length=16),
    Field(examples=["T.12"]),
]
RankCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8),
    Field(examples=["III/a"]),
]  # fmt: skip
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Storable
]
Provider = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable
]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), Storable
]
HoursJp = Annotated[
    Decimal, Field(gt=0, le=Decimal("9999.9"), max_digits=5, decimal_places=1, examples=[24])
]
Money = Annotated[
    Decimal, Field(ge=0, max_digits=14, decimal_places=2, examples=[1500000])
]  # fmt: skip
Participants = Annotated[int, Field(ge=1, le=1000, strict=True)]


class CourseCompetencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: CompetencyCode = Field(description="A competency of the dictionary for the agency.")
    target_level: Annotated[int, Field(ge=1, le=5, strict=True)] = Field(
        description="The level (1–5) the course lifts a participant to."
    )


Competencies = Annotated[list[CourseCompetencyIn], Field(max_length=30)]
PositionKinds = Annotated[list[PositionKind], Field(max_length=7)]


class CourseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: AgencyCode
    code: CourseCode = Field(description="Unique within the agency.")
    title: Title = Field(examples=["Pelatihan Sistem Pemerintahan Berbasis Elektronik (SPBE)"])
    description: Description | None = None
    form: CourseForm
    provider: Provider | None = Field(default=None, examples=["BPSDM Provinsi Banten"])
    hours_jp: HoursJp = Field(description="Length in JP (1 JP = 45 minutes).")
    cost_per_participant: Money = Decimal(0)
    fixed_cost_per_batch: Money = Field(
        default=Decimal(0), description="Paid once for each batch that runs."
    )
    min_participants: Participants = Field(
        default=1, description="A batch runs only with at least this many."
    )
    max_participants: Participants = Field(default=30, description="The most one batch takes.")
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    eligible_position_kinds: PositionKinds = Field(
        default_factory=list, description="Empty: every position kind."
    )
    min_rank: RankCode | None = Field(default=None, description="The lowest eligible rank.")
    max_rank: RankCode | None = Field(
        default=None, description="The highest eligible rank (same scale as `min_rank`)."
    )
    competencies: Competencies = Field(default_factory=list)
    reassess_on_completion: StrictFlag = Field(
        default=False,
        description="Completing an enrolment marks its competencies for reassessment "
        "(`reassessment_due` on the enrolment).",
    )
    active: StrictFlag = Field(default=True, description="Inactive: no new enrolments.")


_NOT_NULL = (
    "code", "title", "form", "hours_jp", "cost_per_participant", "fixed_cost_per_batch",
    "min_participants", "max_participants", "eligible_position_kinds", "competencies",
    "reassess_on_completion", "active",
)  # fmt: skip


class CourseUpdate(BaseModel):
    """A partial change; ``competencies`` replaces the list."""

    model_config = ConfigDict(extra="forbid")

    code: CourseCode | None = None
    title: Title | None = None
    description: Description | None = None
    form: CourseForm | None = None
    provider: Provider | None = None
    hours_jp: HoursJp | None = None
    cost_per_participant: Money | None = None
    fixed_cost_per_batch: Money | None = None
    min_participants: Participants | None = None
    max_participants: Participants | None = None
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    eligible_position_kinds: PositionKinds | None = None
    min_rank: RankCode | None = None
    max_rank: RankCode | None = None
    competencies: Competencies | None = None
    reassess_on_completion: StrictFlag | None = None
    active: StrictFlag | None = None

    @model_validator(mode="before")
    @classmethod
    def _not_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in _NOT_NULL:
                if name in data and data[name] is None:
                    raise BilingualValueError(f"{name} may not be null", f"{name} tidak boleh null")
        return data


class CourseCompetencyOut(BaseModel):
    code: str
    target_level: int


class CourseOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    code: str
    title: str
    description: str | None
    form: str
    provider: str | None
    hours_jp: float
    cost_per_participant: float
    fixed_cost_per_batch: float
    min_participants: int
    max_participants: int
    starts_on: date | None
    ends_on: date | None
    eligible_position_kinds: list[str]
    min_rank: str | None
    max_rank: str | None
    competencies: list[CourseCompetencyOut]
    reassess_on_completion: bool
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime
