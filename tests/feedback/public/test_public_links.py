"""HR makes one-time links for public raters: shown once, stored only as hashes, and as
printable QR cards."""

import hashlib
import re
import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Request
from asn_career.feedback.public.cards import CARDS_PER_PAGE, Card, pages_for, render_cards
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import FeedbackWorld, feedback_world
from tests.feedback.responses.helpers import set_cycle, table_text

BASE = "https://karier.tangerangselatankota.go.id/umpan-balik"


def links(cycle: uuid.UUID) -> str:
    return f"/api/v1/feedback/cycles/{cycle}/public-links"


@pytest.fixture
async def world(app: FastAPI) -> FeedbackWorld:
    return await feedback_world(app, staff=3)


async def _public_cycle(world: FeedbackWorld, state: str = "open") -> uuid.UUID:
    cycle = await world.cycle(state=state)
    await world.subject(cycle, "staff0", public_facing=True)
    await world.subject(cycle, "staff1", public_facing=True)
    await world.subject(cycle, "staff2")
    return cycle


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


async def test_links_are_shown_once_and_stored_as_hashes(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await _public_cycle(world)
    body = {"subjects": [world.nip("staff0"), world.nip("staff1")], "count": 3, "base_url": BASE}
    response = await client.post(links(cycle), json=body, headers=auth(Role.HR_OFFICER, AGENCY_A))
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    made = response.json()
    assert made["count"] == 6 and len(made["links"]) == 6
    tokens = [link["token"] for link in made["links"]]
    assert len(set(tokens)) == 6
    for link in made["links"]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", link["token"])
        assert link["url"] == f"{BASE}/{link['token']}"
    assert [link["subject_name"] for link in made["links"]] == ["Pegawai staff0"] * 3 + [
        "Pegawai staff1"
    ] * 3

    async with unit_of_work(app.state.sessionmaker) as session:
        rows = (await session.scalars(select(Request).where(Request.cycle_id == cycle))).all()
    assert len(rows) == 6
    by_id = {str(r.id): r for r in rows}
    for link in made["links"]:
        row = by_id[link["request_id"]]
        assert row.token_hash == hashlib.sha256(link["token"].encode()).digest()
        assert row.relationship == "public" and row.rater_employee_id is None
        assert row.status == "pending" and row.origin == "public"
    # Nowhere in clear: not in the requests, not in the audit trail, not in an event.
    for table in ("feedback_requests", "audit_log", "outbox_events"):
        stored = await table_text(app, table)
        assert not any(token in stored for token in tokens), table
    trail = (await client.get("/api/v1/audit", headers=auth(Role.ADMIN))).json()["items"]
    assert [(e["action"], e["changes"]["public_requests"]["after"]) for e in trail] == [
        ("feedback_cycle.public_links_created", 6)
    ]
    # A second call makes new links; the first ones are never shown again.
    again = await client.post(links(cycle), json=body, headers=auth(Role.ADMIN))
    assert not {link["token"] for link in again.json()["links"]} & set(tokens)


async def test_the_base_url_comes_from_the_body_or_the_settings(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await _public_cycle(world)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    body: dict[str, Any] = {"subjects": [world.nip("staff0")], "count": 1}
    missing = await client.post(links(cycle), json=body, headers=hr)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"] == ["body", "base_url"]
    for bad in ("karier.go.id/u", "ftp://karier.go.id/u", f"{BASE}?a=1", f"{BASE}#x"):
        refused = await client.post(links(cycle), json={**body, "base_url": bad}, headers=hr)
        assert refused.status_code == 422, bad
    app.state.settings.feedback_public_base_url = "https://example.go.id/nilai/"
    made = await client.post(links(cycle), json=body, headers=hr)
    assert made.status_code == 201
    assert made.json()["links"][0]["url"].startswith("https://example.go.id/nilai/")
    assert "//" not in made.json()["links"][0]["url"].removeprefix("https://")


async def test_links_only_for_public_facing_subjects_of_the_cycle(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await _public_cycle(world)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    body = {
        "subjects": [world.nip("staff0"), world.nip("staff2"), world.nip("head")],
        "base_url": BASE,
    }
    refused = await client.post(links(cycle), json=body, headers=hr)
    assert refused.status_code == 422
    assert {tuple(e["loc"]): e["type"] for e in refused.json()["errors"]} == {
        ("body", "subjects", 1): "not_public_facing",
        ("body", "subjects", 2): "not_a_subject",
    }
    too_many = await client.post(
        links(cycle),
        json={
            "subjects": [world.nip("staff0"), world.nip("staff1")],
            "count": 101,
            "base_url": BASE,
        },
        headers=hr,
    )
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["type"] == "too_many_links"
    async with unit_of_work(app.state.sessionmaker) as session:
        assert (await session.scalars(select(Request))).all() == []


@pytest.mark.parametrize(
    ("state", "deadline_days", "code"),
    [
        ("closed", 5, "cycle-closed"),
        ("published", 5, "cycle-closed"),
        ("open", -1, "deadline-passed"),
    ],
)
async def test_links_only_before_the_cycle_closes(
    app: FastAPI,
    client: AsyncClient,
    auth: TokenFactory,
    world: FeedbackWorld,
    state: str,
    deadline_days: int,
    code: str,
) -> None:
    cycle = await _public_cycle(world, state)
    await set_cycle(app, cycle, deadline=datetime.now(UTC) + timedelta(days=deadline_days))
    body = {"subjects": [world.nip("staff0")], "base_url": BASE}
    response = await client.post(links(cycle), json=body, headers=auth(Role.ADMIN))
    assert response.status_code == 409
    assert response.json()["type"].endswith(code)


async def test_a_draft_cycle_takes_links_for_cards_printed_before_it_opens(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await _public_cycle(world, "draft")
    body = {"subjects": [world.nip("staff0")], "count": 2, "base_url": BASE}
    response = await client.post(links(cycle), json=body, headers=auth(Role.ADMIN))
    assert response.status_code == 201


async def test_links_are_hrs_within_its_agencies(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, world: FeedbackWorld
) -> None:
    cycle = await _public_cycle(world)
    body = {"subjects": [world.nip("staff0")], "base_url": BASE}
    assert (await client.post(links(cycle), json=body)).status_code == 401
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        response = await client.post(links(cycle), json=body, headers=auth(role, AGENCY_A))
        assert response.status_code == 403
    other = await client.post(links(cycle), json=body, headers=auth(Role.HR_OFFICER, AGENCY_B))
    assert other.status_code == 404
    unknown = await client.post(links(uuid.uuid4()), json=body, headers=auth(Role.ADMIN))
    assert unknown.status_code == 404


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (8, 1), (9, 2), (17, 3)])
async def test_accept_pdf_gives_qr_cards_eight_to_a_page(
    app: FastAPI,
    client: AsyncClient,
    auth: TokenFactory,
    world: FeedbackWorld,
    count: int,
    pages: int,
) -> None:
    cycle = await _public_cycle(world)
    body = {"subjects": [world.nip("staff0")], "count": count, "base_url": BASE}
    response = await client.post(
        links(cycle), json=body, headers={**auth(Role.ADMIN), "Accept": "application/pdf"}
    )
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    assert page_count(response.content) == pages == pages_for(count)
    async with unit_of_work(app.state.sessionmaker) as session:
        assert len((await session.scalars(select(Request))).all()) == count


def test_cards_carry_their_links_as_qr_codes(tmp_path: Path) -> None:
    """Decoded back from the rendered page (when poppler and zbar are installed)."""
    urls = [f"{BASE}/{'k' * 40}{n:03d}" for n in range(CARDS_PER_PAGE + 1)]
    cards = [Card("Pemerintah Kota Tangerang Selatan", "Siti Nurhaliza", "Analis", u) for u in urls]
    pdf = render_cards(cards)
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 2
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("pdftoppm and zbarimg are needed to read the codes back")
    (tmp_path / "cards.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "150", str(tmp_path / "cards.pdf"), str(tmp_path / "p")],  # noqa: S607
        check=True,
    )
    decoded = []
    for page in sorted(tmp_path.glob("p-*.png")):
        out = subprocess.run(  # noqa: S603
            ["zbarimg", "-q", "--raw", str(page)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        decoded += out.stdout.split()
    assert sorted(decoded) == sorted(urls)
