"""A 360° cycle of agency A with one rater request, for the security walk of the answering
routes (``{cycle_id}``, ``{request_id}``; see tests/samples.py).

Inserted directly: the routes that create cycles and requests belong to another part of
feedback. Keys already given by another samples module are left as they are.
"""

import uuid
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Cycle, Questionnaire, QuestionnaireItem, Request, Subject
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A

ANCHORS = {str(n): {"id": f"Skala {n}", "en": f"Scale {n}"} for n in range(1, 6)}


async def build_feedback_answering_samples(app: FastAPI, samples: dict[str, str]) -> dict[str, str]:
    if "cycle_id" in samples and "request_id" in samples:
        return {}
    async with unit_of_work(app.state.sessionmaker) as session:
        employee = (
            await session.scalars(select(Employee).where(Employee.nip == samples["nip"]))
        ).one()
        questionnaire = Questionnaire(
            agency_code=AGENCY_A, code="SAMPLE-ANSWERING", revision=1,
            title_id="Kuesioner sampel", title_en="Sample questionnaire",
        )  # fmt: skip
        session.add(questionnaire)
        await session.flush()
        session.add(
            QuestionnaireItem(
                questionnaire_id=questionnaire.id, ordinal=1, code="BA1-a",
                dimension_kind="value", dimension_code="BA.1",
                text_id="Melayani dengan ramah", text_en="Serves courteously", anchors=ANCHORS,
            )
        )  # fmt: skip
        now = datetime.now(UTC)
        cycle = Cycle(
            agency_code=AGENCY_A, name="Sampel 360", period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31), questionnaire_id=questionnaire.id,
            deadline=now + timedelta(days=2), state="open", opened_at=now,
        )  # fmt: skip
        session.add(cycle)
        await session.flush()
        session.add(
            Subject(cycle_id=cycle.id, employee_id=employee.id, public_facing=True,
                    unit_id=employee.unit_id, position_id=employee.position_id)
        )  # fmt: skip
        request = Request(
            id=uuid.uuid4(), cycle_id=cycle.id, subject_employee_id=employee.id,
            rater_employee_id=employee.id, relationship="self", origin="hr",
            reason_code="self", reason="Penilaian diri",
        )  # fmt: skip
        session.add(request)
        await session.flush()
        found = {"cycle_id": str(cycle.id), "request_id": str(request.id)}
    return {key: value for key, value in found.items() if key not in samples}
