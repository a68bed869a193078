"""``/training/courses``: the catalogue, read by every role of the agency, written by HR."""

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.training.models import Enrolment
from tests.conftest import AGENCY_A, TokenFactory
from tests.feedback.factory import FeedbackWorld
from tests.training.courses.helpers import API, course_body, create_course


async def test_hr_creates_reads_and_lists_a_course(
    client: AsyncClient, app: FastAPI, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    created = await create_course(
        client, hr_a, eligible_position_kinds=["pelaksana"], min_rank="III/a", max_rank="III/d"
    )
    assert created["competencies"] == [{"code": "M.1", "target_level": 4}]
    assert created["hours_jp"] == 24.0 and created["active"] is True
    got = await client.get(f"{API}/{created['id']}", headers=hr_a)
    assert got.status_code == 200 and got.headers["ETag"] == '"1"'
    assert got.json()["eligible_position_kinds"] == ["pelaksana"]
    listed = await client.get(API, params={"competency": "M.1"}, headers=hr_a)
    assert [c["code"] for c in listed.json()["items"]] == ["SPBE-01"]
    assert (await client.get(API, params={"competency": "M.2"}, headers=hr_a)).json()["items"] == []
    async with unit_of_work(app.state.sessionmaker) as session:
        types = (await session.scalars(select(OutboxEvent.event_type))).all()
    assert "training.course.created" in types


async def test_every_role_of_the_agency_reads_only_hr_writes(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], auth: TokenFactory
) -> None:
    created = await create_course(client, hr_a)
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip("staff0"))
    supervisor = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("head"))
    for headers in (employee, supervisor):
        assert (await client.get(f"{API}/{created['id']}", headers=headers)).status_code == 200
        assert (await client.get(API, headers=headers)).json()["items"][0]["id"] == created["id"]
        refused = await client.post(API, json=course_body("X-2"), headers=headers)
        assert refused.status_code == 403
        patch = await client.patch(f"{API}/{created['id']}", json={"title": "X"}, headers=headers)
        assert patch.status_code == 403
    assert (await client.get(API)).status_code == 401


async def test_another_agency_sees_nothing_and_cannot_create(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str]
) -> None:
    created = await create_course(client, hr_a)
    assert (await client.get(f"{API}/{created['id']}", headers=hr_b)).status_code == 404
    assert (
        await client.patch(f"{API}/{created['id']}", json={"title": "X"}, headers=hr_b)
    ).status_code == 404
    assert (await client.delete(f"{API}/{created['id']}", headers=hr_b)).status_code == 404
    assert (await client.get(API, headers=hr_b)).json()["items"] == []
    refused = await client.post(API, json=course_body(agency_code=AGENCY_A), headers=hr_b)
    assert refused.status_code == 403


async def test_refusals_of_a_course_body(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"competencies": [{"code": "T.9999", "target_level": 3}]}, "unknown_competency"),
        ({"competencies": [{"code": "M.1", "target_level": 3}] * 2}, "duplicate_competency"),
        ({"min_participants": 5, "max_participants": 2}, "participants_order"),
        ({"starts_on": "2026-03-05", "ends_on": "2026-03-01"}, "date_order"),
        ({"min_rank": "IV/a", "max_rank": "III/a"}, "rank_order"),
        ({"min_rank": "III/a", "max_rank": "IX"}, "rank_scale"),
        ({"min_rank": "ZZ"}, "unknown_rank"),
    ]
    for fields, kind in cases:
        response = await client.post(API, json=course_body(**fields), headers=hr_a)
        assert response.status_code == 422, (fields, response.text)
        assert kind in {e["type"] for e in response.json()["errors"]}, (fields, response.text)
    assert (
        await client.post(API, json=course_body(form="lecture"), headers=hr_a)
    ).status_code == 422
    degree = await client.post(API, json=course_body("S2-01", form="degree_study"), headers=hr_a)
    assert degree.status_code == 201
    await create_course(client, hr_a)
    taken = await client.post(API, json=course_body(), headers=hr_a)
    assert taken.status_code == 409 and taken.json()["type"].endswith("/course-code-taken")


async def test_update_with_if_match_and_competencies_replaced(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    created = await create_course(client, hr_a)
    url = f"{API}/{created['id']}"
    body = {"competencies": [{"code": "M.2", "target_level": 5}], "active": False}
    changed = await client.patch(url, json=body, headers=hr_a | {"If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.json()["competencies"] == [{"code": "M.2", "target_level": 5}]
    assert changed.json()["version"] == 2 and changed.json()["active"] is False
    stale = await client.patch(url, json={"title": "Lagi"}, headers=hr_a | {"If-Match": '"1"'})
    assert stale.status_code == 412
    assert (await client.patch(url, json={"hours_jp": None}, headers=hr_a)).status_code == 422
    bad = await client.patch(url, json={"max_participants": 0}, headers=hr_a)
    assert bad.status_code == 422
    order = await client.patch(url, json={"min_participants": 9}, headers=hr_a)
    assert order.status_code == 422 and order.json()["errors"][0]["type"] == "participants_order"


async def test_a_course_with_enrolments_is_not_deleted(
    client: AsyncClient, app: FastAPI, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    spare = await create_course(client, hr_a, code="SPARE")
    assert (await client.delete(f"{API}/{spare['id']}", headers=hr_a)).status_code == 204
    assert (await client.get(f"{API}/{spare['id']}", headers=hr_a)).status_code == 404
    used = await create_course(client, hr_a)
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(
            Enrolment(agency_code=AGENCY_A, employee_id=world.employees["staff0"],
                      course_id=used["id"], year=2026)
        )  # fmt: skip
    refused = await client.delete(f"{API}/{used['id']}", headers=hr_a)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/course-in-use")
