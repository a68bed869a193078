"""Rater requests: HR adds, removes and replaces raters, subjects nominate peers for HR's
approval, and no list shows an answer, a public token's hash, or a subject their raters."""

import uuid
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.cycles.helpers import (
    CYCLES,
    add_request,
    add_subjects,
    audit,
    create_cycle,
    events,
    requests_of,
    set_status,
)
from tests.feedback.factory import FeedbackWorld, token_hash


async def draft_with_subjects(
    client: AsyncClient, world: FeedbackWorld, hr: dict[str, str], *keys: str, **fields: Any
) -> str:
    cycle = await create_cycle(client, hr, world.questionnaire_id, **fields)
    await add_subjects(client, hr, str(cycle["id"]), [world.nip(k) for k in keys])
    return str(cycle["id"])


async def test_hr_adds_a_rater_who_is_listed_with_why(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    cycle_id = await draft_with_subjects(client, world, hr_a, "staff0")
    response = await client.post(
        f"{CYCLES}/{cycle_id}/requests",
        json={"subject_nip": world.nip("staff0"), "rater_nip": world.nip("head"),
              "relationship": "supervisor", "note": "Atasan definitif sejak Juli"},
        headers=hr_a,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    request = response.json()
    assert (
        response.headers["location"]
        == f"/api/v1/feedback/cycles/{cycle_id}/requests/{request['id']}"
    )
    assert (request["subject_nip"], request["rater_nip"]) == (
        world.nip("staff0"),
        world.nip("head"),
    )
    assert (request["relationship"], request["status"], request["origin"]) == (
        "supervisor", "pending", "hr",
    )  # fmt: skip
    assert request["reason_code"] == "hr_added"
    assert request["reason"] == "Ditambahkan oleh pengelola SDM: Atasan definitif sejak Juli"
    one = await client.get(f"{CYCLES}/{cycle_id}/requests/{request['id']}", headers=hr_a)
    assert one.status_code == 200 and one.json() == request
    [event] = await events(app, "feedback.request.created")
    assert event == {
        "request_id": request["id"], "cycle_id": cycle_id, "subject_nip": world.nip("staff0"),
        "rater_nip": world.nip("head"), "relationship": "supervisor", "origin": "hr",
        "status": "pending",
    }  # fmt: skip
    [row] = await audit(app, "feedback_request.created")
    assert row.nip == world.nip("staff0") and row.entity_id == request["id"]
    assert "token_hash" not in row.changes


async def test_the_list_filters_and_never_shows_answers_nor_token_hashes(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str]
) -> None:
    cycle_id = await draft_with_subjects(client, world, hr_a, "staff0", "staff1")
    staff0, staff1 = world.nip("staff0"), world.nip("staff1")
    await add_request(client, hr_a, cycle_id, staff0, staff0, "self")
    await add_request(client, hr_a, cycle_id, staff0, staff1, "peer")
    await add_request(client, hr_a, cycle_id, staff1, staff0, "peer")
    await world.request(uuid.UUID(cycle_id), "staff0", None, "public", token="rahasia-loket-1")
    url = f"{CYCLES}/{cycle_id}/requests"
    everything = await client.get(url, headers=hr_a)
    assert everything.status_code == 200
    items = everything.json()["items"]
    assert [(r["subject_nip"], r["relationship"]) for r in items] == [
        (staff0, "peer"), (staff0, "public"), (staff0, "self"), (staff1, "peer"),
    ]  # fmt: skip
    public = items[1]
    assert public["rater_nip"] is None and public["rater_name"] is None
    text = everything.text
    assert token_hash("rahasia-loket-1").hex() not in text and "token" not in text
    assert "answer" not in text and "score" not in text
    by_rater = await client.get(f"{url}?rater={staff0}", headers=hr_a)
    assert [(r["subject_nip"], r["relationship"]) for r in by_rater.json()["items"]] == [
        (staff0, "self"), (staff1, "peer"),
    ]  # fmt: skip
    by_subject = await client.get(f"{url}?subject={staff1}", headers=hr_a)
    assert len(by_subject.json()["items"]) == 1
    peers = await client.get(f"{url}?relationship=peer&status=pending&limit=1", headers=hr_a)
    assert len(peers.json()["items"]) == 1 and peers.json()["next_cursor"]
    after = await client.get(f"{url}?relationship=peer&cursor={peers.json()['next_cursor']}",
                             headers=hr_a)  # fmt: skip
    assert len(after.json()["items"]) == 1 and after.json()["next_cursor"] is None


async def test_a_subject_never_lists_their_raters(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], auth: TokenFactory
) -> None:
    cycle_id = await draft_with_subjects(client, world, hr_a, "staff0")
    request = await add_request(
        client, hr_a, cycle_id, world.nip("staff0"), world.nip("staff1"), "peer"
    )
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        subject = auth(role, AGENCY_A, sub=world.nip("staff0"))
        assert (
            await client.get(f"{CYCLES}/{cycle_id}/requests", headers=subject)
        ).status_code == 403
        one = await client.get(f"{CYCLES}/{cycle_id}/requests/{request['id']}", headers=subject)
        assert one.status_code == 403


async def test_what_hr_may_not_add(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str],
    auth: TokenFactory,
) -> None:  # fmt: skip
    cycle_id = await draft_with_subjects(
        client, world, hr_a, "staff0", "staff1", "staff2", max_requests_per_rater=1
    )
    url = f"{CYCLES}/{cycle_id}/requests"
    staff0, staff1, staff2 = world.nip("staff0"), world.nip("staff1"), world.nip("staff2")

    async def post(
        subject: str, rater: str, relationship: str, headers: dict[str, str] = hr_a
    ) -> Response:
        body = {"subject_nip": subject, "rater_nip": rater, "relationship": relationship}
        return await client.post(url, json=body, headers=headers)

    assert (await post(world.nip("staff3"), staff1, "peer")).json()["errors"][0]["type"] == (
        "not_a_subject"
    )
    assert (await post(staff0, world.nip("b"), "peer")).json()["errors"][0]["type"] == (
        "not_active_staff"
    )
    assert (await post(staff0, staff1, "self")).json()["errors"][0]["type"] == (
        "relationship_mismatch"
    )
    assert (await post(staff0, staff0, "peer")).status_code == 422
    assert (await post(staff0, staff1, "public")).status_code == 422
    assert (await post(staff0, staff1, "peer")).status_code == 201
    duplicate = await post(staff0, staff1, "subordinate")
    assert duplicate.status_code == 409
    assert duplicate.json()["type"].endswith("/rater-already-asked")
    capped = await post(staff2, staff1, "peer")
    assert capped.status_code == 409 and capped.json()["type"].endswith("/rater-at-capacity")
    # Self and the supervisor are not refused by the cap.
    assert (await post(staff1, staff1, "self")).status_code == 201
    assert (await post(staff2, world.nip("head"), "supervisor")).status_code == 201
    assert (await post(staff1, world.nip("head"), "supervisor")).status_code == 201
    assert (await post(staff0, staff2, "peer", hr_b)).status_code == 404
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=staff0)
    assert (await post(staff0, staff2, "peer", employee)).status_code == 403
    assert (await client.post(url, json={})).status_code == 401


async def test_removal_before_and_after_open(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str],
    app: FastAPI,
) -> None:  # fmt: skip
    cycle_id = await draft_with_subjects(client, world, hr_a, "staff0")
    staff0 = world.nip("staff0")
    made = {
        key: await add_request(client, hr_a, cycle_id, staff0, world.nip(key), relationship)
        for key, relationship in (
            ("staff0", "self"), ("head", "supervisor"), ("staff1", "peer"), ("staff2", "peer"),
            ("staff3", "peer"), ("staff4", "peer"),
        )
    }  # fmt: skip
    url = f"{CYCLES}/{cycle_id}/requests"
    declined_draft = made["staff4"]["id"]
    await set_status(app, declined_draft, "declined")
    assert (await client.delete(f"{url}/{declined_draft}", headers=hr_a)).status_code == 204
    assert (await client.delete(f"{url}/{made['staff3']['id']}", headers=hr_b)).status_code == 404
    stale = await client.delete(
        f"{url}/{made['staff3']['id']}", headers={**hr_a, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    assert (await client.post(f"{CYCLES}/{cycle_id}/open", headers=hr_a)).status_code == 200
    await set_status(app, made["staff1"]["id"], "submitted")
    await set_status(app, made["staff2"]["id"], "draft")
    for key in ("staff1", "staff2"):
        answered = await client.delete(f"{url}/{made[key]['id']}", headers=hr_a)
        assert answered.status_code == 409
        assert answered.json()["type"].endswith("/request-answered")
    assert (await client.delete(f"{url}/{made['staff3']['id']}", headers=hr_a)).status_code == 204
    assert len(await audit(app, "feedback_request.deleted")) == 2
    assert (await client.post(f"{CYCLES}/{cycle_id}/close", headers=hr_a)).status_code == 200
    closed = await client.delete(f"{url}/{made['head']['id']}", headers=hr_a)
    assert closed.status_code == 409 and closed.json()["type"].endswith("/cycle-raters-closed")
    assert (await client.delete(f"{url}/{uuid.uuid4()}", headers=hr_a)).status_code == 404


async def test_hr_replaces_a_rater_who_has_not_answered(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str],
    app: FastAPI,
) -> None:  # fmt: skip
    cycle_id = await draft_with_subjects(client, world, hr_a, "staff0")
    staff0 = world.nip("staff0")
    peer = await add_request(client, hr_a, cycle_id, staff0, world.nip("staff1"), "peer")
    other = await add_request(client, hr_a, cycle_id, staff0, world.nip("staff2"), "peer")
    assert (await client.post(f"{CYCLES}/{cycle_id}/open", headers=hr_a)).status_code == 200
    await set_status(app, peer["id"], "declined")
    url = f"{CYCLES}/{cycle_id}/requests/{peer['id']}/replace"
    body = {"rater_nip": world.nip("staff3"), "note": "Rekan sebelumnya cuti besar"}
    assert (await client.post(url, json=body, headers=hr_b)).status_code == 404
    taken = await client.post(url, json={"rater_nip": world.nip("staff2")}, headers=hr_a)
    assert taken.status_code == 409 and taken.json()["type"].endswith("/rater-already-asked")
    itself = await client.post(url, json={"rater_nip": staff0}, headers=hr_a)
    assert itself.status_code == 422
    replaced = await client.post(url, json=body, headers=hr_a)
    assert replaced.status_code == 201, replaced.text
    new = replaced.json()
    assert new["id"] != peer["id"] and new["rater_nip"] == world.nip("staff3")
    assert (new["relationship"], new["status"], new["reason_code"]) == (
        "peer", "pending", "hr_replacement",
    )  # fmt: skip
    assert new["reason"].endswith(": Rekan sebelumnya cuti besar")
    gone = await client.get(f"{CYCLES}/{cycle_id}/requests/{peer['id']}", headers=hr_a)
    assert gone.status_code == 404
    await set_status(app, other["id"], "draft")
    answering = await client.post(
        f"{CYCLES}/{cycle_id}/requests/{other['id']}/replace",
        json={"rater_nip": world.nip("staff4")},
        headers=hr_a,
    )
    assert answering.status_code == 409
    assert answering.json()["type"].endswith("/request-answered")
    public = await world.request(uuid.UUID(cycle_id), "staff0", None, "public", token="loket-7")
    no_rater = await client.post(
        f"{CYCLES}/{cycle_id}/requests/{public}/replace",
        json={"rater_nip": world.nip("staff4")},
        headers=hr_a,
    )
    assert no_rater.status_code == 409
    assert [e["origin"] for e in await events(app, "feedback.request.created")] == ["hr"] * 3


async def test_a_subject_nominates_peers_and_hr_decides(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], auth: TokenFactory,
    app: FastAPI,
) -> None:  # fmt: skip
    cycle_id = await draft_with_subjects(
        client, world, hr_a, "staff0", "staff1", max_requests_per_rater=2
    )
    staff0 = world.nip("staff0")
    # staff1 already rates staff0: nominating them must answer exactly as for anyone else.
    await add_request(client, hr_a, cycle_id, staff0, world.nip("staff1"), "peer")
    subject = auth(Role.EMPLOYEE, AGENCY_A, sub=staff0)
    url = f"{CYCLES}/{cycle_id}/nominations"
    nominees = [world.nip("staff1"), world.nip("staff2"), world.nip("staff3")]
    response = await client.post(url, json={"peers": nominees}, headers=subject)
    assert response.status_code == 200, response.text
    assert response.json() == {"received": nominees}
    again = await client.post(url, json={"peers": nominees}, headers=subject)
    assert again.json() == response.json()
    listed = await client.get(f"{CYCLES}/{cycle_id}/requests?status=nominated", headers=hr_a)
    nominated = {r["rater_nip"]: r for r in listed.json()["items"]}
    assert set(nominated) == {world.nip("staff2"), world.nip("staff3")}
    assert {(r["origin"], r["relationship"], r["reason_code"]) for r in nominated.values()} == {
        ("nomination", "peer", "nominated_by_subject")
    }
    # A nomination waits for HR: the cycle does not open on it alone.
    approve = f"{CYCLES}/{cycle_id}/requests/{nominated[world.nip('staff2')]['id']}/approve"
    approved = await client.post(approve, headers=hr_a)
    assert approved.status_code == 200 and approved.json()["status"] == "pending"
    assert (await client.post(approve, headers=hr_a)).status_code == 409
    reject = f"{CYCLES}/{cycle_id}/requests/{nominated[world.nip('staff3')]['id']}/reject"
    assert (await client.post(reject, headers=subject)).status_code == 403
    assert (await client.post(reject, headers=hr_a)).status_code == 204
    assert (await client.post(reject, headers=hr_a)).status_code == 404
    assert len(await audit(app, "feedback_request.approved")) == 1
    assert len(await audit(app, "feedback_request.rejected")) == 1
    rows = await requests_of(app, cycle_id)
    assert sorted(r.status for r in rows) == ["pending", "pending"]


async def test_nominations_are_checked_without_telling_who_rates(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], auth: TokenFactory
) -> None:
    cycle_id = await draft_with_subjects(client, world, hr_a, "staff0")
    url = f"{CYCLES}/{cycle_id}/nominations"
    subject = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip("staff0"))
    outsider = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip("staff1"))
    body = {"peers": [world.nip("staff2")]}
    assert (await client.post(url, json=body)).status_code == 401
    assert (await client.post(url, json=body, headers=hr_a)).status_code == 403
    assert (await client.post(url, json=body, headers=outsider)).status_code == 404
    other_agency = auth(Role.EMPLOYEE, AGENCY_B, sub=world.nip("b"))
    assert (await client.post(url, json=body, headers=other_agency)).status_code == 404
    bad = await client.post(
        url, json={"peers": [world.nip("staff0"), world.nip("b"), world.nip("staff2")]},
        headers=subject,
    )  # fmt: skip
    assert bad.status_code == 422
    assert [(e["loc"][-1], e["type"]) for e in bad.json()["errors"]] == [
        (0, "self_nominated"), (1, "not_active_staff"),
    ]  # fmt: skip
    too_many = await client.post(
        url, json={"peers": [world.nip(f"staff{n}") for n in range(1, 6)] * 2}, headers=subject
    )
    assert too_many.status_code == 422
    await add_request(client, hr_a, cycle_id, world.nip("staff0"), world.nip("staff0"), "self")
    for step in ("open", "close"):
        assert (await client.post(f"{CYCLES}/{cycle_id}/{step}", headers=hr_a)).status_code == 200
    closed = await client.post(url, json=body, headers=subject)
    assert closed.status_code == 409 and closed.json()["type"].endswith("/cycle-raters-closed")


async def test_approval_respects_the_cap_and_the_state(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], auth: TokenFactory
) -> None:
    cycle_id = await draft_with_subjects(
        client, world, hr_a, "staff0", "staff1", max_requests_per_rater=1
    )
    await add_request(client, hr_a, cycle_id, world.nip("staff1"), world.nip("staff2"), "peer")
    subject = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("staff0"))
    nominated = await client.post(
        f"{CYCLES}/{cycle_id}/nominations", json={"peers": [world.nip("staff2")]}, headers=subject
    )
    assert nominated.status_code == 200
    [request] = (
        await client.get(f"{CYCLES}/{cycle_id}/requests?status=nominated", headers=hr_a)
    ).json()["items"]
    approve = f"{CYCLES}/{cycle_id}/requests/{request['id']}/approve"
    capped = await client.post(approve, headers=hr_a)
    assert capped.status_code == 409 and capped.json()["type"].endswith("/rater-at-capacity")
    plain = await add_request(
        client, hr_a, cycle_id, world.nip("staff0"), world.nip("staff0"), "self"
    )
    not_nominated = await client.post(
        f"{CYCLES}/{cycle_id}/requests/{plain['id']}/approve", headers=hr_a
    )
    assert not_nominated.status_code == 409
    assert not_nominated.json()["type"].endswith("/request-not-nominated")
