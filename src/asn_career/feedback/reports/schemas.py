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
    mean: float | None = Field(None, description="Raw mean on the 1–5 scale.")
    sd: float | None = Field(None, description="Sample standard deviation (n − 1).")
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


Agreement = Literal["strong", "moderate", "weak", "none"]


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
    self_minus_others: float | None
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
