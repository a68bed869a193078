"""Demo data of career-management surveys, made through the survey service: per agency a
survey of the year, opened, answered by about 60% of the active staff (each for
themselves, with answers that lean by unit so that the breakdown says something, and a few
suggestions), and closed, so its frozen results and the career evaluation show."""

from __future__ import annotations

import random
from typing import Any, ClassVar

from sqlalchemy import select

from asn_career.config import get_settings
from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.demo.base import Agency, DomainGenerator
from asn_career.profiles.models import Employee
from asn_career.talent.surveys.rules import CAREER_V1, respondent_key
from asn_career.talent.surveys.schemas import SurveyCreate, SurveyResponseCreate
from asn_career.talent.surveys.service import SurveyService

SHARE_ANSWERING = 0.6
SUGGESTIONS = (
    "Informasi lowongan jabatan dan syarat kompetensinya sebaiknya diumumkan lebih awal.",
    "Pelatihan teknis perlu dibuka juga untuk pegawai di kecamatan.",
    "Mohon umpan balik kinerja diberikan lebih sering, tidak hanya di akhir tahun.",
    "Data riwayat pelatihan di sistem kepegawaian belum lengkap.",
    "Program mentoring sangat membantu dan perlu diperluas.",
)


class SurveysGenerator(DomainGenerator):
    reference_tables: ClassVar[tuple[str, ...]] = (
        "surveys",
        "survey_respondents",
        "survey_responses",
    )

    async def after_load_agency(self, sessionmaker: Any, agency: Agency) -> dict[str, int]:
        code = agency.region.code
        rng = random.Random(f"{self.demo.seed}:surveys:{code}")  # noqa: S311 - demo data
        hr = Principal(subject="demo-hr", role=Role.HR_OFFICER, agencies=frozenset({code}))
        key = respondent_key(get_settings().app_secret)
        year = self.demo.as_of.year
        async with unit_of_work(sessionmaker) as session:
            people = (
                await session.execute(
                    select(Employee.nip, Employee.unit_id)
                    .where(Employee.agency_code == code, Employee.status == "active")
                    .order_by(Employee.nip)
                )
            ).all()
            service = SurveyService(session, hr)
            survey = await service.create(
                SurveyCreate(
                    agency_code=code,
                    title=f"Survei Kepuasan Manajemen Karier {year}",
                    year=year,
                )
            )
            survey = await service.transition(survey, "open")
            lean: dict[Any, float] = {}
            answered = 0
            for nip, unit_id in people:
                if rng.random() >= SHARE_ANSWERING:
                    continue
                base = lean.setdefault(unit_id, rng.uniform(2.6, 4.0))
                scores = {
                    q: max(1, min(5, round(rng.gauss(base, 0.9)))) for q in CAREER_V1.likert_codes
                }
                comment = rng.choice(SUGGESTIONS) if rng.random() < 0.15 else None
                me = Principal(subject=nip, role=Role.EMPLOYEE, agencies=frozenset({code}))
                await SurveyService(session, me).respond(
                    survey, SurveyResponseCreate(scores=scores, comment=comment), key
                )
                answered += 1
            await service.transition(survey, "close")
        return {"surveys": 1, "survey_respondents": answered, "survey_responses": answered}
