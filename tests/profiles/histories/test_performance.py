"""SKP ratings: the predicate from the matrix, one per year and period, owned by the
supervisor for their reporting line."""

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from asn_career.profiles.histories.rules import supervisor_may_rate, today_in_indonesia
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


THIS_YEAR = today_in_indonesia().year


async def test_supervisor_owns_the_rating_of_their_line(
    client: AsyncClient, world: World, as_chief: Headers, as_staff: Headers, hr_b: Headers
) -> None:
    current = _rating("above", "above", year=THIS_YEAR)
    made = await post_ok(client, world.staff, "performance", current, as_chief)
    assert (made["rated_by"], made["rated_by_role"]) == (world.chief, "supervisor")
    item = url(world.staff, f"performance/{made['id']}")
    assert (
        await client.patch(item, json={"behaviour": "below"}, headers=as_chief)
    ).status_code == 200
    # not their own rating, not outside their line
    own = await client.post(url(world.chief, "performance"), json=current, headers=as_chief)
    assert own.status_code == 403
    outside = await client.post(url(world.other, "performance"), json=current, headers=as_chief)
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


async def test_past_and_hr_recorded_ratings_are_hrs(
    client: AsyncClient, world: World, as_chief: Headers, hr_a: Headers
) -> None:
    """The probe found a supervisor deleting and rewriting any rating of its line,
    including years HR had recorded."""
    past = await client.post(
        url(world.staff, "performance"),
        json=_rating("above", "above", year=THIS_YEAR - 2),
        headers=as_chief,
    )
    assert past.status_code == 403
    assert past.json()["type"].endswith("/rating-forbidden")

    by_hr = await post_ok(
        client, world.staff, "performance", _rating("as_expected", "as_expected"), hr_a
    )
    assert (by_hr["rated_by"], by_hr["rated_by_role"]) == ("hr-a", "hr_officer")
    hr_item = url(world.staff, f"performance/{by_hr['id']}")
    for call in (
        client.patch(hr_item, json={"results": "below"}, headers=as_chief),
        client.delete(hr_item, headers=as_chief),
    ):
        assert (await call).status_code == 403
    current_by_hr = await post_ok(
        client, world.staff, "performance",
        _rating("above", "above", year=THIS_YEAR, period="annual"), hr_a,
    )  # fmt: skip
    patch = await client.patch(
        url(world.staff, f"performance/{current_by_hr['id']}"),
        json={"behaviour": "below"},
        headers=as_chief,
    )
    assert patch.status_code == 403  # current, but HR's

    mine = await post_ok(
        client, world.staff, "performance",
        _rating("above", "above", year=THIS_YEAR, period=_quarter()), as_chief,
    )  # fmt: skip
    mine_item = url(world.staff, f"performance/{mine['id']}")
    moved = await client.patch(mine_item, json={"year": THIS_YEAR - 2}, headers=as_chief)
    assert moved.status_code == 403  # nor moved into the past
    corrected = await client.patch(mine_item, json={"behaviour": "as_expected"}, headers=hr_a)
    assert corrected.status_code == 200
    assert (corrected.json()["rated_by"], corrected.json()["rated_by_role"]) == (
        "hr-a",
        "hr_officer",
    )
    assert (await client.delete(mine_item, headers=as_chief)).status_code == 403
    assert (await client.delete(mine_item, headers=hr_a)).status_code == 204


def _quarter() -> str:
    return f"q{(today_in_indonesia().month - 1) // 3 + 1}"


@pytest.mark.parametrize(
    ("year", "period", "today", "allowed"),
    [
        (2026, "annual", date(2026, 11, 24), True),
        (2025, "annual", date(2026, 2, 28), True),  # last year's, assessed in Jan–Feb
        (2025, "annual", date(2026, 3, 1), False),
        (2026, "q4", date(2026, 11, 24), True),  # the running quarter
        (2026, "q3", date(2026, 11, 24), True),  # the one just ended
        (2026, "q2", date(2026, 11, 24), False),
        (2025, "q4", date(2026, 1, 15), True),
        (2025, "q3", date(2026, 1, 15), False),
        (2027, "q1", date(2026, 11, 24), False),
    ],
)
def test_the_supervisors_periods(year: int, period: str, today: date, allowed: bool) -> None:
    assert supervisor_may_rate(year, period, today) is allowed
