"""``GET /training/needs`` on a small organisation with known gaps."""

from datetime import date
from typing import Any

from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.training.needs.world import YEAR, NeedsWorld

URL = "/api/v1/training/needs"


async def needs(
    client: AsyncClient, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    params.setdefault("year", YEAR)
    response = await client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["next_cursor"] is None
    items: list[dict[str, Any]] = body["items"]
    return items


def by_key(items: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["nip"], i["competency_code"]): i for i in items}


def points(need: dict[str, Any]) -> dict[str, float]:
    return {r["code"]: r["points"] for r in need["reasons"]}


async def test_required_three_current_one_is_a_gap_of_two(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    await world.level("staff0", "M.1", 1)
    await world.level("staff0", "M.2", 4)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    found = by_key(await needs(client, hr, agency=AGENCY_A, nip=world.nip("staff0")))
    assert list(found) == [(world.nip("staff0"), "M.1")]  # M.2 is met: no need
    need = found[(world.nip("staff0"), "M.1")]
    assert (need["required_level"], need["current_level"], need["gap"]) == (3, 1, 2)
    assert need["assessed"] is True
    # gap 2 + pelaksana 0.5·0.2 + never trained 0.5 + no JP this year 0.5
    assert points(need) == {
        "gap": 2.0,
        "target_gap": 0.0,
        "performance": 0.0,
        "criticality": 0.1,
        "training_age": 0.5,
        "hours_shortfall": 0.5,
        "endorsed_request": 0.0,
    }
    assert need["priority"] == 3.1


async def test_a_missing_level_counts_as_level_one(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    found = by_key(await needs(client, admin, nip=world.nip("staff1")))
    m2 = found[(world.nip("staff1"), "M.2")]
    assert (m2["current_level"], m2["assessed"], m2["gap"]) == (None, False, 3)


async def test_a_target_position_adds_its_gaps(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    await world.level("staff0", "M.1", 1)
    await world.level("staff0", "M.2", 4)
    await world.wants_target("staff0")
    found = by_key(await needs(client, admin, nip=world.nip("staff0")))
    m3 = found[(world.nip("staff0"), "M.3")]  # the target's alone
    assert (m3["required_level"], m3["target_level"], m3["gap"]) == (None, 3, 2)
    assert points(m3)["gap"] == 0 and points(m3)["target_gap"] == 1.0
    m1 = found[(world.nip("staff0"), "M.1")]  # target 4 beyond the position's 3
    assert (m1["required_level"], m1["target_level"], m1["gap"]) == (3, 4, 3)
    assert points(m1)["target_gap"] == 0.5 and m1["priority"] == 3.6


async def test_an_endorsed_request_raises_the_priority(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    await world.request("staff0", "M.1", status="endorsed")
    await world.request("staff1", "M.1", status="rejected")
    await world.request("staff2", "M.1", status="endorsed", year=YEAR - 1)
    found = by_key(await needs(client, admin, competency="M.1"))
    raised = found[(world.nip("staff0"), "M.1")]
    assert points(raised)["endorsed_request"] == 0.75
    for other in ("staff1", "staff2", "staff3"):
        need = found[(world.nip(other), "M.1")]
        assert points(need)["endorsed_request"] == 0
        assert raised["priority"] == need["priority"] + 0.75


async def test_twenty_jp_this_year_lowers_the_urgency(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    await world.training("staff0", "12", date(YEAR, 3, 1))
    await world.training("staff0", "8", date(YEAR, 6, 1))
    await world.training("staff1", "10", date(YEAR, 3, 1))
    await world.training("staff2", "40", date(YEAR - 1, 3, 1))  # last year's do not count
    found = by_key(await needs(client, admin, competency="M.1"))
    full, half, none = (found[(world.nip(k), "M.1")] for k in ("staff0", "staff1", "staff2"))
    assert (full["hours_this_year"], half["hours_this_year"], none["hours_this_year"]) == (
        20.0,
        10.0,
        0.0,
    )
    assert (points(full)["hours_shortfall"], points(half)["hours_shortfall"]) == (0.0, 0.25)
    assert full["priority"] < half["priority"] < none["priority"]


async def test_recent_training_in_the_competency_lowers_the_urgency(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    await world.training("staff0", "4", date(YEAR - 1, 3, 1), ("M.1",))
    await world.training("staff0", "4", date(YEAR - 3, 3, 1), ("M.1", "M.2"))
    await world.training("staff0", "4", date(YEAR + 1, 3, 1), ("M.2",))  # after the year
    found = by_key(await needs(client, admin, nip=world.nip("staff0")))
    m1, m2 = found[(world.nip("staff0"), "M.1")], found[(world.nip("staff0"), "M.2")]
    reasons_m1 = {r["code"]: r for r in m1["reasons"]}
    reasons_m2 = {r["code"]: r for r in m2["reasons"]}
    assert (reasons_m1["training_age"]["value"], reasons_m1["training_age"]["points"]) == (1, 0.1)
    assert (reasons_m2["training_age"]["value"], reasons_m2["training_age"]["points"]) == (3, 0.3)


async def test_an_skp_below_baik_is_a_need_even_where_the_level_is_met(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    await world.level("staff0", "M.1", 3)
    await world.level("staff0", "M.2", 4)
    await world.skp("staff0", YEAR - 2, "above", "above")
    await world.skp("staff0", YEAR - 1, "below", "as_expected")  # the latest: butuh perbaikan
    await world.skp("staff0", YEAR + 1, "above", "above")  # after the year
    found = by_key(await needs(client, admin, nip=world.nip("staff0")))
    assert set(found) == {(world.nip("staff0"), "M.1"), (world.nip("staff0"), "M.2")}
    for need in found.values():
        assert need["gap"] == 1 and points(need)["performance"] == 0.5
        assert {r["code"]: r["value"] for r in need["reasons"]}["performance"] == "butuh_perbaikan"


async def test_structural_positions_weigh_more(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    await world.level("staff4", "M.1", 2)  # chief (administrator) needs 4
    await world.level("staff0", "M.1", 1)  # staff (pelaksana) needs 3
    found = by_key(await needs(client, admin, competency="M.1"))
    chief, staff = found[(world.nip("staff4"), "M.1")], found[(world.nip("staff0"), "M.1")]
    assert chief["gap"] == staff["gap"] == 2
    assert points(chief)["criticality"] == 0.4 and points(staff)["criticality"] == 0.1


async def test_filters_unit_with_sub_units_nip_and_competency(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    everyone = await needs(client, admin, agency=AGENCY_A)
    assert {i["nip"] for i in everyone} == {world.nip(f"staff{n}") for n in range(6)}
    sub = await needs(client, admin, unit_id=str(world.sub_unit))
    assert {i["nip"] for i in sub} == {world.nip("staff4"), world.nip("staff5")}
    whole = await needs(client, admin, unit_id=str(world.base.unit_id))
    assert len(whole) == len(everyone)
    m2 = await needs(client, admin, competency="M.2")
    assert {i["competency_code"] for i in m2} == {"M.2"} and len(m2) == 5
    assert await needs(client, admin, agency=AGENCY_B) == []
    assert await needs(client, admin, competency="M.8") == []


async def test_the_pages_walk_every_need_once_highest_priority_first(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    await world.request("staff3", "M.2", status="endorsed")
    await world.training("staff1", "20", date(YEAR, 2, 1))
    everyone = await needs(client, admin, agency=AGENCY_A, limit=500)
    walked: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"agency": AGENCY_A, "year": YEAR, "limit": 2}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(URL, params=params, headers=admin)
        assert response.status_code == 200, response.text
        walked += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert [(i["employee_id"], i["competency_id"]) for i in walked] == [
        (i["employee_id"], i["competency_id"]) for i in everyone
    ]
    keys = [(-i["priority"], i["employee_id"], i["competency_id"]) for i in walked]
    assert keys == sorted(keys)
    assert walked[0]["nip"] == world.nip("staff3")
    bad = await client.get(URL, params={"cursor": "nonsense"}, headers=admin)
    assert bad.status_code == 422


async def test_employees_see_their_own_and_supervisors_their_line(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    own = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nip("staff0"))
    assert {i["nip"] for i in await needs(client, own)} == {world.nip("staff0")}
    chief = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("staff4"))
    assert {i["nip"] for i in await needs(client, chief)} == {
        world.nip("staff4"),
        world.nip("staff5"),
    }
    head = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("head"))
    assert len({i["nip"] for i in await needs(client, head)}) == 6


async def test_other_agencies_see_nothing_and_hr_names_the_agency(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    assert await needs(client, hr_b, agency=AGENCY_A) == []
    assert await needs(client, hr_b, agency=AGENCY_B) == []
    other = auth(Role.EMPLOYEE, AGENCY_B, sub=world.nip("staff0"))
    assert await needs(client, other) == []
    missing = await client.get(URL, headers=auth(Role.HR_OFFICER, AGENCY_A))
    assert missing.status_code == 422
    assert missing.json()["type"].endswith("/agency-required")


async def test_credentials_and_parameters_are_checked(
    client: AsyncClient, world: NeedsWorld, admin: dict[str, str]
) -> None:
    assert (await client.get(URL)).status_code == 401
    for params in ({"nip": "123"}, {"competency": "X.1"}, {"year": 1900}, {"unit_id": "x"}):
        response = await client.get(URL, params=params, headers=admin)
        assert response.status_code == 422, params
