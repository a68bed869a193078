"""The competency dictionary: national entries seeded, technical ones per agency."""

from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.org.conftest import LEVELS, Org

NATIONAL = ["M.1", "M.2", "M.3", "M.4", "M.5", "M.6", "M.7", "M.8", "SK.1"]


async def test_national_dictionary_is_seeded_with_bilingual_level_descriptors(
    client: AsyncClient, auth: TokenFactory
) -> None:
    for role in (Role.ADMIN, Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        response = await client.get("/api/v1/competencies", headers=auth(role, AGENCY_B))
        assert response.status_code == 200
        items = response.json()["items"]
        assert [c["code"] for c in items] == NATIONAL
    m1 = items[0]
    assert (m1["kind"], m1["name_id"], m1["name_en"]) == ("managerial", "Integritas", "Integrity")
    assert items[-1]["kind"] == "socio_cultural" and items[-1]["agency_code"] is None
    for competency in items:
        assert sorted(competency["descriptors"]) == ["1", "2", "3", "4", "5"]
        assert all(d["id"] and d["en"] for d in competency["descriptors"].values())
    assert (await client.get("/api/v1/competencies")).status_code == 401


async def test_hr_adds_numbered_technical_competencies_to_its_agency(
    client: AsyncClient, org: Org, hr_a: dict[str, str], admin: dict[str, str]
) -> None:
    first = await client.post(
        "/api/v1/competencies",
        json={
            "agency_code": AGENCY_A,
            "name_id": "Pengelolaan Arsip Dinamis",
            "name_en": "Records management",
            "descriptors": LEVELS,
        },
        headers=hr_a,
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["code"], body["kind"], body["agency_code"]) == ("T.1", "technical", AGENCY_A)
    assert body["descriptors"]["3"] == {"id": "Tingkat 3", "en": "Level 3"}
    assert first.headers["location"] == f"/api/v1/agencies/{AGENCY_A}/competencies/T.1"
    second = await org.technical(AGENCY_A)
    assert second["code"] == "T.2"
    chosen = await org.technical(AGENCY_A, code="T.7")
    assert chosen["code"] == "T.7"
    assert (await org.technical(AGENCY_A))["code"] == "T.8"
    assert (await org.technical(AGENCY_B))["code"] == "T.1"  # numbering is per agency
    duplicate = await client.post(
        "/api/v1/competencies",
        json={"agency_code": AGENCY_A, "code": "T.7", "name_id": "x", "name_en": "x",
              "descriptors": LEVELS},
        headers=hr_a,
    )  # fmt: skip
    assert duplicate.status_code == 409
    audit = await client.get("/api/v1/audit?action=competency.created", headers=admin)
    assert len(audit.json()["items"]) == 5


async def test_technical_competencies_stay_within_their_agency(
    client: AsyncClient, org: Org, hr_a: dict[str, str], auth: TokenFactory, admin: dict[str, str]
) -> None:
    await org.technical(AGENCY_A, name_id="Analisis Jabatan", name_en="Job analysis")
    await org.technical(AGENCY_B, name_id="Kearsipan Kupang", name_en="Kupang archives")
    own = await client.get("/api/v1/competencies?kind=technical", headers=hr_a)
    assert [(c["code"], c["agency_code"]) for c in own.json()["items"]] == [("T.1", AGENCY_A)]
    for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        listing = await client.get("/api/v1/competencies", headers=auth(role, AGENCY_B))
        assert "Analisis Jabatan" not in listing.text
        asked = await client.get(
            f"/api/v1/competencies?agency={AGENCY_A}", headers=auth(role, AGENCY_B)
        )
        assert "Analisis Jabatan" not in asked.text
    everything = await client.get("/api/v1/competencies", headers=admin)
    assert len(everything.json()["items"]) == len(NATIONAL) + 2
    for_a = await client.get(f"/api/v1/competencies?agency={AGENCY_A}", headers=admin)
    assert [c["code"] for c in for_a.json()["items"]] == [*NATIONAL, "T.1"]
    national = await client.get("/api/v1/competencies?national_only=true", headers=admin)
    assert [c["code"] for c in national.json()["items"]] == NATIONAL
    managerial = await client.get("/api/v1/competencies?kind=managerial", headers=admin)
    assert len(managerial.json()["items"]) == 8


async def test_only_hr_of_the_agency_adds_technical_competencies(
    client: AsyncClient, org: Org, auth: TokenFactory, admin: dict[str, str]
) -> None:
    body = {"agency_code": AGENCY_A, "name_id": "x", "name_en": "x", "descriptors": LEVELS}
    assert (await client.post("/api/v1/competencies", json=body)).status_code == 401
    other = await client.post(
        "/api/v1/competencies", json=body, headers=auth(Role.HR_OFFICER, AGENCY_B)
    )
    assert other.status_code == 403
    for role in (Role.SUPERVISOR, Role.EMPLOYEE):
        response = await client.post(
            "/api/v1/competencies", json=body, headers=auth(role, AGENCY_A)
        )
        assert response.status_code == 403
    unknown_agency = await client.post(
        "/api/v1/competencies", json={**body, "agency_code": "12.71"}, headers=admin
    )
    assert unknown_agency.status_code == 422
    assert unknown_agency.json()["errors"][0]["loc"] == ["body", "agency_code"]


async def test_technical_entries_need_all_five_levels_and_a_technical_code(
    client: AsyncClient, org: Org, hr_a: dict[str, str]
) -> None:
    base = {"agency_code": AGENCY_A, "name_id": "x", "name_en": "x"}
    missing = {k: v for k, v in LEVELS.items() if k != "5"}
    for body in (
        {**base, "descriptors": missing},
        {**base, "descriptors": {**LEVELS, "3": {"id": "x"}}},
        {**base, "descriptors": {**LEVELS, "6": {"id": "x", "en": "x"}}},
        {**base, "descriptors": LEVELS, "code": "M.9"},
        {**base, "descriptors": LEVELS, "code": "T.0"},
    ):
        response = await client.post("/api/v1/competencies", json=body, headers=hr_a)
        assert response.status_code == 422, body


async def test_one_competency_as_it_applies_to_an_agency(
    client: AsyncClient, org: Org, hr_a: dict[str, str], hr_b: dict[str, str]
) -> None:
    await org.technical(AGENCY_A, name_id="Analisis Jabatan", name_en="Job analysis")
    m5 = await client.get(f"/api/v1/agencies/{AGENCY_A}/competencies/M.5", headers=hr_a)
    assert m5.status_code == 200 and m5.json()["name_id"] == "Pelayanan Publik"
    t1 = await client.get(f"/api/v1/agencies/{AGENCY_A}/competencies/T.1", headers=hr_a)
    assert t1.status_code == 200 and t1.json()["name_en"] == "Job analysis"
    assert (
        await client.get(f"/api/v1/agencies/{AGENCY_A}/competencies/T.1", headers=hr_b)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/agencies/{AGENCY_B}/competencies/T.1", headers=hr_b)
    ).status_code == 404
    assert (await client.get(f"/api/v1/agencies/{AGENCY_A}/competencies/M.1")).status_code == 401
