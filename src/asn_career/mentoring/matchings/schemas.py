"""API shapes of matching runs, their matches and shortlists."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from asn_career.mentoring.rules import PARTS
from asn_career.profiles.employees.schemas import Nip


class MentoringPair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mentee_nip: Nip
    mentor_nip: Nip


Pairs = Annotated[list[MentoringPair], Field(max_length=500)]


class MatchingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pinned: Pairs = Field(
        default_factory=list,
        description="Pairs HR fixes: matched whatever the optimum (hard rules still hold).",
    )
    forbidden: Pairs = Field(default_factory=list, description="Pairs never to match.")


class MatchReason(BaseModel):
    code: str = Field(description=f"A part ({', '.join(PARTS)}), `pinned` or `kept`.")
    points: float = Field(description="What it adds to the score (weight × part).")
    text_en: str
    text_id: str


class UnmatchedOut(BaseModel):
    mentee_id: uuid.UUID
    nip: str
    name: str
    reason: str = Field(description="`no_eligible_mentor` or `capacity_exhausted`.")
    text_en: str
    text_id: str


class MatchingOut(BaseModel):
    id: uuid.UUID
    program_id: uuid.UUID
    agency_code: str
    status: str = Field(description="`solving`, `proposed`, `published`, `superseded`, `failed`.")
    objective: str
    job_id: uuid.UUID | None
    total_score: float | None = Field(description="The optimum: the sum of the matches' scores.")
    greedy_score: float | None = Field(
        description="The greedy baseline's total (best pair first) on the same candidates."
    )
    figures: dict[str, Any] = Field(
        description="mentees, mentors, capacity, matched, greedy_matched, kept, pinned, "
        "eligible_pairs, candidate_pairs, top_k, repaired, seconds."
    )
    unmatched: list[UnmatchedOut]
    published_at: datetime | None
    version: int
    created_at: datetime


class MatchOut(BaseModel):
    id: uuid.UUID
    program_id: uuid.UUID
    matching_id: uuid.UUID
    mentor_nip: str
    mentor_name: str
    mentee_nip: str
    mentee_name: str
    state: str = Field(
        description="`proposed`, `active`, `completed`, `ended`, `declined`, `superseded`."
    )
    pinned: bool
    score: float
    parts: dict[str, float]
    reasons: list[MatchReason]
    mentor_response: str | None
    mentee_response: str | None
    started_on: date | None
    ended_on: date | None
    levels_before: dict[str, int] | None
    levels_after: dict[str, int] | None
    version: int


class ShortlistEntry(BaseModel):
    mentor_nip: str
    mentor_name: str
    score: float
    parts: dict[str, float]
    free_capacity: int
    reasons: list[MatchReason]


class ShortlistOut(BaseModel):
    program_id: uuid.UUID
    mentee_nip: str
    items: list[ShortlistEntry]
