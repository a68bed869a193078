"""A move: the target position, its effective date (TMT) and the decree."""

import uuid

from pydantic import BaseModel, ConfigDict, Field

from asn_career.core.types import IsoDate
from asn_career.profiles.histories.schemas import AssignmentOut, Text100


class MoveCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position_id: uuid.UUID = Field(description="The target position, in the employee's agency.")
    effective_date: IsoDate = Field(
        description="TMT of the new position; the current primary assignment ends the day before."
    )
    decree_number: Text100 | None = Field(default=None, examples=["800/123/BKPSDM/2026"])
    decree_date: IsoDate | None = None


class MoveOut(BaseModel):
    nip: str
    closed: AssignmentOut | None = Field(
        description="The primary assignment that ended (none when the employee held none)."
    )
    opened: AssignmentOut
