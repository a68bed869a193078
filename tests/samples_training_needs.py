"""A training request of agency A, for the security walk over ``{training_request_id}``."""

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.profiles.models import Employee
from asn_career.training.models import TrainingRequest


async def build_training_needs_samples(app: FastAPI, known: dict[str, str]) -> dict[str, str]:
    async with unit_of_work(app.state.sessionmaker) as session:
        employee = (
            await session.scalars(select(Employee).where(Employee.nip == known["nip"]))
        ).one()
        row = TrainingRequest(
            agency_code=employee.agency_code, employee_id=employee.id, year=2026,
            topic="Sistem Pemerintahan Berbasis Elektronik", reason="Unit kami mulai memakai SPBE",
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return {"training_request_id": str(row.id)}
