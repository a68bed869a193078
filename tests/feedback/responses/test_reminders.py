"""Reminders due: the list HR reads, marking them sent, the event for a mail integration,
and the rule in Python and in SQL kept the same."""

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, update

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.feedback.models import Cycle, Request
from asn_career.feedback.responses.repository import ReminderRepository
from asn_career.feedback.responses.rules import ReminderRule, reminder_due
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import FeedbackWorld, feedback_world
from tests.feedback.responses.helpers import set_cycle, table_text

NOW = datetime.now(UTC)


def reminders(cycle: uuid.UUID) -> str:
    return f"/api/v1/feedback/cycles/{cycle}/reminders"


@pytest.fixture
async def world(app: FastAPI) -> FeedbackWorld:
    return await feedback_world(app, staff=5)


async def _age(app: FastAPI, request: uuid.UUID, **values: object) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(update(Request).where(Request.id == request).values(**values))


async def test_due_requests_are_listed_marked_and_announced_once(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    await set_cycle(app, cycle, deadline=NOW + timedelta(days=2))  # within the window
    pending = await world.request(cycle, "staff0", "staff1", "peer")
    draft = await world.request(cycle, "staff2", "staff1", "peer", status="draft")
    other_rater = await world.request(cycle, "staff0", "staff3", "peer")
    lately = await world.request(cycle, "staff2", "staff3", "peer")
    await _age(app, lately, reminded_at=NOW - timedelta(days=1))
    await world.request(cycle, "staff0", "staff2", "peer", status="submitted")
    await world.request(cycle, "staff0", "staff4", "peer", status="declined")
    await world.request(cycle, "staff0", "head", "supervisor", status="nominated")
    await world.request(cycle, "staff0", None, "public", token="p" * 43)
    hr = auth(Role.HR_OFFICER, AGENCY_A)

    listed = await client.get(reminders(cycle), headers=hr)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert {i["request_id"] for i in items} == {str(pending), str(draft), str(other_rater)}
    first = next(i for i in items if i["request_id"] == str(draft))
    assert first == {
        "request_id": str(draft),
        "rater_nip": world.nip("staff1"),
        "rater_name": "Pegawai staff1",
        "subject_nip": world.nip("staff2"),
        "subject_name": "Pegawai staff2",
        "relationship": "peer",
        "status": "draft",
        "reminded_at": None,
    }
    assert "score" not in listed.text and "answers" not in listed.text

    sent = await client.post(reminders(cycle), json={}, headers=hr)
    assert sent.status_code == 200, sent.text
    assert sent.json()["requests"] == 3
    assert sent.json()["raters"] == sorted(
        [
            {"nip": world.nip("staff1"), "open_requests": 2},
            {"nip": world.nip("staff3"), "open_requests": 1},
        ],
        key=lambda r: str(r["nip"]),
    )
    async with unit_of_work(app.state.sessionmaker) as session:
        events = (await session.scalars(select(OutboxEvent))).all()
        marked = await session.get(Request, pending)
    assert marked is not None and marked.reminded_at is not None and marked.version == 2
    assert [e.event_type for e in events] == ["feedback.reminders.due"]
    payload = events[0].payload
    assert payload["cycle_id"] == str(cycle) and payload["requests"] == 3
    assert payload["raters"] == sent.json()["raters"]
    assert world.nip("staff0") not in str(payload)  # no subject named
    entries = (
        await client.get("/api/v1/audit?entity_type=feedback_cycle", headers=auth(Role.ADMIN))
    ).json()
    assert [e["action"] for e in entries["items"]] == ["feedback_cycle.reminded"]

    # Reminded now: none due again within the interval, and no second event.
    assert (await client.get(reminders(cycle), headers=hr)).json()["items"] == []
    again = await client.post(reminders(cycle), json={}, headers=hr)
    assert again.json()["requests"] == 0
    assert (await table_text(app, "outbox_events")).count("feedback.reminders.due") == 1
    # A shorter interval makes the rule HR's to choose.
    await _age(app, pending, reminded_at=NOW - timedelta(days=2))
    short = await client.get(f"{reminders(cycle)}?interval_days=1", headers=hr)
    assert {i["request_id"] for i in short.json()["items"]} == {str(pending), str(lately)}


async def test_far_from_the_deadline_only_raters_who_have_not_begun(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    await set_cycle(
        app, cycle, deadline=NOW + timedelta(days=30), opened_at=NOW - timedelta(days=5)
    )
    untouched = await world.request(cycle, "staff0", "staff1", "peer")
    started = await world.request(cycle, "staff0", "staff2", "peer", status="draft")
    fresh = await world.request(cycle, "staff0", "staff3", "peer")
    await _age(app, untouched, created_at=NOW - timedelta(days=10))
    await _age(app, started, created_at=NOW - timedelta(days=10))
    # ``fresh`` reached its rater just now.
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    listed = await client.get(reminders(cycle), headers=hr)
    assert [i["request_id"] for i in listed.json()["items"]] == [str(untouched)]
    wide = await client.get(f"{reminders(cycle)}?within_days=31", headers=hr)
    assert {i["request_id"] for i in wide.json()["items"]} == {
        str(untouched),
        str(started),
        str(fresh),
    }


async def test_reminders_are_hrs_within_its_agencies(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    for method in ("GET", "POST"):
        body: dict[str, object] | None = {} if method == "POST" else None
        assert (await client.request(method, reminders(cycle), json=body)).status_code == 401
        for role in (Role.EMPLOYEE, Role.SUPERVISOR):
            response = await client.request(
                method, reminders(cycle), json=body, headers=auth(role, AGENCY_A)
            )
            assert response.status_code == 403
        for headers in (auth(Role.HR_OFFICER, AGENCY_B),):
            response = await client.request(method, reminders(cycle), json=body, headers=headers)
            assert response.status_code == 404
        unknown = await client.request(
            method, reminders(uuid.uuid4()), json=body, headers=auth(Role.ADMIN)
        )
        assert unknown.status_code == 404
    bad = await client.get(f"{reminders(cycle)}?within_days=0", headers=auth(Role.ADMIN))
    assert bad.status_code == 422


async def test_reminders_are_sent_only_while_the_cycle_is_open(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    closed = await world.cycle(state="closed")
    await world.request(closed, "staff0", "staff1", "peer")
    assert (await client.get(reminders(closed), headers=hr)).json()["items"] == []
    refused = await client.post(reminders(closed), json={}, headers=hr)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/cycle-not-open")
    late = await world.cycle(state="open")
    await set_cycle(app, late, deadline=NOW - timedelta(hours=1))
    refused = await client.post(reminders(late), json={}, headers=hr)
    assert refused.json()["type"].endswith("/deadline-passed")


async def test_the_rule_in_sql_is_the_rule_in_python(app: FastAPI, world: FeedbackWorld) -> None:
    """Every combination of status, age, last reminder, deadline and opening, selected by
    the repository's SQL and judged by ``rules.reminder_due``: the same requests."""
    rule = ReminderRule(window=timedelta(days=7), interval=timedelta(days=3))
    ages = [timedelta(hours=1), timedelta(days=2, hours=23), timedelta(days=3, hours=1)]
    reminded = [None, timedelta(days=1), timedelta(days=3, hours=1)]
    statuses = ["pending", "draft", "submitted", "nominated"]
    raters = [k for k in world.employees if k.startswith("staff")] + ["head"]
    subjects = list(world.employees)
    configurations = [
        *itertools.product((3, 20, -1), (None, 1, 6), ("open",)),
        (3, 6, "closed"),
    ]
    for deadline_days, opened_days, state in configurations:
        cycle_id = await world.cycle(state=state)
        opened_at = NOW - timedelta(days=opened_days) if opened_days is not None else None
        await set_cycle(
            app, cycle_id, deadline=NOW + timedelta(days=deadline_days), opened_at=opened_at
        )
        expected, pairs = set(), itertools.product(subjects, raters)
        for status, age, last in itertools.product(statuses, ages, reminded):
            subject, rater = next(pairs)
            request = await world.request(cycle_id, subject, rater, "peer", status=status)
            reminded_at = NOW - last if last is not None else None
            await _age(app, request, created_at=NOW - age, reminded_at=reminded_at)
            if reminder_due(
                rule, NOW, cycle_state=state, deadline=NOW + timedelta(days=deadline_days),
                opened_at=opened_at, status=status, created_at=NOW - age, reminded_at=reminded_at,
            ):  # fmt: skip
                expected.add(request)
        async with unit_of_work(app.state.sessionmaker) as session:
            cycle = await session.get(Cycle, cycle_id)
            assert cycle is not None
            clause = ReminderRepository.due_clause(cycle, rule, NOW)
            selected = set((await session.scalars(select(Request.id).where(clause))).all())
        assert selected == expected, (deadline_days, opened_days, state)
        if state == "open" and deadline_days == 3:
            assert expected  # the grid reaches both answers
