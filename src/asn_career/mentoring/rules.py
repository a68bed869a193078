"""The rules of mentoring, pure: who may mentor whom (seniority, the reporting line, the
unit), the weights of a match's named parts, capacities, and how a match moves through
its states. No I/O; the services, the matching and the demo use these."""

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, get_args

SeniorityBasis = Literal["rank_steps", "years"]
UnitRule = Literal["preferred", "required", "avoided", "ignored"]
Objective = Literal["score", "participation"]
Part = Literal["strength", "career", "seniority", "unit", "education"]
Side = Literal["mentor", "mentee"]
MatchState = Literal["proposed", "active", "completed", "ended", "declined", "superseded"]
MatchingStatus = Literal["solving", "proposed", "published", "superseded", "failed"]
UnmatchedReason = Literal["no_eligible_mentor", "capacity_exhausted"]

PARTS: Final[tuple[Part, ...]] = get_args(Part)
DEFAULT_WEIGHTS: Final[dict[Part, float]] = {
    "strength": 0.40,  # the mentor is strong where the mentee wants to grow
    "career": 0.20,  # the mentor works in the family of positions the mentee aims for
    "seniority": 0.15,  # senior enough to guide, not so far as to lose touch
    "unit": 0.15,  # proximity as the programme's unit rule asks
    "education": 0.10,  # a shared field of study
}
DEFAULT_CAPACITY: Final = 2
MAX_CAPACITY: Final = 20
STRENGTH_MIN_LEVEL: Final = 4
"""A mentor's strengths default to their current competencies at this level or above."""
DEFAULT_FOCUS_COUNT: Final = 3
"""A mentee's focus defaults to their largest gaps, this many."""
DEFAULT_MIN_GAP: Final[dict[SeniorityBasis, int]] = {"rank_steps": 2, "years": 5}
DEFAULT_BAND_WIDTH: Final[dict[SeniorityBasis, int]] = {"rank_steps": 4, "years": 15}
"""The useful band of seniority: from the minimum gap up to minimum + width scores 1;
beyond, each step (or year) loses ``1 / width``, down to 0."""
SATISFACTION_SCALE: Final = (1, 5)
ACCEPTED_STATES: Final[frozenset[str]] = frozenset({"active", "completed"})
LIVE_STATES: Final[frozenset[str]] = frozenset({"proposed", "active"})


@dataclass(frozen=True)
class ProgramRules:
    """The hard rules and the band of a programme."""

    seniority_basis: SeniorityBasis = "rank_steps"
    min_gap: int = DEFAULT_MIN_GAP["rank_steps"]
    band_width: int = DEFAULT_BAND_WIDTH["rank_steps"]
    exclude_reporting_line: bool = True
    unit_rule: UnitRule = "preferred"
    default_capacity: int = DEFAULT_CAPACITY
    objective: Objective = "score"


def weights_problem(weights: dict[str, float]) -> str | None:
    """Why a set of weights is unusable, or None: every part known, none negative, and
    some weight somewhere."""
    unknown = sorted(set(weights) - set(PARTS))
    if unknown:
        return f"unknown part {unknown[0]}"
    if any(w < 0 for w in weights.values()):
        return "negative weight"
    if not any(w > 0 for w in weights.values()):
        return "all weights zero"
    return None


def full_weights(weights: dict[str, float]) -> dict[Part, float]:
    """The programme's weights with the parts it leaves out at zero."""
    return {p: float(weights.get(p, 0.0)) for p in PARTS}


def period_problem(starts_on: date, ends_on: date) -> bool:
    return ends_on < starts_on


def years_between(earlier: date, later: date) -> float:
    return (later - earlier).days / 365.25


# --- a match's life --------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """What answering does to a match: its next state, and whether that state starts
    (``active``: the relationship begins) or ends it."""

    state: MatchState
    starts: bool = False
    ends: bool = False


def respond(
    state: str, mentor: str | None, mentee: str | None, side: Side, accept: bool
) -> Transition | Literal["already_answered", "not_live"]:
    """One side accepts or declines. A proposal both sides accept becomes ``active``; a
    proposal either side declines is ``declined`` (the pair is never proposed again in the
    programme); declining an ``active`` relationship ends it (``ended``)."""
    own = mentor if side == "mentor" else mentee
    other = mentee if side == "mentor" else mentor
    if state == "active":
        return "already_answered" if accept else Transition("ended", ends=True)
    if state != "proposed":
        return "not_live"
    if own is not None:
        return "already_answered"
    if not accept:
        return Transition("declined", ends=True)
    if other == "accepted":
        return Transition("active", starts=True)
    return Transition("proposed")


def may_complete(state: str) -> bool:
    return state == "active"


def may_log_session(state: str) -> bool:
    return state in ("active", "completed")


def may_give_feedback(state: str) -> bool:
    """Feedback is given at the end: once the relationship is completed or ended."""
    return state in ("completed", "ended")


def kept_on_rematch(state: str, mentor: str | None, mentee: str | None) -> bool:
    """An accepted match survives a new run: active, or proposed with one side's yes."""
    return state == "active" or (state == "proposed" and "accepted" in (mentor, mentee))


def derive_focus(
    needs: list[str], feedback: list[str], count: int = DEFAULT_FOCUS_COUNT
) -> list[tuple[str, Literal["training_need", "feedback_360"]]]:
    """A mentee's default focus: the largest training needs and the latest 360° report's
    suggestions taken in turn (needs first), each competency once, ``count`` of them."""
    chosen: dict[str, Literal["training_need", "feedback_360"]] = {}
    for n in range(max(len(needs), len(feedback))):
        for source, codes in (("training_need", needs), ("feedback_360", feedback)):
            if n < len(codes) and codes[n] not in chosen and len(chosen) < count:
                chosen[codes[n]] = source  # type: ignore[assignment]
    return list(chosen.items())


FUNCTIONAL_LEVELS: Final = (
    "Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama",
    "Pemula", "Terampil", "Mahir", "Penyelia",
)  # fmt: skip
MANAGERIAL_KINDS: Final = frozenset(
    {"jpt_utama", "jpt_madya", "jpt_pratama", "administrator", "pengawas"}
)


def position_family(kind: str | None, title: str | None) -> str | None:
    """The career path a position belongs to: a functional position's title without its
    level ("Perencana Ahli Muda" → "Perencana"), "managerial" for the structural ladder,
    otherwise the kind (pelaksana)."""
    if kind is None:
        return None
    if kind in MANAGERIAL_KINDS:
        return "managerial"
    if kind == "fungsional" and title:
        for level in FUNCTIONAL_LEVELS:
            if title.endswith(" " + level):
                return title[: -len(level) - 1].strip()
        return title.strip()
    return kind


def education_key(field: str | None) -> str | None:
    """Fields of study compared case- and space-insensitively."""
    if field is None or not field.strip():
        return None
    return " ".join(field.lower().split())
