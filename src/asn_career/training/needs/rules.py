"""How urgent a training need is: the gap, and the priority formula with its named parts.

Pure: no I/O. The needs repository builds its SQL from these same constants, and
``tests/training/needs/test_priority_parity.py`` sends the same inputs through both.

A need is one employee in one competency:

- ``position_gap``: the level the current position requires minus the current level;
- ``target_gap``: the same for the highest level a target position requires: one the
  employee's career interests (kind ``position``) aim for, or one an approved rotation
  round places them in;
- ``performance``: the latest SKP's predicate is below *baik* and the competency is one of
  the current position's: a need of ``PERFORMANCE_GAP`` level even when the level is met.

A competency without a current level counts as level ``MISSING_LEVEL`` (1, the lowest
level of the dictionary's scale): an employee nobody assessed is presumed at the entry
level, so they do not outrank a colleague assessed at level 1, nor disappear from the
list. The reasons say ``assessed: false`` for them.

``gap = max(position_gap, target_gap, PERFORMANCE_GAP if performance else 0)``; a need is
positive when ``gap > 0``.

The priority is a weighted sum, rounded to 3 decimals, of these parts:

=====================  ==============================================================
part                   points
=====================  ==============================================================
``gap``                ``W_GAP`` × position_gap
``target_gap``         ``W_TARGET`` × max(target_gap − position_gap, 0)
``performance``        ``W_PERFORMANCE`` if the latest SKP is below *baik*
``criticality``        ``W_CRITICALITY`` × the weight of the position's kind
                       (jpt 1, administrator 0.8, pengawas 0.6, fungsional 0.4,
                       pelaksana 0.2)
``training_age``       ``W_TRAINING_AGE`` × min(years since the last training in the
                       competency, 5) / 5 (never trained: 5 years)
``hours_shortfall``    ``W_HOURS`` × max(20 − JP this year, 0) / 20
``endorsed_request``   ``W_REQUEST`` if a request for the competency was endorsed this year
=====================  ==============================================================
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal
from zoneinfo import ZoneInfo

from asn_career.training.rules import MIN_JP_PER_YEAR

MISSING_LEVEL: Final = 1
"""The level of a competency nobody assessed."""
PERFORMANCE_GAP: Final = 1
"""The gap (in levels) an SKP below *baik* gives each competency of the position."""
BELOW_BAIK: Final = ("butuh_perbaikan", "kurang", "sangat_kurang")
"""SKP predicates below *baik* (``profiles.histories.rules.Predicate``)."""
TRAINING_AGE_CAP: Final = 5
"""Years since the last training count up to this many; never trained counts as this."""

W_GAP: Final = Decimal("1.0")
W_TARGET: Final = Decimal("0.5")
W_PERFORMANCE: Final = Decimal("0.5")
W_CRITICALITY: Final = Decimal("0.5")
W_TRAINING_AGE: Final = Decimal("0.5")
W_HOURS: Final = Decimal("0.5")
W_REQUEST: Final = Decimal("0.75")

KIND_WEIGHTS: Final[dict[str, Decimal]] = {
    "jpt_utama": Decimal("1.0"),
    "jpt_madya": Decimal("1.0"),
    "jpt_pratama": Decimal("1.0"),
    "administrator": Decimal("0.8"),
    "pengawas": Decimal("0.6"),
    "fungsional": Decimal("0.4"),
    "pelaksana": Decimal("0.2"),
}
"""How critical a position is by its kind: structural positions weigh more."""

PRIORITY_PLACES: Final = Decimal("0.001")

ReasonCode = Literal[
    "gap",
    "target_gap",
    "performance",
    "criticality",
    "training_age",
    "hours_shortfall",
    "endorsed_request",
]

_JAKARTA = ZoneInfo("Asia/Jakarta")


def current_year(now: datetime | None = None) -> int:
    """The year in Asia/Jakarta (the needs' default year)."""
    return (now or datetime.now(_JAKARTA)).astimezone(_JAKARTA).year


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class NeedFacts:
    """What the priority is computed from, as the SQL reads it for one employee and
    competency."""

    position_level: int | None
    """The level the current position requires; None: it does not require it."""
    target_level: int | None
    """The highest level a target position requires; None: no target requires it."""
    current_level: int | None
    """None: never assessed (counts as ``MISSING_LEVEL``)."""
    predicate: str | None
    """The latest SKP's predicate up to the year; None: no SKP."""
    position_kind: str | None
    years_since_training: int | None
    """Years since the last training in the competency; None: never trained."""
    hours_this_year: Decimal
    endorsed_request: bool


def level_of(current_level: int | None) -> int:
    return MISSING_LEVEL if current_level is None else current_level


def position_gap(facts: NeedFacts) -> int:
    if facts.position_level is None:
        return 0
    return max(facts.position_level - level_of(facts.current_level), 0)


def target_gap(facts: NeedFacts) -> int:
    if facts.target_level is None:
        return 0
    return max(facts.target_level - level_of(facts.current_level), 0)


def performance_need(facts: NeedFacts) -> bool:
    """The latest SKP is below *baik*, and the competency is one the position requires."""
    return facts.predicate in BELOW_BAIK and facts.position_level is not None


def gap(facts: NeedFacts) -> int:
    return max(
        position_gap(facts),
        target_gap(facts),
        PERFORMANCE_GAP if performance_need(facts) else 0,
    )


def kind_weight(kind: str | None) -> Decimal:
    return KIND_WEIGHTS.get(kind or "", Decimal(0))


def training_age(years_since_training: int | None) -> int:
    """Years since the last training, capped; never trained counts as the cap."""
    if years_since_training is None:
        return TRAINING_AGE_CAP
    return min(max(years_since_training, 0), TRAINING_AGE_CAP)


def hours_shortfall(hours_this_year: Decimal) -> Decimal:
    """The share of the yearly 20 JP still missing, 0 to 1."""
    return max(Decimal(MIN_JP_PER_YEAR) - hours_this_year, Decimal(0)) / Decimal(MIN_JP_PER_YEAR)


def priority_parts(facts: NeedFacts) -> dict[ReasonCode, Decimal]:
    """Each part's points; the priority is their sum, rounded (``priority``)."""
    own = position_gap(facts)
    return {
        "gap": W_GAP * own,
        "target_gap": W_TARGET * max(target_gap(facts) - own, 0),
        "performance": W_PERFORMANCE if performance_need(facts) else Decimal(0),
        "criticality": W_CRITICALITY * kind_weight(facts.position_kind),
        "training_age": W_TRAINING_AGE
        * training_age(facts.years_since_training)
        / TRAINING_AGE_CAP,
        "hours_shortfall": W_HOURS * hours_shortfall(facts.hours_this_year),
        "endorsed_request": W_REQUEST if facts.endorsed_request else Decimal(0),
    }


def round_priority(value: Decimal) -> Decimal:
    return value.quantize(PRIORITY_PLACES, rounding=ROUND_HALF_UP)


def priority(facts: NeedFacts) -> Decimal:
    return round_priority(sum(priority_parts(facts).values(), Decimal(0)))
