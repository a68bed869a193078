"""Reference data seeded by the migration: ranks and education levels."""

from httpx import AsyncClient

from asn_career.core.auth import Role
from asn_career.org import ranks
from tests.conftest import AGENCY_B, TokenFactory


async def test_ranks_are_ordered_by_scale_then_ordinal_for_every_role(
    client: AsyncClient, auth: TokenFactory
) -> None:
    for role in (Role.ADMIN, Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        response = await client.get("/api/v1/reference/ranks", headers=auth(role, AGENCY_B))
        assert response.status_code == 200
        items = response.json()["items"]
        assert [r["code"] for r in items] == [*ranks.RANKS_PNS, *ranks.RANKS_PPPK]
    assert items[8] == {"code": "III/a", "scale": "pns", "ordinal": 9, "name": "Penata Muda"}


async def test_ranks_filter_by_scale_and_match_the_module(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.get("/api/v1/reference/ranks?scale=pppk", headers=admin)
    items = response.json()["items"]
    assert [r["code"] for r in items] == list(ranks.RANKS_PPPK)
    assert all(r["ordinal"] == ranks.ordinal(r["code"]) for r in items)
    assert (await client.get("/api/v1/reference/ranks?scale=x", headers=admin)).status_code == 422


async def test_education_levels_in_order(client: AsyncClient, auth: TokenFactory) -> None:
    response = await client.get(
        "/api/v1/reference/education-levels", headers=auth(Role.EMPLOYEE, AGENCY_B)
    )
    assert response.status_code == 200
    codes = [e["code"] for e in response.json()["items"]]
    assert codes == ["SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"]


async def test_reference_needs_credentials(client: AsyncClient) -> None:
    for path in ("/api/v1/reference/ranks", "/api/v1/reference/education-levels"):
        assert (await client.get(path)).status_code == 401
