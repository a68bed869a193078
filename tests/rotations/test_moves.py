"""``POST /employees/{nip}/moves``: the valid move, 401/403, another agency's employee, and
each rule break leaving nothing half-done."""

from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.profiles.models import Assignment, Employee
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.rotations.world import TODAY, problem, rotation_world


async def test_a_move_closes_and_opens_in_one_call_or_not_at_all(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await rotation_world(app)
    mover = await w.person("mover", "staf_layanan", months=30)
    await w.person("holder", "analis_hukum")
    await w.person("b", "b")
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    url = f"/api/v1/employees/{w.nips['mover']}/moves"
    effective = TODAY + timedelta(days=1)
    body = {
        "position_id": str(w.positions["analis_hukum"]),
        "effective_date": str(effective),
        "decree_number": "800/1/BKPSDM/2026",
        "decree_date": str(TODAY),
    }

    async def state() -> list[tuple[str, str | None]]:
        async with unit_of_work(app.state.sessionmaker) as session:
            rows = await session.execute(
                select(Assignment.position_id, Assignment.end_date)
                .where(Assignment.employee_id == mover)
                .order_by(Assignment.start_date)
            )
            return [(str(p), str(e) if e else None) for p, e in rows]

    before = await state()
    # the target is held: 409 and the current assignment stays open
    held = await client.post(url, json=body, headers=hr)
    assert held.status_code == 409, held.text
    assert problem(held) == "position-held"
    assert await state() == before

    assert (await client.post(url, json=body)).status_code == 401
    assert (
        await client.post(url, json=body, headers=auth(Role.EMPLOYEE, AGENCY_A))
    ).status_code == 403
    other = await client.post(
        url,
        json=body | {"position_id": str(w.positions["staf_hukum"])},
        headers=auth(Role.HR_OFFICER, AGENCY_B),
    )
    assert other.status_code == 404
    same = await client.post(
        url, json=body | {"position_id": str(w.positions["staf_layanan"])}, headers=hr
    )
    assert same.status_code == 409 and problem(same) == "rotation-same-position"
    early = await client.post(
        url,
        json=body
        | {
            "position_id": str(w.positions["staf_hukum"]),
            "effective_date": str(TODAY - timedelta(days=3000)),
        },
        headers=hr,
    )
    assert early.status_code == 422, early.text
    foreign = await client.post(url, json=body | {"position_id": str(w.positions["b"])}, headers=hr)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["type"] == "unknown_position"
    assert await state() == before

    async with unit_of_work(app.state.sessionmaker) as session:
        events_before = await session.scalar(
            select(func.count()).where(OutboxEvent.event_type == "assignment.changed")
        )
    moved = await client.post(
        url, json=body | {"position_id": str(w.positions["staf_hukum"])}, headers=hr
    )
    assert moved.status_code == 201, moved.text
    out = moved.json()
    assert out["closed"]["end_date"] == str(TODAY)
    assert out["opened"]["start_date"] == str(effective)
    assert out["opened"]["decree_number"] == "800/1/BKPSDM/2026"
    after = await state()
    assert after == [
        (str(w.positions["staf_layanan"]), str(TODAY)),
        (str(w.positions["staf_hukum"]), None),
    ]
    async with unit_of_work(app.state.sessionmaker) as session:
        events = await session.scalar(
            select(func.count()).where(OutboxEvent.event_type == "assignment.changed")
        )
        employee = await session.get(Employee, mover)
        assert employee is not None
        # the new assignment starts tomorrow: today the person still holds the old one
        assert employee.position_id == w.positions["staf_layanan"]
    assert events == (events_before or 0) + 2
