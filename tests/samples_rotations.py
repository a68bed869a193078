"""A draft rotation round of agency A (no placements), for the security walk (see
tests/samples.py): get, placements, letters, approve, reject and enact name ``{round_id}``;
a recorded relationship names ``{relative_id}``."""

from datetime import date

from fastapi import FastAPI

from asn_career.core.db import unit_of_work
from asn_career.rotations.models import Round
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
        return {"round_id": str(row.id)}
