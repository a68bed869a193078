"""Assignments: no overlapping primary ones, one open primary = the current position
(mirrored on the employee), one holder per position unless shared, a locked check."""

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.db import unit_of_work
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.histories.jobs import switch_current_positions
from asn_career.profiles.models import Employee
from tests.profiles.histories.conftest import Headers, World, post_ok, url


async def _employee(app: FastAPI, nip: str) -> Employee:
    async with unit_of_work(app.state.sessionmaker) as session:
        from sqlalchemy import select

        return (await session.scalars(select(Employee).where(Employee.nip == nip))).one()


def _assignment(
    position: uuid.UUID, start: str, end: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {"position_id": str(position), "start_date": start, "end_date": end, **extra}


async def test_open_primary_assignment_is_the_current_position(
    app: FastAPI, client: AsyncClient, world: World, hr_a: Headers, admin: Headers
) -> None:
    past = await post_ok(
        client, world.other, "assignments",
        _assignment(world.desk, "2015-03-01", "2019-12-31", decree_number="800/1/2015"), hr_a,
    )  # fmt: skip
    assert past["is_current"] is False
    before = await _employee(app, world.other)
    assert before.position_id is None  # a closed assignment is no current position

    current = await post_ok(
        client, world.other, "assignments", _assignment(world.analyst, "2020-01-01"), hr_a
    )
    assert current["is_current"] is True
    employee = await _employee(app, world.other)
    assert employee.position_id == world.analyst
    assert employee.unit_id == world.unit_a2  # the position's unit
    assert employee.version == before.version + 1

    listed = await client.get(url(world.other, "assignments"), headers=hr_a)
    assert [a["id"] for a in listed.json()["items"]] == [current["id"], past["id"]]

    # moving the current assignment to another position moves the employee
    item = url(world.other, f"assignments/{current['id']}")
    moved = await client.patch(item, json={"position_id": str(world.desk)}, headers=hr_a)
    assert moved.status_code == 200, moved.text
    employee = await _employee(app, world.other)
    assert (employee.position_id, employee.unit_id) == (world.desk, world.unit_a)

    # closing it leaves no current position
    closed = await client.patch(item, json={"end_date": "2024-06-30"}, headers=hr_a)
    assert closed.status_code == 200 and closed.json()["is_current"] is False
    assert (await _employee(app, world.other)).position_id is None

    # reopening, then deleting, syncs again
    await client.patch(item, json={"end_date": None}, headers=hr_a)
    assert (await _employee(app, world.other)).position_id == world.desk
    assert (await client.delete(item, headers=hr_a)).status_code == 204
    assert (await _employee(app, world.other)).position_id is None

    audit = await client.get("/api/v1/audit", params={"agency": "36.74"}, headers=admin)
    actions = [e["action"] for e in audit.json()["items"]]
    assert actions.count("assignment.created") == 2
    assert "assignment.updated" in actions and "assignment.deleted" in actions
    employee_changes = [e for e in audit.json()["items"] if e["action"] == "employee.updated"]
    assert employee_changes and employee_changes[-1]["changes"]["position_id"] == {
        "before": None,
        "after": str(world.analyst),
    }


async def test_primary_assignments_never_overlap(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    first = await post_ok(
        client, world.other, "assignments",
        _assignment(world.desk, "2016-01-01", "2018-12-31"), hr_a,
    )  # fmt: skip
    overlapping = await client.post(
        url(world.other, "assignments"),
        json=_assignment(world.analyst, "2018-12-31", "2020-01-01"),
        headers=hr_a,
    )
    assert overlapping.status_code == 409
    assert first["id"] in overlapping.json()["detail"]
    assert overlapping.json()["errors"][0]["assignment_id"] == first["id"]

    # the day after is fine; a secondary (non-primary) assignment may overlap
    await post_ok(
        client, world.other, "assignments", _assignment(world.analyst, "2019-01-01"), hr_a
    )
    await post_ok(
        client, world.other, "assignments",
        _assignment(world.desk, "2017-01-01", None, is_primary=False), hr_a,
    )  # fmt: skip

    # a second open primary assignment: refused, naming the open one
    second_open = await client.post(
        url(world.other, "assignments"), json=_assignment(world.desk, "2024-01-01"), headers=hr_a
    )
    assert second_open.status_code == 409
    assert "open primary" in second_open.json()["detail"]

    # an update that would create an overlap is refused as well
    moved = await client.patch(
        url(world.other, f"assignments/{first['id']}"),
        json={"end_date": "2019-06-30"},
        headers=hr_a,
    )
    assert moved.status_code == 409


async def test_position_holds_one_person_unless_shared(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    held = await post_ok(
        client, world.staff, "assignments", _assignment(world.analyst, "2020-01-01"), hr_a
    )
    taken = await client.post(
        url(world.other, "assignments"), json=_assignment(world.analyst, "2021-01-01"),
        headers=hr_a,
    )  # fmt: skip
    assert taken.status_code == 409
    body = taken.json()
    assert world.staff in body["detail"] and "Budi Santoso" in body["detail"]
    assert body["errors"][0]["holder_nip"] == world.staff
    # a closed (historical) assignment to the same position is fine
    await post_ok(
        client, world.other, "assignments",
        _assignment(world.analyst, "2016-01-01", "2016-12-31"), hr_a,
    )  # fmt: skip
    # once the holder leaves, the position is free
    await client.patch(
        url(world.staff, f"assignments/{held['id']}"), json={"end_date": "2022-12-31"},
        headers=hr_a,
    )  # fmt: skip
    await post_ok(
        client, world.other, "assignments", _assignment(world.analyst, "2023-01-01"), hr_a
    )
    # a shared position takes several people at once
    await post_ok(client, world.chief, "assignments", _assignment(world.desk, "2020-01-01"), hr_a)
    await post_ok(client, world.staff, "assignments", _assignment(world.desk, "2023-01-01"), hr_a)


async def test_two_people_racing_for_one_position_get_one_winner(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    responses = await asyncio.gather(
        *(
            client.post(
                url(nip, "assignments"),
                json=_assignment(world.analyst, "2024-01-01"),
                headers=hr_a,
            )
            for nip in (world.staff, world.other, world.chief)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409]


async def test_assignment_validation(client: AsyncClient, world: World, hr_a: Headers) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        (_assignment(world.position_b, "2020-01-01"), "position_id"),  # other agency
        (_assignment(uuid.uuid4(), "2020-01-01"), "position_id"),  # unknown
        (_assignment(world.analyst, "2020-01-01", "2019-01-01"), "end_date"),
        (_assignment(world.analyst, "2010-01-01"), "start_date"),  # before TMT CPNS (2015-03)
        (_assignment(world.analyst, "2020-01-01", decree_date="2999-01-01"), "decree_date"),
    ]
    for body, field in cases:
        response = await client.post(url(world.other, "assignments"), json=body, headers=hr_a)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"][0]["loc"] == ["body", field]
    created = await post_ok(
        client, world.other, "assignments", _assignment(world.analyst, "2020-01-01"), hr_a
    )
    for patch in ({"start_date": None}, {"position_id": None}, {"is_primary": None}):
        response = await client.patch(
            url(world.other, f"assignments/{created['id']}"), json=patch, headers=hr_a
        )
        assert response.status_code == 422, patch


async def test_assignments_are_hr_work(
    client: AsyncClient, world: World, hr_a: Headers, hr_b: Headers, as_staff: Headers,
    as_chief: Headers,
) -> None:  # fmt: skip
    # the staff keep their position, so they stay in the chief's reporting line
    created = await post_ok(
        client, world.staff, "assignments", _assignment(world.staff_position, "2020-01-01"), hr_a
    )
    body = _assignment(world.desk, "2024-01-01")
    for headers in (as_staff, as_chief):
        response = await client.post(url(world.staff, "assignments"), json=body, headers=headers)
        assert response.status_code == 403
        assert (
            await client.get(url(world.staff, "assignments"), headers=headers)
        ).status_code == 200
    assert (await client.post(url(world.staff, "assignments"), json=body)).status_code == 401
    assert (
        await client.post(url(world.staff, "assignments"), json=body, headers=hr_b)
    ).status_code == 404
    item = url(world.staff, f"assignments/{created['id']}")
    assert (await client.delete(item, headers=hr_b)).status_code == 404
    assert (await client.delete(item, headers=as_staff)).status_code == 403


async def test_an_assignment_dated_ahead_is_current_from_its_start_date(
    app: FastAPI, client: AsyncClient, world: World, hr_a: Headers, admin: Headers
) -> None:
    """The probe found ``start_date: 9999-01-01`` made the position the employee's, and
    occupied, at once. A move decreed for next month takes effect next month."""
    today = today_in_indonesia()
    start = today + timedelta(days=30)
    now = await post_ok(
        client, world.other, "assignments", _assignment(world.desk, "2020-01-02"), hr_a
    )
    assert (await _employee(app, world.other)).position_id == world.desk
    # Close today's and open the next one, dated ahead, as a move decree does.
    closing = await client.patch(
        url(world.other, f"assignments/{now['id']}"),
        json={"end_date": (start - timedelta(days=1)).isoformat()},
        headers=hr_a,
    )
    assert closing.status_code == 200 and closing.json()["is_current"] is True
    ahead = await post_ok(
        client, world.other, "assignments", _assignment(world.analyst, start.isoformat()), hr_a
    )
    assert ahead["is_current"] is False
    assert (await _employee(app, world.other)).position_id == world.desk
    vacant = await client.get(
        "/api/v1/positions", params={"agency": "36.74", "vacant": "true"}, headers=hr_a
    )
    assert str(world.analyst) in {p["id"] for p in vacant.json()["items"]}

    # The periodic switch does nothing before the day, and moves the employee on it.
    assert await switch_current_positions(app.state.sessionmaker, start - timedelta(days=1)) == 0
    assert await switch_current_positions(app.state.sessionmaker, start) == 1
    moved = await _employee(app, world.other)
    assert moved.position_id == world.analyst
    assert await switch_current_positions(app.state.sessionmaker, start) == 0  # idempotent
    audit = await client.get(
        "/api/v1/audit", params={"nip": world.other, "action": "employee.updated"}, headers=admin
    )
    latest = audit.json()["items"][0]
    assert latest["actor"] == "system:current-positions"
    assert latest["changes"]["position_id"] == {
        "before": str(world.desk),
        "after": str(world.analyst),
    }


async def test_far_future_start_dates_are_refused(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    for start in ("9999-01-01", (today_in_indonesia() + timedelta(days=400)).isoformat()):
        response = await client.post(
            url(world.other, "assignments"), json=_assignment(world.desk, start), headers=hr_a
        )
        assert response.status_code == 422, start
        assert response.json()["errors"][0]["loc"] == ["body", "start_date"]
