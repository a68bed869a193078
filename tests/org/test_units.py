"""Unit trees: paths, no cycles, moves that carry the subtree, scope, filters."""

import uuid

import psycopg
from httpx import AsyncClient

from asn_career.core.auth import Role
from asn_career.core.db import libpq_url
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.org.conftest import Org


async def test_create_root_and_child_with_paths(
    client: AsyncClient, org: Org, hr_a: dict[str, str], admin: dict[str, str]
) -> None:
    root = await org.unit(AGENCY_A, "DISDIK", kind="dinas", headers=hr_a)
    assert root["path"] == [root["id"]] and root["parent_id"] is None
    assert root["agency_code"] == AGENCY_A
    child = await org.unit(AGENCY_A, "SDN-01", kind="sekolah", parent_id=root["id"])
    assert child["path"] == [root["id"], child["id"]]
    fetched = await client.get(f"/api/v1/units/{child['id']}", headers=hr_a)
    assert fetched.status_code == 200 and fetched.json() == child
    assert fetched.headers["etag"] == '"1"'
    audit = await client.get("/api/v1/audit?action=unit.created", headers=admin)
    assert {e["entity_id"] for e in audit.json()["items"]} == {root["id"], child["id"]}


async def test_create_returns_location(client: AsyncClient, org: Org, hr_a: dict[str, str]) -> None:
    response = await client.post(
        f"/api/v1/agencies/{AGENCY_A}/units",
        json={"code": "BAPPEDA", "name": "Bappeda", "kind": "badan"},
        headers=hr_a,
    )
    assert response.status_code == 201
    assert response.headers["location"] == f"/api/v1/units/{response.json()['id']}"


async def test_unit_kind_must_be_known(client: AsyncClient, org: Org, hr_a: dict[str, str]) -> None:
    response = await client.post(
        f"/api/v1/agencies/{AGENCY_A}/units",
        json={"code": "X", "name": "X", "kind": "kementerian"},
        headers=hr_a,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "kind"]


async def test_unit_code_unique_per_agency(
    client: AsyncClient, org: Org, hr_a: dict[str, str]
) -> None:
    await org.unit(AGENCY_A, "DINKES")
    await org.unit(AGENCY_B, "DINKES")  # another agency may reuse it
    again = await client.post(
        f"/api/v1/agencies/{AGENCY_A}/units",
        json={"code": "DINKES", "name": "Dinas Kesehatan", "kind": "dinas"},
        headers=hr_a,
    )
    assert again.status_code == 409
    other = await org.unit(AGENCY_A, "DISKOMINFO")
    rename = await client.patch(
        f"/api/v1/units/{other['id']}", json={"code": "DINKES"}, headers=hr_a
    )
    assert rename.status_code == 409


async def test_parent_must_be_in_the_same_agency(
    client: AsyncClient, org: Org, admin: dict[str, str]
) -> None:
    b_root = await org.unit(AGENCY_B, "KEC-ALAK", kind="kecamatan")
    response = await client.post(
        f"/api/v1/agencies/{AGENCY_A}/units",
        json={"code": "KEL-1", "name": "Kelurahan", "kind": "kelurahan", "parent_id": b_root["id"]},
        headers=admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "parent_id"]
    a_root = await org.unit(AGENCY_A, "SETDA", kind="sekretariat")
    move = await client.patch(
        f"/api/v1/units/{a_root['id']}", json={"parent_id": b_root["id"]}, headers=admin
    )
    assert move.status_code == 422
    unknown = await client.patch(
        f"/api/v1/units/{a_root['id']}", json={"parent_id": str(uuid.uuid4())}, headers=admin
    )
    assert unknown.status_code == 422


async def test_moving_under_itself_or_a_descendant_is_422(
    client: AsyncClient, org: Org, hr_a: dict[str, str]
) -> None:
    root = await org.unit(AGENCY_A, "DISDIK")
    middle = await org.unit(AGENCY_A, "BID-SD", kind="bidang", parent_id=root["id"])
    leaf = await org.unit(AGENCY_A, "SEKSI-1", kind="seksi", parent_id=middle["id"])
    for target in (root, middle, leaf):
        response = await client.patch(
            f"/api/v1/units/{root['id']}", json={"parent_id": target["id"]}, headers=hr_a
        )
        assert response.status_code == 422, target["code"]
        assert response.json()["errors"][0]["type"] == "unit_cycle"
    unchanged = await client.get(f"/api/v1/units/{root['id']}", headers=hr_a)
    assert unchanged.json()["version"] == 1 and unchanged.json()["parent_id"] is None


async def test_moving_a_unit_rewrites_the_paths_of_its_whole_subtree(
    client: AsyncClient, org: Org, hr_a: dict[str, str], admin: dict[str, str]
) -> None:
    old_root = await org.unit(AGENCY_A, "SETDA", kind="sekretariat")
    new_root = await org.unit(AGENCY_A, "INSPEKTORAT", kind="inspektorat")
    bagian = await org.unit(AGENCY_A, "BAG-HUKUM", kind="bagian", parent_id=old_root["id"])
    sub = await org.unit(AGENCY_A, "SUBBAG-1", kind="subbagian", parent_id=bagian["id"])
    deeper = await org.unit(AGENCY_A, "SUBBAG-1A", kind="subbagian", parent_id=sub["id"])
    bystander = await org.unit(AGENCY_A, "BAG-UMUM", kind="bagian", parent_id=old_root["id"])

    moved = await client.patch(
        f"/api/v1/units/{bagian['id']}",
        json={"parent_id": new_root["id"], "name": "Bagian Hukum"},
        headers={**hr_a, "If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["path"] == [new_root["id"], bagian["id"]]
    assert moved.json()["parent_id"] == new_root["id"]
    assert moved.headers["etag"] == '"2"'

    async def path_of(unit: dict[str, str]) -> list[str]:
        response = await client.get(f"/api/v1/units/{unit['id']}", headers=hr_a)
        return list(response.json()["path"])

    assert await path_of(sub) == [new_root["id"], bagian["id"], sub["id"]]
    assert await path_of(deeper) == [new_root["id"], bagian["id"], sub["id"], deeper["id"]]
    assert await path_of(bystander) == [old_root["id"], bystander["id"]]
    assert (await client.get(f"/api/v1/units/{sub['id']}", headers=hr_a)).json()["version"] == 2

    # …and to the top: an explicit null makes it a root, the subtree follows again.
    root = await client.patch(
        f"/api/v1/units/{bagian['id']}", json={"parent_id": None}, headers=hr_a
    )
    assert root.json()["path"] == [bagian["id"]] and root.json()["parent_id"] is None
    assert await path_of(deeper) == [bagian["id"], sub["id"], deeper["id"]]

    # A subtree listing follows the new paths.
    under = await client.get(
        f"/api/v1/agencies/{AGENCY_A}/units?under={bagian['id']}", headers=hr_a
    )
    assert {u["id"] for u in under.json()["items"]} == {bagian["id"], sub["id"], deeper["id"]}

    audit = await client.get("/api/v1/audit?action=unit.updated", headers=admin)
    entries = audit.json()["items"]
    assert all(e["entity_id"] == bagian["id"] for e in entries)
    assert entries[-1]["changes"]["parent_id"] == {
        "before": old_root["id"],
        "after": new_root["id"],
    }
    assert entries[-1]["changes"]["descendants_moved"]["after"] == 2


async def test_stale_if_match_on_unit_is_412(
    client: AsyncClient, org: Org, hr_a: dict[str, str]
) -> None:
    unit = await org.unit(AGENCY_A, "DISPORA")
    ok = await client.patch(f"/api/v1/units/{unit['id']}", json={"name": "A"}, headers=hr_a)
    assert ok.status_code == 200
    stale = await client.patch(
        f"/api/v1/units/{unit['id']}", json={"name": "B"}, headers={**hr_a, "If-Match": '"1"'}
    )
    assert stale.status_code == 412


async def test_listing_filters_and_pages(
    client: AsyncClient, org: Org, hr_a: dict[str, str]
) -> None:
    dinkes = await org.unit(AGENCY_A, "DINKES")
    for n in range(3):
        await org.unit(AGENCY_A, f"PKM-{n}", kind="puskesmas", parent_id=dinkes["id"])
    disdik = await org.unit(AGENCY_A, "DISDIK")
    await org.unit(AGENCY_A, "SDN-1", kind="sekolah", parent_id=disdik["id"])
    await org.unit(AGENCY_B, "PKM-B", kind="puskesmas")
    base = f"/api/v1/agencies/{AGENCY_A}/units"

    everything = await client.get(base, headers=hr_a)
    assert len(everything.json()["items"]) == 6
    children = await client.get(f"{base}?parent_id={dinkes['id']}", headers=hr_a)
    assert [u["code"] for u in children.json()["items"]] == ["PKM-0", "PKM-1", "PKM-2"]
    schools = await client.get(f"{base}?kind=sekolah", headers=hr_a)
    assert [u["code"] for u in schools.json()["items"]] == ["SDN-1"]
    roots = await client.get(f"{base}?roots_only=true", headers=hr_a)
    assert [u["code"] for u in roots.json()["items"]] == ["DINKES", "DISDIK"]

    seen: list[str] = []
    url = f"{base}?limit=4"
    while url:
        page = (await client.get(url, headers=hr_a)).json()
        seen += [u["code"] for u in page["items"]]
        url = f"{base}?limit=4&cursor={page['next_cursor']}" if page["next_cursor"] else ""
    assert seen == sorted(seen) and len(seen) == 6


async def test_other_agencies_units_are_404_for_every_role(
    client: AsyncClient, org: Org, auth: TokenFactory
) -> None:
    unit = await org.unit(AGENCY_A, "BKPSDM", kind="badan")
    for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        headers = auth(role, AGENCY_B)
        assert (await client.get(f"/api/v1/units/{unit['id']}", headers=headers)).status_code == 404
        listing = await client.get(f"/api/v1/agencies/{AGENCY_A}/units", headers=headers)
        assert listing.status_code == 404
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    patch = await client.patch(f"/api/v1/units/{unit['id']}", json={}, headers=hr_b)
    assert patch.status_code == 404
    post = await client.post(f"/api/v1/agencies/{AGENCY_A}/units", json={}, headers=hr_b)
    assert post.status_code == 404


async def test_units_need_credentials_and_hr_rights(
    client: AsyncClient, org: Org, auth: TokenFactory
) -> None:
    unit = await org.unit(AGENCY_A, "BKPSDM", kind="badan")
    assert (await client.get(f"/api/v1/units/{unit['id']}")).status_code == 401
    assert (await client.get(f"/api/v1/agencies/{AGENCY_A}/units")).status_code == 401
    body = {"code": "X", "name": "X", "kind": "seksi"}
    for role in (Role.SUPERVISOR, Role.EMPLOYEE):
        headers = auth(role, AGENCY_A)
        assert (await client.get(f"/api/v1/units/{unit['id']}", headers=headers)).status_code == 200
        post = await client.post(f"/api/v1/agencies/{AGENCY_A}/units", json=body, headers=headers)
        assert post.status_code == 403
        patch = await client.patch(f"/api/v1/units/{unit['id']}", json=body, headers=headers)
        assert patch.status_code == 403


async def test_descendant_paths_move_in_one_statement(
    client: AsyncClient, org: Org, hr_a: dict[str, str], database_url: str
) -> None:
    """Checked on the database itself: every path starts at a root and ends at the unit."""
    a = await org.unit(AGENCY_A, "A")
    b = await org.unit(AGENCY_A, "B")
    parent = a
    for n in range(5):
        parent = await org.unit(AGENCY_A, f"A-{n}", kind="seksi", parent_id=parent["id"])
    await client.patch(f"/api/v1/units/{a['id']}", json={"parent_id": b["id"]}, headers=hr_a)
    with psycopg.connect(libpq_url(database_url)) as conn:
        rows = conn.execute(
            "SELECT id, parent_id, path FROM units WHERE agency_code = %s", (AGENCY_A,)
        ).fetchall()
    by_id = {row[0]: row for row in rows}
    for unit_id, parent_id, path in rows:
        assert path[-1] == unit_id
        expected = [unit_id]
        while parent_id is not None:
            expected.insert(0, parent_id)
            parent_id = by_id[parent_id][1]
        assert path == expected
