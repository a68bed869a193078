import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor: str
    actor_role: str
    action: str
    entity_type: str
    entity_id: str
    agency_code: str | None
    changes: dict[str, Any]
    request_id: str | None
    api_key_id: uuid.UUID | None
    nip: str | None


@dataclass(frozen=True)
class AuditFilters:
    agency: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    nip: str | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
