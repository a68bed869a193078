"""A closed survey of agency A (no responses), for the security walk over
``{survey_id}``; ``{code}`` is the organisation's sample agency."""

from fastapi import FastAPI

from asn_career.core.db import unit_of_work
from asn_career.talent.surveys.models import Survey
from asn_career.talent.surveys.rules import CAREER_V1
from tests.conftest import AGENCY_A


async def build_talent_evaluation_samples(app: FastAPI) -> dict[str, str]:
    async with unit_of_work(app.state.sessionmaker) as session:
        survey = Survey(agency_code=AGENCY_A, title="Survei sampel", year=2026,
                        question_set=CAREER_V1.code, question_set_version=CAREER_V1.version,
                        state="open")  # fmt: skip
        session.add(survey)
        await session.flush()
        return {"survey_id": str(survey.id)}
