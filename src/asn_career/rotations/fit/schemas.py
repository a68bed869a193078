"""Fit scores with their named parts."""

import uuid

from pydantic import BaseModel, Field


class PartOut(BaseModel):
    name: str = Field(
        description="`competency`, `education`, `rank`, `experience`, `interest` or `performance`."
    )
    score: float = Field(description="The part, 0–1.")
    weight: float = Field(description="Its share of the fit (the agency's weights, summing to 1).")
    contribution: float = Field(description="score × weight × 100: its points of the fit.")


class CandidateOut(BaseModel):
    nip: str
    name: str
    position_id: uuid.UUID | None = Field(description="The candidate's current position.")
    position_title: str | None
    fit: float = Field(description="0–100: the weighted sum of the parts.")
    parts: list[PartOut]
    eligible: bool
    reasons: list[str] = Field(description="Why not eligible (see `/rotations/eligibility`).")
    rank_in_range: bool
    due: bool


class BetterPosition(BaseModel):
    position_id: uuid.UUID
    code: str
    title: str
    unit_name: str
    fit: float
    parts: list[PartOut]


class PlacementFitOut(BaseModel):
    nip: str
    name: str
    position_id: uuid.UUID
    position_title: str
    fit: float = Field(description="Fit for the current position, 0–100.")
    parts: list[PartOut]
    poor: list[str] = Field(
        description="What fits poorly: `education` (no preferred field) and/or `competency` "
        "(under half of the required levels)."
    )
    better: list[BetterPosition] = Field(
        description="Up to 3 vacant positions of the agency that fit better (rank in range)."
    )
