"""``NeedsService.for_plan``: every positive need of an agency for the planner."""

import pytest
from fastapi import FastAPI

from asn_career.core.auth import Principal, Role
from asn_career.core.errors import Forbidden
from asn_career.training.needs.service import NeedsService
from asn_career.training.rules import Need
from tests.conftest import AGENCY_A, AGENCY_B
from tests.training.needs.world import YEAR, NeedsWorld

HR_A = Principal(subject="hr-a", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))


async def test_every_need_of_the_agency_as_the_planner_takes_it(
    app: FastAPI, world: NeedsWorld
) -> None:
    await world.level("staff0", "M.1", 1)
    async with app.state.sessionmaker() as session:
        found = await NeedsService(session, HR_A).for_plan(AGENCY_A, YEAR)
        in_sub = await NeedsService(session, HR_A).for_plan(AGENCY_A, YEAR, [world.sub_unit])
    # staff0..3 need M.1 and M.2; the chief M.1; the clerk M.2 (2, counted as level 1)
    assert len(found) == 10 and all(isinstance(n, Need) for n in found)
    assert [n.priority for n in found] == sorted((n.priority for n in found), reverse=True)
    staff0 = next(
        n
        for n in found
        if n.employee_id == world.id("staff0") and n.competency_id == world.competencies["M.1"]
    )
    assert (staff0.gap, staff0.priority, staff0.position_kind, staff0.gender) == (
        2.0,
        3.1,
        "pelaksana",
        "F",
    )
    assert staff0.unit_id == world.base.unit_id and staff0.rank_code == "III/c"
    assert staff0.hours_this_year == 0.0
    assert {n.employee_id for n in in_sub} == {world.id("staff4"), world.id("staff5")}


async def test_only_for_an_agency_the_caller_acts_for(app: FastAPI, world: NeedsWorld) -> None:
    hr_b = Principal(subject="hr-b", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_B}))
    async with app.state.sessionmaker() as session:
        with pytest.raises(Forbidden):
            await NeedsService(session, hr_b).for_plan(AGENCY_A, YEAR)
        assert await NeedsService(session, hr_b).for_plan(AGENCY_B, YEAR) == []
