"""``GET /training/compliance``: JP per employee from the training history, who is below
20 JP, coverage per unit, the trend against last year, and the file exports."""

import csv
import io
import uuid
from datetime import date

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy import update

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.org.models import Unit
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import FeedbackWorld
from tests.profiles.employees.conftest import add_training
from tests.training.courses.helpers import create_course

API = "/api/v1/training/compliance"


@pytest.fixture
async def history(
    client: AsyncClient, app: FastAPI, world: FeedbackWorld, hr_a: dict[str, str]
) -> FeedbackWorld:
    """2026: staff0 24 JP (a completed enrolment), staff1 22 JP, staff2 8 JP; 2025: staff2
    30 JP, head 25 JP; staff3 only in 2024; staff5 in a second unit; B's employee 40 JP."""
    course = await create_course(client, hr_a)
    enrolment = await client.post(
        "/api/v1/training/enrollments",
        json={"course_id": course["id"], "nip": world.nip("staff0")},
        headers=hr_a,
    )
    url = f"/api/v1/training/enrollments/{enrolment.json()['id']}"
    assert (await client.post(f"{url}/enrol", headers=hr_a)).status_code == 200
    done = await client.post(f"{url}/complete", json={"completed_on": "2026-03-05"}, headers=hr_a)
    assert done.status_code == 200, done.text
    for key, hours, start in (
        ("staff1", "12", date(2026, 2, 1)), ("staff1", "10", date(2026, 9, 1)),
        ("staff2", "8", date(2026, 5, 1)), ("staff2", "30", date(2025, 5, 1)),
        ("head", "25", date(2025, 12, 31)), ("staff3", "40", date(2024, 6, 1)),
        ("b", "40", date(2026, 6, 1)),
    ):  # fmt: skip
        await add_training(app, world.nip(key), hours, start)
    other = uuid.uuid4()
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(Unit(id=other, agency_code=AGENCY_A, code="DISKOMINFO", name="Diskominfo",
                         kind="dinas", parent_id=None, path=[other]))  # fmt: skip
        await session.flush()
        await session.execute(
            update(Employee).where(Employee.id == world.employees["staff5"]).values(unit_id=other)
        )
    return world


async def test_figures_units_trend_and_pages(
    client: AsyncClient, history: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    response = await client.get(API, params={"agency": AGENCY_A, "year": 2026}, headers=hr_a)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["min_jp"] == 20
    assert body["figures"] == {
        "employees": 7, "below_minimum": 5, "coverage": round(2 / 7, 4),
        "total_jp": 54.0, "mean_jp": round(54 / 7, 2),
    }  # fmt: skip
    assert body["previous"]["below_minimum"] == 5 and body["previous"]["total_jp"] == 55.0
    assert body["trend"] == {
        "coverage_change": 0.0,
        "mean_jp_change": round(round(54 / 7, 2) - round(55 / 7, 2), 2),
        "below_minimum_change": 0,
    }
    assert [
        (u["unit_code"], u["employees"], u["below_minimum"], u["coverage"]) for u in body["units"]
    ] == [
        ("DISKOMINFO", 1, 1, 0.0),
        ("BKPSDM", 6, 4, round(2 / 6, 4)),
    ]
    jp = {e["nip"]: (e["jp"], e["previous_jp"], e["below_minimum"]) for e in body["items"]}
    assert jp[history.nip("staff0")] == (24.0, 0.0, False)
    assert jp[history.nip("staff1")] == (22.0, 0.0, False)
    assert jp[history.nip("staff2")] == (8.0, 30.0, True)
    assert jp[history.nip("staff3")] == (0.0, 0.0, True)
    assert history.nip("b") not in jp
    first = await client.get(API, params={"year": 2026, "limit": 4}, headers=hr_a)
    assert len(first.json()["items"]) == 4 and first.json()["next_cursor"]
    rest = await client.get(
        API, params={"year": 2026, "limit": 4, "cursor": first.json()["next_cursor"]}, headers=hr_a
    )
    nips = [e["nip"] for e in first.json()["items"] + rest.json()["items"]]
    assert nips == sorted(jp) and rest.json()["next_cursor"] is None
    below = await client.get(API, params={"year": 2026, "below_only": "true"}, headers=hr_a)
    assert {e["nip"] for e in below.json()["items"]} == {
        history.nip(k) for k in ("head", "staff2", "staff3", "staff4", "staff5")
    }


async def test_exports_as_csv_and_xlsx(
    client: AsyncClient, history: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    as_csv = await client.get(API, params={"year": 2026, "format": "csv"}, headers=hr_a)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(rows) == 7
    staff2 = next(r for r in rows if r["nip"] == history.nip("staff2"))
    assert (staff2["jp"], staff2["shortfall_jp"], staff2["unit_code"]) == ("8.0", "12.0", "BKPSDM")
    accept = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    as_xlsx = await client.get(API, params={"year": 2026}, headers=hr_a | {"Accept": accept})
    assert as_xlsx.status_code == 200, as_xlsx.text
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).active
    assert sheet is not None
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0][:2] == ["nip", "name"] and len(cells) == 8


async def test_who_may_ask(
    client: AsyncClient,
    admin: dict[str, str],
    history: FeedbackWorld,
    hr_b: dict[str, str],
    auth: TokenFactory,
) -> None:
    assert (await client.get(API, params={"agency": AGENCY_A})).status_code == 401
    for role, sub in ((Role.EMPLOYEE, "staff0"), (Role.SUPERVISOR, "head")):
        headers = auth(role, AGENCY_A, sub=history.nip(sub))
        assert (
            await client.get(API, params={"agency": AGENCY_A}, headers=headers)
        ).status_code == 403
    # Another agency is out of sight, as everywhere: a 404 that says nothing of it.
    refused = await client.get(API, params={"agency": AGENCY_A}, headers=hr_b)
    assert refused.status_code == 404
    own = await client.get(API, params={"year": 2026}, headers=hr_b)
    assert own.status_code == 200 and own.json()["agency_code"] == AGENCY_B
    assert [e["jp"] for e in own.json()["items"]] == [40.0]
    assert (await client.get(API, params={"agency": "99.99"}, headers=admin)).status_code == 404
    assert (await client.get(API, headers=admin)).status_code == 422
