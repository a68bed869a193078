import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

from asn_career.core.text import Storable
from asn_career.core.types import StrictFlag
from asn_career.feedback.responses.rules import MAX_COMMENT_LENGTH, MAX_DECLINE_REASON_LENGTH

PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

RequestStatus = Literal["nominated", "pending", "draft", "submitted", "declined"]
Relationship = Literal["self", "supervisor", "peer", "subordinate", "public"]
CycleState = Literal["draft", "open", "closed", "published"]

ItemCode = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=PRINTABLE)]
Comment = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=4 * MAX_COMMENT_LENGTH),
    Storable,
]
DeclineReason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=MAX_DECLINE_REASON_LENGTH),
    Storable,
]


class AnswerIn(BaseModel):
    """One item's answer: a score from 1 to 5, or ``not_observed`` (where the item allows
    it), and an optional comment (where the item allows one)."""

    model_config = ConfigDict(extra="forbid")

    item_code: ItemCode = Field(examples=["BA1-a"])
    score: Annotated[int, Strict()] | None = Field(
        default=None, description="1 (lowest) to 5 (highest); null with not_observed."
    )
    not_observed: StrictFlag = Field(
        default=False, description="The rater has not seen this behaviour."
    )
    comment: Comment | None = Field(
        default=None,
        description=f"At most {MAX_COMMENT_LENGTH} characters; shown in reports only "
        "unattributed, grouped, and only for groups large enough to stay anonymous.",
    )


class ResponseIn(BaseModel):
    """The whole response: it replaces the saved draft. ``submit: true`` makes it final."""

    model_config = ConfigDict(extra="forbid")

    answers: list[AnswerIn] = Field(max_length=500)
    submit: StrictFlag = Field(
        default=False, description="false saves a draft; true submits, once and for good."
    )


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: DeclineReason = Field(
        description="Why you cannot rate this person; HR reads it to choose another rater.",
        examples=["Saya baru dua minggu bekerja bersama pegawai ini."],
    )


class Progress(BaseModel):
    answered: int = Field(description="Items with a saved answer (draft or submitted).")
    total: int = Field(description="Items of the questionnaire.")


class MyRequestOut(BaseModel):
    """A request as its rater sees it."""

    id: uuid.UUID
    cycle_id: uuid.UUID
    cycle_name: str
    cycle_state: CycleState
    deadline: datetime
    subject_nip: str
    subject_name: str
    subject_position: str | None = Field(
        description="The subject's position title when they were added to the cycle."
    )
    relationship: Relationship
    status: RequestStatus
    progress: Progress
    submitted_at: datetime | None
    version: int


class QuestionOut(BaseModel):
    code: str
    ordinal: int
    dimension_kind: Literal["competency", "value"]
    dimension_code: str
    text_id: str
    text_en: str
    anchors: dict[str, Any] = Field(
        description='What each point of the scale means: {"1": {"id": …, "en": …}, …, "5": …}.'
    )
    required: bool
    comment_allowed: bool
    not_observed_allowed: bool


class AnswerOut(BaseModel):
    item_code: str
    score: int | None
    not_observed: bool
    comment: str | None


class QuestionnaireRef(BaseModel):
    id: uuid.UUID
    title_id: str
    title_en: str


class RequestDetailOut(MyRequestOut):
    """The rater's own request with its questionnaire and the answers saved so far."""

    decline_reason: str | None
    questionnaire: QuestionnaireRef
    items: list[QuestionOut]
    answers: list[AnswerOut]


# --- reminders -------------------------------------------------------------------------------

WindowDays = Annotated[int, Field(ge=1, le=90)]
IntervalDays = Annotated[int, Field(ge=1, le=30)]


class ReminderOut(BaseModel):
    """An open request due a reminder: who is to answer about whom. Never an answer."""

    request_id: uuid.UUID
    rater_nip: str
    rater_name: str
    subject_nip: str
    subject_name: str
    relationship: Relationship
    status: Literal["pending", "draft"]
    reminded_at: datetime | None


class ReminderRun(BaseModel):
    """The rule that makes a request due (the same as the list's query parameters)."""

    model_config = ConfigDict(extra="forbid")

    within_days: WindowDays = Field(
        default=7, description="Remind every open request when the deadline is this close."
    )
    interval_days: IntervalDays = Field(
        default=3,
        description="Never remind of the same request twice within this many days; "
        "earlier than within_days, remind raters who have not begun after this long.",
    )


class RaterReminder(BaseModel):
    nip: str
    open_requests: int = Field(description="Requests of this cycle the rater was reminded of.")


class RemindersSent(BaseModel):
    cycle_id: uuid.UUID
    reminded_at: datetime
    requests: int = Field(description="Requests marked reminded now.")
    raters: list[RaterReminder]
