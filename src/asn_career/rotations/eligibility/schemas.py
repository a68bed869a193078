"""One employee's standing for rotation."""

import uuid
from datetime import date

from pydantic import BaseModel, Field


class Reason(BaseModel):
    code: str = Field(
        description="`no_position`, `too_soon`, `first_year`, `near_retirement`, "
        "`sanction` or `on_leave`."
    )
    message: str
    message_id: str = Field(description="The same in Indonesian.")


class EligibilityOut(BaseModel):
    nip: str
    name: str
    unit_id: uuid.UUID | None
    position_id: uuid.UUID | None
    position_title: str | None
    position_kind: str | None
    position_start: date | None
    months_in_position: int | None
    retirement_age: int = Field(description="Retirement age (BUP) of the current position.")
    eligible: bool
    due: bool = Field(description="Past the policy's maximum months in the position.")
    reasons: list[Reason]
