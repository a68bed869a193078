"""SKP ratings: the predicate from the matrix, one per year and period, owned by the
supervisor for their reporting line."""

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from tests.profiles.histories.conftest import Headers, World, post_ok, url


def _rating(results: str, behaviour: str, **extra: Any) -> dict[str, Any]:
    return {"year": 2024, "period": "annual", "results": results, "behaviour": behaviour, **extra}


@pytest.mark.parametrize(
    ("results", "behaviour", "predicate", "label"),
    [
        ("above", "below", "kurang", "Kurang/Misconduct"),
        ("above", "as_expected", "baik", "Baik"),
        ("above", "above", "sangat_baik", "Sangat Baik"),
        ("as_expected", "below", "kurang", "Kurang/Misconduct"),
        ("as_expected", "as_expected", "baik", "Baik"),
        ("as_expected", "above", "baik", "Baik"),
        ("below", "below", "sangat_kurang", "Sangat Kurang"),
        ("below", "as_expected", "butuh_perbaikan", "Butuh Perbaikan"),
        ("below", "above", "butuh_perbaikan", "Butuh Perbaikan"),
    ],
)
async def test_predicate_is_derived_by_the_matrix_through_the_api(
    client: AsyncClient, world: World, hr_a: Headers,
    results: str, behaviour: str, predicate: str, label: str,
) -> None:  # fmt: skip
    created = await post_ok(client, world.staff, "performance", _rating(results, behaviour), hr_a)
    assert (created["predicate"], created["predicate_label"]) == (predicate, label)


async def test_rating_lifecycle_and_uniqueness(
    client: AsyncClient, world: World, hr_a: Headers, admin: Headers
) -> None:
    annual = await post_ok(
        client, world.staff, "performance", _rating("above", "above", score=92.5), hr_a
    )
    assert annual["score"] == 92.5
    q1 = await post_ok(
        client, world.staff, "performance", _rating("as_expected", "as_expected", period="q1"),
        hr_a,
    )  # fmt: skip
    duplicate = await client.post(
        url(world.staff, "performance"), json=_rating("below", "below"), headers=hr_a
    )
    assert duplicate.status_code == 409
    assert annual["id"] in duplicate.json()["detail"]
    # moving q1 onto the annual slot is a conflict as well
    q1_item = url(world.staff, f"performance/{q1['id']}")
    response = await client.patch(q1_item, json={"period": "annual"}, headers=hr_a)
    assert response.status_code == 409
    # changing a rating re-derives the predicate
    patched = await client.patch(q1_item, json={"results": "below"}, headers=hr_a)
    assert patched.status_code == 200
    assert patched.json()["predicate"] == "butuh_perbaikan"
    # another year is another rating; newest first
    await post_ok(client, world.staff, "performance", _rating("below", "below", year=2023), hr_a)
    listed = await client.get(url(world.staff, "performance"), headers=hr_a)
    assert [(r["year"], r["period"]) for r in listed.json()["items"]] == [
        (2024, "q1"),
        (2024, "annual"),
        (2023, "annual"),
    ]
    assert (await client.delete(q1_item, headers=hr_a)).status_code == 204
    audit = await client.get("/api/v1/audit", params={"entity_id": q1["id"]}, headers=admin)
    assert [e["action"] for e in audit.json()["items"]] == [
        "performance.deleted",
        "performance.updated",
        "performance.created",
    ]
    assert audit.json()["items"][1]["changes"]["predicate"] == {
        "before": "baik",
        "after": "butuh_perbaikan",
    }


async def test_rating_validation(client: AsyncClient, world: World, hr_a: Headers) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        (_rating("great", "above"), "results"),
        (_rating("above", "good"), "behaviour"),
        (_rating("above", "above", period="q5"), "period"),
        (_rating("above", "above", score=101), "score"),
        (_rating("above", "above", score=-1), "score"),
        (_rating("above", "above", year=date.today().year + 1), "year"),
        (_rating("above", "above", year=2010), "year"),  # before TMT CPNS 2015
    ]
    for body, field in cases:
        response = await client.post(url(world.staff, "performance"), json=body, headers=hr_a)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"][0]["loc"][:2] == ["body", field], response.text


async def test_supervisor_owns_the_rating_of_their_line(
    client: AsyncClient, world: World, as_chief: Headers, as_staff: Headers, hr_b: Headers
) -> None:
    made = await post_ok(client, world.staff, "performance", _rating("above", "above"), as_chief)
    item = url(world.staff, f"performance/{made['id']}")
    assert (
        await client.patch(item, json={"behaviour": "below"}, headers=as_chief)
    ).status_code == 200
    # not their own rating, not outside their line
    own = await client.post(
        url(world.chief, "performance"), json=_rating("above", "above"), headers=as_chief
    )
    assert own.status_code == 403
    outside = await client.post(
        url(world.other, "performance"), json=_rating("above", "above"), headers=as_chief
    )
    assert outside.status_code == 404
    # the employee reads their ratings but never writes them
    assert (await client.get(url(world.staff, "performance"), headers=as_staff)).status_code == 200
    assert (
        await client.post(
            url(world.staff, "performance"), json=_rating("above", "above", year=2023),
            headers=as_staff,
        )
    ).status_code == 403  # fmt: skip
    assert (await client.patch(item, json={}, headers=as_staff)).status_code == 403
    assert (await client.get(item)).status_code == 401
    assert (await client.get(item, headers=hr_b)).status_code == 404
    assert (await client.delete(item, headers=as_chief)).status_code == 204
