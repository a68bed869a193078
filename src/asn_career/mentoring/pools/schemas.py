"""API shapes of a programme's pools: mentors and mentees."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from asn_career.core.i18n import BilingualValueError
from asn_career.core.text import Storable
from asn_career.core.types import StrictFlag
from asn_career.mentoring.rules import MAX_CAPACITY
from asn_career.profiles.employees.schemas import Nip

CompetencyCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{1,4}\.[0-9]{1,4}$", max_length=16),
    Field(examples=["M.6"]),
]
Codes = Annotated[list[CompetencyCode], Field(max_length=20)]
Capacity = Annotated[int, Field(ge=1, le=MAX_CAPACITY, strict=True)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
                 Storable]  # fmt: skip


def _not_null(data: Any, names: tuple[str, ...]) -> Any:
    if isinstance(data, dict):
        for name in names:
            if name in data and data[name] is None:
                raise BilingualValueError(f"{name} may not be null", f"{name} tidak boleh null")
    return data


class MentorCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nip: Nip = Field(description="The mentor; an employee opts in with their own NIP.")
    capacity: Capacity | None = Field(
        default=None, description="Mentees at a time; default the programme's."
    )
    strengths: Codes | None = Field(
        default=None,
        description="Competencies the mentor can guide in; default their current "
        "competencies at level 4 or above.",
    )
    availability: Text | None = Field(default=None, examples=["Selasa dan Kamis sore"])


class MentorUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capacity: Capacity | None = None
    strengths: Codes | None = None
    availability: Text | None = None
    active: StrictFlag | None = Field(default=None, description="Inactive: left out of matchings.")

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        return _not_null(data, ("strengths", "active"))


class MentorOut(BaseModel):
    id: uuid.UUID
    program_id: uuid.UUID
    nip: str
    name: str
    capacity: int = Field(description="Effective: the mentor's own or the programme's.")
    capacity_given: int | None
    strengths: list[str]
    availability: str | None
    added_by: str
    active: bool
    load: int = Field(description="Matches proposed (published) or active now.")
    version: int
    created_at: datetime
    updated_at: datetime


class MenteeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nip: Nip = Field(description="The mentee; an employee enrols with their own NIP.")
    goals: Text | None = Field(
        default=None, examples=["Menguasai penyusunan dokumen perencanaan pembangunan"]
    )
    focus: Codes | None = Field(
        default=None,
        description="Competencies to grow in; default the largest gaps from training needs "
        "and the latest published 360° report.",
    )


class MenteeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    goals: Text | None = None
    focus: Codes | None = None
    active: StrictFlag | None = None

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        return _not_null(data, ("focus", "active"))


class FocusReason(BaseModel):
    code: str
    source: str = Field(description="`training_need` or `feedback_360`.")
    detail: str = Field(description="Why, in Indonesian.")
    detail_en: str = Field(description="Why, in English.")


class MenteeOut(BaseModel):
    id: uuid.UUID
    program_id: uuid.UUID
    nip: str
    name: str
    goals: str | None
    focus: list[str]
    focus_source: str = Field(description="`given`, or `derived` from needs and 360° results.")
    focus_reasons: list[FocusReason]
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime
