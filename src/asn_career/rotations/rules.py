"""Pure rotation rules: the default policy, the fit parts and their default weights, the
retirement age (BUP) by position, and why an employee may not rotate.

The eligibility SQL (``eligibility/repository.py``) is built from these constants, and
``tests/rotations/test_rules.py`` pins it to ``eligibility_reasons`` with the same data.
"""

import calendar
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final, TypeVar

from asn_career.org.rules import FunctionalLevel, PositionKind

FIT_PARTS: Final = ("competency", "education", "rank", "experience", "interest", "performance")
"""The named parts of a fit score, each in [0, 1]."""

K = TypeVar("K", bound=Hashable)

DEFAULT_WEIGHTS: Final[Mapping[str, float]] = {
    "competency": 35.0,
    "education": 20.0,
    "rank": 10.0,
    "experience": 10.0,
    "interest": 10.0,
    "performance": 15.0,
}

JPT_KINDS: Final = frozenset(
    {PositionKind.JPT_UTAMA, PositionKind.JPT_MADYA, PositionKind.JPT_PRATAMA}
)

# Retirement age (batas usia pensiun): 58 by default; 60 for JPT and ahli madya; 65 for
# ahli utama.
DEFAULT_RETIREMENT_AGE: Final = 58
RETIREMENT_AGE_BY_KIND: Final[Mapping[str, int]] = {kind: 60 for kind in JPT_KINDS}
RETIREMENT_AGE_BY_LEVEL: Final[Mapping[str, int]] = {
    FunctionalLevel.AHLI_MADYA: 60,
    FunctionalLevel.AHLI_UTAMA: 65,
}

LEAVE_STATUSES: Final = ("leave", "study_leave")
GONE_STATUSES: Final = ("retired", "dismissed")
PLANNED_ROUND_STATUS: Final = "approved"
"""A round approved and not yet enacted: its placements are planned moves, whose target
positions training needs count as the employee's targets."""

# Why an employee may not rotate now, in the order they are reported.
REASONS: Final[Mapping[str, tuple[str, str]]] = {
    "no_position": ("holds no current position", "tidak memangku jabatan saat ini"),
    "too_soon": (
        "fewer months in the position than the policy's minimum",
        "masa dalam jabatan kurang dari minimum kebijakan",
    ),
    "first_year": ("in the first year after appointment", "dalam tahun pertama pengangkatan"),
    "near_retirement": (
        "in the last months before retirement age",
        "dalam bulan-bulan terakhir menjelang batas usia pensiun",
    ),
    "sanction": ("under an active disciplinary sanction", "sedang menjalani hukuman disiplin"),
    "on_leave": ("on leave", "sedang cuti"),
}
REASON_CODES: Final = tuple(REASONS)

# Performance part: the latest SKP predicate, on [0, 1]; no rating counts as the middle.
PREDICATE_SCORE: Final[Mapping[str, float]] = {
    "sangat_baik": 1.0,
    "baik": 0.75,
    "butuh_perbaikan": 0.4,
    "kurang": 0.2,
    "sangat_kurang": 0.0,
}
NO_RATING_SCORE: Final = 0.5
NO_PREFERENCE_EDUCATION_SCORE: Final = 0.5
"""Education part for a position that names no preferred field: neither fit nor misfit."""
UNIT_INTEREST_SCORE: Final = 0.6
"""Interest part for a stated interest in the position's unit (the position itself: 1)."""
TENURE_BUCKETS: Final[tuple[tuple[int, int | None], ...]] = (
    (0, 12),
    (12, 24),
    (24, 36),
    (36, 48),
    (48, 60),
    (60, None),
)
"""Months in the current position, as the history's tenure distribution counts them."""
POOR_FIT: Final = 0.5
"""Placement-fit report: an education or competency part below this fits poorly."""


@dataclass(frozen=True)
class Policy:
    min_months: int = 24
    max_months: int = 60
    max_months_jpt: int = 48
    retirement_buffer_months: int = 12
    first_year_months: int = 12
    enforce_grade_range: bool = True
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def max_for(self, kind: str | None) -> int:
        return self.max_months_jpt if kind in JPT_KINDS else self.max_months


DEFAULT_POLICY: Final = Policy()


def policy_problems(
    min_months: int, max_months: int, max_months_jpt: int, weights: Mapping[str, float]
) -> list[tuple[str, str, str]]:
    """(field, English, Indonesian) for each broken rule of a policy."""
    problems = []
    if min_months > max_months:
        problems.append(
            (
                "min_months",
                "min_months is above max_months.",
                "min_months melebihi max_months.",
            )
        )
    if max_months_jpt > max_months:
        problems.append(
            (
                "max_months_jpt",
                "max_months_jpt may not be above max_months (JPT is stricter).",
                "max_months_jpt tidak boleh melebihi max_months (JPT lebih ketat).",
            )
        )
    if sum(weights.values()) <= 0:
        problems.append(
            ("weights", "At least one weight must be positive.", "Minimal satu bobot positif.")
        )
    return problems


def retirement_age(kind: str | None, functional_level: str | None) -> int:
    if functional_level is not None and functional_level in RETIREMENT_AGE_BY_LEVEL:
        return RETIREMENT_AGE_BY_LEVEL[functional_level]
    return RETIREMENT_AGE_BY_KIND.get(kind or "", DEFAULT_RETIREMENT_AGE)


def retirement_age_sql(kind: str, level: str) -> str:
    """The same rule as ``retirement_age`` as a SQL CASE over two column expressions."""
    whens = [f"WHEN {level} = '{lvl}' THEN {age}" for lvl, age in RETIREMENT_AGE_BY_LEVEL.items()]
    whens += [f"WHEN {kind} = '{k}' THEN {age}" for k, age in RETIREMENT_AGE_BY_KIND.items()]
    return f"(CASE {' '.join(whens)} ELSE {DEFAULT_RETIREMENT_AGE} END)"


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, clamped to the month's end (as Postgres does)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(start: date, today: date) -> int:
    """Whole months from ``start`` to ``today``."""
    months = (today.year - start.year) * 12 + today.month - start.month
    return months - 1 if today.day < start.day else months


def months_between_sql(start: str, today: str) -> str:
    """``months_between`` as SQL over two date expressions."""
    return (
        f"((extract(year FROM {today}) - extract(year FROM {start})) * 12"
        f" + extract(month FROM {today}) - extract(month FROM {start})"
        f" - CASE WHEN extract(day FROM {today}) < extract(day FROM {start}) THEN 1 ELSE 0 END)"
    )


@dataclass(frozen=True)
class Standing:
    """What eligibility needs of one employee today."""

    status: str
    birth_date: date
    appointment_date: date
    position_kind: str | None
    functional_level: str | None
    position_start: date | None
    under_sanction: bool


def eligibility_reasons(s: Standing, policy: Policy, today: date) -> list[str]:
    """Every reason ``s`` may not rotate today, in ``REASON_CODES`` order; empty: eligible."""
    reasons = []
    if s.position_start is None:
        reasons.append("no_position")
    elif months_between(s.position_start, today) < policy.min_months:
        reasons.append("too_soon")
    if add_months(s.appointment_date, policy.first_year_months) > today:
        reasons.append("first_year")
    age = retirement_age(s.position_kind, s.functional_level)
    if add_months(s.birth_date, age * 12 - policy.retirement_buffer_months) <= today:
        reasons.append("near_retirement")
    if s.under_sanction:
        reasons.append("sanction")
    if s.status in LEAVE_STATUSES:
        reasons.append("on_leave")
    return reasons


def is_due(s: Standing, policy: Policy, today: date) -> bool:
    """Past the policy's maximum months in the current position (JPT: the stricter one)."""
    if s.position_start is None:
        return False
    return months_between(s.position_start, today) >= policy.max_for(s.position_kind)


def conflicts_after(
    today: Mapping[K, K],
    moves: Mapping[K, K],
    reports_to: Mapping[K, K | None],
    relatives: Iterable[tuple[K, K]],
) -> list[tuple[str, K, K]]:
    """The conflicts of interest after a round, between two people at least one of whom the
    round moves (``today``: person → position held today; ``moves``: person → position
    after the round; everyone else stays):

    - ``("relative", e, f)``: close relatives in a direct supervisor/subordinate pair
      (either's position reports directly to the other's);
    - ``("subordinate", a, b)``: ``a`` directly under ``b``, who reports directly to ``a``
      today.
    """
    final = {**today, **moves}
    out: list[tuple[str, K, K]] = []
    seen: set[frozenset[K]] = set()
    for e, f in relatives:
        pair = frozenset((e, f))
        if pair in seen or e not in final or f not in final or not (e in moves or f in moves):
            continue
        seen.add(pair)
        x, y = final[e], final[f]
        if reports_to.get(x) == y or reports_to.get(y) == x:
            out.append(("relative", e, f))
    holder = {position: person for person, position in today.items()}
    for b, q in today.items():
        boss = reports_to.get(q)
        a = holder.get(boss) if boss is not None else None
        if a is not None and (a in moves or b in moves) and reports_to.get(final[a]) == final[b]:
            out.append(("subordinate", a, b))
    return out
