"""API shapes of training plans: the request (budget, filters, weights, fairness rules),
the plan with its solver figures, its items with their reasons, and an approval."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.training.rules import PlanStatus

MAX_TIME_LIMIT_S = 120
MAX_FILTER_IDS = 1000


class WeightsIn(BaseModel):
    """The objective's weights. ``closure`` per unit of priority-weighted gap closed,
    ``reach`` per person reached, ``coverage`` per person below 20 JP the plan brings to
    20 JP (the last two in the same units as the first)."""

    model_config = ConfigDict(extra="forbid")

    closure: float = Field(1.0, ge=0, le=1000)
    reach: float = Field(0.0, ge=0, le=1000)
    coverage: float = Field(0.0, ge=0, le=1000)


class FairnessIn(BaseModel):
    """Fairness rules, each off unless set."""

    model_config = ConfigDict(extra="forbid")

    below_20jp_first: bool = Field(
        False,
        description="Reach as many people below 20 JP as possible first (lexicographic: "
        "their number is maximised, then the objective with that number kept).",
    )
    no_second_before_larger_gap: bool = Field(
        False,
        description="Nobody gets a second course while a colleague with a larger gap and a "
        "course they are eligible for gets none.",
    )
    max_unit_share: float | None = Field(
        None, gt=0, le=1, description="The largest share of one unit in the plan."
    )
    unit_share_by: Literal["people", "cost"] = Field(
        "people",
        description="What the unit share counts: people reached, or per-participant cost.",
    )
    min_per_unit: int | None = Field(
        None, ge=1, le=10_000,
        description="At least this many people reached in every unit (or all its people "
        "with a possible course, when fewer).",
    )  # fmt: skip
    max_hours_per_person: float | None = Field(
        None, gt=0, le=2000, description="A cap on each person's planned JP."
    )


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: str = Field(pattern=AGENCY_CODE_PATTERN, max_length=32)
    year: int = Field(ge=2000, le=2100)
    budget: Decimal = Field(ge=0, le=Decimal("99999999999999"), decimal_places=2)
    course_ids: list[uuid.UUID] | None = Field(
        None, min_length=1, max_length=MAX_FILTER_IDS,
        description="Plan with these courses only (default: every active course).",
    )  # fmt: skip
    unit_ids: list[uuid.UUID] | None = Field(
        None, min_length=1, max_length=MAX_FILTER_IDS,
        description="Plan for the people of these units (with their sub-units) only.",
    )  # fmt: skip
    weights: WeightsIn = Field(default_factory=WeightsIn)
    fairness: FairnessIn = Field(default_factory=FairnessIn)
    time_limit_s: int = Field(30, ge=1, le=MAX_TIME_LIMIT_S)


class PlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    agency_code: str
    year: int
    budget: Decimal
    options: dict[str, Any]
    status: PlanStatus
    job_id: uuid.UUID | None
    solver_status: str | None = Field(
        description="optimal, time_limit, feasible, infeasible, empty (no candidate enrolment), or "
        "why the plan failed."
    )
    objective: float | None
    bound: float | None = Field(description="The solver's proven upper bound on the objective.")
    gap: float | None = Field(description="(bound − objective) / bound.")
    greedy_objective: float | None
    figures: dict[str, Any]
    items_total: int
    approved_at: datetime | None
    approved_by: str | None
    created_at: datetime
    version: int


class PlanItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    employee_id: uuid.UUID
    nip: str
    course_id: uuid.UUID
    batch: int
    competency_id: int | None
    gap_closed: Decimal
    priority: Decimal
    cost_share: Decimal = Field(
        description="Cost per participant plus the batch's fixed cost over its size."
    )
    reasons: dict[str, Any]
    approved: bool


class PlanApprove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: Literal["all"] | Annotated[list[int], Field(min_length=1, max_length=100_000)] = Field(
        description='"all", or the ids of the items to approve (the others are not).'
    )
