"""``levels_as_of``, an employee's level of a competency as of a day, is the current-level
rule applied to the assessments made by that day: as of the last day it equals the stored
``employee_competency_levels`` (refreshed by the histories' own SQL), as of an earlier day
it is ``rules.current_level`` of the assessments up to then, and the shortcut through the
stored levels changes nothing."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, Integer, Uuid, column, delete, insert, select, values

from asn_career.org.models import Competency
from asn_career.profiles.histories import rules
from asn_career.profiles.histories.repository import HistoryRepository, levels_as_of
from asn_career.profiles.models import CompetencyAssessment, CurrentCompetency, Employee
from tests.profiles.histories.conftest import World

FIRST, LAST = date(2024, 1, 1), date(2024, 1, 6)
RECORDED = datetime(2024, 2, 1, tzinfo=UTC)

# Two competencies, few days and levels: ties (same source, same day) come up often.
assessments = st.lists(
    st.tuples(
        st.sampled_from(("M.1", "M.2")),
        st.sampled_from(rules.SOURCE_PRECEDENCE),
        st.dates(min_value=FIRST, max_value=LAST),
        st.integers(min_value=1, max_value=5),
    ),
    max_size=10,
)


async def _ids(session: Any, world: World) -> tuple[uuid.UUID, dict[str, int]]:
    employee_id = await session.scalar(select(Employee.id).where(Employee.nip == world.staff))
    codes = dict(
        (await session.execute(select(Competency.code, Competency.id).where(
            Competency.code.in_(("M.1", "M.2"))))).all()
    )  # fmt: skip
    return employee_id, codes


async def _record(
    session: Any, employee_id: uuid.UUID, codes: dict[str, int], rows: list[Any], same_tx: bool
) -> None:
    """The rows in the order given: in one transaction they share ``created_at`` (ids tell
    them apart), otherwise ``created_at`` grows."""
    await session.execute(
        delete(CompetencyAssessment).where(CompetencyAssessment.employee_id == employee_id)
    )
    if rows:
        await session.execute(
            insert(CompetencyAssessment),
            [
                {
                    "id": uuid.UUID(int=i + 1), "employee_id": employee_id,
                    "competency_id": codes[code], "source": source, "assessed_on": day,
                    "level": level,
                    "created_at": RECORDED if same_tx else RECORDED + timedelta(seconds=i),
                }
                for i, (code, source, day, level) in enumerate(rows)
            ],
        )  # fmt: skip


async def _as_of(
    session: Any, employee_id: uuid.UUID, days: list[date], *, stored: bool = True
) -> dict[Any, int]:
    people = values(column("employee_id", Uuid), column("as_of", Date), name="people").data(
        [(employee_id, d) for d in days]
    )
    found = levels_as_of(people, stored=stored)
    rows = (await session.execute(select(found))).all()
    return {(r.as_of, r.competency_id): r.level for r in rows}


async def _pairs_as_of(
    session: Any, employee_id: uuid.UUID, days: list[date], competency_ids: list[int]
) -> dict[Any, int]:
    """The same asked per (day, competency), as placement fit asks for its requirements."""
    pairs = values(
        column("employee_id", Uuid), column("as_of", Date), column("competency_id", Integer),
        name="pairs",
    ).data([(employee_id, d, c) for d in days for c in competency_ids])  # fmt: skip
    found = levels_as_of(pairs)
    rows = (await session.execute(select(found))).all()
    return {(r.as_of, r.competency_id): r.level for r in rows}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(given_rows=assessments, same_tx=st.booleans(), day=st.dates(FIRST, LAST))
async def test_as_of_the_last_day_equals_the_current_levels(
    app: FastAPI, world: World, given_rows: list[Any], same_tx: bool, day: date
) -> None:
    async with app.state.sessionmaker() as session:
        employee_id, codes = await _ids(session, world)
        await _record(session, employee_id, codes, given_rows, same_tx)
        await HistoryRepository(session).refresh_current_levels(
            [(employee_id, c) for c in codes.values()]
        )
        stored = dict(
            (await session.execute(
                select(CurrentCompetency.competency_id, CurrentCompetency.level).where(
                    CurrentCompetency.employee_id == employee_id))).all()
        )  # fmt: skip
        found = await _as_of(session, employee_id, [LAST, day], stored=False)
        shortcut = await _as_of(session, employee_id, [LAST, day])
        pairs = await _pairs_as_of(session, employee_id, [LAST, day], list(codes.values()))
        await session.rollback()
    assert {c: level for (d, c), level in found.items() if d == LAST} == stored
    # the stored levels stand in for the rule wherever nothing was assessed after the day
    assert shortcut == found and pairs == found
    # an earlier day: the rule over the assessments made by then, competency by competency
    expected = {}
    for code, competency_id in codes.items():
        best = rules.current_level(
            (source, on, level) for c, source, on, level in given_rows if c == code and on <= day
        )
        if best is not None:
            expected[competency_id] = best[0]
    assert {c: level for (d, c), level in found.items() if d == day} == expected


async def test_a_past_day_reads_the_level_assessed_by_then(app: FastAPI, world: World) -> None:
    """An assessment centre's level of March wins over the supervisor's today, but as of
    February only the supervisor's January rating existed; nothing was assessed before it."""
    rows = [
        ("M.1", "supervisor", date(2024, 1, 15), 2),
        ("M.1", "assessment_center", date(2024, 3, 1), 4),
        ("M.1", "supervisor", date(2024, 4, 1), 3),
    ]
    async with app.state.sessionmaker() as session:
        employee_id, codes = await _ids(session, world)
        await _record(session, employee_id, codes, rows, same_tx=False)
        await HistoryRepository(session).refresh_current_levels([(employee_id, codes["M.1"])])
        found = await _as_of(
            session, employee_id, [date(2024, 1, 1), date(2024, 2, 1), date(2024, 5, 1)]
        )
        await session.rollback()
    m1 = codes["M.1"]
    assert found == {(date(2024, 2, 1), m1): 2, (date(2024, 5, 1), m1): 4}
