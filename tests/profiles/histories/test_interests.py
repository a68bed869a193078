"""Career interests: self-service for the employee, HR for everyone of the agency."""

from typing import Any

from httpx import AsyncClient

from tests.profiles.histories.conftest import Headers, World, post_ok, url


def _interest(**extra: Any) -> dict[str, Any]:
    return {"kind": "position", "description": "Analis kebijakan di Bappeda", **extra}


async def test_employee_manages_own_interests(
    client: AsyncClient, world: World, as_staff: Headers, admin: Headers
) -> None:
    created = await post_ok(
        client, world.staff, "interests",
        _interest(target_position_id=str(world.analyst), target_unit_id=str(world.unit_a2)),
        as_staff,
    )  # fmt: skip
    assert created["priority"] == 1 and created["target_position_id"] == str(world.analyst)
    second = await post_ok(
        client, world.staff, "interests",
        {"kind": "training", "description": "Diklat kepemimpinan", "priority": 2}, as_staff,
    )  # fmt: skip
    listed = await client.get(url(world.staff, "interests"), headers=as_staff)
    assert [i["id"] for i in listed.json()["items"]] == [second["id"], created["id"]]
    item = url(world.staff, f"interests/{created['id']}")
    patched = await client.patch(
        item, json={"priority": 3, "target_unit_id": None}, headers={**as_staff, "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["target_unit_id"] is None and patched.headers["etag"] == '"2"'
    assert (await client.delete(item, headers=as_staff)).status_code == 204
    audit = await client.get("/api/v1/audit", params={"entity_id": created["id"]}, headers=admin)
    entries = audit.json()["items"]
    assert [e["action"] for e in entries] == [
        "career_interest.deleted",
        "career_interest.updated",
        "career_interest.created",
    ]
    assert entries[0]["actor"] == world.staff and entries[0]["agency_code"] == "36.74"


async def test_interest_targets_stay_in_the_agency(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        (_interest(target_position_id=str(world.position_b)), "target_position_id"),
        (_interest(target_unit_id=str(world.unit_b)), "target_unit_id"),
        (_interest(kind="promotion"), "kind"),
        (_interest(priority=0), "priority"),
        (_interest(description=""), "description"),
    ]
    for body, field in cases:
        response = await client.post(url(world.staff, "interests"), json=body, headers=hr_a)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"][0]["loc"][:2] == ["body", field], response.text


async def test_others_interests_are_out_of_reach(
    client: AsyncClient, world: World, hr_a: Headers, hr_b: Headers, as_staff: Headers,
    as_chief: Headers,
) -> None:  # fmt: skip
    made = await post_ok(client, world.staff, "interests", _interest(), hr_a)
    item = url(world.staff, f"interests/{made['id']}")
    # the supervisor reads them, but the wish is the employee's to write
    assert (await client.get(item, headers=as_chief)).status_code == 200
    assert (
        await client.post(url(world.staff, "interests"), json=_interest(), headers=as_chief)
    ).status_code == 403
    assert (await client.patch(item, json={"priority": 2}, headers=as_chief)).status_code == 403
    # a supervisor keeps their own interests like any employee
    await post_ok(client, world.chief, "interests", _interest(kind="rotation"), as_chief)
    # another employee's profile is invisible to the employee
    assert (
        await client.post(url(world.other, "interests"), json=_interest(), headers=as_staff)
    ).status_code == 404
    assert (await client.get(url(world.staff, "interests"))).status_code == 401
    assert (await client.get(url(world.staff, "interests"), headers=hr_b)).status_code == 404
    assert (await client.delete(item, headers=hr_b)).status_code == 404
