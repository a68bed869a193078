"""``GET /rotations/history``: moves and figures, 401/403/404."""

from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Role
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
