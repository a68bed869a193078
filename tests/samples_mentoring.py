"""A mentoring programme of agency A with a mentor and a mentee (the sample employee), a
proposed matching and a match, for the security walk over ``{program_id}``,
``{matching_id}`` and ``{match_id}`` (``{nip}`` is the profiles' sample)."""

from datetime import date

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.mentoring.models import Match, Matching, Mentee, Mentor, Program
from asn_career.mentoring.rules import DEFAULT_WEIGHTS
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A


async def build_mentoring_samples(app: FastAPI, known: dict[str, str]) -> dict[str, str]:
    async with unit_of_work(app.state.sessionmaker) as session:
        employee_id = await session.scalar(select(Employee.id).where(Employee.nip == known["nip"]))
        assert employee_id is not None
        program = Program(agency_code=AGENCY_A, name="Mentoring sampel", starts_on=date(2027, 1, 1),
                          ends_on=date(2027, 6, 30), weights=dict(DEFAULT_WEIGHTS))  # fmt: skip
        session.add(program)
        await session.flush()
        mentor = Mentor(program_id=program.id, employee_id=employee_id, added_by="hr")
        mentee = Mentee(program_id=program.id, employee_id=employee_id, focus_source="given")
        run = Matching(program_id=program.id, agency_code=AGENCY_A, status="proposed",
                       objective="score")  # fmt: skip
        session.add_all([mentor, mentee, run])
        await session.flush()
        match = Match(program_id=program.id, matching_id=run.id, agency_code=AGENCY_A,
                      mentor_id=mentor.id, mentee_id=mentee.id, score=0.5, parts={})  # fmt: skip
        session.add(match)
        await session.flush()
        return {"program_id": str(program.id), "matching_id": str(run.id),
                "match_id": str(match.id)}  # fmt: skip
