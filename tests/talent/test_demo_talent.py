"""The talent demo: a stored policy per agency, a 9-box for last year that fills several
boxes in every agency, and a professionalism index spread as an office's is (both computed
by the app's own SQL over the seeded data)."""

from datetime import date

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.demo import REGIONS, seed_demo
from asn_career.talent.models import TalentPolicy
from tests.conftest import TokenFactory

AS_OF = date(2026, 6, 30)


async def test_every_agency_has_a_policy_and_a_filled_nine_box(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, database_url: str
) -> None:
    await seed_demo(None, database_url, employees_per_agency=60, seed=3, as_of=AS_OF)
    async with unit_of_work(app.state.sessionmaker) as session:
        stored = set(await session.scalars(select(TalentPolicy.agency_code)))
    assert stored == {r.code for r in REGIONS}
    admin = auth(Role.ADMIN)
    for region in REGIONS:
        got = await client.get(
            "/api/v1/talent/nine-box",
            params={"agency": region.code, "year": AS_OF.year - 1, "limit": 1},
            headers=admin,
        )
        assert got.status_code == 200, got.text
        filled = [b["box"] for b in got.json()["boxes"] if b["count"] > 0]
        assert len(filled) >= 3, (region.code, got.json()["boxes"])
        moved = [m for m in got.json()["movement"] if "none" not in (m["from_box"], m["to_box"])]
        assert moved, region.code

    # The index: most staff Sedang or Tinggi, few at either end; no dimension missing for
    # more than the few without a rated year.
    total: dict[str, int] = {}
    for region in REGIONS:
        got = await client.get(
            f"/api/v1/agencies/{region.code}/professionalism-index",
            params={"year": AS_OF.year - 1},
            headers=admin,
        )
        assert got.status_code == 200, got.text
        figures = got.json()["agency"]
        assert figures["missing_qualification"] == 0, region.code
        assert figures["missing_performance"] <= figures["employees"] // 10, region.code
        for category, count in figures["categories"].items():
            total[category] = total.get(category, 0) + count
    staff = sum(total.values())
    assert total["sedang"] + total["tinggi"] > staff * 0.6, total
    assert 0 < total["rendah"] < staff * 0.3, total
    assert total["sangat_rendah"] < staff * 0.15, total
    assert total["sangat_tinggi"] < staff * 0.1, total
