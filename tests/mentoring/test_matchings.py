"""Matching runs through the API: the optimum under capacities, the reporting line and
HR's pairs, with reasons and unmatched mentees explained; the greedy baseline beside it;
pins checked; publishing; shortlists; a large pool as a job; 401/403/404."""

import uuid

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Role
from asn_career.mentoring.matchings import service as matchings_service
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.mentoring.factory import events
from tests.mentoring.helpers import API, code, programme
from tests.test_jobs import run_pending


async def test_a_run_is_optimal_explained_and_published(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world, url, hr = await programme(app, client, auth)
    nip = world.nips
    runs = f"{url}/matchings"
    assert (await client.post(runs, json={})).status_code == 401
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=nip["junior1"])
    assert (await client.post(runs, json={}, headers=employee)).status_code == 403
    pin = {"mentee_nip": nip["junior1"], "mentor_nip": nip["kabid1"]}
    refused = await client.post(runs, json={"pinned": [pin]}, headers=hr)  # their supervisor
    assert refused.status_code == 422 and refused.json()["errors"][0]["type"] == (
        "pinned_pair_ineligible")  # fmt: skip
    stranger = {"mentee_nip": nip["head"], "mentor_nip": nip["kabid1"]}
    refused = await client.post(runs, json={"pinned": [stranger]}, headers=hr)
    assert refused.json()["errors"][0]["loc"] == ["body", "pinned", 0, "mentee_nip"]

    forbid = {"mentee_nip": nip["junior3"], "mentor_nip": nip["kabid1"]}
    created = await client.post(runs, json={"forbidden": [forbid]}, headers=hr)
    assert created.status_code == 201, created.text
    run = created.json()
    assert run["status"] == "proposed" and run["objective"] == "score"
    # junior3 could only have the senior planner (kabid1 forbidden, kabid2 and the head up
    # their line), but junior1 scores higher with the senior (both their focus competencies,
    # the same career path and field of study: 0.925 against 0.7) and junior2 takes kabid2
    # (strong in M.3, their focus): junior3 is left over with every eligible mentor full.
    # kabid2 as a mentee has nobody: the head is their supervisor, the others their peers.
    assert run["figures"]["matched"] == 2 and run["figures"]["mentees"] == 4
    reasons = {u["nip"]: u["reason"] for u in run["unmatched"]}
    assert reasons == {nip["kabid2"]: "no_eligible_mentor", nip["junior3"]: "capacity_exhausted"}
    assert run["total_score"] >= run["greedy_score"] > 0
    matches = (await client.get(f"{API}/matchings/{run['id']}/matches", headers=hr)).json()
    pairs = {(m["mentee_nip"], m["mentor_nip"]) for m in matches["items"]}
    assert pairs == {(nip["junior1"], nip["senior"]), (nip["junior2"], nip["kabid2"])}
    for m in matches["items"]:
        assert m["state"] == "proposed" and m["reasons"]
        assert m["score"] == pytest.approx(sum(r["points"] for r in m["reasons"]), abs=1e-3)
    junior1 = next(m for m in matches["items"] if m["mentee_nip"] == nip["junior1"])
    assert junior1["score"] == pytest.approx(0.925)
    assert {r["code"] for r in junior1["reasons"]} == {
        "strength", "career", "seniority", "unit", "education"}  # fmt: skip
    strength = next(r for r in junior1["reasons"] if r["code"] == "strength")
    assert "M.1, M.2" in strength["text_id"] and "M.1, M.2" in strength["text_en"]

    other = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.get(f"{API}/matchings/{run['id']}", headers=other)).status_code == 404
    assert (await client.get(f"{API}/matchings/{run['id']}", headers=employee)).status_code == 403
    again = await client.post(runs, json={"forbidden": [forbid]}, headers=hr)
    same = (await client.get(f"{API}/matchings/{again.json()['id']}/matches", headers=hr)).json()
    assert {(m["mentee_nip"], m["mentor_nip"]) for m in same["items"]} == pairs  # deterministic

    published = await client.post(f"{API}/matchings/{run['id']}/publish", headers=hr)
    assert published.status_code == 200 and published.json()["status"] == "published"
    twice = await client.post(f"{API}/matchings/{run['id']}/publish", headers=hr)
    assert twice.status_code == 409 and code(twice) == "matching_not_proposed"
    listed = (await client.get(runs, headers=hr)).json()["items"]
    assert [r["id"] for r in listed] == [again.json()["id"], run["id"]]
    kinds = [t for t, _ in await events(app, "mentoring.matching.")]
    assert kinds == ["mentoring.matching.proposed"] * 2 + ["mentoring.matching.published"]

    # The shortlist: eligible mentors with room left (the published matches take theirs).
    short = f"{url}/mentees/{nip['junior1']}/shortlist"
    own = await client.get(short, params={"k": 5}, headers=employee)
    assert own.status_code == 200, own.text
    assert own.json()["items"] == []  # kabid2 and senior are taken, the rest ineligible
    peer = auth(Role.EMPLOYEE, AGENCY_A, sub=nip["junior2"])
    assert (await client.get(short, headers=peer)).status_code == 404
    assert (await client.get(short, headers=other)).status_code == 404


async def test_shortlist_ranks_with_reasons_and_participation_matches_more(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world, url, hr = await programme(app, client, auth, objective="participation",
                                     unit_rule="avoided")  # fmt: skip
    nip = world.nips
    short = await client.get(f"{url}/mentees/{nip['junior3']}/shortlist", headers=hr)
    items = short.json()["items"]
    assert [i["mentor_nip"] for i in items] == [nip["senior"], nip["kabid1"]]
    assert items[0]["score"] >= items[1]["score"] and items[0]["free_capacity"] == 1
    run = (await client.post(f"{url}/matchings", json={}, headers=hr)).json()
    assert run["figures"]["matched"] == 3  # junior1, junior2 and junior3 all matched
    assert run["figures"]["greedy_matched"] <= 3


async def test_a_large_pool_runs_as_a_job(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matchings_service, "SYNC_PAIRS", 0)
    monkeypatch.setattr(matchings_service, "FULL_GRAPH_PAIRS", 0)  # and pruned to top K
    _, url, hr = await programme(app, client, auth)
    created = await client.post(f"{url}/matchings", json={}, headers=hr)
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "solving"
    await run_pending(app)
    job = (await client.get(created.headers["location"], headers=hr)).json()
    assert job["status"] == "succeeded" and job["kind"] == "mentoring.match"
    assert job["progress"]["done"] == job["progress"]["total"] > 0
    run = (await client.get(created.headers["content-location"], headers=hr)).json()
    assert run["status"] == "proposed" and run["figures"]["top_k"] == 64
    assert uuid.UUID(run["job_id"]) == uuid.UUID(job["id"])
    assert run["figures"]["matched"] == 3


async def test_publishing_supersedes_and_refuses_a_stale_run(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    _, url, hr = await programme(app, client, auth)
    first, second, third = [
        (await client.post(f"{url}/matchings", json={}, headers=hr)).json() for _ in range(3)
    ]
    assert (await client.post(f"{API}/matchings/{first['id']}/publish", headers=hr)
            ).status_code == 200  # fmt: skip
    assert (await client.post(f"{API}/matchings/{third['id']}/publish", headers=hr)
            ).status_code == 200  # fmt: skip
    stale = await client.post(f"{API}/matchings/{second['id']}/publish", headers=hr)
    assert stale.status_code == 409 and code(stale) == "matching_stale"
    old = (await client.get(f"{API}/matchings/{first['id']}", headers=hr)).json()
    assert old["status"] == "superseded"
    matches = (await client.get(f"{API}/matchings/{first['id']}/matches", headers=hr)).json()
    assert matches["items"] and {m["state"] for m in matches["items"]} == {"superseded"}
