"""Values are taken as the OpenAPI document writes them (dates and timestamps from ISO
strings, flags from JSON booleans), and ``/competencies/current`` is never an entry id:
what schemathesis found with every check on (issue 9, item 14)."""

from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import AGENCY_A
from tests.imports.test_webhook_delivery import make_agency
from tests.profiles.histories.conftest import Headers, World, url


def _error_locs(response: Any) -> list[list[str]]:
    return [e["loc"] for e in response.json()["errors"]]


@pytest.mark.parametrize("value", [0, 1700000000, 0.5, True, "0", "1700000000"])
async def test_a_date_is_an_iso_string_only(
    client: AsyncClient, world: World, hr_a: Headers, value: object
) -> None:
    body = {"position_id": str(world.desk), "start_date": "2024-01-02", "decree_date": value}
    response = await client.post(url(world.staff, "assignments"), json=body, headers=hr_a)
    assert response.status_code == 422, response.text
    assert _error_locs(response) == [["body", "decree_date"]]


async def test_history_dates_and_flags_refuse_numbers(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    body = {"position_id": str(world.desk), "start_date": 0, "is_primary": 0}
    response = await client.post(url(world.staff, "assignments"), json=body, headers=hr_a)
    assert response.status_code == 422, response.text
    assert sorted(_error_locs(response)) == [["body", "is_primary"], ["body", "start_date"]]


async def test_iso_strings_and_booleans_are_still_taken(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    body = {"position_id": str(world.desk), "start_date": "2024-01-02", "is_primary": False}
    response = await client.post(url(world.staff, "assignments"), json=body, headers=hr_a)
    assert response.status_code == 201, response.text
    assert response.json()["start_date"] == "2024-01-02"


@pytest.mark.parametrize("value", [0, "true", "false"])
async def test_a_webhook_flag_is_a_json_boolean_only(
    client: AsyncClient, admin: Headers, value: object
) -> None:
    await make_agency(client, admin, AGENCY_A)
    body = {
        "url": "https://simpeg.example.go.id/hooks/asn",
        "event_types": ["employee.created"],
        "agency": AGENCY_A,
        "active": value,
    }
    response = await client.post("/api/v1/webhooks", json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert _error_locs(response) == [["body", "active"]]


@pytest.mark.parametrize("param", ["since", "until"])
@pytest.mark.parametrize("value", ["0.5", "0", "1700000000"])
async def test_an_audit_bound_is_an_iso_timestamp_only(
    client: AsyncClient, admin: Headers, param: str, value: str
) -> None:
    response = await client.get("/api/v1/audit", params={param: value}, headers=admin)
    assert response.status_code == 422, response.text
    assert _error_locs(response) == [["query", param]]


async def test_an_audit_bound_takes_a_date_or_a_timestamp(
    client: AsyncClient, admin: Headers
) -> None:
    params = {"since": "2026-01-01", "until": "2026-01-31T08:00:00Z"}
    response = await client.get("/api/v1/audit", params=params, headers=admin)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("value", ["1", "0", "yes", "on"])
async def test_a_query_flag_is_true_or_false_only(
    client: AsyncClient, admin: Headers, value: str
) -> None:
    response = await client.get("/api/v1/positions", params={"vacant": value}, headers=admin)
    assert response.status_code == 422, response.text
    assert _error_locs(response) == [["query", "vacant"]]
    taken = await client.get("/api/v1/positions", params={"vacant": "false"}, headers=admin)
    assert taken.status_code == 200, taken.text


@pytest.mark.parametrize("method", ["PATCH", "DELETE", "PUT"])
async def test_writing_to_the_current_competencies_is_a_405(
    client: AsyncClient, world: World, hr_a: Headers, method: str
) -> None:
    """``current`` is a fixed path beside the entries, not an assessment id."""
    response = await client.request(
        method, url(world.staff, "competencies/current"), json={}, headers=hr_a
    )
    assert response.status_code == 405, response.text
    assert response.headers["Allow"] == "GET, HEAD"


async def test_the_current_competencies_advertise_only_reading(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    response = await client.options(url(world.staff, "competencies/current"), headers=hr_a)
    assert response.status_code == 405, response.text
    assert response.headers["Allow"] == "GET, HEAD"
