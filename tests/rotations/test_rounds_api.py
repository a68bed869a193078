"""``/rotations/rounds``: propose (inline and as a job), placements with explanations,
conflicts of interest, pins, forbidden pairs, approve / reject / enact, and enacting a
round that went stale (409, nothing changed)."""

import gc
import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.profiles.models import Assignment
from asn_career.rotations.models import Relative
from asn_career.rotations.rounds import service as rounds_service
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.rotations.world import TODAY, World, problem, rotation_world
from tests.test_jobs import run_pending

API = "/api/v1/rotations/rounds"
EFFECTIVE = str(TODAY + timedelta(days=1))


async def world_with_people(app: FastAPI) -> World:
    w = await rotation_world(app)
    law: dict[str, Any] = {"education": "Ilmu Hukum", "levels": {"M.1": 3, "M.3": 2}}
    await w.person("head", "head", months=30, rank="III/b")
    await w.person("boss", "kasi_layanan", months=30, rank="III/d")
    await w.person("lawyer", "staf_layanan", months=30, rank="III/a", **law)
    await w.person("admin", "staf_kec", months=30, rank="III/b", education="Administrasi")
    await w.person("cousin", "analis_hukum", months=30, rank="III/d", **law)
    await w.person("new", None, months=0)
    await w.person("b", "b")
    a, b = sorted([w.employees["head"], w.employees["cousin"]])
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(
            Relative(agency_code=AGENCY_A, employee_id=a, relative_id=b, relationship="sibling")
        )
    return w


def body(w: World, **extra: Any) -> dict[str, Any]:
    return {
        "agency_code": AGENCY_A,
        "name": "Rotasi 2027",
        "effective_date": EFFECTIVE,
        "decree_number": "821/7/BKPSDM/2026",
        "decree_date": str(TODAY),
        "pool": [w.nips[k] for k in ("head", "lawyer", "admin", "cousin", "new")],
    } | extra


async def placements(client: AsyncClient, round_id: str, hr: dict[str, str]) -> dict[str, Any]:
    r = await client.get(f"{API}/{round_id}/placements", headers=hr)
    assert r.status_code == 200, r.text
    return {i["position_code"]: i for i in r.json()["items"]}


async def test_a_round_from_proposal_to_enactment(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await world_with_people(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    forbidden = [{"nip": w.nips["admin"], "position_id": str(w.positions["staf_hukum"])}]
    created = await client.post(API, json=body(w, forbidden=forbidden), headers=hr)
    assert created.status_code == 201, created.text
    assert gc.isenabled()  # paused while the round solved, back on after
    r = created.json()
    assert r["status"] == "draft"
    assert r["objective"] >= r["greedy_objective"] > 0
    assert r["figures"]["excluded_pairs"]["conflict_of_interest"] >= 2
    assert r["figures"]["excluded_pairs"]["forbidden"] == 1
    assert r["figures"]["excluded_pairs"]["ineligible"] > 0
    rows = await placements(client, r["id"], hr)
    # the lawyer fills the legal section's vacancy or the one the cousin leaves there
    legal = [k for k in ("STAF_HUKUM", "ANALIS_HUKUM") if rows[k]["nip"] == w.nips["lawyer"]]
    assert len(legal) == 1 and rows[legal[0]]["outcome"] == "placed"
    assert {p["name"] for p in rows[legal[0]]["parts"]} >= {"competency", "education"}
    assert "ranks #1" in rows[legal[0]]["explanation"]
    assert rows["HEAD"]["outcome"] != "placed"  # nobody's rank is in the JPT range
    # the lawyer would be directly above the boss, who supervises them today
    assert rows["HEAD"]["excluded"].get("conflict_of_interest") == 1
    # the cousin (the head's sibling) may head the legal section only if the head leaves
    assert rows["KABAG_HUKUM"]["nip"] != w.nips["cousin"] or rows["HEAD"]["outcome"] == "empty"
    # the head would work under the boss, who reports to them today
    assert rows["STAF_LAYANAN"]["origin"] == "vacated"
    assert rows["STAF_LAYANAN"]["nip"] != w.nips["head"]
    for row in rows.values():
        assert row["explanation"] and row["explanation_id"]
        if row["outcome"] == "empty":
            assert row["explanation"].startswith("Left empty")
    got = await client.get(f"{API}/{r['id']}", headers=hr)
    assert got.status_code == 200 and got.headers["etag"] == f'"{r["version"]}"'

    too_early = await client.post(f"{API}/{r['id']}/enact", json={}, headers=hr)
    assert too_early.status_code == 409 and problem(too_early) == "rotation-round-state"
    stale_tag = await client.post(
        f"{API}/{r['id']}/approve", json={}, headers=hr | {"If-Match": '"99"'}
    )
    assert stale_tag.status_code == 412
    approved = await client.post(f"{API}/{r['id']}/approve", json={"note": "Setuju"}, headers=hr)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = await client.post(f"{API}/{r['id']}/approve", json={}, headers=hr)
    assert again.status_code == 409
    enacted = await client.post(f"{API}/{r['id']}/enact", json={}, headers=hr)
    assert enacted.status_code == 200, enacted.text
    assert enacted.json()["status"] == "enacted"
    async with unit_of_work(app.state.sessionmaker) as session:
        open_rows = await session.execute(
            select(Assignment.position_id, Assignment.start_date).where(
                Assignment.employee_id == w.employees["lawyer"], Assignment.end_date.is_(None)
            )
        )
        target = w.positions[legal[0].lower()]
        assert [(p, str(s)) for p, s in open_rows] == [(target, EFFECTIVE)]

    # the decree's attachment
    csv = await client.get(f"{API}/{r['id']}/letters", params={"format": "csv"}, headers=hr)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("no,nip,name,rank,from_position")
    assert any(w.nips["lawyer"] in line and EFFECTIVE in line for line in lines[1:])
    xlsx = await client.get(f"{API}/{r['id']}/letters", params={"format": "xlsx"}, headers=hr)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = await client.get(f"{API}/{r['id']}/letters", headers=hr)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert len(lines) - 1 == r["figures"]["placed"]

    # the list: scoped to the caller's agencies, by agency and state, a page at a time
    listed = await client.get(API, params={"agency": AGENCY_A, "status": "enacted"}, headers=hr)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert r["id"] in [i["id"] for i in items]
    assert {(i["agency_code"], i["status"]) for i in items} == {(AGENCY_A, "enacted")}
    drafts = await client.get(API, params={"status": "draft"}, headers=hr)
    assert r["id"] not in [i["id"] for i in drafts.json()["items"]]
    foreign = await client.get(API, headers=auth(Role.HR_OFFICER, AGENCY_B))
    assert foreign.status_code == 200
    assert all(i["agency_code"] == AGENCY_B for i in foreign.json()["items"])
    walked: list[str] = []
    cursor = None
    while True:
        page = await client.get(
            API, params={"limit": 1} | ({"cursor": cursor} if cursor else {}), headers=hr
        )
        walked += [i["id"] for i in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert r["id"] in walked and len(walked) == len(set(walked))
    whole = await client.get(API, params={"limit": 500}, headers=hr)
    assert [i["id"] for i in whole.json()["items"]] == walked  # newest first, same order
    assert (await client.get(API, params={"status": "done"}, headers=hr)).status_code == 422
    assert (await client.get(API)).status_code == 401

    # 401 / 403 / another agency's round
    assert (await client.get(f"{API}/{r['id']}")).status_code == 401
    assert (
        await client.get(f"{API}/{r['id']}", headers=auth(Role.EMPLOYEE, AGENCY_A))
    ).status_code == 403
    assert (
        await client.get(f"{API}/{r['id']}", headers=auth(Role.HR_OFFICER, AGENCY_B))
    ).status_code == 404
    other = await client.post(
        f"{API}/{r['id']}/reject", json={}, headers=auth(Role.HR_OFFICER, AGENCY_B)
    )
    assert other.status_code == 404
    assert (
        await client.post(API, json=body(w), headers=auth(Role.HR_OFFICER, AGENCY_B))
    ).status_code == 404


async def test_a_stale_round_is_not_enacted_and_rules_are_refused(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await world_with_people(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    # the head stays (outside the pool): their sibling may not be pinned under them
    pinned = [{"nip": w.nips["cousin"], "position_id": str(w.positions["kabag_hukum"])}]
    pool = [w.nips[k] for k in ("lawyer", "admin", "cousin")]
    refused = await client.post(API, json=body(w, pinned=pinned, pool=pool), headers=hr)
    assert (
        refused.status_code == 422 and refused.json()["errors"][0]["type"] == "pinned_not_allowed"
    )
    held = await client.post(
        API, json=body(w, vacancy_ids=[str(w.positions["staf_kec"])]), headers=hr
    )
    assert held.status_code == 422 and held.json()["errors"][0]["type"] == "not_vacant"
    stranger = await client.post(API, json=body(w, pool=[w.nips["b"]]), headers=hr)
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["type"] == "unknown_nip"

    pin = [{"nip": w.nips["admin"], "position_id": str(w.positions["staf_hukum"])}]
    r = (await client.post(API, json=body(w, pinned=pin, min_fit=90), headers=hr)).json()
    rows = await placements(client, r["id"], hr)
    assert (
        rows["STAF_HUKUM"]["outcome"] == "pinned" and rows["STAF_HUKUM"]["nip"] == w.nips["admin"]
    )
    await client.post(f"{API}/{r['id']}/approve", json={}, headers=hr)
    # the admin moves by hand meanwhile
    moved = await client.post(
        f"/api/v1/employees/{w.nips['admin']}/moves",
        headers=hr,
        json={"position_id": str(w.positions["kabag_hukum"]), "effective_date": EFFECTIVE},
    )
    assert moved.status_code == 201, moved.text
    async with unit_of_work(app.state.sessionmaker) as session:
        before = (
            await session.execute(
                select(Assignment.id, Assignment.end_date).order_by(Assignment.id)
            )
        ).all()
    stale = await client.post(f"{API}/{r['id']}/enact", json={}, headers=hr)
    assert stale.status_code == 409 and problem(stale) == "rotation-round-stale"
    async with unit_of_work(app.state.sessionmaker) as session:
        after = (
            await session.execute(
                select(Assignment.id, Assignment.end_date).order_by(Assignment.id)
            )
        ).all()
    assert after == before
    assert (await client.get(f"{API}/{r['id']}", headers=hr)).json()["status"] == "approved"
    rejected = await client.post(f"{API}/{r['id']}/reject", json={}, headers=hr)
    assert rejected.json()["status"] == "rejected"

    # a sanction recorded after the proposal bars the move
    second = (await client.post(API, json=body(w, pool=[w.nips["lawyer"]]), headers=hr)).json()
    await client.post(f"{API}/{second['id']}/approve", json={}, headers=hr)
    sanction = {"severity": "light", "kind": "Teguran lisan", "start_date": str(TODAY)}
    recorded = await client.post(
        f"/api/v1/employees/{w.nips['lawyer']}/sanctions", json=sanction, headers=hr
    )
    assert recorded.status_code == 201, recorded.text
    barred = await client.post(f"{API}/{second['id']}/enact", json={}, headers=hr)
    assert barred.status_code == 409 and "no longer eligible" in barred.json()["detail"]


async def test_a_large_round_runs_as_a_job(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await world_with_people(app)
    monkeypatch.setattr(rounds_service, "INLINE_PAIRS", 0)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    created = await client.post(API, json=body(w, pool=None), headers=hr)
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "solving"
    job_url = created.headers["location"].removeprefix("/api/v1")
    await run_pending(app)
    job = (await client.get(f"/api/v1{job_url}", headers=hr)).json()
    assert job["status"] == "succeeded", job
    assert job["progress"]["done"] == job["progress"]["total"] == 5
    done = (await client.get(f"{API}/{created.json()['id']}", headers=hr)).json()
    assert done["status"] == "draft" and done["objective"] >= done["greedy_objective"]
    # pool left out: the eligible only
    assert done["figures"]["candidates"] == 5
    assert uuid.UUID(done["id"])


async def test_relatives_are_recorded_listed_and_removed(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await rotation_world(app)
    for key in ("x", "y"):
        await w.person(key, None)
    await w.person("b", "b")
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    url = "/api/v1/rotations/relatives"
    pair = {"nip": w.nips["y"], "relative_nip": w.nips["x"], "relationship": "spouse"}
    created = await client.post(url, json=pair, headers=hr)
    assert created.status_code == 201, created.text
    assert {created.json()["nip"], created.json()["relative_nip"]} == {w.nips["x"], w.nips["y"]}
    swapped = pair | {"nip": w.nips["x"], "relative_nip": w.nips["y"]}
    assert (await client.post(url, json=swapped, headers=hr)).status_code == 409
    same = await client.post(url, json=pair | {"relative_nip": w.nips["y"]}, headers=hr)
    assert same.status_code == 422
    foreign = await client.post(url, json=pair | {"relative_nip": w.nips["b"]}, headers=hr)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["type"] == "unknown_nip"
    listed = await client.get(url, params={"nip": w.nips["x"]}, headers=hr)
    assert [i["id"] for i in listed.json()["items"]] == [created.json()["id"]]
    one = f"{url}/{created.json()['id']}"
    assert (await client.delete(one, headers=auth(Role.HR_OFFICER, AGENCY_B))).status_code == 404
    assert (await client.delete(one, headers=auth(Role.EMPLOYEE, AGENCY_A))).status_code == 403
    assert (await client.delete(one, headers=hr)).status_code == 204
    assert (await client.get(url, headers=hr)).json()["items"] == []


async def test_an_approved_round_is_a_target_for_training_needs(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    """A planned move (approved, not enacted) makes the new position's requirements the
    employee's target in ``GET /training/needs``; a draft does not."""
    w = await world_with_people(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    nip = w.nips["admin"]

    async def m3_target() -> Any:
        r = await client.get(
            "/api/v1/training/needs", params={"agency": AGENCY_A, "nip": nip}, headers=hr
        )
        assert r.status_code == 200, r.text
        found = [n for n in r.json()["items"] if n["competency_code"] == "M.3"]
        return found[0]["target_level"] if found else None

    only_legal = {"pool": [nip], "vacancy_ids": [str(w.positions["staf_hukum"])]}
    created = await client.post(API, json=body(w, **only_legal), headers=hr)
    assert created.status_code == 201, created.text
    rows = await placements(client, created.json()["id"], hr)
    assert rows["STAF_HUKUM"]["nip"] == nip
    assert await m3_target() is None  # a draft plans nothing yet
    approved = await client.post(f"{API}/{created.json()['id']}/approve", json={}, headers=hr)
    assert approved.status_code == 200, approved.text
    assert await m3_target() == 2  # staf_hukum requires M.3 at level 2


async def test_relatives_are_never_placed_as_boss_and_subordinate_in_one_round(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    """Two relatives both fit the legal section's head and the staff post under it. Without
    the record both are placed there; recorded before enacting, the round is stale; a new
    round places at most one of them, says why, and pinning both is refused."""
    w = await rotation_world(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    law: dict[str, Any] = {"education": "Ilmu Hukum", "levels": {"M.1": 3, "M.3": 2}}
    await w.person("senior", "staf_layanan", months=30, rank="III/d", **law)
    await w.person("junior", "staf_kec", months=30, rank="III/a", **law)
    legal = [str(w.positions["kabag_hukum"]), str(w.positions["staf_hukum"])]
    round_body = {
        "agency_code": AGENCY_A,
        "name": "Rotasi hukum",
        "effective_date": EFFECTIVE,
        "pool": [w.nips["senior"], w.nips["junior"]],
        "vacancy_ids": legal,
    }
    first = (await client.post(API, json=round_body, headers=hr)).json()
    rows = await placements(client, first["id"], hr)
    assert rows["KABAG_HUKUM"]["nip"] == w.nips["senior"]
    assert rows["STAF_HUKUM"]["nip"] == w.nips["junior"]
    assert "conflict_in_round" not in rows["STAF_HUKUM"]["excluded"]
    await client.post(f"{API}/{first['id']}/approve", json={}, headers=hr)

    pair = {"nip": w.nips["senior"], "relative_nip": w.nips["junior"], "relationship": "spouse"}
    recorded = await client.post("/api/v1/rotations/relatives", json=pair, headers=hr)
    assert recorded.status_code == 201, recorded.text
    stale = await client.post(f"{API}/{first['id']}/enact", json={}, headers=hr)
    assert stale.status_code == 409 and problem(stale) == "rotation-round-stale"
    assert "1 conflicts of interest" in stale.json()["detail"]
    in_id = await client.post(
        f"{API}/{first['id']}/enact", json={}, headers=hr | {"Accept-Language": "id"}
    )
    assert "1 konflik kepentingan" in in_id.json()["detail"]
    async with unit_of_work(app.state.sessionmaker) as session:
        still = await session.scalar(
            select(Assignment.position_id).where(
                Assignment.employee_id == w.employees["senior"], Assignment.end_date.is_(None)
            )
        )
    assert still == w.positions["staf_layanan"]

    second = (await client.post(API, json=round_body, headers=hr)).json()
    assert second["objective"] >= second["greedy_objective"]
    assert second["figures"]["excluded_pairs"]["conflict_in_round"] >= 1
    rows = await placements(client, second["id"], hr)
    boss, staff = rows["KABAG_HUKUM"], rows["STAF_HUKUM"]
    assert not (boss["nip"] == w.nips["senior"] and staff["nip"] == w.nips["junior"])
    assert not (boss["greedy_nip"] == w.nips["senior"] and staff["greedy_nip"] == w.nips["junior"])
    lost = boss if boss["nip"] != w.nips["senior"] else staff
    assert lost["excluded"]["conflict_in_round"] == 1
    assert "conflict of interest with another outcome of this round" in lost["explanation"]
    assert "konflik kepentingan dengan hasil lain putaran ini" in lost["explanation_id"]

    pins = [
        {"nip": w.nips["senior"], "position_id": legal[0]},
        {"nip": w.nips["junior"], "position_id": legal[1]},
    ]
    refused = await client.post(API, json=round_body | {"pinned": pins}, headers=hr)
    assert refused.status_code == 422 and refused.json()["errors"][0]["type"] == "pinned_conflict"
