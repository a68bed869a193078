import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

AgencyCode = str


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, examples=["SIASN sync"])
    agencies: list[AgencyCode] = Field(min_length=1, max_length=100, examples=[["36.74"]])
    scopes: list[str] = Field(min_length=1, max_length=100, examples=[["jobs:read"]])


class ApiKeyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    agencies: list[AgencyCode] | None = Field(default=None, min_length=1, max_length=100)
    scopes: list[str] | None = Field(default=None, min_length=1, max_length=100)


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str = Field(description="The visible start of the key, to recognise it.")
    agencies: list[str]
    scopes: list[str]
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    version: int


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself; shown once, store it now.")
