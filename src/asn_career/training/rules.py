"""The rules of training every path shares: course forms, the enrolment and request
states, the yearly 20 JP. Pure: no I/O."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, get_args

from asn_career.profiles.employees.rules import TRAINING_ENTITLEMENT_JP
from asn_career.profiles.histories.rules import TrainingForm

MIN_JP_PER_YEAR: Final = TRAINING_ENTITLEMENT_JP
"""Every ASN is entitled to at least 20 JP (1 JP = 45 minutes) of development a year."""

CourseForm = TrainingForm
"""A course's form is a training form of the profile's history, which completing an
enrolment writes (``profiles.histories.rules.TrainingForm``)."""
COURSE_FORMS: Final[tuple[str, ...]] = get_args(TrainingForm)

EnrolmentState = Literal["planned", "enrolled", "completed", "cancelled", "no_show"]
ENROLMENT_TRANSITIONS: Final[dict[str, tuple[frozenset[str], str]]] = {
    # action: (from states, to state)
    "enrol": (frozenset({"planned"}), "enrolled"),
    "complete": (frozenset({"enrolled"}), "completed"),
    "cancel": (frozenset({"planned", "enrolled"}), "cancelled"),
    "no_show": (frozenset({"enrolled"}), "no_show"),
}

RequestStatus = Literal["submitted", "endorsed", "rejected", "withdrawn"]
PlanStatus = Literal["solving", "proposed", "approved", "failed"]


def enrolment_target(state: str, action: str) -> str | None:
    """The state ``action`` moves an enrolment in ``state`` to, or None when it may not."""
    allowed = ENROLMENT_TRANSITIONS.get(action)
    if allowed is None or state not in allowed[0]:
        return None
    return allowed[1]


@dataclass(frozen=True)
class Need:
    """One employee's need in one competency, as the needs computation gives it and the
    planner consumes it: how far below the required level they are (``gap``, in levels),
    how urgent it is (``priority``, higher first), and the facts the plan's fairness rules
    and figures group by."""

    employee_id: uuid.UUID
    competency_id: int
    gap: float
    priority: float
    unit_id: uuid.UUID | None
    gender: str
    rank_code: str | None
    position_kind: str | None
    hours_this_year: float
    """JP of training already recorded for the plan's year."""


COURSE_CODE_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"


@dataclass(frozen=True)
class Rung:
    """A rank's place: its scale (PNS or PPPK) and its ordinal within the scale."""

    scale: str
    ordinal: int


@dataclass(frozen=True)
class Eligibility:
    """Who a course takes: position kinds (empty: every kind) and a rank range."""

    position_kinds: frozenset[str]
    min_rank: Rung | None
    max_rank: Rung | None


def ineligibility(rule: Eligibility, position_kind: str | None, rank: Rung | None) -> list[str]:
    """Why someone with this position kind and rank may not take the course: the rules it
    breaks (``position_kind``, ``rank``), empty when eligible. A rank range holds within
    its own scale; someone without a rank, or of another scale, is outside it."""
    broken = []
    if rule.position_kinds and position_kind not in rule.position_kinds:
        broken.append("position_kind")
    for bound, below in ((rule.min_rank, True), (rule.max_rank, False)):
        if bound is None:
            continue
        if (
            rank is None
            or rank.scale != bound.scale
            or (rank.ordinal < bound.ordinal if below else rank.ordinal > bound.ordinal)
        ):
            broken.append("rank")
            break
    return broken


def rank_range_problem(low: Rung | None, high: Rung | None) -> str | None:
    """``scale`` when the two bounds are of different scales, ``order`` when the lower is
    above the higher, None when the range is sound (or open)."""
    if low is None or high is None:
        return None
    if low.scale != high.scale:
        return "scale"
    return "order" if low.ordinal > high.ordinal else None


@dataclass(frozen=True)
class ShapeProblem:
    field: str
    msg: str
    msg_id: str
    kind: str


def course_shape_problems(
    min_participants: int, max_participants: int, starts_on: date | None, ends_on: date | None
) -> list[ShapeProblem]:
    """A course's batch sizes in order and its schedule ending on or after its start."""
    found = []
    if max_participants < min_participants:
        found.append(
            ShapeProblem(
                "max_participants",
                "max_participants is below min_participants",
                "jumlah peserta maksimum lebih kecil dari jumlah minimum",
                "participants_order",
            )
        )
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        found.append(
            ShapeProblem(
                "ends_on",
                f"ends_on {ends_on} is before starts_on {starts_on}",
                f"tanggal selesai {ends_on} sebelum tanggal mulai {starts_on}",
                "date_order",
            )
        )
    return found


def repeated(codes: list[str]) -> list[str]:
    """The codes listed more than once, sorted."""
    return sorted({c for c in codes if codes.count(c) > 1})
