"""Programmes and pools through the API: create, read, change with If-Match; mentors added
by HR or opting in, strengths from current levels; mentees with focus derived from training
needs and the latest 360° report; 401, 403, other agency 404, 409 and 422 rules; the audit
trail and events."""

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.mentoring.factory import MentoringWorld, audit_count, events, mentoring_world

API = "/api/v1/mentoring/programs"


def code(response: Any) -> str:
    return str(response.json()["type"]).rsplit("/", 1)[-1].replace("-", "_")


def program_body(**values: Any) -> dict[str, Any]:
    return {"agency_code": AGENCY_A, "name": "Mentoring Perencana Muda 2027",
            "starts_on": "2027-01-01", "ends_on": "2027-06-30", **values}  # fmt: skip


async def test_programmes_and_pools(app: FastAPI, client: AsyncClient, auth: TokenFactory) -> None:
    world: MentoringWorld = await mentoring_world(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    assert (await client.post(API, json=program_body())).status_code == 401
    assert (await client.post(API, json=program_body(), headers=auth(Role.EMPLOYEE, AGENCY_A))
            ).status_code == 403  # fmt: skip
    bad = await client.post(API, json=program_body(ends_on="2026-12-31"), headers=hr)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "ends_on"]
    zero = {p: 0 for p in ("strength", "career", "seniority", "unit", "education")}
    bad = await client.post(API, json=program_body(weights=zero), headers=hr)
    assert bad.status_code == 422 and code(bad) == "validation_failed"
    other = await client.post(API, json=program_body(agency_code=AGENCY_B), headers=hr)
    assert other.status_code == 403

    created = await client.post(API, json=program_body(seniority_basis="years"), headers=hr)
    assert created.status_code == 201, created.text
    program = created.json()
    assert (program["min_gap"], program["band_width"]) == (5, 15)  # the years' defaults
    assert program["weights"]["strength"] == 0.4 and created.headers["etag"] == '"1"'
    url = f"{API}/{program['id']}"
    assert (await client.get(url, headers=auth(Role.HR_OFFICER, AGENCY_B))).status_code == 404
    assert (await client.get(url, headers=auth(Role.EMPLOYEE, AGENCY_A))).status_code == 200
    stale = await client.patch(url, json={"min_gap": 2}, headers=hr | {"If-Match": '"9"'})
    assert stale.status_code == 412
    changed = await client.patch(
        url, json={"seniority_basis": "rank_steps", "min_gap": 2, "band_width": 4},
        headers=hr | {"If-Match": '"1"'},
    )  # fmt: skip
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'
    bad = await client.patch(url, json={"ends_on": "2026-01-01"}, headers=hr)
    assert bad.status_code == 422
    listed = await client.get(API, params={"limit": 1}, headers=hr)
    assert [p["id"] for p in listed.json()["items"]] == [program["id"]]
    assert (await client.get(API, headers=auth(Role.HR_OFFICER, AGENCY_B))).json()["items"] == []

    # Mentors: HR adds the head of field 1 with default strengths (level >= 4).
    mentors = f"{url}/mentors"
    added = await client.post(mentors, json={"nip": world.nips["kabid1"]}, headers=hr)
    assert added.status_code == 201, added.text
    assert added.json()["strengths"] == ["M.1", "M.6"]
    assert added.json()["capacity"] == 2 and added.json()["capacity_given"] is None
    assert added.json()["added_by"] == "hr"
    again = await client.post(mentors, json={"nip": world.nips["kabid1"]}, headers=hr)
    assert again.status_code == 409 and code(again) == "mentor_exists"
    unknown = await client.post(mentors, json={"nip": world.nips["kabid2"], "strengths": ["T.99"]},
                                headers=hr)  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == [
        "body", "strengths", 0]  # fmt: skip
    outsider = await client.post(mentors, json={"nip": world.nips["b"]}, headers=hr)
    assert outsider.status_code == 422
    # The senior planner opts in; an employee cannot add someone else.
    senior = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nips["senior"])
    other_one = await client.post(mentors, json={"nip": world.nips["kabid2"]}, headers=senior)
    assert other_one.status_code == 403 and code(other_one) == "mentoring_self_only"
    opted = await client.post(
        mentors, json={"nip": world.nips["senior"], "capacity": 3, "strengths": ["M.2"],
                       "availability": "Selasa sore"}, headers=senior,
    )  # fmt: skip
    assert opted.status_code == 201 and opted.json()["added_by"] == "self"
    own = f"{mentors}/{world.nips['senior']}"
    assert (await client.get(own, headers=senior)).json()["capacity"] == 3
    assert (await client.get(f"{mentors}/{world.nips['kabid1']}", headers=senior)
            ).status_code == 404  # fmt: skip
    assert (await client.get(mentors, headers=senior)).status_code == 403
    patched = await client.patch(own, json={"capacity": 1}, headers=senior | {"If-Match": '"1"'})
    assert patched.status_code == 200 and patched.json()["capacity"] == 1
    page = await client.get(mentors, params={"limit": 1}, headers=hr)
    assert len(page.json()["items"]) == 1 and page.json()["next_cursor"]
    rest = await client.get(mentors, params={"cursor": page.json()["next_cursor"]}, headers=hr)
    assert {m["nip"] for m in page.json()["items"] + rest.json()["items"]} == {
        world.nips["kabid1"], world.nips["senior"]}  # fmt: skip

    # Mentees: focus derived from the largest needs (M.2 unassessed: gap 2; M.1: gap 1) and
    # the latest 360° report's suggestions (M.6; BA values are not competencies), in turn.
    await world.published_360("junior1", ["M.6", "BA.1"])
    mentees = f"{url}/mentees"
    junior = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nips["junior1"])
    enrolled = await client.post(
        mentees, json={"nip": world.nips["junior1"], "goals": "Menyusun RPJMD"}, headers=junior
    )
    assert enrolled.status_code == 201, enrolled.text
    body = enrolled.json()
    assert body["focus"] == ["M.2", "M.6", "M.1"] and body["focus_source"] == "derived"
    assert [r["source"] for r in body["focus_reasons"]] == [
        "training_need", "feedback_360", "training_need"]  # fmt: skip
    assert "titik buta" in body["focus_reasons"][1]["detail"]
    assert body["focus_reasons"][0]["detail_en"].startswith("training need: a gap of 2")
    given = await client.post(mentees, json={"nip": world.nips["junior2"], "focus": ["M.3"]},
                              headers=hr)  # fmt: skip
    assert given.status_code == 201 and given.json()["focus_source"] == "given"
    twice = await client.post(mentees, json={"nip": world.nips["junior2"]}, headers=hr)
    assert twice.status_code == 409 and code(twice) == "mentee_exists"
    mine = f"{mentees}/{world.nips['junior1']}"
    updated = await client.patch(mine, json={"focus": ["M.1"]}, headers=junior)
    assert updated.json()["focus"] == ["M.1"] and updated.json()["focus_source"] == "given"
    assert (await client.get(mine, headers=auth(Role.HR_OFFICER, AGENCY_B))).status_code == 404

    kinds = [t for t, _ in await events(app)]
    assert kinds.count("mentoring.program.created") == 1
    assert kinds.count("mentoring.program.updated") == 1
    assert kinds.count("mentoring.mentor.added") == 2 and "mentoring.mentor.updated" in kinds
    assert kinds.count("mentoring.mentee.enrolled") == 2 and "mentoring.mentee.updated" in kinds
    assert await audit_count(app, "mentoring_mentee.") == 3
