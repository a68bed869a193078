"""Agencies: admins create; everyone reads their own; HR renames its own."""

from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.org.conftest import Org


async def test_admin_creates_an_agency_with_location_etag_and_audit(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/agencies",
        json={
            "code": AGENCY_A,
            "name": "Pemerintah Kota Tangerang Selatan",
            "region_code": AGENCY_A,
        },
        headers=admin,
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/agencies/{AGENCY_A}"
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["code"] == AGENCY_A and body["version"] == 1
    audit = await client.get("/api/v1/audit?action=agency.created", headers=admin)
    [entry] = audit.json()["items"]
    assert entry["entity_id"] == AGENCY_A and entry["agency_code"] == AGENCY_A
    assert entry["changes"]["name"]["after"] == "Pemerintah Kota Tangerang Selatan"


async def test_duplicate_agency_is_409(
    client: AsyncClient, org: Org, admin: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/agencies",
        json={"code": AGENCY_A, "name": "Lagi", "region_code": AGENCY_A},
        headers=admin,
    )
    assert response.status_code == 409


async def test_agency_code_format_is_validated(client: AsyncClient, admin: dict[str, str]) -> None:
    for code in ("3674", "36.7", "36.74.", "x6.74", "36.74.01.02.03", "\u0663\u0666.74"):
        response = await client.post(
            "/api/v1/agencies",
            json={"code": code, "name": "X", "region_code": "36.74"},
            headers=admin,
        )
        assert response.status_code == 422, code
        assert response.json()["errors"][0]["loc"] == ["body", "code"]
    ok = await client.post(
        "/api/v1/agencies",
        json={"code": "53.71.01", "name": "Kecamatan Alak", "region_code": "53.71.01"},
        headers=admin,
    )
    assert ok.status_code == 201


async def test_only_admins_create_agencies(client: AsyncClient, auth: TokenFactory) -> None:
    body = {"code": "36.73", "name": "Pemerintah Kota Serang", "region_code": "36.73"}
    assert (await client.post("/api/v1/agencies", json=body)).status_code == 401
    for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        response = await client.post("/api/v1/agencies", json=body, headers=auth(role, "36.73"))
        assert response.status_code == 403, role


async def test_reading_is_limited_to_own_agencies(
    client: AsyncClient, org: Org, admin: dict[str, str], auth: TokenFactory
) -> None:
    everything = await client.get("/api/v1/agencies", headers=admin)
    assert [a["code"] for a in everything.json()["items"]] == [AGENCY_A, AGENCY_B]
    for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        headers = auth(role, AGENCY_B)
        own = await client.get("/api/v1/agencies", headers=headers)
        assert [a["code"] for a in own.json()["items"]] == [AGENCY_B]
        assert (
            await client.get(f"/api/v1/agencies/{AGENCY_B}", headers=headers)
        ).status_code == 200
        other = await client.get(f"/api/v1/agencies/{AGENCY_A}", headers=headers)
        assert other.status_code == 404
    assert (await client.get("/api/v1/agencies")).status_code == 401
    assert (await client.get(f"/api/v1/agencies/{AGENCY_A}")).status_code == 401


async def test_agencies_page_by_code(client: AsyncClient, org: Org, admin: dict[str, str]) -> None:
    await org.agency("36.73")
    first = await client.get("/api/v1/agencies?limit=2", headers=admin)
    assert [a["code"] for a in first.json()["items"]] == ["36.73", AGENCY_A]
    cursor = first.json()["next_cursor"]
    second = await client.get(f"/api/v1/agencies?limit=2&cursor={cursor}", headers=admin)
    assert [a["code"] for a in second.json()["items"]] == [AGENCY_B]
    assert second.json()["next_cursor"] is None


async def test_hr_renames_its_own_agency_but_not_its_region(
    client: AsyncClient, org: Org, hr_a: dict[str, str], hr_b: dict[str, str], admin: dict[str, str]
) -> None:
    url = f"/api/v1/agencies/{AGENCY_A}"
    renamed = await client.patch(
        url, json={"name": "Pemkot Tangerang Selatan"}, headers={**hr_a, "If-Match": '"1"'}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Pemkot Tangerang Selatan"
    assert renamed.headers["etag"] == '"2"'
    stale = await client.patch(url, json={"name": "X"}, headers={**hr_a, "If-Match": '"1"'})
    assert stale.status_code == 412
    region = await client.patch(url, json={"region_code": "36.73"}, headers=hr_a)
    assert region.status_code == 403
    same_region = await client.patch(url, json={"region_code": AGENCY_A}, headers=hr_a)
    assert same_region.status_code == 200
    assert (await client.patch(url, json={"name": "Y"}, headers=hr_b)).status_code == 404
    assert (await client.patch(url, json={"name": "Y"})).status_code == 401
    by_admin = await client.patch(url, json={"region_code": "36.73"}, headers=admin)
    assert by_admin.status_code == 200 and by_admin.json()["region_code"] == "36.73"
    audit = await client.get("/api/v1/audit?action=agency.updated", headers=admin)
    changes = [e["changes"] for e in audit.json()["items"]]
    assert {"region_code": {"before": AGENCY_A, "after": "36.73"}} in changes


async def test_supervisors_and_employees_do_not_edit_agencies(
    client: AsyncClient, org: Org, auth: TokenFactory
) -> None:
    for role in (Role.SUPERVISOR, Role.EMPLOYEE):
        response = await client.patch(
            f"/api/v1/agencies/{AGENCY_A}", json={"name": "X"}, headers=auth(role, AGENCY_A)
        )
        assert response.status_code == 403


async def test_agency_text_that_postgres_cannot_store_is_422(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    for name in ("a\x00b", "   "):
        response = await client.post(
            "/api/v1/agencies",
            json={"code": AGENCY_A, "name": name, "region_code": AGENCY_A},
            headers=admin,
        )
        assert response.status_code == 422, name
    lone_surrogate = b'{"code": "36.74", "name": "\\ud800", "region_code": "36.74"}'
    response = await client.post(
        "/api/v1/agencies",
        content=lone_surrogate,
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
