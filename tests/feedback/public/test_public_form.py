"""The public form behind a one-time link: no login, one response, nothing stored about
the citizen."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Answer, Request
from tests.conftest import AGENCY_A, TokenFactory
from tests.feedback.factory import FeedbackWorld, feedback_world
from tests.feedback.responses.helpers import FULL, answers, set_cycle, set_item

TOKEN = "Qz8" + "x" * 38 + "-_"  # 43 characters of the URL-safe alphabet


def form(token: str = TOKEN) -> str:
    return f"/api/v1/feedback/public/{token}"


@pytest.fixture
async def world(app: FastAPI) -> FeedbackWorld:
    return await feedback_world(app, staff=2)


async def _linked(world: FeedbackWorld, state: str = "open") -> tuple[uuid.UUID, uuid.UUID]:
    cycle = await world.cycle(state=state)
    await world.subject(cycle, "staff0", public_facing=True)
    request = await world.request(cycle, "staff0", None, "public", token=TOKEN)
    return cycle, request


async def test_the_form_names_the_employee_and_asks_every_item(
    app: FastAPI, client: AsyncClient, world: FeedbackWorld
) -> None:
    await _linked(world)
    await set_item(app, world, "M2-a", not_observed_allowed=False)
    response = await client.get(form())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["agency_name"] == "Kota Tangerang Selatan"
    assert body["subject_name"] == "Pegawai staff0"
    assert body["subject_position"] == "Analis SDM"
    assert body["questionnaire_title_id"] == "Kuesioner uji"
    assert [item["code"] for item in body["items"]] == ["M1-a", "M1-b", "M2-a", "BA1-a"]
    assert all(item["not_observed_allowed"] for item in body["items"])
    # Nothing that identifies the employee beyond name and position, nor the request.
    assert world.nip("staff0") not in response.text
    assert "request_id" not in response.text and "nip" not in response.text


async def test_one_response_per_link(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    _, request = await _linked(world)
    body = {"answers": answers({"M1-a": None, "M1-b": None, "M2-a": None, "BA1-a": 5})}
    submitted = await client.post(form(), json=body)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json() == {"status": "submitted"}
    async with unit_of_work(app.state.sessionmaker) as session:
        row = await session.get(Request, request)
        stored = (await session.scalars(select(Answer).order_by(Answer.item_id))).all()
    assert row is not None and row.status == "submitted" and row.submitted_at is not None
    assert [a.score for a in stored] == [None, None, None, 5]

    for method in ("GET", "POST"):
        for headers in ({}, auth(Role.ADMIN), auth(Role.HR_OFFICER, AGENCY_A)):
            used = await client.request(
                method,
                form(),
                json=body if method == "POST" else None,
                headers={**headers, "Accept-Language": "id"},
            )
            assert used.status_code == 410, (method, headers)
            assert used.json()["type"].endswith("/token-used")
            assert used.json()["detail"] == (
                "Tautan ini sudah dipakai; setiap tautan hanya untuk satu penilaian."
            )
            assert used.json()["title"] == "Sudah tidak berlaku"


async def test_unknown_and_malformed_tokens_are_404(
    app: FastAPI, client: AsyncClient, world: FeedbackWorld
) -> None:
    await _linked(world)
    for token in ("A" * 43, TOKEN[:-1], TOKEN + "a", "x", "..%2F..", "%00" * 3):
        assert (await client.get(form(token))).status_code == 404, token
        posted = await client.post(form(token), json={"answers": answers(FULL)})
        assert posted.status_code == 404, token


async def test_public_answers_are_validated_like_a_raters(
    app: FastAPI, client: AsyncClient, world: FeedbackWorld
) -> None:
    await _linked(world)
    await set_item(app, world, "BA1-a", comment_allowed=False)
    bad = {
        "answers": [
            {"item_code": "M1-a", "score": 9},
            {"item_code": "BA1-a", "score": 4, "comment": "Ramah"},
            {"item_code": "ZZ", "score": 4},
        ]
    }
    response = await client.post(form(), json=bad)
    assert response.status_code == 422
    assert {tuple(e["loc"]): e["type"] for e in response.json()["errors"]} == {
        ("body", "answers", 0, "score"): "score_range",
        ("body", "answers", 1, "comment"): "comment_forbidden",
        ("body", "answers", 2, "item_code"): "unknown_item",
    }
    missing = await client.post(form(), json={"answers": answers({"M1-a": 4})})
    assert [e["type"] for e in missing.json()["errors"]] == ["answer_required"] * 3
    nothing = await client.post(form(), json={"answers": answers(dict.fromkeys(FULL, None))})
    assert [e["type"] for e in nothing.json()["errors"]] == ["no_score"]
    unknown_field = await client.post(form(), json={"answers": [], "submit": True})
    assert unknown_field.status_code == 422
    # Refusals use nothing up: the link still works.
    assert (await client.post(form(), json={"answers": answers(FULL)})).status_code == 200


@pytest.mark.parametrize(
    ("state", "deadline_days", "code"),
    [
        ("draft", 5, "cycle-not-open"),
        ("closed", 5, "cycle-not-open"),
        ("published", 5, "cycle-not-open"),
        ("open", -1, "deadline-passed"),
    ],
)
async def test_the_link_works_only_while_the_cycle_takes_answers(
    app: FastAPI,
    client: AsyncClient,
    world: FeedbackWorld,
    state: str,
    deadline_days: int,
    code: str,
) -> None:
    cycle, _ = await _linked(world, state)
    await set_cycle(app, cycle, deadline=datetime.now(UTC) + timedelta(days=deadline_days))
    for method in ("GET", "POST"):
        body = {"answers": answers(FULL)} if method == "POST" else None
        response = await client.request(method, form(), json=body)
        assert response.status_code == 409
        assert response.json()["type"].endswith(code)


async def test_the_form_ignores_credentials_instead_of_needing_them(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    """A broken bearer token is no 401 here, and an admin's opens no closed cycle."""
    cycle, _ = await _linked(world, "closed")
    for headers in ({"Authorization": "Bearer broken"}, auth(Role.ADMIN)):
        response = await client.get(form(), headers=headers)
        assert response.status_code == 409
    await set_cycle(app, cycle, state="open")
    assert (await client.get(form(), headers={"Authorization": "Bearer broken"})).status_code == 200


async def test_two_submissions_at_once_give_one_response(
    app: FastAPI, client: AsyncClient, world: FeedbackWorld
) -> None:
    """The request's row is locked while its response is written: the second call waits,
    then finds the link used."""
    await _linked(world)
    body = {"answers": answers(FULL)}
    first, second = await asyncio.gather(
        client.post(form(), json=body), client.post(form(), json=body)
    )
    assert sorted([first.status_code, second.status_code]) == [200, 410]
    async with unit_of_work(app.state.sessionmaker) as session:
        assert len((await session.scalars(select(Answer))).all()) == len(FULL)
