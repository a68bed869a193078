"""``POST /employees/{nip}/development-plans/draft`` on real data: a published 360° cycle
(``tests/feedback/reports/scenario.py``), the needs world's positions, career interests
and a catalogue; and an employee with none of the extras."""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.profiles.models import CareerInterest
from asn_career.training.development_plans.drafting import jp_text
from tests.conftest import AGENCY_A, TokenFactory
from tests.feedback.reports.scenario import build_scenario
from tests.test_jobs import run_pending
from tests.training.courses.helpers import create_course
from tests.training.development_plans.helpers import plans_of
from tests.training.needs.world import YEAR, NeedsWorld

MAX_DRAFT_STATEMENTS = 25
"""Measured: 25 for either draft below (reads, three inserts, the audit row and event,
and the response), whatever the number of needs, suggestions and courses."""


@contextmanager
def counting(app: FastAPI) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_a_draft_comes_from_needs_the_360_report_and_interests(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    scenario = await build_scenario(app)
    world = await NeedsWorld(scenario.world).setup()
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    published = await client.post(
        f"/api/v1/feedback/cycles/{scenario.cycle_id}/publish", headers=hr
    )
    assert published.status_code == 202, published.text
    await run_pending(app)
    await world.wants_target("staff0")
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(
            CareerInterest(employee_id=world.id("staff0"), kind="training", priority=2,
                           description="Pelatihan analisis data dengan Python")
        )  # fmt: skip
    m2 = [{"code": "M.2", "target_level": 4}]
    await create_course(client, hr, "KERJASAMA", competencies=m2, hours_jp=16,
                        starts_on="2026-05-04", ends_on="2026-05-06")  # fmt: skip
    await create_course(client, hr, "PKP-M2", competencies=[{"code": "M.2", "target_level": 5}],
                        hours_jp=8, eligible_position_kinds=["pengawas"])  # fmt: skip
    await create_course(client, hr, "M1-2025", starts_on="2025-03-02", ends_on="2025-03-05")

    staff0 = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip("staff0"))
    with counting(app) as statements:
        response = await client.post(
            f"{plans_of(world.nip('staff0'))}/draft", json={"year": YEAR}, headers=staff0
        )
    assert response.status_code == 201, response.text
    assert len(statements) <= MAX_DRAFT_STATEMENTS, statements
    plan = response.json()
    assert plan["status"] == "draft"
    assert plan["drafted_from"]["feedback_cycle_id"] == str(scenario.cycle_id)
    assert plan["drafted_from"]["interests"] == 2

    # Publishing wrote staff0's 360° levels of M.1 and M.2, which meet the position now;
    # the target position still asks M.3 at 3.
    assert [(n["competency_code"], n["source"], n["required_level"], n["gap"])
            for n in plan["needs"]] == [("M.3", "target_position", 3, 2)]  # fmt: skip
    by_source: dict[str, list[Any]] = {}
    for a in plan["activities"]:
        by_source.setdefault(a["source"], []).append(
            (a["kind"], a["competency_code"], a["course_code"], a["target_quarter"])
        )
    # M.3 has no course: coaching. The report's suggestions (M.1 a blind spot, BA.1 and M.2
    # lowest rated): coaching, mentoring on a value, and the catalogue course that lifts
    # M.2 (not the pengawas-only one, not last year's).
    assert by_source["need"] == [("coaching", "M.3", None, None)]
    assert sorted(by_source["feedback_360"], key=str) == sorted(
        [("coaching", "M.1", None, None), ("mentoring", None, None, None),
         ("training", "M.2", "KERJASAMA", 2)], key=str,
    )  # fmt: skip
    interest = [a for a in plan["activities"] if a["source"] == "career_interest"]
    assert [(a["kind"], a["title"]) for a in interest] == [
        ("training", "Pelatihan analisis data dengan Python")
    ]
    assert all(a["reason"] for a in plan["activities"])
    sources = [g["source"] for g in plan["goals"]]
    assert sources == ["target_position", "feedback_360", "minimum_jp"]
    assert (
        f"direncanakan {jp_text(Decimal(str(plan['planned_jp'])))} JP" in plan["goals"][-1]["text"]
    )
    assert plan["planned_jp"] == sum(a["planned_jp"] for a in plan["activities"])

    again = await client.post(
        f"{plans_of(world.nip('staff0'))}/draft", json={"year": YEAR}, headers=staff0
    )
    assert again.status_code == 409

    # staff3: not rated in the cycle, no interests, never assessed: the position's needs only.
    head = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("head"))
    with counting(app) as plain_statements:
        plain = await client.post(
            f"{plans_of(world.nip('staff3'))}/draft", json={"year": YEAR}, headers=head
        )
    assert plain.status_code == 201, plain.text
    assert len(plain_statements) <= MAX_DRAFT_STATEMENTS
    bare = plain.json()
    assert bare["drafted_from"]["feedback_cycle_id"] is None
    assert bare["drafted_from"]["interests"] == 0
    assert {(n["competency_code"], n["current_level"], n["required_level"], n["gap"])
            for n in bare["needs"]} == {("M.1", None, 3, 2), ("M.2", None, 4, 3)}  # fmt: skip
    assert {a["source"] for a in bare["activities"]} == {"need"}
    assert [g["source"] for g in bare["goals"]] == ["need", "minimum_jp"]
