"""The plans' routes: propose (a job), list, get, items, approve. Each: its valid case,
401, 403 for a caller it is not for, 404 for another agency's plan, 409 for the rules of
approval. The needs are handed in directly (the needs computation is another part)."""

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.org.models import Competency
from asn_career.profiles.models import CurrentCompetency
from asn_career.training.models import Course, CourseCompetency, Enrolment
from asn_career.training.plans import service as plans_service
from asn_career.training.rules import Need
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import FeedbackWorld, feedback_world
from tests.test_jobs import run_pending

API = "/api/v1/training/plans"


@pytest.fixture
async def world(app: FastAPI) -> FeedbackWorld:
    return await feedback_world(app, staff=4)


async def add_course(app: FastAPI, agency: str, code: str, comp: int, **values: Any) -> uuid.UUID:
    course_id = uuid.uuid4()
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(
            Course(id=course_id, agency_code=agency, code=code, title=f"Pelatihan {code}",
                   form="classroom", hours_jp=Decimal(values.pop("hours", 10)),
                   cost_per_participant=Decimal(values.pop("cpp", 100)),
                   fixed_cost_per_batch=Decimal(values.pop("fixed", 0)),
                   min_participants=values.pop("mn", 1), max_participants=values.pop("mx", 30))
        )  # fmt: skip
        await session.flush()
        session.add(CourseCompetency(course_id=course_id, competency_id=comp, target_level=5))
    return course_id


async def competency(app: FastAPI, code: str) -> int:
    async with unit_of_work(app.state.sessionmaker) as session:
        found = await session.scalar(select(Competency.id).where(Competency.code == code))
        assert found is not None
        return found


@pytest.fixture
def needs_of(
    world: FeedbackWorld, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[tuple[str, int, float]]]:
    """Connects the plan's needs to this dict: employee key → (key, competency, gap)."""
    table: dict[str, list[tuple[str, int, float]]] = {}

    async def fake(
        session: AsyncSession, principal: Principal, agency: str, year: int,
        unit_ids: Sequence[uuid.UUID] | None,
    ) -> list[Need]:  # fmt: skip
        assert agency == AGENCY_A and year == 2027
        return [
            Need(world.employees[key], comp, gap, 1.0, world.unit_id, "F", "III/c",
                 "functional", 0.0)
            for rows in table.values() for key, comp, gap in rows
        ]  # fmt: skip

    monkeypatch.setattr(plans_service, "needs_for_plan", fake)
    return table


def hr(auth: TokenFactory, agency: str = AGENCY_A) -> dict[str, str]:
    return auth(Role.HR_OFFICER, agency)


def code(response: Any) -> str:
    return str(response.json()["type"]).rsplit("/", 1)[-1].replace("-", "_")


async def propose(app: FastAPI, client: AsyncClient, headers: dict[str, str],
                  **body: Any) -> dict[str, Any]:  # fmt: skip
    payload = {"agency_code": AGENCY_A, "year": 2027, "budget": "1000.00", **body}
    created = await client.post(API, json=payload, headers=headers)
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "solving"
    assert created.headers["location"] == f"/api/v1/jobs/{created.json()['job_id']}"
    await run_pending(app)
    job = (await client.get(created.headers["location"], headers=headers)).json()
    assert job["kind"] == "training.plan"
    plan = await client.get(created.headers["content-location"], headers=headers)
    assert plan.status_code == 200
    result: dict[str, Any] = plan.json()
    result["_job"] = job
    return result


async def test_propose_solves_with_bound_greedy_figures_and_reasons(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld,
    needs_of: dict[str, list[tuple[str, int, float]]],
) -> None:  # fmt: skip
    m1 = await competency(app, "M.1")
    await add_course(app, AGENCY_A, "SPBE", m1, cpp=300)
    needs_of["all"] = [("staff0", m1, 2.0), ("staff1", m1, 1.0), ("staff2", m1, 3.0),
                       ("staff3", m1, 0.5)]  # fmt: skip
    plan = await propose(app, client, hr(auth), budget="900.00")
    assert plan["_job"]["status"] == "succeeded", plan["_job"]
    assert plan["status"] == "proposed" and plan["solver_status"] == "optimal"
    assert plan["objective"] == pytest.approx(6.0)  # the three largest gaps: 3 + 2 + 1
    assert plan["bound"] == pytest.approx(6.0) and plan["gap"] == pytest.approx(0.0)
    assert plan["greedy_objective"] <= plan["objective"]
    assert plan["items_total"] == 3
    assert plan["figures"]["budget_used"] == 900.0 and plan["figures"]["people_reached"] == 3
    items = (await client.get(f"{API}/{plan['id']}/items", headers=hr(auth))).json()["items"]
    assert {i["nip"] for i in items} == {
        world.nip(k) for k in ("staff0", "staff1", "staff2")
    }  # fmt: skip
    assert all(i["cost_share"] == "300.00" and not i["approved"] for i in items)
    assert items[0]["reasons"]["needs"][0]["competency_id"] == m1
    async with unit_of_work(app.state.sessionmaker) as session:
        kinds = (await session.scalars(select(OutboxEvent.event_type))).all()
    assert "training.plan.proposed" in kinds
    listed = (await client.get(API, headers=hr(auth))).json()["items"]
    assert [p["id"] for p in listed] == [plan["id"]]
    assert (await client.get(API, headers=hr(auth, AGENCY_B))).json()["items"] == []


async def test_gap_closed_stops_at_the_course_target_from_the_current_level(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld,
    needs_of: dict[str, list[tuple[str, int, float]]],
) -> None:  # fmt: skip
    m1 = await competency(app, "M.1")
    await add_course(app, AGENCY_A, "SPBE", m1)  # lifts M.1 to level 5
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(
            CurrentCompetency(employee_id=world.employees["staff0"], competency_id=m1, level=4,
                              source="self", assessed_on=date(2026, 1, 1))
        )  # fmt: skip
    needs_of["all"] = [("staff0", m1, 3.0), ("staff1", m1, 1.0)]
    plan = await propose(app, client, hr(auth))
    items = (await client.get(f"{API}/{plan['id']}/items", headers=hr(auth))).json()["items"]
    closed = {i["nip"]: i["gap_closed"] for i in items}
    assert closed == {world.nip("staff0"): "1.00", world.nip("staff1"): "1.00"}  # 5 − 4 < 3


async def test_approve_all_creates_planned_enrolments_once(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld,
    needs_of: dict[str, list[tuple[str, int, float]]],
) -> None:  # fmt: skip
    m1 = await competency(app, "M.1")
    await add_course(app, AGENCY_A, "SPBE", m1)
    needs_of["all"] = [("staff0", m1, 2.0), ("staff1", m1, 1.0)]
    plan = await propose(app, client, hr(auth))
    url = f"{API}/{plan['id']}/approve"
    approved = await client.post(url, json={"items": "all"}, headers=hr(auth))
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"]
    async with unit_of_work(app.state.sessionmaker) as session:
        rows = (await session.scalars(select(Enrolment))).all()
        assert {(r.state, r.plan_id, r.year) for r in rows} == {
            ("planned", uuid.UUID(plan["id"]), 2027)
        }
        assert len(rows) == 2
        kinds = (await session.scalars(select(OutboxEvent.event_type))).all()
        assert "training.plan.approved" in kinds
    again = await client.post(url, json={"items": "all"}, headers=hr(auth))
    assert again.status_code == 409 and code(again) == "training_plan_not_proposed"
    # A new plan leaves out who is enrolled already.
    second = await propose(app, client, hr(auth))
    assert second["items_total"] == 0 and second["solver_status"] == "empty"


async def test_partial_approval_keeps_batches_at_their_minimum(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld,
    needs_of: dict[str, list[tuple[str, int, float]]],
) -> None:  # fmt: skip
    m1 = await competency(app, "M.1")
    await add_course(app, AGENCY_A, "BATCH", m1, mn=2, fixed=100)
    needs_of["all"] = [("staff0", m1, 2.0), ("staff1", m1, 1.0), ("staff2", m1, 1.0)]
    plan = await propose(app, client, hr(auth))
    assert plan["items_total"] == 3
    items = (await client.get(f"{API}/{plan['id']}/items", headers=hr(auth))).json()["items"]
    url = f"{API}/{plan['id']}/approve"
    one = await client.post(url, json={"items": [items[0]["id"]]}, headers=hr(auth))
    assert one.status_code == 409 and code(one) == "training_plan_batch_below_minimum"
    unknown = await client.post(url, json={"items": [items[0]["id"], 10**9]}, headers=hr(auth))
    assert unknown.status_code == 422
    two = await client.post(url, json={"items": [i["id"] for i in items[:2]]}, headers=hr(auth))
    assert two.status_code == 200, two.text
    async with unit_of_work(app.state.sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(Enrolment)) == 2
    listed = (await client.get(f"{API}/{plan['id']}/items", headers=hr(auth))).json()["items"]
    assert [i["approved"] for i in listed] == [True, True, False]


async def test_a_plan_takes_its_needs_from_the_needs_computation(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    """End to end, no stand-in: the staff's position requires M.1 at level 3 and nobody
    has a level recorded, so every staff member needs M.1 and the plan enrols them."""
    m1 = await competency(app, "M.1")
    await add_course(app, AGENCY_A, "M1", m1, cpp=100)
    created = await client.post(
        API, json={"agency_code": AGENCY_A, "year": 2027, "budget": "10000"}, headers=hr(auth)
    )
    assert created.status_code == 202, created.text
    await run_pending(app)
    plan = (await client.get(created.headers["content-location"], headers=hr(auth))).json()
    assert plan["status"] == "proposed", plan
    items = (await client.get(f"{API}/{plan['id']}/items", headers=hr(auth))).json()["items"]
    staff = {world.nip(f"staff{i}") for i in range(4)}
    assert staff <= {item["nip"] for item in items}
