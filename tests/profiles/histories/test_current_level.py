"""One definition of the current competency level: the pure rule
(``profiles.histories.rules.current_level``, which the demo generator uses) and the histories
repository's SQL (``refresh_current_level``) pick the same assessment for the same rows."""

import uuid
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from asn_career.org.models import Competency
from asn_career.profiles.histories import rules
from asn_career.profiles.histories.repository import HistoryRepository
from asn_career.profiles.models import CompetencyAssessment, CurrentCompetency, Employee
from tests.profiles.histories.conftest import World

# Few days and levels, so that ties (same source, same day) come up often.
assessments = st.lists(
    st.tuples(
        st.sampled_from(rules.SOURCE_PRECEDENCE),
        st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 1, 6)),
        st.integers(min_value=1, max_value=5),
    ),
    max_size=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(given_rows=assessments, one_transaction=st.booleans())
async def test_sql_and_rule_agree_on_the_current_level(
    app: FastAPI,
    world: World,
    given_rows: list[tuple[str, date, int]],
    one_transaction: bool,
) -> None:
    """The rows are recorded in the order given: in one transaction they share
    ``created_at`` and ascending ids tell them apart; otherwise ``created_at`` grows."""
    recorded = datetime(2024, 2, 1, tzinfo=UTC)
    async with app.state.sessionmaker() as session:
        employee_id = await session.scalar(select(Employee.id).where(Employee.nip == world.staff))
        competency_id = await session.scalar(select(Competency.id).where(Competency.code == "M.1"))
        assert employee_id is not None and competency_id is not None
        await session.execute(
            delete(CompetencyAssessment).where(CompetencyAssessment.employee_id == employee_id)
        )
        if given_rows:
            await session.execute(
                insert(CompetencyAssessment),
                [
                    {
                        "id": uuid.UUID(int=i + 1),
                        "employee_id": employee_id,
                        "competency_id": competency_id,
                        "source": source,
                        "assessed_on": assessed_on,
                        "level": level,
                        "created_at": recorded
                        if one_transaction
                        else recorded + timedelta(seconds=i),
                    }
                    for i, (source, assessed_on, level) in enumerate(given_rows)
                ],
            )
        await HistoryRepository(session).refresh_current_level(employee_id, competency_id)
        stored = (
            await session.execute(
                select(
                    CurrentCompetency.level, CurrentCompetency.source, CurrentCompetency.assessed_on
                ).where(
                    CurrentCompetency.employee_id == employee_id,
                    CurrentCompetency.competency_id == competency_id,
                )
            )
        ).one_or_none()
        await session.rollback()
    assert (tuple(stored) if stored else None) == rules.current_level(given_rows)


def test_of_two_on_one_day_the_later_recorded_counts() -> None:
    same_day = date(2024, 1, 2)
    assert rules.current_level([("supervisor", same_day, 2), ("supervisor", same_day, 4)]) == (
        4,
        "supervisor",
        same_day,
    )
