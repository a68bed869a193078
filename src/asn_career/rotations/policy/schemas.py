"""The rotation policy of an agency, with the fit weights it tunes."""

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from asn_career.core.types import StrictFlag
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.rotations.rules import DEFAULT_POLICY, DEFAULT_WEIGHTS

AgencyQuery = Annotated[
    str | None,
    Query(
        pattern=AGENCY_CODE_PATTERN,
        max_length=32,
        description="The agency; optional for an HR officer of one agency.",
    ),
]

RequiredAgency = Annotated[
    str, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="The agency.")
]

Months = Annotated[int, Field(ge=0, le=480, strict=True)]
Weight = Annotated[float, Field(ge=0, le=100, strict=True)]


class Weights(BaseModel):
    """Relative weights of the fit parts (any scale; the fit divides by their sum)."""

    model_config = ConfigDict(extra="forbid")

    competency: Weight = DEFAULT_WEIGHTS["competency"]
    education: Weight = DEFAULT_WEIGHTS["education"]
    rank: Weight = DEFAULT_WEIGHTS["rank"]
    experience: Weight = DEFAULT_WEIGHTS["experience"]
    interest: Weight = DEFAULT_WEIGHTS["interest"]
    performance: Weight = DEFAULT_WEIGHTS["performance"]


class PolicyIn(BaseModel):
    """The whole policy (``PUT``): a field left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    min_months: Months = Field(
        default=DEFAULT_POLICY.min_months, description="Months in a position before a rotation."
    )
    max_months: Months = Field(
        default=DEFAULT_POLICY.max_months,
        description="Months in a position after which the employee is due for rotation.",
    )
    max_months_jpt: Months = Field(
        default=DEFAULT_POLICY.max_months_jpt,
        description="The maximum for JPT positions; not above `max_months`.",
    )
    retirement_buffer_months: Months = Field(
        default=DEFAULT_POLICY.retirement_buffer_months,
        description="No rotation in these last months before the retirement age (BUP) of the "
        "current position: 58, 60 for JPT and ahli madya, 65 for ahli utama.",
    )
    first_year_months: Months = Field(
        default=DEFAULT_POLICY.first_year_months,
        description="No rotation within these months after appointment (TMT CPNS).",
    )
    enforce_grade_range: StrictFlag = Field(
        default=DEFAULT_POLICY.enforce_grade_range,
        description="Only place people whose rank lies in the target position's rank range.",
    )
    weights: Weights = Field(default_factory=Weights)


class PolicyOut(PolicyIn):
    agency_code: str
    is_default: bool = Field(description="True while the agency has not stored its own policy.")
    version: int = Field(description="0 for the defaults; the ETag.")
