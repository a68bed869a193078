"""The 9-box for several years in one statement (``NineBoxRepository.boxes``) gives, year by
year, what the one-year path (the same code with one year) and the two-year agency list give;
the evaluation's promotion counts for two years in one statement equal the per-year ones."""

from datetime import date

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from asn_career.core.db import unit_of_work
from asn_career.profiles.models import Assignment
from asn_career.talent import rules
from asn_career.talent.evaluation.repository import EvaluationRepository
from asn_career.talent.ninebox.repository import NineBoxRepository
from tests.conftest import AGENCY_A
from tests.talent.world import YEAR, World, talent_world

POLICIES = (
    rules.Policy(),
    rules.Policy(performance_source="average", feedback_weight=40),
)
YEARS = (YEAR, YEAR - 1, YEAR - 2, YEAR - 3)


@pytest.fixture
async def world(app: FastAPI) -> World:
    w = await talent_world(app)
    await w.person(
        "a", "staf",
        skp={YEAR: "sangat_baik", YEAR - 1: "baik", YEAR - 2: "kurang", YEAR - 3: "baik"},
        levels={"M.1": 2, "M.2": 3}, feedback={"M.1": 2.5},
    )  # fmt: skip
    await w.person(
        "b", "kasi",
        skp={YEAR - 1: "sangat_baik", YEAR - 2: "sangat_baik", YEAR - 3: "butuh_perbaikan"},
        levels={"M.1": 1, "M.2": (4, "feedback_360")},
    )  # fmt: skip
    await w.person(
        "c", "analis", skp={YEAR: "baik", YEAR - 1: "baik", YEAR - 2: "baik"}, levels={"M.1": 4}
    )
    await w.person("d", None, skp={YEAR: "baik"})
    await w.person("e", "bare", skp={YEAR: "sangat_baik", YEAR - 1: "baik"})
    await w.person("f", "staf", skp={YEAR - 1: "sangat_kurang", YEAR - 2: "sangat_baik"})
    # "b" promoted in YEAR - 1 (pengawas → administrator), "c" in YEAR
    async with unit_of_work(app.state.sessionmaker) as session:
        for key, end in (("b", date(YEAR - 1, 4, 30)), ("c", date(YEAR, 1, 31))):
            await session.execute(
                update(Assignment)
                .where(Assignment.employee_id == w.employees[key])
                .values(end_date=end)
            )
        session.add(
            Assignment(employee_id=w.employees["b"], position_id=w.positions["kabid"],
                       start_date=date(YEAR - 1, 5, 1))
        )  # fmt: skip
        session.add(
            Assignment(employee_id=w.employees["c"], position_id=w.positions["head"],
                       start_date=date(YEAR, 2, 1))
        )  # fmt: skip
    return w


@pytest.mark.parametrize("policy", POLICIES, ids=("latest", "average_feedback"))
async def test_several_years_in_one_statement_equal_year_by_year(
    app: FastAPI, world: World, policy: rules.Policy
) -> None:
    async with app.state.sessionmaker() as session:
        repo = NineBoxRepository(session)
        together = await repo.boxes(policy, AGENCY_A, YEARS)
        one_by_one = [r for y in YEARS for r in await repo.boxes(policy, AGENCY_A, [y])]
        # the agency list (the year and the year before, the default two-year path)
        listed = {
            y: {r.nip: (r.box, r.reason, r.last_box)
                for r in await repo.agency_list(policy, AGENCY_A, y, box=None, unit_id=None)}
            for y in YEARS[:-1]
        }  # fmt: skip
    assert sorted(together) == sorted(one_by_one)
    assert len(together) == len(YEARS) * len(world.employees)
    assert {r.yr for r in together} == set(YEARS)
    assert any(r.box is not None for r in together)
    by = {(r.employee_id, r.yr): (r.box, r.reason) for r in together}
    for y, rows in listed.items():
        for key, employee_id in world.employees.items():
            box, reason, last_box = rows[world.nips[key]]
            assert by[employee_id, y] == (box, reason)
            assert by[employee_id, y - 1][0] == last_box


async def test_promotion_counts_for_two_years_equal_the_per_year_ones(
    app: FastAPI, world: World
) -> None:
    policy = POLICIES[0]
    async with app.state.sessionmaker() as session:
        repo = EvaluationRepository(session)
        both = await repo.talent_promotion(policy, AGENCY_A, (YEAR, YEAR - 1))
        single = {y: (await repo.talent_promotion(policy, AGENCY_A, (y,)))[y] for y in both}
    assert {y: dict(r) for y, r in both.items()} == {y: dict(r) for y, r in single.items()}
    assert sum(int(r["top_promoted"]) + int(r["rest_promoted"]) for r in both.values()) >= 1
