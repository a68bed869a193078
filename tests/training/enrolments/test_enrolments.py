"""``/training/enrollments``: eligibility on create, the transitions, completion into the
profile's training history, and who sees which enrolment."""

import itertools
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.training.models import Enrolment
from asn_career.training.rules import ENROLMENT_TRANSITIONS, enrolment_target
from tests.conftest import AGENCY_A, TokenFactory
from tests.feedback.factory import FeedbackWorld
from tests.training.courses.helpers import create_course

API = "/api/v1/training/enrollments"
STATES = ("planned", "enrolled", "completed", "cancelled", "no_show")


async def enrol(
    client: AsyncClient, headers: dict[str, str], course_id: str, nip: str, **fields: Any
) -> Any:
    return await client.post(
        API, json={"course_id": course_id, "nip": nip, **fields}, headers=headers
    )


async def test_the_whole_path_writes_the_training_history(
    client: AsyncClient, app: FastAPI, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    course = await create_course(
        client, hr_a, reassess_on_completion=True,
        competencies=[{"code": "M.1", "target_level": 4}, {"code": "M.2", "target_level": 3}],
    )  # fmt: skip
    nip = world.nip("staff0")
    created = await enrol(client, hr_a, course["id"], nip)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["state"], body["year"], body["nip"]) == ("planned", 2026, nip)
    assert body["course_code"] == "SPBE-01" and body["training_id"] is None
    url = f"{API}/{body['id']}"
    enrolled = await client.post(f"{url}/enrol", headers=hr_a | {"If-Match": '"1"'})
    assert enrolled.status_code == 200 and enrolled.json()["state"] == "enrolled"
    stale = await client.post(
        f"{url}/complete", json={"completed_on": "2026-03-05"}, headers=hr_a | {"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    done = await client.post(
        f"{url}/complete",
        json={"completed_on": "2026-03-05", "certificate_number": "SERT/001"},
        headers=hr_a,
    )
    assert done.status_code == 200, done.text
    out = done.json()
    assert out["state"] == "completed" and out["completed_on"] == "2026-03-05"
    assert out["reassessment_due"] is True and out["training_id"] is not None
    trainings = await client.get(f"/api/v1/employees/{nip}/trainings", headers=hr_a)
    assert trainings.status_code == 200, trainings.text
    [history] = trainings.json()["items"]
    assert history["id"] == out["training_id"]
    assert history["hours_jp"] == 24.0 and history["form"] == "training"
    assert history["provider"] == "BPSDM Provinsi Banten"
    assert (history["start_date"], history["end_date"]) == ("2026-03-02", "2026-03-05")
    assert history["competencies"] == ["M.1", "M.2"]
    assert history["certificate_number"] == "SERT/001"
    async with unit_of_work(app.state.sessionmaker) as session:
        types = list((await session.scalars(select(OutboxEvent.event_type))).all())
    for event in ("planned", "enrolled", "completed"):
        assert f"training.enrolment.{event}" in types


async def test_completion_without_reassessment_and_bad_dates(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    course = await create_course(client, hr_a)
    created = (await enrol(client, hr_a, course["id"], world.nip("staff1"))).json()
    url = f"{API}/{created['id']}"
    assert (await client.post(f"{url}/enrol", headers=hr_a)).status_code == 200
    for day, kind in (("2099-01-01", "future_date"), ("2026-03-01", "date_order")):
        refused = await client.post(f"{url}/complete", json={"completed_on": day}, headers=hr_a)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["type"] == kind
    assert (await client.post(f"{url}/complete", json={}, headers=hr_a)).status_code == 422
    done = await client.post(f"{url}/complete", json={"completed_on": "2026-03-04"}, headers=hr_a)
    assert done.status_code == 200 and done.json()["reassessment_due"] is False


@pytest.mark.parametrize(("state", "action"), itertools.product(STATES, ENROLMENT_TRANSITIONS))
async def test_every_transition_follows_the_rules(
    client: AsyncClient,
    app: FastAPI,
    world: FeedbackWorld,
    hr_a: dict[str, str],
    state: str,
    action: str,
) -> None:
    course = await create_course(client, hr_a)
    enrolment_id = uuid.uuid4()
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(
            Enrolment(id=enrolment_id, agency_code=AGENCY_A, employee_id=world.employees["staff0"],
                      course_id=course["id"], year=2026, state=state)
        )  # fmt: skip
    path = action.replace("_", "-")
    body = {"completed_on": "2026-03-05"} if action == "complete" else None
    response = await client.post(f"{API}/{enrolment_id}/{path}", json=body, headers=hr_a)
    target = enrolment_target(state, action)
    if target is None:
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("/enrolment-transition")
    else:
        assert response.status_code == 200, response.text
        assert response.json()["state"] == target


async def test_eligibility_refusals(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    staff0, staff1, staff2 = (world.nip(f"staff{i}") for i in range(3))

    def code_of(response: Any) -> str:
        return str(response.json()["type"].rsplit("/", 1)[1])

    functional = await create_course(client, hr_a, "FUNG", eligible_position_kinds=["fungsional"])
    refused = await enrol(client, hr_a, functional["id"], staff0)
    assert refused.status_code == 409 and code_of(refused) == "not-eligible"
    senior = await create_course(client, hr_a, "SENIOR", min_rank="IV/a")
    assert code_of(await enrol(client, hr_a, senior["id"], staff0)) == "not-eligible"
    junior = await create_course(client, hr_a, "JUNIOR", min_rank="II/a", max_rank="III/b")
    assert code_of(await enrol(client, hr_a, junior["id"], staff0)) == "not-eligible"
    fits = await create_course(
        client, hr_a, "FITS", eligible_position_kinds=["pelaksana"], min_rank="III/a",
        max_rank="III/d", max_participants=2,
    )  # fmt: skip
    assert (await enrol(client, hr_a, fits["id"], staff0)).status_code == 201
    twice = await enrol(client, hr_a, fits["id"], staff0)
    assert twice.status_code == 409 and code_of(twice) == "already-enrolled"
    assert (await enrol(client, hr_a, fits["id"], staff0, year=2027)).status_code == 201
    assert (await enrol(client, hr_a, fits["id"], staff1)).status_code == 201
    full = await enrol(client, hr_a, fits["id"], staff2)
    assert full.status_code == 409 and code_of(full) == "course-full"
    other = await enrol(client, hr_a, fits["id"], world.nip("b"))
    assert other.status_code == 422 and other.json()["errors"][0]["type"] == "employee_not_found"
    unknown = await enrol(client, hr_a, str(uuid.uuid4()), staff0)
    assert unknown.status_code == 422
    inactive = await create_course(client, hr_a, "OLD", active=False)
    assert code_of(await enrol(client, hr_a, inactive["id"], staff0)) == "course-inactive"


async def test_who_sees_which_enrolment(
    client: AsyncClient,
    world: FeedbackWorld,
    hr_a: dict[str, str],
    hr_b: dict[str, str],
    auth: TokenFactory,
) -> None:
    course = await create_course(client, hr_a)
    mine = (await enrol(client, hr_a, course["id"], world.nip("staff0"))).json()
    theirs = (await enrol(client, hr_a, course["id"], world.nip("staff1"))).json()
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip("staff0"))
    supervisor = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("head"))
    own = await client.get(API, headers=employee)
    assert [e["id"] for e in own.json()["items"]] == [mine["id"]]
    assert (await client.get(f"{API}/{mine['id']}", headers=employee)).status_code == 200
    assert (await client.get(f"{API}/{theirs['id']}", headers=employee)).status_code == 404
    line = await client.get(API, headers=supervisor)
    assert {e["id"] for e in line.json()["items"]} == {mine["id"], theirs["id"]}
    listed = await client.get(API, params={"nip": world.nip("staff1")}, headers=hr_a)
    assert [e["id"] for e in listed.json()["items"]] == [theirs["id"]]
    assert (await client.get(f"{API}/{mine['id']}", headers=hr_b)).status_code == 404
    assert (await client.post(f"{API}/{mine['id']}/enrol", headers=hr_b)).status_code == 404
    assert (await client.get(API, headers=hr_b)).json()["items"] == []
    for headers in (employee, supervisor):
        assert (await client.post(f"{API}/{mine['id']}/enrol", headers=headers)).status_code == 403
        created = await enrol(client, headers, course["id"], world.nip("staff2"))
        assert created.status_code == 403
    assert (await client.get(API)).status_code == 401
    assert (await client.post(f"{API}/{mine['id']}/cancel")).status_code == 401
