"""A rater's own requests: the list, one request, drafts, the one submission, declining."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.feedback.models import Answer
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import FeedbackWorld, feedback_world
from tests.feedback.responses.helpers import (
    FULL,
    answers,
    rater,
    set_cycle,
    set_item,
    table_text,
)

MY = "/api/v1/feedback/my-requests"


def url(request_id: Any, tail: str = "") -> str:
    return f"/api/v1/feedback/requests/{request_id}{tail}"


@pytest.fixture
async def world(app: FastAPI) -> FeedbackWorld:
    return await feedback_world(app, staff=4)


async def test_my_requests_lists_only_the_callers_own_in_opened_cycles(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    await world.subject(cycle, "staff0")
    await world.subject(cycle, "head")
    mine_peer = await world.request(
        cycle, "staff0", "staff1", "peer", status="draft", answers={"M1-a": 4, "BA1-a": None}
    )
    mine_sub = await world.request(cycle, "head", "staff1", "subordinate")
    await world.request(cycle, "staff0", "staff2", "peer")  # someone else's
    await world.request(cycle, "staff0", None, "public", token="t" * 43)
    draft_cycle = await world.cycle(state="draft")
    await world.request(draft_cycle, "staff0", "staff1", "peer")  # not yet asked

    response = await client.get(MY, headers=rater(auth, world, "staff1"))
    assert response.status_code == 200, response.text
    items = {item["id"]: item for item in response.json()["items"]}
    assert set(items) == {str(mine_peer), str(mine_sub)}
    peer = items[str(mine_peer)]
    assert peer["cycle_name"] == "Umpan balik 360 2026"
    assert peer["subject_nip"] == world.nip("staff0")
    assert peer["subject_name"] == "Pegawai staff0"
    assert peer["subject_position"] == "Analis SDM"
    assert peer["relationship"] == "peer"
    assert peer["status"] == "draft"
    assert peer["progress"] == {"answered": 2, "total": 4}
    assert items[str(mine_sub)]["subject_position"] == "Kepala Badan"

    only_drafts = await client.get(f"{MY}?status=draft", headers=rater(auth, world, "staff1"))
    assert [i["id"] for i in only_drafts.json()["items"]] == [str(mine_peer)]
    other_cycle = await client.get(
        f"{MY}?cycle={draft_cycle}", headers=rater(auth, world, "staff1")
    )
    assert other_cycle.json()["items"] == []


async def test_my_requests_pages_and_refuses_callers_without_a_nip(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    for subject in ("staff0", "staff2", "staff3", "head"):
        await world.request(cycle, subject, "staff1", "peer")
    seen: list[str] = []
    cursor = None
    while True:
        query = f"{MY}?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(query, headers=rater(auth, world, "staff1"))).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 4

    assert (await client.get(MY)).status_code == 401
    for role in (Role.ADMIN,):
        assert (await client.get(MY, headers=auth(role))).status_code == 403
    # An HR officer rates like anyone, by NIP; not as HR.
    hr = await client.get(MY, headers=auth(Role.HR_OFFICER, AGENCY_A))
    assert hr.status_code == 200 and hr.json()["items"] == []
    # The rater's own requests, through a token of another agency: nothing.
    elsewhere = await client.get(MY, headers=rater(auth, world, "staff1", AGENCY_B))
    assert elsewhere.json()["items"] == []


async def test_one_request_shows_its_questionnaire_and_the_draft(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    request = await world.request(
        cycle,
        "staff0",
        "staff1",
        "peer",
        status="draft",
        answers={"M1-a": 4, "BA1-a": None},
        comments={"M1-a": "Selalu tepat waktu"},
    )
    response = await client.get(url(request), headers=rater(auth, world, "staff1"))
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["questionnaire"]["title_id"] == "Kuesioner uji"
    assert [i["code"] for i in body["items"]] == ["M1-a", "M1-b", "M2-a", "BA1-a"]
    item = body["items"][0]
    assert item["text_id"] == "Butir M1-a" and item["text_en"] == "Item M1-a"
    assert item["anchors"]["5"] == {"id": "Skala 5", "en": "Scale 5"}
    assert item["required"] and item["comment_allowed"] and item["not_observed_allowed"]
    assert body["answers"] == [
        {"item_code": "M1-a", "score": 4, "not_observed": False, "comment": "Selalu tepat waktu"},
        {"item_code": "BA1-a", "score": None, "not_observed": True, "comment": None},
    ]


async def test_another_raters_request_is_a_404_for_everyone_else(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    request = await world.request(cycle, "staff0", "staff1", "peer")
    body = {"answers": answers(FULL), "submit": True}
    for headers in (
        rater(auth, world, "staff2"),  # a colleague
        rater(auth, world, "staff0"),  # the subject
        auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("head")),  # the supervisor
        auth(Role.HR_OFFICER, AGENCY_A),  # HR cannot answer for anyone
        rater(auth, world, "staff1", AGENCY_B),  # the rater, through another agency
    ):
        assert (await client.get(url(request), headers=headers)).status_code == 404
        put = await client.put(url(request, "/response"), json=body, headers=headers)
        assert put.status_code == 404, put.text
        decline = await client.post(
            url(request, "/decline"), json={"reason": "Bukan saya"}, headers=headers
        )
        assert decline.status_code == 404
    assert (await client.get(url(request))).status_code == 401
    assert (await client.get(url(request), headers=auth(Role.ADMIN))).status_code == 403
    async with unit_of_work(app.state.sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0


async def test_drafts_are_replaced_then_submitted_once(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    request = await world.request(cycle, "staff0", "staff1", "peer")
    me = rater(auth, world, "staff1")

    first = await client.put(
        url(request, "/response"),
        json={"answers": answers({"M1-a": 3, "M2-a": None}, M1_a="Cukup baik")},
        headers=me,
    )
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "draft"
    assert first.json()["progress"] == {"answered": 2, "total": 4}
    assert first.headers["etag"] == '"2"'

    second = await client.put(
        url(request, "/response"), json={"answers": answers({"BA1-a": 5})}, headers=me
    )
    assert [a["item_code"] for a in second.json()["answers"]] == ["BA1-a"]

    cleared = await client.put(url(request, "/response"), json={"answers": []}, headers=me)
    assert cleared.json()["status"] == "pending"

    stale = await client.put(
        url(request, "/response"),
        json={"answers": [], "submit": False},
        headers={**me, "If-Match": '"1"'},
    )
    assert stale.status_code == 412

    submitted = await client.put(
        url(request, "/response"),
        json={"answers": answers({**FULL, "M1-b": None}), "submit": True},
        headers=me,
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"] is not None
    assert submitted.json()["progress"] == {"answered": 4, "total": 4}

    again = await client.put(
        url(request, "/response"), json={"answers": answers(FULL), "submit": True}, headers=me
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/response-final")
    draft_after = await client.put(
        url(request, "/response"), json={"answers": answers(FULL)}, headers=me
    )
    assert draft_after.status_code == 409
    decline = await client.post(url(request, "/decline"), json={"reason": "Terlambat"}, headers=me)
    assert decline.status_code == 409
    assert decline.json()["type"].endswith("/response-final")


def _errors(response: Any) -> dict[tuple[Any, ...], str]:
    assert response.status_code == 422, response.text
    return {tuple(e["loc"]): e["type"] for e in response.json()["errors"]}


async def test_every_answer_is_validated_where_it_is(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    request = await world.request(cycle, "staff0", "staff1", "peer")
    me = rater(auth, world, "staff1")
    await set_item(app, world, "M2-a", not_observed_allowed=False, comment_allowed=False)

    body = {
        "answers": [
            {"item_code": "XX-9", "score": 3},
            {"item_code": "M1-a", "score": 0},
            {"item_code": "M1-b", "score": 6, "comment": "x" * 2001},
            {"item_code": "M2-a", "score": None, "not_observed": True, "comment": "Tidak tahu"},
            {"item_code": "BA1-a", "score": 4, "not_observed": True},
            {"item_code": "M1-a", "score": 2},
        ],
        "submit": False,
    }
    response = await client.put(url(request, "/response"), json=body, headers=me)
    assert _errors(response) == {
        ("body", "answers", 0, "item_code"): "unknown_item",
        ("body", "answers", 1, "score"): "score_range",
        ("body", "answers", 2, "score"): "score_range",
        ("body", "answers", 2, "comment"): "comment_too_long",
        ("body", "answers", 3, "not_observed"): "not_observed_forbidden",
        ("body", "answers", 3, "comment"): "comment_forbidden",
        ("body", "answers", 4, "not_observed"): "score_and_not_observed",
        ("body", "answers", 5, "item_code"): "duplicate_item",
    }
    empty = await client.put(
        url(request, "/response"),
        json={"answers": [{"item_code": "M1-a"}]},
        headers={**me, "Accept-Language": "id"},
    )
    assert empty.status_code == 422
    assert empty.json()["errors"] == [
        {
            "loc": ["body", "answers", 0, "score"],
            "msg": "butir 'M1-a' perlu diberi nilai atau ditandai 'tidak teramati'",
            "type": "score_missing",
        }
    ]
    # Types are strict: a numeric string or a boolean is no score.
    for score in ("3", True, 3.5):
        typed = await client.put(
            url(request, "/response"),
            json={"answers": [{"item_code": "M1-a", "score": score}]},
            headers=me,
        )
        assert typed.status_code == 422
        assert typed.json()["errors"][0]["loc"][:4] == ["body", "answers", 0, "score"]
    # Nothing was saved by any of these.
    async with unit_of_work(app.state.sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0


async def test_a_submission_covers_every_required_item_and_gives_a_score(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    request = await world.request(cycle, "staff0", "staff1", "peer")
    me = rater(auth, world, "staff1")
    await set_item(app, world, "M2-a", required=False)

    missing = await client.put(
        url(request, "/response"),
        json={"answers": answers({"M1-a": 4}), "submit": True},
        headers=me,
    )
    assert missing.status_code == 422
    texts = [e["msg"] for e in missing.json()["errors"]]
    assert texts == [
        "item 'M1-b' is required: give a score or mark it not observed",
        "item 'BA1-a' is required: give a score or mark it not observed",
    ]
    nothing_seen = await client.put(
        url(request, "/response"),
        json={"answers": answers({"M1-a": None, "M1-b": None, "BA1-a": None}), "submit": True},
        headers=me,
    )
    assert _errors(nothing_seen) == {("body", "answers"): "no_score"}
    # An optional item may stay out; not observed is an answer.
    ok = await client.put(
        url(request, "/response"),
        json={"answers": answers({"M1-a": 4, "M1-b": None, "BA1-a": 1}), "submit": True},
        headers=me,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "submitted"


@pytest.mark.parametrize(
    ("state", "deadline_days", "status", "code"),
    [
        ("closed", 5, "pending", "cycle-not-open"),
        ("published", 5, "draft", "cycle-not-open"),
        ("open", -1, "pending", "deadline-passed"),
        ("open", 5, "nominated", "request-not-approved"),
        ("open", 5, "declined", "request-declined"),
    ],
)
async def test_answers_only_while_the_cycle_and_the_request_take_them(
    app: FastAPI,
    client: AsyncClient,
    auth: TokenFactory,
    world: FeedbackWorld,
    state: str,
    deadline_days: int,
    status: str,
    code: str,
) -> None:
    cycle = await world.cycle(state=state)
    await set_cycle(app, cycle, deadline=datetime.now(UTC) + timedelta(days=deadline_days))
    request = await world.request(cycle, "staff0", "staff1", "peer", status=status)
    me = rater(auth, world, "staff1")
    for submit in (False, True):
        response = await client.put(
            url(request, "/response"), json={"answers": answers(FULL), "submit": submit}, headers=me
        )
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith(code)
    decline = await client.post(url(request, "/decline"), json={"reason": "Cuti"}, headers=me)
    assert decline.status_code == 409
    # Still visible to its rater (read-only), except in a cycle not yet opened.
    assert (await client.get(url(request), headers=me)).status_code == 200


async def test_declining_needs_a_reason_and_drops_the_draft(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    request = await world.request(
        cycle, "staff0", "staff1", "peer", status="draft", answers={"M1-a": 2}
    )
    me = rater(auth, world, "staff1")
    for body in ({}, {"reason": ""}, {"reason": "  "}, {"reason": "x" * 501}):
        refused = await client.post(url(request, "/decline"), json=body, headers=me)
        assert refused.status_code == 422, body
        assert refused.json()["errors"][0]["loc"] == ["body", "reason"]
    declined = await client.post(
        url(request, "/decline"),
        json={"reason": "Saya baru dua minggu bekerja bersama pegawai ini."},
        headers=me,
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "Saya baru dua minggu bekerja bersama pegawai ini."
    assert declined.json()["answers"] == []
    again = await client.post(url(request, "/decline"), json={"reason": "Lagi"}, headers=me)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/request-declined")


async def test_the_audit_trail_says_that_a_request_was_answered_never_how(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await world.cycle(state="open")
    answered = await world.request(cycle, "staff0", "staff1", "peer")
    declined = await world.request(cycle, "staff0", "staff2", "peer")
    secret = "Sering datang terlambat dan kurang teliti"
    me = rater(auth, world, "staff1")
    draft = await client.put(
        url(answered, "/response"),
        json={"answers": answers({"M1-a": 1}, M1_a=secret)},
        headers=me,
    )
    assert draft.status_code == 200
    submitted = await client.put(
        url(answered, "/response"),
        json={"answers": answers({**FULL, "M1-a": 1}, M1_a=secret), "submit": True},
        headers=me,
    )
    assert submitted.status_code == 200
    decline = await client.post(
        url(declined, "/decline"),
        json={"reason": "Berbeda gedung"},
        headers=rater(auth, world, "staff2"),
    )
    assert decline.status_code == 200

    entries = (
        await client.get("/api/v1/audit?entity_type=feedback_request", headers=auth(Role.ADMIN))
    ).json()["items"]
    assert {(e["action"], e["entity_id"]) for e in entries} == {
        ("feedback_request.submitted", str(answered)),  # the draft save is not audited
        ("feedback_request.declined", str(declined)),
    }
    for entry in entries:
        assert set(entry["changes"]) <= {"status", "submitted_at", "decline_reason"}
    trail = await table_text(app, "audit_log")
    assert secret not in trail
    assert "score" not in trail and "comment" not in trail
    # No event per response either.
    assert secret not in await table_text(app, "outbox_events")
    async with unit_of_work(app.state.sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
    assert json.dumps(entries).count(world.nip("staff0")) == 0
