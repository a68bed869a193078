"""Moves and an agency's rotation figures."""

import uuid
from datetime import date

from pydantic import BaseModel, Field


class HistoryMoveOut(BaseModel):
    assignment_id: uuid.UUID
    nip: str
    name: str
    start_date: date = Field(description="TMT of the new position.")
    decree_number: str | None
    from_position_id: uuid.UUID
    from_position_title: str
    from_unit: str
    from_unit_kind: str
    to_position_id: uuid.UUID
    to_position_title: str
    to_unit: str
    to_unit_kind: str
    across_unit_kinds: bool = Field(description="The move changed the kind of unit.")


class TenureBucket(BaseModel):
    from_months: int
    to_months: int | None = Field(description="Exclusive; none for the last bucket.")
    employees: int


class KindFlow(BaseModel):
    from_unit_kind: str
    to_unit_kind: str
    moves: int


class Figures(BaseModel):
    since: date
    until: date
    employees_holding_a_position: int
    moves: int
    rotation_rate: float = Field(description="Moves in the period per employee holding a position.")
    across_unit_kinds: int
    across_unit_kinds_share: float = Field(description="Share of the moves that changed unit kind.")
    past_max: int = Field(description="Employees past the policy's maximum months today.")
    tenure: list[TenureBucket] = Field(description="Months in the current position today.")
    flows: list[KindFlow] = Field(description="Moves by unit kind left and joined.")


class HistoryOut(BaseModel):
    figures: Figures
    items: list[HistoryMoveOut] = Field(description="The period's moves, newest first.")
    next_cursor: str | None
