"""A course and an enrolment of agency A, for the security walk over the catalogue and
enrolment routes (``course_id``, ``enrolment_id``)."""

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.profiles.models import Employee
from asn_career.training.models import Enrolment
from tests.conftest import AGENCY_A


async def build_training_catalogue_samples(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], known: dict[str, str]
) -> dict[str, str]:
    course = await client.post(
        "/api/v1/training/courses",
        json={"agency_code": AGENCY_A, "code": "SAMPLE-SPBE", "title": "Pelatihan SPBE",
              "form": "training", "hours_jp": 24},
        headers=admin,
    )  # fmt: skip
    assert course.status_code == 201, course.text
    course_id = course.json()["id"]
    async with unit_of_work(app.state.sessionmaker) as session:
        employee_id = await session.scalar(select(Employee.id).where(Employee.nip == known["nip"]))
        enrolment = Enrolment(
            agency_code=AGENCY_A, employee_id=employee_id, course_id=course_id, year=2026
        )
        session.add(enrolment)
        await session.flush()
        enrolment_id = str(enrolment.id)
    return {"course_id": course_id, "enrolment_id": enrolment_id}
