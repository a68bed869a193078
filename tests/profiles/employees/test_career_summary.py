"""GET /employees/{nip}/career-summary: position, competency gaps, JP this year, counts."""

from datetime import date

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.profiles.models import Education, Employee, Sanction
from tests.profiles.employees.conftest import (
    Org,
    add_training,
    create_employee,
    place,
    set_level,
)

NIP = "198609262015051001"
URL = f"/api/v1/employees/{NIP}/career-summary"


async def test_summary_without_position_or_histories(
    client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    await create_employee(client, admin, nip=NIP)
    response = await client.get(URL, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["profile"]["nip"] == NIP
    assert body["position"] is None
    assert body["competency_gaps"] == []
    assert body["training"] == {
        "year": date.today().year,
        "hours_jp": 0.0,
        "entitlement_jp": 20,
        "remaining_jp": 20.0,
        "met": False,
    }
    assert set(body["histories"].values()) == {0}


async def test_summary_numbers(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    await create_employee(client, admin, nip=NIP, unit_id=str(org.unit_a_child))
    await place(app, NIP, org.chief)  # requires M.1 ≥ 3, M.2 ≥ 2, M.3 ≥ 4
    await set_level(app, NIP, "M.1", 2)
    await set_level(app, NIP, "M.2", 5)
    await set_level(app, NIP, "M.8", 1)  # not required: not listed
    year = date.today().year
    await add_training(app, NIP, "8", date(year, 1, 10), date(year, 1, 11))
    await add_training(app, NIP, "6.5", date(year - 1, 12, 20), date(year, 1, 5))  # ends now
    await add_training(app, NIP, "30", date(year - 1, 3, 1), date(year - 1, 3, 4))  # last year
    await add_training(app, NIP, "2", date(year, 2, 1))  # one day, no end date
    async with unit_of_work(app.state.sessionmaker) as session:
        employee_id = await session.scalar(select(Employee.id).where(Employee.nip == NIP))
        assert employee_id is not None
        session.add(Education(employee_id=employee_id, level_code="S1", field="Hukum"))
        session.add(Education(employee_id=employee_id, level_code="S2", field="Hukum"))
        session.add(
            Sanction(
                employee_id=employee_id, severity="light", kind="teguran lisan",
                start_date=date(2020, 1, 1),
            )
        )  # fmt: skip

    body = (await client.get(URL, headers=admin)).json()
    assert body["position"] == {
        "id": str(org.chief),
        "title": "Jabatan chief",
        "kind": "administrator",
        "unit_id": str(org.unit_a_child),
        "unit_name": "Bidang Pengembangan Kompetensi",
    }
    gaps = {g["code"]: g for g in body["competency_gaps"]}
    assert set(gaps) == {"M.1", "M.2", "M.3"}
    assert (gaps["M.1"]["required_level"], gaps["M.1"]["current_level"], gaps["M.1"]["gap"]) == (
        3, 2, 1,
    )  # fmt: skip
    assert (gaps["M.2"]["current_level"], gaps["M.2"]["gap"]) == (5, 0)
    assert (gaps["M.3"]["current_level"], gaps["M.3"]["gap"]) == (None, 4)
    assert gaps["M.1"]["name_id"] == "Integritas"
    assert [g["code"] for g in body["competency_gaps"]] == ["M.3", "M.1", "M.2"]  # worst first
    assert body["training"]["hours_jp"] == 16.5
    assert body["training"]["remaining_jp"] == 3.5
    assert body["training"]["met"] is False
    assert body["histories"] == {
        "education": 2,
        "assignments": 0,
        "competency_assessments": 0,
        "trainings": 4,
        "performance": 0,
        "interests": 0,
        "sanctions": 1,
    }
    await add_training(app, NIP, "4", date(year, 3, 1))
    training = (await client.get(URL, headers=admin)).json()["training"]
    assert training["met"] is True and training["remaining_jp"] == 0.0
