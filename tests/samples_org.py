"""Organisation objects of agency A for the security walk (see tests/samples.py).

Keys are the path parameter names of the org routes: ``code`` (agency), ``unit_id``,
``position_id`` and ``competency_code`` (a technical competency of agency A). The profiles
samples use ``unit_id`` and ``position_id``.
"""

from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import AGENCY_A

LEVELS = {str(level): {"id": f"Tingkat {level}", "en": f"Level {level}"} for level in range(1, 6)}


async def build_org_samples(
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> dict[str, str]:
    agency = await client.post(
        "/api/v1/agencies",
        json={
            "code": AGENCY_A,
            "name": "Pemerintah Kota Tangerang Selatan",
            "region_code": AGENCY_A,
        },
        headers=admin,
    )
    assert agency.status_code == 201, agency.text
    unit = await client.post(
        f"/api/v1/agencies/{AGENCY_A}/units",
        json={"code": "BKPSDM", "name": "BKPSDM Kota Tangerang Selatan", "kind": "badan"},
        headers=admin,
    )
    assert unit.status_code == 201, unit.text
    competency = await client.post(
        "/api/v1/competencies",
        json={
            "agency_code": AGENCY_A,
            "name_id": "Manajemen Talenta ASN",
            "name_en": "Civil-service talent management",
            "descriptors": LEVELS,
        },
        headers=admin,
    )
    assert competency.status_code == 201, competency.text
    position = await client.post(
        "/api/v1/positions",
        json={
            "code": "BKPSDM-ANALIS-SDM",
            "title": "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
            "unit_id": unit.json()["id"],
            "kind": "fungsional",
            "functional_level": "ahli_pertama",
            "min_rank": "III/a",
            "max_rank": "III/b",
            "required_competencies": [
                {"code": "M.1", "level": 1},
                {"code": competency.json()["code"], "level": 2},
            ],
            "preferred_education_fields": ["Psikologi", "Manajemen SDM"],
        },
        headers=admin,
    )
    assert position.status_code == 201, position.text
    return {
        "code": AGENCY_A,
        "unit_id": unit.json()["id"],
        "position_id": position.json()["id"],
        "competency_code": competency.json()["code"],
    }
