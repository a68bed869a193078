"""A published 360° cycle of agency A, for the security walk over the results export.

The cycles part (``tests/samples_feedback.py``) makes ``cycle_id`` through the API; this
one only fills it in when nothing else has, so either order of the two lines in
``tests/samples.py`` works.
"""

import uuid
from datetime import UTC, date, datetime

from fastapi import FastAPI

from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Cycle, Questionnaire
from tests.conftest import AGENCY_A


async def build_feedback_documents_samples(app: FastAPI, known: dict[str, str]) -> dict[str, str]:
    if "cycle_id" in known:
        return {}
    cycle_id = uuid.uuid4()
    async with unit_of_work(app.state.sessionmaker) as session:
        questionnaire = Questionnaire(
            agency_code=AGENCY_A, code="SAMPLE-RESULTS", revision=1,
            title_id="Kuesioner contoh", title_en="Sample questionnaire",
        )  # fmt: skip
        session.add(questionnaire)
        await session.flush()
        published = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)
        session.add(
            Cycle(
                id=cycle_id, agency_code=AGENCY_A, name="Umpan Balik 360° Contoh",
                period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                questionnaire_id=questionnaire.id, deadline=published, state="published",
                opened_at=published, closed_at=published, published_at=published,
            )
        )  # fmt: skip
    return {"cycle_id": str(cycle_id)}
