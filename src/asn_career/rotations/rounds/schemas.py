"""A rotation round: what goes in, the proposal that comes out, and its placements."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.text import Storable
from asn_career.core.types import IsoDate, StrictFlag
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.profiles.histories.schemas import Text100
from asn_career.rotations.fit.schemas import PartOut

Nip = Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable
]
RoundStatus = Literal["solving", "draft", "approved", "enacted", "rejected", "failed"]
LetterFormat = Literal["csv", "xlsx", "pdf"]


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nip: Nip
    position_id: uuid.UUID


class RoundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: Annotated[str, StringConstraints(pattern=AGENCY_CODE_PATTERN, max_length=32)]
    name: Name = Field(examples=["Rotasi Semester I 2027"])
    effective_date: IsoDate = Field(description="TMT of every move of the round.")
    decree_number: Text100 | None = None
    decree_date: IsoDate | None = None
    vacancy_ids: list[uuid.UUID] | None = Field(
        default=None,
        max_length=5000,
        description="Vacant positions to fill; every vacant position of the agency when left out.",
    )
    pool: list[Nip] | None = Field(
        default=None,
        max_length=25000,
        description="Candidates by NIP; every eligible employee of the agency when left out.",
    )
    include_vacated: StrictFlag = Field(
        default=True,
        description="Also fill the positions that eligible candidates leave by moving.",
    )
    min_fit: float = Field(
        default=0, ge=0, le=100, strict=True, description="Lowest fit (0–100) placed."
    )
    pinned: list[Pair] = Field(
        default_factory=list, max_length=1000, description="Pairs placed whatever their fit."
    )
    forbidden: list[Pair] = Field(
        default_factory=list, max_length=10000, description="Pairs never placed."
    )


class RoundOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    name: str
    status: RoundStatus
    effective_date: date
    decree_number: str | None
    decree_date: date | None
    min_fit: float
    objective: float | None = Field(description="Total fit (points) of the optimal proposal.")
    greedy_objective: float | None = Field(
        description="Total fit of the greedy baseline on the same round."
    )
    figures: dict[str, Any] = Field(
        description="Vacancies, vacated positions, candidates, placed, empty, stays, "
        "greedy's placements, pairs excluded by each rule, solve seconds; `greedy_gave_up` "
        "when the greedy baseline could not move whom a pin leaves in a conflict of interest "
        "(its total and placements are then the proposal's)."
    )
    job_id: uuid.UUID | None
    decided_by: str | None
    decided_at: datetime | None
    enacted_at: datetime | None
    version: int
    created_at: datetime


class PlacementOut(BaseModel):
    ordinal: int
    position_id: uuid.UUID
    position_code: str
    position_title: str
    origin: Literal["vacancy", "vacated"] = Field(
        description="A vacancy, or the position of a candidate who may move."
    )
    outcome: Literal["placed", "pinned", "kept", "empty"] = Field(
        description="`placed` by the solver, `pinned` by HR, `kept` by its holder who stays, "
        "or left `empty`."
    )
    nip: str | None
    name: str | None
    from_position_id: uuid.UUID | None
    fit: float | None
    parts: list[PartOut] | None
    greedy_nip: str | None = Field(description="Who the greedy baseline placed here.")
    explanation: str
    explanation_id: str = Field(description="The explanation in Indonesian.")
    excluded: dict[str, int] = Field(
        description="Candidates this position could not take, by rule: `ineligible`, "
        "`rank_out_of_range`, `below_min_fit`, `conflict_of_interest` (with someone who stays "
        "outside the pool), `forbidden`, `own_position`, `conflict_in_round` (with another "
        "outcome of this round: a pool member's placement or staying)."
    )


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), Storable] | None
    ) = None
