"""Disciplinary sanctions: HR writes, the employee and supervisor read."""

from typing import Any

from httpx import AsyncClient

from tests.profiles.histories.conftest import Headers, World, post_ok, url


def _sanction(**extra: Any) -> dict[str, Any]:
    return {
        "severity": "light",
        "kind": "Teguran tertulis",
        "decree_number": "862/15/BKPSDM/2023",
        "start_date": "2023-05-02",
        "end_date": "2023-11-02",
        "reason": "Tidak masuk kerja tanpa keterangan",
        **extra,
    }


async def test_sanction_lifecycle(
    client: AsyncClient, world: World, hr_a: Headers, as_staff: Headers, as_chief: Headers,
    admin: Headers,
) -> None:  # fmt: skip
    created = await post_ok(client, world.staff, "sanctions", _sanction(), hr_a)
    severe = await post_ok(
        client, world.staff, "sanctions",
        _sanction(severity="severe", kind="Penurunan jabatan", start_date="2024-01-15",
                  end_date=None),
        hr_a,
    )  # fmt: skip
    # the employee may read their own sanctions; the supervisor those of the line
    for headers in (as_staff, as_chief, hr_a):
        listed = await client.get(url(world.staff, "sanctions"), headers=headers)
        assert [s["id"] for s in listed.json()["items"]] == [severe["id"], created["id"]]
    item = url(world.staff, f"sanctions/{created['id']}")
    patched = await client.patch(item, json={"severity": "medium"}, headers=hr_a)
    assert patched.status_code == 200 and patched.json()["severity"] == "medium"
    assert (await client.delete(item, headers=hr_a)).status_code == 204
    audit = await client.get("/api/v1/audit", params={"entity_type": "sanction"}, headers=admin)
    assert sorted(e["action"] for e in audit.json()["items"]) == [
        "sanction.created",
        "sanction.created",
        "sanction.deleted",
        "sanction.updated",
    ]


async def test_sanction_validation_and_access(
    client: AsyncClient, world: World, hr_a: Headers, hr_b: Headers, as_staff: Headers,
    as_chief: Headers,
) -> None:  # fmt: skip
    for body, field in (
        (_sanction(severity="extreme"), "severity"),
        (_sanction(end_date="2023-01-01"), "end_date"),
        (_sanction(kind=""), "kind"),
    ):
        response = await client.post(url(world.staff, "sanctions"), json=body, headers=hr_a)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["loc"][:2] == ["body", field]
    made = await post_ok(client, world.staff, "sanctions", _sanction(), hr_a)
    item = url(world.staff, f"sanctions/{made['id']}")
    assert (await client.patch(item, json={"start_date": None}, headers=hr_a)).status_code == 422
    for headers in (as_staff, as_chief):
        assert (
            await client.post(url(world.staff, "sanctions"), json=_sanction(), headers=headers)
        ).status_code == 403
        assert (await client.delete(item, headers=headers)).status_code == 403
    assert (await client.get(url(world.staff, "sanctions"))).status_code == 401
    assert (await client.get(item, headers=hr_b)).status_code == 404
    assert (await client.patch(item, json={}, headers=hr_b)).status_code == 404
    # another employee's sanctions are not the staff member's to read
    assert (await client.get(url(world.other, "sanctions"), headers=as_staff)).status_code == 404
