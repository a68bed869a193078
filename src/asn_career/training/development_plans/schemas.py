"""Individual development plans: what is written (goals, needs, activities), the draft
request, and the plan as read, with its JP total against the yearly 20 JP."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.sheets import AnswerFormat
from asn_career.core.text import Storable
from asn_career.org.rules import COMPETENCY_CODE_PATTERN
from asn_career.training.development_plans.rules import (
    MAX_ACTIVITIES,
    MAX_GOALS,
    MAX_NEEDS,
    ActivityKind,
    ActivitySource,
    GoalSource,
    NeedSource,
    PlanStatus,
)

CompetencyCode = Annotated[
    str, StringConstraints(pattern=COMPETENCY_CODE_PATTERN, max_length=16), Field(examples=["M.1"])
]
GoalText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000), Storable
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Storable
]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Storable
]
Level = Annotated[int, Field(ge=1, le=5, strict=True)]
PlannedJp = Annotated[
    Decimal, Field(ge=0, le=Decimal("9999.9"), max_digits=5, decimal_places=1, examples=[24])
]
Quarter = Annotated[int, Field(ge=1, le=4, strict=True)]
Year = Annotated[int, Field(ge=2000, le=2100, strict=True)]


class GoalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: GoalText = Field(examples=["Memenuhi standar kompetensi jabatan Analis SDM Aparatur."])
    source: GoalSource = "manual"


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    competency: CompetencyCode = Field(description="A competency of the dictionary (once).")
    current_level: Level | None = Field(
        default=None, description="Null: never assessed (the gap counts it as level 1)."
    )
    required_level: Level
    source: NeedSource = "manual"
    reason: Reason | None = None


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ActivityKind
    title: Title = Field(examples=["Pelatihan SPBE dan Aplikasi Umum"])
    competency: CompetencyCode | None = Field(
        default=None, description="The competency the activity develops."
    )
    course_id: uuid.UUID | None = Field(
        default=None,
        description="A catalogue course of the employee's agency the employee is eligible "
        "for (optional).",
    )
    planned_jp: PlannedJp = Field(description="Planned JP (1 JP = 45 minutes); 0 allowed.")
    target_quarter: Quarter | None = Field(default=None, description="1–4: when in the year.")
    source: ActivitySource = "manual"
    reason: Reason | None = None


Goals = Annotated[list[GoalIn], Field(max_length=MAX_GOALS)]
Needs = Annotated[list[NeedIn], Field(max_length=MAX_NEEDS)]
Activities = Annotated[list[ActivityIn], Field(max_length=MAX_ACTIVITIES)]


class DevelopmentPlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: Year
    goals: Goals = Field(default_factory=list)
    needs: Needs = Field(default_factory=list)
    activities: Activities = Field(default_factory=list)


class DevelopmentPlanUpdate(BaseModel):
    """Each list given replaces the plan's list as a whole; an omitted one stays."""

    model_config = ConfigDict(extra="forbid")

    goals: Goals | None = None
    needs: Needs | None = None
    activities: Activities | None = None


class DevelopmentPlanDraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: Year | None = Field(default=None, description="Default: the current year.")


class GoalOut(BaseModel):
    text: str
    source: GoalSource


class PlanNeedOut(BaseModel):
    competency_id: int
    competency_code: str
    competency_name: str
    current_level: int | None
    required_level: int
    gap: int = Field(description="Levels from the current level (unassessed: 1) up.")
    source: NeedSource
    reason: str | None


class ActivityOut(BaseModel):
    ordinal: int
    kind: ActivityKind
    title: str
    competency_id: int | None
    competency_code: str | None
    competency_name: str | None
    course_id: uuid.UUID | None
    course_code: str | None
    course_title: str | None
    planned_jp: float
    target_quarter: int | None
    source: ActivitySource
    reason: str | None


class DevelopmentPlanOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    employee_id: uuid.UUID
    nip: str
    name: str
    year: int
    status: PlanStatus
    revision: int
    goals: list[GoalOut]
    needs: list[PlanNeedOut]
    activities: list[ActivityOut]
    planned_jp: float = Field(description="Sum of the activities' planned JP.")
    minimum_jp: int = Field(description="The yearly entitlement: 20 JP.")
    jp_shortfall: float = Field(
        description="JP the planned activities still miss of the minimum; 0 when met."
    )
    recorded_jp: float = Field(
        description="JP already in the training history for the year (a training counts in "
        "the year it starts), as `GET /training/compliance` counts it."
    )
    drafted_from: dict[str, Any] | None = Field(
        description="For a drafted plan: how many needs, which 360° cycle, how many "
        "interests and courses it was proposed from."
    )
    approved_by: str | None
    approved_by_name: str | None
    approved_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


PlanFormat = AnswerFormat
