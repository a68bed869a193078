"""The audit trail and keyset pagination, through the platform's own API keys."""

from httpx import AsyncClient

from asn_career.core.audit.service import diff
from asn_career.core.auth import Role
from tests.conftest import TokenFactory


async def _create_keys(client: AsyncClient, admin: dict[str, str], count: int) -> list[str]:
    ids = []
    for i in range(count):
        response = await client.post(
            "/api/v1/api-keys",
            json={"name": f"client {i}", "agencies": ["36.74"], "scopes": ["jobs:read"]},
            headers=admin,
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


async def test_every_change_is_audited_with_before_and_after(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    [key_id] = await _create_keys(client, admin, 1)
    await client.patch(f"/api/v1/api-keys/{key_id}", json={"name": "renamed"}, headers=admin)
    await client.delete(f"/api/v1/api-keys/{key_id}", headers=admin)

    response = await client.get(
        "/api/v1/audit", params={"entity_type": "api_key", "entity_id": key_id}, headers=admin
    )
    assert response.status_code == 200
    entries = response.json()["items"]
    assert [e["action"] for e in entries] == [
        "api_key.revoked",
        "api_key.updated",
        "api_key.created",
    ]
    updated = entries[1]
    assert updated["changes"] == {"name": {"before": "client 0", "after": "renamed"}}
    assert updated["actor"] == "admin@all" and updated["actor_role"] == "admin"
    assert updated["request_id"]


async def test_failed_change_leaves_no_audit_row(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/api-keys",
        json={"name": "x", "agencies": ["36.74"], "scopes": ["no-such-scope"]},
        headers=admin,
    )
    assert response.status_code == 422
    audit = (await client.get("/api/v1/audit", headers=admin)).json()
    assert audit["items"] == []


async def test_audit_is_for_admins_only(client: AsyncClient, auth: TokenFactory) -> None:
    for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        response = await client.get("/api/v1/audit", headers=auth(role, "36.74"))
        assert response.status_code == 403


def test_personal_identifiers_are_masked_in_audit_diffs() -> None:
    changes = diff({"nik": "3674010101900001", "name": "A"}, {"nik": "3674010101900002"})
    assert changes["nik"] == {"before": "[masked]", "after": "[masked]"}
    assert "3674" not in str(changes)
    assert changes["name"] == {"before": "A", "after": None}


async def test_pages_are_stable_and_complete(client: AsyncClient, admin: dict[str, str]) -> None:
    created = await _create_keys(client, admin, 7)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/api/v1/api-keys", params=params, headers=admin)).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == created  # creation order, nothing lost, nothing twice


async def test_tampered_cursor_is_422(client: AsyncClient, admin: dict[str, str]) -> None:
    await _create_keys(client, admin, 3)
    body = (await client.get("/api/v1/api-keys?limit=1", headers=admin)).json()
    cursor = body["next_cursor"]
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    for bad in (tampered, "not-a-cursor", "e30"):
        response = await client.get(f"/api/v1/api-keys?cursor={bad}", headers=admin)
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["loc"] == ["query", "cursor"]
