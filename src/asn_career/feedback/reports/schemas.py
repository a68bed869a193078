"""The per-subject report: the shape stored frozen in ``feedback_reports.body`` at publish,
served as JSON, rendered as PDF and flattened into the group-level exports.

Every figure of an anonymous group carries ``n``; a group below the cycle's minimum is
merged into ``other`` and, when still too small, present only as ``suppressed`` with no
figures at all. Nothing here names a rater.
"""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

ReportGroup = Literal["self", "supervisor", "peer", "subordinate", "public", "other", "overall"]
"""``other``: the anonymous groups too small to show alone, merged. ``overall``: everyone
but self whose figures are shown (never a suppressed group's), so subtracting the shown
groups from it recovers nothing."""


class GroupFigure(BaseModel):
    group: ReportGroup
    suppressed: bool = Field(
        description="True when the group has fewer responses than the cycle's minimum; "
        "then n, mean, sd and calibrated_mean are null."
    )
    n: int | None = Field(None, description="Responses (raters) behind the figure.")
    mean: float | None = Field(
        None,
        description="Raw mean on the 1–5 scale of the scores behind the figure (a dimension's "
        "figure pools the scores of its items that are shown for the group).",
    )
    sd: float | None = Field(
        None,
        description="Sample standard deviation of those scores (divisor: scores − 1); null "
        "with fewer than two scores.",
    )
    calibrated_mean: float | None = Field(
        None,
        description="Mean after removing each rater's estimated leniency or severity "
        "(null for self, which is never calibrated).",
    )


class ItemResult(BaseModel):
    code: str
    text_id: str
    text_en: str
    groups: list[GroupFigure]


Agreement = Literal["very_strong", "strong", "moderate", "weak", "none"]
"""LeBreton & Senter (2008): ≤ .30 none, ≤ .50 weak, ≤ .70 moderate, ≤ .90 strong, above
that very strong."""


class DimensionResult(BaseModel):
    """A competency (``M.1``, ``T.3``) or a BerAKHLAK value (``BA.1``)."""

    kind: Literal["competency", "value"]
    code: str
    name_id: str
    name_en: str
    required_level: int | None = Field(
        None, description="The level the subject's position requires (competencies only)."
    )
    groups: list[GroupFigure]
    self_mean: float | None
    others_mean: float | None = Field(
        None, description="The overall (everyone but self, shown groups only) raw mean."
    )
    others_calibrated_mean: float | None
    self_minus_others: float | None = Field(
        None,
        description="Self mean minus the others' calibrated mean (both as shown, rounded); "
        "the blind-spot flag compares it with the cycle's threshold.",
    )
    flag: Literal["blind_spot", "hidden_strength"] | None = Field(
        None,
        description="blind_spot: self above others by more than the cycle's threshold; "
        "hidden_strength: the reverse.",
    )
    rwg: float | None = Field(
        None,
        description="Within-group agreement r_wg(J) of the shown anonymous raters over the "
        "dimension's items (James, Demaree & Wolf); null with fewer than the minimum.",
    )
    agreement: Agreement | None
    items: list[ItemResult]


class ResponseCount(BaseModel):
    group: Literal["self", "supervisor", "peer", "subordinate", "public"]
    invited: int
    responded: int | None = Field(
        None, description="Null when the group is suppressed, so its size stays hidden."
    )
    shown_as: Literal["self", "supervisor", "peer", "subordinate", "public", "other", "suppressed"]


class Comment(BaseModel):
    group: Literal["self", "supervisor", "peer", "subordinate", "public", "other"]
    dimension_code: str | None
    text: str


class DevelopmentSuggestion(BaseModel):
    dimension_code: str
    name_id: str
    name_en: str
    reason: Literal["below_required_level", "blind_spot", "lowest_rated"]
    detail_id: str
    detail_en: str


class ReportSubject(BaseModel):
    nip: str
    name: str
    position_title: str | None
    unit_name: str | None


class ReportOut(BaseModel):
    cycle_id: uuid.UUID
    cycle_name: str
    agency_code: str
    subject: ReportSubject
    preview: bool = Field(
        description="True for HR's preview of a closed, unpublished cycle; published "
        "reports are frozen and served as stored."
    )
    published_at: datetime | None
    min_group_size: int
    blind_spot_threshold: float
    responses: list[ResponseCount]
    overall: GroupFigure
    overall_rwg: float | None
    dimensions: list[DimensionResult]
    blind_spots: list[str]
    hidden_strengths: list[str]
    comments: list[Comment]
    develop_next: list[DevelopmentSuggestion]


# --- the cycle summary (HR) ----------------------------------------------------------------


class Completion(BaseModel):
    invited: int = Field(description="Requests sent (nominations awaiting HR not counted).")
    submitted: int
    declined: int
    open: int = Field(description="Not answered yet (pending or saved as a draft).")


class UnitCompletion(Completion):
    unit_id: uuid.UUID | None
    unit_name: str | None
    subjects: int


class GroupCompletion(Completion):
    group: Literal["self", "supervisor", "peer", "subordinate", "public"]


class LeniencyBin(BaseModel):
    low: float | None = Field(description="Lower bound (inclusive); null: open-ended.")
    high: float | None = Field(description="Upper bound (exclusive); null: open-ended.")
    raters: int


class Leniency(BaseModel):
    """How the raters' estimated effects are spread; never who is where."""

    raters: int = Field(
        description="Raters whose effect is estimated: those who rated at least two people "
        "(a rater of one person, every public rater among them, is never calibrated)."
    )
    shrinkage: float = Field(
        description="κ: a rater who rated m people keeps m / (m + κ) of their apparent "
        "leniency or severity."
    )
    shrinkage_estimated: bool
    sd: float | None = Field(description="Standard deviation of the rater effects.")
    lenient: int = Field(description="Raters more than 0.5 point above the others.")
    severe: int = Field(description="Raters more than 0.5 point below the others.")
    bins: list[LeniencyBin]


class Reliability(BaseModel):
    icc1: float | None = Field(
        description="ICC(1): the share of one rating's variance that is the person rated."
    )
    icck: float | None = Field(
        description="ICC(k): the reliability of a person's mean over k0 raters."
    )
    k0: float | None = Field(description="Raters per person, averaged for unequal numbers.")
    subjects: int
    ratings: int


class HeatmapUnit(BaseModel):
    unit_id: uuid.UUID | None
    unit_name: str | None


class HeatmapDimension(BaseModel):
    kind: Literal["competency", "value"]
    code: str
    name_id: str
    name_en: str


class HeatmapCell(BaseModel):
    unit_id: uuid.UUID | None
    dimension_code: str
    calibrated_mean: float = Field(
        description="Mean over the unit's people of their others' calibrated mean."
    )
    subjects: int
    raters: int


class Heatmap(BaseModel):
    units: list[HeatmapUnit]
    dimensions: list[HeatmapDimension]
    cells: list[HeatmapCell] = Field(
        description="Only cells with at least the cycle's minimum of people and of raters."
    )


class CycleSummaryOut(BaseModel):
    cycle_id: uuid.UUID
    state: Literal["draft", "open", "closed", "published"]
    min_group_size: int
    subjects: int
    completion: Completion
    completion_by_unit: list[UnitCompletion]
    completion_by_group: list[GroupCompletion]
    reminders_due: int = Field(
        description="Open requests of an open cycle before its deadline, never reminded or "
        "last reminded more than three days ago."
    )
    statistics_available: bool = Field(
        description="False while the cycle is open or a draft: the figures below change with "
        "each response, so they wait until it is closed."
    )
    straight_lined: int | None = Field(
        description="Submitted responses of five or more scored items all given the same score."
    )
    leniency: Leniency | None
    reliability: Reliability | None
    heatmap: Heatmap | None
