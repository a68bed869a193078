"""Proposing a development plan from what is known of the employee. Pure: no I/O; the
service gathers the facts (the needs computation's needs, the latest published 360°
report's suggestions, the career interests, the catalogue's courses with eligibility) and
stores what this returns as a draft.

What it proposes, each item saying why (``source`` and an Indonesian ``reason``):

- **needs**: the ``MAX_DRAFT_NEEDS`` most urgent needs of the needs computation, each from
  the standard of the current position, a target position of the career interests, or a
  weak SKP (whichever gives the gap); a need the 360° report also names says so;
- **activities**: for each need the catalogue course that lifts the competency, that the
  employee is eligible for and that runs in the year (reaching the required level first,
  then the shortest); without one, coaching by the supervisor. For each 360° suggestion
  not already a need, a course when one lifts the competency, else coaching (a blind spot)
  or mentoring. For up to ``MAX_INTERESTS`` career interests, a training (interest in a
  training) or a rotation/internship (interest in a unit, field or rotation);
- **goals**: meeting the position's standard, preparing for a target position, following
  up the 360° report, better performance, and always the yearly 20 JP with the planned
  total, so the rule is visible from the start.

Works with any of the inputs empty (no 360° report, no interests, no needs).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final

from asn_career.training.development_plans.rules import (
    DEFAULT_JP,
    ActivityKind,
    ActivitySource,
    GoalSource,
    NeedSource,
    activity_kind,
    need_gap,
    planned_total,
    quarter_of,
)
from asn_career.training.needs.rules import level_of
from asn_career.training.rules import MIN_JP_PER_YEAR

MAX_DRAFT_NEEDS: Final = 5
MAX_INTERESTS: Final = 3
TITLE_MAX: Final = 300

REASONS_360: Final[dict[str, str]] = {
    "below_required_level": "dinilai di bawah level yang dipersyaratkan jabatan",
    "blind_spot": "titik buta: penilaian diri lebih tinggi daripada penilaian orang lain",
    "lowest_rated": "termasuk yang dinilai paling rendah oleh orang lain",
}


@dataclass(frozen=True)
class NeedFact:
    """One need as the needs computation gives it."""

    competency_id: int
    code: str
    name: str
    required_level: int | None
    target_level: int | None
    current_level: int | None
    gap: int
    performance: bool
    """The latest SKP is below *baik* (the need counts a performance gap)."""


@dataclass(frozen=True)
class Suggestion:
    """One ``develop_next`` entry of the latest published 360° report."""

    code: str
    name: str
    reason: str
    detail: str
    competency_id: int | None
    """The competency of that code, None for a value dimension (e.g. BerAKHLAK)."""


@dataclass(frozen=True)
class Interest:
    kind: str
    description: str
    target_title: str | None


@dataclass(frozen=True)
class CourseOption:
    """An active course of the agency running in the plan's year (or undated), one row per
    competency it lifts; ``eligible`` for this employee."""

    course_id: uuid.UUID
    code: str
    title: str
    form: str
    hours_jp: Decimal
    starts_on: date | None
    competency_id: int
    target_level: int
    eligible: bool


@dataclass(frozen=True)
class DraftFacts:
    year: int
    position_title: str | None
    needs: Sequence[NeedFact] = ()
    suggestions: Sequence[Suggestion] = ()
    feedback_cycle: str | None = None
    interests: Sequence[Interest] = ()
    courses: Sequence[CourseOption] = ()


@dataclass(frozen=True)
class ProposedGoal:
    text: str
    source: GoalSource


@dataclass(frozen=True)
class ProposedNeed:
    competency_id: int
    current_level: int | None
    required_level: int
    source: NeedSource
    reason: str


@dataclass(frozen=True)
class ProposedActivity:
    kind: ActivityKind
    title: str
    competency_id: int | None
    course_id: uuid.UUID | None
    planned_jp: Decimal
    target_quarter: int | None
    source: ActivitySource
    reason: str


@dataclass
class Proposal:
    goals: list[ProposedGoal] = field(default_factory=list)
    needs: list[ProposedNeed] = field(default_factory=list)
    activities: list[ProposedActivity] = field(default_factory=list)

    @property
    def planned_jp(self) -> Decimal:
        return planned_total(a.planned_jp for a in self.activities)


def jp_text(value: Decimal) -> str:
    """``24`` or ``7,5``: JP as Indonesian text."""
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"
    return text.replace(".", ",")


def best_course(
    options: Sequence[CourseOption], current_level: int | None, required_level: int | None,
    taken: set[uuid.UUID],
) -> CourseOption | None:  # fmt: skip
    """An eligible course not chosen yet that lifts the competency above the current
    level: one reaching ``required_level`` first, then the fewest JP, then the code."""
    start = level_of(current_level)
    fitting = [
        o for o in options if o.eligible and o.course_id not in taken and o.target_level > start
    ]
    if not fitting:
        return None
    goal = required_level or start + 1
    return min(fitting, key=lambda o: (o.target_level < goal, o.hours_jp, o.code))


def _clip(text: str) -> str:
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rstrip() + "…"


def _need(fact: NeedFact) -> tuple[NeedSource, int]:
    """Where the gap comes from and the level to reach."""
    own = need_gap(fact.current_level, fact.required_level) if fact.required_level else 0
    target = need_gap(fact.current_level, fact.target_level) if fact.target_level else 0
    if fact.required_level is not None and own >= target and own > 0:
        return "position", fact.required_level
    if fact.target_level is not None and target > 0:
        return "target_position", fact.target_level
    assert fact.required_level is not None  # a performance need is on a required competency
    return "performance", fact.required_level


def _level(level: int | None) -> str:
    return "belum dinilai (dihitung level 1)" if level is None else f"level {level}"


def _course_activity(course: CourseOption, source: ActivitySource, reason: str) -> ProposedActivity:
    return ProposedActivity(
        kind=activity_kind(course.form),
        title=_clip(course.title),
        competency_id=course.competency_id,
        course_id=course.course_id,
        planned_jp=course.hours_jp,
        target_quarter=quarter_of(course.starts_on) if course.starts_on else None,
        source=source,
        reason=reason,
    )


def propose(facts: DraftFacts) -> Proposal:
    proposal = Proposal()
    by_competency: dict[int, list[CourseOption]] = {}
    for option in facts.courses:
        by_competency.setdefault(option.competency_id, []).append(option)
    said_360 = {s.competency_id: s for s in facts.suggestions if s.competency_id is not None}
    taken: set[uuid.UUID] = set()
    position_names: list[str] = []
    performance_names: list[str] = []

    for fact in facts.needs[:MAX_DRAFT_NEEDS]:
        source, required = _need(fact)
        where = {
            "position": "jabatan saat ini",
            "target_position": "jabatan tujuan (minat karier atau rotasi yang disetujui)",
            "performance": "jabatan saat ini",
        }[source]
        reason = (
            f"Kompetensi {fact.code} {fact.name}: {_level(fact.current_level)}, "
            f"{where} mensyaratkan level {required}."
        )
        if source == "performance":
            reason += " Predikat SKP terakhir di bawah Baik."
            performance_names.append(fact.name)
        elif source == "position":
            position_names.append(fact.name)
        also = said_360.get(fact.competency_id)
        if also is not None:
            reason += f" Laporan umpan balik 360° juga menyarankannya ({REASONS_360[also.reason]})."
        proposal.needs.append(
            ProposedNeed(fact.competency_id, fact.current_level, required, source, reason)
        )
        course = best_course(
            by_competency.get(fact.competency_id, ()), fact.current_level, required, taken
        )
        if course is not None:
            taken.add(course.course_id)
            proposal.activities.append(
                _course_activity(
                    course,
                    "need",
                    f"Menutup kesenjangan {fact.code} {fact.name} ({_level(fact.current_level)}"
                    f" menuju level {required}); kursus ini menaikkan ke level "
                    f"{course.target_level}.",
                )
            )
        else:
            proposal.activities.append(
                ProposedActivity(
                    kind="coaching",
                    title=_clip(f"Coaching oleh atasan langsung: {fact.name}"),
                    competency_id=fact.competency_id,
                    course_id=None,
                    planned_jp=DEFAULT_JP["coaching"],
                    target_quarter=None,
                    source="need",
                    reason=f"Belum ada kursus di katalog tahun {facts.year} yang menaikkan "
                    f"{fact.code} ke level {required} dan terbuka bagi pegawai ini; "
                    "diusulkan coaching oleh atasan langsung.",
                )
            )

    needed = {n.competency_id for n in proposal.needs}
    followed: list[str] = []
    for suggestion in facts.suggestions:
        followed.append(suggestion.name)
        if suggestion.competency_id is not None and suggestion.competency_id in needed:
            continue
        why = (
            f"Saran laporan umpan balik 360° ({REASONS_360[suggestion.reason]}): "
            f"{suggestion.detail}"
        )
        course = None
        if suggestion.competency_id is not None:
            course = best_course(by_competency.get(suggestion.competency_id, ()), None, None, taken)
        if course is not None:
            taken.add(course.course_id)
            proposal.activities.append(_course_activity(course, "feedback_360", why))
            continue
        kind: ActivityKind = "coaching" if suggestion.reason == "blind_spot" else "mentoring"
        label = "Coaching" if kind == "coaching" else "Mentoring"
        proposal.activities.append(
            ProposedActivity(
                kind=kind,
                title=_clip(f"{label}: {suggestion.code} {suggestion.name}"),
                competency_id=suggestion.competency_id,
                course_id=None,
                planned_jp=DEFAULT_JP[kind],
                target_quarter=None,
                source="feedback_360",
                reason=why,
            )
        )

    targets: list[str] = []
    for interest in facts.interests[:MAX_INTERESTS]:
        if interest.kind == "position":
            targets.append(interest.target_title or interest.description)
            continue
        if interest.kind == "training":
            title, kind = interest.description, "training"
        else:
            title, kind = f"Rotasi/magang: {interest.description}", "rotation_or_internship"
        proposal.activities.append(
            ProposedActivity(
                kind=kind,
                title=_clip(title),
                competency_id=None,
                course_id=None,
                planned_jp=DEFAULT_JP[kind],
                target_quarter=None,
                source="career_interest",
                reason=f"Minat karier pegawai: {_clip(interest.description)}",
            )
        )

    goals = proposal.goals
    if position_names:
        position = facts.position_title or "saat ini"
        goals.append(
            ProposedGoal(
                f"Memenuhi standar kompetensi jabatan {position}: {', '.join(position_names)}.",
                "need",
            )
        )
    for title in targets:
        goals.append(
            ProposedGoal(
                f"Menyiapkan diri untuk jabatan yang diminati: {title}.", "target_position"
            )
        )
    if performance_names:
        goals.append(
            ProposedGoal(
                "Meningkatkan kinerja (predikat SKP terakhir di bawah Baik) dengan memperkuat "
                f"{', '.join(performance_names)}.",
                "need",
            )
        )
    if followed:
        cycle = f" ({facts.feedback_cycle})" if facts.feedback_cycle else ""
        goals.append(
            ProposedGoal(
                f"Menindaklanjuti saran pengembangan laporan umpan balik 360°{cycle}: "
                f"{', '.join(followed)}.",
                "feedback_360",
            )
        )
    total = proposal.planned_jp
    goals.append(
        ProposedGoal(
            f"Memenuhi hak pengembangan kompetensi sedikitnya {MIN_JP_PER_YEAR} JP pada tahun "
            f"{facts.year} (direncanakan {jp_text(total)} JP).",
            "minimum_jp",
        )
    )
    return proposal
