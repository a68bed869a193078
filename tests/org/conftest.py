"""Helpers for the organisation tests: agencies A and B with a unit each."""

from typing import Any

import pytest
from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory

LEVELS = {str(n): {"id": f"Tingkat {n}", "en": f"Level {n}"} for n in range(1, 6)}


class Org:
    """Thin client for building organisation data in tests."""

    def __init__(self, client: AsyncClient, admin: dict[str, str]) -> None:
        self.client = client
        self.admin = admin

    async def agency(self, code: str, name: str | None = None) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/agencies",
            json={"code": code, "name": name or f"Pemerintah {code}", "region_code": code},
            headers=self.admin,
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def unit(
        self,
        agency: str,
        code: str,
        *,
        kind: str = "dinas",
        parent_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.client.post(
            f"/api/v1/agencies/{agency}/units",
            json={"code": code, "name": f"Unit {code}", "kind": kind, "parent_id": parent_id},
            headers=headers or self.admin,
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def position(self, unit_id: str, code: str, **fields: Any) -> dict[str, Any]:
        body = {"code": code, "title": f"Jabatan {code}", "unit_id": unit_id, "kind": "pelaksana"}
        body.update(fields)
        response = await self.client.post("/api/v1/positions", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def technical(self, agency: str, **fields: Any) -> dict[str, Any]:
        body = {
            "agency_code": agency,
            "name_id": "Pengelolaan Arsip",
            "name_en": "Records management",
            "descriptors": LEVELS,
        }
        body.update(fields)
        response = await self.client.post("/api/v1/competencies", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture
async def org(client: AsyncClient, admin: dict[str, str]) -> Org:
    helper = Org(client, admin)
    await helper.agency(AGENCY_A, "Pemerintah Kota Tangerang Selatan")
    await helper.agency(AGENCY_B, "Pemerintah Kota Kupang")
    return helper


@pytest.fixture
def hr_a(auth: TokenFactory) -> dict[str, str]:
    return auth(Role.HR_OFFICER, AGENCY_A)


@pytest.fixture
def hr_b(auth: TokenFactory) -> dict[str, str]:
    return auth(Role.HR_OFFICER, AGENCY_B)
