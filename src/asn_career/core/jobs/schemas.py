import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from asn_career.core.i18n import Language


class JobProgress(BaseModel):
    done: int
    total: int | None


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    agency_code: str | None
    progress: JobProgress
    result: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    created_by: str = Field(description="Who asked for the job.")

    @classmethod
    def of(cls, job: Any, lang: Language = "en") -> "JobOut":
        return cls.model_validate(
            {
                **{name: getattr(job, name) for name in cls.model_fields if name != "progress"},
                "progress": {"done": job.progress_done, "total": job.progress_total},
                "errors": None if job.errors is None else [_shown(e, lang) for e in job.errors],
            }
        )


_INDONESIAN = {"message": "message_id", "msg": "msg_id"}
"""A failure's texts as stored (``runner._failure_message``, a field problem's entries):
the English one, and its Indonesian twin under the ``_id`` key."""


def _shown(error: dict[str, Any], lang: Language) -> dict[str, Any]:
    """A stored failure entry in the caller's language, without the twin keys."""
    shown = {name: value for name, value in error.items() if name not in _INDONESIAN.values()}
    if lang == "id":
        for english, indonesian in _INDONESIAN.items():
            if error.get(indonesian):
                shown[english] = error[indonesian]
    return shown
