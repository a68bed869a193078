"""Training requests: what an employee asks for, its decision, and the counts HR reads."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.text import Storable
from asn_career.org.rules import COMPETENCY_CODE_PATTERN
from asn_career.training.rules import RequestStatus

Nip = Annotated[str, StringConstraints(min_length=18, max_length=18, pattern=r"^[0-9]{18}$")]
Topic = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300), Storable
]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000), Storable
]
CompetencyCode = Annotated[
    str, StringConstraints(pattern=COMPETENCY_CODE_PATTERN, max_length=16), Field(examples=["M.1"])
]


class TrainingRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nip: Nip | None = Field(
        default=None,
        description="Whose request: HR names the employee; an employee or supervisor asks "
        "for themselves (omit it, or give their own NIP).",
    )
    course_id: uuid.UUID | None = Field(
        default=None, description="A catalogue course of the employee's agency, or …"
    )
    topic: Topic | None = Field(
        default=None,
        description="… a free topic when no course fits (exactly one of the two).",
        examples=["Pengelolaan arsip elektronik SRIKANDI"],
    )
    competency: CompetencyCode = Field(description="The competency the training develops.")
    reason: Reason = Field(
        description="Why the employee needs it.",
        examples=["Unit kami mulai memakai SPBE tahun ini dan saya belum pernah dilatih."],
    )
    year: int | None = Field(
        default=None, ge=2000, le=2100, description="Default: the current year (Asia/Jakarta)."
    )


class TrainingRequestDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason | None = Field(
        default=None, description="Why; required when rejecting.", examples=["Anggaran habis"]
    )


class TrainingRequestOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    employee_id: uuid.UUID
    nip: str
    name: str
    unit_id: uuid.UUID | None
    year: int
    course_id: uuid.UUID | None
    course_title: str | None
    topic: str | None
    competency_id: int | None
    competency_code: str | None
    reason: str
    status: RequestStatus
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    created_at: datetime
    version: int


class RequestCounts(BaseModel):
    total: int
    submitted: int
    endorsed: int
    rejected: int


class TopicCountOut(RequestCounts):
    topic: str = Field(description="The course title or free topic, lower-cased, spaces folded.")
    course_id: uuid.UUID | None = Field(description="Set when every request named this course.")


class UnitCountOut(RequestCounts):
    unit_id: uuid.UUID | None
    unit_name: str | None


class RequestSummaryOut(BaseModel):
    agency: str
    year: int
    topics: list[TopicCountOut] = Field(description="Most asked first; withdrawn not counted.")
    units: list[UnitCountOut] = Field(description="Most asking first; withdrawn not counted.")
