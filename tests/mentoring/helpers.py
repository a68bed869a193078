"""A programme with its pools set up through the API, for the matching and match tests."""

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Role
from tests.conftest import AGENCY_A, TokenFactory
from tests.mentoring.factory import MentoringWorld, mentoring_world

API = "/api/v1/mentoring"


def code(response: Any) -> str:
    return str(response.json()["type"]).rsplit("/", 1)[-1].replace("-", "_")


async def programme(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, **rules: Any
) -> tuple[MentoringWorld, str, dict[str, str]]:
    """Mentors head, kabid1, kabid2 and senior (capacity 1 each); mentees junior1–3 and
    kabid2 (who has no eligible mentor: the head is up their line, the others are peers)."""
    world = await mentoring_world(app)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    body = {"agency_code": AGENCY_A, "name": "Mentoring 2027", "starts_on": "2027-01-01",
            "ends_on": "2027-06-30", "default_capacity": 1, **rules}  # fmt: skip
    created = await client.post(f"{API}/programs", json=body, headers=hr)
    assert created.status_code == 201, created.text
    url = f"{API}/programs/{created.json()['id']}"
    for key in ("head", "kabid1", "kabid2", "senior"):
        added = await client.post(f"{url}/mentors", json={"nip": world.nips[key]}, headers=hr)
        assert added.status_code == 201, added.text
    for key, focus in (("junior1", ["M.1", "M.2"]), ("junior2", ["M.3"]), ("junior3", ["M.2"]),
                       ("kabid2", ["M.8"])):  # fmt: skip
        enrolled = await client.post(
            f"{url}/mentees", json={"nip": world.nips[key], "focus": focus}, headers=hr
        )
        assert enrolled.status_code == 201, enrolled.text
    return world, url, hr
