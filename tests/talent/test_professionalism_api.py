"""``GET /employees/{nip}/professionalism-index`` and ``GET /agencies/{code}/professionalism-index``
over one seeded organisation: worked examples through the API (each dimension's top and a
lower band), the missing dimensions, the per-unit aggregate, SVG, 401/403/404."""

import xml.etree.ElementTree as ET
from datetime import date

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.talent.world import YEAR, talent_world

AGENCY = f"/api/v1/agencies/{AGENCY_A}/professionalism-index"


async def test_index_per_employee_and_agency(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await talent_world(app)
    # 25 + (15 + 15 + 10) + 30 + 5 = 100: Sangat Tinggi
    await w.person(
        "full",
        "kabid",
        education=["S1", "S3"],
        skp={YEAR: "sangat_baik"},
        scores={YEAR: 96},
        trainings=[
            ("Pelatihan Kepemimpinan Administrator", "training", 300, date(2020, 4, 1)),
            ("Bimbingan Teknis SPBE", "technical_guidance", 12, date(2024, 5, 1)),
            ("Pelatihan Pengadaan Barang/Jasa", "training", 8, date(2025, 2, 1)),
            ("Workshop Penyusunan SKP", "workshop", 8, date(2025, 9, 1)),
        ],
    )
    # 15 + (0 + 0 + 25) + 25 (Baik, no score) + 2 = 67: Rendah
    await w.person(
        "staff",
        "staf",
        education=["D4"],
        skp={YEAR: "baik"},
        trainings=[
            ("Pelatihan Kepemimpinan Pengawas", "training", 200, date(2022, 1, 1)),
            ("Seminar Nasional Reformasi Birokrasi", "seminar", 4, date(2024, 10, 1)),
            ("Pelatihan Pelayanan Publik", "training", 16, date(2023, 11, 1)),  # too early
        ],
        sanctions=[("medium", date(2022, 3, 1)), ("light", date(2024, 1, 1))],
    )
    # 10 + (0 + 15 + 0 + 0) + 15 (score 70) + 1 = 41: Sangat Rendah
    await w.person(
        "analyst",
        "analis",
        education=["D3"],
        skp={YEAR: "baik"},
        scores={YEAR: 70},
        trainings=[("Diklat Fungsional Auditor", "training", 60, date(2021, 1, 1))],
        sanctions=[("severe", date(2023, 1, 1))],
    )
    # nothing recorded: 0 + 0 + 0 + 5, both missing
    await w.person("blank", "staf")
    await w.person("other", "b", education=["S2"])
    hr = auth(Role.HR_OFFICER, AGENCY_A)

    async def index(key: str) -> dict[str, object]:
        response = await client.get(
            f"/api/v1/employees/{w.nips[key]}/professionalism-index",
            params={"year": YEAR},
            headers=hr,
        )
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    full = await index("full")
    assert full["total"] == 100 and full["category"] == "sangat_tinggi"
    assert full["qualification"] == {"points": 25, "education_level": "S3"}
    assert full["competency"]["points"] == 40 and full["competency"]["technical_jp"] == "20.0"  # type: ignore[index]
    assert full["performance"]["points"] == 30 and not full["performance"]["from_predicate"]  # type: ignore[index]
    assert full["discipline"] == {"points": 5, "heaviest_sanction": None} and full["missing"] == []
    staff = await index("staff")
    assert (staff["total"], staff["category"], staff["category_label"]) == (67, "rendah", "Rendah")
    assert staff["competency"] == {  # the PKP does not count for a pelaksana
        "points": 25,
        "leadership": 0,
        "functional": 0,
        "technical": 0,
        "seminar": 25,
        "position_kind": "pelaksana",
        "technical_jp": "0",
        "seminars": 1,
    }
    assert staff["performance"]["points"] == 25 and staff["performance"]["from_predicate"]  # type: ignore[index]
    assert staff["discipline"] == {"points": 2, "heaviest_sanction": "medium"}
    analyst = await index("analyst")
    assert (analyst["total"], analyst["category"]) == (41, "sangat_rendah")
    assert analyst["competency"]["functional"] == 15  # type: ignore[index]
    assert analyst["performance"]["points"] == 15 and analyst["discipline"]["points"] == 1  # type: ignore[index]
    blank = await index("blank")
    assert blank["total"] == 5 and blank["missing"] == ["qualification", "performance"]

    agency = await client.get(AGENCY, params={"year": YEAR}, headers=hr)
    assert agency.status_code == 200, agency.text
    figures = agency.json()["agency"]
    assert figures["employees"] == 4 and figures["mean"] == "53.25"  # (100 + 67 + 41 + 5) / 4
    assert figures["categories"] == {
        "sangat_tinggi": 1,
        "tinggi": 0,
        "sedang": 0,
        "rendah": 1,
        "sangat_rendah": 2,
    }
    assert figures["missing_qualification"] == 1 and figures["missing_performance"] == 1
    [bidang] = agency.json()["units"]
    assert bidang["unit_code"] == "BIDANG" and bidang["employees"] == 4

    svg = await client.get(AGENCY, params={"year": YEAR, "format": "svg"}, headers=hr)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)  # noqa: S314 - our own response
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Sangat Tinggi" in texts and "2 (50,0%)" in texts

    assert (await client.get(AGENCY, params={"year": YEAR})).status_code == 401
    employee = auth(Role.EMPLOYEE, AGENCY_A)
    assert (await client.get(AGENCY, headers=employee)).status_code == 403
    other = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.get(AGENCY, headers=other)).status_code == 404
    assert (
        await client.get(f"/api/v1/employees/{w.nips['full']}/professionalism-index", headers=other)
    ).status_code == 404
