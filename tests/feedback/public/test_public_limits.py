"""The public form's own rate limit, and what a citizen leaves behind: nothing about
themselves. Both limits are on here (the general one at a budget the test never uses up),
so the test also shows that the general limiter keeps no address of the public."""

import uuid
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.config import Settings
from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.ratelimit.models import RateLimitWindow
from tests.conftest import TokenFactory
from tests.feedback.factory import FeedbackWorld, feedback_world
from tests.feedback.responses.helpers import FULL, answers, table_text

TOKEN = "Lm4" + "y" * 40
PUBLIC_LIMIT = 3


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        data_dir=tmp_path / "data",
        in_process_worker=False,
        rate_limit_per_minute=1000,
        feedback_public_rate_limit_per_minute=PUBLIC_LIMIT,
        log_level="WARNING",
    )


@pytest.fixture
async def world(app: FastAPI) -> FeedbackWorld:
    return await feedback_world(app, staff=2)


async def _linked(world: FeedbackWorld) -> uuid.UUID:
    cycle = await world.cycle(state="open")
    await world.subject(cycle, "staff0", public_facing=True)
    return await world.request(cycle, "staff0", None, "public", token=TOKEN)


async def test_the_public_form_is_limited_per_address_whatever_the_credentials(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    await _linked(world)
    url = f"/api/v1/feedback/public/{TOKEN}"
    for _ in range(PUBLIC_LIMIT):
        assert (await client.get(url)).status_code == 200
    refused = await client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["type"].endswith("/rate-limited")
    # Unknown tokens and submissions count against the same budget; credentials buy none.
    for headers in ({}, auth(Role.ADMIN), {"X-API-Key": "asnk_000000000000_x"}):
        unknown = await client.get("/api/v1/feedback/public/" + "B" * 43, headers=headers)
        assert unknown.status_code == 429
        posted = await client.post(url, json={"answers": answers(FULL)}, headers=headers)
        assert posted.status_code == 429
    # The rest of the API keeps its own, larger budget.
    assert (
        await client.get("/api/v1/feedback/my-requests", headers=auth(Role.ADMIN))
    ).status_code == 403


async def test_nothing_about_the_citizen_is_stored(
    app: FastAPI, client: AsyncClient, world: FeedbackWorld
) -> None:
    """Not the address (as the server saw it, or as forwarded), not the browser, not a
    cookie; the audit names the actor "public". The answers themselves are kept."""
    request = await _linked(world)
    citizen = {
        "User-Agent": "Mozilla/5.0 (Linux; Android 14) Budi-Santoso-Phone",
        "X-Forwarded-For": "203.0.113.77",
        "X-Real-IP": "203.0.113.77",
        "Cookie": "session=budi",
    }
    url = f"/api/v1/feedback/public/{TOKEN}"
    assert (await client.get(url, headers=citizen)).status_code == 200
    posted = await client.post(
        url, json={"answers": answers(FULL, BA1_a="Pelayanannya cepat dan ramah")}, headers=citizen
    )
    assert posted.status_code == 200, posted.text
    await app.state.feedback_public_counters.flush()
    tables = (
        "feedback_requests",
        "feedback_answers",
        "audit_log",
        "outbox_events",
        "rate_limit_windows",
        "idempotency_records",
    )
    everything = "\n".join([await table_text(app, table) for table in tables])
    assert "Pelayanannya cepat dan ramah" in everything
    for trace in ("203.0.113", "127.0.0.1", "Budi", "Mozilla", "Android", "ip:"):
        assert trace not in everything, trace
    async with unit_of_work(app.state.sessionmaker) as session:
        entries = (await session.scalars(select(AuditEntry))).all()
        windows = (await session.scalars(select(RateLimitWindow))).all()
    assert [(e.actor, e.action, e.entity_id) for e in entries] == [
        ("public", "feedback_request.submitted", str(request))
    ]
    assert set(entries[0].changes) == {"status", "submitted_at"}
    # The public form was counted, under a pseudonym of the address only.
    assert [w.key.split(":")[0] for w in windows] == ["feedback-public"]
    assert [w.count for w in windows] == [2]
