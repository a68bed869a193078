"""Trainings: hours in JP, forms, competencies as codes."""

from typing import Any

from httpx import AsyncClient

from tests.profiles.histories.conftest import Headers, World, post_ok, url


def _training(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Pelatihan SPBE",
        "hours_jp": 24,
        "start_date": "2024-03-04",
        "end_date": "2024-03-07",
        "provider": "BPSDM Provinsi Banten",
        "form": "training",
        "competencies": ["T.1", "M.7"],
        "certificate_number": "SERT-2024-001",
        **extra,
    }


async def test_training_round_trip(
    client: AsyncClient, world: World, hr_a: Headers, admin: Headers
) -> None:
    created = await post_ok(client, world.staff, "trainings", _training(), hr_a)
    assert created["hours_jp"] == 24 and created["duration_minutes"] == 24 * 45
    assert created["competencies"] == ["M.7", "T.1"] and created["is_classroom"] is True
    coaching = await post_ok(
        client, world.staff, "trainings",
        _training(title="Coaching", form="coaching", hours_jp=2.5, start_date="2024-06-01",
                  end_date=None, competencies=[]),
        hr_a,
    )  # fmt: skip
    assert coaching["is_classroom"] is False and coaching["hours_jp"] == 2.5
    listed = await client.get(url(world.staff, "trainings"), headers=hr_a)
    assert [t["id"] for t in listed.json()["items"]] == [coaching["id"], created["id"]]

    item = url(world.staff, f"trainings/{created['id']}")
    patched = await client.patch(
        item, json={"competencies": ["M.1"], "hours_jp": 32}, headers={**hr_a, "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["competencies"] == ["M.1"] and patched.json()["hours_jp"] == 32
    assert (await client.delete(item, headers=hr_a)).status_code == 204
    audit = await client.get("/api/v1/audit", params={"entity_id": created["id"]}, headers=admin)
    assert [e["action"] for e in audit.json()["items"]] == [
        "training.deleted",
        "training.updated",
        "training.created",
    ]


async def test_training_validation(client: AsyncClient, world: World, hr_a: Headers) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        (_training(hours_jp=0), "hours_jp"),
        (_training(hours_jp=-3), "hours_jp"),
        (_training(hours_jp=1.25), "hours_jp"),
        (_training(form="lecture"), "form"),
        (_training(end_date="2024-03-01"), "end_date"),
        (_training(competencies=["T.2"]), "competencies"),  # agency B's technical one
        (_training(competencies=["M.1", "X.99"]), "competencies"),
        (_training(title=""), "title"),
    ]
    for body, field in cases:
        response = await client.post(url(world.staff, "trainings"), json=body, headers=hr_a)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"][0]["loc"][:2] == ["body", field], response.text
    created = await post_ok(client, world.staff, "trainings", _training(), hr_a)
    item = url(world.staff, f"trainings/{created['id']}")
    response = await client.patch(item, json={"end_date": "2020-01-01"}, headers=hr_a)
    assert response.status_code == 422
    assert (await client.patch(item, json={"title": None}, headers=hr_a)).status_code == 422


async def test_trainings_access(
    client: AsyncClient, world: World, hr_a: Headers, hr_b: Headers, as_staff: Headers,
    as_chief: Headers,
) -> None:  # fmt: skip
    created = await post_ok(client, world.staff, "trainings", _training(), hr_a)
    item = url(world.staff, f"trainings/{created['id']}")
    assert (await client.get(url(world.staff, "trainings"))).status_code == 401
    assert (await client.get(url(world.staff, "trainings"), headers=hr_b)).status_code == 404
    assert (await client.get(item, headers=hr_b)).status_code == 404
    for headers in (as_staff, as_chief):
        assert (await client.get(item, headers=headers)).status_code == 200
        post = await client.post(url(world.staff, "trainings"), json=_training(), headers=headers)
        assert post.status_code == 403
        assert (await client.delete(item, headers=headers)).status_code == 403
