"""API shapes of questionnaires and their items."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.text import Storable
from asn_career.core.types import StrictFlag
from asn_career.feedback.rules import (
    ITEM_CODE_PATTERN,
    MAX_ITEMS,
    QUESTIONNAIRE_CODE_PATTERN,
)
from asn_career.org.schemas import AgencyCode

QuestionnaireCode = Annotated[
    str,
    StringConstraints(pattern=QUESTIONNAIRE_CODE_PATTERN, max_length=64),
    Field(examples=["BERAKHLAK-MANAJERIAL"]),
]
ItemCode = Annotated[
    str, StringConstraints(pattern=ITEM_CODE_PATTERN, max_length=32), Field(examples=["BA1-a"])
]
DimensionCode = Annotated[
    str,
    StringConstraints(pattern=r"^((M|SK|T)\.[1-9][0-9]{0,3}|BA\.[1-7])$", max_length=32),
    Field(
        description="`M.n`, `SK.n` or `T.n` (a competency of the dictionary for the agency) "
        "or `BA.1`–`BA.7` (a BerAKHLAK value).",
        examples=["M.1", "BA.2"],
    ),
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), Storable
]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Storable
]
DimensionKind = Literal["competency", "value"]


class AnchorText(BaseModel):
    """What one point of the scale looks like, in Indonesian and English."""

    model_config = ConfigDict(extra="forbid")

    id: Text = Field(examples=["Selalu menyapa dan menanyakan kebutuhan warga"])
    en: Text = Field(examples=["Always greets citizens and asks what they need"])


class Anchors(BaseModel):
    """An anchor for each point of the 1–5 scale."""

    model_config = ConfigDict(extra="forbid")

    p1: AnchorText = Field(alias="1")
    p2: AnchorText = Field(alias="2")
    p3: AnchorText = Field(alias="3")
    p4: AnchorText = Field(alias="4")
    p5: AnchorText = Field(alias="5")


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: ItemCode = Field(description="Unique within the questionnaire.")
    text_id: Text = Field(examples=["Memberikan pelayanan yang ramah dan cepat"])
    text_en: Text = Field(examples=["Serves people promptly and courteously"])
    dimension_kind: DimensionKind
    dimension_code: DimensionCode
    anchors: Anchors
    required: StrictFlag = True
    comment_allowed: StrictFlag = True
    not_observed_allowed: StrictFlag = Field(
        default=True, description="The rater may answer “not observed” instead of a score."
    )


Items = Annotated[list[ItemCreate], Field(min_length=1, max_length=MAX_ITEMS)]


class QuestionnaireCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: AgencyCode | None = Field(
        default=None,
        description="The agency that owns it; null for one shared by every agency (admins).",
    )
    code: QuestionnaireCode = Field(
        description="Posting a code again makes its next revision; the earlier ones stay."
    )
    title_id: Title
    title_en: Title
    description: Description | None = None
    items: Items


class QuestionnaireUpdate(BaseModel):
    """A change to a questionnaire no cycle uses yet; ``items`` replaces the list."""

    model_config = ConfigDict(extra="forbid")

    title_id: Title | None = None
    title_en: Title | None = None
    description: Description | None = None
    items: Items | None = None


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    ordinal: int
    code: str
    dimension_kind: DimensionKind
    dimension_code: str
    text_id: str
    text_en: str
    anchors: Anchors
    required: bool
    comment_allowed: bool
    not_observed_allowed: bool


class QuestionnaireSummaryOut(BaseModel):
    id: uuid.UUID
    agency_code: str | None = Field(description="Null: shared by every agency.")
    code: str
    revision: int
    title_id: str
    title_en: str
    description: str | None
    item_count: int
    in_use: bool = Field(description="A cycle uses it: it can no longer change.")
    version: int
    created_at: datetime
    updated_at: datetime


class QuestionnaireOut(QuestionnaireSummaryOut):
    items: list[ItemOut]
