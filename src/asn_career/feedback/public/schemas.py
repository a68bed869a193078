import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from asn_career.feedback.public.tokens import MAX_BASE_URL_LENGTH
from asn_career.feedback.responses.schemas import AnswerIn, QuestionOut
from asn_career.profiles.employees.schemas import Nip

MAX_LINKS_PER_CALL = 200
"""Links one call makes (25 pages of cards, drawn in about two seconds); more take
several calls. Not a job: the tokens must not be stored anywhere in clear, not even in a
job's result, so they are handed over in the response that makes them."""


class PublicLinksCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subjects: list[Nip] = Field(
        min_length=1,
        max_length=MAX_LINKS_PER_CALL,
        description="NIPs of subjects of the cycle marked public-facing.",
    )
    count: int = Field(
        default=8, ge=1, le=MAX_LINKS_PER_CALL, description="Links (cards) per subject."
    )
    base_url: str | None = Field(
        default=None,
        max_length=MAX_BASE_URL_LENGTH,
        description="The page that shows the form; each link is `{base_url}/{token}`. "
        "Defaults to the setting `ASN_CAREER_FEEDBACK_PUBLIC_BASE_URL`.",
        examples=["https://karier.tangerangselatankota.go.id/umpan-balik"],
    )


class PublicLinkOut(BaseModel):
    request_id: uuid.UUID
    subject_nip: str
    subject_name: str
    token: str = Field(description="Shown this once; the server keeps only its SHA-256.")
    url: str


class PublicLinksOut(BaseModel):
    cycle_id: uuid.UUID
    count: int
    links: list[PublicLinkOut]


class PublicFormOut(BaseModel):
    """What a member of the public sees: whom they rate and the questions. No NIP, no id."""

    agency_name: str
    cycle_name: str
    deadline: datetime
    subject_name: str
    subject_position: str | None
    questionnaire_title_id: str
    questionnaire_title_en: str
    items: list[QuestionOut] = Field(
        description="Every item of the cycle's questionnaire; a public rater may mark any "
        "of them not observed."
    )


class PublicResponseIn(BaseModel):
    """The answers, submitted at once: there is no draft for a one-time link."""

    model_config = ConfigDict(extra="forbid")

    answers: list[AnswerIn] = Field(max_length=500)


class PublicSubmitted(BaseModel):
    status: Literal["submitted"] = "submitted"
