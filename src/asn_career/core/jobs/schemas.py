import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


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
    def of(cls, job: Any) -> "JobOut":
        return cls.model_validate(
            {
                **{name: getattr(job, name) for name in cls.model_fields if name != "progress"},
                "progress": {"done": job.progress_done, "total": job.progress_total},
            }
        )
