"""``GET /rotations/history``: moves and figures, 401/403/404."""

from datetime import date, timedelta

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.rotations.history.repository import HistoryRepository
from asn_career.rotations.policy.service import PolicyService
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.rotations.world import TODAY, rotation_world


async def test_moves_and_figures(app: FastAPI, client: AsyncClient, auth: TokenFactory) -> None:
    w = await rotation_world(app)
    await w.person("mover", "staf_layanan", months=6, history=["staf_kec"])
    await w.person("x", "analis_hukum", months=30)
    await w.person("old", "kasi_layanan", months=70)
    await w.person("b", "b", months=3, history=["b"])
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    tomorrow = TODAY + timedelta(days=1)
    moved = await client.post(
        f"/api/v1/employees/{w.nips['x']}/moves",
        headers=hr,
        json={"position_id": str(w.positions["staf_hukum"]), "effective_date": str(tomorrow)},
    )
    assert moved.status_code == 201
    since = {"since": str(TODAY.replace(month=1, day=1) - timedelta(days=400))}
    response = await client.get("/api/v1/rotations/history", params=since, headers=hr)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(i["nip"], i["across_unit_kinds"]) for i in body["items"]] == [
        (w.nips["x"], False),
        (w.nips["mover"], True),
    ]
    assert body["items"][1]["from_unit_kind"] == "kecamatan"
    f = body["figures"]
    assert f["moves"] == 2 and f["across_unit_kinds"] == 1 and f["across_unit_kinds_share"] == 0.5
    assert f["employees_holding_a_position"] == 3
    assert f["rotation_rate"] == round(2 / 3, 4)
    assert f["past_max"] == 1
    assert [b["employees"] for b in f["tenure"]] == [1, 0, 1, 0, 0, 1]
    assert {(k["from_unit_kind"], k["to_unit_kind"], k["moves"]) for k in f["flows"]} == {
        ("kecamatan", "dinas", 1),
        ("bagian", "bagian", 1),
    }
    first = await client.get("/api/v1/rotations/history", params=since | {"limit": 1}, headers=hr)
    rest = await client.get(
        "/api/v1/rotations/history",
        params=since | {"cursor": first.json()["next_cursor"]},
        headers=hr,
    )
    assert [i["nip"] for i in first.json()["items"] + rest.json()["items"]] == [
        w.nips["x"],
        w.nips["mover"],
    ]
    assert (await client.get("/api/v1/rotations/history")).status_code == 401
    assert (
        await client.get("/api/v1/rotations/history", headers=auth(Role.EMPLOYEE, AGENCY_A))
    ).status_code == 403
    other = await client.get(
        "/api/v1/rotations/history",
        params={"agency": AGENCY_A},
        headers=auth(Role.HR_OFFICER, AGENCY_B),
    )
    assert other.status_code == 404


async def test_figures_of_several_periods_equal_each_period_alone(app: FastAPI) -> None:
    w = await rotation_world(app)
    await w.person("mover", "staf_layanan", months=6, history=["staf_kec"])
    await w.person("older", "analis_hukum", months=20, history=["staf_layanan"])
    await w.person("old", "kasi_layanan", months=70)
    principal = Principal(subject="t", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    periods = [
        (date(y, 1, 1), date(y, 12, 31), min(TODAY, date(y, 12, 31)))
        for y in (TODAY.year, TODAY.year - 1, TODAY.year - 2)
    ]
    async with unit_of_work(app.state.sessionmaker) as session:
        policy = await PolicyService(session, principal).effective(AGENCY_A)
        history = HistoryRepository(session)
        together = [dict(r) for r in await history.figures_of_periods(AGENCY_A, periods, policy)]
        alone = [dict(await history.figures(AGENCY_A, *p, policy)) for p in periods]
    assert [r.pop("k") for r in together] == [1, 2, 3]
    assert [r.pop("k") for r in alone] == [1, 1, 1]
    assert together == alone
    assert together[0]["holding"] == 3 and together[0]["moves"] + together[1]["moves"] >= 2
