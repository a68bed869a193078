import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asn_career.core.text import Storable
from asn_career.core.types import IsoDate

EmploymentType = Literal["pns", "pppk"]
GenderCode = Literal["M", "F"]
EmployeeStatus = Literal["active", "leave", "study_leave", "retired", "dismissed"]
STATUSES: tuple[str, ...] = ("active", "leave", "study_leave", "retired", "dismissed")

Nip = Annotated[
    str,
    Field(
        min_length=18,
        max_length=18,
        pattern=r"^[0-9]{18}$",
        description="NIP (PNS) or NI PPPK, 18 digits.",
        examples=["198609262015051001"],
    ),
]
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
"""No control characters (Postgres text cannot even hold NUL)."""

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=PRINTABLE),
    Storable,
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=50, pattern=PRINTABLE), Storable
]
Place = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100, pattern=PRINTABLE), Storable
]
RankCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=8,
        pattern=PRINTABLE,
        description="PNS `I/a` … `IV/e` or PPPK `I` … `XVII`, matching employment_type.",
        examples=["III/a"],
    ),
]
AgencyCode = Annotated[
    str, Field(min_length=1, max_length=32, pattern=PRINTABLE, examples=["36.74"])
]
Nik = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{16}$",
        min_length=16,
        max_length=16,
        description="NIK (population ID), 16 digits; masked in responses except to HR.",
    ),
]
Email = Annotated[
    str,
    Field(
        max_length=200,
        pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$",
        examples=["nama@example.go.id"],
    ),
]


class EmployeeCreate(BaseModel):
    """Birth date, gender, appointment date and employment type default to what the NIP
    says; when given, they must agree with it."""

    model_config = ConfigDict(extra="forbid")

    nip: Nip
    name: Name = Field(examples=["Siti Nurhaliza"])
    front_title: Title | None = Field(default=None, examples=["dr."])
    back_title: Title | None = Field(default=None, examples=["S.Kom., M.T."])
    gender: GenderCode | None = None
    birth_date: IsoDate | None = None
    birth_place: Place | None = None
    employment_type: EmploymentType | None = None
    appointment_date: IsoDate | None = Field(
        default=None, description="TMT CPNS (PNS) or appointment date (PPPK)."
    )
    rank: RankCode | None = None
    status: EmployeeStatus = "active"
    agency: AgencyCode
    unit_id: uuid.UUID | None = None
    nik: Nik | None = None
    email: Email | None = None


class EmployeeUpdate(BaseModel):
    """Only the fields sent change; the NIP and the position (kept by assignments) do not."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    front_title: Title | None = None
    back_title: Title | None = None
    gender: GenderCode | None = None
    birth_date: IsoDate | None = None
    birth_place: Place | None = None
    employment_type: EmploymentType | None = None
    appointment_date: IsoDate | None = None
    rank: RankCode | None = None
    status: EmployeeStatus | None = None
    agency: AgencyCode | None = None
    unit_id: uuid.UUID | None = None
    nik: Nik | None = None
    email: Email | None = None


_RankFilter = Annotated[str | None, Field(max_length=8, pattern=PRINTABLE, examples=["III/a"])]


class EmployeeSearch(BaseModel):
    """Filters of ``GET /employees``, read from the query string in one validation."""

    model_config = ConfigDict(frozen=True)

    q: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        pattern=PRINTABLE,
        description="Part of a name (case- and accent-insensitive) or, all digits, a NIP prefix.",
    )
    agency: str | None = Field(None, max_length=32, pattern=PRINTABLE)
    unit_id: uuid.UUID | None = Field(None, description="This unit and its sub-units.")
    rank: _RankFilter = None
    rank_min: _RankFilter = None
    rank_max: _RankFilter = None
    position_kind: str | None = Field(
        None,
        max_length=16,
        pattern=PRINTABLE,
        description="jpt_utama, jpt_madya, jpt_pratama, administrator, pengawas, fungsional, "
        "pelaksana",
    )
    competency: str | None = Field(None, max_length=16, pattern=PRINTABLE, examples=["M.1"])
    min_level: int | None = Field(
        None, ge=1, le=5, description="With `competency`: current level ≥ this."
    )
    status: EmployeeStatus | None = None


class EmployeeOut(BaseModel):
    id: uuid.UUID
    nip: str
    name: str
    front_title: str | None
    back_title: str | None
    gender: GenderCode
    birth_date: date
    birth_place: str | None
    employment_type: EmploymentType
    appointment_date: date
    rank: str | None
    status: EmployeeStatus
    agency: str
    unit_id: uuid.UUID | None
    position_id: uuid.UUID | None = Field(
        description="The position of the open primary assignment (read-only here)."
    )
    nik: str | None = Field(description="Masked (`************0001`) except to HR of the agency.")
    email: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class EmployeeListItem(BaseModel):
    id: uuid.UUID
    nip: str
    name: str
    front_title: str | None
    back_title: str | None
    gender: GenderCode
    employment_type: EmploymentType
    rank: str | None
    status: EmployeeStatus
    agency: str
    unit_id: uuid.UUID | None
    unit_name: str | None
    position_id: uuid.UUID | None
    position_title: str | None
    position_kind: str | None


class CurrentPosition(BaseModel):
    id: uuid.UUID
    title: str
    kind: str
    unit_id: uuid.UUID
    unit_name: str


class CompetencyGap(BaseModel):
    code: str
    name_id: str
    name_en: str
    required_level: int
    current_level: int | None = Field(description="Null when never assessed.")
    gap: int = Field(description="max(0, required − current); the required level if unassessed.")


class TrainingHours(BaseModel):
    year: int
    hours_jp: float = Field(description="JP of trainings ending (or starting) this year.")
    entitlement_jp: int = Field(description="The yearly entitlement, 20 JP.")
    remaining_jp: float
    met: bool


class HistoryCounts(BaseModel):
    education: int
    assignments: int
    competency_assessments: int
    trainings: int
    performance: int
    interests: int
    sanctions: int


class CareerSummaryBase(BaseModel):
    """What profiles knows of a career; ``talent.summary`` adds the 9-box, the index,
    mentoring and open feedback tasks for ``GET /employees/{nip}/career-summary``."""

    profile: EmployeeOut
    position: CurrentPosition | None
    competency_gaps: list[CompetencyGap]
    training: TrainingHours
    histories: HistoryCounts
