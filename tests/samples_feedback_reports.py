"""A closed 360° cycle of agency A, with the sample employee as its subject, for the
security walk (see tests/samples.py): reports, summary and publish name ``{cycle_id}``."""

from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Cycle, Questionnaire, Subject
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A


async def build_feedback_report_samples(app: FastAPI, known: dict[str, str]) -> dict[str, str]:
    async with unit_of_work(app.state.sessionmaker) as session:
        questionnaire = Questionnaire(
            agency_code=AGENCY_A, code="SAMPLE", revision=1, title_id="Kuesioner sampel",
            title_en="Sample questionnaire",
        )  # fmt: skip
        session.add(questionnaire)
        await session.flush()
        now = datetime.now(UTC)
        cycle = Cycle(
            agency_code=AGENCY_A, name="Sampel 360", period_start=date(2026, 1, 1),
            period_end=date(2026, 6, 30), questionnaire_id=questionnaire.id,
            deadline=now + timedelta(days=7), state="closed", opened_at=now, closed_at=now,
        )  # fmt: skip
        session.add(cycle)
        await session.flush()
        employee = (
            await session.scalars(select(Employee).where(Employee.nip == known["nip"]))
        ).one()
        session.add(
            Subject(cycle_id=cycle.id, employee_id=employee.id, unit_id=employee.unit_id,
                    position_id=employee.position_id)
        )  # fmt: skip
        return {"cycle_id": str(cycle.id)}
