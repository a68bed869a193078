"""API shapes of a match as a relationship: answers, sessions, feedback."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.text import Storable
from asn_career.core.types import IsoDate
from asn_career.mentoring.rules import Side

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), Storable
]
Topic = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Storable
]


class MatchAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    side: Side | None = Field(
        default=None,
        description="Whose answer HR records (required for HR); a mentor or mentee answers "
        "for themself and may leave it out.",
    )


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: IsoDate
    duration_minutes: Annotated[int, Field(ge=1, le=1440, strict=True)]
    topic: Topic = Field(examples=["Menyusun kerangka logis program RKPD"])
    private_notes: Text | None = Field(
        default=None, description="Seen only by the mentor and the mentee, never by HR."
    )


class SessionOut(BaseModel):
    id: uuid.UUID
    match_id: uuid.UUID
    held_on: date
    duration_minutes: int
    topic: str
    private_notes: str | None = Field(description="Only for the pair; null for anyone else.")
    notes_hidden: bool = Field(description="True when notes exist but are not for the caller.")
    recorded_by: str
    created_at: datetime


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: Annotated[int, Field(ge=1, le=5, strict=True)] = Field(
        description="How useful the relationship was, 1–5."
    )
    comment: Text | None = None


class FeedbackOut(BaseModel):
    match_id: uuid.UUID
    side: str
    rating: int
    comment: str | None
    created_at: datetime
