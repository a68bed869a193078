"""API shapes of the organisation reference (separate from the ORM models)."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.text import Storable
from asn_career.core.types import StrictFlag
from asn_career.org.rules import (
    AGENCY_CODE_PATTERN,
    COMPETENCY_CODE_PATTERN,
    TECHNICAL_CODE_PATTERN,
    CompetencyKind,
    FunctionalLevel,
    PositionKind,
    RankScale,
    UnitKind,
)

AgencyCode = Annotated[
    str, StringConstraints(pattern=AGENCY_CODE_PATTERN, max_length=32), Field(examples=["36.74"])
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    Storable,
]
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    Storable,
]
FieldName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Storable,
]
Descriptor = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    Storable,
]
RankCode = Annotated[str, StringConstraints(min_length=1, max_length=8), Storable]
Level = Annotated[int, Field(ge=1, le=5)]


# --- agencies --------------------------------------------------------------------------


class AgencyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: AgencyCode
    name: Name = Field(examples=["Pemerintah Kota Tangerang Selatan"])
    region_code: AgencyCode = Field(description="Kemendagri region code.")


class AgencyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    region_code: AgencyCode | None = Field(default=None, description="Admins only.")


class AgencyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    region_code: str
    version: int
    created_at: datetime
    updated_at: datetime


# --- units -----------------------------------------------------------------------------


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code = Field(description="Unique within the agency.", examples=["BKPSDM"])
    name: Name = Field(examples=["Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"])
    kind: UnitKind
    parent_id: uuid.UUID | None = Field(
        default=None, description="The parent unit, of the same agency; none for a root."
    )


class UnitUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code | None = None
    name: Name | None = None
    kind: UnitKind | None = None
    parent_id: uuid.UUID | None = Field(
        default=None,
        description="Move the unit (with its sub-units); an explicit null makes it a root.",
    )


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    agency_code: str
    code: str
    name: str
    kind: UnitKind
    parent_id: uuid.UUID | None
    path: list[uuid.UUID] = Field(description="Unit ids from the root down to this unit.")
    version: int
    created_at: datetime
    updated_at: datetime


# --- competencies ----------------------------------------------------------------------


class LevelDescriptor(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Descriptor = Field(description="Indonesian.")
    en: Descriptor = Field(description="English.")


class LevelDescriptors(BaseModel):
    """What each level 1–5 looks like, in Indonesian and English."""

    model_config = ConfigDict(extra="forbid")

    level_1: LevelDescriptor = Field(alias="1")
    level_2: LevelDescriptor = Field(alias="2")
    level_3: LevelDescriptor = Field(alias="3")
    level_4: LevelDescriptor = Field(alias="4")
    level_5: LevelDescriptor = Field(alias="5")


class CompetencyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: AgencyCode
    code: Annotated[str, StringConstraints(pattern=TECHNICAL_CODE_PATTERN)] | None = Field(
        default=None, description="`T.n`; the next free number when omitted.", examples=["T.1"]
    )
    name_id: Name = Field(examples=["Pengelolaan Arsip Dinamis"])
    name_en: Name = Field(examples=["Records management"])
    descriptors: LevelDescriptors


class CompetencyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    agency_code: str | None = Field(description="None for the national dictionary.")
    kind: CompetencyKind
    name_id: str
    name_en: str
    descriptors: dict[str, LevelDescriptor] = Field(description="Keyed by level `1`–`5`.")
    created_at: datetime


# --- positions -------------------------------------------------------------------------

CompetencyCode = Annotated[
    str, StringConstraints(pattern=COMPETENCY_CODE_PATTERN), Field(examples=["M.1"])
]


class RequiredCompetency(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: CompetencyCode
    level: Level


class RequiredCompetencyOut(BaseModel):
    code: str
    level: int
    kind: CompetencyKind
    name_id: str
    name_en: str


class PositionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code = Field(description="Unique within the agency.", examples=["BKPSDM-KABID-PKA"])
    title: Name = Field(examples=["Kepala Bidang Pengembangan Kompetensi Aparatur"])
    unit_id: uuid.UUID = Field(description="The unit; the position belongs to its agency.")
    kind: PositionKind
    functional_level: FunctionalLevel | None = Field(
        default=None, description="Required for fungsional positions, absent otherwise."
    )
    min_rank: RankCode | None = Field(default=None, examples=["III/c"])
    max_rank: RankCode | None = Field(default=None, examples=["IV/b"])
    reports_to_position_id: uuid.UUID | None = None
    required_competencies: list[RequiredCompetency] = Field(default_factory=list, max_length=50)
    preferred_education_fields: list[FieldName] = Field(default_factory=list, max_length=20)
    is_shared: StrictFlag = Field(
        default=False, description="Held by several people at once (e.g. teachers)."
    )


class PositionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code | None = None
    title: Name | None = None
    unit_id: uuid.UUID | None = Field(default=None, description="Within the same agency.")
    kind: PositionKind | None = None
    functional_level: FunctionalLevel | None = None
    min_rank: RankCode | None = None
    max_rank: RankCode | None = None
    reports_to_position_id: uuid.UUID | None = None
    required_competencies: list[RequiredCompetency] | None = Field(
        default=None, max_length=50, description="Replaces the whole list when given."
    )
    preferred_education_fields: list[FieldName] | None = Field(default=None, max_length=20)
    is_shared: StrictFlag | None = None


class PositionOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    unit_id: uuid.UUID
    code: str
    title: str
    kind: PositionKind
    functional_level: FunctionalLevel | None
    min_rank: str | None
    max_rank: str | None
    reports_to_position_id: uuid.UUID | None
    required_competencies: list[RequiredCompetencyOut]
    preferred_education_fields: list[str]
    is_shared: bool
    is_vacant: bool = Field(description="Nobody holds it as an open primary assignment.")
    version: int
    created_at: datetime
    updated_at: datetime


# --- reference -------------------------------------------------------------------------


class RankOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    scale: RankScale
    ordinal: int
    name: str


class EducationLevelOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    ordinal: int
    name: str
