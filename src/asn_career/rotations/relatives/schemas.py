"""A recorded close relationship between two employees of one agency."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Nip = Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")]
Relationship = Literal["spouse", "parent", "child", "sibling", "in_law", "other_close"]


class RelativeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nip: Nip
    relative_nip: Nip
    relationship: Relationship


class RelativeOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    nip: str
    name: str
    relative_nip: str
    relative_name: str
    relationship: Relationship
    created_at: datetime
