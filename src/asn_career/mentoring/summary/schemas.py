"""API shapes of a programme's summary and its files."""

import uuid

from pydantic import BaseModel, Field

from asn_career.core.sheets import AnswerFormat

SummaryFormat = AnswerFormat


class Coverage(BaseModel):
    mentees: int = Field(description="Active mentees enrolled.")
    matched: int = Field(description="With an active or completed relationship.")
    proposed: int = Field(description="With a published proposal not yet answered by both.")
    unmatched: int
    share_matched: float | None


class MentorLoad(BaseModel):
    mentors: int
    capacity: int
    carried: int = Field(description="Active and completed relationships.")
    mean_load: float | None
    max_load: int
    at_capacity: int = Field(description="Mentors whose active relationships fill them.")
    without_mentee: int


class Sessions(BaseModel):
    pairs: int = Field(description="Relationships that started (active, completed, ended).")
    sessions: int
    mean_per_pair: float | None
    mean_minutes_per_pair: float | None
    pairs_without_session: int


class Satisfaction(BaseModel):
    side: str
    responses: int
    mean_rating: float | None


class Growth(BaseModel):
    group: str = Field(description="`mentees` (mentored) or `comparison` (comparable staff).")
    people: int
    pairs: int = Field(description="Person × competency pairs measured.")
    mean_growth: float | None = Field(
        description="Mean change in level from the programme's start to its end (or today), "
        "from the assessment history; an unassessed competency counts as level 1."
    )
    share_grown: float | None


class SummaryOut(BaseModel):
    program_id: uuid.UUID
    coverage: Coverage
    mentor_load: MentorLoad
    sessions: Sessions
    satisfaction: list[Satisfaction]
    growth: list[Growth]
    growth_difference: float | None = Field(
        description="Mentees' mean growth minus the comparison group's."
    )
