"""Education history: validation, ETags, audit, scope."""

import asyncio
from datetime import date

from httpx import AsyncClient

from tests.profiles.histories.conftest import Headers, World, post_ok, url


async def test_create_list_update_delete_with_etag_and_audit(
    client: AsyncClient, world: World, hr_a: Headers, admin: Headers
) -> None:
    first = await post_ok(
        client,
        world.staff,
        "education",
        {"level": "SMA", "institution": "SMAN 1 Serang", "graduation_year": 2004},
        hr_a,
    )
    response = await client.post(
        url(world.staff, "education"),
        json={"level": "S1", "field": "Ilmu Hukum", "institution": "Untirta",
              "graduation_year": 2009},
        headers=hr_a,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    second = response.json()
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"].endswith(f"/education/{second['id']}")
    assert second["level"] == "S1" and second["field"] == "Ilmu Hukum"

    listed = await client.get(url(world.staff, "education"), headers=hr_a)
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()["items"]] == [second["id"], first["id"]]
    page = await client.get(url(world.staff, "education"), params={"limit": 1}, headers=hr_a)
    cursor = page.json()["next_cursor"]
    assert cursor and page.json()["items"][0]["id"] == second["id"]
    rest = await client.get(
        url(world.staff, "education"), params={"limit": 1, "cursor": cursor}, headers=hr_a
    )
    assert [e["id"] for e in rest.json()["items"]] == [first["id"]]

    item = url(world.staff, f"education/{second['id']}")
    stale = await client.patch(
        item, json={"field": "Hukum Tata Negara"}, headers={**hr_a, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    patched = await client.patch(
        item, json={"field": "Hukum Tata Negara"}, headers={**hr_a, "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"2"' and patched.json()["field"] == "Hukum Tata Negara"
    got = await client.get(item, headers=hr_a)
    assert got.status_code == 200 and got.headers["etag"] == '"2"'

    assert (await client.delete(item, headers={**hr_a, "If-Match": '"1"'})).status_code == 412
    deleted = await client.delete(item, headers={**hr_a, "If-Match": '"2"'})
    assert deleted.status_code == 204
    assert (await client.get(item, headers=hr_a)).status_code == 404

    audit = await client.get("/api/v1/audit", params={"entity_id": second["id"]}, headers=admin)
    entries = audit.json()["items"]
    assert [e["action"] for e in entries] == [
        "education.deleted",
        "education.updated",
        "education.created",
    ]
    assert all(e["agency_code"] == "36.74" for e in entries)
    assert entries[1]["changes"] == {
        "field": {"before": "Ilmu Hukum", "after": "Hukum Tata Negara"}
    }


async def test_graduation_year_bounds(client: AsyncClient, world: World, hr_a: Headers) -> None:
    # staff born 1986: 1991 is the earliest plausible year
    too_early = await client.post(
        url(world.staff, "education"), json={"level": "SD", "graduation_year": 1990},
        headers=hr_a,
    )  # fmt: skip
    assert too_early.status_code == 422
    assert too_early.json()["errors"][0]["loc"] == ["body", "graduation_year"]
    ok = await client.post(
        url(world.staff, "education"), json={"level": "SD", "graduation_year": 1991},
        headers=hr_a,
    )  # fmt: skip
    assert ok.status_code == 201
    future = await client.post(
        url(world.staff, "education"),
        json={"level": "S2", "graduation_year": date.today().year + 2},
        headers=hr_a,
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["type"] == "future_date"
    patched = await client.patch(
        url(world.staff, f"education/{ok.json()['id']}"),
        json={"graduation_year": 1980},
        headers=hr_a,
    )
    assert patched.status_code == 422


async def test_level_must_be_a_known_education_level(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    for level in ("S4", "sma", None):
        response = await client.post(
            url(world.staff, "education"), json={"level": level}, headers=hr_a
        )
        assert response.status_code == 422, level
    created = await post_ok(client, world.staff, "education", {"level": "D3"}, hr_a)
    null_level = await client.patch(
        url(world.staff, f"education/{created['id']}"), json={"level": None}, headers=hr_a
    )
    assert null_level.status_code == 422
    assert null_level.json()["errors"][0]["loc"] == ["body", "level"]


async def test_401_and_other_agency(
    client: AsyncClient, world: World, hr_a: Headers, hr_b: Headers
) -> None:
    created = await post_ok(client, world.staff, "education", {"level": "S1"}, hr_a)
    assert (await client.get(url(world.staff, "education"))).status_code == 401
    assert (await client.get(url(world.staff, "education"), headers=hr_b)).status_code == 404
    item = url(world.staff, f"education/{created['id']}")
    assert (await client.patch(item, json={}, headers=hr_b)).status_code == 404
    assert (await client.delete(item, headers=hr_b)).status_code == 404
    # an entry of another employee is not reachable through this one's path
    other = url(world.other, f"education/{created['id']}")
    assert (await client.get(other, headers=hr_a)).status_code == 404


async def test_unknown_fields_are_422_and_a_no_op_patch_leaves_no_audit_row(
    client: AsyncClient, world: World, hr_a: Headers, admin: Headers
) -> None:
    created = await post_ok(client, world.staff, "education", {"level": "S1"}, hr_a)
    item = url(world.staff, f"education/{created['id']}")
    unknown = await client.patch(item, json={"nip": "198609262015051001"}, headers=hr_a)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "nip"]
    refused = await client.post(
        url(world.staff, "education"), json={"level": "S2", "nip": "x"}, headers=hr_a
    )
    assert refused.status_code == 422
    same = await client.patch(item, json={"level": "S1"}, headers=hr_a)
    assert same.status_code == 200 and same.headers["etag"] == '"1"'
    audit = await client.get("/api/v1/audit", params={"entity_id": created["id"]}, headers=admin)
    assert [e["action"] for e in audit.json()["items"]] == ["education.created"]


async def test_concurrent_deletes_without_if_match_are_one_204_and_404s(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    created = await post_ok(client, world.staff, "education", {"level": "S1"}, hr_a)
    item = url(world.staff, f"education/{created['id']}")
    answers = await asyncio.gather(*(client.delete(item, headers=hr_a) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [204, 404, 404, 404]
