"""``generate-raters`` on a small organisation with a reporting line: the Kepala Badan,
six Analis SDM reporting to them, and a Bidang whose Kepala Bidang (also reporting to the
Kepala Badan) leads two Pranata Komputer."""

import uuid
from collections import Counter
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.jobs.runner import runtime
from asn_career.feedback.cycles import service as cycle_service
from asn_career.feedback.models import Request
from asn_career.org.models import Position, Unit
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A, TokenFactory
from tests.feedback.cycles.helpers import (
    CYCLES,
    add_request,
    add_subjects,
    audit,
    create_cycle,
    events,
    requests_of,
)
from tests.feedback.factory import FeedbackWorld, nip_for


class Bidang:
    def __init__(self, kabid: str, pranata: list[str]) -> None:
        self.kabid = kabid
        self.pranata = pranata


async def add_bidang(app: FastAPI, world: FeedbackWorld) -> Bidang:
    unit_id, kabid_pos, pranata_pos = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    people = [("Kepala Bidang", kabid_pos, "IV/a")] + [
        (f"Pranata {n}", pranata_pos, "III/a") for n in range(2)
    ]
    nips = []
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(
            Unit(id=unit_id, agency_code=AGENCY_A, code="SIK", name="Bidang Sistem Informasi",
                 kind="bidang", parent_id=world.unit_id, path=[world.unit_id, unit_id])
        )  # fmt: skip
        await session.flush()
        session.add(
            Position(id=kabid_pos, agency_code=AGENCY_A, unit_id=unit_id, code="KABID-SIK",
                     title="Kepala Bidang Sistem Informasi", kind="administrator",
                     reports_to_position_id=world.positions["head"])
        )  # fmt: skip
        await session.flush()
        session.add(
            Position(id=pranata_pos, agency_code=AGENCY_A, unit_id=unit_id, code="PRAKOM",
                     title="Pranata Komputer Ahli Pertama", kind="fungsional", is_shared=True,
                     reports_to_position_id=kabid_pos)
        )  # fmt: skip
        await session.flush()
        for n, (name, position, rank) in enumerate(people):
            nip = nip_for(1, 60 + n)
            session.add(
                Employee(nip=nip, name=name, gender="F", birth_date=date(1985, 3, 1),
                         employment_type="pns", appointment_date=date(2010, 1, 1),
                         rank_code=rank, agency_code=AGENCY_A, unit_id=unit_id,
                         position_id=position)
            )  # fmt: skip
            nips.append(nip)
    return Bidang(nips[0], nips[1:])


@pytest.fixture
async def bidang(app: FastAPI, world: FeedbackWorld) -> Bidang:
    return await add_bidang(app, world)


async def cycle_with_everyone(
    client: AsyncClient, world: FeedbackWorld, bidang: Bidang, hr: dict[str, str], **fields: Any
) -> str:
    cycle = await create_cycle(client, hr, world.questionnaire_id, **fields)
    staff = [world.nip(f"staff{n}") for n in range(6)]
    await add_subjects(
        client, hr, str(cycle["id"]), [world.nip("head"), *staff, bidang.kabid, *bidang.pranata]
    )
    return str(cycle["id"])


def pairs(rows: list[Request]) -> set[tuple[uuid.UUID, uuid.UUID | None, str]]:
    return {(r.subject_employee_id, r.rater_employee_id, r.relationship) for r in rows}


async def test_the_proposal_follows_the_reporting_line_and_says_why(
    client: AsyncClient, world: FeedbackWorld, bidang: Bidang, hr_a: dict[str, str],
    app: FastAPI,
) -> None:  # fmt: skip
    cycle_id = await cycle_with_everyone(client, world, bidang, hr_a)
    response = await client.post(f"{CYCLES}/{cycle_id}/generate-raters", headers=hr_a)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["subjects"] == 10
    # Self for all ten; a supervisor for all but the Kepala Badan; the head and the
    # Kepala Bidang get their direct reports (four of seven, both of two); the six analysts
    # four peers each and the two Pranata Komputer one each.
    assert result["created"] == {
        "self": 10, "supervisor": 9, "peer": 26, "subordinate": 6, "public": 0,
    }  # fmt: skip
    assert result["total_created"] == 51
    assert result["without_supervisor"] == [
        {
            "nip": world.nip("head"),
            "name": "Pegawai head",
            "reason": {
                "code": "top_of_line",
                "text_id": "Jabatan Kepala Badan tidak berada di bawah jabatan lain dalam garis "
                "pelaporan",
                "text_en": "The position Kepala Badan reports to no other position",
            },
        }
    ]
    short = {s["nip"]: s for s in result["below_minimum"]}
    assert set(short) == {bidang.kabid, *bidang.pranata}
    assert [r["code"] for r in short[bidang.kabid]["reasons"]] == [
        "no_peers", "few_direct_reports",
    ]  # fmt: skip
    assert (short[bidang.kabid]["subordinates"], short[bidang.kabid]["minimum"]) == (2, 3)
    assert [r["code"] for r in short[bidang.pranata[0]]["reasons"]] == [
        "few_peers", "no_direct_reports",
    ]  # fmt: skip

    listed = await client.get(
        f"{CYCLES}/{cycle_id}/requests?subject={world.nip('staff0')}", headers=hr_a
    )
    mine = {r["relationship"]: r for r in listed.json()["items"]}
    assert mine["supervisor"]["rater_nip"] == world.nip("head")
    assert mine["supervisor"]["origin"] == "generated"
    assert mine["supervisor"]["reason_code"] == "direct_supervisor"
    assert mine["supervisor"]["reason"] == (
        "Atasan langsung: memegang jabatan Kepala Badan yang membawahkan jabatan Analis SDM"
    )
    assert mine["self"]["rater_nip"] == world.nip("staff0")
    peer_reasons = {r["reason"] for r in listed.json()["items"] if r["relationship"] == "peer"}
    assert peer_reasons == {"Rekan satu unit (BKPSDM) dengan jenis jabatan yang sama (Pelaksana)"}
    kabid = await client.get(f"{CYCLES}/{cycle_id}/requests?subject={bidang.kabid}", headers=hr_a)
    reports = {r["rater_nip"] for r in kabid.json()["items"] if r["relationship"] == "subordinate"}
    assert reports == set(bidang.pranata)
    head = await client.get(
        f"{CYCLES}/{cycle_id}/requests?subject={world.nip('head')}&relationship=subordinate",
        headers=hr_a,
    )
    assert {r["rater_nip"] for r in head.json()["items"]} <= {
        *(world.nip(f"staff{n}") for n in range(6)), bidang.kabid,
    }  # fmt: skip

    assert len(await events(app, "feedback.request.created")) == 51
    [row] = await audit(app, "feedback_cycle.raters_generated")
    assert row.changes["requests"] == {"before": 0, "after": 51}
    counts = (await client.get(f"{CYCLES}/{cycle_id}", headers=hr_a)).json()["counts"]
    assert counts["requests"] == 51 and counts["requests_by_status"]["pending"] == 51


async def test_loads_are_spread_evenly_and_the_cap_holds(
    client: AsyncClient, world: FeedbackWorld, bidang: Bidang, hr_a: dict[str, str],
    app: FastAPI,
) -> None:  # fmt: skip
    cycle_id = await cycle_with_everyone(client, world, bidang, hr_a)
    assert (
        await client.post(f"{CYCLES}/{cycle_id}/generate-raters", headers=hr_a)
    ).status_code == 200
    rows = await requests_of(app, cycle_id)
    load = Counter(r.rater_employee_id for r in rows)
    analysts = [world.employees[f"staff{n}"] for n in range(6)]
    spread = [load[a] for a in analysts]
    assert max(spread) - min(spread) <= 1, spread

    capped_id = await cycle_with_everyone(client, world, bidang, hr_a, max_requests_per_rater=3)
    result = await client.post(f"{CYCLES}/{capped_id}/generate-raters", headers=hr_a)
    capped = await requests_of(app, capped_id)
    load = Counter(r.rater_employee_id for r in capped)
    for r in capped:
        if r.relationship in ("peer", "subordinate"):
            assert load[r.rater_employee_id] <= 3
    # The Kepala Badan is asked about their seven direct reports whatever the cap.
    supervised = [r for r in capped if r.rater_employee_id == world.employees["head"]]
    assert sum(1 for r in supervised if r.relationship == "supervisor") == 7
    reasons = {c["code"] for s in result.json()["below_minimum"] for c in s["reasons"]}
    assert "peers_at_capacity" in reasons


async def test_the_same_data_gives_the_same_proposal_and_a_rerun_adds_nothing(
    client: AsyncClient, world: FeedbackWorld, bidang: Bidang, hr_a: dict[str, str],
    app: FastAPI,
) -> None:  # fmt: skip
    cycle_id = await cycle_with_everyone(client, world, bidang, hr_a)
    # HR's own choice comes first and counts towards the four peers.
    await add_request(client, hr_a, cycle_id, world.nip("staff0"), world.nip("staff5"), "peer")
    url = f"{CYCLES}/{cycle_id}/generate-raters"
    first = await client.post(url, json={"peers": 3, "subordinates": 2}, headers=hr_a)
    assert first.status_code == 200
    proposal = pairs(await requests_of(app, cycle_id))
    staff0_peers = [p for p in proposal if p[0] == world.employees["staff0"] and p[2] == "peer"]
    assert len(staff0_peers) == 3
    rerun = await client.post(url, json={"peers": 3, "subordinates": 2}, headers=hr_a)
    assert rerun.json()["total_created"] == 0
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(
            delete(Request).where(
                Request.cycle_id == uuid.UUID(cycle_id), Request.origin == "generated"
            )
        )
    again = await client.post(url, json={"peers": 3, "subordinates": 2}, headers=hr_a)
    assert again.json() == first.json()
    assert pairs(await requests_of(app, cycle_id)) == proposal


async def test_generation_is_hr_work_on_a_draft(
    client: AsyncClient, world: FeedbackWorld, bidang: Bidang, hr_a: dict[str, str],
    hr_b: dict[str, str], auth: TokenFactory,
) -> None:  # fmt: skip
    cycle_id = await cycle_with_everyone(client, world, bidang, hr_a)
    url = f"{CYCLES}/{cycle_id}/generate-raters"
    assert (await client.post(url)).status_code == 401
    supervisor = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("head"))
    assert (await client.post(url, headers=supervisor)).status_code == 403
    assert (await client.post(url, headers=hr_b)).status_code == 404
    assert (await client.post(url, json={"peers": 1}, headers=hr_a)).status_code == 422
    assert (await client.post(url, json={"subordinates": 9}, headers=hr_a)).status_code == 422
    assert (await client.post(url, json={}, headers=hr_a)).status_code == 200
    assert (await client.post(f"{CYCLES}/{cycle_id}/open", headers=hr_a)).status_code == 200
    late = await client.post(url, headers=hr_a)
    assert late.status_code == 409 and late.json()["type"].endswith("/cycle-not-draft")


async def test_a_large_cycle_is_proposed_by_a_job_with_progress(
    client: AsyncClient, world: FeedbackWorld, bidang: Bidang, hr_a: dict[str, str],
    app: FastAPI, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(cycle_service, "SYNC_GENERATION_LIMIT", 5)
    cycle_id = await cycle_with_everyone(client, world, bidang, hr_a)
    response = await client.post(
        f"{CYCLES}/{cycle_id}/generate-raters", json={"peers": 3}, headers=hr_a
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert (job["kind"], job["status"], job["agency_code"]) == (
        "feedback.generate_raters", "queued", AGENCY_A,
    )  # fmt: skip
    assert await requests_of(app, cycle_id) == []
    runtime.sessionmaker = app.state.sessionmaker
    await app.state.job_queue.run_worker(concurrency=1, wait=False)
    done = (await client.get(f"/api/v1/jobs/{job['id']}", headers=hr_a)).json()
    assert done["status"] == "succeeded", done
    assert done["progress"] == {"done": 4, "total": 4}
    assert done["result"]["subjects"] == 10
    assert done["result"]["created"]["peer"] == 6 * 3 + 2
    assert done["result"]["total_created"] == len(await requests_of(app, cycle_id))
    [row] = await audit(app, "feedback_cycle.raters_generated")
    assert row.actor == "hr_officer@36.74"
