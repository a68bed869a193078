"""Integration clients reach histories with the employees:read / employees:write scopes."""

from httpx import AsyncClient

from tests.conftest import AGENCY_A, AGENCY_B
from tests.profiles.histories.conftest import Headers, World, url


async def _key(client: AsyncClient, admin: Headers, agency: str, *scopes: str) -> Headers:
    response = await client.post(
        "/api/v1/api-keys",
        json={"name": f"siasn {agency} {scopes}", "agencies": [agency], "scopes": list(scopes)},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return {"X-API-Key": response.json()["key"]}


async def test_scopes_decide_read_and_write(
    client: AsyncClient, world: World, admin: Headers
) -> None:
    reader = await _key(client, admin, AGENCY_A, "employees:read")
    writer = await _key(client, admin, AGENCY_A, "employees:read", "employees:write")
    other = await _key(client, admin, AGENCY_B, "employees:read", "employees:write")
    body = {"level": "S1", "field": "Teknik Informatika", "graduation_year": 2010}
    path = url(world.staff, "education")
    assert (await client.post(path, json=body, headers=reader)).status_code == 403
    created = await client.post(path, json=body, headers=writer)
    assert created.status_code == 201, created.text
    assert (await client.get(path, headers=reader)).status_code == 200
    assert (await client.get(path, headers=other)).status_code == 404
    assert (await client.post(path, json=body, headers=other)).status_code == 404
    rating = {"year": 2024, "period": "annual", "results": "above", "behaviour": "above"}
    response = await client.post(url(world.staff, "performance"), json=rating, headers=writer)
    assert response.status_code == 201
