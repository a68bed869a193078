"""A draft rotation round of agency A (no placements), for the security walk (see
tests/samples.py): get, placements, letters, approve, reject and enact name ``{round_id}``;
a recorded relationship names ``{relative_id}``."""

from datetime import date

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.profiles.models import Employee
from asn_career.rotations.models import Relative, Round
from tests.conftest import AGENCY_A


async def build_rotation_samples(app: FastAPI) -> dict[str, str]:
    async with unit_of_work(app.state.sessionmaker) as session:
        row = Round(
            agency_code=AGENCY_A,
            name="Rotasi contoh",
            effective_date=date(2027, 1, 2),
            options={"min_fit": 0},
            status="draft",
            objective=0.0,
            greedy_objective=0.0,
        )
        session.add(row)
        await session.flush()
        [first] = (
            await session.scalars(
                select(Employee.id).where(Employee.agency_code == AGENCY_A).limit(1)
            )
        ).all()
        sibling = Employee(
            nip="199001012015011901",
            name="Kerabat contoh",
            gender="M",
            birth_date=date(1990, 1, 1),
            employment_type="pns",
            appointment_date=date(2015, 1, 1),
            agency_code=AGENCY_A,
        )
        session.add(sibling)
        await session.flush()
        one, other = sorted([first, sibling.id])
        relative = Relative(
            agency_code=AGENCY_A, employee_id=one, relative_id=other, relationship="sibling"
        )
        session.add(relative)
        await session.flush()
        return {"round_id": str(row.id), "relative_id": str(relative.id)}
