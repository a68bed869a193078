"""API shapes of career-management surveys."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.text import Storable
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.talent.surveys.rules import (
    DEFAULT_MIN_GROUP_SIZE,
    DEFAULT_QUESTION_SET,
    MAX_COMMENT_LENGTH,
    MIN_GROUP_SIZE_RANGE,
)

SurveyAgencyCode = Annotated[
    str, StringConstraints(pattern=AGENCY_CODE_PATTERN, max_length=32), Field(examples=["36.74"])
]
SurveyTitle = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable
]
SurveyComment = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MAX_COMMENT_LENGTH), Storable
]
LikertScore = Annotated[int, Field(ge=1, le=5, strict=True)]


class SurveyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: SurveyAgencyCode
    title: SurveyTitle = Field(examples=["Survei Kepuasan Manajemen Karier 2026"])
    year: int = Field(ge=2000, le=2100, strict=True, description="The year the survey is about.")
    question_set: Annotated[str, StringConstraints(max_length=32)] = Field(
        default=DEFAULT_QUESTION_SET, description="The question set (`karier`)."
    )
    question_set_version: int | None = Field(
        default=None, ge=1, le=100, strict=True, description="Its version; the latest if absent."
    )
    min_group_size: int = Field(
        default=DEFAULT_MIN_GROUP_SIZE,
        ge=MIN_GROUP_SIZE_RANGE[0],
        le=MIN_GROUP_SIZE_RANGE[1],
        strict=True,
        description="Respondents a published figure needs at least (5–20).",
    )


class SurveyQuestionOut(BaseModel):
    code: str
    kind: str = Field(description="`likert` (1–5, required) or `text` (optional).")
    aspect: str
    text_id: str
    text_en: str


class SurveyOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    title: str
    year: int
    question_set: str
    question_set_version: int
    questions: list[SurveyQuestionOut]
    min_group_size: int
    state: str
    opened_at: datetime | None
    closed_at: datetime | None
    respondents: int = Field(description="How many have responded (no one is named).")
    version: int
    created_at: datetime


class SurveyResponseCreate(BaseModel):
    """One employee's answers: every Likert question on 1–5, and an optional comment."""

    model_config = ConfigDict(extra="forbid")

    scores: dict[Annotated[str, StringConstraints(max_length=32)], LikertScore] = Field(
        examples=[{"promosi_adil": 3, "rotasi_adil": 4}]
    )
    comment: SurveyComment | None = None


class SurveyResponseReceipt(BaseModel):
    """That a response was recorded. It carries no id: nothing leads back to it."""

    survey_id: uuid.UUID
    recorded: bool = True


class SurveyQuestionResult(BaseModel):
    code: str
    mean: float
    distribution: list[int] = Field(description="Respondents who gave 1, 2, 3, 4, 5.")


class SurveyOverallResult(BaseModel):
    respondents: int
    satisfaction_index: float = Field(description="The mean answer on 0–100.")
    questions: list[SurveyQuestionResult]


class SurveyGroupResult(BaseModel):
    key: str
    name: str
    respondents: int
    satisfaction_index: float
    means: dict[str, float]


class SurveyBreakdown(BaseModel):
    name: str = Field(description="`unit`, `gender` or `rank_group`.")
    dropped: bool = Field(description="Withheld whole: it would have revealed a small group.")
    groups: list[SurveyGroupResult]


class SurveyResultsOut(BaseModel):
    survey_id: uuid.UUID
    respondents: int
    min_group_size: int
    published: bool = Field(description="False when fewer than the minimum responded.")
    overall: SurveyOverallResult | None
    breakdowns: list[SurveyBreakdown]
    comments: list[str] = Field(description="Free-text answers, sorted, overall only.")
    comments_withheld: int
