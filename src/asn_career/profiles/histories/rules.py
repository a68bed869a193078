"""Pure rules of an employee's histories: no I/O, unit-tested on their own."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from asn_career.core.errors import field_problem
from asn_career.org.rules import MAX_DAYS_AHEAD
from asn_career.org.rules import today_in_indonesia as today_in_indonesia

# --- SKP predicate (PermenPANRB 6/2022) --------------------------------------------------

Expectation = Literal["below", "as_expected", "above"]
Predicate = Literal["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]

PREDICATE_LABELS: dict[str, str] = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang/Misconduct",
    "sangat_kurang": "Sangat Kurang",
}

# results → behaviour → predicate, exactly the matrix of the domain document.
PREDICATE_MATRIX: dict[str, dict[str, Predicate]] = {
    "above": {"below": "kurang", "as_expected": "baik", "above": "sangat_baik"},
    "as_expected": {"below": "kurang", "as_expected": "baik", "above": "baik"},
    "below": {
        "below": "sangat_kurang",
        "as_expected": "butuh_perbaikan",
        "above": "butuh_perbaikan",
    },
}


def skp_predicate(results: str, behaviour: str) -> Predicate:
    """The SKP predicate for work results and work behaviour, each below / as / above."""
    try:
        return PREDICATE_MATRIX[results][behaviour]
    except KeyError as exc:
        raise ValueError(f"unknown rating {results!r}/{behaviour!r}") from exc


ANNUAL_REVIEW_MONTHS = 2
"""The annual SKP of a year is assessed in the first months of the next one."""


def supervisor_may_rate(year: int, period: str, today: date) -> bool:
    """Whether the period is still the supervisor's to rate: the running or the just-ended
    quarter, the running year, and last year's annual rating until the end of February.
    Earlier periods are history, and only HR changes them."""
    if period == "annual":
        return year == today.year or (
            year == today.year - 1 and today.month <= ANNUAL_REVIEW_MONTHS
        )
    quarter = int(period[1])
    running = today.year * 4 + (today.month - 1) // 3
    return running - 1 <= year * 4 + quarter - 1 <= running


# --- Dates --------------------------------------------------------------------------------


def check_date_order(start: date, end: date | None) -> None:
    """A period ends on or after its start (assignments, trainings, sanctions)."""
    if end is not None and end < start:
        raise field_problem(
            "end_date",
            f"end_date {end} is before start_date {start}.",
            f"Tanggal selesai {end} sebelum tanggal mulai {start}.",
            "date_order",
        )


def check_not_future(
    field: str, value: date | int | None, today: date, label_id: str | None = None
) -> None:
    """What has happened (a decree, an assessment, a graduation, a year rated) is not in
    the future; a year is compared with today's. ``label_id`` names the field in the
    Indonesian message (``Tahun lulus``)."""
    if value is None:
        return
    late = value > today.year if isinstance(value, int) else value > today
    if late:
        raise field_problem(
            field,
            f"{field} {value} is in the future.",
            f"{label_id or field} {value} berada di masa depan.",
            "future_date",
        )


def check_start_not_too_far_ahead(start: date, today: date) -> None:
    """An assignment starts at most ``MAX_DAYS_AHEAD`` days from today."""
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    if start > latest:
        raise field_problem(
            "start_date",
            f"start_date {start} is more than {MAX_DAYS_AHEAD} days ahead (after {latest}).",
            f"TMT jabatan {start} lebih dari {MAX_DAYS_AHEAD} hari ke depan (setelah {latest}).",
            "too_far_ahead",
        )


# --- Competency assessments --------------------------------------------------------------

AssessmentSource = Literal["assessment_center", "feedback_360", "supervisor", "self"]
SOURCE_PRECEDENCE: tuple[str, ...] = ("assessment_center", "feedback_360", "supervisor", "self")
"""Most trusted first: the current level comes from the best source that has assessed."""


def source_rank(source: str) -> int:
    """0 for the most trusted source; larger is weaker."""
    return SOURCE_PRECEDENCE.index(source)


def best_assessment_order_sql(alias: str) -> str:
    """``current_level``'s choice as a SQL ``ORDER BY`` list over the assessments aliased
    ``alias``, best first: the most trusted source, then the latest day, then the latest
    recorded. Every statement that picks a level (the current levels, the importer's, the
    levels as of a date) orders by this one text."""
    ranks = " ".join(
        f"WHEN '{source}' THEN {rank}" for rank, source in enumerate(SOURCE_PRECEDENCE)
    )
    return (
        f"CASE {alias}.source {ranks} ELSE {len(SOURCE_PRECEDENCE)} END, "
        f"{alias}.assessed_on DESC, {alias}.created_at DESC, {alias}.id DESC"
    )


def current_level(
    assessments: Iterable[tuple[str, date, int]],
) -> tuple[int, str, date] | None:
    """(level, source, assessed_on) of the latest assessment of the best source present.

    ``assessments`` come in the order they were recorded (``created_at``, then ``id``): of
    two from one source on one day, the one recorded later counts, as in the repository's
    SQL (``HistoryRepository.refresh_current_level``), which a property test pins to this.
    """
    best: tuple[str, date, int] | None = None
    for source, assessed_on, level in assessments:
        if best is None:
            best = (source, assessed_on, level)
            continue
        rank, best_rank = source_rank(source), source_rank(best[0])
        if rank < best_rank or (rank == best_rank and assessed_on >= best[1]):
            best = (source, assessed_on, level)
    if best is None:
        return None
    return best[2], best[0], best[1]


# --- Trainings ---------------------------------------------------------------------------

CLASSROOM_FORMS = ("training", "seminar", "workshop", "technical_guidance")
NON_CLASSROOM_FORMS = (
    "coaching",
    "mentoring",
    "e_learning",
    "internship",
    "secondment",
    "benchmarking",
    "self_study",
    "degree_study",
)
TrainingForm = Literal[
    "training",
    "seminar",
    "workshop",
    "technical_guidance",
    "coaching",
    "mentoring",
    "e_learning",
    "internship",
    "secondment",
    "benchmarking",
    "self_study",
    "degree_study",
]
MINUTES_PER_JP = 45


def is_classroom(form: str) -> bool:
    return form in CLASSROOM_FORMS


def jp_to_minutes(hours_jp: float) -> int:
    """One JP (jam pelajaran) is 45 minutes."""
    return round(hours_jp * MINUTES_PER_JP)


# --- Dates -------------------------------------------------------------------------------

MIN_SCHOOL_AGE = 5
"""A graduation year before birth year + 5 is a typing error."""


def graduation_year_bounds(birth_date: date, today: date) -> tuple[int, int]:
    return birth_date.year + MIN_SCHOOL_AGE, today.year
