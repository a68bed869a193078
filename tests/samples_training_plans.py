"""A proposed training plan of agency A (no items), for the security walk (see
tests/samples.py): get, items and approve name ``{plan_id}``."""

from decimal import Decimal

from fastapi import FastAPI

from asn_career.core.db import unit_of_work
from asn_career.training.models import Plan
from tests.conftest import AGENCY_A


async def build_training_plan_samples(app: FastAPI) -> dict[str, str]:
    async with unit_of_work(app.state.sessionmaker) as session:
        plan = Plan(agency_code=AGENCY_A, year=2027, budget=Decimal("1000000"), options={},
                    status="proposed", objective=0.0, bound=0.0, greedy_objective=0.0)  # fmt: skip
        session.add(plan)
        await session.flush()
        return {"plan_id": str(plan.id)}
