"""API shapes of mentoring programmes."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from asn_career.core.i18n import BilingualValueError
from asn_career.core.text import Storable
from asn_career.core.types import IsoDate, StrictFlag
from asn_career.mentoring.rules import (
    DEFAULT_CAPACITY,
    DEFAULT_WEIGHTS,
    MAX_CAPACITY,
    Objective,
    SeniorityBasis,
    UnitRule,
)
from asn_career.org.rules import AGENCY_CODE_PATTERN

AgencyCode = Annotated[
    str, StringConstraints(pattern=AGENCY_CODE_PATTERN, max_length=32), Field(examples=["36.74"])
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable
]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), Storable
]
Weight = Annotated[float, Field(ge=0, le=10, allow_inf_nan=False, strict=True)]
Gap = Annotated[int, Field(ge=0, le=40, strict=True)]
Width = Annotated[int, Field(ge=1, le=40, strict=True)]
Capacity = Annotated[int, Field(ge=1, le=MAX_CAPACITY, strict=True)]


class MatchWeights(BaseModel):
    """The weight of each named part of a match's score (0–10 each, not all zero)."""

    model_config = ConfigDict(extra="forbid")

    strength: Weight = DEFAULT_WEIGHTS["strength"]
    career: Weight = DEFAULT_WEIGHTS["career"]
    seniority: Weight = DEFAULT_WEIGHTS["seniority"]
    unit: Weight = DEFAULT_WEIGHTS["unit"]
    education: Weight = DEFAULT_WEIGHTS["education"]


class ProgramCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: AgencyCode
    name: Name = Field(examples=["Mentoring Perencana Muda Bappeda 2027"])
    description: Description | None = None
    starts_on: IsoDate
    ends_on: IsoDate
    weights: MatchWeights = Field(default_factory=MatchWeights)
    seniority_basis: SeniorityBasis = Field(
        default="rank_steps",
        description="Seniority measured in rank steps (same scale: PNS or PPPK) or in "
        "years of service.",
    )
    min_gap: Gap | None = Field(
        default=None,
        description="The least seniority gap mentor − mentee (hard rule); default 2 rank "
        "steps or 5 years.",
    )
    band_width: Width | None = Field(
        default=None,
        description="The useful band: from `min_gap` up to `min_gap` + width scores fully; "
        "default 4 steps or 15 years.",
    )
    exclude_reporting_line: StrictFlag = Field(
        default=True,
        description="Never the mentee's supervisor or anyone further up their reporting line.",
    )
    unit_rule: UnitRule = Field(
        default="preferred",
        description="Same unit preferred (scores), required (hard rule), avoided (scores "
        "the other way) or ignored.",
    )
    default_capacity: Capacity = Field(
        default=DEFAULT_CAPACITY, description="Mentees per mentor unless the mentor says."
    )
    objective: Objective = Field(
        default="score",
        description="`score`: the highest total score; `participation`: as many mentees "
        "matched as possible, then the highest score.",
    )
    mentees_choose: StrictFlag = Field(
        default=False, description="Mentees choose from their shortlist."
    )


_NOT_NULL = (
    "name", "starts_on", "ends_on", "weights", "seniority_basis", "min_gap", "band_width",
    "exclude_reporting_line", "unit_rule", "default_capacity", "objective", "mentees_choose",
)  # fmt: skip


class ProgramUpdate(BaseModel):
    """A partial change; ``weights`` replaces all five."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: Description | None = None
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    weights: MatchWeights | None = None
    seniority_basis: SeniorityBasis | None = None
    min_gap: Gap | None = None
    band_width: Width | None = None
    exclude_reporting_line: StrictFlag | None = None
    unit_rule: UnitRule | None = None
    default_capacity: Capacity | None = None
    objective: Objective | None = None
    mentees_choose: StrictFlag | None = None

    @model_validator(mode="before")
    @classmethod
    def _not_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in _NOT_NULL:
                if name in data and data[name] is None:
                    raise BilingualValueError(f"{name} may not be null", f"{name} tidak boleh null")
        return data


class ProgramOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    agency_code: str
    name: str
    description: str | None
    starts_on: date
    ends_on: date
    weights: MatchWeights
    seniority_basis: str
    min_gap: int
    band_width: int
    exclude_reporting_line: bool
    unit_rule: str
    default_capacity: int
    objective: str
    mentees_choose: bool
    version: int
    created_at: datetime
    updated_at: datetime
