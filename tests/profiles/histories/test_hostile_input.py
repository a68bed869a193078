"""Hostile but well-formed input is a 4xx, never a 500."""

from typing import Any

import pytest
from httpx import AsyncClient

from tests.profiles.histories.conftest import Headers, World, url

CASES: list[tuple[str, dict[str, Any]]] = [
    ("education", {"level": "S1", "field": "Hukum\u0000"}),
    ("assignments", {"position_id": "00000000-0000-0000-0000-000000000000",
                     "start_date": "0001-01-01", "end_date": "9999-12-31"}),
    ("assignments", {"position_id": "00000000-0000-0000-0000-000000000000",
                     "start_date": "2020-01-01", "decree_number": "\u0000"}),
    ("competencies", {"competency": "M.1", "level": 3, "source": "self",
                      "assessed_on": "0001-01-01", "notes": "a\u0000"}),
    ("trainings", {"title": "\u0000", "hours_jp": 1, "start_date": "9999-12-31",
                   "form": "training"}),
    ("trainings", {"title": "x", "hours_jp": "1e400", "start_date": "2020-01-01",
                   "form": "training"}),
    ("trainings", {"title": "x", "hours_jp": "NaN", "start_date": "2020-01-01",
                   "form": "training"}),
    ("performance", {"year": 2024, "period": "q1", "results": "above",
                     "behaviour": "above", "score": "Infinity"}),
    ("interests", {"kind": "unit", "description": "\u0000"}),
    ("sanctions", {"severity": "light", "kind": "x\u0000", "start_date": "2020-01-01"}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body"), CASES)
async def test_hostile_bodies_are_client_errors(
    client: AsyncClient, world: World, hr_a: Headers, path: str, body: dict[str, Any]
) -> None:
    response = await client.post(url(world.staff, path), json=body, headers=hr_a)
    assert 400 <= response.status_code < 500, response.text
