"""The rules of answering a 360° request: what a response may hold, when it may be
written, and when a rater is due a reminder. Pure: no I/O.

One answer is exactly one of a score on the 1–5 scale or "not observed" (stored as a null
score, ``feedback_answers.score``), with an optional comment. A draft holds any subset of
the items; a submitted response must cover every required item and give at least one
score (a response without any score says nothing: the rater should decline instead).
Public raters answer the same questionnaire, and may mark any item "not observed": a
citizen at a service counter sees only part of an employee's work.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from asn_career.feedback.rules import OPEN_REQUEST_STATUSES, SCALE_MAX, SCALE_MIN

MAX_COMMENT_LENGTH: Final = 2000
"""Characters of one comment; enough for a paragraph, short enough to read in a report."""

MAX_DECLINE_REASON_LENGTH: Final = 500

ANSWERABLE_STATUSES: Final[frozenset[str]] = OPEN_REQUEST_STATUSES
"""A response may be written while the request is pending or a draft."""

ANSWERABLE_CYCLE_STATE: Final = "open"
RATER_VISIBLE_CYCLE_STATES: Final[frozenset[str]] = frozenset({"open", "closed", "published"})
"""A rater sees a request once its cycle has opened: in a draft cycle HR is still choosing
the raters, and a request may yet disappear."""

DEFAULT_REMINDER_WINDOW: Final = timedelta(days=7)
"""Open requests whose cycle's deadline is this close are due a reminder."""
DEFAULT_REMINDER_INTERVAL: Final = timedelta(days=3)
"""A rater is not reminded of the same request again within this time."""


@dataclass(frozen=True)
class ItemRule:
    """What a questionnaire item allows."""

    code: str
    required: bool
    comment_allowed: bool
    not_observed_allowed: bool


@dataclass(frozen=True)
class GivenAnswer:
    """One answer as sent (``comment`` already stripped; empty means none)."""

    item_code: str
    score: int | None
    not_observed: bool
    comment: str | None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a response: where (``("answers", 2, "score")``), in English
    and Indonesian, and a machine-readable kind."""

    loc: tuple[str | int, ...]
    message_en: str
    message_id: str
    kind: str


def item_rules_for_public(items: Sequence[ItemRule]) -> list[ItemRule]:
    """The items as a public rater answers them: every one may be "not observed"."""
    return [
        ItemRule(i.code, i.required, i.comment_allowed, not_observed_allowed=True) for i in items
    ]


def _answer_problems(
    index: int, answer: GivenAnswer, item: ItemRule | None, seen: set[str]
) -> list[Problem]:
    at: tuple[str | int, ...] = ("answers", index)
    code = answer.item_code
    if item is None:
        return [
            Problem(
                (*at, "item_code"),
                f"unknown item {code!r} in this questionnaire",
                f"butir {code!r} tidak ada dalam kuesioner ini",
                "unknown_item",
            )
        ]
    if code in seen:
        return [
            Problem(
                (*at, "item_code"),
                f"item {code!r} is answered more than once",
                f"butir {code!r} dijawab lebih dari sekali",
                "duplicate_item",
            )
        ]
    problems = []
    if answer.score is not None and not SCALE_MIN <= answer.score <= SCALE_MAX:
        problems.append(
            Problem(
                (*at, "score"),
                f"score must be from {SCALE_MIN} to {SCALE_MAX}",
                f"nilai harus antara {SCALE_MIN} dan {SCALE_MAX}",
                "score_range",
            )
        )
    if answer.not_observed and not item.not_observed_allowed:
        problems.append(
            Problem(
                (*at, "not_observed"),
                f"item {code!r} cannot be answered as not observed",
                f"butir {code!r} tidak boleh dijawab 'tidak teramati'",
                "not_observed_forbidden",
            )
        )
    elif answer.not_observed and answer.score is not None:
        problems.append(
            Problem(
                (*at, "not_observed"),
                "give either a score or not observed, not both",
                "isi nilai atau 'tidak teramati', jangan keduanya",
                "score_and_not_observed",
            )
        )
    elif not answer.not_observed and answer.score is None:
        problems.append(
            Problem(
                (*at, "score"),
                f"item {code!r} needs a score"
                + (" or not observed" if item.not_observed_allowed else ""),
                f"butir {code!r} perlu diberi nilai"
                + (" atau ditandai 'tidak teramati'" if item.not_observed_allowed else ""),
                "score_missing",
            )
        )
    if answer.comment is not None:
        if not item.comment_allowed:
            problems.append(
                Problem(
                    (*at, "comment"),
                    f"item {code!r} takes no comment",
                    f"butir {code!r} tidak menerima komentar",
                    "comment_forbidden",
                )
            )
        elif len(answer.comment) > MAX_COMMENT_LENGTH:
            problems.append(
                Problem(
                    (*at, "comment"),
                    f"a comment holds at most {MAX_COMMENT_LENGTH} characters",
                    f"komentar paling banyak {MAX_COMMENT_LENGTH} karakter",
                    "comment_too_long",
                )
            )
    return problems


def response_problems(
    items: Sequence[ItemRule], answers: Sequence[GivenAnswer], *, submit: bool
) -> list[Problem]:
    """Everything wrong with ``answers`` to a questionnaire of ``items``; empty when the
    response may be saved (as a draft, or submitted when ``submit``)."""
    by_code: Mapping[str, ItemRule] = {item.code: item for item in items}
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, answer in enumerate(answers):
        problems.extend(_answer_problems(index, answer, by_code.get(answer.item_code), seen))
        seen.add(answer.item_code)
    if not submit or problems:
        return problems
    answered = {a.item_code for a in answers}
    for item in items:
        if item.required and item.code not in answered:
            how_en = ": give a score or mark it not observed" if item.not_observed_allowed else ""
            how_id = (
                ": beri nilai atau tandai 'tidak teramati'" if item.not_observed_allowed else ""
            )
            problems.append(
                Problem(
                    ("answers",),
                    f"item {item.code!r} is required{how_en}",
                    f"butir {item.code!r} wajib dijawab{how_id}",
                    "answer_required",
                )
            )
    if not problems and not any(a.score is not None for a in answers):
        problems.append(
            Problem(
                ("answers",),
                "a response needs at least one score; decline the request instead if you "
                "cannot rate this person",
                "jawaban perlu memuat paling sedikit satu nilai; tolak permintaan ini jika "
                "Anda tidak dapat menilai pegawai tersebut",
                "no_score",
            )
        )
    return problems


def status_after_save(answer_count: int, *, submit: bool) -> str:
    """``submitted``, or ``draft`` while answers are saved, or ``pending`` without any."""
    if submit:
        return "submitted"
    return "draft" if answer_count else "pending"


# --- reminders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRule:
    """When an open request is due a reminder (``reminder_due``)."""

    window: timedelta = DEFAULT_REMINDER_WINDOW
    interval: timedelta = DEFAULT_REMINDER_INTERVAL

    @classmethod
    def of_days(cls, within_days: int, interval_days: int) -> "ReminderRule":
        return cls(timedelta(days=within_days), timedelta(days=interval_days))


def reminder_due(
    rule: ReminderRule,
    now: datetime,
    *,
    cycle_state: str,
    deadline: datetime,
    opened_at: datetime | None,
    status: str,
    created_at: datetime,
    reminded_at: datetime | None,
) -> bool:
    """A request of a named rater is due a reminder when all of these hold:

    - its cycle is open and its deadline has not passed, and the request is still open
      (``pending`` or ``draft``);
    - the rater was not reminded of it within ``rule.interval``;
    - either the deadline is within ``rule.window``, or the rater has not begun (still
      ``pending``, never reminded) ``rule.interval`` after the request reached them (the
      later of its creation and the cycle's opening).

    ``ReminderRepository.due_clause`` is the same rule in SQL; a test pins the two together.
    """
    if cycle_state != ANSWERABLE_CYCLE_STATE or now >= deadline:
        return False
    if status not in OPEN_REQUEST_STATUSES:
        return False
    if reminded_at is not None and reminded_at > now - rule.interval:
        return False
    if deadline <= now + rule.window:
        return True
    reached = max(created_at, opened_at) if opened_at is not None else created_at
    return status == "pending" and reminded_at is None and reached <= now - rule.interval
