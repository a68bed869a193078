"""The rules of individual development plans. Pure: no I/O.

Workflow: a plan is a ``draft`` while the employee and their supervisor write it (either
may edit, HR too); the supervisor (or HR) approves it, and an ``approved`` plan is fixed.
Only HR reopens an approved plan, which makes it a draft again under the next
``revision`` and clears the approval; it must then be approved anew.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Final, Literal, get_args

from asn_career.training.needs.rules import level_of
from asn_career.training.rules import MIN_JP_PER_YEAR

PlanStatus = Literal["draft", "approved"]
ActivityKind = Literal[
    "training", "mentoring", "coaching", "rotation_or_internship", "further_study"
]
"""``rotation_or_internship``: a rotation, secondment or internship (magang) in another
unit or agency; ``further_study``: a degree (tugas belajar / izin belajar)."""
ACTIVITY_KINDS: Final[tuple[str, ...]] = get_args(ActivityKind)
NeedSource = Literal["position", "target_position", "performance", "feedback_360", "manual"]
"""Where a need comes from: the current position's standard, a target position (of the
career interests or an approved rotation round), an SKP below *baik*, the latest 360°
report, or written by hand."""
ActivitySource = Literal["need", "feedback_360", "career_interest", "manual"]
GoalSource = Literal[
    "need", "target_position", "feedback_360", "career_interest", "minimum_jp", "manual"
]

DEFAULT_JP: Final[dict[str, Decimal]] = {
    "training": Decimal(16),
    "mentoring": Decimal(8),
    "coaching": Decimal(8),
    "rotation_or_internship": Decimal(40),
    "further_study": Decimal(0),
}
"""The JP a drafted activity without a catalogue course is planned at, for the employee and
supervisor to adjust: a short coaching or mentoring series (8 JP = six hours), two weeks of
part-time internship, a two-day training. Further study is not counted in JP."""

FORM_KINDS: Final[dict[str, ActivityKind]] = {
    "coaching": "coaching",
    "mentoring": "mentoring",
    "internship": "rotation_or_internship",
    "secondment": "rotation_or_internship",
    "degree_study": "further_study",
}
"""A catalogue course's form → the activity kind; every other form is ``training``."""

MAX_ACTIVITIES: Final = 30
MAX_NEEDS: Final = 30
MAX_GOALS: Final = 20


def may_edit(status: str) -> bool:
    return status == "draft"


def may_approve(status: str) -> bool:
    return status == "draft"


def may_reopen(status: str) -> bool:
    return status == "approved"


def activity_kind(form: str) -> ActivityKind:
    return FORM_KINDS.get(form, "training")


def need_gap(current_level: int | None, required_level: int) -> int:
    """Levels from the current level (an unassessed one counts as level 1, as the needs
    computation counts it) up to the required level; 0 when met."""
    return max(required_level - level_of(current_level), 0)


def planned_total(planned_jp: Iterable[Decimal]) -> Decimal:
    return sum(planned_jp, Decimal(0))


def jp_shortfall(total: Decimal) -> Decimal:
    """JP still missing to the yearly 20 JP; 0 when the plan reaches it."""
    return max(Decimal(MIN_JP_PER_YEAR) - total, Decimal(0))


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def repeated_competencies(codes: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    twice: set[str] = set()
    for code in codes:
        (twice if code in seen else seen).add(code)
    return sorted(twice)
