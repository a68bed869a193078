"""Employees: create, read, update; NIP-derived fields; rank scale; visibility; NIK masking."""

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.profiles.employees.conftest import Org, create_employee, make_nip, place

PNS = "198609262015051001"
PPPK = "199601032024212050"
URL = "/api/v1/employees"


async def test_create_derives_fields_from_the_nip(
    client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    response = await client.post(
        URL,
        json={
            "nip": PNS,
            "name": "Budi Santoso",
            "front_title": "Drs.",
            "back_title": "M.Si.",
            "agency": AGENCY_A,
            "unit_id": str(org.unit_a),
            "rank": "III/c",
            "nik": "3674012609860001",
            "email": "budi@example.go.id",
        },
        headers=admin,
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/employees/{PNS}"
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["birth_date"] == "1986-09-26"
    assert body["appointment_date"] == "2015-05-01"
    assert body["gender"] == "M"
    assert body["employment_type"] == "pns"
    assert body["status"] == "active"
    assert body["rank"] == "III/c"
    assert body["unit_id"] == str(org.unit_a)
    assert body["position_id"] is None
    assert body["nik"] == "3674012609860001"  # admin sees it


async def test_create_pppk(client: AsyncClient, admin: dict[str, str], org: Org) -> None:
    body = await create_employee(client, admin, nip=PPPK, name="Maria Lende", rank="IX")
    assert body["employment_type"] == "pppk"
    assert body["birth_date"] == "1996-01-03"
    assert body["appointment_date"] == "2024-01-01"
    assert body["gender"] == "F"
    explicit = await create_employee(
        client,
        admin,
        nip="199601032024242051",
        employment_type="pppk",
        appointment_date="2024-03-01",
        gender="F",
        birth_date="1996-01-03",
    )
    assert explicit["appointment_date"] == "2024-03-01"


async def test_get_and_patch_with_etag(
    client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    await create_employee(client, admin, nip=PNS, rank="III/a")
    got = await client.get(f"{URL}/{PNS}", headers=admin)
    assert got.status_code == 200
    etag = got.headers["etag"]
    patched = await client.patch(
        f"{URL}/{PNS}",
        json={"name": "Budi Santoso Wijaya", "rank": "III/b", "status": "study_leave"},
        headers={**admin, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["rank"] == "III/b"
    assert patched.json()["status"] == "study_leave"
    assert patched.headers["etag"] == '"2"'
    stale = await client.patch(
        f"{URL}/{PNS}", json={"name": "X"}, headers={**admin, "If-Match": etag}
    )
    assert stale.status_code == 412
    cleared = await client.patch(f"{URL}/{PNS}", json={"rank": None}, headers=admin)
    assert cleared.json()["rank"] is None
    not_null = await client.patch(f"{URL}/{PNS}", json={"name": None}, headers=admin)
    assert not_null.status_code == 422
    readonly = await client.patch(f"{URL}/{PNS}", json={"position_id": None}, headers=admin)
    assert readonly.status_code == 422
    missing = await client.get(f"{URL}/198609262015051009", headers=admin)
    assert missing.status_code == 404


async def test_patch_is_audited(client: AsyncClient, admin: dict[str, str], org: Org) -> None:
    await create_employee(client, admin, nip=PNS, nik="3674012609860001")
    await client.patch(f"{URL}/{PNS}", json={"nik": "3674012609860002"}, headers=admin)
    audit = await client.get("/api/v1/audit", params={"entity_type": "employee"}, headers=admin)
    assert audit.status_code == 200
    text = audit.text
    assert "employee.created" in text and "employee.updated" in text
    assert "3674012609860001" not in text and "3674012609860002" not in text


async def test_duplicate_nip_is_409(client: AsyncClient, admin: dict[str, str], org: Org) -> None:
    await create_employee(client, admin, nip=PNS)
    again = await client.post(
        URL, json={"nip": PNS, "name": "Lain", "agency": AGENCY_A}, headers=admin
    )
    assert again.status_code == 409
    assert PNS in again.json()["detail"]


async def _problem(client: AsyncClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    body = {"name": "Budi", "agency": AGENCY_A, "nip": PNS, **fields}
    response = await client.post(URL, json=body, headers=headers)
    assert response.status_code == 422, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_invalid_nips_name_the_digits(
    client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    cases = {
        make_nip(birth="19860230"): "digits 1–8",
        make_nip(tmt="201513"): "digits 13–14 (appointment month) must be 01–12",
        make_nip(tmt="201500"): "digits 13–14",
        make_nip(tmt="200005"): "digits 9–14",
        make_nip(gender="3"): "digit 15",
        make_nip(seq="000"): "digits 16–18",
    }
    for nip, expected in cases.items():
        problem = await _problem(client, admin, nip=nip, employment_type="pns")
        assert expected in problem["detail"], (nip, problem["detail"])
        assert problem["errors"][0]["loc"] == ["body", "nip"]
    bad_pppk = await _problem(client, admin, nip="199601032010212050", employment_type="pppk")
    assert "digits 9–12" in bad_pppk["detail"]
    short = await client.post(
        URL, json={"nip": "1986", "name": "X", "agency": AGENCY_A}, headers=admin
    )
    assert short.status_code == 422


async def test_indonesian_messages(client: AsyncClient, admin: dict[str, str], org: Org) -> None:
    response = await client.post(
        URL,
        json={"nip": make_nip(tmt="201513"), "name": "X", "agency": AGENCY_A,
              "employment_type": "pns"},
        headers={**admin, "Accept-Language": "id"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "digit 13–14 (bulan TMT CPNS) harus 01–12" in response.json()["detail"]


async def test_contradicting_fields_are_422_naming_the_digits(
    client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    problem = await _problem(client, admin, birth_date="1986-09-27")
    assert "digits 1–8" in problem["detail"]
    assert problem["errors"][0]["loc"] == ["body", "birth_date"]
    problem = await _problem(client, admin, gender="F")
    assert "digit 15" in problem["detail"]
    problem = await _problem(client, admin, appointment_date="2015-06-01")
    assert "digits 9–14" in problem["detail"]
    problem = await _problem(client, admin, nip=PPPK, appointment_date="2023-01-01")
    assert "digits 9–12" in problem["detail"]
    problem = await _problem(client, admin, nip=PPPK, employment_type="pns")
    locs = [e["loc"] for e in problem["errors"]]
    assert ["body", "employment_type"] in locs and "digits 13–14" in problem["detail"]
    both = await _problem(client, admin, gender="F", birth_date="1990-01-01")
    assert len(both["errors"]) == 2
    # Within the TMT month is no contradiction.
    ok = await create_employee(client, admin, nip=PNS, appointment_date="2015-05-15")
    assert ok["appointment_date"] == "2015-05-15"
    # A PATCH must agree too.
    patch = await client.patch(f"{URL}/{PNS}", json={"gender": "F"}, headers=admin)
    assert patch.status_code == 422 and "digit 15" in patch.json()["detail"]
    await create_employee(client, admin, nip=PPPK, rank="V")
    patch = await client.patch(
        f"{URL}/{PPPK}", json={"employment_type": "pns", "rank": "III/a"}, headers=admin
    )
    assert patch.status_code == 422 and "digits 13–14" in patch.json()["detail"]


async def test_rank_must_be_of_the_employment_types_scale(
    client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    problem = await _problem(client, admin, rank="IX")
    assert "PPPK" in problem["detail"] and problem["errors"][0]["loc"] == ["body", "rank"]
    problem = await _problem(client, admin, nip=PPPK, rank="III/a")
    assert "PNS" in problem["detail"]
    problem = await _problem(client, admin, rank="V/a")
    assert "unknown rank" in problem["detail"]
    await create_employee(client, admin, nip=PNS, rank="IV/e")
    patch = await client.patch(f"{URL}/{PNS}", json={"rank": "XVII"}, headers=admin)
    assert patch.status_code == 422


async def test_agency_and_unit_rules(
    client: AsyncClient, admin: dict[str, str], auth: TokenFactory, org: Org
) -> None:
    problem = await _problem(client, admin, agency="99.99")
    assert problem["errors"][0]["loc"] == ["body", "agency"]
    problem = await _problem(client, admin, unit_id=str(org.unit_b))
    assert problem["errors"][0]["loc"] == ["body", "unit_id"]
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    forbidden = await client.post(
        URL, json={"nip": PNS, "name": "X", "agency": AGENCY_A}, headers=hr_b
    )
    assert forbidden.status_code == 403
    await create_employee(client, admin, nip=PNS, unit_id=str(org.unit_a))
    moved = await client.patch(f"{URL}/{PNS}", json={"agency": AGENCY_B}, headers=admin)
    assert moved.status_code == 422  # the unit stays in A
    moved = await client.patch(
        f"{URL}/{PNS}", json={"agency": AGENCY_B, "unit_id": str(org.unit_b)}, headers=admin
    )
    assert moved.status_code == 200 and moved.json()["agency"] == AGENCY_B
    hr_a = auth(Role.HR_OFFICER, AGENCY_A)
    assert (await client.get(f"{URL}/{PNS}", headers=hr_a)).status_code == 404


async def test_hr_officer_of_own_agency_writes_other_agency_gets_404(
    client: AsyncClient, auth: TokenFactory, org: Org
) -> None:
    hr_a = auth(Role.HR_OFFICER, AGENCY_A)
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    await create_employee(client, hr_a, nip=PNS)
    assert (await client.get(f"{URL}/{PNS}", headers=hr_a)).status_code == 200
    assert (await client.get(f"{URL}/{PNS}", headers=hr_b)).status_code == 404
    patch = await client.patch(f"{URL}/{PNS}", json={"name": 1}, headers=hr_b)
    assert patch.status_code == 404  # before the body is validated
    summary = await client.get(f"{URL}/{PNS}/career-summary", headers=hr_b)
    assert summary.status_code == 404
    assert (await client.patch(f"{URL}/{PNS}", json={}, headers=hr_a)).status_code == 200


async def test_unauthenticated_and_wrong_roles(
    client: AsyncClient, auth: TokenFactory, admin: dict[str, str], org: Org
) -> None:
    await create_employee(client, admin, nip=PNS)
    for method, url in (
        ("GET", URL),
        ("POST", URL),
        ("GET", f"{URL}/{PNS}"),
        ("PATCH", f"{URL}/{PNS}"),
        ("GET", f"{URL}/{PNS}/career-summary"),
    ):
        body: dict[str, str] | None = {} if method in ("POST", "PATCH") else None
        assert (await client.request(method, url, json=body)).status_code == 401
    me = auth(Role.EMPLOYEE, AGENCY_A, sub=PNS)
    assert (await client.get(f"{URL}/{PNS}", headers=me)).status_code == 200
    own = await client.patch(f"{URL}/{PNS}", json={"name": "Me"}, headers=me)
    assert own.status_code == 403  # self-service does not cover the core profile
    sup = auth(Role.SUPERVISOR, AGENCY_A, sub=PNS)
    assert (await client.post(URL, json={}, headers=sup)).status_code == 403


async def test_integration_key_scopes(client: AsyncClient, admin: dict[str, str], org: Org) -> None:
    async def key(scopes: list[str]) -> dict[str, str]:
        made = await client.post(
            "/api/v1/api-keys",
            json={"name": "siasn", "agencies": [AGENCY_A], "scopes": scopes},
            headers=admin,
        )
        assert made.status_code == 201, made.text
        return {"X-API-Key": made.json()["key"]}

    writer = await key(["employees:read", "employees:write"])
    reader = await key(["employees:read"])
    await create_employee(client, writer, nip=PNS, nik="3674012609860001")
    got = await client.get(f"{URL}/{PNS}", headers=reader)
    assert got.status_code == 200 and got.json()["nik"] == "************0001"
    denied = await client.post(
        URL, json={"nip": PPPK, "name": "X", "agency": AGENCY_A}, headers=reader
    )
    assert denied.status_code == 403


async def test_nik_masked_except_to_hr_of_the_agency(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, admin: dict[str, str], org: Org
) -> None:
    await create_employee(client, admin, nip=PNS, nik="3674012609860001")
    await place(app, PNS, org.staff)
    boss = make_nip(birth="19700101", tmt="199503", seq="002")
    await create_employee(client, admin, nip=boss, name="Kepala")
    await place(app, boss, org.chief)
    seen = {
        "admin": admin,
        "hr_a": auth(Role.HR_OFFICER, AGENCY_A),
        "hr_ab": auth(Role.HR_OFFICER, AGENCY_B, AGENCY_A),
        "self": auth(Role.EMPLOYEE, AGENCY_A, sub=PNS),
        "supervisor": auth(Role.SUPERVISOR, AGENCY_A, sub=boss),
    }
    expected = {
        "admin": "3674012609860001",
        "hr_a": "3674012609860001",
        "hr_ab": "3674012609860001",
        "self": "************0001",
        "supervisor": "************0001",
    }
    for who, headers in seen.items():
        got = await client.get(f"{URL}/{PNS}", headers=headers)
        assert got.status_code == 200, who
        assert got.json()["nik"] == expected[who], who
        summary = await client.get(f"{URL}/{PNS}/career-summary", headers=headers)
        assert summary.json()["profile"]["nik"] == expected[who], who
    listed = await client.get(URL, headers=seen["supervisor"])
    assert "3674012609860001" not in listed.text


async def test_supervisor_sees_the_reporting_line_only(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, admin: dict[str, str], org: Org
) -> None:
    people = {
        "head": make_nip(birth="19700101", tmt="199503", seq="001"),
        "chief": make_nip(birth="19750101", tmt="200003", seq="002"),
        "staff": make_nip(birth="19900101", tmt="201503", seq="003"),
        "outsider": make_nip(birth="19910101", tmt="201503", seq="004"),
    }
    for key, nip in people.items():
        await create_employee(client, admin, nip=nip, name=f"Pegawai {key}")
        await place(app, nip, getattr(org, key))
    unplaced = make_nip(birth="19920101", tmt="201503", seq="005")
    await create_employee(client, admin, nip=unplaced, name="Pegawai baru")

    def sees(sub: str) -> dict[str, str]:
        return auth(Role.SUPERVISOR, AGENCY_A, sub=sub)

    head = sees(people["head"])
    for key in ("head", "chief", "staff"):  # self, direct and indirect reports
        assert (await client.get(f"{URL}/{people[key]}", headers=head)).status_code == 200
    for nip in (people["outsider"], unplaced):
        assert (await client.get(f"{URL}/{nip}", headers=head)).status_code == 404
    listed = await client.get(URL, headers=head)
    assert sorted(i["nip"] for i in listed.json()["items"]) == sorted(
        [people["head"], people["chief"], people["staff"]]
    )
    chief = sees(people["chief"])
    assert (await client.get(f"{URL}/{people['head']}", headers=chief)).status_code == 404
    assert (await client.get(f"{URL}/{people['staff']}", headers=chief)).status_code == 200
    staff = sees(people["staff"])
    listed = await client.get(URL, headers=staff)
    assert [i["nip"] for i in listed.json()["items"]] == [people["staff"]]
    # A supervisor token of another agency sees nobody below.
    foreign = auth(Role.SUPERVISOR, AGENCY_B, sub=people["head"])
    assert (await client.get(f"{URL}/{people['staff']}", headers=foreign)).status_code == 404


async def test_employee_sees_only_self(
    client: AsyncClient, auth: TokenFactory, admin: dict[str, str], org: Org
) -> None:
    await create_employee(client, admin, nip=PNS)
    other = make_nip(seq="002")
    await create_employee(client, admin, nip=other, name="Ani")
    me = auth(Role.EMPLOYEE, AGENCY_A, sub=PNS)
    assert (await client.get(f"{URL}/{other}", headers=me)).status_code == 404
    listed = await client.get(URL, headers=me)
    assert [i["nip"] for i in listed.json()["items"]] == [PNS]
    assert (await client.get(f"{URL}/{PNS}/career-summary", headers=me)).status_code == 200


async def test_a_token_not_naming_the_agency_does_not_reach_the_own_profile(
    client: AsyncClient, auth: TokenFactory, admin: dict[str, str], org: Org
) -> None:
    """``sub`` alone is not enough: the token must also name the employee's agency."""
    await create_employee(client, admin, nip=PNS)
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        for agencies in ((), (AGENCY_B,)):
            headers = auth(role, *agencies, sub=PNS)
            assert (await client.get(f"{URL}/{PNS}", headers=headers)).status_code == 404
            listed = await client.get(URL, headers=headers)
            assert listed.json()["items"] == [], (role, agencies)


async def test_control_characters_are_422_not_500(
    client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    for params in ({"q": "a\x00b"}, {"q": "1\x00"}, {"agency": "\x00"}, {"rank": "\x00"},
                   {"competency": "\x00"}, {"position_kind": "\x00"}):  # fmt: skip
        response = await client.get(URL, params=params, headers=admin)
        assert response.status_code == 422, params
    for field in ("name", "agency", "birth_place", "email", "rank"):
        body = {"nip": PNS, "name": "Budi", "agency": AGENCY_A, field: "a\x00b@x.id"}
        response = await client.post(URL, json=body, headers=admin)
        assert response.status_code == 422, field


async def test_names_are_nfc_and_refuse_invisible_formatting(
    client: AsyncClient, admin: dict[str, str], org: Org
) -> None:
    """``Siti\\u202eRahma`` would show as another name than the one stored and searched."""
    for name in ("Siti\u202eRahma", "Siti\u200bRahma", "Siti\u2066Rahma", "\ufeffSiti", "Si\x1bti"):
        body = {"nip": PNS, "name": name, "agency": AGENCY_A}
        response = await client.post(URL, json=body, headers=admin)
        assert response.status_code == 422, repr(name)
        assert response.json()["errors"][0]["loc"] == ["body", "name"]
    decomposed = "Jose\u0301 Mu\u0308ller"  # e + combining acute, u + combining diaeresis
    body = {"nip": PNS, "name": decomposed, "agency": AGENCY_A}
    response = await client.post(URL, json=body, headers=admin)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "José Müller"
