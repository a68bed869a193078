"""Employees of agency A and their histories, for the security walk (see tests/samples.py)."""

from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import AGENCY_A

SAMPLE_NIP = "198609262015051001"


async def build_profile_samples(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], org: dict[str, str]
) -> dict[str, str]:
    samples: dict[str, str] = {}
    employee = await client.post(
        "/api/v1/employees",
        json={
            "nip": SAMPLE_NIP,
            "name": "Sampel Pegawai Agensi A",
            "employment_type": "pns",
            "rank": "III/a",
            "status": "active",
            "agency": AGENCY_A,
            "unit_id": org["unit_id"],
            "birth_place": "Tangerang Selatan",
            "nik": "3674012609860001",
            "email": "sampel@example.go.id",
        },
        headers=admin,
    )
    assert employee.status_code == 201, employee.text
    samples["nip"] = employee.json()["nip"]
    # histories: add entries below (small edits)
    histories = f"/api/v1/employees/{SAMPLE_NIP}"
    for path, param, body in (
        (
            "education",
            "education_id",
            {"level": "S1", "field": "Psikologi", "graduation_year": 2008},
        ),
        (
            "assignments",
            "assignment_id",
            {"position_id": org["position_id"], "start_date": "2020-01-02"},
        ),
        (
            "competencies",
            "assessment_id",
            {
                "competency": "M.1",
                "level": 3,
                "source": "assessment_center",
                "assessed_on": "2024-02-01",
            },
        ),
        (
            "trainings",
            "training_id",
            {
                "title": "Pelatihan Manajemen Talenta",
                "hours_jp": 24,
                "start_date": "2024-03-04",
                "form": "training",
                "competencies": [org["competency_code"]],
            },
        ),
        (
            "performance",
            "rating_id",
            {"year": 2024, "period": "annual", "results": "above", "behaviour": "as_expected"},
        ),
        (
            "interests",
            "interest_id",
            {
                "kind": "position",
                "description": "Analis SDM Ahli Muda",
                "target_position_id": org["position_id"],
            },
        ),
        (
            "sanctions",
            "sanction_id",
            {"severity": "light", "kind": "Teguran lisan", "start_date": "2023-05-02"},
        ),
    ):
        created = await client.post(f"{histories}/{path}", json=body, headers=admin)
        assert created.status_code == 201, created.text
        samples[param] = created.json()["id"]
    return samples
