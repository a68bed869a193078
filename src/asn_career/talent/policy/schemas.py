"""The talent policy of an agency."""

from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.talent.rules import DEFAULT_POLICY

TalentAgencyQuery = Annotated[
    str | None,
    Query(
        pattern=AGENCY_CODE_PATTERN,
        max_length=32,
        description="The agency; optional for an HR officer of one agency.",
    ),
]

RequiredTalentAgency = Annotated[
    str, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="The agency.")
]

CutPoint = Annotated[int, Field(ge=1, le=100, strict=True)]
PotentialWeight = Annotated[int, Field(ge=0, le=100, strict=True)]
CalibratedSource = Literal["assessment_center", "feedback_360", "supervisor", "self"]


def _default_sources() -> list[CalibratedSource]:
    return ["assessment_center", "feedback_360"]


class TalentPolicyIn(BaseModel):
    """The whole policy (``PUT``): a field left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    performance_source: Literal["latest", "two_year_average"] = Field(
        default="latest",
        description="`latest`: the annual SKP predicate of the year; `two_year_average`: "
        "the year's and the year before's averaged (Sangat Baik 3, Baik 2, the rest 1; "
        "≥ 2.5 above, ≥ 1.5 as expected).",
    )
    potential_medium_from: CutPoint = Field(
        default=DEFAULT_POLICY.potential_medium_from,
        description="Potential score (0–100) from which potential is medium.",
    )
    potential_high_from: CutPoint = Field(
        default=DEFAULT_POLICY.potential_high_from,
        description="Potential score (0–100) from which potential is high.",
    )
    competency_weight: PotentialWeight = Field(
        default=DEFAULT_POLICY.competency_weight,
        description="Weight of the calibrated competency assessments in the potential.",
    )
    feedback_weight: PotentialWeight = Field(
        default=DEFAULT_POLICY.feedback_weight,
        description="Weight of the published 360° results in the potential.",
    )
    calibrated_sources: list[CalibratedSource] = Field(
        default_factory=_default_sources,
        min_length=1,
        max_length=4,
        description="Competency evidence that counts: assessment sources "
        "(`assessment_center`, `supervisor`, `self`) and `feedback_360` (published 360° "
        "reports, never assessment rows).",
    )


class TalentPolicyOut(TalentPolicyIn):
    agency_code: str
    is_default: bool = Field(description="True while the agency has not stored its own policy.")
    version: int = Field(description="0 for the defaults; the ETag.")
