"""GET /employees: name (accent-insensitive) and NIP search, every filter, pagination, and
proof that each filter is served by an index (no sequential scan on employees)."""

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from asn_career.core.auth import Principal, Role
from asn_career.core.prepared import driver_connection
from asn_career.profiles.employees.repository import search_query
from asn_career.profiles.employees.schemas import EmployeeSearch
from asn_career.profiles.employees.service import EmployeeLookup
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.profiles.employees.conftest import Org, create_employee, make_nip, place, set_level

URL = "/api/v1/employees"


async def names(client: AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    response = await client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


@pytest.fixture
async def people(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], org: Org
) -> dict[str, str]:
    specs = [
        ("Siti Nurhaliza", dict(birth="19900101", seq="001", gender="2"), AGENCY_A, org.unit_a,
         "III/a", "active", org.chief),
        ("Agus Sétiawan", dict(birth="19850505", seq="002"), AGENCY_A, org.unit_a_child,
         "III/c", "leave", org.staff),
        ("Budi Hartono", dict(birth="19800101", seq="003"), AGENCY_A, org.unit_a_other,
         "IV/a", "active", org.outsider),
        ("Dewi Lestari", dict(birth="19950101", seq="004", gender="2"), AGENCY_B, org.unit_b,
         "II/d", "active", org.position_b),
    ]  # fmt: skip
    nips = {}
    for name, nip_parts, agency, unit, rank, status, position in specs:
        nip = make_nip(tmt="201801", **nip_parts)
        await create_employee(
            client, admin, nip=nip, name=name, agency=agency, unit_id=str(unit),
            rank=rank, status=status,
        )  # fmt: skip
        await place(app, nip, position)
        nips[name] = nip
    pppk = "199601032024212050"
    await create_employee(client, admin, nip=pppk, name="Maria Lende", rank="IX")
    nips["Maria Lende"] = pppk
    await set_level(app, nips["Siti Nurhaliza"], "M.1", 4)
    await set_level(app, nips["Agus Sétiawan"], "M.1", 2)
    await set_level(app, nips["Budi Hartono"], "M.2", 5)
    return nips


async def test_name_search_ignores_case_and_accents(
    client: AsyncClient, admin: dict[str, str], people: dict[str, str]
) -> None:
    assert await names(client, admin, q="nurhaliza") == ["Siti Nurhaliza"]
    assert await names(client, admin, q="Sítí") == ["Siti Nurhaliza"]
    assert await names(client, admin, q="SITI NUR") == ["Siti Nurhaliza"]
    assert await names(client, admin, q="setiawan") == ["Agus Sétiawan"]
    assert await names(client, admin, q="SÉTI") == ["Agus Sétiawan"]
    assert await names(client, admin, q="a") == [
        "Agus Sétiawan", "Budi Hartono", "Dewi Lestari", "Maria Lende", "Siti Nurhaliza",
    ]  # fmt: skip
    assert await names(client, admin, q="%") == []  # LIKE wildcards are literal
    assert await names(client, admin, q="_") == []


async def test_digits_search_a_nip_prefix(
    client: AsyncClient, admin: dict[str, str], people: dict[str, str]
) -> None:
    assert await names(client, admin, q="1990") == ["Siti Nurhaliza"]
    assert await names(client, admin, q=people["Budi Hartono"]) == ["Budi Hartono"]
    assert await names(client, admin, q="19") == [
        "Agus Sétiawan", "Budi Hartono", "Dewi Lestari", "Maria Lende", "Siti Nurhaliza",
    ]  # fmt: skip
    assert await names(client, admin, q="2018") == []  # a prefix, not a substring


async def test_filters(
    client: AsyncClient, admin: dict[str, str], people: dict[str, str], org: Org
) -> None:
    assert await names(client, admin, agency=AGENCY_B) == ["Dewi Lestari"]
    assert await names(client, admin, unit_id=str(org.unit_a)) == [
        "Agus Sétiawan",
        "Siti Nurhaliza",
    ]  # fmt: skip  (with the sub-unit)
    assert await names(client, admin, unit_id=str(org.unit_a_child)) == ["Agus Sétiawan"]
    assert await names(client, admin, rank="III/c") == ["Agus Sétiawan"]
    assert await names(client, admin, rank_min="III/b", rank_max="IV/a") == [
        "Agus Sétiawan", "Budi Hartono",
    ]  # fmt: skip
    assert await names(client, admin, rank_max="III/a") == ["Dewi Lestari", "Siti Nurhaliza"]
    assert await names(client, admin, rank_min="IV/a") == ["Budi Hartono"]
    assert await names(client, admin, rank_min="V") == ["Maria Lende"]
    assert await names(client, admin, position_kind="pelaksana") == [
        "Agus Sétiawan", "Dewi Lestari",
    ]  # fmt: skip
    assert await names(client, admin, position_kind="administrator") == ["Siti Nurhaliza"]
    assert await names(client, admin, competency="M.1") == ["Agus Sétiawan", "Siti Nurhaliza"]
    assert await names(client, admin, competency="M.1", min_level=3) == ["Siti Nurhaliza"]
    assert await names(client, admin, competency="M.1", min_level=5) == []
    assert await names(client, admin, competency="M.2", min_level=5) == ["Budi Hartono"]
    assert await names(client, admin, status="leave") == ["Agus Sétiawan"]
    assert await names(
        client, admin, agency=AGENCY_A, status="active", rank_min="III/a", q="i"
    ) == ["Budi Hartono", "Siti Nurhaliza"]


async def test_list_items_carry_unit_and_position(
    client: AsyncClient, admin: dict[str, str], people: dict[str, str]
) -> None:
    response = await client.get(URL, params={"q": "nurhaliza"}, headers=admin)
    item = response.json()["items"][0]
    assert item["unit_name"] == "BKPSDM"
    assert item["position_title"] == "Jabatan chief"
    assert item["position_kind"] == "administrator"
    assert "nik" not in item


async def test_bad_filters_are_422(
    client: AsyncClient, admin: dict[str, str], people: dict[str, str]
) -> None:
    cases: list[dict[str, str | int]] = [
        {"rank_min": "III/a", "rank_max": "IX"},
        {"rank_min": "IV/a", "rank_max": "III/a"},
        {"rank_min": "Z"},
        {"min_level": 3},
        {"min_level": 6, "competency": "M.1"},
        {"status": "deceased"},
        {"unit_id": "not-a-uuid"},
        {"cursor": "garbage"},
    ]
    for params in cases:
        response = await client.get(URL, params=params, headers=admin)
        assert response.status_code == 422, params


async def test_hr_sees_own_agency_only(
    client: AsyncClient, auth: TokenFactory, people: dict[str, str]
) -> None:
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    assert await names(client, hr_b) == ["Dewi Lestari"]
    assert await names(client, hr_b, agency=AGENCY_A) == []
    assert await names(client, hr_b, q="nurhaliza") == []
    hr_a = auth(Role.HR_OFFICER, AGENCY_A)
    assert "Dewi Lestari" not in await names(client, hr_a)


async def test_keyset_pagination(client: AsyncClient, admin: dict[str, str], org: Org) -> None:
    for i in range(7):
        # Same name for several people: the id breaks the tie.
        await create_employee(
            client, admin, nip=make_nip(seq=f"{i + 1:03d}"), name=f"Pegawai {i % 3}"
        )
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = (await client.get(URL, params=params, headers=admin)).json()
        seen += [item["nip"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    everything = (await client.get(URL, params={"limit": 500}, headers=admin)).json()["items"]
    assert [item["nip"] for item in everything] == seen
    assert [item["name"] for item in everything] == sorted(item["name"] for item in everything)


# --- index use ---------------------------------------------------------------------------


async def test_every_filter_is_index_backed(app: FastAPI, org: Org) -> None:
    async with app.state.sessionmaker() as session:
        await session.execute(
            text(
                """
                INSERT INTO employees (id, nip, name, gender, birth_date, employment_type,
                    appointment_date, rank_code, status, agency_code, unit_id, position_id)
                SELECT gen_random_uuid(),
                       '1980010120050' || (1 + i % 2)::text || lpad(i::text, 4, '0'),
                       (ARRAY['Siti', 'Agus', 'Budi', 'Dewi', 'Wayan'])[1 + i % 5]
                         || ' Pegawai ' || i,
                       CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END, DATE '1980-01-01', 'pns',
                       DATE '2005-01-01',
                       (ARRAY['II/a', 'III/a', 'III/b', 'III/c', 'IV/a'])[1 + i % 5],
                       (ARRAY['active', 'active', 'active', 'leave', 'retired'])[1 + i % 5],
                       CASE WHEN i % 3 = 0 THEN :b ELSE :a END,
                       CASE WHEN i % 3 = 0 THEN CAST(:ub AS uuid)
                            WHEN i % 3 = 1 THEN CAST(:ua AS uuid) ELSE CAST(:uac AS uuid) END,
                       CASE WHEN i % 7 = 0 THEN CAST(:staff AS uuid) END
                FROM generate_series(1, 3000) AS i
                """
            ),
            {"a": AGENCY_A, "b": AGENCY_B, "ua": str(org.unit_a), "uac": str(org.unit_a_child),
             "ub": str(org.unit_b), "staff": str(org.staff)},
        )  # fmt: skip
        await session.execute(
            text(
                "INSERT INTO employee_competency_levels "
                "(employee_id, competency_id, level, source, assessed_on) "
                "SELECT id, (SELECT id FROM competencies WHERE code = 'M.1'), "
                "1 + abs(hashtext(nip)) % 5, 'self', DATE '2025-01-01' FROM employees"
            )
        )
        await session.execute(text("ANALYZE"))
        await session.commit()

    supervisor_nip = "198001012005010007"  # placed on the staff position above (i = 7)
    principals = {
        "admin": Principal(subject="admin", role=Role.ADMIN),
        "hr": Principal(subject="hr", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A})),
        "supervisor": Principal(
            subject=supervisor_nip, role=Role.SUPERVISOR, agencies=frozenset({AGENCY_A})
        ),
        "employee": Principal(
            subject=supervisor_nip, role=Role.EMPLOYEE, agencies=frozenset({AGENCY_A})
        ),
    }
    cases = {
        "none": EmployeeSearch(),
        "q_name": EmployeeSearch(q="sítí peg"),
        "q_nip": EmployeeSearch(q="19800101200501"),
        "q_rare_name": EmployeeSearch(q="sítí pegawai 1235"),
        "q_rare_nip": EmployeeSearch(q="198001012005010123"),
        "agency": EmployeeSearch(agency=AGENCY_A),
        "unit_id": EmployeeSearch(unit_id=org.unit_a),
        "rank": EmployeeSearch(rank="III/b"),
        "rank_range": EmployeeSearch(rank_min="III/a", rank_max="III/c"),
        "position_kind": EmployeeSearch(position_kind="pelaksana"),
        "competency": EmployeeSearch(competency="M.1", min_level=4),
        "status": EmployeeSearch(status="leave"),
        "all": EmployeeSearch(
            q="budi", agency=AGENCY_A, unit_id=org.unit_a, rank_min="II/a", rank_max="IV/a",
            position_kind="pelaksana", competency="M.1", min_level=2, status="active",
        ),
    }  # fmt: skip
    plans: dict[str, str] = {}
    async with app.state.sessionmaker() as session:
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        async with driver_connection(session) as connection:
            for who, principal in principals.items():
                for name, filters in cases.items():
                    for after in (None, ("Budi", org.unit_a)):
                        # The very SQL and parameters the endpoint sends.
                        query, params = search_query(
                            principal, filters, EmployeeLookup.rank_range(filters),
                            after=after, limit=51,
                        )  # fmt: skip
                        sql, args = query.bind(app.state.engine.dialect, params)
                        rows = await connection.fetch("EXPLAIN " + sql, *args)
                        plan = "\n".join(row[0] for row in rows)
                        plans[f"{who}/{name}{'' if after is None else '/after'}"] = plan
                        assert "Seq Scan on employees" not in plan, f"{who}/{name}:\n{plan}"
    # Selective text searches go through their own indexes (broad ones may walk the
    # (name, id) index instead, which the planner prefers when the first page fills fast).
    for who in ("admin", "hr"):
        assert "ix_employees_name_trgm" in plans[f"{who}/q_rare_name"], plans[f"{who}/q_rare_name"]
        assert "ix_employees_nip_prefix" in plans[f"{who}/q_rare_nip"], plans[f"{who}/q_rare_nip"]
