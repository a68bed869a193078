"""``gap_summary_statement``: several years' mean gap and counts in one statement. The
running year equals the aggregate of ``needs_statement`` (the per-year path the planner
uses); a past year is the history as of its last day: the position held then, the levels
assessed by then, the SKP up to then, the career interests recorded by then."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
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
TODAY = date(YEAR, 6, 30)


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


async def _together(session: Any, years: tuple[int, ...]) -> dict[int, dict[str, Any]]:
    rows = (await session.execute(gap_summary_statement(HR_A, AGENCY_A, years, TODAY))).all()
    return {
        r.year: {"mean_gap": r.mean_gap, "needs": r.needs, "employees": r.employees} for r in rows
    }


async def test_the_running_year_equals_the_per_year_needs(app: FastAPI, world: NeedsWorld) -> None:
    for code in ("M.1", "M.2"):
        await world.level("staff1", code, 5)  # met: only a poor SKP makes a need
        await world.level("staff3", code, 5)
    await world.level("staff0", "M.1", 1)
    await world.skp("staff1", YEAR - 1, "below", "below")
    await world.skp("staff1", YEAR, "as_expected", "as_expected")
    await world.skp("staff3", YEAR - 2, "below", "as_expected")  # the latest up to YEAR
    await world.skp("staff2", YEAR, "below", "below")
    await world.wants_target("staff4")
    await world.request("staff0", "M.1", status="endorsed")
    async with app.state.sessionmaker() as session:
        together = await _together(session, YEARS)
        one = await _per_year(session, YEAR)
    assert together[YEAR] == one
    assert one["needs"] > 0 and one["employees"] > 1


async def test_a_past_year_is_the_history_as_of_its_last_day(
    app: FastAPI, world: NeedsWorld
) -> None:
    """As of the end of last year: staff0 was the clerk (M.2 at 2) and assessed at 1 on
    it; staff1 held the staff position (M.1 at 3, M.2 at 4) with M.1 at 3, M.2 assessed at
    2 on that very day and an SKP below *baik* from the year before; staff2 held nothing
    yet; staff1's career interest was recorded later. Today all three meet or miss other
    requirements, so the old reading (today's positions and levels for every year) gives
    another figure."""
    last = YEAR - 1
    await world.assign("staff0", world.clerk_position, date(YEAR - 3, 1, 1), date(YEAR, 2, 28))
    await world.assign("staff0", world.base.positions["staff"], date(YEAR, 3, 1))
    await world.assess("staff0", "M.2", 1, date(last, 6, 1), source="supervisor")
    await world.assess("staff0", "M.2", 4, date(YEAR, 4, 1))
    await world.assess("staff0", "M.1", 3, date(YEAR, 4, 1))
    await world.assign("staff1", world.base.positions["staff"], date(2018, 1, 1))
    await world.assess("staff1", "M.1", 3, date(YEAR - 2, 5, 1))
    await world.assess("staff1", "M.1", 5, date(YEAR, 1, 15), source="self")
    await world.assess("staff1", "M.2", 2, date(last, 12, 31))
    await world.assess("staff1", "M.2", 4, date(YEAR, 2, 1))
    await world.skp("staff1", YEAR - 2, "below", "as_expected")
    await world.skp("staff1", YEAR, "as_expected", "as_expected")
    await world.wants_target("staff1")  # M.3 at 3: a need today, not last year
    await world.assign("staff2", world.base.positions["staff"], date(YEAR, 1, 2))
    async with app.state.sessionmaker() as session:
        together = await _together(session, (YEAR, last))
        one = await _per_year(session, YEAR)
    # staff0: M.2 2 - 1; staff1: M.1 the SKP (1), M.2 4 - 2
    assert (together[last]["needs"], together[last]["employees"]) == (3, 2)
    assert together[last]["mean_gap"] == pytest.approx(Decimal(4) / 3)
    assert together[YEAR] == one
