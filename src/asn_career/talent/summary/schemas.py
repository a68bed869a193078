"""The career summary: profiles' part (``CareerSummaryBase``) with the talent, mentoring
and feedback parts that profiles, lower in the layers, cannot know."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from asn_career.profiles.employees.schemas import CareerSummaryBase
from asn_career.talent.ninebox.schemas import Reason, TalentActionOut
from asn_career.talent.professionalism.schemas import Category


class CareerSummaryNineBoxOut(BaseModel):
    year: int = Field(description="Last year: the last whole year whose annual SKP is rated.")
    box: int | None
    action: TalentActionOut | None
    insufficient_data: Reason | None = Field(description="Why there is no box.")
    reason_en: str | None
    reason_id: str | None


class CareerSummaryIndexOut(BaseModel):
    year: int
    total: int = Field(description="0–100.")
    category: Category
    category_label: str
    qualification: int = Field(description="Points of 25.")
    competency: int = Field(description="Points of 40.")
    performance: int = Field(description="Points of 30.")
    discipline: int = Field(description="Points of 5.")


class CareerSummaryMatchOut(BaseModel):
    match_id: uuid.UUID
    state: Literal["proposed", "active"]
    side: Literal["mentor", "mentee"] = Field(description="The employee's side.")
    partner_nip: str
    partner_name: str
    partner_role: Literal["mentor", "mentee"] = Field(description="The partner's side.")


class CareerSummaryMentoringOut(BaseModel):
    as_mentor_active: int
    as_mentor_proposed: int
    as_mentee_active: int
    as_mentee_proposed: int
    matches: list[CareerSummaryMatchOut] = Field(
        description="Active, then proposed matches of published runs, newest first."
    )


class CareerSummaryFeedbackCycleOut(BaseModel):
    cycle_id: uuid.UUID
    cycle_name: str
    deadline: datetime
    open_requests: int


class CareerSummaryFeedbackOut(BaseModel):
    open_requests: int = Field(
        description="The employee's own requests as a rater (pending or draft) in open cycles."
    )
    next_deadline: datetime | None
    cycles: list[CareerSummaryFeedbackCycleOut] = Field(
        description="Per open cycle, by deadline: how many are left. Never whom they rate."
    )


class CareerSummary(CareerSummaryBase):
    nine_box: CareerSummaryNineBoxOut | None = Field(
        description="Last year's 9-box; null when the caller may not read it (a supervisor "
        "viewing their staff, an integration without `talent:read`) or the employee no "
        "longer serves."
    )
    professionalism_index: CareerSummaryIndexOut | None = Field(
        description="Last year's professionalism index (IP ASN); null as for `nine_box`."
    )
    mentoring: CareerSummaryMentoringOut | None = Field(
        description="Live matches as mentor or mentee; null when the caller is neither HR "
        "nor the employee (or an integration without `mentoring:read`)."
    )
    feedback_tasks: CareerSummaryFeedbackOut | None = Field(
        description="The employee's own open 360° rater tasks; null when the caller is "
        "neither HR nor the employee (or an integration without `feedback:read`)."
    )
