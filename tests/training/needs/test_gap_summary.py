"""``gap_summary_statement``: several years' mean gap and counts in one statement equal,
year by year, the aggregate of ``needs_statement`` (the per-year path the planner uses)."""

from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from asn_career.core.auth import Principal, Role
from asn_career.training.needs.repository import (
    NeedFilters,
    gap_summary_statement,
    needs_statement,
)
from tests.conftest import AGENCY_A
from tests.training.needs.world import YEAR, NeedsWorld

HR_A = Principal(subject="hr-a", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
YEARS = (YEAR, YEAR - 1, YEAR - 2)


async def _per_year(session: Any, year: int) -> dict[str, Any]:
    needs = (
        needs_statement(HR_A, NeedFilters(year=year, agency=AGENCY_A), details=False)
        .order_by(None)
        .subquery("needs")
    )
    row = (
        await session.execute(
            select(
                func.avg(needs.c.gap).label("mean_gap"),
                func.count().label("needs"),
                func.count(func.distinct(needs.c.employee_id)).label("employees"),
            )
        )
    ).one()
    return {"mean_gap": row.mean_gap, "needs": row.needs, "employees": row.employees}


async def test_several_years_at_once_equal_the_per_year_needs(
    app: FastAPI, world: NeedsWorld
) -> None:
    for code in ("M.1", "M.2"):
        await world.level("staff1", code, 5)  # met: only a poor SKP makes a need
        await world.level("staff3", code, 5)
    await world.level("staff0", "M.1", 1)
    await world.skp("staff1", YEAR - 1, "below", "below")  # a need in YEAR - 1 only
    await world.skp("staff1", YEAR, "as_expected", "as_expected")
    await world.skp("staff3", YEAR - 2, "below", "as_expected")  # latest up to YEAR - 1
    await world.skp("staff3", YEAR, "as_expected", "as_expected")
    await world.skp("staff2", YEAR, "below", "below")
    await world.wants_target("staff4")
    await world.request("staff0", "M.1", status="endorsed")
    async with app.state.sessionmaker() as session:
        rows = (await session.execute(gap_summary_statement(HR_A, AGENCY_A, YEARS))).all()
        together = {
            r.year: {"mean_gap": r.mean_gap, "needs": r.needs, "employees": r.employees}
            for r in rows
        }
        one_by_one = {y: await _per_year(session, y) for y in YEARS}
    assert together == one_by_one
    # the years differ (the SKP), so the test can tell a year from another
    assert len({(v["needs"], v["mean_gap"]) for v in together.values()}) == 3
