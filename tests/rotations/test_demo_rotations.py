"""The rotation demo data: a stored policy, a recorded relationship and a draft round with
explained placements per agency, made through the rotations services."""

from typing import Any

import asyncpg  # type: ignore[import-untyped]

from asn_career.core.db import libpq_url
from asn_career.demo import REGIONS, seed_demo


async def test_each_agency_has_a_policy_and_a_draft_round(database_url: str) -> None:
    summary: Any = await seed_demo(None, database_url, employees_per_agency=20, seed=3)
    assert summary is not None
    conn = await asyncpg.connect(libpq_url(database_url))
    try:
        codes = {r.code for r in REGIONS if r.code.count(".") == 1}
        policies = await conn.fetch("SELECT agency_code, weights FROM rotation_policies")
        assert {p["agency_code"] for p in policies} >= codes
        rounds = await conn.fetch(
            "SELECT id, agency_code, status, objective, greedy_objective FROM rotation_rounds"
        )
        assert {r["agency_code"] for r in rounds} >= codes
        for r in rounds:
            assert r["status"] == "draft"
            assert r["objective"] >= r["greedy_objective"]
        placed = await conn.fetchval(
            "SELECT count(*) FROM rotation_round_placements WHERE employee_id IS NOT NULL"
        )
        assert placed > 0
        explained = await conn.fetchval(
            "SELECT bool_and(explanation ? 'en' AND explanation ? 'id') "
            "FROM rotation_round_placements"
        )
        assert explained
        assert await conn.fetchval("SELECT count(*) FROM rotation_relatives") >= len(codes)
    finally:
        await conn.close()
