"""Responses of ``GET /training/needs``: a need per employee and competency, its gap,
priority and the named parts the priority is made of."""

import uuid

from pydantic import BaseModel, Field

from asn_career.training.needs.rules import ReasonCode


class NeedReasonOut(BaseModel):
    code: ReasonCode = Field(description="Which part of the priority formula.")
    value: bool | int | float | str | None = Field(
        description="The fact behind the part: levels of gap, the SKP predicate, the "
        "position kind, years since the last training (null: never), JP this year, or "
        "whether a request was endorsed."
    )
    points: float = Field(description="What the part adds to the priority.")


class NeedOut(BaseModel):
    employee_id: uuid.UUID
    nip: str
    name: str
    unit_id: uuid.UUID | None
    position_id: uuid.UUID | None
    position_kind: str | None
    competency_id: int
    competency_code: str = Field(examples=["M.1"])
    competency_name: str
    required_level: int | None = Field(
        description="The level the current position requires (null: it does not)."
    )
    target_level: int | None = Field(
        description="The highest level a target position requires: one the career "
        "interests aim for, or one an approved rotation round places the employee in."
    )
    current_level: int | None = Field(
        description="Null: never assessed; the gap then counts it as level 1."
    )
    assessed: bool
    gap: int = Field(description="Levels below the required or target level (≥ 1).")
    priority: float = Field(description="Higher first; the sum of the reasons' points.")
    hours_this_year: float = Field(description="JP of training recorded in the year.")
    reasons: list[NeedReasonOut]
