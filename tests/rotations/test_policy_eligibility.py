"""``GET|PUT /rotations/policy`` and ``GET /rotations/eligibility``: defaults, a stored
policy with its rules, ETags, 401/403/404, and every eligibility reason, checked against
``rules.eligibility_reasons`` on the same data."""

from datetime import date

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.rotations import rules
from asn_career.rotations.rules import add_months
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.rotations.world import POSITIONS, TODAY, rotation_world

POLICY = f"/api/v1/rotations/policy?agency={AGENCY_A}"
ELIGIBILITY = "/api/v1/rotations/eligibility"


async def test_policy_defaults_then_stored_with_its_rules(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    await rotation_world(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    first = await client.get(POLICY, headers=hr)
    assert first.status_code == 200
    assert first.json()["is_default"] and first.json()["min_months"] == 24
    assert first.json()["max_months"] == 60 and first.headers["etag"] == '"0"'
    assert (await client.get(POLICY)).status_code == 401
    assert (await client.get(POLICY, headers=auth(Role.EMPLOYEE, AGENCY_A))).status_code == 403
    other = await client.get(
        POLICY, params={"agency": AGENCY_A}, headers=auth(Role.HR_OFFICER, AGENCY_B)
    )
    assert other.status_code == 404

    bad = await client.put(POLICY, json={"min_months": 70}, headers=hr)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "min_months"
    jpt = await client.put(POLICY, json={"max_months_jpt": 70}, headers=hr)
    assert jpt.status_code == 422
    zero = {k: 0 for k in rules.FIT_PARTS}
    assert (await client.put(POLICY, json={"weights": zero}, headers=hr)).status_code == 422

    body = {"min_months": 12, "weights": {"education": 40}}
    stale = await client.put(POLICY, json=body, headers=hr | {"If-Match": '"3"'})
    assert stale.status_code == 412
    put = await client.put(POLICY, json=body, headers=hr | {"If-Match": '"0"'})
    assert put.status_code == 200, put.text
    assert put.json()["min_months"] == 12 and put.json()["weights"]["education"] == 40
    assert put.headers["etag"] == '"1"' and not put.json()["is_default"]
    again = await client.put(
        POLICY, json=body | {"max_months": 48}, headers=hr | {"If-Match": '"1"'}
    )
    assert again.json()["version"] == 2 and again.json()["max_months"] == 48
    async with unit_of_work(app.state.sessionmaker) as session:
        events = await session.scalar(
            select(func.count()).where(OutboxEvent.event_type == "rotation.policy.updated")
        )
    assert events == 2
    got = await client.get(POLICY, params={"agency": AGENCY_A}, headers=auth(Role.ADMIN))
    assert got.json()["max_months"] == 48


async def test_every_reason_as_the_rules_give_it(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await rotation_world(app)
    old = date(TODAY.year - 57, TODAY.month, 1)  # 57: within a year of 58
    await w.person("ok", "analis_hukum", months=30)
    await w.person("new", "staf_layanan", months=6, appointed=add_months(TODAY, -6))
    await w.person("sanctioned", "kasi_layanan", months=30, sanction=True)
    await w.person("leave", "staf_kec", months=30, status="study_leave")
    await w.person("retiring", "kabag_hukum", months=70, birth=old)
    await w.person("head", "head", months=50)  # JPT: due past 48
    await w.person("idle", None)
    await w.person("b", "b")
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    response = await client.get(ELIGIBILITY, headers=hr)
    assert response.status_code == 200, response.text
    got = {i["nip"]: i for i in response.json()["items"]}
    assert w.nips["b"] not in got
    expected = {
        "ok": [],
        "new": ["too_soon", "first_year"],
        "sanctioned": ["sanction"],
        "leave": ["on_leave"],
        "retiring": ["near_retirement"],
        "head": [],
        "idle": ["no_position"],
    }
    for key, reasons in expected.items():
        item = got[w.nips[key]]
        assert [r["code"] for r in item["reasons"]] == reasons, key
        assert item["eligible"] == (not reasons)
    assert {k for k in expected if got[w.nips[k]]["due"]} == {"retiring", "head"}
    # the same standing through the pure rule
    for key, months, birth, appointed, status, sanction in (
        ("new", 6, date(1985, 3, 4), add_months(TODAY, -6), "active", False),
        ("retiring", 70, old, date(2010, 3, 1), "active", False),
        ("leave", 30, date(1985, 3, 4), date(2010, 3, 1), "study_leave", False),
    ):
        position = {"new": "staf_layanan", "retiring": "kabag_hukum", "leave": "staf_kec"}[key]
        standing = rules.Standing(
            status,
            birth,
            appointed,
            POSITIONS[position][1],
            None,
            add_months(TODAY, -months),
            sanction,
        )
        assert rules.eligibility_reasons(standing, rules.DEFAULT_POLICY, TODAY) == expected[key]
    # paging and filters
    page = await client.get(ELIGIBILITY, params={"limit": 3}, headers=hr)
    rest = await client.get(ELIGIBILITY, params={"cursor": page.json()["next_cursor"]}, headers=hr)
    nips = [i["nip"] for i in page.json()["items"] + rest.json()["items"]]
    assert nips == sorted(got)
    eligible = await client.get(ELIGIBILITY, params={"eligible": "true"}, headers=hr)
    assert {i["nip"] for i in eligible.json()["items"]} == {w.nips["ok"], w.nips["head"]}
    due = await client.get(ELIGIBILITY, params={"due": "true"}, headers=hr)
    assert len(due.json()["items"]) == 2
    unit = await client.get(ELIGIBILITY, params={"unit_id": str(w.units["hukum"])}, headers=hr)
    assert {i["nip"] for i in unit.json()["items"]} == {w.nips["ok"], w.nips["retiring"]}
    # a stricter policy changes the answer
    await client.put(POLICY, json={"min_months": 36}, headers=hr)
    stricter = await client.get(ELIGIBILITY, params={"eligible": "true"}, headers=hr)
    assert {i["nip"] for i in stricter.json()["items"]} == {w.nips["head"]}
    assert (await client.get(ELIGIBILITY)).status_code == 401
    assert (
        await client.get(ELIGIBILITY, headers=auth(Role.SUPERVISOR, AGENCY_A))
    ).status_code == 403
    other = await client.get(
        ELIGIBILITY, params={"agency": AGENCY_A}, headers=auth(Role.HR_OFFICER, AGENCY_B)
    )
    assert other.status_code == 404
