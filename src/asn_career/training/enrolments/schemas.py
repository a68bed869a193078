"""API shapes of enrolments."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.text import Storable
from asn_career.core.types import IsoDate
from asn_career.training.rules import EnrolmentState

Nip = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{18}$"), Field(examples=["198001012005011001"])
]
Year = Annotated[int, Field(ge=2000, le=2100, strict=True, examples=[2026])]


class EnrolmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    course_id: uuid.UUID
    nip: Nip
    year: Year | None = Field(
        default=None,
        description="The year the enrolment counts in; the course's start year, else this year.",
    )


class EnrolmentComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    completed_on: IsoDate = Field(description="Not in the future, nor before the course starts.")
    certificate_number: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
            Storable,
        ]
        | None
    ) = None


class EnrolmentOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    course_id: uuid.UUID
    course_code: str
    course_title: str
    nip: str
    name: str
    year: int
    state: EnrolmentState
    plan_id: uuid.UUID | None
    request_id: uuid.UUID | None
    completed_on: date | None
    training_id: uuid.UUID | None = Field(
        description="The entry completing it added to the profile's training history."
    )
    reassessment_due: bool = Field(
        description="The course's competencies are to be reassessed after completion."
    )
    version: int
    created_at: datetime
    updated_at: datetime
