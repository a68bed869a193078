import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.outbox import known_event_types
from asn_career.core.types import StrictFlag

PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

EventType = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=PRINTABLE)]
DeliveryStatus = Literal["pending", "delivered", "failed", "cancelled"]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=2000,
        description="http(s) URL that receives the events as JSON POSTs; https only in "
        "production (unless ASN_CAREER_WEBHOOK_ALLOW_HTTP).",
        examples=["https://simpeg.example.go.id/hooks/asn-career"],
    )
    event_types: list[EventType] = Field(
        min_length=1,
        max_length=50,
        description="Events to receive; known: " + ", ".join(known_event_types()) + ".",
        examples=[["employee.created", "employee.updated"]],
    )
    agency: str = Field(
        min_length=1,
        max_length=32,
        pattern=PRINTABLE,
        description="Only this agency's events are sent.",
        examples=["36.74"],
    )
    secret: str | None = Field(
        default=None,
        min_length=16,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Signing secret; generated when omitted. Shown once, in this response.",
    )
    description: str | None = Field(default=None, max_length=200, pattern=PRINTABLE)
    active: StrictFlag = True


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    agency: str
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    secret_prefix: str = Field(description="The visible start of the secret, to recognise it.")
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int


class WebhookCreated(WebhookOut):
    secret: str = Field(
        description="Signing secret for `X-ASN-Career-Signature`; shown once, store it now."
    )


class DeliveryAttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status, if it answered.")
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    id: uuid.UUID = Field(description="Sent as `X-ASN-Career-Delivery`.")
    event_id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[DeliveryAttemptOut]
