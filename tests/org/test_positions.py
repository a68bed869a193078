"""Positions: shape rules, rank ranges, requirements, reporting lines, vacancy, scope."""

import uuid
from typing import Any

import psycopg
import pytest
from httpx import AsyncClient

from asn_career.core.auth import Role
from asn_career.core.db import libpq_url
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.org.conftest import Org


@pytest.fixture
async def unit_a(org: Org) -> dict[str, Any]:
    return await org.unit(AGENCY_A, "BKPSDM", kind="badan")


@pytest.fixture
async def unit_b(org: Org) -> dict[str, Any]:
    return await org.unit(AGENCY_B, "BKPSDM", kind="badan")


def _hold(database_url: str, position_id: str, *, end: str | None = None, primary: bool = True,
          nip: str = "198609262015051001") -> None:  # fmt: skip
    """Someone holds the position: an employee and an assignment, written directly (the
    profiles API is built separately)."""
    with psycopg.connect(libpq_url(database_url)) as conn:
        employee = conn.execute("SELECT id FROM employees WHERE nip = %s", (nip,)).fetchone()
        if employee is None:
            employee = conn.execute(
                "INSERT INTO employees (id, nip, name, gender, birth_date, employment_type,"
                " appointment_date, agency_code) VALUES (%s, %s, 'Sampel', '1', '1986-09-26',"
                " 'pns', '2015-05-01', %s) RETURNING id",
                (uuid.uuid4(), nip, AGENCY_A),
            ).fetchone()
        assert employee is not None
        conn.execute(
            "INSERT INTO assignments (id, employee_id, position_id, start_date, end_date,"
            " is_primary) VALUES (%s, %s, %s, '2020-01-01', %s, %s)",
            (uuid.uuid4(), employee[0], position_id, end, primary),
        )


async def test_create_a_fungsional_position_with_requirements(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], hr_a: dict[str, str],
    admin: dict[str, str],
) -> None:  # fmt: skip
    technical = await org.technical(AGENCY_A)
    response = await client.post(
        "/api/v1/positions",
        json={
            "code": "ANALIS-SDM-AP",
            "title": "Analis SDM Aparatur Ahli Pertama",
            "unit_id": unit_a["id"],
            "kind": "fungsional",
            "functional_level": "ahli_pertama",
            "min_rank": "III/a",
            "max_rank": "III/b",
            "required_competencies": [
                {"code": "M.1", "level": 1},
                {"code": "SK.1", "level": 1},
                {"code": technical["code"], "level": 3},
            ],
            "preferred_education_fields": ["Psikologi", "Manajemen SDM"],
        },
        headers=hr_a,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/v1/positions/{body['id']}"
    assert response.headers["etag"] == '"1"'
    assert body["agency_code"] == AGENCY_A and body["unit_id"] == unit_a["id"]
    assert body["is_vacant"] is True and body["is_shared"] is False
    assert [(r["code"], r["level"], r["kind"]) for r in body["required_competencies"]] == [
        ("M.1", 1, "managerial"),
        ("SK.1", 1, "socio_cultural"),
        ("T.1", 3, "technical"),
    ]
    assert body["preferred_education_fields"] == ["Psikologi", "Manajemen SDM"]
    fetched = await client.get(f"/api/v1/positions/{body['id']}", headers=hr_a)
    assert fetched.json() == body and fetched.headers["etag"] == '"1"'
    audit = await client.get("/api/v1/audit?action=position.created", headers=admin)
    [entry] = audit.json()["items"]
    assert entry["changes"]["required_competencies"]["after"] == ["M.1:1", "SK.1:1", "T.1:3"]


@pytest.mark.parametrize(
    ("fields", "loc", "kind"),
    [
        ({"min_rank": "IV/a", "max_rank": "III/d"}, "max_rank", "rank_range_inverted"),
        ({"min_rank": "III/a", "max_rank": "XI"}, "max_rank", "rank_scale_mismatch"),
        ({"min_rank": "III/z"}, "min_rank", "unknown_rank"),
        ({"kind": "fungsional"}, "functional_level", "functional_level_required"),
        ({"functional_level": "mahir"}, "functional_level", "functional_level_not_allowed"),
    ],
)
async def test_position_shape_rules(
    client: AsyncClient, unit_a: dict[str, Any], hr_a: dict[str, str],
    fields: dict[str, Any], loc: str, kind: str,
) -> None:  # fmt: skip
    body = {"code": "P", "title": "P", "unit_id": unit_a["id"], "kind": "pelaksana", **fields}
    response = await client.post("/api/v1/positions", json=body, headers=hr_a)
    assert response.status_code == 422, response.text
    assert {"loc": ["body", loc], "type": kind} in [
        {"loc": e["loc"], "type": e["type"]} for e in response.json()["errors"]
    ]


async def test_valid_rank_ranges(client: AsyncClient, org: Org, unit_a: dict[str, Any]) -> None:
    same = await org.position(unit_a["id"], "P1", min_rank="II/a", max_rank="II/a")
    assert (same["min_rank"], same["max_rank"]) == ("II/a", "II/a")
    pppk = await org.position(unit_a["id"], "P2", min_rank="V", max_rank="IX")
    assert (pppk["min_rank"], pppk["max_rank"]) == ("V", "IX")
    open_top = await org.position(unit_a["id"], "P3", min_rank="III/c")
    assert open_top["max_rank"] is None


async def test_an_expertise_level_keeps_its_ranks(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], hr_a: dict[str, str]
) -> None:
    body = {
        "code": "ANALIS-AP",
        "title": "Analis Kebijakan Ahli Pertama",
        "unit_id": unit_a["id"],
        "kind": "fungsional",
        "functional_level": "ahli_pertama",
        "min_rank": "III/a",
        "max_rank": "IV/a",
    }
    refused = await client.post("/api/v1/positions", json=body, headers=hr_a)
    assert refused.status_code == 422
    assert [(e["loc"], e["type"]) for e in refused.json()["errors"]] == [
        (["body", "max_rank"], "rank_outside_functional_level")
    ]
    created = await client.post(
        "/api/v1/positions", json={**body, "max_rank": "III/b"}, headers=hr_a
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/positions/{created.json()['id']}"
    promoted = await client.patch(url, json={"functional_level": "ahli_muda"}, headers=hr_a)
    assert promoted.status_code == 422  # III/a–III/b is no ahli muda range
    both = await client.patch(
        url,
        json={"functional_level": "ahli_muda", "min_rank": "III/c", "max_rank": "III/d"},
        headers=hr_a,
    )
    assert both.status_code == 200, both.text


async def test_patch_revalidates_against_the_stored_values(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], hr_a: dict[str, str]
) -> None:
    position = await org.position(
        unit_a["id"], "GURU", kind="fungsional", functional_level="ahli_pertama",
        min_rank="III/a", max_rank="III/b",
    )  # fmt: skip
    url = f"/api/v1/positions/{position['id']}"
    below = await client.patch(url, json={"max_rank": "II/d"}, headers=hr_a)
    assert below.status_code == 422
    kind_only = await client.patch(url, json={"kind": "pelaksana"}, headers=hr_a)
    assert kind_only.status_code == 422  # the functional level would remain
    both = await client.patch(
        url, json={"kind": "pelaksana", "functional_level": None}, headers=hr_a
    )
    assert both.status_code == 200, both.text
    assert both.json()["functional_level"] is None and both.json()["version"] == 2
    cleared = await client.patch(url, json={"min_rank": None, "max_rank": None}, headers=hr_a)
    assert (cleared.json()["min_rank"], cleared.json()["max_rank"]) == (None, None)


async def test_required_competencies_resolve_among_national_and_own_technical(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], hr_a: dict[str, str]
) -> None:
    await org.technical(AGENCY_B)  # T.1 exists, but in agency B only
    base = {"code": "P", "title": "P", "unit_id": unit_a["id"], "kind": "pelaksana"}
    cases = [
        ([{"code": "T.1", "level": 2}], "unknown_competency"),
        ([{"code": "M.9", "level": 2}], "unknown_competency"),
        ([{"code": "M.1", "level": 2}, {"code": "M.1", "level": 3}], "duplicate_competency"),
    ]
    for required, kind in cases:
        response = await client.post(
            "/api/v1/positions", json={**base, "required_competencies": required}, headers=hr_a
        )
        assert response.status_code == 422, required
        assert response.json()["errors"][0]["type"] == kind
    for level in (0, 6):
        response = await client.post(
            "/api/v1/positions",
            json={**base, "required_competencies": [{"code": "M.1", "level": level}]},
            headers=hr_a,
        )
        assert response.status_code == 422


async def test_patching_requirements_replaces_them_and_changes_the_etag(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], hr_a: dict[str, str]
) -> None:
    position = await org.position(
        unit_a["id"], "KASI", kind="pengawas",
        required_competencies=[{"code": "M.1", "level": 2}, {"code": "M.2", "level": 2}],
    )  # fmt: skip
    url = f"/api/v1/positions/{position['id']}"
    response = await client.patch(
        url,
        json={"required_competencies": [{"code": "M.4", "level": 3}]},
        headers={**hr_a, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert [(r["code"], r["level"]) for r in response.json()["required_competencies"]] == [
        ("M.4", 3)
    ]
    assert response.headers["etag"] == '"2"'
    stale = await client.patch(url, json={"title": "X"}, headers={**hr_a, "If-Match": '"1"'})
    assert stale.status_code == 412
    untouched = await client.patch(url, json={"title": "Kepala Seksi"}, headers=hr_a)
    assert [r["code"] for r in untouched.json()["required_competencies"]] == ["M.4"]


async def test_position_codes_unique_per_agency(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], unit_b: dict[str, Any],
    hr_a: dict[str, str],
) -> None:  # fmt: skip
    await org.position(unit_a["id"], "SEKDIS")
    await org.position(unit_b["id"], "SEKDIS")
    again = await client.post(
        "/api/v1/positions",
        json={"code": "SEKDIS", "title": "x", "unit_id": unit_a["id"], "kind": "pelaksana"},
        headers=hr_a,
    )
    assert again.status_code == 409
    other = await org.position(unit_a["id"], "KABID")
    rename = await client.patch(
        f"/api/v1/positions/{other['id']}", json={"code": "SEKDIS"}, headers=hr_a
    )
    assert rename.status_code == 409


async def test_reporting_line_stays_in_the_agency_and_has_no_cycles(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], unit_b: dict[str, Any],
    hr_a: dict[str, str],
) -> None:  # fmt: skip
    head = await org.position(unit_a["id"], "KABAN", kind="jpt_pratama")
    middle = await org.position(
        unit_a["id"], "KABID", kind="administrator", reports_to_position_id=head["id"]
    )
    low = await org.position(
        unit_a["id"], "KASUBBID", kind="pengawas", reports_to_position_id=middle["id"]
    )
    assert low["reports_to_position_id"] == middle["id"]
    for superior in (low, middle, head):
        response = await client.patch(
            f"/api/v1/positions/{head['id']}",
            json={"reports_to_position_id": superior["id"]},
            headers=hr_a,
        )
        assert response.status_code == 422, superior["code"]
        assert response.json()["errors"][0]["type"] == "reporting_cycle"
    elsewhere = await org.position(unit_b["id"], "KABAN-B", kind="jpt_pratama")
    cross = await client.patch(
        f"/api/v1/positions/{head['id']}",
        json={"reports_to_position_id": elsewhere["id"]},
        headers=hr_a,
    )
    assert cross.status_code == 422
    assert cross.json()["errors"][0]["type"] == "superior_not_found"
    cross_create = await client.post(
        "/api/v1/positions",
        json={"code": "X", "title": "X", "unit_id": unit_a["id"], "kind": "pelaksana",
              "reports_to_position_id": elsewhere["id"]},
        headers=hr_a,
    )  # fmt: skip
    assert cross_create.status_code == 422
    # Re-pointing the middle to nobody, then the head under the low one, is fine.
    detached = await client.patch(
        f"/api/v1/positions/{middle['id']}", json={"reports_to_position_id": None}, headers=hr_a
    )
    assert detached.status_code == 200 and detached.json()["reports_to_position_id"] is None
    ok = await client.patch(
        f"/api/v1/positions/{head['id']}",
        json={"reports_to_position_id": low["id"]},
        headers=hr_a,
    )
    assert ok.status_code == 200


async def test_unit_of_a_position_stays_in_its_agency(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], unit_b: dict[str, Any],
    hr_a: dict[str, str], hr_b: dict[str, str],
) -> None:  # fmt: skip
    position = await org.position(unit_a["id"], "STAF")
    moved_away = await client.patch(
        f"/api/v1/positions/{position['id']}", json={"unit_id": unit_b["id"]}, headers=hr_a
    )
    assert moved_away.status_code == 422
    other_unit = await org.unit(AGENCY_A, "BAPPEDA", kind="badan")
    moved = await client.patch(
        f"/api/v1/positions/{position['id']}", json={"unit_id": other_unit["id"]}, headers=hr_a
    )
    assert moved.status_code == 200 and moved.json()["unit_id"] == other_unit["id"]
    # HR of B cannot place a position in A's unit: the unit is unknown to them.
    foreign = await client.post(
        "/api/v1/positions",
        json={"code": "X", "title": "X", "unit_id": unit_a["id"], "kind": "pelaksana"},
        headers=hr_b,
    )
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["loc"] == ["body", "unit_id"]


async def test_vacancy_is_derived_from_open_primary_assignments(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], hr_a: dict[str, str],
    database_url: str,
) -> None:  # fmt: skip
    held = await org.position(unit_a["id"], "HELD")
    ended = await org.position(unit_a["id"], "ENDED")
    secondary = await org.position(unit_a["id"], "SECONDARY")
    empty = await org.position(unit_a["id"], "EMPTY")
    _hold(database_url, held["id"])
    _hold(database_url, ended["id"], end="2020-12-31", nip="199001012015011001")
    _hold(database_url, secondary["id"], primary=False, nip="199001012015011002")

    async def vacant(position: dict[str, Any]) -> bool:
        response = await client.get(f"/api/v1/positions/{position['id']}", headers=hr_a)
        return bool(response.json()["is_vacant"])

    assert not await vacant(held)
    assert await vacant(ended) and await vacant(secondary) and await vacant(empty)
    only_vacant = await client.get("/api/v1/positions?vacant=true", headers=hr_a)
    assert [p["code"] for p in only_vacant.json()["items"]] == ["EMPTY", "ENDED", "SECONDARY"]
    only_held = await client.get("/api/v1/positions?vacant=false", headers=hr_a)
    assert [(p["code"], p["is_vacant"]) for p in only_held.json()["items"]] == [("HELD", False)]


async def test_list_filters_and_scope(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], unit_b: dict[str, Any],
    hr_a: dict[str, str], auth: TokenFactory, admin: dict[str, str],
) -> None:  # fmt: skip
    school = await org.unit(AGENCY_A, "SDN-1", kind="sekolah", parent_id=unit_a["id"])
    await org.position(unit_a["id"], "KABAN", kind="jpt_pratama")
    await org.position(school["id"], "GURU", kind="fungsional", functional_level="ahli_muda",
                       is_shared=True)  # fmt: skip
    await org.position(unit_b["id"], "KABAN-B", kind="jpt_pratama")

    async def codes(query: str, headers: dict[str, str]) -> list[str]:
        response = await client.get(f"/api/v1/positions{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [p["code"] for p in response.json()["items"]]

    assert await codes("", hr_a) == ["GURU", "KABAN"]
    assert await codes("", admin) == ["GURU", "KABAN", "KABAN-B"]
    assert await codes(f"?agency={AGENCY_B}", admin) == ["KABAN-B"]
    assert await codes(f"?agency={AGENCY_B}", hr_a) == []
    assert await codes(f"?unit_id={unit_a['id']}", hr_a) == ["KABAN"]
    assert await codes(f"?unit_id={unit_a['id']}&include_subunits=true", hr_a) == [
        "GURU",
        "KABAN",
    ]
    assert await codes("?kind=fungsional", hr_a) == ["GURU"]
    assert await codes("?kind=jpt_pratama", auth(Role.EMPLOYEE, AGENCY_B)) == ["KABAN-B"]
    first = await client.get("/api/v1/positions?limit=2", headers=admin)
    cursor = first.json()["next_cursor"]
    rest = await client.get(f"/api/v1/positions?limit=2&cursor={cursor}", headers=admin)
    assert [p["code"] for p in rest.json()["items"]] == ["KABAN-B"]


async def test_positions_need_credentials_and_hr_rights_and_hide_other_agencies(
    client: AsyncClient, org: Org, unit_a: dict[str, Any], auth: TokenFactory
) -> None:
    position = await org.position(unit_a["id"], "STAF")
    url = f"/api/v1/positions/{position['id']}"
    assert (await client.get(url)).status_code == 401
    assert (await client.get("/api/v1/positions")).status_code == 401
    assert (await client.patch(url, json={"title": "x"})).status_code == 401
    assert (await client.post("/api/v1/positions", json={})).status_code == 401
    for role in (Role.SUPERVISOR, Role.EMPLOYEE):
        own = auth(role, AGENCY_A)
        assert (await client.get(url, headers=own)).status_code == 200
        assert (await client.patch(url, json={"title": "x"}, headers=own)).status_code == 403
        created = await client.post(
            "/api/v1/positions",
            json={"code": "Y", "title": "Y", "unit_id": unit_a["id"], "kind": "pelaksana"},
            headers=own,
        )
        assert created.status_code == 403
    for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        other = auth(role, AGENCY_B)
        assert (await client.get(url, headers=other)).status_code == 404
        listing = await client.get("/api/v1/positions", headers=other)
        assert position["id"] not in listing.text
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.patch(url, json={"title": "x"}, headers=hr_b)).status_code == 404
    assert (await client.patch(url, json={"kind": "bogus"}, headers=hr_b)).status_code == 404
