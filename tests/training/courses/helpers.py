"""Shared by the catalogue, enrolment and compliance tests: a course body and its creation
through the API."""

from typing import Any

from httpx import AsyncClient

from tests.conftest import AGENCY_A

API = "/api/v1/training/courses"


def course_body(code: str = "SPBE-01", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agency_code": AGENCY_A,
        "code": code,
        "title": "Pelatihan Sistem Pemerintahan Berbasis Elektronik (SPBE)",
        "form": "training",
        "provider": "BPSDM Provinsi Banten",
        "hours_jp": 24,
        "cost_per_participant": 1500000,
        "fixed_cost_per_batch": 5000000,
        "min_participants": 1,
        "max_participants": 3,
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-05",
        "competencies": [{"code": "M.1", "target_level": 4}],
    }
    return body | fields


async def create_course(
    client: AsyncClient, headers: dict[str, str], code: str = "SPBE-01", **fields: Any
) -> dict[str, Any]:
    response = await client.post(API, json=course_body(code, **fields), headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created
