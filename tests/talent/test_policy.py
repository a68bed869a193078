"""``GET|PUT /talent/policy``: defaults, a stored policy with its rules, ETags, the audit
row and the event, 401/403/404."""

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select

from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.talent.world import talent_world

POLICY = f"/api/v1/talent/policy?agency={AGENCY_A}"


async def test_policy_defaults_then_stored(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    await talent_world(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    first = await client.get(POLICY, headers=hr)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["is_default"] and first.headers["etag"] == '"0"'
    assert body["performance_source"] == "latest"
    assert body["calibrated_sources"] == ["assessment_center", "feedback_360"]
    assert (body["potential_medium_from"], body["potential_high_from"]) == (70, 90)
    assert (await client.get(POLICY)).status_code == 401
    assert (await client.get(POLICY, headers=auth(Role.EMPLOYEE, AGENCY_A))).status_code == 403
    other = await client.get(
        POLICY, params={"agency": AGENCY_A}, headers=auth(Role.HR_OFFICER, AGENCY_B)
    )
    assert other.status_code == 404
    missing = await client.get("/api/v1/talent/policy", headers=auth(Role.ADMIN))
    assert missing.status_code == 422

    inverted = await client.put(POLICY, json={"potential_medium_from": 95}, headers=hr)
    assert inverted.status_code == 422
    assert inverted.json()["errors"][0]["loc"][-1] == "potential_high_from"
    zero = await client.put(POLICY, json={"competency_weight": 0, "feedback_weight": 0}, headers=hr)
    assert zero.status_code == 422
    unknown = await client.put(POLICY, json={"calibrated_sources": ["rumour"]}, headers=hr)
    assert unknown.status_code == 422

    change = {
        "performance_source": "two_year_average",
        "potential_high_from": 85,
        "calibrated_sources": ["feedback_360", "assessment_center", "feedback_360"],
    }
    stale = await client.put(POLICY, json=change, headers=hr | {"If-Match": '"4"'})
    assert stale.status_code == 412
    put = await client.put(POLICY, json=change, headers=hr | {"If-Match": '"0"'})
    assert put.status_code == 200, put.text
    assert put.headers["etag"] == '"1"' and not put.json()["is_default"]
    assert put.json()["calibrated_sources"] == ["assessment_center", "feedback_360"]
    again = await client.put(
        POLICY, json=change | {"feedback_weight": 50}, headers=hr | {"If-Match": '"1"'}
    )
    assert again.json()["version"] == 2 and again.json()["feedback_weight"] == 50
    same = await client.put(POLICY, json=change | {"feedback_weight": 50}, headers=hr)
    assert same.json()["version"] == 2
    async with unit_of_work(app.state.sessionmaker) as session:
        events = await session.scalar(
            select(func.count()).where(OutboxEvent.event_type == "talent.policy.updated")
        )
        audits = await session.scalar(
            select(func.count()).where(AuditEntry.entity_type == "talent_policy")
        )
    assert events == 2 and audits == 2
    got = await client.get(POLICY, params={"agency": AGENCY_A}, headers=auth(Role.ADMIN))
    assert got.json()["potential_high_from"] == 85
