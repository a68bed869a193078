"""Cycles: creation, reads, changes while draft, and the enforced states with their audit
rows and events."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.feedback.cycles.service import CycleService
from asn_career.feedback.models import Cycle
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.cycles.helpers import (
    CYCLES,
    add_request,
    add_subjects,
    audit,
    create_cycle,
    events,
    future,
)
from tests.feedback.factory import FeedbackWorld

DEFAULT_QUESTIONNAIRE = "5db18617-cfb9-5d05-932b-337755f69ce6"


async def ready_cycle(
    client: AsyncClient, world: FeedbackWorld, hr: dict[str, str]
) -> dict[str, object]:
    """A draft cycle with one subject and their self-assessment request."""
    cycle = await create_cycle(client, hr, world.questionnaire_id)
    nip = world.nip("staff0")
    await add_subjects(client, hr, str(cycle["id"]), [nip])
    await add_request(client, hr, str(cycle["id"]), nip, nip, "self")
    return cycle


async def test_hr_creates_a_draft_cycle_and_reads_it(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    response = await client.post(
        CYCLES,
        json={
            "agency_code": AGENCY_A,
            "name": "Umpan Balik 360° Semester II 2026",
            "period_start": "2026-07-01",
            "period_end": "2026-12-31",
            "questionnaire_id": DEFAULT_QUESTIONNAIRE,
            "deadline": future(),
        },
        headers=hr_a,
    )
    assert response.status_code == 201, response.text
    cycle = response.json()
    assert response.headers["location"] == f"/api/v1/feedback/cycles/{cycle['id']}"
    assert response.headers["etag"] == '"1"'
    assert cycle["state"] == "draft"
    assert (cycle["min_group_size"], cycle["blind_spot_threshold"]) == (3, 1.0)
    assert cycle["max_requests_per_rater"] == 8
    assert cycle["counts"] == {
        "subjects": 0,
        "requests": 0,
        "requests_by_status": dict.fromkeys(
            ("nominated", "pending", "draft", "submitted", "declined"), 0
        ),
        "requests_by_relationship": dict.fromkeys(
            ("self", "supervisor", "peer", "subordinate", "public"), 0
        ),
    }
    one = await client.get(f"{CYCLES}/{cycle['id']}", headers=hr_a)
    assert one.status_code == 200 and one.json() == cycle
    listed = await client.get(f"{CYCLES}?agency={AGENCY_A}&state=draft", headers=hr_a)
    assert [c["id"] for c in listed.json()["items"]] == [cycle["id"]]
    assert (await client.get(f"{CYCLES}?state=open", headers=hr_a)).json()["items"] == []
    created = await audit(app, "feedback_cycle.created")
    assert [e.entity_id for e in created] == [cycle["id"]]


async def test_lists_are_paged_newest_first_and_counted_per_cycle(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    first = await ready_cycle(client, world, hr_a)
    second = await create_cycle(client, hr_a, world.questionnaire_id, name="Siklus kedua")
    page = await client.get(f"{CYCLES}?limit=1", headers=hr_a)
    assert [c["id"] for c in page.json()["items"]] == [second["id"]]
    cursor = page.json()["next_cursor"]
    rest = await client.get(f"{CYCLES}?limit=1&cursor={cursor}", headers=hr_a)
    [older] = rest.json()["items"]
    assert older["id"] == first["id"] and rest.json()["next_cursor"] is None
    assert older["counts"]["subjects"] == 1
    assert older["counts"]["requests_by_relationship"]["self"] == 1
    assert older["counts"]["requests_by_status"]["pending"] == 1


async def test_credentials_roles_and_agencies(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str],
    auth: TokenFactory,
) -> None:  # fmt: skip
    cycle = await create_cycle(client, hr_a, world.questionnaire_id)
    url = f"{CYCLES}/{cycle['id']}"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(CYCLES)).status_code == 401
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip("staff0"))
    assert (await client.get(url, headers=employee)).status_code == 403
    assert (await client.get(CYCLES, headers=employee)).status_code == 403
    supervisor = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("head"))
    assert (await client.post(f"{url}/open", headers=supervisor)).status_code == 403
    assert (await client.get(url, headers=hr_b)).status_code == 404
    assert (await client.patch(url, json={"name": "x"}, headers=hr_b)).status_code == 404
    assert (await client.delete(url, headers=hr_b)).status_code == 404
    assert (await client.post(f"{url}/open", headers=hr_b)).status_code == 404
    assert (await client.get(CYCLES, headers=hr_b)).json()["items"] == []
    # HR of one agency creates no cycle in another.
    body = {
        "agency_code": AGENCY_B,
        "name": "Siklus",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "questionnaire_id": DEFAULT_QUESTIONNAIRE,
        "deadline": future(),
    }
    assert (await client.post(CYCLES, json=body, headers=hr_a)).status_code == 403


@pytest.mark.parametrize(
    ("fields", "loc", "kind"),
    [
        ({"deadline": "2020-01-01T00:00:00+07:00"}, "deadline", "deadline_past"),
        ({"deadline": "2099-01-01T00:00:00"}, "deadline", "value_error"),
        ({"period_end": "2026-06-30"}, "period_end", "date_order"),
        ({"min_group_size": 2}, "min_group_size", "greater_than_equal"),
        ({"min_group_size": 21}, "min_group_size", "less_than_equal"),
        ({"blind_spot_threshold": 0}, "blind_spot_threshold", "greater_than"),
        ({"max_requests_per_rater": 0}, "max_requests_per_rater", "greater_than_equal"),
        ({"questionnaire_id": str(uuid.uuid4())}, "questionnaire_id", "questionnaire_not_found"),
        ({"agency_code": "36.99"}, "agency_code", "agency_not_found"),
    ],
)
async def test_refused_settings(
    client: AsyncClient, world: FeedbackWorld, admin: dict[str, str],
    fields: dict[str, object], loc: str, kind: str,
) -> None:  # fmt: skip
    body = {
        "agency_code": AGENCY_A,
        "name": "Siklus",
        "period_start": "2026-07-01",
        "period_end": "2026-12-31",
        "questionnaire_id": str(world.questionnaire_id),
        "deadline": future(),
        **fields,
    }
    response = await client.post(CYCLES, json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert [(e["loc"][-1], e["type"]) for e in response.json()["errors"]] == [(loc, kind)]


async def test_another_agencys_questionnaire_is_refused(
    client: AsyncClient, world: FeedbackWorld, admin: dict[str, str]
) -> None:
    body = {
        "agency_code": AGENCY_B,
        "name": "Siklus Kupang",
        "period_start": "2026-07-01",
        "period_end": "2026-12-31",
        "questionnaire_id": str(world.questionnaire_id),  # agency A's
        "deadline": future(),
    }
    response = await client.post(CYCLES, json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "questionnaire_not_found"


async def test_a_draft_changes_with_if_match_and_is_deleted(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    cycle = await ready_cycle(client, world, hr_a)
    url = f"{CYCLES}/{cycle['id']}"
    stale = await client.patch(url, json={"name": "Baru"}, headers={**hr_a, "If-Match": '"9"'})
    assert stale.status_code == 412
    changed = await client.patch(
        url,
        json={"name": "Umpan Balik 360° 2026", "min_group_size": 4, "blind_spot_threshold": 0.75,
              "questionnaire_id": DEFAULT_QUESTIONNAIRE},
        headers={**hr_a, "If-Match": '"1"'},
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    body = changed.json()
    assert (body["name"], body["min_group_size"], body["blind_spot_threshold"]) == (
        "Umpan Balik 360° 2026", 4, 0.75,
    )  # fmt: skip
    assert body["questionnaire_id"] == DEFAULT_QUESTIONNAIRE
    nulled = await client.patch(url, json={"name": None}, headers=hr_a)
    assert nulled.status_code == 422
    assert (await audit(app, "feedback_cycle.updated"))[0].changes["name"]["after"] == (
        "Umpan Balik 360° 2026"
    )
    assert (await client.delete(url, headers=hr_a)).status_code == 204
    assert (await client.get(url, headers=hr_a)).status_code == 404
    assert len(await audit(app, "feedback_cycle.deleted")) == 1


async def test_opening_needs_a_subject_and_an_answerable_request(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    cycle = await create_cycle(client, hr_a, world.questionnaire_id)
    url = f"{CYCLES}/{cycle['id']}"
    empty = await client.post(f"{url}/open", headers=hr_a)
    assert empty.status_code == 409
    assert empty.json()["type"].endswith("/cycle-has-no-subjects")
    nip = world.nip("staff0")
    await add_subjects(client, hr_a, str(cycle["id"]), [nip])
    no_requests = await client.post(f"{url}/open", headers={**hr_a, "Accept-Language": "id"})
    assert no_requests.status_code == 409
    assert no_requests.json()["type"].endswith("/cycle-has-no-requests")
    assert "permintaan penilaian" in no_requests.json()["detail"]
    await add_request(client, hr_a, str(cycle["id"]), nip, nip, "self")
    opened = await client.post(f"{url}/open", headers=hr_a)
    assert opened.status_code == 200, opened.text
    assert opened.json()["state"] == "open" and opened.json()["opened_at"] is not None
    assert opened.headers["etag"] == '"2"'
    [row] = await audit(app, "feedback_cycle.opened")
    assert row.changes["state"] == {"before": "draft", "after": "open"}
    [event] = await events(app, "feedback.cycle.opened")
    assert event["cycle_id"] == cycle["id"] and event["state"] == "open"
    again = await client.post(f"{url}/open", headers=hr_a)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/cycle-transition-not-allowed")


async def test_opening_refuses_a_deadline_that_has_passed(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    cycle_id = await world.cycle()
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(
            update(Cycle)
            .where(Cycle.id == cycle_id)
            .values(deadline=datetime.now(UTC) - timedelta(hours=1))
        )
    await world.subject(cycle_id, "staff0")
    await world.request(cycle_id, "staff0", "staff0", "self")
    response = await client.post(f"{CYCLES}/{cycle_id}/open", headers=hr_a)
    assert response.status_code == 409
    assert response.json()["type"].endswith("/cycle-deadline-passed")


async def test_an_open_cycle_changes_only_its_deadline_later(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    cycle = await ready_cycle(client, world, hr_a)
    url = f"{CYCLES}/{cycle['id']}"
    assert (await client.post(f"{url}/open", headers=hr_a)).status_code == 200
    for body in (
        {"name": "Lain"},
        {"min_group_size": 5},
        {"questionnaire_id": DEFAULT_QUESTIONNAIRE},
    ):
        refused = await client.patch(url, json=body, headers=hr_a)
        assert refused.status_code == 409, body
        assert refused.json()["type"].endswith("/cycle-not-draft")
    same_name = await client.patch(url, json={"name": cycle["name"]}, headers=hr_a)
    assert same_name.status_code == 200  # sending back what is there changes nothing
    earlier = await client.patch(url, json={"deadline": future(3)}, headers=hr_a)
    assert earlier.status_code == 409
    assert earlier.json()["type"].endswith("/deadline-only-extends")
    later = await client.patch(url, json={"deadline": future(30)}, headers=hr_a)
    assert later.status_code == 200, later.text
    assert later.json()["deadline"] > str(cycle["deadline"])
    assert (await client.delete(url, headers=hr_a)).status_code == 409
    subjects = await client.post(
        f"{url}/subjects", json={"nips": [world.nip("staff1")]}, headers=hr_a
    )
    assert subjects.status_code == 409
    generate = await client.post(f"{url}/generate-raters", json={}, headers=hr_a)
    assert generate.status_code == 409
    remove = await client.delete(f"{url}/subjects/{world.nip('staff0')}", headers=hr_a)
    assert remove.status_code == 409
    # Adding a rater is still allowed while open.
    await add_request(client, hr_a, str(cycle["id"]), world.nip("staff0"), world.nip("head"),
                      "supervisor")  # fmt: skip


async def test_after_close_no_rater_is_added_and_nothing_changes(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    cycle = await ready_cycle(client, world, hr_a)
    url = f"{CYCLES}/{cycle['id']}"
    early = await client.post(f"{url}/close", headers=hr_a)
    assert early.status_code == 409  # a draft is not closed
    assert (await client.post(f"{url}/open", headers=hr_a)).status_code == 200
    closed = await client.post(f"{url}/close", headers=hr_a)
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert closed.json()["closed_at"] is not None
    assert len(await audit(app, "feedback_cycle.closed")) == 1
    assert [e["state"] for e in await events(app, "feedback.cycle.closed")] == ["closed"]
    added = await client.post(
        f"{url}/requests",
        json={"subject_nip": world.nip("staff0"), "rater_nip": world.nip("head"),
              "relationship": "supervisor"},
        headers=hr_a,
    )  # fmt: skip
    assert added.status_code == 409
    assert added.json()["type"].endswith("/cycle-raters-closed")
    deadline = await client.patch(url, json={"deadline": future(60)}, headers=hr_a)
    assert deadline.status_code == 409
    assert (await client.post(f"{url}/open", headers=hr_a)).status_code == 409
    assert (await client.post(f"{url}/close", headers=hr_a)).status_code == 409


async def test_transition_takes_only_the_event_of_its_action(app: FastAPI) -> None:
    world = await FeedbackWorld(app).setup(staff=1)
    cycle_id = await world.cycle()
    principal = Principal("hr", Role.HR_OFFICER, frozenset({AGENCY_A}))
    async with unit_of_work(app.state.sessionmaker) as session:
        service = CycleService(session, principal)
        cycle = await service.get_visible(cycle_id)
        with pytest.raises(ValueError, match=r"feedback\.cycle\.opened"):
            await service.transition(cycle, "open", event="feedback.cycle.closed")
