"""A development plan of agency A, for the security walk over ``{development_plan_id}``."""

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.profiles.models import Employee
from asn_career.training.development_plans.models import DevelopmentPlan


async def build_training_development_plan_samples(
    app: FastAPI, known: dict[str, str]
) -> dict[str, str]:
    async with unit_of_work(app.state.sessionmaker) as session:
        employee = (
            await session.scalars(select(Employee).where(Employee.nip == known["nip"]))
        ).one()
        row = DevelopmentPlan(
            agency_code=employee.agency_code, employee_id=employee.id, year=2026,
            goals=[{"text": "Memenuhi hak 20 JP", "source": "minimum_jp"}],
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return {"development_plan_id": str(row.id)}
