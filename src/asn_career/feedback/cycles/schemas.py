"""API shapes of cycles, subjects, rater requests, nominations and rater proposals.

No shape here carries an answer, nor a public request's token hash.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from asn_career.core.i18n import BilingualValueError
from asn_career.core.text import Storable
from asn_career.core.types import IsoDate, IsoDateTime, StrictFlag
from asn_career.feedback.rules import (
    DEFAULT_BLIND_SPOT_THRESHOLD,
    DEFAULT_MIN_GROUP_SIZE,
    DEFAULT_PEERS,
    DEFAULT_SUBORDINATES,
    MAX_BLIND_SPOT_THRESHOLD,
    MAX_NOMINATIONS,
    MAX_REQUESTS_PER_RATER,
    MAX_SUBORDINATES,
    MIN_GROUP_SIZE_RANGE,
    PEERS_RANGE,
)
from asn_career.org.rules import PositionKind
from asn_career.org.schemas import AgencyCode
from asn_career.profiles.employees.schemas import Nip

T = TypeVar("T")

CycleState = Literal["draft", "open", "closed", "published"]
RequestStatus = Literal["nominated", "pending", "draft", "submitted", "declined"]
Relationship = Literal["self", "supervisor", "peer", "subordinate", "public"]
HrRelationship = Literal["self", "supervisor", "peer", "subordinate"]
Origin = Literal["generated", "hr", "nomination", "public"]

MAX_SUBJECTS_PER_CALL = 20_000


def _not_null(value: T | None) -> T | None:
    if value is None:
        raise BilingualValueError("may not be null", "tidak boleh null")
    return value


NotNull = AfterValidator(_not_null)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise BilingualValueError(
            "needs a UTC offset, e.g. 2026-12-31T23:59:00+07:00",
            "harus memuat selisih zona waktu, mis. 2026-12-31T23:59:00+07:00",
        )
    return value


Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable
]
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), Storable
]
Deadline = Annotated[
    IsoDateTime,
    AfterValidator(_aware),
    Field(
        description="When answering ends, with its UTC offset; in the future.",
        examples=["2026-12-31T23:59:00+07:00"],
    ),
]
MinGroupSize = Annotated[
    int,
    Field(
        ge=MIN_GROUP_SIZE_RANGE[0],
        le=MIN_GROUP_SIZE_RANGE[1],
        description="Fewest responses an anonymous group (peers, direct reports, public) "
        "needs to be shown.",
    ),
]
BlindSpotThreshold = Annotated[
    Decimal,
    Field(
        gt=0,
        le=Decimal(str(MAX_BLIND_SPOT_THRESHOLD)),
        max_digits=3,
        decimal_places=2,
        description="Self minus others above this is a blind spot, below its negative a "
        "hidden strength (points of the 1–5 scale).",
        examples=[1.0],
    ),
]
RequestCap = Annotated[
    int,
    Field(
        ge=1,
        le=50,
        description="Most peer and direct-report requests one rater is given in the cycle "
        "(self and supervisor requests count in the load but are never refused).",
    ),
]


# --- cycles ----------------------------------------------------------------------------


class CycleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: AgencyCode
    name: Name = Field(examples=["Umpan Balik 360° Semester II 2026"])
    period_start: IsoDate = Field(description="The period the feedback is about.")
    period_end: IsoDate
    questionnaire_id: uuid.UUID = Field(description="Shared, or the agency's own.")
    deadline: Deadline
    min_group_size: MinGroupSize = DEFAULT_MIN_GROUP_SIZE
    blind_spot_threshold: BlindSpotThreshold = Decimal(str(DEFAULT_BLIND_SPOT_THRESHOLD))
    max_requests_per_rater: RequestCap = MAX_REQUESTS_PER_RATER


class CycleUpdate(BaseModel):
    """A draft cycle may change in any field; an open one only moves its deadline later."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Name | None, NotNull] = None
    period_start: Annotated[IsoDate | None, NotNull] = None
    period_end: Annotated[IsoDate | None, NotNull] = None
    questionnaire_id: Annotated[uuid.UUID | None, NotNull] = None
    deadline: Annotated[Deadline | None, NotNull] = None
    min_group_size: Annotated[MinGroupSize | None, NotNull] = None
    blind_spot_threshold: Annotated[BlindSpotThreshold | None, NotNull] = None
    max_requests_per_rater: Annotated[RequestCap | None, NotNull] = None


class StatusCounts(BaseModel):
    nominated: int = 0
    pending: int = 0
    draft: int = 0
    submitted: int = 0
    declined: int = 0


class RelationshipCounts(BaseModel):
    self: int = 0
    supervisor: int = 0
    peer: int = 0
    subordinate: int = 0
    public: int = 0


class CycleCounts(BaseModel):
    subjects: int
    requests: int
    requests_by_status: StatusCounts
    requests_by_relationship: RelationshipCounts


class CycleOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    name: str
    period_start: date
    period_end: date
    questionnaire_id: uuid.UUID
    deadline: datetime
    min_group_size: int
    blind_spot_threshold: float
    max_requests_per_rater: int
    state: CycleState
    opened_at: datetime | None
    closed_at: datetime | None
    published_at: datetime | None
    counts: CycleCounts
    version: int
    created_at: datetime
    updated_at: datetime


# --- subjects --------------------------------------------------------------------------


class SubjectsAdd(BaseModel):
    """Either ``nips``, or a filter (``unit_id`` with its sub-units, ``position_kind``)."""

    model_config = ConfigDict(extra="forbid")

    nips: Annotated[list[Nip], Field(min_length=1, max_length=MAX_SUBJECTS_PER_CALL)] | None = None
    unit_id: uuid.UUID | None = Field(
        default=None, description="Employees of this unit (and its sub-units, by default)."
    )
    include_subunits: StrictFlag = True
    position_kind: PositionKind | None = Field(
        default=None, description="Only employees holding a position of this kind."
    )
    public_facing: StrictFlag = Field(
        default=False,
        description="They serve the public, who may then rate them through one-time links.",
    )

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        by_filter = self.unit_id is not None or self.position_kind is not None
        if (self.nips is None) == (not by_filter):
            raise BilingualValueError(
                "give either nips or a filter (unit_id, position_kind), not both nor neither",
                "isi nips atau penyaring (unit_id, position_kind), tidak keduanya dan tidak kosong",
            )
        return self


class SubjectsAdded(BaseModel):
    matched: int = Field(description="Active employees of the agency the call named.")
    added: int = Field(description="Of them, not yet subjects of the cycle.")
    subjects: int = Field(description="Subjects of the cycle now.")


class SubjectOut(BaseModel):
    nip: str
    name: str
    unit_id: uuid.UUID | None = Field(description="The unit when the subject was added.")
    unit_name: str | None
    position_id: uuid.UUID | None = Field(description="The position when added.")
    position_title: str | None
    public_facing: bool
    added_at: datetime
    raters: RelationshipCounts = Field(
        description="Requests per relationship, declined ones excepted."
    )


# --- rater proposals -------------------------------------------------------------------


class GenerateRaters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peers: int = Field(
        default=DEFAULT_PEERS,
        ge=PEERS_RANGE[0],
        le=PEERS_RANGE[1],
        description="Peers per subject, requests already there included.",
    )
    subordinates: int = Field(
        default=DEFAULT_SUBORDINATES,
        ge=0,
        le=MAX_SUBORDINATES,
        description="Direct reports per subject, requests already there included.",
    )


class ReasonOut(BaseModel):
    code: str
    text_id: str
    text_en: str


class ShortfallOut(BaseModel):
    nip: str
    name: str
    peers: int
    subordinates: int
    minimum: int
    reasons: list[ReasonOut]


class NoSupervisorOut(BaseModel):
    nip: str
    name: str
    reason: ReasonOut


class GenerationOut(BaseModel):
    subjects: int
    created: RelationshipCounts = Field(description="New requests per relationship.")
    total_created: int
    below_minimum: list[ShortfallOut] = Field(
        description="Subjects whose peers and direct reports together stay below the "
        "cycle's minimum group size, with why."
    )
    without_supervisor: list[NoSupervisorOut]


# --- requests --------------------------------------------------------------------------


class RequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_nip: Nip
    rater_nip: Nip
    relationship: HrRelationship
    note: Note | None = Field(default=None, description="Why HR added this rater.")


class RequestReplace(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rater_nip: Nip
    note: Note | None = None


class Nomination(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peers: Annotated[list[Nip], Field(min_length=1, max_length=MAX_NOMINATIONS)] = Field(
        description="Colleagues the subject proposes as peer raters, for HR's approval."
    )


class NominationOut(BaseModel):
    received: list[str] = Field(
        description="The NIPs taken for HR's review. The answer is the same whether or not "
        "someone already rates the subject, so it tells nothing about who does."
    )


class RequestOut(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    subject_nip: str
    subject_name: str
    rater_nip: str | None = Field(description="Null for a public rater.")
    rater_name: str | None
    relationship: Relationship
    status: RequestStatus
    origin: Origin
    reason_code: str
    reason: str = Field(description="Why this rater was chosen (Indonesian).")
    decline_reason: str | None
    submitted_at: datetime | None
    reminded_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
